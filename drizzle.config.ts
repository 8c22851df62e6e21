import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'sqlite',
  schema: './schemas/db/schema.ts',
  out: './migrations',
});
