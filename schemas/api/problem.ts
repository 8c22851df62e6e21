// RFC 9457 problem details: the one shape of every error Chimera returns.
import { z } from '@hono/zod-openapi';

export const Problem = z
  .object({
    type: z.string().openapi({ example: 'https://chimera.dev/problems/validation' }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string().optional().openapi({ description: 'the request id' }),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .openapi('Problem');
export type Problem = z.infer<typeof Problem>;

export const problemResponse = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: Problem } },
});
