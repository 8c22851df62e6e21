// `chimera train-demo`: the SentEval multitask model and six experts fine-tuned from it,
// deterministically from a seed. Trains on train.tsv only, less every row that overlaps a
// dev sentence of any task (cli/demo-data.ts). First passes choose the embedding learning
// rate and the epoch counts on a holdout of 10% of each task's train split (with every row
// that overlaps it left out of their training); the models of those passes are kept in
// <out>/selection for the merge report to choose merge parameters on the same holdout.
// Then the models are trained again on all the rows with those choices. dev.tsv is read
// only by the contamination check: exact overlap refuses training (unless
// --allow-overlap), and every package's recipe records the sha256 of each file trained on
// and the cut, so `chimera eval` can check them later.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MultitaskWeights } from '../../models/multitask/graph.ts';
import { hashedNgrams } from '../../models/text/hashed-ngrams.ts';
import { accuracy } from '../../models/train/accuracy.ts';
import { cloneWeights, type Example, initWeights, train } from '../../models/train/multitask.ts';
import { checkTrainingData, cutAgainstDev, describeCut, type RowsByTask, selectionSplits } from '../demo-data.ts';
import { sentevalPackage } from '../demo-package.ts';
import { writePackageDir } from '../package-dir.ts';
import { progressBar } from '../progress.ts';
import { DEFAULT_DATA_DIR, TASK_NAMES, type TaskName } from '../senteval.ts';

export { checkTrainingData } from '../demo-data.ts';

export const DEMO_TOKENIZER = { buckets: 1 << 17, ngrams: [1, 2], lowercase: true, maxTokens: 256 };
export const DEMO_SHAPE = { dim: 64, hidden: [128] };
const LR = 1e-3,
  EXPERT_LR = 5e-4,
  MAX_EXPERT_EPOCHS = 2;
// The embedding's rows learn at their own rate, chosen on the holdout from these: a row
// moves only in batches that contain its n-gram, so rare ones need bigger steps.
const EMBEDDING_LRS = [1e-3, 3e-3, 1e-2, 2e-2, 5e-2];

/** Rows as training examples of one task, tokenized as the demo packages tokenize. */
export const examples = (rows: RowsByTask, tasks: readonly TaskName[] = TASK_NAMES): Example[] =>
  tasks.flatMap((task) => rows[task].map((r) => ({ ids: Int32Array.from(hashedNgrams(r.text, DEMO_TOKENIZER)), task, label: r.label })));

function trainEpochs(w: MultitaskWeights, data: Example[], epochs: number, embeddingLr: number, seed: number, label: string, o: Quiet) {
  for (let e = 1; e <= epochs; e++) {
    const bar = progressBar(`${label} ${e}/${epochs}`, 1, o.quiet);
    train(w, data, {
      epochs: 1,
      lr: LR,
      embeddingLr,
      batch: 32,
      seed: seed * 1000 + e,
      onBatch: (d, total, loss) => {
        if (d % 50 === 0 || d === total) bar.update(d / total, { extra: `loss ${loss.toFixed(3)}` });
      },
    });
    bar.stop();
    o.onEpoch?.(e);
  }
}

interface Quiet {
  quiet?: boolean;
  onEpoch?: (e: number) => void;
}

function fineTune(w: MultitaskWeights, own: Example[], task: string, epochs: number, seed: number, onEpoch?: (e: number) => void) {
  for (let e = 1; e <= epochs; e++) {
    train(w, own, { epochs: 1, lr: EXPERT_LR, batch: 32, seed: seed * 7 + e, heads: [task] });
    onEpoch?.(e);
  }
}

/** The choices, made on the holdout with models trained on the rest: the embedding's
 * learning rate and epochs (a later epoch must beat the best so far by 0.2 points, since
 * extra epochs overfit the small tasks first), then each expert's epochs (1 or 2). */
function choose(
  part: Example[],
  holdout: Record<string, Example[]>,
  seed: number,
  maxEpochs: number,
  o: Quiet & { log: (s: string) => void },
) {
  const shape = { vocab: DEMO_TOKENIZER.buckets, ...DEMO_SHAPE, tasks: Object.fromEntries(TASK_NAMES.map((t) => [t, 2])) };
  const meanHoldout = (w: MultitaskWeights) => TASK_NAMES.reduce((s, t) => s + accuracy(w, holdout[t]!), 0) / TASK_NAMES.length;
  let best = { embeddingLr: 0, epochs: 0, acc: -1, w: initWeights(seed, shape) };
  for (const embeddingLr of EMBEDDING_LRS) {
    const probe = initWeights(seed, shape);
    let own = { epochs: 0, acc: -1, w: probe };
    trainEpochs(probe, part, maxEpochs, embeddingLr, seed, `choose (embedding lr ${embeddingLr})`, {
      quiet: o.quiet,
      onEpoch: (e) => {
        const acc = meanHoldout(probe);
        o.log(`embedding lr ${embeddingLr}, epoch ${e}: mean holdout accuracy ${(100 * acc).toFixed(2)}%`);
        if (acc > own.acc + 0.002) own = { epochs: e, acc, w: cloneWeights(probe) };
      },
    });
    if (own.acc > best.acc) best = { embeddingLr, ...own };
  }
  const expertEpochs = {} as Record<TaskName, number>;
  const experts = {} as Record<TaskName, MultitaskWeights>;
  for (const task of TASK_NAMES) {
    const w = cloneWeights(best.w);
    let choice = { epochs: 0, acc: -1, w };
    fineTune(
      w,
      part.filter((e) => e.task === task),
      task,
      MAX_EXPERT_EPOCHS,
      seed,
      (e) => {
        const acc = accuracy(w, holdout[task]!);
        if (acc > choice.acc) choice = { epochs: e, acc, w: cloneWeights(w) };
      },
    );
    expertEpochs[task] = choice.epochs;
    experts[task] = choice.w;
  }
  return { ...best, expertEpochs, experts };
}

