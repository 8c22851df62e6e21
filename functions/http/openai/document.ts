// The OpenAI-compatible surface's own OpenAPI document, /openai/openapi.json: its errors
// have OpenAI's shape, not problem+json, so it is kept apart from /openapi.json.
import { DOCUMENT } from '../document.ts';
import { openAiDocs } from './route.ts';

export const OPENAI_DOCUMENT_PATH = '/openai/openapi.json';

const CONFIG = {
  openapi: '3.1.0',
  info: {
    title: 'Chimera: OpenAI-compatible surface',
    version: '0.1.0',
    summary: "OpenAI's embeddings, models, files and batches, served by Chimera's models and batch machinery.",
    description: [
      'Point an OpenAI SDK at `<chimera>/openai/v1` with a Chimera key. `model` names a Chimera model, `model@alias`, or `model@alias#task`.',
      "Batches take `/v1/embeddings` lines and run on Chimera batches (webhooks as an extension). Errors have OpenAI's shape.",
    ].join('\n'),
    license: DOCUMENT.info.license,
  },
  servers: DOCUMENT.servers,
  tags: [{ name: 'openai', description: "OpenAI's wire format over Chimera." }],
};

let registered = false;
export function openAiDocument() {
  if (!registered) {
    openAiDocs.openAPIRegistry.registerComponent('securitySchemes', 'bearer', {
      type: 'http',
      scheme: 'bearer',
      description: 'a Chimera key: secret (chm_…) with its scopes, or publishable (chm_pk_…) for embeddings',
    });
    registered = true;
  }
  return openAiDocs.getOpenAPI31Document(CONFIG as Parameters<typeof openAiDocs.getOpenAPI31Document>[0]);
}
