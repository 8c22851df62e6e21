// Tensor-input models: per-item named tensors stacked into batch tensors.
import type { Manifest } from '../schemas/manifest.ts';
import type { TensorData } from './backend.ts';
import { ModelError } from './errors.ts';

export type TensorItem = Record<string, number[]>;

export const isTensorItem = (i: unknown): i is TensorItem =>
  typeof i === 'object' && i !== null && Object.values(i).every((v) => Array.isArray(v));

/** Stacks per-item tensors into batch tensors; an item's shape is the spec's minus the
 * batch axis, with at most one dynamic axis inferred from the values' length. */
export function stackTensors(manifest: Manifest, inputs: unknown[]): Record<string, TensorData> {
  if (manifest.input.kind !== 'tensors') throw new ModelError('input', `${manifest.name} takes texts`);
  const feeds: Record<string, TensorData> = {};
  for (const spec of manifest.input.tensors) {
    const items = inputs.map((item, i) => {
      if (!isTensorItem(item)) throw new ModelError('input', `${manifest.name} takes named tensors, not texts`);
      const values = item[spec.name];
      if (!values) throw new ModelError('input', `input ${i} has no tensor "${spec.name}"`);
      return values;
    });
    const itemShape = spec.shape.slice(1);
    const fixed = itemShape.reduce<number>((a, d) => (typeof d === 'number' && d > 0 ? a * d : a), 1);
    const dynamic = itemShape.filter((d) => !(typeof d === 'number' && d > 0)).length;
    const length = items[0]!.length;
    const bad = items.findIndex((v) => v.length !== length || (dynamic === 0 ? v.length !== fixed : v.length % fixed !== 0));
    if (bad >= 0) {
      throw new ModelError(
        'input',
        `tensor "${spec.name}" of input ${bad} has ${items[bad]!.length} values; expected ${dynamic ? `a multiple of ${fixed}, the same for every input` : fixed} for shape [${itemShape.join(', ')}]`,
      );
    }
    const dims = [inputs.length, ...itemShape.map((d) => (typeof d === 'number' && d > 0 ? d : length / fixed))];
    const flat = items.flat();
    const data =
      spec.dtype === 'float32'
        ? Float32Array.from(flat)
        : spec.dtype === 'int32'
          ? Int32Array.from(flat)
          : BigInt64Array.from(flat, (v) => BigInt(Math.trunc(v)));
    feeds[spec.name] = { type: spec.dtype, data, dims };
  }
  return feeds;
}
