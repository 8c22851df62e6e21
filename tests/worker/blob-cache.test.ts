// Model bytes through the location's Cache API: once an isolate has read a blob from R2,
// another isolate in the location reads it from the cache (here: after R2 lost it), and
// what the cache gives is still checked against the manifest's sha256.
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { cachedBlobs } from '../../functions/infra/blob-cache.ts';
import { sha256Hex } from '../../models/hash.ts';
import { blobKey, readVerified } from '../../models/store.ts';

describe('blobs through the Cache API', () => {
  it('serves a blob read once from the cache, without R2', async () => {
    const bytes = crypto.getRandomValues(new Uint8Array(4096));
    const sha256 = await sha256Hex(bytes);
    await env.MODELS.put(blobKey(sha256), bytes);
    const file = { role: 'graph' as const, path: 'model.onnx', sha256, bytes: bytes.length };
    const pending: Promise<unknown>[] = [];
    expect(
      await readVerified(
        cachedBlobs(env.MODELS, (p) => pending.push(p)),
        file,
      ),
    ).toEqual(bytes);
    await Promise.all(pending);
    await env.MODELS.delete(blobKey(sha256));
    expect(await readVerified(cachedBlobs(env.MODELS), file)).toEqual(bytes);
  });
  it('still refuses bytes that do not match their hash', async () => {
    const bytes = new TextEncoder().encode('not what the manifest says');
    const sha256 = await sha256Hex(new TextEncoder().encode('something else'));
    await env.MODELS.put(blobKey(sha256), bytes);
    const file = { role: 'graph' as const, path: 'model.onnx', sha256, bytes: bytes.length };
    await expect(readVerified(cachedBlobs(env.MODELS), file)).rejects.toThrow(/has sha256/);
  });
});

describe('what the Cache API is given', () => {
  it('never holds bytes that did not match their hash, so a cache hit needs no second check', async () => {
    const bytes = new TextEncoder().encode('bytes that lie about their hash');
    const sha256 = await sha256Hex(new TextEncoder().encode('the hash they claim'));
    await env.MODELS.put(blobKey(sha256), bytes);
    const file = { role: 'graph' as const, path: 'model.onnx', sha256, bytes: bytes.length };
    const pending: Promise<unknown>[] = [];
    await expect(
      readVerified(
        cachedBlobs(env.MODELS, (p) => pending.push(p)),
        file,
      ),
    ).rejects.toThrow(/has sha256/);
    await Promise.all(pending);
    await env.MODELS.delete(blobKey(sha256));
    // had the lying bytes been cached, this read would find them there
    await expect(readVerified(cachedBlobs(env.MODELS), file)).rejects.toThrow(/missing from storage/);
  });
});
