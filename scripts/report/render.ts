// The generated part of docs/merging.md (tables, targets, choices) and its chart, from
// the merge report's results. Numbers only: the narrative around them is written by hand.
import { readFileSync, writeFileSync } from 'node:fs';
import { TASK_NAMES } from '../../cli/senteval.ts';
import type { AdaMergingResult } from '../../models/merge/adamerging.ts';
import { METHODS, type MergeMethod, type MergeParams } from '../../models/merge/methods.ts';
import { groupedBarsSvg } from './chart.ts';

type Scores = Record<string, number>;
export interface ReportResults {
  seed: number;
  expertOwn: Scores;
  multitaskDev: Scores;
  multitaskInt8Dev: Scores;
  tfidf: { chosen: Record<string, { l2: number; holdout: number }>; dev: Scores };
  merged: Record<MergeMethod, { params: MergeParams; holdout: Scores; dev: Scores; adamerging?: unknown }>;
  servedDev: Scores;
  selectionHoldout: { multitask: Scores; expertOwn: Scores };
  cuts: { devCut?: Cut; holdoutCut: Cut };
}
interface Cut {
  dropped: Record<string, { of: number; exact: number; near: number; contains: number; inside: number }>;
}

const mean = (r: Scores) => TASK_NAMES.reduce((s, t) => s + r[t]!, 0) / TASK_NAMES.length;
const pct = (x: number) => (100 * x).toFixed(1);
const normalized = (r: Scores, experts: Scores) => Object.fromEntries(TASK_NAMES.map((t) => [t, r[t]! / experts[t]!])) as Scores;
const header = `| model | ${TASK_NAMES.join(' | ')} | mean |\n|---|${TASK_NAMES.map(() => '---:').join('|')}|---:|`;
const row = (name: string, r: Scores) => `| ${name} | ${TASK_NAMES.map((t) => pct(r[t]!)).join(' | ')} | ${pct(mean(r))} |`;
export const describeParams = (p: MergeParams) =>
  Object.entries(p)
    .filter(([k]) => k !== 'seed')
    .map(([k, v]) => `${k} ${v}`)
    .join(', ') || 'equal weights';
