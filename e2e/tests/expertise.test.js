// Who knows what in a real browser, on every database available (SQLite
// always, PostgreSQL when GUILDHALL_TEST_DATABASE_URL is set): Aisha's
// answer on a question tagged "trace-sampling" is accepted; she opts in to
// hearing of questions she could answer; when Grace writes a new question
// with that tag, the form lists Aisha as someone who could answer, with her
// evidence, and so does the posted question; Aisha is notified; the
// expertise directory finds her by the topic.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
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

async function ask(server, page, title, tags) {
  await page.goto(server.base + '/communities/observability-guild/threads/new');
  await page.getByLabel('Type').selectOption('question');
  await page.getByLabel('Title').fill(title);
  await page.getByLabel('Body').fill('We keep too many traces and miss the slow ones.');
  await page.getByLabel(/^Tags/).fill(tags);
}

for (const database of databases) {
  test(`a question gets suggested answerers with their evidence (${database})`, async () => {
    const server = await startServer({ database });
    try {
      // Grace Liu and Aisha Rahman belong to the Observability Guild.
      const grace = await (await browser.newContext()).newPage();
      const aisha = await (await browser.newContext()).newPage();
      await logIn(server, grace, 'grace.liu@example.org');
      await logIn(server, aisha, 'aisha.rahman@example.org');

      // Grace asks; Aisha answers; Grace accepts.
      await ask(server, grace, 'Head or tail sampling for our traces?', 'trace-sampling');
      await grace.getByRole('button', { name: 'Post', exact: true }).click();
      await grace.getByRole('heading', { name: 'Head or tail sampling for our traces?', level: 1 }).waitFor();
      const first = grace.url();
      await aisha.goto(first);
      await aisha.getByLabel('Reply', { exact: true }).fill('Tail sampling: keep every slow or failed trace, a tenth of the rest.');
      await aisha.getByRole('button', { name: 'Post reply' }).click();
      await aisha.getByText('keep every slow or failed trace').waitFor();
      await grace.goto(first);
      await grace.getByRole('button', { name: 'Accept this answer' }).first().click();
      await grace.getByText('Accepted answer', { exact: true }).waitFor();

      // Aisha opts in to hearing of questions she could answer.
      await aisha.goto(server.base + '/profile/edit');
      await aisha.getByRole('link', { name: 'expertise settings' }).click();
      await aisha.getByRole('heading', { name: 'Your expertise', level: 1 }).waitFor();
      assert.deepEqual(await unlabelledControls(aisha), []);
      await aisha.getByLabel('Notify me of questions I could answer').check();
      await aisha.getByRole('button', { name: 'Save', exact: true }).click();
      await aisha.getByText('Saved.').waitFor();
      assert.ok(await aisha.getByLabel('Notify me of questions I could answer').isChecked());
      const evidence = /1 accepted answer tagged trace-sampling, last in \w+ \d{4}/;
      assert.match(await aisha.locator('section.expertise').innerText(), evidence);

      // While Grace writes a new question, the form lists Aisha with her evidence.
      await ask(server, grace, 'Sampling rules per service', 'trace-sampling, otel');
      assert.deepEqual(await unlabelledControls(grace), []);
      const answerers = grace.getByRole('region', { name: 'Who could answer' });
      await answerers.getByRole('link', { name: 'Aisha Rahman' }).waitFor({ timeout: 10_000 });
      assert.match(await answerers.innerText(), evidence);
      await grace.getByRole('button', { name: 'Post', exact: true }).click();
      await grace.getByRole('heading', { name: 'Sampling rules per service', level: 1 }).waitFor();

      // The question shows them too, never its asker.
      const suggested = grace.getByRole('region', { name: 'Who could answer' });
      await suggested.getByRole('link', { name: 'Aisha Rahman' }).waitFor();
      const shown = await suggested.innerText();
      assert.match(shown, evidence);
      assert.ok(!shown.includes('Grace Liu'), 'the asker is never suggested');
      const question = grace.url();

      // Aisha was told.
      await aisha.goto(server.base + '/notifications');
      const told = aisha.getByRole('listitem').filter({ hasText: 'asked a question you could answer' });
      await told.getByRole('link', { name: 'Sampling rules per service' }).waitFor();
      assert.match(await told.first().innerText(), /Grace Liu asked a question you could answer/);
      await told.getByRole('link', { name: 'Sampling rules per service' }).first().click();
      assert.equal(aisha.url(), question);

      // The directory finds her by the topic.
      await grace.goto(server.base + '/people');
      await grace.getByRole('link', { name: 'Who knows what' }).click();
      await grace.getByLabel('Topic', { exact: true }).fill('Trace-Sampling');
      await grace.getByRole('button', { name: 'Find' }).click();
      await grace.getByRole('heading', { name: 'Who knows about trace-sampling', level: 1 }).waitFor();
      const row = grace.getByRole('listitem').filter({ hasText: 'Aisha Rahman' }).first();
      assert.match(await row.innerText(), evidence);
    } finally {
      await server.stop();
    }
  });
}
