// The practice in a real browser, on every database available (SQLite
// always, PostgreSQL when GUILDHALL_TEST_DATABASE_URL is set): a member
// writes a checklist, edits it twice, views the diff and marks it reviewed;
// a second member records a use by their team; moving the server's clock
// past the review interval makes the checklist stale; a thread promoted to
// an artifact links back to it and the thread shows where it went.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, startBrowser, databases, unlabelledControls } from './harness.js';

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

async function edit(page, body, summary) {
  await page.getByRole('link', { name: 'Edit', exact: true }).click();
  await page.getByRole('heading', { name: /^Edit/, level: 1 }).waitFor();
  assert.deepEqual(await unlabelledControls(page), []);
  await page.getByLabel('Body', { exact: true }).fill(body);
  await page.getByLabel('What changed').fill(summary);
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('heading', { name: 'Release readiness checklist', level: 1 }).waitFor();
}

for (const database of databases) {
  test(`a checklist lives, is reused, goes stale, and a thread is promoted (${database})`, async () => {
    const clockFile = join(mkdtempSync(join(tmpdir(), 'guildhall-clock-')), 'offset');
    writeFileSync(clockFile, '0');
    const server = await startServer({ database, testClock: clockFile });
    try {
      // Grace Liu (Search) and Aisha Rahman (Security) belong to the Observability Guild.
      const grace = await (await browser.newContext()).newPage();
      const aisha = await (await browser.newContext()).newPage();
      await logIn(server, grace, 'grace.liu@example.org');
      await logIn(server, aisha, 'aisha.rahman@example.org');

      await grace.goto(server.base + '/communities/observability-guild');
      await grace.getByRole('link', { name: 'Practice', exact: true }).click();
      await grace.getByRole('heading', { name: 'Practice of Observability Guild', level: 1 }).waitFor();
      await grace.getByRole('link', { name: 'Write an artifact' }).click();
      assert.deepEqual(await unlabelledControls(grace), []);
      await grace.getByLabel('Kind', { exact: true }).selectOption('checklist');
      await grace.getByLabel('Title', { exact: true }).fill('Release readiness checklist');
      await grace.getByLabel('Body', { exact: true }).fill('- [ ] Dashboards updated\n- [ ] Alerts routed to the owning team');
      await grace.getByLabel(/^Tags/).fill('release, alerts');
      await grace.getByRole('button', { name: 'Save' }).click();
      await grace.getByRole('heading', { name: 'Release readiness checklist', level: 1 }).waitFor();
      const artifactUrl = grace.url();
      assert.equal(await grace.locator('#stale-badge').count(), 0, 'fresh when written');

      await edit(grace, '- [ ] Dashboards updated\n- [ ] Alerts routed to the owning team\n- [ ] Runbook linked', 'Add the runbook');
      await edit(grace, '- [ ] Dashboards updated and reviewed\n- [ ] Alerts routed to the owning team\n- [ ] Runbook linked', 'Dashboards are reviewed too');
      assert.match(await grace.locator('.meta').first().innerText(), /revision 3/);

      // The history compares any two revisions, line by line with the changed words marked.
      await grace.getByRole('link', { name: 'History' }).click();
      await grace.getByRole('heading', { name: /History of/, level: 1 }).waitFor();
      await grace.getByLabel('From revision', { exact: true }).selectOption('1');
      await grace.getByLabel('To revision', { exact: true }).selectOption('3');
      await grace.getByRole('button', { name: 'Compare' }).click();
      await grace.getByRole('heading', { name: 'Changes from revision 1 to revision 3' }).waitFor();
      const inserted = await grace.locator('.line-diff ins').allInnerTexts();
      assert.ok(inserted.some((t) => t.includes('and reviewed')), `changed words marked: ${inserted}`);
      assert.ok(inserted.some((t) => t.includes('Runbook linked')), `added line marked: ${inserted}`);
      assert.ok(await grace.locator('.line-diff .removed').count() >= 1, 'the old line shows as removed');
      assert.match(await grace.locator('.revisions').innerText(), /Dashboards are reviewed too/);

      // Grace owns it: she marks it reviewed.
      await grace.goto(artifactUrl);
      await grace.getByRole('button', { name: 'Mark reviewed' }).click();
      await grace.getByText('Marked reviewed: still true.').waitFor();
      assert.match(await grace.locator('dl.facts').innerText(), /Last reviewed\s+\d{4}-\d{2}-\d{2} by Grace Liu/);

      // Aisha is not its owner: she cannot mark it reviewed, but she records a use by her team.
      await aisha.goto(artifactUrl);
      assert.equal(await aisha.getByRole('button', { name: 'Mark reviewed' }).count(), 0);
      await aisha.getByRole('button', { name: 'I used this' }).click();
      await aisha.getByText('Your use was recorded').waitFor();
      const uses = await aisha.locator('table.uses tbody').innerText();
      assert.match(uses, /Security\s+1/);
      assert.match(await aisha.locator('#reuse-count').innerText(), /1 time/);

      // 91 days later the 90-day checklist is stale, on its page and in the community's list.
      // (Sessions expire with time too: Grace logs in again.)
      writeFileSync(clockFile, String(91 * 86400));
      await logIn(server, grace, 'grace.liu@example.org');
      await grace.goto(artifactUrl);
      await grace.locator('#stale-badge').waitFor();
      await grace.goto(server.base + '/communities/observability-guild/artifacts');
      const stale = grace.getByRole('region', { name: 'Stale: due for review' });
      await stale.getByRole('link', { name: 'Release readiness checklist' }).waitFor();
      await grace.goto(server.base + '/artifacts/mine');
      await grace.getByRole('link', { name: 'Release readiness checklist' }).waitFor();
      writeFileSync(clockFile, '0');
      // (Expired sessions were swept while the clock stood ahead: Aisha logs in again.)
      await logIn(server, aisha, 'aisha.rahman@example.org');

      // A thread promoted to an artifact links back, and the thread shows it.
      await aisha.goto(server.base + '/communities/observability-guild/threads');
      assert.match(await aisha.locator('h1').innerText(), /Threads of Observability Guild/);
      const first = aisha.locator('a.thread-title').first();
      const threadTitle = (await first.innerText()).trim();
      await first.click();
      await aisha.getByRole('heading', { name: threadTitle, level: 1 }).waitFor();
      const threadUrl = aisha.url();
      await aisha.getByRole('button', { name: 'Promote to a draft artifact' }).click();
      await aisha.getByRole('heading', { name: /^Edit/, level: 1 }).waitFor();
      await aisha.getByRole('button', { name: 'Save' }).click();
      await aisha.getByRole('heading', { name: threadTitle, level: 1 }).waitFor();
      const promotedUrl = aisha.url();
      await aisha.getByRole('link', { name: threadTitle }).last().click();
      await aisha.waitForURL(new RegExp(threadUrl.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
      const practice = aisha.getByRole('region', { name: 'In the practice' });
      assert.match(await practice.innerText(), /Promoted to/);
      await practice.getByRole('link', { name: threadTitle }).click();
      assert.equal(aisha.url(), promotedUrl);
    } finally {
      server.stop();
    }
  });
}
