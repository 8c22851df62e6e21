// Test-only bindings, added to Env by declaration merging.
declare namespace Cloudflare {
  interface Env {
    TEST_MIGRATIONS: import('cloudflare:test').D1Migration[];
  }
}
declare module 'vitest' {
  interface ProvidedContext {
    /** outputs of the fixture models computed by onnxruntime-web in Node */
    reference: import('../fixtures/reference.ts').Reference;
  }
}
