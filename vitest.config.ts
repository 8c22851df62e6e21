import { execFileSync } from 'node:child_process';
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';

export default defineConfig(async () => {
  const migrations = await readD1Migrations('migrations');
  // wrangler.toml's [assets] directory must hold the /docs script and the console before
  // workerd starts (and the browser tests load the console); skipped when up to date
  execFileSync(process.execPath, ['scripts/assets.ts'], { stdio: 'inherit' });
  return {
    test: {
      projects: [
        {
          // inside workerd: the Worker itself, real D1/R2 through Miniflare, real ORT WASM
          plugins: [
            cloudflareTest({
              wrangler: { configPath: './wrangler.toml' },
              miniflare: {
                bindings: {
                  TEST_MIGRATIONS: migrations,
                  ADMIN_TOKEN: 'test-admin-token',
                  CACHE_TTL_MS: '300',
                  // the test receiver listens on 127.0.0.1; retries a second apart, not five
                  WEBHOOKS_ALLOW_PRIVATE: 'true',
                  WEBHOOK_RETRY_BASE_S: '1',
                  // a fixed test key (never a deployed one) seals webhook and trigger secrets
                  SECRETS_KEYS: 'test:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=',
                  // signs package URLs in tests: a current key and an older one still held
                  PACKAGE_URL_KEYS: 'u2:ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=,u1:QEFCQ0RFRkdISUpLTE1OT1BRUlNUVVZXWFlaW1xdXl8=',
                  // usage batches D1 refused come back after 1, 2, 4… s, not 5, 10…
                  USAGE_RETRY_BASE_S: '1',
                },
                // the app's limits out of the way of the load-heavy tests; TEST_LIMITER is
                // a small real limiter for the rate-limit test itself
                ratelimits: {
                  KEY_LIMITER: { namespace_id: '1001', simple: { limit: 1_000_000, period: 60 } },
                  TENANT_LIMITER: { namespace_id: '1002', simple: { limit: 1_000_000, period: 60 } },
                  ANON_LIMITER: { namespace_id: '1003', simple: { limit: 1_000_000, period: 60 } },
                  HOOK_LIMITER: { namespace_id: '1004', simple: { limit: 1_000_000, period: 60 } },
                  // small, for tests/worker/end-user-limits.test.ts; counted per publishable key and address
                  END_USER_LIMITER: { namespace_id: '1005', simple: { limit: 5, period: 60 } },
                  TEST_LIMITER: { namespace_id: '1999', simple: { limit: 3, period: 60 } },
                  // tests/worker/sdk.test.ts: a real 429 that clears within a 10 s window
                  SDK_LIMITER: { namespace_id: '1998', simple: { limit: 1, period: 10 } },
                },
              },
            }),
          ],
          test: {
            name: 'workers',
            include: ['tests/worker/**/*.test.ts'],
            setupFiles: ['tests/worker/setup.ts'],
            globalSetup: ['tests/worker/reference.ts', 'tests/worker/receiver.ts', 'tests/worker/hf-packages.ts'],
            testTimeout: 30_000,
          },
        },
        {
          test: {
            name: 'node',
            include: ['tests/node/**/*.test.ts', 'tests/browser/**/*.test.ts'],
            environment: 'node',
            testTimeout: 60_000,
          },
        },
      ],
    },
  };
});
