// Secrets at rest (webhook signing secrets, trigger secrets): AES-256-GCM under keys held
// as the Worker secret SECRETS_KEYS, "kid:base64key[,kid:base64key…]". The first key seals;
// every listed key opens, so a key is rotated without downtime: put the new one first,
// let the cron re-seal rows (jobs/reseal.ts), then drop the old one. Each ciphertext
// carries its key id and is bound to the row it belongs to (AES-GCM additional data),
// so a sealed value copied into another row does not open.

const PREFIX = 'sealed:v1:';

export interface SealingKeys {
  current: { id: string; key: CryptoKey };
  byId: Map<string, CryptoKey>;
}

const imported = new Map<string, Promise<SealingKeys>>();

const b64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
const unb64 = (text: string) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

async function importKeys(spec: string): Promise<SealingKeys> {
  const byId = new Map<string, CryptoKey>();
  let current: SealingKeys['current'] | undefined;
  for (const entry of spec
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const [id, material] = entry.split(':');
    const raw = material ? unb64(material) : new Uint8Array();
    if (!id || raw.length !== 32) throw new Error('SECRETS_KEYS entries are "kid:<32 bytes, base64>"');
    const key = await crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt', 'decrypt']);
    byId.set(id, key);
    current ??= { id, key };
  }
  if (!current) throw new Error('SECRETS_KEYS is empty');
  return { current, byId };
}

/** The Worker's sealing keys (imported once per isolate). */
export function sealingKeys(env: object): Promise<SealingKeys> {
  const spec = (env as { SECRETS_KEYS?: unknown }).SECRETS_KEYS;
  if (typeof spec !== 'string' || !spec) {
    return Promise.reject(new Error('SECRETS_KEYS is not set: webhook and trigger secrets cannot be stored (see wrangler.toml)'));
  }
  let keys = imported.get(spec);
  if (!keys) {
    keys = importKeys(spec);
    keys.catch(() => imported.delete(spec));
    imported.set(spec, keys);
  }
  return keys;
}

/** `plaintext` sealed for the row named by `context` (e.g. "trigger:trg_…"). */
export async function seal(env: object, plaintext: string, context: string): Promise<string> {
  const { current } = await sealingKeys(env);
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ciphertext = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: new TextEncoder().encode(context) },
    current.key,
    new TextEncoder().encode(plaintext),
  );
  return `${PREFIX}${current.id}:${b64(iv)}:${b64(new Uint8Array(ciphertext))}`;
}

/** The plaintext of a sealed value. Values stored before sealing existed are returned
 * as they are (the cron re-seals them). */
export async function unseal(env: object, stored: string, context: string): Promise<string> {
  if (!stored.startsWith(PREFIX)) return stored;
  const [id, iv, ciphertext] = stored.slice(PREFIX.length).split(':');
  const key = (await sealingKeys(env)).byId.get(id!);
  if (!key) throw new Error(`a secret is sealed under key "${id}", which SECRETS_KEYS no longer lists`);
  const plaintext = await crypto.subtle.decrypt(
    { name: 'AES-GCM', iv: unb64(iv!), additionalData: new TextEncoder().encode(context) },
    key,
    unb64(ciphertext!),
  );
  return new TextDecoder().decode(plaintext);
}

/** Whether a stored value should be sealed again: plaintext, or under an older key. */
export async function needsResealing(env: object, stored: string): Promise<boolean> {
  if (!stored.startsWith(PREFIX)) return true;
  return stored.slice(PREFIX.length).split(':')[0] !== (await sealingKeys(env)).current.id;
}
