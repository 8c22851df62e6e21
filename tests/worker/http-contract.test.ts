// The HTTP behaviours the OpenAPI document promises beyond shapes: 405 with Allow, 415,
// UTF-8 and well-formed Unicode, text limits in code points, 413 on chunked bodies that
// arrive after the limit, CORS, and the document itself as served.
import { SELF } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import committed from '../../clients/typescript/openapi.json';
import { call, expectProblem, type Seeded, seed } from './helpers.ts';

let s: Seeded;
beforeAll(async () => {
  s = await seed();
});

const post = (path: string, body: BodyInit, headers: Record<string, string> = {}) =>
  SELF.fetch(`http://chimera.test${path}`, {
    method: 'POST',
    body,
    headers: { authorization: `Bearer ${s.key}`, 'content-type': 'application/json', ...headers },
  });
const infer = (body: unknown) => call('/v1/models/fixture-multitask/infer', { key: s.key, body });

describe('methods', () => {
  it('answers a known path under another method 405 with Allow', async () => {
    const res = await call('/v1/models/fixture-multitask/infer', { key: s.key, method: 'PUT' });
    expect(res.headers.get('allow')).toBe('GET, HEAD, OPTIONS, POST');
    await expectProblem(res, 405, /takes GET, HEAD, OPTIONS, POST, not PUT/);
    const del = await call('/v1/batches', { key: s.key, method: 'DELETE' });
    expect(del.headers.get('allow')).toBe('GET, HEAD, OPTIONS, POST');
    await expectProblem(del, 405, /not DELETE/);
  });
  it('lists OPTIONS only where CORS answers it', async () => {
    const res = await call('/healthz', { method: 'DELETE' });
    expect(res.headers.get('allow')).toBe('GET, HEAD');
    await expectProblem(res, 405, /takes GET, HEAD, not DELETE/);
  });
  it('still answers an unknown path 404', async () => {
    await expectProblem(await call('/v1/nothing/here', { method: 'PATCH' }), 404, /no route for PATCH/);
  });
  it('answers a CORS preflight on API paths for the origin that asks (the request itself is checked: publishable-keys.test.ts)', async () => {
    const res = await SELF.fetch('http://chimera.test/v1/models/x/infer', {
      method: 'OPTIONS',
      headers: {
        origin: 'https://app.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(res.headers.get('access-control-allow-headers')).toContain('authorization');
  });
});

describe('bodies', () => {
  it('refuses a JSON body under another content-type with 415', async () => {
    await expectProblem(
      await post('/v1/models/fixture-multitask/infer', '{"inputs":["x"]}', { 'content-type': 'text/plain' }),
      415,
      /application\/json/,
    );
  });
  it('refuses bytes that are not UTF-8 with 400, naming the problem', async () => {
    const bytes = new Uint8Array([...new TextEncoder().encode('{"inputs":["'), 0xff, 0xfe, ...new TextEncoder().encode('"]}')]);
    const body = await expectProblem(await post('/v1/models/fixture-multitask/infer', bytes), 400, /not well-formed UTF-8/);
    expect(body.type).toBe('https://chimera.dev/problems/bad-encoding');
  });
  it('refuses a lone surrogate with 400 naming the field', async () => {
    const res = await post('/v1/models/fixture-multitask/infer', '{"inputs":["ok","bad \\ud800 here"]}');
    await expectProblem(res, 400, /inputs\.1 holds a lone surrogate/);
    // a pair escaped the same way is a well-formed emoji
    expect((await post('/v1/models/fixture-multitask/infer', '{"inputs":["\\ud83d\\ude00"]}')).status).toBe(200);
  });
  it('counts MAX_TEXT_CHARS in code points: 4000 emoji pass, 4001 do not', async () => {
    expect((await infer({ inputs: ['😀'.repeat(4000)] })).status).toBe(200);
    await expectProblem(await infer({ inputs: ['😀'.repeat(4001)] }), 422, /inputs\[0\] has 4001 characters; at most 4000/);
  });
  it('answers a chunked body over the limit 413, after reading it', async () => {
    const chunk = new TextEncoder().encode(`"${'x'.repeat(65_534)}",`);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent === 0) controller.enqueue(new TextEncoder().encode('{"inputs":['));
        if (sent >= 5 << 20) return controller.close();
        controller.enqueue(chunk);
        sent += chunk.length;
      },
    });
    await expectProblem(await post('/v1/models/fixture-multitask/infer', body), 413, /over 1048576 bytes/);
    expect(sent).toBeGreaterThanOrEqual(5 << 20); // the whole body was drained, not cut off
  });
});

describe('the document as served', () => {
  it('is the one the SDK was generated from (clients/typescript/openapi.json)', async () => {
    const res = await call('/openapi.json');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(await res.json()).toEqual(committed);
  });
  it('serves /docs with its script from this origin', async () => {
    const page = await (await call('/docs')).text();
    expect(page).toContain('src="/docs/scalar.js"');
    expect(page).not.toMatch(/https?:\/\/(?!127\.0\.0\.1)[^"' ]*\.(js|css|woff2?)/);
    const script = await call('/docs/scalar.js');
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/javascript/);
    expect((await script.text()).length).toBeGreaterThan(1_000_000);
  });
});
