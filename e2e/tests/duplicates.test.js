// Duplicate effort in a real browser, on every database available (SQLite
// always, PostgreSQL when GUILDHALL_TEST_DATABASE_URL is set): Grace Liu
// (Search) and Aisha Rahman (Security) each ask about the same logging
// problem in their own words; Grace's question page flags Aisha's with the
// terms they share, Grace links them, and both question pages then show
// "Same problem as" the other.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, startBrowser, databases, unlabelledControls, results } from './harness.js';

let browser;

before(async () => {
  browser = await startBrowser();
});

after(async () => {
  await browser?.close();
});

async function logIn(server, page, email) {
  await page.goto(server.base + '/login');
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill('guildhall-demo');
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('heading', { name: /Welcome/ }).waitFor();
}

async function ask(server, page, title, body, tags) {
  await page.goto(server.base + '/communities/observability-guild/threads/new');
  await page.getByLabel('Type').selectOption('question');
  await page.getByLabel('Title').fill(title);
  await page.getByLabel('Body').fill(body);
  await page.getByLabel('Tags').fill(tags);
  await page.getByRole('button', { name: 'Post', exact: true }).click();
  await page.getByRole('heading', { name: title, level: 1 }).waitFor();
  return page.url();
}

const GRACE = 'Fluentd sidecar drops structured JSON fields under load';
const AISHA = 'Structured log fields vanish from Kibana when traffic peaks';

for (const database of databases) {
  test(`two near-duplicate questions from different teams are flagged and linked (${database})`, async () => {
    const server = await startServer({ database });
    try {
      const grace = await (await browser.newContext()).newPage();
      const aisha = await (await browser.newContext()).newPage();
      await logIn(server, grace, 'grace.liu@example.org');
      await logIn(server, aisha, 'aisha.rahman@example.org');

      const graceUrl = await ask(server, grace, GRACE,
        'Our fluentd sidecar drops JSON fields whenever the pods are busy: the buffer overflows and Kibana shows half the fields.',
        'fluentd, kibana');
      const aishaUrl = await ask(server, aisha, AISHA,
        'When traffic peaks the fluentd buffer overflows and the structured JSON fields never reach Kibana.',
        'fluentd');

      // Grace's page flags Aisha's question with the terms they share.
      await grace.goto(graceUrl);
      const panel = grace.getByRole('region', { name: 'Duplicate effort' });
      await panel.waitFor();
      const item = panel.getByRole('listitem').filter({ hasText: AISHA });
      await item.waitFor();
      const shared = await item.locator('.shared-terms mark').allInnerTexts();
      for (const word of ['fluentd', 'kibana', 'buffer']) {
        assert.ok(shared.includes(word), `${word} among the shared terms ${shared}`);
      }
      assert.match(await item.innerText(), /Aisha Rahman/);
      assert.deepEqual(await unlabelledControls(grace), []);
      await grace.screenshot({ path: join(results, 'duplicates-flagged.png'), fullPage: true });

      // She links them; both pages now say they are the same problem.
      await item.getByRole('button', { name: 'Link them' }).click();
      await grace.getByRole('heading', { name: GRACE, level: 1 }).waitFor();
      const same = grace.locator('.same-problem');
      await same.getByRole('link', { name: AISHA }).waitFor();
      assert.equal(await grace.getByRole('button', { name: 'Link them' }).count(), 0, 'the pair is decided');

      await aisha.goto(aishaUrl);
      await aisha.locator('.same-problem').getByRole('link', { name: GRACE }).click();
      await aisha.getByRole('heading', { name: GRACE, level: 1 }).waitFor();
      assert.equal(aisha.url(), graceUrl);
    } finally {
      await server.stop();
    }
  });
}
