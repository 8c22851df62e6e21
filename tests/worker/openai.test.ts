// The OpenAI-compatible surface (issue 16) driven by the official `openai` npm SDK against
// the Worker in workerd: embeddings (float and the SDK's default base64, `dimensions`),
// models, files (multipart upload) and batches (create, poll, output and error files in
// OpenAI's line format, list, cancel), and errors the SDK turns into its own typed ones.
import { env, SELF } from 'cloudflare:test';
import OpenAI, { toFile } from 'openai';
import { beforeAll, describe, expect, it } from 'vitest';
import { issueKey } from '../../functions/domain/keys.ts';
import { ensureTenant } from '../../functions/domain/tenants.ts';
import { publishPackage } from '../../functions/domain/versions.ts';
import { fixturePackage } from '../../models/multitask/fixture.ts';
import type { ModelPackage } from '../../models/package.ts';
import { call, db, eventually, receivedHooks, receiver, type Seeded, seed } from './helpers.ts';

let s: Seeded;
let client: OpenAI;
let key: string;
let embedPkg: ModelPackage;
const BASE = 'http://chimera.test/openai/v1';
const sdk = (apiKey: string, headers: Record<string, string> = {}) =>
  new OpenAI({ apiKey, baseURL: BASE, fetch: (url, init) => SELF.fetch(url, init), maxRetries: 0, defaultHeaders: headers });

beforeAll(async () => {
  s = await seed();
  key = (await issueKey(db(), s.tenantId, ['infer', 'batches'])).key;
  client = sdk(key);
  // the fixture graph with the demo model's embedding task (its encoder output, 64 wide),
  // trained, as it were, to be cut to 32 or 16. fp32: an int8 graph quantizes activations
  // over the whole run, so a text's vector moves (~1e-3) with the texts it runs beside, and
  // here the answers are compared with /infer's exactly
  embedPkg = await fixturePackage({ name: 'fixture-embed', seed: 21, int8: false, embedding: { matryoshka: [32, 16] } });
  await publishPackage(db(), env.MODELS, embedPkg, { owner: s.tenantId, model: 'fixture-embed', alias: 'prod' });
  await publishPackage(db(), env.MODELS, embedPkg, { owner: s.tenantId, model: 'fixture-embed', alias: 'canary' });
});

const norm = (v: number[]) => Math.hypot(...v);
/** The vector POST /v1/models/{model}/infer gives for task "embedding": the reference. */
async function inferred(text: string): Promise<number[]> {
  const res = await call('/v1/models/fixture-embed/infer', { key, body: { inputs: [text], tasks: ['embedding'] } });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { results: { embedding: { values: number[] } }[] };
  return body.results[0]!.embedding.values;
}
const close = (a: number[], b: number[], tol = 1e-6) => {
  expect(a.length).toBe(b.length);
  for (const [i, x] of a.entries()) expect(Math.abs(x - b[i]!)).toBeLessThan(tol);
};

