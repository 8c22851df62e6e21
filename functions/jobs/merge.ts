// The merge consumer: reads every input tensor by range from R2, merges one tensor at a
// time, and streams the result into a multipart upload. The version appears in the
// same D1 batch that marks the job succeeded, so a failed or retried attempt never
// leaves a half version; its staged bytes are aborted or deleted.
import { and, eq, inArray } from 'drizzle-orm';
import { sha256Hex } from '../../models/hash.ts';
import { assembledTasks, carriedHeads, headTasks } from '../../models/merge/heads.ts';
import { adaMergingRecipe, inheritedRecipe } from '../../models/merge/recipe.ts';
import { type MergeInput, mergeStreaming } from '../../models/merge/stream.ts';
import { parseUnlabelled, tokenizeUnlabelled } from '../../models/merge/unlabelled.ts';
import { blobKey } from '../../models/store.ts';
import type { CreateMerge } from '../../schemas/api/merges.ts';
import { files, merges, models, modelVersions, usageEvents } from '../../schemas/db/schema.ts';
import { Manifest } from '../../schemas/manifest.ts';
import { batchKeys } from '../domain/batches/storage.ts';
import { mergeView } from '../domain/merges.ts';
import { insertVersion } from '../domain/versions.ts';
import { emitEvent } from '../domain/webhooks/events.ts';
import { HashedMultipart, streamToBlob } from '../infra/blob-upload.ts';
import { dbOf } from '../infra/db.ts';
import { r2Reader } from '../infra/r2-range.ts';

const DATA = 'model.onnx.data';
// 1M floats (4 MiB) per block: six experts, base and result stay near 32 MiB of an
// isolate's 128 MB whatever the size of the model's tensors
const WORKER_CHUNK_ELEMENTS = 1 << 20;

function inputOf(bucket: R2Bucket, manifest: Manifest): MergeInput {
  const graph = manifest.files.find((f) => f.role === 'graph')!;
  return {
    graph: r2Reader(bucket, graph.sha256, graph.bytes),
    external: (location) => {
      const f = manifest.files.find((x) => x.path === location && x.role === 'external-data');
      if (!f) throw new Error(`${manifest.name}: external data "${location}" is not in its manifest`);
      return r2Reader(bucket, f.sha256, f.bytes);
    },
  };
}

/** AdaMerging's unlabelled texts: the tenant's file from POST /v1/files (read whole, so
 * capped), tokenized as the base model tokenizes. */
async function unlabelledTexts(env: Env, tenantId: string, fileId: string, base: Manifest) {
  const [file] = await dbOf(env.DB)
    .select()
    .from(files)
    .where(and(eq(files.id, fileId), eq(files.tenantId, tenantId)));
  const object = file && (await env.MODELS.get(batchKeys.file(file.id)));
  if (!object) throw new Error(`no file "${fileId}"`);
  if (object.size > 8 << 20) throw new Error(`the unlabelled texts file is ${object.size} bytes; at most ${8 << 20}`);
  return tokenizeUnlabelled(base, parseUnlabelled(new TextDecoder().decode(await object.arrayBuffer()).split('\n')));
}

