// RFC 9457 problem details: the one shape of every error Chimera returns, and the
// catalog of every problem type it sends. The catalog lives below HTTP so that domain
// and platform code can throw an ApiError naming a type (a typo does not compile);
// only functions/http turns one into a response, and the OpenAPI document's error
// responses are generated from the same table.
import { z } from '@hono/zod-openapi';

/** type → [status, title]; the title is the same for every occurrence of the type */
export const PROBLEMS = {
  'bad-request': [400, 'The request could not be read'],
  'bad-encoding': [400, 'The body is not well-formed UTF-8 text'],
  unauthorized: [401, 'Missing, unknown or revoked credentials'],
  'bad-signature': [401, 'The hook signature was refused'],
  forbidden: [403, 'The key lacks the scope this operation needs'],
  'url-expired': [403, 'The signed URL has expired'],
  'url-signature': [403, 'The signed URL is not valid'],
  'url-revoked': [403, 'The key the URL was issued to is revoked'],
  'read-only': [403, 'Public models can be called but not changed'],
  'origin-not-allowed': [403, 'The credentials may not be used from this origin'],
  'secret-key-in-browser': [403, 'A secret key may not be used from a web page'],
  'model-not-allowed': [403, 'The key may not call this model'],
  'not-found': [404, 'No such route'],
  'model-not-found': [404, 'No such model'],
  'version-not-found': [404, 'No such version'],
  'alias-not-found': [404, 'No such alias'],
  'task-not-found': [404, 'No such task'],
  'tenant-not-found': [404, 'No such tenant'],
  'key-not-found': [404, 'No such live key'],
  'upload-not-found': [404, 'No such upload'],
  'file-not-found': [404, 'No such file'],
  'merge-not-found': [404, 'No such merge'],
  'batch-not-found': [404, 'No such batch'],
  'delivery-not-found': [404, 'No such delivery'],
  'trigger-not-found': [404, 'No such trigger'],
  'method-not-allowed': [405, 'The resource does not take this method'],
  'tenant-exists': [409, 'The tenant exists already'],
  'upload-closed': [409, 'The upload is committed'],
  'nothing-to-roll-back': [409, 'The alias has no earlier targets'],
  'alias-changed': [409, 'The alias changed while this request ran'],
  'batch-ended': [409, 'The batch has ended'],
  'batch-running': [409, 'The batch is still running'],
  replay: [409, 'This webhook-id was accepted already'],
  'body-too-large': [413, 'The body is over the limit'],
  'file-too-large': [413, 'The file is over the limit'],
  'storage-quota': [413, "The tenant's storage quota is used up"],
  'too-many-inputs': [413, 'Too many inputs'],
  'unsupported-media-type': [415, 'The body is not of a media type this operation takes'],
  validation: [422, 'The request is invalid'],
  'text-too-long': [422, 'A text is over the limit'],
  'bad-inputs': [422, 'The inputs do not fit the model'],
  'empty-body': [422, 'The body is empty'],
  'files-missing': [422, 'Files of the upload are missing'],
  'manifest-mismatch': [422, 'The graph does not match its manifest'],
  'not-onnx': [422, 'The graph is not a valid ONNX model'],
  'not-text': [422, 'The model does not take text'],
  'upload-hash': [422, "The bytes do not have the manifest's sha256"],
  'upload-size': [422, "The bytes are not the manifest's size"],
  'webhook-url': [422, 'The webhook URL may not receive webhooks'],
  'webhook-events': [422, 'Unknown webhook events'],
  'rate-limited': [429, 'Too many requests'],
  internal: [500, 'An unexpected error'],
  'model-integrity': [502, 'The stored model failed its integrity check'],
  'admin-disabled': [503, 'The admin API is off'],
  'signing-disabled': [503, 'Signed URLs are off'],
  'model-too-large': [503, "The model does not fit the isolate's session budget"],
  'model-load': [503, 'The model cannot be loaded right now'],
} as const satisfies Record<string, readonly [number, string]>;

export type ProblemType = keyof typeof PROBLEMS;

/** Where problem types live: a problem's `type` is this followed by the catalog name. */
export const PROBLEM_BASE = 'https://chimera.dev/problems/';
export const problemUri = (type: ProblemType) => `${PROBLEM_BASE}${type}`;
const PROBLEM_TYPES = Object.keys(PROBLEMS) as [ProblemType, ...ProblemType[]];

export const Problem = z
  .object({
    type: z
      .enum(PROBLEM_TYPES.map(problemUri) as [string, ...string[]])
      .openapi({ description: 'the problem type: each operation lists the ones it sends', example: problemUri('validation') }),
    title: z.string().openapi({ description: 'the same for every occurrence of the type' }),
    status: z.number().int().min(400).max(599).openapi({ description: 'the HTTP status, repeated' }),
    detail: z.string().openapi({ description: 'what went wrong this time, in words' }),
    instance: z
      .string()
      .optional()
      .openapi({ description: 'the request id (also the x-request-id header): quote it when reporting a problem' }),
    errors: z
      .array(z.object({ path: z.string().openapi({ description: 'the field, dotted: inputs.3' }), message: z.string() }))
      .optional()
      .openapi({ description: 'every invalid field, for validation problems' }),
  })
  .openapi('Problem', { description: 'RFC 9457 problem details: the body of every error (application/problem+json)' });
export type Problem = z.infer<typeof Problem>;
export type ProblemStatus = (typeof PROBLEMS)[ProblemType][0];

/** The single error class of the API: a catalog type, a detail for this occurrence. */
export class ApiError extends Error {
  readonly type: ProblemType;
  readonly errors?: Problem['errors'];
  readonly headers?: Record<string, string>;
  constructor(type: ProblemType, detail: string, extra: { errors?: Problem['errors']; headers?: Record<string, string> } = {}) {
    super(detail);
    this.type = type;
    this.errors = extra.errors;
    this.headers = extra.headers;
  }

  get status(): ProblemStatus {
    return PROBLEMS[this.type][0];
  }

  get title(): string {
    return PROBLEMS[this.type][1];
  }
}