describe('embeddings through the openai SDK', () => {
  it("answers a list of texts with the model's embedding task, in order (the SDK asks for base64)", async () => {
    const texts = ['a gripping , beautifully shot film', 'the plot is a mess'];
    const out = await client.embeddings.create({ model: 'fixture-embed', input: texts });
    expect(out.object).toBe('list');
    expect(out.model).toBe('fixture-embed');
    expect(out.data.map((d) => d.index)).toEqual([0, 1]);
    for (const [i, d] of out.data.entries()) {
      expect(d.embedding).toHaveLength(64);
      expect(norm(d.embedding)).toBeCloseTo(1, 5);
      close(d.embedding, await inferred(texts[i]!)); // float32 on the wire
    }
    expect(out.data[0]!.embedding).not.toEqual(out.data[1]!.embedding);
    expect(out.usage.prompt_tokens).toBeGreaterThan(0);
    expect(out.usage.total_tokens).toBe(out.usage.prompt_tokens);
  });

  it('is metered like inference: operation "embeddings", its texts and tokens', async () => {
    // a tenant of its own, so that no other test's usage arrives meanwhile
    const tenant = await ensureTenant(db(), 'metered');
    await publishPackage(db(), env.MODELS, embedPkg, { owner: tenant, model: 'fixture-embed', alias: 'prod' });
    const reader = (await issueKey(db(), tenant, ['usage:read'])).key;
    const out = await sdk((await issueKey(db(), tenant, ['infer'])).key).embeddings.create({
      model: 'fixture-embed',
      input: ['one text', 'and another one', 'three'],
    });
    type Row = { key: string; requests: number; items: number; input_tokens: number };
    const row = await eventually(async () =>
      ((await (await call('/v1/usage?group_by=operation', { key: reader })).json()) as { rows: Row[] }).rows.find(
        (r) => r.key === 'embeddings',
      ),
    );
    expect(row).toMatchObject({ requests: 1, items: 3, input_tokens: out.usage.prompt_tokens });
    expect(out.usage.prompt_tokens).toBeGreaterThan(3);
  });

  it('sends floats when asked, and a single string is one input', async () => {
    const out = await client.embeddings.create({ model: 'fixture-embed@canary', input: 'it is a film', encoding_format: 'float' });
    expect(out.data).toHaveLength(1);
    expect(out.model).toBe('fixture-embed@canary');
    close(out.data[0]!.embedding, await inferred('it is a film'), 1e-12);
  });

  it('cuts to a trained length and renormalises; refuses other lengths', async () => {
    const full = await inferred('a fine film');
    const cut = await client.embeddings.create({ model: 'fixture-embed', input: 'a fine film', dimensions: 16, encoding_format: 'float' });
    const v = cut.data[0]!.embedding;
    expect(v).toHaveLength(16);
    expect(norm(v)).toBeCloseTo(1, 10);
    const head = full.slice(0, 16);
    close(
      v,
      head.map((x) => x / norm(head)),
      1e-9,
    );
    const err = await client.embeddings.create({ model: 'fixture-embed', input: 'a', dimensions: 20 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect((err as InstanceType<typeof OpenAI.BadRequestError>).param).toBe('dimensions');
    expect((err as Error).message).toMatch(/64, 32, 16 values, not 20/);
  });

  it('raises the SDK errors: no such model, no embedding task, bad key, empty input', async () => {
    const fail = (p: Promise<unknown>) => p.then(() => undefined).catch((e: unknown) => e as InstanceType<typeof OpenAI.APIError>);
    const missing = await fail(client.embeddings.create({ model: 'no-such-model', input: 'a' }));
    expect(missing).toBeInstanceOf(OpenAI.NotFoundError);
    expect(missing!.error).toMatchObject({ type: 'not_found_error', code: 'model_not_found' });
    const classifier = await fail(client.embeddings.create({ model: 'fixture-multitask', input: 'a' }));
    expect(classifier).toBeInstanceOf(OpenAI.NotFoundError);
    expect(classifier!.message).toMatch(/no embedding task/);
    expect(await fail(sdk('chm_nope').embeddings.create({ model: 'fixture-embed', input: 'a' }))).toBeInstanceOf(
      OpenAI.AuthenticationError,
    );
    const empty = await fail(client.embeddings.create({ model: 'fixture-embed', input: ['a', ''] }));
    expect(empty).toBeInstanceOf(OpenAI.BadRequestError);
    expect(empty!.param).toBe('input.1');
    // the body is OpenAI's error object, not problem+json
    const raw = await call('/openai/v1/embeddings', { key, body: { model: 'fixture-embed' } });
    expect(raw.status).toBe(400);
    expect(raw.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await raw.json()).toMatchObject({ error: { type: 'invalid_request_error', param: 'input', code: 'validation' } });
  });
});

describe('models through the openai SDK', () => {
  it('lists the models the key can call, aliases as model@alias, and retrieves one', async () => {
    const ids: string[] = [];
    for await (const m of client.models.list()) ids.push(m.id);
    expect(ids).toEqual(expect.arrayContaining(['fixture-embed', 'fixture-embed@canary', 'fixture-multitask', 'fixture-fp32']));
    const one = await client.models.retrieve('fixture-embed@canary');
    expect(one).toMatchObject({ id: 'fixture-embed@canary', object: 'model', owned_by: s.tenantId });
    expect(await client.models.retrieve('nothing-here').catch((e: unknown) => e)).toBeInstanceOf(OpenAI.NotFoundError);
  });

  it("never lists another tenant's models", async () => {
    const ids: string[] = [];
    for await (const m of sdk(s.otherKey).models.list()) ids.push(m.id);
    expect(ids).toContain('fixture-multitask');
    expect(ids).not.toContain('fixture-embed');
  });
});

type Line = {
  id: string;
  custom_id: string;
  response: { status_code: number; request_id: string; body: Record<string, unknown> } | null;
  error: unknown;
};
const request = (custom_id: string, body: Record<string, unknown>, url = '/v1/embeddings') =>
  JSON.stringify({ custom_id, method: 'POST', url, body: { model: 'fixture-embed', ...body } });
const parse = (text: string) =>
  text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Line);

describe('files and batches through the openai SDK', () => {
  it('uploads a file, runs it as a batch, and serves output and error files in OpenAI line format', async () => {
    const lines = [
      request('one', { input: 'a gripping , beautifully shot film' }),
      request('many', { input: ['the plot is a mess', 'it is a film', 'fine'], encoding_format: 'float' }),
      request('short', { input: 'a fine film', dimensions: 16, encoding_format: 'float' }),
      request('wrong-url', { input: 'a' }, '/v1/chat/completions'),
      '{not json',
      ...Array.from({ length: 40 }, (_, i) => request(`n-${i}`, { input: `sentence ${i}` })),
    ];
    const file = await client.files.create({ file: await toFile(new Blob([`${lines.join('\n')}\n`]), 'requests.jsonl'), purpose: 'batch' });
    expect(file).toMatchObject({ object: 'file', purpose: 'batch', filename: 'requests.jsonl', status: 'processed' });
    expect(file.id).toMatch(/^file-/);
    expect(file.bytes).toBe(new TextEncoder().encode(`${lines.join('\n')}\n`).length);
    expect((await client.files.retrieve(file.id)).bytes).toBe(file.bytes);
    expect(await (await client.files.content(file.id)).text()).toBe(`${lines.join('\n')}\n`);

    const created = await client.batches.create({
      input_file_id: file.id,
      endpoint: '/v1/embeddings',
      completion_window: '24h',
      metadata: { job: 'nightly' },
    });
    expect(created).toMatchObject({ object: 'batch', endpoint: '/v1/embeddings', input_file_id: file.id, completion_window: '24h' });
    expect(['validating', 'in_progress']).toContain(created.status);
    const done = await eventually(async () => {
      const b = await client.batches.retrieve(created.id);
      return b.status === 'completed' ? b : undefined;
    }, 60_000);
    expect(done.request_counts).toEqual({ total: 45, completed: 43, failed: 2 });
    expect(done.metadata).toEqual({ job: 'nightly' });
    expect(done.completed_at).toBeGreaterThanOrEqual(done.created_at);
    expect(done.output_file_id).toBeTruthy();
    expect(done.error_file_id).toBeTruthy();

    const out = parse(await (await client.files.content(done.output_file_id!)).text());
    expect(out.map((l) => l.custom_id)).toEqual(['one', 'many', 'short', ...Array.from({ length: 40 }, (_, i) => `n-${i}`)]);
    for (const l of out) {
      expect(l.id).toMatch(/^batch_req_/);
      expect(l.error).toBeNull();
      expect(l.response).toMatchObject({ status_code: 200, body: { object: 'list', model: 'fixture-embed' } });
    }
    const byId = Object.fromEntries(
      out.map((l) => [l.custom_id, l.response!.body as { data: { embedding: unknown }[]; usage: { prompt_tokens: number } }]),
    );
    expect(byId.many!.data).toHaveLength(3);
    close(byId.many!.data[1]!.embedding as number[], await inferred('it is a film'), 1e-12);
    expect(byId.many!.usage.prompt_tokens).toBeGreaterThan(byId.one!.usage.prompt_tokens);
    // a line without encoding_format gets OpenAI's default, floats
    close(byId.one!.data[0]!.embedding as number[], await inferred('a gripping , beautifully shot film'), 1e-12);
    expect(byId.short!.data[0]!.embedding).toHaveLength(16);

    const errors = parse(await (await client.files.content(done.error_file_id!)).text());
    expect(errors.map((l) => l.custom_id).sort()).toEqual([null, 'wrong-url'].sort() as string[]);
    for (const l of errors) expect(l.response).toMatchObject({ status_code: 400, body: { error: { type: 'invalid_request_error' } } });
    expect(JSON.stringify(errors)).toMatch(/line 4: \\"url\\" must be \\"\/v1\/embeddings\\"/);

    const output = await client.files.retrieve(done.output_file_id!);
    expect(output).toMatchObject({ id: done.output_file_id, purpose: 'batch_output' });
    const listed = await client.batches.list({ limit: 10 });
    expect(listed.data.map((b) => b.id)).toContain(created.id);
    // Chimera's own batch API does not mix the two formats
    const own = (await (await call('/v1/batches', { key })).json()) as { batches: { id: string }[] };
    expect(own.batches.map((b) => `batch_${b.id}`)).not.toContain(created.id);
  });

  it("sends Chimera's signed batch webhooks where the create asks (an extension of OpenAI's body)", async () => {
    const file = await client.files.create({
      file: await toFile(new Blob([request('w', { input: 'a fine film' })]), 'w.jsonl'),
      purpose: 'batch',
    });
    const url = `${receiver}/hook?case=openai`;
    const params = { input_file_id: file.id, endpoint: '/v1/embeddings', completion_window: '24h', webhook: { url } };
    const batch = await client.batches.create(params as OpenAI.BatchCreateParams);
    const hook = await eventually(async () => (await receivedHooks()).find((r) => r.path === '/hook?case=openai'), 30_000);
    // the event is Chimera's batch event: the batch under its Chimera id (no batch_ prefix)
    expect(JSON.parse(hook.body)).toMatchObject({
      type: 'batch.completed',
      data: { batch: { id: batch.id.replace(/^batch_/, ''), status: 'completed' } },
    });
    expect(hook.headers['webhook-signature']).toMatch(/^v1,/);
  });

  it('cancels a batch, and lists and deletes files', async () => {
    const lines = Array.from({ length: 300 }, (_, i) => request(`c-${i}`, { input: `text ${i}` }));
    const file = await client.files.create({ file: await toFile(new Blob([lines.join('\n')]), 'cancel.jsonl'), purpose: 'batch' });
    const batch = await client.batches.create({ input_file_id: file.id, endpoint: '/v1/embeddings', completion_window: '24h' });
    const cancelled = await client.batches.cancel(batch.id);
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.cancelled_at).toBeGreaterThan(0);
    expect((await client.batches.retrieve(batch.id)).status).toBe('cancelled');

    // a page at a time (the SDK follows has_more with after=last_id): each file once, newest first
    const files: string[] = [];
    for await (const f of client.files.list({ limit: 1 })) files.push(f.id);
    expect(files[0]).toBe(file.id);
    expect(files.length).toBeGreaterThanOrEqual(2);
    expect(new Set(files).size).toBe(files.length);
    const batches: string[] = [];
    for await (const b of client.batches.list({ limit: 1 })) batches.push(b.id);
    expect(batches[0]).toBe(batch.id);
    expect(batches.length).toBeGreaterThanOrEqual(2);
    expect(new Set(batches).size).toBe(batches.length);
    expect(await client.files.delete(file.id)).toEqual({ id: file.id, object: 'file', deleted: true });
    expect(await client.files.retrieve(file.id).catch((e: unknown) => e)).toBeInstanceOf(OpenAI.NotFoundError);
  });

  it('refuses a purpose other than batch, an endpoint other than embeddings, and a file of another tenant', async () => {
    const blob = await toFile(new Blob([request('x', { input: 'a' })]), 'x.jsonl');
    const purpose = await client.files.create({ file: blob, purpose: 'fine-tune' }).catch((e: unknown) => e);
    expect(purpose).toBeInstanceOf(OpenAI.BadRequestError);
    expect((purpose as Error).message).toMatch(/purpose must be "batch"/);
    const file = await client.files.create({ file: await toFile(new Blob([request('x', { input: 'a' })]), 'x.jsonl'), purpose: 'batch' });
    const endpoint = await client.batches
      .create({ input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h' })
      .catch((e: unknown) => e);
    expect(endpoint).toBeInstanceOf(OpenAI.BadRequestError);
    const other = sdk((await issueKey(db(), s.tenantId, ['batches'])).key);
    expect((await other.files.retrieve(file.id)).id).toBe(file.id); // the same tenant, another key
    const stranger = sdk((await issueKey(db(), await ensureTenant(db(), 'globex'), ['batches'])).key);
    expect(await stranger.files.retrieve(file.id).catch((e: unknown) => e)).toBeInstanceOf(OpenAI.NotFoundError);
  });
});

describe('a publishable key on the OpenAI surface', () => {
  it('embeds with its models only, and reaches nothing else', async () => {
    const res = await call('/v1/publishable-keys', {
      key: (await issueKey(db(), s.tenantId, ['keys'])).key,
      body: { name: 'site', models: ['fixture-embed'], origins: ['https://shop.example'] },
    });
    expect(res.status).toBe(201);
    const pk = sdk(((await res.json()) as { key: string }).key);
    const ok = await pk.embeddings.create({ model: 'fixture-embed', input: 'a fine film' });
    expect(ok.data[0]!.embedding).toHaveLength(64);
    const denied = (p: Promise<unknown>) =>
      p.then(() => 'allowed').catch((e: unknown) => (e as { constructor: { name: string } }).constructor.name);
    expect(await denied(pk.embeddings.create({ model: 'fixture-multitask', input: 'a' }))).toBe('PermissionDeniedError');
    expect(await denied(pk.models.list())).toBe('PermissionDeniedError');
    expect(await denied(pk.models.retrieve('fixture-embed'))).toBe('PermissionDeniedError');
    expect(await denied(pk.files.list())).toBe('PermissionDeniedError');
    expect(await denied(pk.files.create({ file: await toFile(new Blob(['{}']), 'x.jsonl'), purpose: 'batch' }))).toBe(
      'PermissionDeniedError',
    );
    expect(await denied(pk.batches.list())).toBe('PermissionDeniedError');
    expect(await denied(pk.batches.create({ input_file_id: 'file-x', endpoint: '/v1/embeddings', completion_window: '24h' }))).toBe(
      'PermissionDeniedError',
    );
  });
});

describe('the OpenAI surface document', () => {
  it('lists every operation of /openai/v1, with errors in OpenAI shape, apart from /openapi.json', async () => {
    const doc = (await (await call('/openai/openapi.json')).json()) as {
      paths: Record<
        string,
        Record<string, { operationId: string; responses: Record<string, { content?: Record<string, { schema: unknown }> }> }>
      >;
    };
    const ops = Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`));
    expect(ops.sort()).toEqual(
      [
        'POST /openai/v1/embeddings',
        'GET /openai/v1/models',
        'GET /openai/v1/models/{model}',
        'POST /openai/v1/files',
        'GET /openai/v1/files',
        'GET /openai/v1/files/{file_id}',
        'GET /openai/v1/files/{file_id}/content',
        'DELETE /openai/v1/files/{file_id}',
        'POST /openai/v1/batches',
        'GET /openai/v1/batches',
        'GET /openai/v1/batches/{batch_id}',
        'POST /openai/v1/batches/{batch_id}/cancel',
      ].sort(),
    );
    expect(doc.paths['/openai/v1/embeddings']!.post!.responses['400']!.content!['application/json']!.schema).toEqual({
      $ref: '#/components/schemas/OpenAiError',
    });
    // only OpenAPI's operation fields (Redocly's struct rule: the route's middleware once leaked in)
    const FIELDS = new Set([
      'tags',
      'summary',
      'description',
      'operationId',
      'parameters',
      'requestBody',
      'responses',
      'security',
      'deprecated',
    ]);
    for (const methods of Object.values(doc.paths))
      for (const op of Object.values(methods)) expect(Object.keys(op).filter((k) => !FIELDS.has(k))).toEqual([]);
    const main = (await (await call('/openapi.json')).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(main.paths).filter((p) => p.startsWith('/openai'))).toEqual([]);
  });
});

describe('the OpenAI surface against malformed requests', () => {
  /** the status and OpenAI error of a raw call; never a problem+json, never a 5xx */
  const raw = async (path: string, init: Parameters<typeof call>[1] = {}) => {
    const res = await call(path, { key, ...init });
    const body = (await res.json()) as { error?: { type: string; code: string; message: string; param: string | null } };
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    return { status: res.status, ...body.error! };
  };

  it('answers bad uploads 400 and keeps nothing of them', async () => {
    const multipart = (body: string) => ({ raw: body, headers: { 'content-type': 'multipart/form-data; boundary=XX' } });
    expect(await raw('/openai/v1/files', multipart('no boundary here at all'))).toMatchObject({ status: 400, code: 'bad_request' });
    expect(
      await raw('/openai/v1/files', multipart('--XX\r\ncontent-disposition: form-data; name="file"; filename="a"\r\n\r\nab')),
    ).toMatchObject({
      status: 400,
      message: expect.stringMatching(/ends inside a part/),
    });
    const noPurpose = '--XX\r\ncontent-disposition: form-data; name="file"; filename="a.jsonl"\r\n\r\n{"a":1}\r\n--XX--\r\n';
    expect(await raw('/openai/v1/files', multipart(noPurpose))).toMatchObject({ status: 400, param: 'purpose' });
    expect(await raw('/openai/v1/files', { raw: '{}', headers: { 'content-type': 'application/json' } })).toMatchObject({ status: 400 });
    const files: string[] = [];
    for await (const f of client.files.list()) files.push(f.filename);
    expect(files).not.toContain('a.jsonl');
  });

  it('answers bad embeddings requests 400, and runs more texts than one run takes', async () => {
    expect(await raw('/openai/v1/embeddings', { body: { model: 'fixture-embed', input: [[1, 2, 3]] } })).toMatchObject({
      status: 400,
      message: expect.stringMatching(/token arrays are not taken/),
    });
    expect(await raw('/openai/v1/embeddings', { body: { model: 'fixture-embed', input: Array(2049).fill('a') } })).toMatchObject({
      status: 400,
      param: 'input',
    });
    expect(await raw('/openai/v1/embeddings', { body: { model: 'Not A Model!', input: 'a' } })).toMatchObject({
      status: 400,
      param: 'model',
    });
    expect(await raw('/openai/v1/embeddings', { body: { model: 'fixture-embed', input: 'a', encoding_format: 'hex' } })).toMatchObject({
      status: 400,
      param: 'encoding_format',
    });
    // 150 texts: three runs of at most MAX_INPUTS (64), answered in order
    const texts = Array.from({ length: 150 }, (_, i) => `text number ${i}`);
    const out = await client.embeddings.create({ model: 'fixture-embed', input: texts, encoding_format: 'float' });
    expect(out.data.map((d) => d.index)).toEqual(texts.map((_, i) => i));
    close(out.data[149]!.embedding, await inferred('text number 149'), 1e-12);
  });

  it('answers missing things 404, other methods 405, in its own shape', async () => {
    expect(await raw('/openai/v1/batches/batch_nope')).toMatchObject({ status: 404, type: 'not_found_error', code: 'batch_not_found' });
    expect(await raw('/openai/v1/files/file-nope/content')).toMatchObject({ status: 404, code: 'file_not_found' });
    expect(await raw('/openai/v1/files/file-output-nope')).toMatchObject({ status: 404, code: 'file_not_found' });
    expect(await raw('/openai/v1/chat/completions', { body: {} })).toMatchObject({ status: 404, code: 'not_found' });
    expect(await raw('/openai/v1/embeddings', { method: 'GET' })).toMatchObject({ status: 405, code: 'method_not_allowed' });
    expect(
      await raw('/openai/v1/batches', { body: { input_file_id: 'file-nope', endpoint: '/v1/embeddings', completion_window: '24h' } }),
    ).toMatchObject({
      status: 404,
      code: 'file_not_found',
    });
  });

  it('refuses a batch whose first line names no model, and answers a line naming another model in the error file', async () => {
    const bad = await client.files.create({ file: await toFile(new Blob(['not json\n']), 'bad.jsonl'), purpose: 'batch' });
    expect(
      await raw('/openai/v1/batches', { body: { input_file_id: bad.id, endpoint: '/v1/embeddings', completion_window: '24h' } }),
    ).toMatchObject({
      status: 400,
      param: 'input_file_id',
    });
    const mixed = [
      request('a', { input: 'one' }),
      JSON.stringify({ custom_id: 'b', method: 'POST', url: '/v1/embeddings', body: { model: 'fixture-multitask', input: 'x' } }),
    ];
    const file = await client.files.create({ file: await toFile(new Blob([mixed.join('\n')]), 'mixed.jsonl'), purpose: 'batch' });
    const batch = await client.batches.create({ input_file_id: file.id, endpoint: '/v1/embeddings', completion_window: '24h' });
    const done = await eventually(async () => {
      const b = await client.batches.retrieve(batch.id);
      return b.status === 'completed' ? b : undefined;
    }, 30_000);
    expect(done.request_counts).toEqual({ total: 2, completed: 1, failed: 1 });
    const [line] = parse(await (await client.files.content(done.error_file_id!)).text());
    expect(line).toMatchObject({ custom_id: 'b', response: { status_code: 400 } });
    expect(JSON.stringify(line)).toMatch(/must name the batch's model/);
  });
});
