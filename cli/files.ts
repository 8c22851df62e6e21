// Files for streaming work: range reads, hashing while reading or writing.

import { createHash } from 'node:crypto';
import { closeSync, createReadStream, fstatSync, openSync, readSync, writeSync } from 'node:fs';
import type { RangeReader } from '../models/onnx/index.ts';

export function fileReader(path: string): RangeReader {
  const fd = openSync(path, 'r');
  return {
    size: fstatSync(fd).size,
    read: async (offset, length) => {
      const buf = new Uint8Array(length);
      let done = 0;
      while (done < length) {
        const n = readSync(fd, buf, done, length - done, offset + done);
        if (n === 0) throw new Error(`${path} ended at byte ${offset + done}, ${length - done} bytes short`);
        done += n;
      }
      return buf;
    },
  };
}

export async function hashFile(path: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(path)) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), bytes };
}

/** An append-only file that hashes what it writes. */
export function hashingWriter(path: string) {
  const fd = openSync(path, 'w');
  const hash = createHash('sha256');
  let bytes = 0;
  return {
    append: async (data: Uint8Array) => {
      writeSync(fd, data);
      hash.update(data);
      bytes += data.length;
    },
    finish: () => {
      closeSync(fd);
      return { sha256: hash.digest('hex'), bytes };
    },
  };
}
