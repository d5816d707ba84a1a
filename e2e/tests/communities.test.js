// Communities in a real browser: the directory and its filters, proposing a
// community with a charter, joining and leaving, editing the charter and
// reading its history, and a private community staying invisible.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, startBrowser, results, unlabelledControls } from './harness.js';

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await startBrowser();
});

after(async () => {
  await browser?.close();
  server?.stop();
});

async function logIn(page, email) {
  await page.goto(server.base + '/login');
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill('guildhall-demo');
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('heading', { name: /Welcome/ }).waitFor();
}

test('a member browses, proposes a community, edits its charter and reads the history', async () => {
  const page = await browser.newPage();
  await logIn(page, 'tom.nguyen@example.org');
  await page.getByRole('link', { name: 'Communities', exact: true }).click();
  await page.getByRole('heading', { name: 'Communities', level: 1 }).waitFor();
  assert.deepEqual(await unlabelledControls(page), []);
  const all = await page.locator('main').textContent();
  assert.ok(all.includes('Observability Guild') && !all.includes('Engineering Managers'), 'a private community stays hidden');
  await page.getByLabel('Type').selectOption('cross_cutting');
  await page.getByRole('button', { name: 'Filter' }).click();
  const filtered = await page.locator('main').textContent();
  assert.ok(filtered.includes('Security Champions') && !filtered.includes('Observability Guild'), filtered);
  await page.screenshot({ path: join(results, 'communities.png'), fullPage: true });

  await page.getByRole('link', { name: 'Propose a community' }).click();
  assert.deepEqual(await unlabelledControls(page), []);
  await page.getByLabel('Name', { exact: true }).fill('Mobile Testing Guild');
  await page.getByLabel(/^Domain/).fill('How do we test mobile apps without slowing releases?');
  await page.getByLabel('In scope', { exact: true }).fill('UI tests, device farms, flaky tests');
  await page.getByLabel('Out of scope', { exact: true }).fill('Back-end load testing');
  await page.getByLabel('Purpose', { exact: true }).fill('Share what works across the mobile teams.');
  await page.getByRole('button', { name: /Propose|Create/ }).click();
  await page.getByRole('heading', { name: 'Mobile Testing Guild', level: 1 }).waitFor();
  const home = await page.locator('main').textContent();
  assert.ok(home.includes('How do we test mobile apps'), home);
  assert.ok(home.includes('Tom Nguyen'), 'the proposer is its first steward');

  await page.getByRole('link', { name: 'Edit the charter' }).click();
  await page.getByLabel(/^Domain/).fill('How do we test mobile apps quickly and without flakiness?');
  await page.getByLabel(/What changed and why/).fill('Sharper question');
  await page.getByRole('button', { name: /Save/ }).click();
  // Saving leads to the community's history, where the revision is listed.
  await page.getByRole('heading', { name: 'History of Mobile Testing Guild' }).waitFor();
  const history = await page.locator('main').textContent();
  assert.ok(history.includes('charter revision 2: domain'), history);
  assert.ok(await page.locator('ins, .diff').count() > 0, 'the change is shown as a diff');
  await page.screenshot({ path: join(results, 'community-history.png'), fullPage: true });
  await page.close();
});

test('a member joins and leaves an open community', async () => {
  const page = await browser.newPage();
  await logIn(page, 'kenji.watanabe@example.org');
  await page.goto(server.base + '/communities/observability-guild');
  await page.getByRole('button', { name: 'Join this community' }).click();
  await page.getByRole('button', { name: 'Leave this community' }).waitFor();
  assert.ok((await page.locator('main').textContent()).includes('Kenji Watanabe'));
  await page.getByRole('button', { name: 'Leave this community' }).click();
  await page.getByRole('button', { name: 'Join this community' }).waitFor();
  const response = await page.goto(server.base + '/communities/engineering-managers');
  assert.equal(response.status(), 404, 'a private community answers 404 to outsiders');
  await page.close();
});
