// Streaming writes to R2 through multipart uploads whose parts go out as the bytes
// arrive, hashed on the way. A blob is completed under its sha256 only when hash and
// size match what was declared: a bad or interrupted upload is aborted and leaves
// nothing behind. Bytes already stored are received and checked all the same: the
// caller proves it holds them, and its answer looks the same either way.
import { hex } from '../../models/hash.ts';
import { blobKey } from '../../models/store.ts';
import { ApiError } from '../../schemas/api/problems.ts';

const PART_BYTES = 8 << 20; // R2: every part but the last the same size, at least 5 MiB

/** sha256 and length of bytes fed chunk by chunk. */
class Sha256Count {
  private readonly digest = new (crypto as unknown as { DigestStream: typeof DigestStream }).DigestStream('SHA-256');
  private readonly hashing = this.digest.getWriter();
  bytes = 0;

  async write(chunk: Uint8Array): Promise<void> {
    this.bytes += chunk.length;
    await this.hashing.write(chunk);
  }

  async finish(): Promise<{ sha256: string; bytes: number }> {
    await this.hashing.close();
    return { sha256: hex(await this.digest.digest), bytes: this.bytes };
  }
}

/** A multipart upload fed chunk by chunk, hashing what it writes. */
export class HashedMultipart {
  private readonly upload: R2MultipartUpload;
  private readonly hash = new Sha256Count();
  private readonly parts: R2UploadedPart[] = [];
  private buffer = new Uint8Array(PART_BYTES);
  private filled = 0;
  bytes = 0;

  constructor(upload: R2MultipartUpload) {
    this.upload = upload;
  }

  async write(chunk: Uint8Array): Promise<void> {
    this.bytes += chunk.length;
    await this.hash.write(chunk);
    for (let offset = 0; offset < chunk.length; ) {
      const n = Math.min(PART_BYTES - this.filled, chunk.length - offset);
      this.buffer.set(chunk.subarray(offset, offset + n), this.filled);
      this.filled += n;
      offset += n;
      if (this.filled === PART_BYTES) await this.flush();
    }
  }

  private async flush(): Promise<void> {
    this.parts.push(await this.upload.uploadPart(this.parts.length + 1, this.buffer.slice(0, this.filled)));
    this.filled = 0;
  }

  /** Sends the last part and returns the hash; `complete` or `abort` decides the rest. */
  async finish(): Promise<{ sha256: string; bytes: number }> {
    if (this.filled > 0 || this.parts.length === 0) await this.flush();
    this.buffer = new Uint8Array(0);
    return this.hash.finish();
  }

  complete(): Promise<R2Object> {
    return this.upload.complete(this.parts);
  }
  abort(): Promise<void> {
    return this.upload.abort().catch(() => {});
  }
}

/** Streams a body into the blob its manifest entry names, checking size and sha256 on
 * the way (ApiError upload-size or upload-hash on a mismatch). When the blob is stored
 * already the bytes are only checked, not written again. */
export async function streamToBlob(
  bucket: R2Bucket,
  body: ReadableStream<Uint8Array>,
  expected: { path: string; sha256: string; bytes: number },
): Promise<void> {
  const key = blobKey(expected.sha256);
  const stored = await bucket.head(key);
  const out = stored ? new Sha256Count() : new HashedMultipart(await bucket.createMultipartUpload(key));
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (out.bytes + value.length > expected.bytes)
        throw new ApiError('upload-size', `${expected.path} is longer than the ${expected.bytes} bytes its manifest declares`);
      await out.write(value);
    }
    const actual = await out.finish();
    if (actual.bytes !== expected.bytes)
      throw new ApiError('upload-size', `${expected.path} is ${actual.bytes} bytes; its manifest declares ${expected.bytes}`);
    if (actual.sha256 !== expected.sha256)
      throw new ApiError('upload-hash', `${expected.path} has sha256 ${actual.sha256}; its manifest declares ${expected.sha256}`);
    if (out instanceof HashedMultipart) await out.complete();
  } catch (e) {
    await reader.cancel().catch(() => {});
    if (out instanceof HashedMultipart) await out.abort();
    throw e;
  }
}
