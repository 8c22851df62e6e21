// `chimera train-demo`: the SentEval multitask model and six experts fine-tuned from it,
// deterministically from a seed. Trains on train.tsv only: first passes hold out 10% of
// each task's train split to choose the embedding learning rate and epoch counts, then
// the models are trained again on the whole train split with those. dev.tsv is read only
// by the contamination check that runs first: training is refused when a dev sentence of
// any task is in the training data (unless --allow-overlap), and every package's recipe
// records the sha256 of each file trained on, so `chimera eval` can check it later.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatOverlap } from '../../models/data/format.ts';
import type { OverlapReport } from '../../models/data/overlap.ts';
import type { MultitaskWeights } from '../../models/multitask/graph.ts';
import { hashedNgrams } from '../../models/text/hashed-ngrams.ts';
import { accuracy } from '../../models/train/accuracy.ts';
import { cloneWeights, type Example, initWeights, train } from '../../models/train/multitask.ts';
import { sentevalPackage } from '../demo-package.ts';
import { writePackageDir } from '../package-dir.ts';
import { progressBar } from '../progress.ts';
import { DEFAULT_DATA_DIR, type Row, readSplitFile, type SplitFile, splitTrain, TASK_NAMES, type TaskName } from '../senteval.ts';
import { checkOverlap, readSplitFiles } from './data.ts';

export const DEMO_TOKENIZER = { buckets: 1 << 17, ngrams: [1, 2], lowercase: true, maxTokens: 256 };
export const DEMO_SHAPE = { dim: 64, hidden: [128] };
const LR = 1e-3,
  EXPERT_LR = 5e-4,
  MAX_EXPERT_EPOCHS = 2;
// The embedding's rows learn at their own rate, chosen on the holdout from these: a row
// moves only in batches that contain its n-gram, so rare ones need bigger steps.
const EMBEDDING_LRS = [1e-3, 3e-3, 1e-2, 2e-2, 5e-2];

/** The check train-demo runs before training: the train files it will train on against
 * every dev file. Exact overlap (after normalisation) is refused unless allowOverlap;
 * near-duplicates and contained sentences are shown, not refused (they need a judge). */
export async function checkTrainingData(
  dataDir: string,
  opts: { allowOverlap?: boolean; quiet?: boolean } = {},
): Promise<{ train: SplitFile[]; dev: SplitFile[]; report: OverlapReport }> {
  const train = await Promise.all(TASK_NAMES.map((t) => readSplitFile(dataDir, t, 'train')));
  const dev = await readSplitFiles(dataDir, 'dev');
  const report = checkOverlap(train, dev, { quiet: opts.quiet });
  if (!opts.quiet)
    for (const line of ['chimera: the train files against every dev file', ...formatOverlap(report, { examples: 2 })]) console.error(line);
  if (report.totals.exact > 0 && !opts.allowOverlap) {
    const pairs = report.pairs.filter((p) => p.exact > 0).map((p) => `${p.train} holds ${p.exact} of ${p.eval}'s ${p.evalRows} rows`);
    throw new Error(
      `dev sentences are in the training data (${pairs.join('; ')}): decontaminate ${dataDir} or pass --allow-overlap to train anyway`,
    );
  }
  return { train, dev, report };
}

/** the 90/10 split of cli/senteval.ts, tokenized; rows from the data folder or as given */
export function loadTrainSplits(source: string | Record<TaskName, Row[]>, seed: number) {
  const all: Example[] = [],
    trainPart: Example[] = [];
  const holdout: Record<string, Example[]> = {};
  const tokenize =
    (task: string) =>
    (r: Row): Example => ({ ids: Int32Array.from(hashedNgrams(r.text, DEMO_TOKENIZER)), task, label: r.label });
  for (const [task, split] of Object.entries(splitTrain(source, seed))) {
    holdout[task] = split.holdout.map(tokenize(task));
    const rest = split.train.map(tokenize(task));
    trainPart.push(...rest);
    all.push(...holdout[task]!, ...rest);
  }
  return { all, trainPart, holdout };
}

function trainEpochs(
  w: MultitaskWeights,
  data: Example[],
  epochs: number,
  embeddingLr: number,
  seed: number,
  label: string,
  quiet?: boolean,
  onEpoch?: (e: number) => void,
) {
  for (let e = 1; e <= epochs; e++) {
    const bar = progressBar(`${label} ${e}/${epochs}`, 1, quiet);
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
    onEpoch?.(e);
  }
}