const signed = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(1)}`;

function targets(r: ReportResults): string[] {
  const mt = r.multitaskDev,
    wins = TASK_NAMES.filter((t) => mt[t]! > r.tfidf.dev[t]!);
  const best = METHODS.map((m) => ({ m, n: mean(normalized(r.merged[m].dev, r.expertOwn)) })).sort((a, b) => b.n - a.n)[0]!;
  const int8Gap = Math.max(...TASK_NAMES.map((t) => Math.abs(r.multitaskInt8Dev[t]! - mt[t]!)));
  const line = (target: string, figure: string, met: boolean) => `| ${target} | ${figure} | ${met ? 'met' : '**missed**'} |`;
  return [
    '| target (dev) | figure | |',
    '|---|---|---|',
    line(
      'multitask ≥ mean of the six experts',
      `${pct(mean(mt))} vs ${pct(mean(r.expertOwn))} (${signed(100 * (mean(mt) - mean(r.expertOwn)))})`,
      mean(mt) >= mean(r.expertOwn),
    ),
    line(
      'multitask beats TF-IDF on ≥ 5 of 6 tasks',
      `${wins.length} of 6 (${TASK_NAMES.map((t) => `${t} ${signed(100 * (mt[t]! - r.tfidf.dev[t]!))}`).join(', ')})`,
      wins.length >= 5,
    ),
    line(
      'multitask beats TF-IDF on the mean',
      `${pct(mean(mt))} vs ${pct(mean(r.tfidf.dev))} (${signed(100 * (mean(mt) - mean(r.tfidf.dev)))})`,
      mean(mt) > mean(r.tfidf.dev),
    ),
    line('best merge keeps ≥ 95% normalised accuracy', `${best.m}: ${pct(best.n)}%`, best.n >= 0.95),
    line('int8 within 0.3 points of fp32 on every task', `largest gap ${(100 * int8Gap).toFixed(2)} points`, int8Gap <= 0.003 + 1e-12),
  ];
}

function cutTable(r: ReportResults): string[] {
  const lines = [
    '| task | train rows | left out: near | contains | inside | exact | kept | while choosing, left out of the training part |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  const dev = Object.values(r.cuts.devCut?.dropped ?? {});
  const hold = Object.values(r.cuts.holdoutCut.dropped);
  TASK_NAMES.forEach((t, i) => {
    const d = dev[i] ?? { of: 0, exact: 0, near: 0, contains: 0, inside: 0 };
    const h = hold[i]!;
    const out = d.exact + d.near + d.contains + d.inside;
    lines.push(
      `| ${t} | ${d.of} | ${d.near} | ${d.contains} | ${d.inside} | ${d.exact} | ${d.of - out} | ${h.exact + h.near + h.contains + h.inside} of ${h.of} |`,
    );
  });
  return lines;
}

export function renderReport(r: ReportResults, grid: Record<MergeMethod, MergeParams[]>): { generated: string; svg: string } {
  const accuracy = [
    header,
    row('each expert, on its own task', r.expertOwn),
    row('multitask (fp32)', r.multitaskDev),
    row('multitask (int8, served)', r.multitaskInt8Dev),
    row('TF-IDF logistic regression (per task)', r.tfidf.dev),
    ...METHODS.map((m) => row(`${m} (${describeParams(r.merged[m].params)})`, r.merged[m].dev)),
    row('senteval-merged: ties, int8 (served)', r.servedDev),
  ];
  const norm = [
    header,
    ...METHODS.map((m) => row(m, normalized(r.merged[m].dev, r.expertOwn))),
    row('senteval-merged (ties, int8)', normalized(r.servedDev, r.expertOwn)),
  ];
  const choices = [
    '| what | tried | chosen | mean holdout accuracy |',
    '|---|---|---|---:|',
    ...METHODS.map(
      (m) => `| ${m} | ${grid[m].length} setting(s) | ${describeParams(r.merged[m].params)} | ${pct(mean(r.merged[m].holdout))} |`,
    ),
    `| TF-IDF L2, per task | 5 strengths each | ${TASK_NAMES.map((t) => `${t} ${r.tfidf.chosen[t]!.l2}`).join(', ')} | ${pct(mean(Object.fromEntries(TASK_NAMES.map((t) => [t, r.tfidf.chosen[t]!.holdout]))))} |`,
  ];
  const ada = r.merged.adamerging.adamerging as AdaMergingResult | undefined;
  const adaLines = ada
    ? [
        `AdaMerging's learned coefficients (${ada.layerwise ? 'per expert and layer' : 'per expert'}; experts in the order ${TASK_NAMES.join(', ')}), on ${ada.texts} unlabelled holdout texts; mean prediction entropy ${ada.objective.initial.toFixed(4)} → ${ada.objective.final.toFixed(4)} nats in ${ada.objective.evaluations} evaluations:`,
        '',
        `| layer | ${TASK_NAMES.join(' | ')} |`,
        `|---|${TASK_NAMES.map(() => '---:').join('|')}|`,
        ...Object.entries(ada.coefficients).map(([g, c]) => `| ${g} | ${c.map((x) => x.toFixed(3)).join(' | ')} |`),
      ]
    : [];
  const generated = [
    '<!-- generated by scripts/merging-report.ts: do not edit by hand -->',
    '',
    `Dev accuracy (%), seed ${r.seed}, full dev sets (no dev row overlaps a row trained on; see the cut below):`,
    '',
    ...accuracy,
    '',
    'Normalised accuracy (merged ÷ expert on its own task, %):',
    '',
    ...norm,
    '',
    '![Normalised accuracy per merge method and task](merging-chart.svg)',
    '',
    'Targets:',
    '',
    ...targets(r),
    '',
    'Chosen on the holdout (models trained on the rest of train):',
    '',
    ...choices,
    '',
    ...adaLines,
    '',
    'Training rows left out because they overlap a dev sentence of any task (near: word Jaccard ≥ 0.8; contains: a dev sentence whole inside it; inside: it lies whole inside a dev sentence), and rows left out of the training part while choosing because they overlap a holdout row:',
    '',
    ...cutTable(r),
    '',
    '<!-- end generated -->',
  ].join('\n');
  const svg = groupedBarsSvg({
    title: 'Merged model ÷ expert on its own task (SentEval dev, %)',
    groups: [...TASK_NAMES, 'mean'],
    series: METHODS.map((m) => {
      const n = normalized(r.merged[m].dev, r.expertOwn);
      return { name: m, values: [...TASK_NAMES.map((t) => 100 * n[t]!), 100 * mean(n)] };
    }),
    yLabel: 'normalised accuracy (%)',
    refLines: [
      { value: 100, label: 'expert' },
      { value: 95, label: 'target 95%' },
    ],
  });
  return { generated, svg };
}

/** Writes the generated section into docs/merging.md and the chart beside it; returns the section. */
export function writeReport({ generated, svg }: { generated: string; svg: string }, doc = 'docs/merging.md'): string {
  writeFileSync(doc.replace(/merging\.md$/, 'merging-chart.svg'), svg);
  writeFileSync(doc, readFileSync(doc, 'utf8').replace(/<!-- generated by[\s\S]*<!-- end generated -->/, generated));
  return generated;
}
