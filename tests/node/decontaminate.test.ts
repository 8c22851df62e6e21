// Leaving overlapping rows out of training: which train rows models/data/exclude.ts finds
// (exact, near, containing a dev sentence, inside one), the cuts train-demo makes (against
// dev, and against its own holdout while choosing), and eval redoing the recipe's cut
// before it checks, so a model trained on the cut data reads clean.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { trainingOverlap } from '../../cli/commands/eval.ts';
import { cutAgainstDev, selectionSplits } from '../../cli/demo-data.ts';
import { DEFAULT_DATA_DIR, readSplitFile, TASK_NAMES } from '../../cli/senteval.ts';
import { overlappingTrainRows } from '../../models/data/exclude.ts';
import type { ModelPackage } from '../../models/package.ts';

const hasV2 = existsSync(`${DEFAULT_DATA_DIR}/SST2/dev.tsv`);
const split = (name: string, ...texts: string[]) => ({ name, texts });

describe('overlappingTrainRows', () => {
  it('finds each kind of overlap once, strongest first, in every train split', () => {
    const dev = split(
      'dev',
      'a gorgeous , witty , seductive movie',
      'the film is a charming and often affecting journey through grief',
      'if you are a fan of psychological horror , see it now and bring a friend along',
    );
    const train = split(
      'train',
      'A gorgeous, witty, seductive movie!', // exact after normalisation
      'the movie is a charming and often affecting journey through grief', // near: one word apart
      'it opens well . the film is a charming and often affecting journey through grief , and ends well', // contains
      'a fan of psychological horror , see it now', // inside a longer dev text
      'an unrelated sentence about a phone battery',
    );
    const other = split('other', 'the movie is a charming and often affecting journey through grief', 'nothing to see');
    const r = overlappingTrainRows([train, other], [dev]);
    expect(r.splits[0]).toMatchObject({ rows: 5, excluded: [0, 1, 2, 3], counts: { exact: 1, near: 1, contains: 1, inside: 1 } });
    expect(r.splits[1]).toMatchObject({ rows: 2, excluded: [0], counts: { exact: 0, near: 1, contains: 0, inside: 0 } });
    expect(r.rule).toEqual({ threshold: 0.8, shingle: 1, minContainedWords: 6 });
    // a short phrase inside a dev text is chance, not a leak
    expect(overlappingTrainRows([split('t', 'see it now')], [dev]).splits[0]!.excluded).toEqual([]);
  });
});

describe.skipIf(!hasV2)('train-demo’s cuts on version 2', () => {
  it('leaves out the rows near, containing or inside a dev sentence, and eval then reads clean', async () => {
    const train = await Promise.all(TASK_NAMES.map((t) => readSplitFile(DEFAULT_DATA_DIR, t, 'train')));
    const dev = await Promise.all(TASK_NAMES.map((t) => readSplitFile(DEFAULT_DATA_DIR, t, 'dev')));
    const { rows, record } = cutAgainstDev(train, dev);
    const lost = Object.fromEntries(Object.entries(record!.dropped).map(([path, d]) => [path, d.exact + d.near + d.contains + d.inside]));
    expect(lost).toEqual({
      'CR/train.tsv': 3,
      'CoLA/train.tsv': 9,
      'MPQA/train.tsv': 24,
      'MR/train.tsv': 181,
      'SST2/train.tsv': 375,
      'SUBJ/train.tsv': 73,
    });
    expect(rows.sst2.length).toBe(train[4]!.rows.length - 375);
    expect(cutAgainstDev(train, dev, true).rows.sst2.length).toBe(train[4]!.rows.length);

    // the holdout is 10% of each task; nothing overlapping it stays in the training part
    const sel = selectionSplits(rows, 1);
    for (const t of TASK_NAMES) expect(sel.holdout[t].length).toBe(Math.floor(rows[t].length * 0.1));
    const again = overlappingTrainRows(
      TASK_NAMES.map((t) => split(t, ...sel.part[t].map((r) => r.text))),
      TASK_NAMES.map((t) => split(t, ...sel.holdout[t].map((r) => r.text))),
    );
    expect(again.splits.every((s) => s.excluded.length === 0)).toBe(true);

    const recipe = { data: train.map((f) => f.record), decontamination: { against: dev.map((f) => f.record), ...record } };
    const pkg = { manifest: { name: 'cut', tasks: Object.fromEntries(TASK_NAMES.map((t) => [t, {}])), recipe }, files: {} };
    const checked = await trainingOverlap(pkg as unknown as ModelPackage, DEFAULT_DATA_DIR, true);
    expect(checked.cut?.rows).toBe(665);
    expect(checked.report!.totals).toEqual({ exact: 0, near: 0, contained: 0 });
    const uncut = await trainingOverlap(
      { ...pkg, manifest: { ...pkg.manifest, recipe: { data: recipe.data } } } as unknown as ModelPackage,
      DEFAULT_DATA_DIR,
      true,
    );
    expect(uncut.report!.totals.contained).toBeGreaterThan(0);
  }, 60_000);
});
