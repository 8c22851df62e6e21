// Contamination checks (models/data, `chimera data check`, train-demo's refusal, eval's
// recipe lookup) on hand-made pairs, on a small copy of version 1's leak
// (tests/fixtures/senteval-v1) and on the real version 2 data.
import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { checkOverlap, dataCommand, OVERLAP_EXIT_CODE, readSplitFiles } from '../../cli/commands/data.ts';
import { trainingOverlap } from '../../cli/commands/eval.ts';
import { checkTrainingData } from '../../cli/commands/train-demo.ts';
import { DEFAULT_DATA_DIR, readSplitFile } from '../../cli/senteval.ts';
import { candidateProbability, chooseBanding } from '../../models/data/lsh.ts';
import { estimateJaccard, MinHasher } from '../../models/data/minhash.ts';
import { normalizeText } from '../../models/data/normalize.ts';
import { findOverlap, type OverlapReport } from '../../models/data/overlap.ts';
import { jaccard, wordShingles } from '../../models/data/shingles.ts';
import type { ModelPackage } from '../../models/package.ts';
import { seededRandom } from '../../models/random.ts';

const V1 = 'tests/fixtures/senteval-v1';
const hasV2 = existsSync(`${DEFAULT_DATA_DIR}/SST2/dev.tsv`);
const split = (name: string, ...texts: string[]) => ({ name, texts });
const pair = (r: OverlapReport, train: string, evalName: string) => r.pairs.find((p) => p.train === train && p.eval === evalName)!;
/** every pair with any overlap, as `train × eval: exact/near/contained` */
const dirtyPairs = (r: OverlapReport) =>
  r.pairs.filter((p) => p.exact + p.near + p.contained > 0).map((p) => `${p.train} × ${p.eval}: ${p.exact}/${p.near}/${p.contained}`);

afterEach(() => {
  vi.restoreAllMocks();
});

describe('normalisation and shingles', () => {
  it('lower-cases, collapses runs of non-alphanumerics to one space and trims', () => {
    expect(normalizeText("  It's -LRB- a  GREAT film ! ''")).toBe('it s lrb a great film');
    expect(normalizeText("'unfaithful' cheats")).toBe(normalizeText("` unfaithful ' cheats"));
    expect(normalizeText('?!')).toBe('');
  });
  it('hashes word shingles into sorted unique sets and measures Jaccard exactly', () => {
    expect(wordShingles('a b a b', 1)).toHaveLength(2);
    expect(wordShingles('a b c', 2)).toHaveLength(2);
    expect(wordShingles('short', 3)).toHaveLength(1); // shorter than a shingle: one shingle
    expect(wordShingles('', 1)).toHaveLength(0);
    expect(jaccard(wordShingles('a b c d', 1), wordShingles('a b c e', 1))).toBeCloseTo(3 / 5);
  });
});

describe('MinHash and LSH banding', () => {
  it('estimates Jaccard without bias and gives the same signature for the same set', () => {
    const rnd = seededRandom(7);
    const hasher = new MinHasher(128, 1);
    let errors = 0;
    for (let trial = 0; trial < 60; trial++) {
      const shared = 5 + Math.floor(rnd() * 40),
        own = Math.floor(rnd() * 30);
      const base = Array.from({ length: shared }, (_, i) => `w${trial}-${i}`);
      const a = wordShingles([...base, ...Array.from({ length: own }, (_, i) => `a${i}`)].join(' '), 1);
      const b = wordShingles([...base, ...Array.from({ length: own }, (_, i) => `b${i}`)].join(' '), 1);
      errors += estimateJaccard(hasher.sign(a), hasher.sign(b)) - jaccard(a, b);
      expect(Math.abs(estimateJaccard(hasher.sign(a), hasher.sign(b)) - jaccard(a, b))).toBeLessThan(0.16);
    }
    expect(Math.abs(errors / 60)).toBeLessThan(0.02);
    const s = wordShingles('the same words', 1);
    expect(new MinHasher(128, 1).sign(s)).toEqual(hasher.sign(s));
    expect(new MinHasher(128, 2).sign(s)).not.toEqual(hasher.sign(s));
  });
  it('chooses a banding that finds pairs at the threshold with probability ≥ 0.99', () => {
    for (const threshold of [0.5, 0.7, 0.8, 0.9, 1]) {
      const banding = chooseBanding(threshold, 128);
      expect(banding.bands * banding.rows).toBeLessThanOrEqual(128);
      expect(candidateProbability(threshold, banding)).toBeGreaterThanOrEqual(0.99);
      expect(candidateProbability(threshold / 2, banding)).toBeLessThan(0.5);
    }
  });
});

