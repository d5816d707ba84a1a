// The health dashboards in a real browser: the portfolio lists the
// communities with their stage and vitality, and a community's health page
// shows its charts, vitality breakdown and stage evidence.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, startBrowser, results } from './harness.js';

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

// The first computation runs in the background as the server starts.
async function gotoWhenReady(page, url) {
  for (let i = 0; i < 120; i++) {
    const response = await page.goto(url);
    if (response.status() !== 503) return response;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`${url} stayed unavailable`);
}

test('the portfolio and a community health page render with their charts', async () => {
  const page = await browser.newPage();
  await page.goto(server.base + '/login');
  // Olivia stewards the private Engineering Managers Circle.
  await page.getByLabel('E-mail').fill('olivia.brown@example.org');
  await page.getByLabel('Password').fill('guildhall-demo');
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('heading', { name: /Welcome/ }).waitFor();

  const response = await gotoWhenReady(page, server.base + '/portfolio');
  assert.equal(response.status(), 200);
  await page.getByRole('heading', { name: 'Portfolio' }).waitFor();
  const table = await page.locator('table').textContent();
  assert.ok(table.includes('Observability Guild'), table);
  assert.ok(table.includes('Engineering Managers Circle'), 'a steward sees their private community');
  await page.screenshot({ path: join(results, 'portfolio.png'), fullPage: true });

  await page.getByRole('link', { name: 'Observability Guild' }).click();
  await page.getByRole('heading', { name: 'Health of Observability Guild' }).waitFor();
  const main = await page.locator('main').textContent();
  for (const expected of ['Vitality', 'What to tend', 'How the vitality score is made', 'Why this stage']) {
    assert.ok(main.includes(expected), `${expected} missing`);
  }
  assert.ok(await page.locator('figure svg').count() >= 4, 'the weekly charts are drawn');
  assert.ok(await page.locator('svg title', { hasText: 'Active members per week' }).count() === 1);
  await page.screenshot({ path: join(results, 'community-health.png'), fullPage: true });
  await page.close();
});

test('a member who does not belong to a private community cannot open its health page', async () => {
  const page = await browser.newPage();
  await page.goto(server.base + '/login');
  await page.getByLabel('E-mail').fill('tom.nguyen@example.org');
  await page.getByLabel('Password').fill('guildhall-demo');
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('heading', { name: /Welcome/ }).waitFor();
  const response = await gotoWhenReady(page, server.base + '/communities/engineering-managers/health');
  assert.equal(response.status(), 404);
  await gotoWhenReady(page, server.base + '/portfolio');
  const table = await page.locator('table').textContent();
  assert.ok(!table.includes('Engineering Managers'), table);
  await page.close();
});