const DESCRIPTION = 'Hashed n-gram embedding bag + shared ReLU layer with six SentEval heads (cr, cola, mpqa, mr, sst2, subj).';

/** The multitask package (fp32, and int8 when asked) and one fp32 package per expert. */
async function writeModels(
  dir: string,
  multitask: MultitaskWeights,
  experts: Record<TaskName, MultitaskWeights>,
  recipe: Record<string, unknown>,
  int8: boolean,
) {
  const pkg = (name: string, w: MultitaskWeights, q: boolean, description: string, r: Record<string, unknown>) =>
    sentevalPackage(name, w, { int8: q, tokenizer: DEMO_TOKENIZER, description, recipe: r });
  writePackageDir(join(dir, 'multitask'), await pkg('senteval-multitask', multitask, false, DESCRIPTION, recipe));
  if (int8) writePackageDir(join(dir, 'multitask-int8'), await pkg('senteval-multitask', multitask, true, DESCRIPTION, recipe));
  for (const task of TASK_NAMES) {
    const r = { ...recipe, expertOf: task, expertEpochs: (recipe.expertEpochs as Record<string, number>)[task] };
    writePackageDir(
      join(dir, 'experts', task),
      await pkg(`senteval-expert-${task}`, experts[task], false, `The SentEval multitask model fine-tuned on ${task}.`, r),
    );
  }
}

export async function trainDemo(opts: {
  data?: string;
  out?: string;
  seed?: number;
  epochs?: number;
  quiet?: boolean;
  allowOverlap?: boolean;
}) {
  const dataDir = opts.data ?? DEFAULT_DATA_DIR;
  const out = opts.out ?? 'artifacts/demo';
  const seed = opts.seed ?? 1;
  const log = (s: string) => {
    if (!opts.quiet) console.error(`chimera: ${s}`);
  };
  const started = performance.now();
  // train on exactly the rows the check read (and hashed), not on a second read
  const checked = await checkTrainingData(dataDir, opts);
  const { rows, record: devCut } = cutAgainstDev(checked.train, checked.dev, opts.allowOverlap);
  if (devCut) log(`left out, as near, containing or inside a dev sentence: ${describeCut(devCut)}`);
  const sel = selectionSplits(rows, seed);
  log(`while choosing, left out as overlapping a holdout row: ${describeCut(sel.holdoutCut)}`);
  const holdout = Object.fromEntries(TASK_NAMES.map((t) => [t, examples(sel.holdout, [t])]));

  // 1. choose on the holdout; keep those models for the merge report
  const chosen = choose(examples(sel.part), holdout, seed, opts.epochs ?? 3, { quiet: opts.quiet, log });
  log(
    `chose embedding lr ${chosen.embeddingLr}, ${chosen.epochs} multitask epoch(s); expert epochs ${JSON.stringify(chosen.expertEpochs)}`,
  );
  const base = {
    trainer: 'chimera train-demo',
    seed,
    epochs: chosen.epochs,
    lr: LR,
    embeddingLr: chosen.embeddingLr,
    expertLr: EXPERT_LR,
    expertEpochs: chosen.expertEpochs,
    tokenizer: DEMO_TOKENIZER,
    shape: DEMO_SHAPE,
    data: checked.train.map((f) => f.record),
    overlap: {
      eval: checked.dev.map((f) => f.record),
      threshold: checked.report.threshold,
      ...checked.report.totals,
      allowed: !!opts.allowOverlap,
    },
    ...(devCut && { decontamination: { against: checked.dev.map((f) => f.record), ...devCut } }),
  };
  mkdirSync(out, { recursive: true });
  const selectionRecipe = {
    ...base,
    version: `senteval-seed${seed}-selection`,
    trainedOn: 'the training part: train less the holdout and every row overlapping it',
    holdoutCut: sel.holdoutCut,
  };
  await writeModels(join(out, 'selection'), chosen.w, chosen.experts, selectionRecipe, false);

  // 2. train again on all the rows with those choices
  const all = examples(rows);
  const multitask = initWeights(seed, {
    vocab: DEMO_TOKENIZER.buckets,
    ...DEMO_SHAPE,
    tasks: Object.fromEntries(TASK_NAMES.map((t) => [t, 2])),
  });
  trainEpochs(multitask, all, chosen.epochs, chosen.embeddingLr, seed, 'multitask', opts);
  const experts = {} as Record<TaskName, MultitaskWeights>;
  const bar = progressBar('experts', TASK_NAMES.length, opts.quiet);
  for (const [i, task] of TASK_NAMES.entries()) {
    // the shared layers and this task's head move; the other heads stay as they were
    experts[task] = cloneWeights(multitask);
    fineTune(
      experts[task],
      all.filter((e) => e.task === task),
      task,
      chosen.expertEpochs[task],
      seed,
    );
    bar.update(i + 1);
  }
  bar.stop();
  await writeModels(out, multitask, experts, { ...base, version: `senteval-seed${seed}` }, true);
  const report = {
    seed,
    seconds: (performance.now() - started) / 1000,
    embeddingLr: chosen.embeddingLr,
    multitaskEpochs: chosen.epochs,
    holdoutAccuracy: chosen.acc,
    expertEpochs: chosen.expertEpochs,
    devCut,
    holdoutCut: sel.holdoutCut,
  };
  writeFileSync(join(out, 'training.json'), `${JSON.stringify(report, null, 2)}\n`);
  log(`trained in ${report.seconds.toFixed(0)} s; packages in ${out}/`);
  return report;
}
