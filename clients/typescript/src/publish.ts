// Publishing a model package: open an upload with the manifest, PUT each file's bytes to
// its upload_url, commit. Progress is reported per file, and per chunk for streamed files;
// a streamed file that fails is opened again and resent (a stream cannot be replayed).
import type { Client } from 'openapi-fetch';
import { ChimeraError, errorOf } from './errors.ts';
import { defaultSleep, type RetryOptions, retryDelay } from './retry.ts';
import type { components, paths } from './schema.ts';

export type Manifest = components['schemas']['Manifest'];
export type CommittedVersion = components['schemas']['CommittedVersion'];

/** A file's bytes, or a function that opens them as a stream (called again for a retry). */
export type FileSource =
  | Uint8Array
  | ArrayBuffer
  | Blob
  | string
  | (() => ReadableStream<Uint8Array> | Promise<ReadableStream<Uint8Array>>);

export interface PackageSource {
  manifest: Manifest;
  /** by the paths the manifest names */
  files: Record<string, FileSource>;
}

export interface PublishProgress {
  phase: 'upload' | 'commit' | 'done';
  /** the file being sent (upload phase) */
  file?: string;
  fileBytes?: number;
  fileSent?: number;
  /** false once a file's bytes turned out to be stored already */
  stored?: boolean;
  totalBytes: number;
  totalSent: number;
}

export interface PublishOptions {
  /** point this alias at the version once it is committed */
  alias?: string;
  onProgress?: (progress: PublishProgress) => void;
  signal?: AbortSignal;
}

export interface PublishContext {
  /** the client with retries */
  api: Client<paths>;
  /** the same client without them: streamed bodies retry here, from a fresh stream */
  once: Client<paths>;
  retry: RetryOptions | false | undefined;
}

const raise = async (r: { error?: unknown; response: Response }) => {
  if (r.error !== undefined || !r.response.ok) throw await errorOf(r.response, r.error);
};

export async function publish(
  ctx: PublishContext,
  model: string,
  pkg: PackageSource,
  options: PublishOptions = {},
): Promise<CommittedVersion> {
  const { signal, onProgress } = options;
  const opened = await ctx.api.POST('/v1/models/{model}/versions', {
    params: { path: { model } },
    body: { manifest: pkg.manifest, ...(options.alias ? { alias: options.alias } : {}) },
    signal,
  });
  await raise(opened);
  const upload = opened.data!;
  const totalBytes = upload.files.reduce((s, f) => s + f.bytes, 0);
  let totalSent = 0;

  for (const file of upload.files) {
    const source = pkg.files[file.path];
    if (source === undefined) throw new Error(`the package has no bytes for ${file.path}, which its manifest names`);
    const report = (fileSent: number, stored?: boolean) =>
      onProgress?.({
        phase: 'upload',
        file: file.path,
        fileBytes: file.bytes,
        fileSent,
        totalBytes,
        totalSent: totalSent + fileSent,
        stored,
      });
    report(0);
    const stored = await putFile(ctx, upload.upload_id, file.path, source, (sent) => report(sent), signal);
    report(file.bytes, stored);
    totalSent += file.bytes;
  }

  onProgress?.({ phase: 'commit', totalBytes, totalSent });
  const committed = await ctx.api.POST('/v1/uploads/{upload}/commit', { params: { path: { upload: upload.upload_id } }, signal });
  await raise(committed);
  onProgress?.({ phase: 'done', totalBytes, totalSent });
  return committed.data!;
}

async function putFile(
  ctx: PublishContext,
  upload: string,
  path: string,
  source: FileSource,
  onBytes: (sent: number) => void,
  signal?: AbortSignal,
): Promise<boolean> {
  const request = (body: unknown, client: Client<paths>): Promise<{ data?: { stored: boolean }; error?: unknown; response: Response }> =>
    client.PUT('/v1/uploads/{upload}/files/{path}', {
      params: { path: { upload, path } },
      body,
      bodySerializer: (b: unknown) => b,
      headers: { 'content-type': 'application/octet-stream' },
      signal,
      // a stream as the body: Node's fetch needs to be told it streams one way
      ...(typeof source === 'function' ? { duplex: 'half' } : {}),
    } as never);

  if (typeof source !== 'function') {
    const done = await request(source, ctx.api); // bytes can be sent again as they are: the client retries
    await raise(done);
    return done.data!.stored;
  }
  const retries = ctx.retry === false ? 0 : (ctx.retry?.retries ?? 3);
  for (let attempt = 1; ; attempt++) {
    let sent = 0;
    const counted = (await source()).pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          sent += chunk.length;
          onBytes(sent);
          controller.enqueue(chunk);
        },
      }),
    );
    let failure: unknown;
    try {
      const done = await request(counted, ctx.once);
      if (done.response.ok && done.data) return done.data.stored;
      const error = await errorOf(done.response, done.error);
      if (![429, 503].includes(error.status)) throw error;
      failure = error;
    } catch (e) {
      if (e instanceof ChimeraError && ![429, 503].includes(e.status)) throw e;
      failure = e;
    }
    if (attempt > retries || signal?.aborted) throw failure;
    const retryAfter = failure instanceof ChimeraError ? failure.retryAfter : undefined;
    await (ctx.retry ? (ctx.retry.sleep ?? defaultSleep) : defaultSleep)(retryDelay(attempt, retryAfter, ctx.retry || {}), signal);
  }
}