describe('findOverlap', () => {
  const train = split(
    'train',
    'the film is a charming and often affecting journey through grief',
    'a gorgeous , witty , seductive movie',
    "if you 're a connoisseur of psychological horror , this is your ticket and more",
  );
  it('finds a sentence one word apart as a near-duplicate, not an exact one', () => {
    const evals = split('dev', 'the movie is a charming and often affecting journey through grief', 'nothing like any of them at all');
    const r = findOverlap([train], [evals]);
    expect(pair(r, 'train', 'dev')).toMatchObject({ exact: 0, near: 1, contained: 0, evalRows: 2 });
    expect(pair(r, 'train', 'dev').examples.near[0]).toMatchObject({
      eval: evals.texts[0],
      train: train.texts[0],
      jaccard: expect.closeTo(10 / 12, 6), // 11 words, one replaced
    });
    // 10/12 = 0.83: under a stricter threshold it is no longer near
    expect(findOverlap([train], [evals], { threshold: 0.9 }).totals.near).toBe(0);
  });
  it('counts a sentence differing only in punctuation and case as exact', () => {
    const r = findOverlap([train], [split('dev', 'A gorgeous, witty, seductive movie!')]);
    expect(r.totals).toEqual({ exact: 1, near: 0, contained: 0 });
  });
  it('counts a sentence inside a longer train text as contained, unless it is short', () => {
    const evals = split('dev', "if you 're a connoisseur of psychological horror", 'this is your ticket');
    const r = findOverlap([train], [evals]);
    expect(pair(r, 'train', 'dev')).toMatchObject({ exact: 0, near: 0, contained: 1 });
    expect(pair(r, 'train', 'dev').examples.contained[0]!.train).toBe(train.texts[2]);
  });
  it('reports every train split against every eval split, and clean sets as clean', () => {
    const r = findOverlap(
      [train, split('other', 'unrelated words here')],
      [split('dev', 'a fresh sentence that no one has seen'), split('dev2')],
    );
    expect(r.pairs.map((p) => `${p.train}×${p.eval}`)).toEqual(['train×dev', 'train×dev2', 'other×dev', 'other×dev2']);
    expect(r.totals).toEqual({ exact: 0, near: 0, contained: 0 });
    expect(() => findOverlap([train], [train], { threshold: 0 })).toThrow(/threshold/);
  });
});