/** Runs one attempt. Throws on failure; the caller decides between retry and failed. */
export async function runMerge(env: Env, id: string): Promise<void> {
  const db = dbOf(env.DB);
  const [job] = await db.select().from(merges).where(eq(merges.id, id));
  if (!job || job.status === 'succeeded' || job.status === 'failed') return; // redelivered after the end
  const started = Date.now();
  await db
    .update(merges)
    .set({ status: 'running', attempts: job.attempts + 1, progress: 0, updatedAt: started })
    .where(eq(merges.id, id));
  const req = job.request as CreateMerge;
  const [model] = await db
    .select()
    .from(models)
    .where(and(eq(models.owner, job.tenantId), eq(models.name, job.model)));
  if (!model) throw new Error(`model "${job.model}" is gone`);
  const numbers = [...(req.base ? [req.base] : []), ...req.experts.map((e) => e.version)];
  const rows = await db
    .select()
    .from(modelVersions)
    .where(and(eq(modelVersions.modelId, model.id), inArray(modelVersions.number, numbers)));
  const manifestOf = (n: number) => {
    const row = rows.find((r) => r.number === n);
    if (!row) throw new Error(`version ${n} of "${job.model}" is gone`);
    return { manifest: Manifest.parse(row.manifest), sha256: row.sha256 };
  };
  const base = req.base ? manifestOf(req.base) : undefined;
  const experts = req.experts.map((e) => manifestOf(e.version));
  const reference = (base ?? experts[0]!).manifest;

  // fine-tunes that each have their own head: one task per expert in the merged graph
  const headTasksOf = headTasks(experts.map((e) => e.manifest));
  const tokenizer = reference.files.find((f) => f.role === 'tokenizer');
  const staging = `staging/merges/${id}/${crypto.randomUUID()}`;
  const out = new HashedMultipart(await env.MODELS.createMultipartUpload(staging));
  let lastProgress = 0;
  try {
    const result = await mergeStreaming({
      method: req.method,
      params: { ...req.parameters, weights: req.experts.map((e) => e.weight ?? 1) },
      base: base && inputOf(env.MODELS, base.manifest),
      experts: experts.map((e) => inputOf(env.MODELS, e.manifest)),
      carried: carriedHeads(
        reference,
        experts.map((e) => e.manifest),
      ),
      quantize: req.quantize,
      dataLocation: DATA,
      sink: { append: (b) => out.write(b) },
      chunkElements: WORKER_CHUNK_ELEMENTS,
      unlabelled: req.unlabelled_file ? await unlabelledTexts(env, job.tenantId, req.unlabelled_file, reference) : undefined,
      heads: headTasksOf && { tasks: headTasksOf },
      onTensor: async (done, total) => {
        if (done / total - lastProgress < 0.1) return;
        lastProgress = done / total;
        await db
          .update(merges)
          .set({ progress: lastProgress * 0.9, updatedAt: Date.now() })
          .where(eq(merges.id, id));
      },
    });
    const data = await out.finish();
    await out.complete();
    const staged = await env.MODELS.get(staging);
    await streamToBlob(env.MODELS, staged!.body, { path: DATA, ...data }); // now under its own hash
    await env.MODELS.delete(staging);
    const graphSha = await sha256Hex(result.graph);
    if (!(await env.MODELS.head(blobKey(graphSha)))) await env.MODELS.put(blobKey(graphSha), result.graph);

    const manifest = Manifest.parse({
      ...reference,
      ...(result.tasks && {
        tasks: assembledTasks(
          experts.map((e) => e.manifest),
          result.tasks,
        ),
      }),
      name: job.model,
      version: `merge-${id.slice(0, 8)}`,
      quantization: req.quantize || reference.quantization === 'int8' ? 'int8' : 'none',
      files: [
        { role: 'graph', path: 'model.onnx', sha256: graphSha, bytes: result.graph.length },
        { role: 'external-data', path: DATA, ...data },
        ...(tokenizer ? [tokenizer] : []),
      ],
      recipe: {
        merge_id: id,
        method: req.method,
        parameters: req.parameters,
        quantize: req.quantize,
        base: req.base ? { version: req.base, sha256: base!.sha256 } : null,
        experts: req.experts.map((e, i) => ({ version: e.version, weight: e.weight ?? 1, sha256: experts[i]!.sha256 })),
        ...(result.adamerging && { adamerging: adaMergingRecipe(result.adamerging, { file: req.unlabelled_file }) }),
        ...inheritedRecipe([base?.manifest, ...experts.map((e) => e.manifest)]),
      },
    });
    await insertVersion(db, {
      owner: job.tenantId,
      model: job.model,
      manifest,
      alias: req.alias,
      actor: `merge:${id}`,
      origin: `merge:${id}`,
      alongside: (version) => [
        db.update(merges).set({ status: 'succeeded', progress: 1, version, error: null, updatedAt: Date.now() }).where(eq(merges.id, id)),
        db.insert(usageEvents).values({
          eventId: `merge:${id}`,
          requestId: id,
          tenantId: job.tenantId,
          operation: 'merge',
          model: job.model,
          version,
          items: result.elements,
          latencyMs: Date.now() - started,
          status: 200,
        }),
      ],
    });
    await mergeEnded(env, id);
  } catch (e) {
    await out.abort();
    await env.MODELS.delete(staging).catch(() => {});
    throw e;
  }
}

/** The webhook a merge sends when it succeeds or fails for good. */
export async function mergeEnded(env: Env, id: string): Promise<void> {
  const db = dbOf(env.DB);
  const [job] = await db.select().from(merges).where(eq(merges.id, id));
  if (!job) return;
  const target = (job.request as CreateMerge).webhook;
  await emitEvent(env, db, job.tenantId, target, job.status === 'succeeded' ? 'merge.completed' : 'merge.failed', {
    merge: mergeView(job),
  });
}
