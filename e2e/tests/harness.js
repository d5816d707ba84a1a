// Starts a real Guildhall server (with the demo organisation) on a free port
// and a headless Debian Chromium driven by playwright-core.
import { spawn, execFileSync } from 'node:child_process';
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

// The databases a test can run on: SQLite always, and PostgreSQL when
// GUILDHALL_TEST_DATABASE_URL names a test server (as .ci/run sets it).
export const databases = ['sqlite', ...(process.env.GUILDHALL_TEST_DATABASE_URL ? ['postgres'] : [])];

// A new, empty PostgreSQL database on the test server, created with psql;
// returns its URL.
function freshPostgresDatabase() {
  const url = process.env.GUILDHALL_TEST_DATABASE_URL;
  const name = `e2e_${process.pid}_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
  execFileSync('psql', [url, '-v', 'ON_ERROR_STOP=1', '-q', '-c', `CREATE DATABASE "${name}"`], { stdio: 'pipe' });
  const [base, query] = url.split('?');
  return `${base.slice(0, base.lastIndexOf('/'))}/${name}${query ? `?${query}` : ''}`;
}

// Starts `guildhall serve --demo` on SQLite (a fresh data directory) or on
// a fresh PostgreSQL database (`database: 'postgres'`). With `testClock`
// set to a file, the server's clock is moved by the seconds written there.
export async function startServer({ database = 'sqlite', testClock } = {}) {
  const data = mkdtempSync(join(tmpdir(), 'guildhall-e2e-'));
  const args = ['serve', '--demo', '--addr', '127.0.0.1:0', '--data', data];
  if (database === 'postgres') args.push('--database', freshPostgresDatabase());
  if (testClock) args.push('--test-clock', testClock);
  const child = spawn(binary, args, {
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
