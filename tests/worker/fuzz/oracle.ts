// What every answer must be, by the document: not a 5xx; a status the operation lists;
// a body valid against that status's schema (each line, for JSON Lines); problem+json for
// every error, its status repeated; Retry-After on a 429; and a request the document calls
// valid is never refused as invalid (validation, bad-request, unsupported-media-type).
import type { Ctx } from './arbitrary.ts';
import { type Drawn, validatorFor } from './requests.ts';

const REFUSED_AS_INVALID = ['validation', 'bad-request', 'unsupported-media-type'].map((t) => `https://chimera.dev/problems/${t}`);

export function violations(req: Drawn, res: Response, text: string, ctx: Ctx): string[] {
  const found: string[] = [];
  const status = res.status;
  const documented = req.op.responses[String(status)] ?? req.op.responses[`${String(status)[0]}XX`];
  if (status >= 500) found.push(`${status}`);
  const media = (res.headers.get('content-type') ?? '').split(';')[0]!.trim();
  if (status >= 400 && media !== 'application/problem+json') found.push(`error as ${media || 'no content-type'}`);
  if (!documented) {
    // a path parameter the document refuses (`.`, `..`) makes another URL: a 405 there is that URL's
    if (!(!req.docValid && status === 405)) found.push(`undocumented status ${status}`);
    return found;
  }
  const content = documented.content ?? {};
  if (!Object.keys(content).length) return found;
  const declared = content[media];
  if (!declared) {
    found.push(`content-type ${media}, documented ${Object.keys(content).join(', ')}`);
    return found;
  }
  const values: unknown[] = [];
  try {
    if (media === 'application/x-ndjson') for (const line of text.split('\n').filter(Boolean)) values.push(JSON.parse(line));
    else values.push(JSON.parse(text));
  } catch {
    found.push('body is not JSON');
    return found;
  }
  // likewise a 404 for no route at all
  const elsewhere = !req.docValid && /\/problems\/(not-found|method-not-allowed)"/.test(text);
  if (declared.schema && !elsewhere) {
    const validator = validatorFor(declared.schema, ctx.components);
    for (const v of values) {
      const result = validator.validate(v);
      if (!result.valid) {
        const where = result.errors
          .slice(-3)
          .map((e) => `${e.instanceLocation} ${e.error}`)
          .join('; ');
        found.push(`body breaks the schema: ${where}`);
        break;
      }
    }
  }
  const problem = values[0] as { type?: string; status?: number; detail?: string } | undefined;
  if (status >= 400 && problem?.status !== status) found.push(`problem.status ${problem?.status} on a ${status}`);
  if (status === 429 && !res.headers.get('retry-after')) found.push('429 without Retry-After');
  if (req.docValid && status >= 400 && REFUSED_AS_INVALID.includes(problem?.type ?? ''))
    found.push(`a valid request refused: ${problem?.detail}`);
  return found;
}
