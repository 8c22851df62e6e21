// Writing model versions: blobs to R2 under their sha256 first, then one D1 batch that
// makes the version (and any alias move) visible at once, so a failure leaves nothing seen.
// The owner is recorded as holding the version's blobs in the same batch.
import { and, eq, max } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { ModelPackage } from '../../models/package.ts';
import { blobKey } from '../../models/store.ts';
import { models, modelVersions } from '../../schemas/db/schema.ts';
import type { Manifest } from '../../schemas/manifest.ts';
import type { Db } from '../infra/db.ts';
import { aliasMove } from './aliases.ts';
import { grantBlobs } from './blobs.ts';
import { forgetResolutions } from './registry.ts';

/** The part of R2Bucket publishing needs (the CLI hands in a platform proxy's bucket). */
export interface BlobWriter {
  head(key: string): Promise<unknown>;
  put(key: string, value: Uint8Array): Promise<unknown>;
}

export interface Published {
  modelId: string;
  version: number;
  created: boolean;
}

export interface NewVersion {
  owner: string;
  model: string;
  manifest: Manifest;
  alias?: string;
  description?: string;
  /** who is recorded as moving the alias */
  actor?: string;
  /** more statements to commit in the same batch (closing an upload, finishing a merge) */
  alongside?: (version: number) => BatchItem<'sqlite'>[];
  /** return the existing version when one has the same graph */
  skipIfSameHash?: boolean;
  /** what makes it ("upload:<id>", "merge:<id>"): at most one version per origin */
  origin?: string;
}

/** Thrown when a version with the same origin exists: the upload or merge made it already. */
export class OriginTaken extends Error {}

const conflictOn = (e: unknown, index: string) => {
  const text = `${(e as Error)?.message} ${((e as Error)?.cause as Error | undefined)?.message}`;
  return text.includes('UNIQUE constraint failed') && text.includes(index);
};

/** Numbers the version one past the model's latest; a concurrent publish to the same
 * model takes that number first (the unique index says so) and this one tries the next. */
export async function insertVersion(db: Db, v: NewVersion): Promise<Published> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await insertVersionOnce(db, v);
    } catch (e) {
      if (v.origin && conflictOn(e, 'model_versions.origin')) throw new OriginTaken(`${v.origin} made a version already`);
      if (attempt < 5 && conflictOn(e, 'model_versions.number')) continue;
      throw e;
    }
  }
}

async function insertVersionOnce(db: Db, v: NewVersion): Promise<Published> {
  const graph = v.manifest.files.find((f) => f.role === 'graph')!;
  await db
    .insert(models)
    .values({ id: crypto.randomUUID(), owner: v.owner, name: v.model, description: v.description ?? v.manifest.description ?? '' })
    .onConflictDoNothing();
  const [model] = await db
    .select()
    .from(models)
    .where(and(eq(models.owner, v.owner), eq(models.name, v.model)));
  if (!model) throw new Error(`model ${v.model} could not be created`);
  if (v.skipIfSameHash) {
    const [same] = await db
      .select()
      .from(modelVersions)
      .where(and(eq(modelVersions.modelId, model.id), eq(modelVersions.sha256, graph.sha256)));
    if (same) return { modelId: model.id, version: same.number, created: false };
  }
  const [{ n } = { n: 0 }] = await db
    .select({ n: max(modelVersions.number) })
    .from(modelVersions)
    .where(eq(modelVersions.modelId, model.id));
  const number = (n ?? 0) + 1;
  const statements: BatchItem<'sqlite'>[] = [
    db.insert(modelVersions).values({
      id: crypto.randomUUID(),
      modelId: model.id,
      number,
      manifest: v.manifest,
      sha256: graph.sha256,
      bytes: v.manifest.files.reduce((s, f) => s + f.bytes, 0),
      origin: v.origin ?? null,
    }),
    ...grantBlobs(db, v.owner, v.manifest.files),
  ];
  if (v.alias) statements.push(...aliasMove(db, model.id, v.alias, [{ version: number, weight: 1 }], v.actor ?? 'publish', 'set'));
  // the unique (model, number) index turns a concurrent publish into an error, not a clash
  await db.batch(statements.concat(v.alongside?.(number) ?? []) as [BatchItem<'sqlite'>, ...BatchItem<'sqlite'>[]]);
  forgetResolutions(); // the new version (and any alias move) routes here at once
  return { modelId: model.id, version: number, created: true };
}

/** Blobs and version at once, for the CLI, seeding and tests. */
export async function publishPackage(
  db: Db,
  bucket: BlobWriter,
  pkg: ModelPackage,
  opts: Omit<NewVersion, 'manifest'>,
): Promise<Published> {
  for (const file of pkg.manifest.files) {
    const key = blobKey(file.sha256);
    if (!(await bucket.head(key))) await bucket.put(key, pkg.files[file.path]!);
  }
  return insertVersion(db, { ...opts, manifest: pkg.manifest });
}
