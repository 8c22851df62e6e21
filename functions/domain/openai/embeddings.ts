// POST /openai/v1/embeddings: texts through a model's embedding task (its pooling and
// normalisation, docs/models.md), in OpenAI's wire format. Up to OpenAI's 2048 inputs a
// request, run MAX_INPUTS at a time (each part a run as POST /infer would make it) and
// charged to the tenant's item and token buckets like inference. `dimensions` cuts a
// vector only where the model was trained for it (the task's `matryoshka` lengths).
import { ModelError } from '../../../models/errors.ts';
import { infer } from '../../../models/runtime.ts';
import { codePoints } from '../../../schemas/api/common.ts';
import type { EmbeddingsRequest, EmbeddingsResponse } from '../../../schemas/api/openai.ts';
import { ApiError } from '../../../schemas/api/problems.ts';
import type { Task } from '../../../schemas/manifest.ts';
import { limits } from '../../infra/config.ts';
import type { Db } from '../../infra/db.ts';
import { getModel } from '../../infra/loaded-models.ts';
import { admitAndFind } from '../inference.ts';
import { requireModelAllowed } from '../origins.ts';
import { resolveVersion } from '../registry.ts';
import type { UsageDraft } from '../usage/record.ts';
import { embeddingTask, parseOpenAiModel } from './models.ts';

const invalid = (path: string, message: string) => new ApiError('validation', `${path}: ${message}`, { errors: [{ path, message }] });

/** The texts of `input`, checked as OpenAI would (no empty strings) and as Chimera does (length). */
export function embeddingTexts(input: EmbeddingsRequest['input'], maxChars: number, path = 'input'): string[] {
  const texts = typeof input === 'string' ? [input] : input;
  if (texts.some((t) => typeof t !== 'string'))
    throw invalid(
      path,
      "token arrays are not taken: send text (Chimera tokenizes with the model's own tokenizer; LangChain: check_embedding_ctx_length=False)",
    );
  const strings = texts as string[];
  const empty = strings.findIndex((t) => t.length === 0);
  if (empty >= 0) throw invalid(typeof input === 'string' ? path : `${path}.${empty}`, 'an input may not be an empty string');
  const long = strings.findIndex((t) => codePoints(t) > maxChars);
  if (long >= 0)
    throw new ApiError('text-too-long', `${path}[${long}] has ${codePoints(strings[long]!)} characters; at most ${maxChars}`, {
      errors: [{ path: typeof input === 'string' ? path : `${path}.${long}`, message: `longer than ${maxChars} characters` }],
    });
  return strings;
}

/** 400 unless the vector may be that long; the length to cut to (undefined: as it is). */
export function checkDimensions(spec: Task, full: number, dimensions: number | undefined, model: string): number | undefined {
  if (dimensions === undefined || dimensions === full) return undefined;
  if (spec.matryoshka?.includes(dimensions)) return dimensions;
  const allowed = [full, ...(spec.matryoshka ?? [])].sort((a, b) => b - a).join(', ');
  throw invalid('dimensions', `"${model}" gives vectors of ${allowed} values, not ${dimensions}`);
}

/** Cut to `dims` and scale to unit length again (a normalised embedding stays normalised). */
export function shorten(values: number[], dims: number | undefined, normalize: boolean): number[] {
  if (dims === undefined) return values;
  const cut = values.slice(0, dims);
  if (!normalize) return cut;
  const norm = Math.sqrt(cut.reduce((s, v) => s + v * v, 0)) || 1;
  return cut.map((v) => v / norm);
}

/** base64 of little-endian float32, as OpenAI sends `encoding_format: "base64"`. */
export function base64Floats(values: number[]): string {
  const bytes = new Uint8Array(Float32Array.from(values).buffer);
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

export async function createEmbeddings(
  env: Env,
  db: Db,
  caller: { tenantId: string; models?: string[] },
  req: EmbeddingsRequest,
  usage: UsageDraft,
  waitUntil: (p: Promise<unknown>) => void,
): Promise<EmbeddingsResponse> {
  const limit = limits(env);
  const texts = embeddingTexts(req.input, limit.maxTextChars);
  const ref = parseOpenAiModel(req.model);
  if (caller.models) requireModelAllowed(caller.models, ref.model, ref);
  Object.assign(usage, { model: ref.model, items: texts.length });
  const { chargeTokens, model: found } = await admitAndFind(env, db, caller.tenantId, ref.model, texts.length, ref);
  const version = await resolveVersion(db, found, ref, limit.cacheTtlMs);
  const task = embeddingTask(version.manifest, ref, version.number);
  Object.assign(usage, { version: version.number, tasks: [task] });
  const { model } = await getModel(env, version, waitUntil);
  const vectors: number[][] = [];
  let tokens = 0;
  for (let i = 0; i < texts.length; i += limit.maxInputs) {
    try {
      const out = await infer(model, texts.slice(i, i + limit.maxInputs), [task], { microBatch: limit.microBatch });
      tokens += out.inputTokens;
      usage.backend = out.backend;
      for (const r of out.results) vectors.push((r[task] as { values: number[] }).values);
    } catch (e) {
      if (e instanceof ModelError) throw new ApiError('bad-inputs', e.message);
      throw e;
    }
  }
  chargeTokens(tokens);
  usage.inputTokens = tokens;
  const spec = version.manifest.tasks[task]!;
  const dims = checkDimensions(spec, vectors[0]?.length ?? 0, req.dimensions, req.model);
  return {
    object: 'list',
    data: vectors.map((v, index) => {
      const values = shorten(v, dims, spec.normalize ?? false);
      return { object: 'embedding' as const, index, embedding: req.encoding_format === 'base64' ? base64Floats(values) : values };
    }),
    model: req.model,
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  };
}
