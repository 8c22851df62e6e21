// Redraws docs/merging.md's generated section and chart from bench/results/merging.json,
// without merging or evaluating anything: for changes to the layout, not the numbers.
//   node scripts/merging-render.ts
import { readFileSync } from 'node:fs';
import { GRID } from './report/grid.ts';
import { type ReportResults, renderReport, writeReport } from './report/render.ts';

const results = JSON.parse(readFileSync('bench/results/merging.json', 'utf8')) as ReportResults;
writeReport(renderReport(results, GRID));
console.log('redrew docs/merging.md and docs/merging-chart.svg from bench/results/merging.json');
