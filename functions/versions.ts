// Writing model versions: blobs to R2 under their sha256 first, then one D1 batch that
// makes the version (and any alias) visible at once, so a failure leaves nothing seen.
import { and, eq, max } from 'drizzle-orm';
import type { DrizzleD1Database } from 'drizzle-orm/d1';
import { aliases, models, modelVersions } from '../schemas/db/schema.ts';
import type { ModelPackage } from '../models/package.ts';
import { blobKey } from '../models/store.ts';

/** The part of R2Bucket publishing needs (the CLI hands in a platform proxy's bucket). */
export interface BlobWriter {
  head(key: string): Promise<unknown>;
  put(key: string, value: Uint8Array): Promise<unknown>;
}

export interface Published { modelId: string; version: number; created: boolean }

export async function publishPackage(db: DrizzleD1Database, bucket: BlobWriter, pkg: ModelPackage,
  opts: { owner: string; model: string; alias?: string; description?: string; skipIfSameHash?: boolean }): Promise<Published> {
  for (const file of pkg.manifest.files) {
    const key = blobKey(file.sha256);
    if (!(await bucket.head(key))) await bucket.put(key, pkg.files[file.path]!);
  }
  const graph = pkg.manifest.files.find((f) => f.role === 'graph')!;
  const totalBytes = pkg.manifest.files.reduce((s, f) => s + f.bytes, 0);

  await db.insert(models).values({ id: crypto.randomUUID(), owner: opts.owner, name: opts.model, description: opts.description ?? pkg.manifest.description ?? '' })
    .onConflictDoNothing();
  const [model] = await db.select().from(models).where(and(eq(models.owner, opts.owner), eq(models.name, opts.model)));
  if (!model) throw new Error(`model ${opts.model} could not be created`);

  if (opts.skipIfSameHash) {
    const [same] = await db.select().from(modelVersions)
      .where(and(eq(modelVersions.modelId, model.id), eq(modelVersions.sha256, graph.sha256)));
    if (same) return { modelId: model.id, version: same.number, created: false };
  }
  const [{ n } = { n: 0 }] = await db.select({ n: max(modelVersions.number) }).from(modelVersions).where(eq(modelVersions.modelId, model.id));
  const number = (n ?? 0) + 1;
  const insertVersion = db.insert(modelVersions).values({
    id: crypto.randomUUID(), modelId: model.id, number, manifest: pkg.manifest, sha256: graph.sha256, bytes: totalBytes,
  });
  if (opts.alias) {
    const targets = [{ version: number, weight: 1 }];
    await db.batch([insertVersion, db.insert(aliases).values({ modelId: model.id, name: opts.alias, targets })
      .onConflictDoUpdate({ target: [aliases.modelId, aliases.name], set: { targets, updatedAt: Date.now() } })]);
  } else {
    await insertVersion;
  }
  return { modelId: model.id, version: number, created: true };
}
