// Mentoring in a real browser, on every database available (SQLite always,
// PostgreSQL when GUILDHALL_TEST_DATABASE_URL is set): a newcomer signs up,
// says what they want to learn, joins a community and finds its start-here
// page with a suggested mentor (a member who teaches it, from another team);
// they ask with one click; the mentor hears of it and accepts; both see the
// mentoring pair.
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

for (const database of databases) {
  test(`a newcomer asks the suggested mentor, who accepts (${database})`, async () => {
    const server = await startServer({ database });
    try {
      // The newcomer signs up and says what they want to learn.
      const noor = await (await browser.newContext()).newPage();
      await noor.goto(server.base + '/signup');
      await noor.getByLabel('E-mail').fill('noor.hassan@example.org');
      await noor.getByLabel('Your name').fill('Noor Hassan');
      await noor.getByLabel(/Password/).fill('a sturdy passphrase');
      await noor.getByRole('button', { name: 'Create account' }).click();
      await noor.getByRole('heading', { name: 'Welcome, Noor Hassan' }).waitFor();
      await noor.goto(server.base + '/profile/edit');
      await noor.getByLabel('Team', { exact: true }).fill('Payments');
      await noor.getByLabel('Wants to learn').fill('Incident Reviews');
      await noor.getByRole('button', { name: 'Save profile' }).click();
      await noor.getByRole('heading', { name: 'Noor Hassan' }).waitFor();

      // Joining the Incident Review Practice points to its start-here page.
      await noor.goto(server.base + '/communities/incident-review');
      await noor.getByRole('button', { name: 'Join this community' }).click();
      await noor.getByRole('button', { name: 'Leave this community' }).waitFor();
      await noor.getByRole('note').getByRole('link', { name: 'Start here' }).click();
      await noor.getByRole('heading', { name: 'Start here: Incident Review Practice', level: 1 }).waitFor();
      assert.deepEqual(await unlabelledControls(noor), []);
      const charter = await noor.getByRole('region', { name: 'What we are about' }).innerText();
      assert.match(charter, /How do we learn the most from each incident/);
      const steps = noor.getByRole('region', { name: 'First steps' });
      assert.match(await steps.innerText(), /0 of \d+ done/);

      // The suggested mentor: Emily Carter (Platform) teaches incident review.
      const mentor = noor.getByRole('region', { name: 'A mentor' });
      const reasons = await mentor.innerText();
      assert.match(reasons, /Emily Carter/);
      assert.match(reasons, /teaches incident review, which you want to learn/);
      assert.match(reasons, /other team/);
      assert.match(reasons, /of your working days overlap|no working hours in common/);
      await noor.screenshot({ path: join(results, 'start-here.png'), fullPage: true });
      await mentor.getByLabel(/A note to Emily Carter/).fill('I joined this week and would love a guide.');
      await mentor.getByRole('button', { name: 'Ask Emily Carter to mentor you on incident reviews' }).click();
      await noor.getByRole('heading', { name: 'Start here: Incident Review Practice', level: 1 }).waitFor();
      assert.match(await noor.getByRole('region', { name: 'A mentor' }).innerText(), /Emily Carter mentoring you on incident reviews/);
      assert.match(await noor.getByRole('region', { name: 'First steps' }).innerText(), /1 of \d+ done/);

      // Emily is told, and accepts from her mentoring page.
      const emily = await (await browser.newContext()).newPage();
      await emily.goto(server.base + '/login');
      await emily.getByLabel('E-mail').fill('emily.carter@example.org');
      await emily.getByLabel('Password').fill('guildhall-demo');
      await emily.getByRole('button', { name: 'Log in' }).click();
      await emily.getByRole('heading', { name: /Welcome/ }).waitFor();
      await emily.getByRole('link', { name: /Notifications/ }).click();
      await emily.getByText('Noor Hassan proposed a mentorship on incident reviews').waitFor();
      await emily.getByRole('link', { name: 'Mentoring', exact: true }).click();
      await emily.getByRole('heading', { name: 'Mentoring', level: 1 }).waitFor();
      assert.deepEqual(await unlabelledControls(emily), []);
      const waiting = emily.getByRole('region', { name: 'Waiting for your answer' });
      assert.match(await waiting.innerText(), /I joined this week/);
      await waiting.getByRole('button', { name: 'Accept' }).click();
      await emily.getByRole('heading', { name: 'Mentoring', level: 1 }).waitFor();
      const hers = await emily.getByRole('region', { name: 'Your mentoring pairs' }).innerText();
      assert.match(hers, /You mentoring Noor Hassan on incident reviews/);
      assert.match(hers, /active/);

      // Noor sees the pair too, and was told.
      await noor.goto(server.base + '/mentoring');
      const his = await noor.getByRole('region', { name: 'Your mentoring pairs' }).innerText();
      assert.match(his, /Emily Carter mentoring you on incident reviews/);
      await noor.goto(server.base + '/notifications');
      await noor.getByText('Emily Carter accepted: you are now a mentoring pair on incident reviews').waitFor();
      await noor.screenshot({ path: join(results, 'mentoring.png'), fullPage: true });
    } finally {
      server.stop();
    }
  });
}
