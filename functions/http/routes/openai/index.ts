// The OpenAI-compatible surface (issue 16), registered on the app like any route (same
// middleware, keys and limits) but documented apart, at /openai/openapi.json.
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../context.ts';
import { OPENAI_DOCUMENT_PATH, openAiDocument } from '../../openai/document.ts';
import { registerOpenAiCancelBatch } from './batches/cancel.ts';
import { registerOpenAiCreateBatch } from './batches/create.ts';
import { registerOpenAiGetBatch } from './batches/get.ts';
import { registerOpenAiListBatches } from './batches/list.ts';
import { registerEmbeddings } from './embeddings.ts';
import { registerOpenAiFileContent } from './files/content.ts';
import { registerOpenAiCreateFile } from './files/create.ts';
import { registerOpenAiDeleteFile } from './files/delete.ts';
import { registerOpenAiGetFile } from './files/get.ts';
import { registerOpenAiListFiles } from './files/list.ts';
import { registerOpenAiGetModel } from './models/get.ts';
import { registerOpenAiListModels } from './models/list.ts';

export function registerOpenAiRoutes(app: OpenAPIHono<AppEnv>): void {
  for (const register of [
    registerEmbeddings,
    registerOpenAiListModels,
    registerOpenAiGetModel,
    registerOpenAiCreateFile,
    registerOpenAiListFiles,
    registerOpenAiGetFile,
    registerOpenAiFileContent,
    registerOpenAiDeleteFile,
    registerOpenAiCreateBatch,
    registerOpenAiListBatches,
    registerOpenAiGetBatch,
    registerOpenAiCancelBatch,
  ])
    register(app);
  app.get(OPENAI_DOCUMENT_PATH, (c) => c.json(openAiDocument()));
}
