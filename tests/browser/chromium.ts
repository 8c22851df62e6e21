// The one way browser tests start Chromium: the Debian package's binary, kept off the
// network, as root (--no-sandbox: CI runs as root). WebGPU, where a test asks for it,
// is behind a flag on Linux; on this CPU-only machine Dawn falls back to SwiftShader.
import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

const CHROMIUM = '/usr/bin/chromium';
const FLAGS = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export function launchChromium(opts: { webgpu?: boolean } = {}): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install it with \`apt-get install chromium\` (Debian package)`);
  return chromium.launch({ executablePath: CHROMIUM, args: [...(opts.webgpu ? ['--enable-unsafe-webgpu'] : []), ...FLAGS] });
}
