// Makes tests/fixtures/senteval-v1: a small SentEval folder with version 1's leak put
// back. Version 1 was exactly version 2's train sets plus the rows version 2 removed,
// and those rows were dev sentences; this samples real v2 rows and inserts real dev
// sentences into train sets in the proportions the data README states. Run by hand:
//   node tools/make-senteval-v1-fixture.ts [../shared/data/senteval] [tests/fixtures/senteval-v1]
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Row, readSplit, TASK_NAMES, TASKS, type TaskName } from '../cli/senteval.ts';
import { normalizeText } from '../models/data/normalize.ts';
import { seededRandom } from '../models/random.ts';

const [dataDir = '../shared/data/senteval', outDir = 'tests/fixtures/senteval-v1'] = process.argv.slice(2);
const random = seededRandom(20261128);
const shuffled = <T>(xs: readonly T[]): T[] => {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
};

const train = Object.fromEntries(TASK_NAMES.map((t) => [t, readSplit(dataDir, t, 'train')])) as Record<TaskName, Row[]>;
const dev = Object.fromEntries(TASK_NAMES.map((t) => [t, readSplit(dataDir, t, 'dev')])) as Record<TaskName, Row[]>;
// how many dev sets each normalised sentence is in: single-set ones keep the counts plain
const devSets = new Map<string, number>();
for (const t of TASK_NAMES) for (const n of new Set(dev[t].map((r) => normalizeText(r.text)))) devSets.set(n, (devSets.get(n) ?? 0) + 1);
const onlyHere = (t: TaskName) => shuffled(dev[t].filter((r) => devSets.get(normalizeText(r.text)) === 1));

// The same sentence in MR's dev set and in SST2's with different punctuation: inserted in
// one tokenisation and tested in the other, as version 1's leak was (45% of MR dev raw,
// 66-67% with punctuation ignored).
const sst2ByText = new Map(dev.sst2.map((r) => [normalizeText(r.text), r]));
const variants = dev.mr.flatMap((mr) => {
  const sst2 = sst2ByText.get(normalizeText(mr.text));
  return sst2 && sst2.text !== mr.text ? [{ mr, sst2 }] : [];
});
if (variants.length < 6) throw new Error(`expected 6 MR/SST2 dev sentences that differ in punctuation, found ${variants.length}`);

const mrDev = onlyHere('mr'),
  sst2Dev = onlyHere('sst2'),
  mpqaDev = onlyHere('mpqa');
const take = <T>(xs: T[], n: number) => xs.splice(0, n);
const subjective = (r: Row): Row => ({ text: r.text, label: 0 }); // a review snippet, in SUBJ's labels

// SST2 train ← 9 MR dev sentences (3 in SST2's tokenisation), MR dev being 20 rows: 45%
const intoSst2 = [...variants.slice(3, 6).map((v) => v.sst2), ...take(mrDev, 6)];
// MR train ← 12 SST2 dev sentences (3 in MR's tokenisation), SST2 dev being 20 rows: 60%
const intoMr = [...variants.slice(0, 3).map((v) => v.mr), ...take(sst2Dev, 9)];
// SUBJ train ← 3 MR and 3 SST2 dev sentences as subjective
const mrIntoSubj = take(mrDev, 3),
  sst2IntoSubj = take(sst2Dev, 3);
const intoMpqa = take(mpqaDev, 7);

const fixtureDev: Record<TaskName, Row[]> = {
  mr: [...variants.slice(3, 6).map((v) => v.mr), ...intoSst2.slice(3), ...mrIntoSubj, ...take(mrDev, 8)],
  sst2: [...variants.slice(0, 3).map((v) => v.sst2), ...intoMr.slice(3), ...sst2IntoSubj, ...take(sst2Dev, 5)],
  subj: onlyHere('subj').slice(0, 20),
  mpqa: [...intoMpqa, ...take(mpqaDev, 13)],
  cr: onlyHere('cr').slice(0, 20),
  cola: onlyHere('cola').slice(0, 20),
};
// leaked rows in proportion to the README's removed counts: MR 1,720 of 8,529 (20%),
// SST2 1,398 of 6,920 (20%), SUBJ 1,052 of 8,000 (13%), MPQA 1,435 of 8,482 (17%);
// CR (2 of 3,016) and CoLA (12 of 8,551) round to none at this size
const fixtureTrain: Record<TaskName, Row[]> = {
  mr: [...shuffled(train.mr).slice(0, 48), ...intoMr],
  sst2: [...shuffled(train.sst2).slice(0, 36), ...intoSst2],
  subj: [...shuffled(train.subj).slice(0, 40), ...[...mrIntoSubj, ...sst2IntoSubj].map(subjective)],
  mpqa: [...shuffled(train.mpqa).slice(0, 33), ...intoMpqa],
  cr: shuffled(train.cr).slice(0, 30),
  cola: shuffled(train.cola).slice(0, 30),
};

const line = (t: TaskName, r: Row) => (TASKS[t].textFirst ? `${r.text}\t${r.label}` : `${r.label}\t${r.text}`);
const tsv = (t: TaskName, rows: Row[]) => `${rows.map((r) => line(t, r)).join('\n')}\n`;
for (const t of TASK_NAMES) {
  mkdirSync(join(outDir, TASKS[t].dir), { recursive: true });
  writeFileSync(join(outDir, TASKS[t].dir, 'train.tsv'), tsv(t, shuffled(fixtureTrain[t])));
  writeFileSync(join(outDir, TASKS[t].dir, 'dev.tsv'), tsv(t, shuffled(fixtureDev[t])));
  console.log(`${TASKS[t].dir}: train ${fixtureTrain[t].length}, dev ${fixtureDev[t].length}`);
}
