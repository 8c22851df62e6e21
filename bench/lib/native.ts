// onnxruntime-node, the native peer benchmarks compare against. It is not a dependency
// of the project: its install script fetches more from outside, which these machines
// refuse, and its binaries weigh ~290 MB. A benchmark that wants it installs it here,
// pinned, without scripts (the npm package carries the Linux x64 binaries itself).
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';

const VERSION = '1.30.0'; // the same release as onnxruntime-web
const PREFIX = 'bench/.native';

export interface NativeSession {
  run(feeds: Record<string, { type: string; data: ArrayLike<unknown>; dims: readonly number[] }>): Promise<unknown>;
}

export async function nativeSession(modelPath: string): Promise<NativeSession> {
  if (!existsSync(`${PREFIX}/node_modules/onnxruntime-node`)) {
    console.error(`installing onnxruntime-node@${VERSION} into ${PREFIX} (once)…`);
    execSync(`npm install --prefix ${PREFIX} --no-save --no-audit --no-fund --ignore-scripts onnxruntime-node@${VERSION}`, {
      stdio: 'inherit',
    });
  }
  const ort = createRequire(resolve(`${PREFIX}/package.json`))('onnxruntime-node');
  // one thread, as the Worker has
  const session = await ort.InferenceSession.create(resolve(modelPath), { intraOpNumThreads: 1, interOpNumThreads: 1 });
  return {
    run: (feeds) =>
      session.run(Object.fromEntries(Object.entries(feeds).map(([name, t]) => [name, new ort.Tensor(t.type, t.data, t.dims)]))),
  };
}
