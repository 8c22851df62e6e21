// Outbound webhook URLs: outside local development they must be https and must not
// reach private, loopback or link-local addresses (SSRF), by literal address or by DNS.

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

export function isPrivateAddress(ip: string): boolean {
  const v4 = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(ip);
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    return (
      a === 10 ||
      a === 127 ||
      a === 0 ||
      (a === 169 && b === 254) ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 100 && b >= 64 && b <= 127) ||
      a >= 224
    );
  }
  const v6 = ip.toLowerCase().replace(/^\[|\]$/g, '');
  if (!v6.includes(':')) return false;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(v6);
  if (mapped) return isPrivateAddress(mapped[1]!);
  const hexMapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(v6); // as URL normalizes ::ffff:a.b.c.d
  if (hexMapped) {
    const [hi, lo] = [parseInt(hexMapped[1]!, 16), parseInt(hexMapped[2]!, 16)];
    return isPrivateAddress(`${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`);
  }
  return v6 === '::1' || v6 === '::' || /^f[cd]/.test(v6) || /^fe[89ab]/.test(v6);
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
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host.endsWith('.localhost') || host.endsWith('.internal')) return `${host} is a local name`;
  if (/^[\d.]+$/.test(host) || host.includes(':'))
    return isPrivateAddress(host) ? `${host} is a private, loopback or link-local address` : undefined;
  const addresses = await (opts.resolve ?? dohResolver)(host).catch(() => []);
  if (addresses.length === 0) return `${host} does not resolve`;
  const bad = addresses.find(isPrivateAddress);
  return bad ? `${host} resolves to ${bad}, a private, loopback or link-local address` : undefined;
}
