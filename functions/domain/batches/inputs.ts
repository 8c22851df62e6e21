// A batch's inputs, read in one pass whatever their source (inline in the request, or a
// file read in the queue): valid ones into chunk objects in R2, malformed ones into the
// batch's error lines. Only one chunk is held at a time.
import { codePoints } from '../../../schemas/api/common.ts';
import { batchKeys, CHUNK_SIZE, type ChunkInput } from './storage.ts';

// a high surrogate not followed by a low one, or a low one not preceded by a high one
// (a JSONL line may carry one as a \uD800 escape; request bodies are checked in http/)
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export interface InputCounts {
  total: number;
  invalid: number;
  chunks: number;
}

export class BatchInputWriter {
  private chunk: ChunkInput[] = [];
  /** texts in the chunk: an OpenAI line may hold many, and a chunk is one queue job */
  private weight = 0;
  private readonly invalidLines: string[] = [];
  private chunks = 0;
  private total = 0;
  private readonly bucket: R2Bucket;
  private readonly batchId: string;
  private readonly maxChars: number;
  private readonly errorLine: (line: number, customId: string | null, error: string) => string;

  /** `errorLine`: how a refused line is written (OpenAI batches write their own shape) */
  constructor(
    bucket: R2Bucket,
    batchId: string,
    maxChars: number,
    errorLine = (line: number, custom_id: string | null, error: string) => JSON.stringify({ line, custom_id, error }),
  ) {
    this.bucket = bucket;
    this.batchId = batchId;
    this.maxChars = maxChars;
    this.errorLine = errorLine;
  }

  /** A line that is not an input at all (not JSON, too long). */
  reject(line: number, error: string, customId: unknown = null): void {
    this.invalidLines.push(this.errorLine(line, typeof customId === 'string' ? customId : null, error));
  }

  /** An input already checked (an OpenAI line, domain/openai/batch-lines.ts). */
  async add(item: ChunkInput): Promise<void> {
    this.chunk.push(item);
    this.total++;
    this.weight += item.openai?.texts.length ?? 1;
    if (this.chunk.length === CHUNK_SIZE || this.weight >= CHUNK_SIZE) await this.flush();
  }

  /** One item: a text, or {custom_id?, input}. */
  async accept(line: number, item: unknown): Promise<void> {
    const o = typeof item === 'string' ? { input: item } : (item as { custom_id?: unknown; input?: unknown });
    const problem =
      typeof o !== 'object' || o === null
        ? 'not an object'
        : typeof o.input !== 'string'
          ? '"input" must be a string'
          : codePoints(o.input) > this.maxChars
            ? `"input" is longer than ${this.maxChars} characters`
            : LONE_SURROGATE.test(o.input)
              ? '"input" holds a lone surrogate: text must be well-formed Unicode'
              : o.custom_id !== undefined && typeof o.custom_id !== 'string'
                ? '"custom_id" must be a string'
                : undefined;
    if (problem) return this.reject(line, problem, (o as { custom_id?: unknown } | null)?.custom_id);
    await this.add({ line, custom_id: (o.custom_id as string | undefined) ?? String(line), input: o.input as string });
  }

  private async flush(): Promise<void> {
    if (!this.chunk.length) return;
    await this.bucket.put(batchKeys.input(this.batchId, this.chunks++), JSON.stringify(this.chunk));
    this.chunk = [];
    this.weight = 0;
  }

  /** Writes the last chunk and the error lines; what was read. */
  async finish(): Promise<InputCounts> {
    await this.flush();
    if (this.invalidLines.length) await this.bucket.put(batchKeys.parseErrors(this.batchId), `${this.invalidLines.join('\n')}\n`);
    return { total: this.total, invalid: this.invalidLines.length, chunks: this.chunks };
  }
}
