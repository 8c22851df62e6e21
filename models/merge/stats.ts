// What a chunked merge must know of each expert's whole task vector before it merges
// the first block: the trim (TIES, breadcrumbs) and the rescale factor (DARE). They are
// computed here in passes over the blocks, with the same arithmetic in the same order as
// mergeTensor uses on a whole tensor, so a chunked merge equals it byte for byte.
import { type ExpertStats, type ResolvedParams, sparsifies, sparsifyInPlace } from './methods.ts';
import { magnitudesAtRanks } from './rank.ts';
import { bandRanks, edgeIsPartial, l1, l1Rescale, type Trim, trimBand, trimFrom } from './sparsify.ts';

export interface DeltaBlocks {
  /** values in the whole tensor */
  n: number;
  /** each block's first value */
  offsets: number[];
  /** block b of the task vector, in a fresh array */
  read: (block: number) => Promise<Float32Array>;
}

/** Per block, the stats of one expert; undefined when its sparsifier needs none. */
export async function chunkedStats(
  r: ResolvedParams,
  name: string,
  expert: number,
  deltas: DeltaBlocks,
): Promise<ExpertStats[] | undefined> {
  if (!sparsifies(r)) return undefined;
  const trims = await blockTrims(r, deltas);
  let rescale: number | undefined;
  if (r.spec.rescale) {
    let before = 0,
      after = 0;
    for (const [b, offset] of deltas.offsets.entries()) {
      const d = await deltas.read(b);
      before = l1(d, before);
      after = l1(sparsifyInPlace(r, d, name, expert, offset, trims?.[b]), after);
    }
    rescale = l1Rescale(before, after);
  }
  return deltas.offsets.map((_, b) => ({ trim: trims?.[b], rescale }));
}

/** The tensor's trim, with each block's count of tied edge values before it. */
async function blockTrims(r: ResolvedParams, deltas: DeltaBlocks): Promise<Trim[] | undefined> {
  const band = trimBand(r.spec.sparsify, deltas.n, r.density, r.gamma);
  if (!band) return undefined;
  const ranks = bandRanks(band);
  const all = async function* () {
    for (let b = 0; b < deltas.offsets.length; b++) yield await deltas.read(b);
  };
  const found = ranks.length ? await magnitudesAtRanks(all, ranks) : [];
  const trim = trimFrom(band, (rank) => found[ranks.indexOf(rank)]!);
  if (!trim.edges.some(edgeIsPartial)) return deltas.offsets.map(() => trim);
  // a tie the band cuts through: which of the equal values are kept depends on their index
  const trims: Trim[] = [];
  const before = trim.edges.map(() => 0);
  for (let b = 0; b < deltas.offsets.length; b++) {
    trims.push({ ...trim, edges: trim.edges.map((e, g) => ({ ...e, before: before[g]! })) });
    for (const v of await deltas.read(b)) {
      const g = trim.edges.findIndex((e) => e.value === Math.abs(v));
      if (g >= 0) before[g]!++;
    }
  }
  return trims;
}
