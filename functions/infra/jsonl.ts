// JSON Lines over streams: split an incoming body into lines, and serve many R2 objects
// as one stream.

/** One line of a JSONL stream: its text, or only the fact that it ran past the limit. */
export type Line = { text: string; tooLong?: undefined } | { text?: undefined; tooLong: true };

/** Splits a UTF-8 stream into lines without holding it. Only the new chunk is searched,
 * so a file is split in linear time however long its lines run; a line longer than
 * `maxChars` is dropped as it streams (never held whole) and yielded as `tooLong`. */
export async function* lines(body: ReadableStream<Uint8Array>, maxChars = Number.POSITIVE_INFINITY): AsyncGenerator<Line> {
  const reader = body.pipeThrough(new TextDecoderStream() as unknown as ReadableWritablePair<string, Uint8Array>).getReader();
  let carry: string[] = [];
  let carried = 0;
  let tooLong = false;
  const take = (piece: string) => {
    if (tooLong) return;
    carried += piece.length;
    if (carried > maxChars) {
      tooLong = true;
      carry = [];
    } else if (piece) carry.push(piece);
  };
  const end = (): Line => {
    const line: Line = tooLong ? { tooLong: true } : { text: carry.join('').replace(/\r$/, '') };
    carry = [];
    carried = 0;
    tooLong = false;
    return line;
  };
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    let start = 0;
    for (let nl = value.indexOf('\n'); nl >= 0; nl = value.indexOf('\n', start)) {
      take(value.slice(start, nl));
      yield end();
      start = nl + 1;
    }
    take(value.slice(start));
  }
  if (carried > 0 || tooLong) yield end();
}

/** Concatenates R2 objects in order as one stream (missing ones are skipped). */
export function concatObjects(bucket: R2Bucket, keys: string[]): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream({
    async pull(controller) {
      while (i < keys.length) {
        const object = await bucket.get(keys[i++]!);
        if (!object) continue;
        const bytes = new Uint8Array(await object.arrayBuffer());
        if (bytes.length) {
          controller.enqueue(bytes);
          return;
        }
      }
      controller.close();
    },
  });
}
