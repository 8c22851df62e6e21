// The lines of an OpenAI batch: each input line is a request ({custom_id, method, url,
// body}) to /v1/embeddings, read in the queue (jobs/batch-input.ts) into Chimera's chunks;
// each answer line is OpenAI's ({id, custom_id, response: {status_code, request_id,
// body}, error}), written by the chunk job, so the output file is served as it is stored.
import { ModelError } from '../../../models/errors.ts';
import { infer, type LoadedModel } from '../../../models/runtime.ts';
import { MAX_EMBEDDING_INPUTS } from '../../../schemas/api/openai.ts';
import { ApiError } from '../../../schemas/api/problems.ts';
import type { Task } from '../../../schemas/manifest.ts';
import type { ChunkInput } from '../batches/storage.ts';
import { base64Floats, checkDimensions, embeddingTexts, shorten } from './embeddings.ts';
import { parseOpenAiModel } from './models.ts';

const ENDPOINT = '/v1/embeddings';
const requestId = (batchId: string, line: number) => `${batchId}/${line}`;
const lineId = (batchId: string, line: number) => `batch_req_${batchId.replaceAll('-', '')}_${line}`;

/** An error line in OpenAI's shape: a request refused (4xx), or a line that is none. */
export const openAiErrorLine =
  (batchId: string) =>
  (line: number, customId: string | null, message: string, status = 400) =>
    JSON.stringify({
      id: lineId(batchId, line),
      custom_id: customId,
      response: {
        status_code: status,
        request_id: requestId(batchId, line),
        body: {
          error: {
            message: `line ${line}: ${message}`,
            type: status >= 500 ? 'server_error' : 'invalid_request_error',
            param: null,
            code: null,
          },
        },
      },
      error: null,
    });

/** One input line, checked: the chunk item, or why it is refused. */
export function readOpenAiLine(
  line: number,
  parsed: unknown,
  model: string,
  maxChars: number,
): ChunkInput | { error: string; customId?: unknown } {
  const o = parsed as { custom_id?: unknown; method?: unknown; url?: unknown; body?: Record<string, unknown> } | null;
  if (typeof o !== 'object' || o === null) return { error: 'not an object' };
  const customId = o.custom_id;
  if (typeof customId !== 'string' || !customId) return { error: '"custom_id" must be a non-empty string', customId };
  if (o.method !== 'POST') return { error: '"method" must be "POST"', customId };
  if (o.url !== ENDPOINT) return { error: `"url" must be "${ENDPOINT}" (the batch's endpoint)`, customId };
  const body = o.body;
  if (typeof body !== 'object' || body === null) return { error: '"body" must be an embeddings request', customId };
  try {
    if (typeof body.model !== 'string' || parseOpenAiModel(body.model, 'body.model').model !== model)
      return { error: `"body.model" must name the batch's model, "${model}" (a batch runs one model)`, customId };
    const input = body.input as Parameters<typeof embeddingTexts>[0];
    if (
      !(typeof input === 'string' || Array.isArray(input)) ||
      (Array.isArray(input) && (input.length === 0 || input.length > MAX_EMBEDDING_INPUTS))
    )
      return { error: `"body.input" must be a text or 1 to ${MAX_EMBEDDING_INPUTS} texts`, customId };
    const texts = embeddingTexts(input, maxChars, 'body.input');
    const format = body.encoding_format ?? 'float';
    if (format !== 'float' && format !== 'base64') return { error: '"body.encoding_format" must be "float" or "base64"', customId };
    const dims = body.dimensions;
    if (dims !== undefined && !(Number.isInteger(dims) && (dims as number) > 0))
      return { error: '"body.dimensions" must be a positive integer', customId };
    return {
      line,
      custom_id: customId,
      input: '',
      openai: { texts, encoding_format: format, ...(dims !== undefined ? { dimensions: dims as number } : {}) },
    };
  } catch (e) {
    if (e instanceof ApiError) return { error: e.message, customId };
    throw e;
  }
}

export interface ChunkAnswers {
  results: string[];
  errors: string[];
  tokens: number;
  texts: number;
}

/** Runs a chunk's lines, packed into runs of up to `group` texts; a run that fails is
 * retried line by line, so one bad line fails alone. */
export async function runOpenAiChunk(
  batchId: string,
  model: LoadedModel,
  items: ChunkInput[],
  task: string,
  modelName: string,
  group: number,
): Promise<ChunkAnswers> {
  const out: ChunkAnswers = { results: [], errors: [], tokens: 0, texts: 0 };
  const spec: Task = model.manifest.tasks[task]!;
  const error = openAiErrorLine(batchId);
  const answer = (item: ChunkInput, vectors: number[][], tokens: number) => {
    const o = item.openai!;
    const dims = checkDimensions(spec, vectors[0]?.length ?? 0, o.dimensions, modelName);
    const data = vectors.map((v, index) => {
      const values = shorten(v, dims, spec.normalize ?? false);
      return { object: 'embedding', index, embedding: o.encoding_format === 'base64' ? base64Floats(values) : values };
    });
    const body = { object: 'list', data, model: modelName, usage: { prompt_tokens: tokens, total_tokens: tokens } };
    return JSON.stringify({
      id: lineId(batchId, item.line),
      custom_id: item.custom_id,
      response: { status_code: 200, request_id: requestId(batchId, item.line), body },
      error: null,
    });
  };
  const run = async (part: ChunkInput[]) => {
    const texts = part.flatMap((p) => p.openai!.texts);
    const vectors: number[][] = [];
    const tokens: number[] = [];
    for (let i = 0; i < texts.length; i += group) {
      const r = await infer(model, texts.slice(i, i + group), [task]);
      for (const [k, row] of r.results.entries()) {
        vectors.push((row[task] as { values: number[] }).values);
        tokens.push(r.tokens?.[k] ?? 0);
      }
    }
    let at = 0;
    const lines = part.map((p) => {
      const n = p.openai!.texts.length;
      const used = tokens.slice(at, at + n).reduce((a, b) => a + b, 0);
      const line = answer(p, vectors.slice(at, at + n), used);
      at += n;
      return { line, used, n };
    });
    return lines;
  };
  const settle = async (part: ChunkInput[]) => {
    try {
      for (const { line, used, n } of await run(part)) {
        out.results.push(line);
        out.tokens += used;
        out.texts += n;
      }
    } catch (e) {
      if (part.length > 1) for (const p of part) await settle([p]);
      else if (e instanceof ModelError || e instanceof ApiError) out.errors.push(error(part[0]!.line, part[0]!.custom_id, e.message));
      else throw e;
    }
  };
  // consecutive lines up to `group` texts a run, in input order
  for (let i = 0; i < items.length; ) {
    let n = 0;
    let j = i;
    while (j < items.length && (j === i || n + items[j]!.openai!.texts.length <= group)) n += items[j++]!.openai!.texts.length;
    await settle(items.slice(i, j));
    i = j;
  }
  return out;
}
