// globalSetup, in Node: a webhook receiver on 127.0.0.1 for the workerd tests. POST
// /hook?fail=N answers 500 to the first N attempts of each webhook-id, then 200; GET
// /received lists every request it saw.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestProject } from 'vitest/node';

export interface Received {
  path: string;
  headers: Record<string, string>;
  body: string;
  answered: number;
  /** when it arrived (ms since the epoch) */
  at: number;
}

export default async function setup(project: TestProject) {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (req.method === 'GET' && url.pathname === '/received') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(received));
        return;
      }
      const id = String(req.headers['webhook-id'] ?? '');
      const fail = Number(url.searchParams.get('fail') ?? 0);
      const answered = received.filter((r) => r.headers['webhook-id'] === id).length < fail ? 500 : 200;
      received.push({ path: url.pathname + url.search, headers: req.headers as Record<string, string>, body, answered, at: Date.now() });
      res.writeHead(answered).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  project.provide('receiver', `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  return () => new Promise<void>((resolve) => server.close(() => resolve()));
}
