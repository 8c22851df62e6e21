// Names users choose, checked the same way wherever they appear (URLs, request bodies,
// manifests).
import { z } from 'zod';

export const ModelName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,62}$/, 'lowercase letters, digits, . _ - (at most 63, starting with a letter or digit)');
export const AliasName = z.string().regex(/^[a-z0-9_-]{1,32}$/, 'lowercase letters, digits, _ - (at most 32)');