describe('chimera data check', () => {
  it('finds version 1’s MR/SST2/SUBJ leak in the fixture and exits 3', async () => {
    const [train, dev] = await Promise.all([readSplitFiles(V1, 'train'), readSplitFiles(V1, 'dev')]);
    const r = checkOverlap(train, dev, { quiet: true });
    expect(dirtyPairs(r)).toEqual([
      'MPQA/train.tsv × MPQA/dev.tsv: 7/0/0',
      'MR/train.tsv × SST2/dev.tsv: 12/0/0',
      'SST2/train.tsv × MR/dev.tsv: 9/0/0',
      'SUBJ/train.tsv × MR/dev.tsv: 3/0/0',
      'SUBJ/train.tsv × SST2/dev.tsv: 3/0/0',
    ]);
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    expect(await dataCommand('check', { data: V1, examples: '1' })).toBe(OVERLAP_EXIT_CODE);
    const printed = log.mock.calls.map((c) => c[0]).join('\n');
    expect(printed).toMatch(/MR\/train\.tsv\s+SST2\/dev\.tsv\s+20\s+12 \(60\.0%\)/);
    expect(printed).toMatch(/overlap found/);
  });
  it('prints JSON with the files’ hashes and rejects bad options', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    expect(await dataCommand('check', { data: V1, json: true, threshold: '0.9' })).toBe(OVERLAP_EXIT_CODE);
    const out = JSON.parse(log.mock.calls[0]![0] as string);
    expect(out.threshold).toBe(0.9);
    expect(out.totals.exact).toBe(34);
    expect(out.train.find((f: { path: string }) => f.path === 'MR/train.tsv')).toMatchObject({
      rows: 60,
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    await expect(dataCommand('check', { data: V1, threshold: '1.5' })).rejects.toThrow(/threshold/);
    await expect(dataCommand('check', { data: V1, examples: '-1' })).rejects.toThrow(/examples/);
    await expect(dataCommand('scan', {})).rejects.toThrow(/data check/);
  });
  it.skipIf(!hasV2)('finds no exact overlap in version 2 of the data, in seconds', async () => {
    const started = performance.now();
    const [train, dev] = await Promise.all([readSplitFiles(DEFAULT_DATA_DIR, 'train'), readSplitFiles(DEFAULT_DATA_DIR, 'dev')]);
    const r = checkOverlap(train, dev, { quiet: true });
    const seconds = (performance.now() - started) / 1000;
    expect(train.reduce((s, f) => s + f.rows.length, 0)).toBeGreaterThan(30_000);
    expect(r.totals.exact).toBe(0);
    // what v2 still holds: SST2 dev sentences re-tokenised or cut from MR training snippets
    expect(pair(r, 'MR/train.tsv', 'SST2/dev.tsv').near + pair(r, 'MR/train.tsv', 'SST2/dev.tsv').contained).toBeGreaterThan(100);
    console.info(`v2: ${dirtyPairs(r).join('; ')} in ${seconds.toFixed(1)} s`);
    expect(seconds).toBeLessThan(30);
  });
});

describe('train-demo and eval', () => {
  it('train-demo refuses version 1’s data unless told --allow-overlap', async () => {
    await expect(checkTrainingData(V1, { quiet: true })).rejects.toThrow(
      /SST2\/train\.tsv holds 9 of MR\/dev\.tsv's 20 rows.*--allow-overlap/,
    );
    const allowed = await checkTrainingData(V1, { quiet: true, allowOverlap: true });
    expect(allowed.report.totals.exact).toBe(34);
    // what the recipe records: every file trained on, with the hash of the bytes read
    expect(allowed.train.map((f) => [f.record.path, f.record.rows])).toEqual([
      ['CR/train.tsv', 30],
      ['CoLA/train.tsv', 30],
      ['MPQA/train.tsv', 40],
      ['MR/train.tsv', 60],
      ['SST2/train.tsv', 45],
      ['SUBJ/train.tsv', 46],
    ]);
    for (const f of allowed.train) expect(f.record.sha256).toMatch(/^[0-9a-f]{64}$/);
  });
  it.skipIf(!hasV2)('train-demo accepts version 2', async () => {
    const checked = await checkTrainingData(DEFAULT_DATA_DIR, { quiet: true });
    expect(checked.report.totals.exact).toBe(0);
  });
  it('eval checks the recipe’s files that still hash the same, and says which do not', async () => {
    const mr = await readSplitFile(V1, 'mr', 'train');
    const sst2 = await readSplitFile(V1, 'sst2', 'train');
    const pkg = {
      manifest: {
        name: 'leaky',
        tasks: { mr: {}, sst2: {} },
        recipe: {
          data: [mr.record, { ...sst2.record, sha256: '0'.repeat(64) }, { path: 'CR/train.tsv', sha256: 'f'.repeat(64), rows: 1 }],
        },
      },
      files: {},
    } as unknown as ModelPackage;
    const found = await trainingOverlap(pkg, V1, true);
    expect(found.files.map((f) => f.status)).toEqual(['checked', 'changed', 'changed']);
    // only MR's train file is checked, against the dev sets of the model's tasks
    expect(dirtyPairs(found.report!)).toEqual(['MR/train.tsv × SST2/dev.tsv: 12/0/0']);
    const elsewhere = await trainingOverlap(pkg, '/nonexistent', true);
    expect(elsewhere.files.map((f) => f.status)).toEqual(['missing', 'missing', 'missing']);
    expect(elsewhere.report).toBeNull();
    const noRecipe = await trainingOverlap({ ...pkg, manifest: { ...pkg.manifest, recipe: {} } } as ModelPackage, V1, true);
    expect(noRecipe).toEqual({ files: [], report: null });
  });
});
