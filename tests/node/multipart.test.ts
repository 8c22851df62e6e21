// The streaming multipart reader (functions/infra/multipart.ts) against the encoder every
// fetch has (a FormData body, as OpenAI's SDK sends files): any parts, any bytes in them
// (boundary look-alikes included), cut into any chunks, come back as they were sent.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { boundaryOf, multipartParts } from '../../functions/infra/multipart.ts';

/** `bytes` as a stream cut at `cuts` (fractions of its length). */
function chunked(bytes: Uint8Array, cuts: number[]): ReadableStream<Uint8Array> {
  const ends = [...new Set([...cuts.map((c) => Math.floor(c * bytes.length)), bytes.length])].sort((a, b) => a - b);
  return new ReadableStream({
    start(controller) {
      let from = 0;
      for (const end of ends) {
        if (end > from) controller.enqueue(bytes.slice(from, end));
        from = end;
      }
      controller.close();
    },
  });
}

async function encode(parts: { name: string; text?: string; file?: Uint8Array; filename?: string }[]) {
  const form = new FormData();
  for (const p of parts) {
    if (p.file) form.append(p.name, new Blob([p.file as Uint8Array<ArrayBuffer>]), p.filename);
    else form.append(p.name, p.text ?? '');
  }
  const res = new Response(form);
  return { bytes: new Uint8Array(await res.arrayBuffer()), contentType: res.headers.get('content-type')! };
}

async function decode(body: ReadableStream<Uint8Array>, contentType: string, skip = new Set<string>()) {
  const out: { name: string; filename?: string; bytes?: Uint8Array }[] = [];
  for await (const part of multipartParts(body, boundaryOf(contentType))) {
    if (skip.has(part.name)) out.push({ name: part.name });
    else
      out.push({
        name: part.name,
        ...(part.filename !== undefined ? { filename: part.filename } : {}),
        bytes: new Uint8Array(await new Response(part.body).arrayBuffer()),
      });
  }
  return out;
}

const enc = new TextEncoder();
// bytes that look like the start of a boundary, CRLFs and dashes, among random ones
const tricky = fc
  .array(fc.oneof(fc.uint8Array({ maxLength: 40 }), fc.constantFrom(enc.encode('\r\n--'), enc.encode('\r\n\r\n'), enc.encode('--'))), {
    maxLength: 12,
  })
  .map((xs) => Uint8Array.from(xs.flatMap((x) => [...x])));

describe('multipartParts', () => {
  it('gives back every part, byte for byte, however the body is chunked', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            name: fc.constantFrom('file', 'purpose', 'x'),
            file: fc.option(tricky, { nil: undefined }),
            text: fc.string({ maxLength: 20 }),
          }),
          {
            minLength: 1,
            maxLength: 4,
          },
        ),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 20 }),
        async (parts, cuts) => {
          const sent = parts.map((p) => (p.file ? { name: p.name, file: p.file, filename: 'a.jsonl' } : { name: p.name, text: p.text }));
          const { bytes, contentType } = await encode(sent);
          const got = await decode(chunked(bytes, cuts), contentType);
          expect(got.map((g) => g.name)).toEqual(sent.map((p) => p.name));
          got.forEach((g, i) => {
            const p = sent[i]!;
            expect(g.bytes).toEqual(p.file ?? enc.encode(p.text!.replace(/\r?\n|\r/g, '\r\n')));
            if (p.file) expect(g.filename).toBe('a.jsonl');
          });
        },
      ),
      { numRuns: 300 },
    );
  });
  it('skips a part left unread', async () => {
    const { bytes, contentType } = await encode([
      { name: 'file', file: enc.encode('x'.repeat(100_000)), filename: 'f' },
      { name: 'purpose', text: 'batch' },
    ]);
    const got = await decode(chunked(bytes, [0.1, 0.5, 0.9]), contentType, new Set(['file']));
    expect(got.map((g) => g.name)).toEqual(['file', 'purpose']);
    expect(new TextDecoder().decode(got[1]!.bytes)).toBe('batch');
  });
  it('refuses a body that ends inside a part, and a content type without a boundary', async () => {
    const { bytes, contentType } = await encode([{ name: 'file', file: enc.encode('abc'), filename: 'f' }]);
    await expect(decode(chunked(bytes.slice(0, bytes.length - 20), []), contentType)).rejects.toThrow(/ends inside/);
    expect(() => boundaryOf('application/json')).toThrow(/multipart\/form-data/);
  });
});
