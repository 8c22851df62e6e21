// Outbound webhook URLs. Deployed, they must be https on port 443 and reach only global
// unicast addresses, by literal address or by DNS: an allow-list (2000::/3 and public
// IPv4, less the special-purpose ranges IANA marks not globally reachable), so that
// IPv6 spellings of IPv4 (mapped, compatible, NAT64, 6to4) and ranges nobody listed
// cannot reach loopback or private networks. Local development allows any http(s) URL.
import { parseIp } from './ip.ts';

export type Resolver = (host: string) => Promise<string[]>;

/** DNS over HTTPS: Workers have no resolver API of their own. */
export const dohResolver: Resolver = async (host) => {
  const answers: string[] = [];
  for (const type of ['A', 'AAAA']) {
    const res = await fetch(`https://cloudflare-dns.com/dns-query?name=${encodeURIComponent(host)}&type=${type}`, {
      headers: { accept: 'application/dns-json' },
    });
    const body = (await res.json()) as { Answer?: { type: number; data: string }[] };
    for (const a of body.Answer ?? []) if (a.type === 1 || a.type === 28) answers.push(a.data);
  }
  return answers;
};

/** [first address, prefix length] of IPv4 ranges that are not globally reachable (RFC 6890
 * and the IANA IPv4 special-purpose registry), multicast and reserved included. */
const IPV4_NOT_GLOBAL: [number[], number][] = [
  [[0, 0, 0, 0], 8],
  [[10, 0, 0, 0], 8],
  [[100, 64, 0, 0], 10],
  [[127, 0, 0, 0], 8],
  [[169, 254, 0, 0], 16],
  [[172, 16, 0, 0], 12],
  [[192, 0, 0, 0], 24],
  [[192, 0, 2, 0], 24],
  [[192, 88, 99, 0], 24],
  [[192, 168, 0, 0], 16],
  [[198, 18, 0, 0], 15],
  [[198, 51, 100, 0], 24],
  [[203, 0, 113, 0], 24],
  [[224, 0, 0, 0], 4],
  [[240, 0, 0, 0], 4],
];

/** Ranges inside 2000::/3 that are not global unicast: IETF protocol assignments (Teredo,
 * benchmarking, ORCHID), documentation, and 6to4 (which embeds any IPv4 address). */
const IPV6_NOT_GLOBAL: [number[], number][] = [
  [[0x20, 0x01, 0x00, 0x00], 23],
  [[0x20, 0x01, 0x0d, 0xb8], 32],
  [[0x20, 0x02], 16],
  [[0x3f, 0xff], 20],
];

function inPrefix(bytes: Uint8Array, [first, bits]: [number[], number]): boolean {
  for (let i = 0; i * 8 < bits; i++) {
    const mask = bits - i * 8 >= 8 ? 0xff : (0xff << (8 - (bits - i * 8))) & 0xff;
    if ((bytes[i]! & mask) !== ((first[i] ?? 0) & mask)) return false;
  }
  return true;
}

/** True only for a global unicast address: public IPv4, or IPv6 in 2000::/3 outside the
 * special-purpose ranges. Anything that does not parse as an address is not. */
export function isGlobalUnicast(address: string): boolean {
  const ip = parseIp(address);
  if (!ip) return false;
  if (ip.length === 4) return !IPV4_NOT_GLOBAL.some((range) => inPrefix(ip, range));
  return (ip[0]! & 0xe0) === 0x20 && !IPV6_NOT_GLOBAL.some((range) => inPrefix(ip, range));
}

/** The reason a URL may not receive webhooks, or undefined when it may. */
export async function webhookUrlProblem(raw: string, opts: { allowPrivate: boolean; resolve?: Resolver }): Promise<string | undefined> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'not a URL';
  }
  if (opts.allowPrivate) return ['http:', 'https:'].includes(url.protocol) ? undefined : 'must be http(s)';
  if (url.protocol !== 'https:') return 'must be https';
  if (url.username || url.password) return 'must not carry credentials';
  // the URL parser has already turned every IPv4 spelling (0x7f.1, 2130706433) into a
  // dotted quad and put IPv6 in brackets
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const literal = parseIp(host) !== undefined;
  if (literal && !isGlobalUnicast(host)) return `${host} is not a global unicast address (private, loopback, link-local or reserved)`;
  if (host === 'localhost' || /\.(localhost|internal|local|home\.arpa)$/.test(host)) return `${host} is a local name`;
  if (url.port !== '' && url.port !== '443') return `port ${url.port} is not allowed; webhooks go to port 443`;
  if (literal) return undefined;
  const addresses = await (opts.resolve ?? dohResolver)(host).catch(() => []);
  if (addresses.length === 0) return `${host} does not resolve`;
  const bad = addresses.find((a) => !isGlobalUnicast(a));
  return bad ? `${host} resolves to ${bad}, which is not a global unicast address (private, loopback, link-local or reserved)` : undefined;
}
