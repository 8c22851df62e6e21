// JSONL line splitting: the same lines as a plain split whatever the chunking, an
// over-long line reported (not held) while the rest goes on, linear in the input.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Line, lines } from '../../functions/infra/jsonl.ts';

const streamOf = (chunks: string[]) =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      for (const c of chunks) controller.enqueue(new TextEncoder().encode(c));
      controller.close();
    },
  });

async function collect(chunks: string[], maxChars?: number): Promise<Line[]> {
  const out: Line[] = [];
  for await (const line of lines(streamOf(chunks), maxChars)) out.push(line);
  return out;
}

describe('lines', () => {
  it('splits like String#split, however the bytes are chunked', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.string({ unit: fc.constantFrom('a', 'é', '\n', '\r', '{', '"') })), async (pieces) => {
        const text = pieces.join('');
        const raw = text.split('\n');
        if (raw.at(-1) === '') raw.pop();
        const expected = raw.map((l) => l.replace(/\r$/, ''));
        expect((await collect(pieces)).map((l) => l.text)).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });

  it('reports a line over the limit without holding it, and goes on', async () => {
    const got = await collect(['short\n', 'x'.repeat(50), 'y'.repeat(51), '\nafter\n', 'z'.repeat(101)], 100);
    expect(got).toEqual([{ text: 'short' }, { tooLong: true }, { text: 'after' }, { tooLong: true }]);
  });

  it('splits a 30 MB line in linear time', async () => {
    const chunk = 'x'.repeat(64 << 10);
    const started = performance.now();
    const got = await collect([...Array<string>(480).fill(chunk), '\nend'], 65_536);
    expect(got).toEqual([{ tooLong: true }, { text: 'end' }]);
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});
