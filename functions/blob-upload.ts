// Streams one file of an upload into R2 under its sha256, through a multipart upload
// whose parts are written as the bytes arrive. The hash is computed on the way and the
// upload is completed only if it and the size match the manifest: a bad or interrupted
// upload is aborted and leaves nothing behind.
import { blobKey } from '../models/store.ts';
import { ApiError } from './problem.ts';

const PART_BYTES = 8 << 20; // R2: every part but the last the same size, at least 5 MiB

const hex = (buf: ArrayBuffer) => Array.from(new Uint8Array(buf), (b) => b.toString(16).padStart(2, '0')).join('');

export async function streamToBlob(bucket: R2Bucket, body: ReadableStream<Uint8Array>, expected: { path: string; sha256: string; bytes: number }): Promise<{ stored: boolean }> {
  const key = blobKey(expected.sha256);
  if (await bucket.head(key)) {
    await body.cancel(); // content-addressed: these bytes are stored (and were verified) already
    return { stored: false };
  }
  const upload = await bucket.createMultipartUpload(key);
  const digest = new (crypto as unknown as { DigestStream: typeof DigestStream }).DigestStream('SHA-256');
  const hashing = digest.getWriter();
  const parts: R2UploadedPart[] = [];
  let buffer = new Uint8Array(PART_BYTES);
  let filled = 0, total = 0;
  const flush = async () => {
    parts.push(await upload.uploadPart(parts.length + 1, buffer.slice(0, filled)));
    filled = 0;
  };
  try {
    const reader = body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > expected.bytes) throw new ApiError(422, 'upload-size', `${expected.path} is longer than the ${expected.bytes} bytes its manifest declares`);
      await hashing.write(value);
      let offset = 0;
      while (offset < value.length) {
        const n = Math.min(PART_BYTES - filled, value.length - offset);
        buffer.set(value.subarray(offset, offset + n), filled);
        filled += n;
        offset += n;
        if (filled === PART_BYTES) await flush();
      }
    }
    if (filled > 0 || parts.length === 0) await flush();
    await hashing.close();
    const actual = hex(await digest.digest);
    if (total !== expected.bytes) throw new ApiError(422, 'upload-size', `${expected.path} is ${total} bytes; its manifest declares ${expected.bytes}`);
    if (actual !== expected.sha256) throw new ApiError(422, 'upload-hash', `${expected.path} has sha256 ${actual}; its manifest declares ${expected.sha256}`);
    await upload.complete(parts);
    return { stored: true };
  } catch (e) {
    await upload.abort().catch(() => {});
    throw e;
  } finally {
    buffer = new Uint8Array(0);
  }
}
