// Starts a real Guildhall server (with the demo organisation) on a free port
// and a headless Debian Chromium driven by playwright-core.
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
export const results = join(here, '..', 'test-results');
mkdirSync(results, { recursive: true });

const binary = process.env.GUILDHALL_BIN ?? join(here, '..', '..', 'target', 'debug', 'guildhall');
const browserPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function startServer() {
  const data = mkdtempSync(join(tmpdir(), 'guildhall-e2e-'));
  const child = spawn(binary, ['serve', '--demo', '--addr', '127.0.0.1:0', '--data', data], {
    env: { ...process.env, GUILDHALL_LOG: 'warn' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const base = await new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${seen}`)), 60_000);
    child.stderr.on('data', (chunk) => {
      seen += chunk.toString();
      const m = seen.match(/listening on (http:\/\/[0-9.:]+)\//);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${seen}`)));
  });
  return { base, stop: () => child.kill('SIGTERM') };
}

export async function startBrowser() {
  return chromium.launch({
    executablePath: browserPath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

// Every form control on the page has an accessible label.
export async function unlabelledControls(page) {
  return page.evaluate(() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
    .filter((el) => !(el.labels && el.labels.length) && !el.getAttribute('aria-label'))
    .map((el) => el.outerHTML));
}
