// `chimera merge`: streams a merge of package folders (or bare .onnx files) to a new
// package, tensor by tensor; task heads are carried from the expert trained for them.
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { sha256Hex } from '../../models/hash.ts';
import { assembledTasks, carriedHeads, headTasks } from '../../models/merge/heads.ts';
import type { MergeParams } from '../../models/merge/methods.ts';
import { adaMergingRecipe, inheritedRecipe } from '../../models/merge/recipe.ts';
import { type MergeInput, mergeStreaming } from '../../models/merge/stream.ts';
import { parseUnlabelled, tokenizeUnlabelled } from '../../models/merge/unlabelled.ts';
import { Manifest } from '../../schemas/manifest.ts';
import {
  describeRange,
  inRange,
  MERGE_PARAMETERS,
  METHODS,
  type MergeMethod,
  methodSpec,
  needsUnlabelled,
  type ParameterName,
  parameterDefaults,
} from '../../schemas/merge-methods.ts';
import { fileReader, hashFile, hashingWriter } from '../files.ts';
import { progressBar } from '../progress.ts';

interface Input extends MergeInput {
  path: string;
  manifest?: Manifest;
  graphSha: string;
}

async function openInput(path: string): Promise<Input> {
  const isPackage = existsSync(join(path, 'manifest.json'));
  const manifest = isPackage ? Manifest.parse(JSON.parse(readFileSync(join(path, 'manifest.json'), 'utf8'))) : undefined;
  const dir = isPackage ? path : dirname(path);
  const graphPath = manifest ? join(path, manifest.files.find((f) => f.role === 'graph')!.path) : path;
  for (const f of manifest?.files ?? []) {
    const actual = await hashFile(join(dir, f.path)); // streamed: a package is never held whole
    if (actual.sha256 !== f.sha256 || actual.bytes !== f.bytes) throw new Error(`${join(dir, f.path)} does not match its manifest`);
  }
  const readers = new Map<string, ReturnType<typeof fileReader>>();
  return {
    path,
    manifest,
    graphSha: (await hashFile(graphPath)).sha256,
    graph: fileReader(graphPath),
    external: (location) => readers.get(location) ?? readers.set(location, fileReader(join(dir, location))).get(location)!,
  };
}

export interface MergeArgs {
  method?: string;
  base?: string;
  expert?: string[];
  weight?: string[];
  density?: string;
  gamma?: string;
  lambda?: string;
  seed?: string;
  /** "true" or "false" (default: the method's) */
  normalize?: string | boolean;
  /** AdaMerging: "true" or "false" (default true) */
  layerwise?: string | boolean;
  init?: string;
  budget?: string;
  /** AdaMerging: a JSONL file of {"input": text, "task"?: head} lines */
  unlabelled?: string;
  /** head initializers (names or prefixes) of fine-tunes that each have their own head */
  head?: string[];
  quantize?: boolean;
  out?: string;
  model?: string;
  /** merge tensors in row blocks of about this many elements (bounded memory) */
  chunk?: string;
}

/** `chimera merge`'s help, from the method table: each method with the options it takes
 * (and their defaults), then every option's range. */
export const MERGE_USAGE = [
  '  merge --method M [--base PKG] --expert PKG [--expert PKG ...] [options] [--quantize] [--chunk ELEMENTS] [--head NAME ...] --out PATH',
  '    single-task experts with tasks of their own names keep each head as its task (--head names the head initializers)',
  '      merge experts of one base into a package (heads carried from the expert trained for each); per method:',
  ...METHODS.map((m) => {
    const defaults = parameterDefaults(m);
    const options = methodSpec(m).takes.map((p) => (p === 'weight' ? '[--weight W ...]' : `--${p} ${defaults[p]}`));
    const extra = [methodSpec(m).needsBase ? '--base PKG' : '', needsUnlabelled(m) ? '--unlabelled FILE.jsonl' : ''].filter(Boolean);
    return `        ${m.padEnd(17)}${[...extra, ...options].join(' ')}`;
  }),
  ...(Object.keys(MERGE_PARAMETERS) as ParameterName[]).map(
    (p) => `      --${p.padEnd(10)} ${describeRange(p)}: ${MERGE_PARAMETERS[p].description}`,
  ),
  '      --unlabelled  lines {"input": text, "task"?: head}: the texts adamerging learns its weights on',
].join('\n');

/** Parses an option against the table's range; undefined when not given. */
function parameterValue(p: ParameterName, raw: string | boolean | undefined): number | boolean | undefined {
  if (raw === undefined) return undefined;
  const spec = MERGE_PARAMETERS[p];
  if (spec.kind === 'boolean') {
    if (raw === true || raw === 'true') return true;
    if (raw === false || raw === 'false') return false;
    throw new Error(`--${p} must be true or false, not "${raw}"`);
  }
  const v = Number(raw);
  const ok = raw !== '' && inRange(p, v);
  if (!ok) throw new Error(`--${p} must be ${describeRange(p)}, not "${raw}"`);
  return v;
}

