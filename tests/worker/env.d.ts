// Test-only bindings and provided values, added by declaration merging.
import type { D1Migration } from 'cloudflare:test';
import type { Reference } from '../fixtures/reference.ts';
import type { HfPackage } from './hf-packages.ts';

declare global {
  namespace Cloudflare {
    interface Env {
      TEST_MIGRATIONS: D1Migration[];
      TEST_LIMITER: RateLimit;
    }
  }
}

declare module 'vitest' {
  interface ProvidedContext {
    /** outputs of the fixture models computed by onnxruntime-web in Node */
    reference: Reference;
    /** base URL of the Node webhook receiver (tests/worker/receiver.ts) */
    receiver: string;
    /** Hugging Face export fixtures as packages, with Python's answers (tests/worker/hf-packages.ts) */
    hfPackages: Record<string, HfPackage>;
  }
}
