// HMAC-SHA256 over what a package file URL grants: one file (by sha256) of one version of
// one model, for one tenant, through one API key, until one instant. The keys are the
// Worker secret PACKAGE_URL_KEYS, "kid:<32+ random bytes, base64>[,kid:…]": the first
// signs, every listed key verifies, so a key is rotated by putting a new one first and
// dropping the old one once its URLs have expired (at most an hour). A URL signed by a key
// no longer listed is refused like a forged one.
import { ApiError } from '../../../schemas/api/problems.ts';

export interface UrlClaims {
  tenant: string;
  model: string;
  version: number;
  sha256: string;
  /** the API key id the URL was issued to: revoking the key ends its URLs */
  key: string;
  /** Unix seconds */
  expires: number;
}

interface UrlKeys {
  current: { id: string; key: CryptoKey };
  byId: Map<string, CryptoKey>;
}

// module scope: each distinct secret is imported once per isolate
const imported = new Map<string, Promise<UrlKeys>>();
const MIN_KEY_BYTES = 32;

const b64url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');

function unb64url(text: string): Uint8Array | undefined {
  try {
    return Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
  } catch {
    return undefined;
  }
}

async function importKeys(spec: string): Promise<UrlKeys> {
  const byId = new Map<string, CryptoKey>();
  let current: UrlKeys['current'] | undefined;
  for (const entry of spec
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const at = entry.indexOf(':');
    const id = entry.slice(0, at);
    const raw = at > 0 ? unb64url(entry.slice(at + 1)) : undefined;
    if (!id || !raw || raw.length < MIN_KEY_BYTES)
      throw new Error(`PACKAGE_URL_KEYS entries are "kid:<at least ${MIN_KEY_BYTES} bytes, base64>"`);
    const key = await crypto.subtle.importKey('raw', raw as Uint8Array<ArrayBuffer>, { name: 'HMAC', hash: 'SHA-256' }, false, [
      'sign',
      'verify',
    ]);
    byId.set(id, key);
    current ??= { id, key };
  }
  if (!current) throw new Error('PACKAGE_URL_KEYS is empty');
  return { current, byId };
}

/** The Worker's URL keys; 503 signing-disabled when the secret is missing or malformed. */
async function urlKeys(env: object): Promise<UrlKeys> {
  const spec = (env as { PACKAGE_URL_KEYS?: unknown }).PACKAGE_URL_KEYS;
  if (typeof spec !== 'string' || !spec) {
    throw new ApiError('signing-disabled', 'package URLs are off: the PACKAGE_URL_KEYS secret is not set (see wrangler.toml)');
  }
  let keys = imported.get(spec);
  if (!keys) {
    keys = importKeys(spec);
    keys.catch(() => imported.delete(spec));
    imported.set(spec, keys);
  }
  return keys.catch((e: Error) => {
    throw new ApiError('signing-disabled', `package URLs are off: ${e.message}`);
  });
}

// one line per claim, under a label: no value of one field can pass for another's
const message = (c: UrlClaims) =>
  new TextEncoder().encode(['chimera-package-url/v1', c.tenant, c.model, c.version, c.sha256, c.key, c.expires].join('\n'));

export async function signUrl(env: object, claims: UrlClaims): Promise<{ kid: string; sig: string }> {
  const { current } = await urlKeys(env);
  const mac = await crypto.subtle.sign('HMAC', current.key, message(claims));
  return { kid: current.id, sig: b64url(new Uint8Array(mac)) };
}

/** Refuses a URL whose signature does not hold (403 url-signature) or that has expired
 * (403 url-expired), in that order: an expiry may only be believed once it is signed. */
export async function verifyUrl(env: object, claims: UrlClaims, kid: string, sig: string, now = Date.now()): Promise<void> {
  const { byId } = await urlKeys(env);
  const key = byId.get(kid);
  if (!key)
    throw new ApiError('url-signature', `the URL was signed with key "${kid}", which this deployment does not hold; ask for a new one`);
  const mac = unb64url(sig);
  // crypto.subtle.verify compares in constant time
  if (!mac || !(await crypto.subtle.verify('HMAC', key, mac as Uint8Array<ArrayBuffer>, message(claims)))) {
    throw new ApiError(
      'url-signature',
      'the URL does not match its signature: it was altered, or made for another tenant, model or version',
    );
  }
  if (claims.expires * 1000 <= now) {
    throw new ApiError('url-expired', `the URL expired at ${new Date(claims.expires * 1000).toISOString()}; ask for the package again`);
  }
}
