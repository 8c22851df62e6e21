// R2 objects as RangeReaders: ONNX indexes and merges read tensors by range.
import type { RangeReader } from '../../models/onnx/index.ts';
import { blobKey } from '../../models/store.ts';

export function r2Reader(bucket: R2Bucket, sha256: string, size: number): RangeReader {
  return {
    size,
    read: async (offset, length) => {
      const object = await bucket.get(blobKey(sha256), { range: { offset, length } });
      if (!object) throw new Error(`blob ${sha256} is missing from storage`);
      return new Uint8Array(await object.arrayBuffer());
    },
  };
}
