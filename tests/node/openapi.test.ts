// The OpenAPI document the Worker serves, built from the same app in Node: every
// operation names itself, states its security, and documents the errors of its kind.
import { describe, expect, it } from 'vitest';
import { createApp } from '../../functions/http/app.ts';

interface Operation {
  operationId?: string;
  security?: unknown[];
  responses: Record<string, { content?: Record<string, unknown>; headers?: Record<string, unknown> }>;
}

const doc = createApp().getOpenAPI31Document({ openapi: '3.1.0', info: { title: 'Chimera', version: 'test' } });
const operations = Object.entries(doc.paths ?? {}).flatMap(([path, item]) =>
  Object.entries(item as Record<string, Operation>).map(([method, op]) => ({ at: `${method.toUpperCase()} ${path}`, op })),
);

describe('the OpenAPI document', () => {
  it('gives every operation a unique operationId and its security', () => {
    expect(operations.length).toBeGreaterThanOrEqual(35);
    const ids = operations.map(({ op }) => op.operationId);
    expect(ids.filter((id) => !id)).toEqual([]);
    expect(new Set(ids).size).toBe(ids.length);
    expect(operations.filter(({ op }) => op.security === undefined).map((o) => o.at)).toEqual([]);
  });
  it('documents 401, 403, 429 (with Retry-After) and 500 as problem+json on every key-authenticated operation, 422 where input is validated', () => {
    const authed = operations.filter(({ at, op }) => op.security?.length && !at.includes('/admin/'));
    expect(authed.length).toBeGreaterThanOrEqual(25);
    for (const { at, op } of authed) {
      for (const status of ['401', '403', '429', '500'])
        expect(op.responses[status]?.content, `${at} ${status}`).toHaveProperty(['application/problem+json']);
      expect(op.responses['429']?.headers, at).toHaveProperty('retry-after');
      const takesInput =
        at.includes('{') || (op as { parameters?: unknown[] }).parameters?.length || (op as { requestBody?: unknown }).requestBody;
      if (takesInput) expect(op.responses['422']?.content, `${at} 422`).toHaveProperty(['application/problem+json']);
      if (!takesInput) expect(op.responses['422'], `${at}: nothing to validate, no 422`).toBeUndefined();
    }
  });
  it('names each problem type a response can carry', () => {
    const infer = operations.find((o) => o.at === 'POST /v1/models/{model}/infer')!.op;
    expect(JSON.stringify(infer.responses['404'])).toContain('`task-not-found`');
    expect(JSON.stringify(infer.responses['503'])).toContain('`model-load`');
  });
});