/** The merge parameters of the options, refusing an option the method does not take. */
export function mergeParams(method: MergeMethod, a: MergeArgs, experts: number): MergeParams {
  const spec = methodSpec(method);
  if (spec.needsBase && !a.base) throw new Error(`--base PKG is required by ${method}`);
  if (a.weight && a.weight.length !== experts) throw new Error(`${a.weight.length} --weight for ${experts} --expert`);
  const given: Record<ParameterName, string | boolean | undefined> = {
    weight: a.weight?.[0],
    lambda: a.lambda,
    density: a.density,
    gamma: a.gamma,
    seed: a.seed,
    normalize: a.normalize,
    layerwise: a.layerwise,
    init: a.init,
    budget: a.budget,
  };
  for (const [p, raw] of Object.entries(given))
    if (raw !== undefined && !spec.takes.includes(p as ParameterName))
      throw new Error(`${method} does not take --${p} (it takes ${spec.takes.map((t) => `--${t}`).join(', ')})`);
  const value = <T>(p: ParameterName) => parameterValue(p, given[p]) as T | undefined;
  return {
    weights: a.weight?.map((w) => parameterValue('weight', w) as number),
    lambda: value<number>('lambda'),
    density: value<number>('density'),
    gamma: value<number>('gamma'),
    seed: value<number>('seed'),
    normalize: value<boolean>('normalize'),
    layerwise: value<boolean>('layerwise'),
    init: value<number>('init'),
    budget: value<number>('budget'),
  };
}

export async function mergeCommand(a: MergeArgs, quiet = false) {
  if (!a.method || !(METHODS as readonly string[]).includes(a.method)) throw new Error(`--method must be one of ${METHODS.join(', ')}`);
  const method = a.method as MergeMethod;
  if (!a.expert?.length) throw new Error('give at least one --expert');
  if (!a.out) throw new Error('--out PATH is required');
  const params = mergeParams(method, a, a.expert.length);
  const base = a.base ? await openInput(a.base) : undefined;
  const experts = await Promise.all(a.expert.map(openInput));

  const carried = carriedHeads(
    (base ?? experts[0]!).manifest,
    experts.map((e) => e.manifest),
  );
  const tasks = headTasks(experts.map((e) => e.manifest));
  if (needsUnlabelled(method) && !a.unlabelled) throw new Error(`${method} learns its weights on unlabelled texts: give --unlabelled FILE`);
  if (!needsUnlabelled(method) && a.unlabelled) throw new Error(`${method} takes no --unlabelled`);
  const unlabelled = a.unlabelled ? readFileSync(a.unlabelled) : undefined;
  const texts = unlabelled && tokenizeUnlabelled(base?.manifest, parseUnlabelled(unlabelled.toString('utf8').split('\n')));

  const asPackage = !a.out.endsWith('.onnx');
  const graphOut = asPackage ? join(a.out, 'model.onnx') : a.out;
  const dataLocation = `${basename(graphOut)}.data`;
  mkdirSync(dirname(graphOut), { recursive: true });
  const sink = hashingWriter(join(dirname(graphOut), dataLocation));
  const bar = progressBar(`merge ${method}`, 1, quiet);
  let peakRss = process.memoryUsage().rss;
  const started = performance.now();
  const result = await mergeStreaming({
    method,
    params,
    base,
    experts,
    carried,
    quantize: a.quantize,
    dataLocation,
    sink,
    chunkElements: a.chunk ? Number(a.chunk) : undefined,
    unlabelled: texts,
    heads: tasks && { tasks, names: a.head },
    onTensor: (done, total, name) => {
      bar.update(done / total, { extra: name });
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    },
  });
  bar.stop();
  const seconds = (performance.now() - started) / 1000;
  const data = sink.finish();
  writeFileSync(graphOut, result.graph);

  const ref = (base ?? experts[0]!).manifest;
  const refPath = join((base ?? experts[0]!).path, 'manifest.json');
  if (asPackage && ref) {
    const int8 = a.quantize || ref.quantization === 'int8';
    const tokenizer = ref.files.find((f) => f.role === 'tokenizer');
    if (tokenizer) copyFileSync(join(dirname(refPath), tokenizer.path), join(a.out, tokenizer.path));
    const manifest: Manifest = Manifest.parse({
      ...ref,
      ...(result.tasks && {
        tasks: assembledTasks(
          experts.map((e) => e.manifest!),
          result.tasks,
        ),
      }),
      name: a.model ?? `${ref.name}-${method.replace(/_/g, '-')}`,
      version: `${method}-${new Date().toISOString().slice(0, 10)}`,
      quantization: int8 ? 'int8' : 'none',
      files: [
        { role: 'graph', path: 'model.onnx', ...(await hashFile(graphOut)) },
        { role: 'external-data', path: dataLocation, sha256: data.sha256, bytes: data.bytes },
        ...(tokenizer ? [tokenizer] : []),
      ],
      recipe: {
        method,
        parameters: params,
        quantize: !!a.quantize,
        base: base && { name: base.manifest?.name, version: base.manifest?.version, sha256: base.graphSha },
        experts: experts.map((e) => ({ name: e.manifest?.name, version: e.manifest?.version, sha256: e.graphSha })),
        carriedHeads: Object.keys(carried),
        ...(result.adamerging && {
          adamerging: adaMergingRecipe(result.adamerging, { path: a.unlabelled, sha256: await sha256Hex(unlabelled!) }),
        }),
        ...inheritedRecipe([base?.manifest, ...experts.map((e) => e.manifest)]),
      },
    });
    writeFileSync(join(a.out, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  }
  const stats = {
    tensors: result.tensors,
    elements: result.elements,
    seconds,
    elementsPerSecond: result.elements / seconds,
    peakRssBytes: peakRss,
    largestTensorBytes: result.largestTensorBytes,
    dataBytes: data.bytes,
  };
  if (!quiet)
    console.log(
      `merged ${experts.length} experts with ${method} into ${a.out}: ${stats.elements.toLocaleString()} weights in ${seconds.toFixed(2)} s, peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MiB`,
    );
  return stats;
}
