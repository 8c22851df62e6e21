// multipart/form-data read as a stream: each part's body is a stream of its own, so a file
// part goes to R2 as it arrives and an isolate never holds a whole upload (the parsers at
// hand, and Request#formData, buffer every part). Only the bytes that could begin a
// boundary are held back. Each part must be read (or left: it is then skipped) before the
// next is asked for.
import { ApiError } from '../../schemas/api/problems.ts';

export interface Part {
  name: string;
  filename?: string;
  contentType?: string;
  body: ReadableStream<Uint8Array>;
}

const MAX_HEADER_BYTES = 16 << 10;
const MAX_PREAMBLE_BYTES = 64 << 10;
const CRLFCRLF = new Uint8Array([13, 10, 13, 10]);
const bad = (detail: string) => new ApiError('bad-request', `the multipart body is malformed: ${detail}`);

export function indexOfBytes(hay: Uint8Array, needle: Uint8Array, from = 0): number {
  for (let i = hay.indexOf(needle[0]!, from); i >= 0 && i <= hay.length - needle.length; i = hay.indexOf(needle[0]!, i + 1)) {
    let j = 1;
    while (j < needle.length && hay[i + j] === needle[j]) j++;
    if (j === needle.length) return i;
  }
  return -1;
}

/** The boundary of a multipart/form-data content type; 400 when there is none. */
export function boundaryOf(contentType: string | undefined): string {
  const m = /^multipart\/form-data\s*;.*\bboundary=(?:"([^"]{1,70})"|([^\s;]{1,70}))/i.exec(contentType ?? '');
  if (!m) throw new ApiError('unsupported-media-type', 'send the file as multipart/form-data (fields "file" and "purpose")');
  return (m[1] ?? m[2])!;
}

function partHeaders(text: string): Omit<Part, 'body'> {
  const lines = text.split('\r\n');
  const header = (name: string) =>
    lines
      .find((l) => l.toLowerCase().startsWith(`${name}:`))
      ?.slice(name.length + 1)
      .trim();
  const disposition = header('content-disposition') ?? '';
  const param = (key: string) => new RegExp(`(?:^|;)\\s*${key}=(?:"([^"]*)"|([^;\\s]*))`, 'i').exec(disposition);
  const name = param('name');
  const filename = param('filename');
  const contentType = header('content-type');
  return {
    name: name ? (name[1] ?? name[2] ?? '') : '',
    ...(filename ? { filename: filename[1] ?? filename[2] ?? '' } : {}),
    ...(contentType ? { contentType } : {}),
  };
}

export async function* multipartParts(body: ReadableStream<Uint8Array>, boundary: string): AsyncGenerator<Part> {
  const reader = body.getReader();
  const delimiter = new TextEncoder().encode(`\r\n--${boundary}`);
  // the first boundary has no CRLF before it: start as if one had been read
  let buf: Uint8Array = new Uint8Array([13, 10]);
  let ended = false;
  const more = async (): Promise<boolean> => {
    if (ended) return false;
    const { done, value } = await reader.read();
    if (done) {
      ended = true;
      return false;
    }
    const next = new Uint8Array(buf.length + value.length);
    next.set(buf);
    next.set(value, buf.length);
    buf = next;
    return true;
  };
  /** The next bytes of a part's body; `final` once its closing boundary is read. Only the
   * bytes that could begin a boundary are kept back. */
  const step = async (): Promise<{ bytes: Uint8Array; final: boolean }> => {
    for (;;) {
      const at = indexOfBytes(buf, delimiter);
      if (at >= 0) {
        const bytes = buf.slice(0, at);
        buf = buf.subarray(at + delimiter.length);
        return { bytes, final: true };
      }
      const keep = delimiter.length - 1;
      if (buf.length > keep) {
        const bytes = buf.slice(0, buf.length - keep);
        buf = buf.subarray(buf.length - keep);
        return { bytes, final: false };
      }
      if (!(await more())) throw bad('it ends inside a part');
    }
  };

  let preamble = 0;
  for (let at = indexOfBytes(buf, delimiter); at < 0; at = indexOfBytes(buf, delimiter)) {
    preamble += buf.length;
    if (preamble > MAX_PREAMBLE_BYTES || !(await more())) throw bad(`no boundary "${boundary}"`);
  }
  buf = buf.subarray(indexOfBytes(buf, delimiter) + delimiter.length);
  for (;;) {
    while (buf.length < 2) if (!(await more())) throw bad('it ends inside a boundary');
    if (buf[0] === 45 && buf[1] === 45) break; // "--": the closing boundary
    let end = indexOfBytes(buf, CRLFCRLF);
    while (end < 0) {
      if (buf.length > MAX_HEADER_BYTES || !(await more())) throw bad('a part has no end to its headers');
      end = indexOfBytes(buf, CRLFCRLF);
    }
    if (end > MAX_HEADER_BYTES) throw bad('part headers over 16 KiB');
    const headers = partHeaders(new TextDecoder().decode(buf.subarray(0, end)).replace(/^[ \t]*\r\n/, ''));
    buf = buf.subarray(end + 4);
    let finished = false;
    const partBody = new ReadableStream<Uint8Array>(
      {
        async pull(controller) {
          try {
            const { bytes, final } = await step();
            if (bytes.length) controller.enqueue(bytes);
            if (final) {
              finished = true;
              controller.close();
            }
          } catch (e) {
            controller.error(e);
          }
        },
      },
      // read only when asked: the generator and a part's stream never step at once
      { highWaterMark: 0 },
    );
    yield { ...headers, body: partBody };
    // a part not read to its end is skipped
    while (!finished) finished = (await step()).final;
  }
  // the epilogue after the closing boundary is ignored
  await reader.cancel().catch(() => {});
}
