// JSON Lines: a response body read line by line as it arrives, each line parsed.

/** Parses each non-empty line of a UTF-8 stream as JSON, as the bytes arrive. */
export async function* jsonLines<T>(body: ReadableStream<Uint8Array>): AsyncGenerator<T> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let rest = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      rest += decoder.decode(value, { stream: true });
      let newline = rest.indexOf('\n');
      while (newline >= 0) {
        const line = rest.slice(0, newline).trim();
        rest = rest.slice(newline + 1);
        if (line) yield JSON.parse(line) as T;
        newline = rest.indexOf('\n');
      }
    }
    rest += decoder.decode();
    if (rest.trim()) yield JSON.parse(rest) as T;
  } finally {
    reader.releaseLock();
  }
}

/** Lines for POST /v1/files: one JSON value per line, each line ending in \n. */
export const toJsonLines = (items: readonly unknown[]): string => items.map((i) => `${JSON.stringify(i)}\n`).join('');
