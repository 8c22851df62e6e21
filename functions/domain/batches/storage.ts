// Where a batch keeps its bytes in R2: input chunks, result and error lines per chunk,
// the lines that did not parse, and uploaded input files.
import { concatObjects } from '../../infra/jsonl.ts';
import type { BatchRow } from './find.ts';

/** inputs per chunk: one queue message, one result object */
export const CHUNK_SIZE = 256;

export interface ChunkInput {
  line: number;
  custom_id: string;
  input: string;
  /** a line of an OpenAI batch: its texts and how to answer them ("input" is then unused) */
  openai?: { texts: string[]; encoding_format: 'float' | 'base64'; dimensions?: number };
}

export const batchKeys = {
  input: (id: string, n: number) => `batches/${id}/in/${n}.json`,
  output: (id: string, n: number) => `batches/${id}/out/${n}.jsonl`,
  errors: (id: string, n: number) => `batches/${id}/err/${n}.jsonl`,
  parseErrors: (id: string) => `batches/${id}/err/parse.jsonl`,
  file: (id: string) => `files/${id}.jsonl`,
};

const chunkKeys = (batch: BatchRow, key: (id: string, n: number) => string) =>
  Array.from({ length: batch.chunks }, (_, n) => key(batch.id, n));

/** Result lines in input order. */
export const resultLines = (bucket: R2Bucket, batch: BatchRow) => concatObjects(bucket, chunkKeys(batch, batchKeys.output));

/** Lines that did not parse, then inputs that failed. */
export const errorLines = (bucket: R2Bucket, batch: BatchRow) =>
  concatObjects(bucket, [batchKeys.parseErrors(batch.id), ...chunkKeys(batch, batchKeys.errors)]);