function fineTune(w: MultitaskWeights, own: Example[], task: string, epochs: number, seed: number, onEpoch?: (e: number) => void) {
  for (let e = 1; e <= epochs; e++) {
    train(w, own, { epochs: 1, lr: EXPERT_LR, batch: 32, seed: seed * 7 + e, heads: [task] });
    onEpoch?.(e);
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
  const maxEpochs = opts.epochs ?? 3;
  const log = (s: string) => {
    if (!opts.quiet) console.error(`chimera: ${s}`);
  };
  const started = performance.now();
  // train on exactly the rows the check read (and hashed), not on a second read
  const checked = await checkTrainingData(dataDir, opts);
  const rowsByTask = Object.fromEntries(checked.train.map((f) => [f.task, f.rows])) as Record<TaskName, Row[]>;
  const { all, trainPart, holdout } = loadTrainSplits(rowsByTask, seed);
  log(`${all.length} training examples over ${TASK_NAMES.length} tasks; ${trainPart.length} of them train while epochs are chosen`);
  const shape = { vocab: DEMO_TOKENIZER.buckets, ...DEMO_SHAPE, tasks: Object.fromEntries(TASK_NAMES.map((t) => [t, 2])) };
  const meanHoldout = (w: MultitaskWeights) => TASK_NAMES.reduce((s, t) => s + accuracy(w, holdout[t]!), 0) / TASK_NAMES.length;

  // 1. choose the embedding learning rate and the epochs on the holdout: a later epoch
  //    must beat the best so far by 0.2 points, since extra epochs overfit the small
  //    tasks (cr, cola) first
  let best = { embeddingLr: 0, epochs: 0, acc: -1, w: initWeights(seed, shape) };
  for (const embeddingLr of EMBEDDING_LRS) {
    const probe = initWeights(seed, shape);
    let own = { epochs: 0, acc: -1, w: probe };
    trainEpochs(probe, trainPart, maxEpochs, embeddingLr, seed, `choose (embedding lr ${embeddingLr})`, opts.quiet, (e) => {
      const acc = meanHoldout(probe);
      log(`embedding lr ${embeddingLr}, epoch ${e}: mean holdout accuracy ${(100 * acc).toFixed(2)}%`);
      if (acc > own.acc + 0.002) own = { epochs: e, acc, w: cloneWeights(probe) };
    });
    if (own.acc > best.acc) best = { embeddingLr, ...own };
  }
  const expertEpochs: Record<string, number> = {};
  for (const task of TASK_NAMES) {
    const w = cloneWeights(best.w);
    let choice = { epochs: 0, acc: accuracy(w, holdout[task]!) };
    fineTune(
      w,
      trainPart.filter((e) => e.task === task),
      task,
      MAX_EXPERT_EPOCHS,
      seed,
      (e) => {
        const acc = accuracy(w, holdout[task]!);
        if (acc > choice.acc) choice = { epochs: e, acc };
      },
    );
    expertEpochs[task] = Math.max(1, choice.epochs);
  }
  log(`chose embedding lr ${best.embeddingLr}, ${best.epochs} multitask epoch(s); expert epochs ${JSON.stringify(expertEpochs)}`);

  // 2. train again on the whole train split with those counts
  const multitask = initWeights(seed, shape);
  trainEpochs(multitask, all, best.epochs, best.embeddingLr, seed, 'multitask', opts.quiet);
  const recipe = {
    version: `senteval-seed${seed}`,
    trainer: 'chimera train-demo',
    seed,
    epochs: best.epochs,
    lr: LR,
    embeddingLr: best.embeddingLr,
    tokenizer: DEMO_TOKENIZER,
    shape: DEMO_SHAPE,
    data: checked.train.map((f) => f.record),
    overlap: {
      eval: checked.dev.map((f) => f.record),
      threshold: checked.report.threshold,
      ...checked.report.totals,
      allowed: !!opts.allowOverlap,
    },
  };
  const description = 'Hashed n-gram embedding bag + shared ReLU layer with six SentEval heads (cr, cola, mpqa, mr, sst2, subj).';
  mkdirSync(out, { recursive: true });
  writePackageDir(
    join(out, 'multitask'),
    await sentevalPackage('senteval-multitask', multitask, { int8: false, tokenizer: DEMO_TOKENIZER, description, recipe }),
  );
  writePackageDir(
    join(out, 'multitask-int8'),
    await sentevalPackage('senteval-multitask', multitask, { int8: true, tokenizer: DEMO_TOKENIZER, description, recipe }),
  );

  // experts: the multitask model fine-tuned on one task each (the shared layers and that
  // task's head move; the other heads stay as they were)
  const bar = progressBar('experts', TASK_NAMES.length, opts.quiet);
  for (const [i, task] of TASK_NAMES.entries()) {
    const expert = cloneWeights(multitask);
    fineTune(
      expert,
      all.filter((e) => e.task === task),
      task,
      expertEpochs[task]!,
      seed,
    );
    writePackageDir(
      join(out, 'experts', task),
      await sentevalPackage(`senteval-expert-${task}`, expert, {
        int8: false,
        tokenizer: DEMO_TOKENIZER,
        description: `The SentEval multitask model fine-tuned on ${task}.`,
        recipe: { ...recipe, expertOf: task, expertEpochs: expertEpochs[task] },
      }),
    );
    bar.update(i + 1);
  }
  bar.stop();
  const report = {
    seed,
    seconds: (performance.now() - started) / 1000,
    embeddingLr: best.embeddingLr,
    multitaskEpochs: best.epochs,
    holdoutAccuracy: best.acc,
    expertEpochs,
  };
  writeFileSync(join(out, 'training.json'), `${JSON.stringify(report, null, 2)}\n`);
  log(`trained in ${report.seconds.toFixed(0)} s; packages in ${out}/`);
  return report;
}
