// JSON Lines over streams: split an incoming body into lines, and serve many R2 objects
// as one stream.

/** Splits a UTF-8 stream into lines without holding it. Only the new chunk is searched,
 * so a file is split in linear time however long its lines run. */
export async function* lines(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const reader = body.pipeThrough(new TextDecoderStream() as unknown as ReadableWritablePair<string, Uint8Array>).getReader();
  let carry = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    let start = 0;
    for (let nl = value.indexOf('\n'); nl >= 0; nl = value.indexOf('\n', start)) {
      yield (carry + value.slice(start, nl)).replace(/\r$/, '');
      carry = '';
      start = nl + 1;
    }
    carry += value.slice(start);
  }
  if (carry.length) yield carry;
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
