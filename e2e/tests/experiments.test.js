// Experiments and adoption in a real browser: a member proposes an
// experiment, starts it and concludes it with learnings, sees it on the
// community's experiments page, writes it up as a draft artifact, records
// their team's adoption of it and finds that on the influence page.
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

test('propose, start, conclude with learnings, then adoption on the influence page', async () => {
  const page = await browser.newPage();
  await page.goto(server.base + '/login');
  // Lukas (Payments) is a member of the Observability Guild.
  await page.getByLabel('E-mail').fill('lukas.becker@example.org');
  await page.getByLabel('Password').fill('guildhall-demo');
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('heading', { name: /Welcome/ }).waitFor();

  await page.goto(server.base + '/communities/observability-guild');
  await page.getByRole('link', { name: 'Experiments' }).click();
  await page.getByRole('heading', { name: 'Experiments of Observability Guild' }).waitFor();
  assert.deepEqual(await unlabelledControls(page), []);
  await page.getByLabel('Title').fill('Alert budgets per team');
  await page.getByLabel(/Hypothesis/).fill('A budget of five pages a week halves **noisy** alerts.');
  await page.getByRole('button', { name: 'Propose' }).click();
  await page.getByRole('heading', { name: 'Alert budgets per team' }).waitFor();
  assert.equal((await page.locator('#status').textContent()).trim(), 'proposed');

  await page.getByRole('button', { name: 'Start the experiment' }).click();
  await page.getByRole('heading', { name: 'Conclude' }).waitFor();
  assert.equal((await page.locator('#status').textContent()).trim(), 'running');
  assert.deepEqual(await unlabelledControls(page), []);
  await page.getByLabel(/Result/).fill('Noisy pages fell from 31 to 12 a week.');
  await page.getByLabel(/Learnings/).fill('Budgets work when each team owns its own.');
  await page.getByRole('button', { name: 'Conclude the experiment' }).click();
  await page.getByRole('heading', { name: 'Learnings', exact: true }).waitFor();
  assert.equal((await page.locator('#status').textContent()).trim(), 'concluded');
  assert.ok((await page.locator('main').textContent()).includes('Budgets work when each team owns its own.'));
  await page.screenshot({ path: join(results, 'experiment.png'), fullPage: true });

  await page.getByRole('link', { name: /Experiments of Observability Guild/ }).click();
  const card = page.locator('li.card', { hasText: 'Alert budgets per team' });
  assert.ok((await card.textContent()).includes('concluded'));

  // Written up as a draft artifact, then adopted by Lukas's team.
  await card.getByRole('link').click();
  await page.getByRole('button', { name: 'Write it up as a draft artifact' }).click();
  await page.waitForURL(/\/artifacts\/\d+$/);
  const artifact = page.url().match(/\/artifacts\/(\d+)$/)[1];
  await page.goto(`${server.base}/artifacts/${artifact}/adoption`);
  await page.getByRole('heading', { name: 'Adoption of Alert budgets per team' }).waitFor();
  assert.deepEqual(await unlabelledControls(page), []);
  assert.equal(await page.getByLabel('Team').inputValue(), 'Payments');
  await page.getByLabel('Note').fill('every on-call rotation');
  await page.getByRole('button', { name: 'Record the adoption' }).click();
  const row = page.locator('#adoptions tbody tr', { hasText: 'Payments' });
  await row.waitFor();
  assert.ok((await row.textContent()).includes('every on-call rotation'));

  await page.getByRole('link', { name: /Influence of Observability Guild/ }).click();
  await page.getByRole('heading', { name: 'Influence of Observability Guild' }).waitFor();
  assert.match(await page.locator('#teams-reached').textContent(), /^1 of \d+$/);
  const payments = page.locator('#influence-table tbody tr', { hasText: 'Payments' });
  assert.equal((await payments.locator('td').last().textContent()).trim(), '1');
  assert.equal(await page.locator('svg.influence-chart rect').count() >= 1, true);
  assert.ok(await page.getByRole('link', { name: 'Alert budgets per team' }).count() === 1);
  await page.screenshot({ path: join(results, 'influence.png'), fullPage: true });
  await page.close();
});
