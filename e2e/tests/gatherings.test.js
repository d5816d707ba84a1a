// Gatherings in a real browser: a steward starts a weekly Berlin series that
// crosses the end of summer time, two members answer, the facilitator takes
// attendance, the rotation suggests the next facilitator, the fairness view
// shows members in Los Angeles and Kolkata with their burden, and a
// calendar feed is made and served; then the notes of the held date become a
// draft artifact, one upcoming date moves, and the series changes from a
// later date on.
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

async function logIn(email) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(server.base + '/login');
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill('guildhall-demo');
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('heading', { name: /Welcome/ }).waitFor();
  return page;
}

test('a weekly series across a DST change: RSVP, attendance, next facilitator, fairness, feed', async () => {
  const amara = await logIn('amara.okafor@example.org');
  await amara.goto(server.base + '/communities/observability-guild');
  assert.ok((await amara.locator('main').textContent()).includes('Next gatherings'));
  await amara.getByRole('link', { name: 'All gatherings' }).click();
  await amara.getByRole('heading', { name: /Gatherings of/, level: 1 }).waitFor();
  assert.deepEqual(await unlabelledControls(amara), []);
  await amara.getByLabel('Title').fill('DST practice call');
  await amara.getByLabel('Format').selectOption('deep_dive');
  // Tuesday 20 October 2026, 09:00 in Berlin (summer time); summer time ends on 25 October.
  await amara.getByLabel(/^First start/).fill('2026-10-20T09:00');
  await amara.getByLabel(/^Time zone/).fill('Europe/Berlin');
  await amara.getByLabel(/^Repeats/).fill('FREQ=WEEKLY;BYDAY=TU;COUNT=60');
  await amara.getByLabel('Length in minutes').fill('60');
  await amara.getByLabel(/Rotate facilitation/).check();
  await amara.getByRole('button', { name: 'Create the series' }).click();
  await amara.getByRole('heading', { name: 'DST practice call', level: 1 }).waitFor();
  const seriesUrl = amara.url();
  const id = seriesUrl.split('/').pop();
  const listed = await amara.locator('main').textContent();
  assert.ok(listed.includes('09:00 (Europe/Berlin)'), listed);

  // The first date (07:00 UTC in summer time) and the next (08:00 UTC in winter) are both 09:00 in Berlin.
  for (const key of [`${id}-20261020T070000Z`, `${id}-20261027T080000Z`]) {
    const r = await amara.goto(`${server.base}/occurrences/${key}`);
    assert.equal(r.status(), 200, key);
    assert.ok((await amara.locator('h1').textContent()).includes('09:00'), key);
  }

  // Two members answer the next date and volunteer to facilitate.
  const next = `${server.base}/gatherings/${id}`;
  for (const email of ['priya.raman@example.org', 'grace.liu@example.org']) {
    const page = await logIn(email);
    await page.goto(next);
    await page.getByRole('button', { name: 'Volunteer to facilitate' }).click();
    await page.getByRole('button', { name: 'Stop volunteering' }).waitFor();
    await page.locator('main ul li a').first().click();
    await page.getByRole('button', { name: 'Yes', exact: true }).click();
    await page.getByText('(now: yes)').waitFor();
    await page.context().close();
  }
  await amara.goto(next);
  await amara.locator('main ul li a').first().click();
  const answered = await amara.locator('main').textContent();
  assert.ok(answered.includes('Priya Raman') && answered.includes('Grace Liu'), answered);

  // Attendance of the first, past date, taken by the steward as facilitator.
  await amara.goto(`${server.base}/occurrences/${id}-20261020T070000Z`);
  assert.deepEqual(await unlabelledControls(amara), []);
  await amara.getByLabel('Priya Raman').check();
  await amara.getByLabel('Grace Liu').check();
  await amara.getByRole('button', { name: 'Record attendance' }).click();
  await amara.getByText('Held, facilitated by Amara Okafor').waitFor();
  const held = await amara.locator('main').textContent();
  assert.ok(held.includes('Attended: Grace Liu, Priya Raman'), held);
  await amara.screenshot({ path: join(results, 'gathering-occurrence.png'), fullPage: true });

  // The rotation suggests a volunteer for the next dates.
  await amara.goto(next);
  const table = await amara.getByRole('table', { name: 'Suggested facilitators' }).textContent();
  assert.ok(table.includes('Grace Liu') && table.includes('Priya Raman'), table);
  await amara.screenshot({ path: join(results, 'gathering-series.png'), fullPage: true });

  // Fairness: members in Los Angeles and Kolkata with their burden.
  await amara.getByRole('link', { name: 'Time-zone fairness' }).click();
  await amara.getByRole('heading', { name: /Time-zone fairness/ }).waitFor();
  const rows = await amara.getByRole('table', { name: 'Burden per member' }).locator('tbody tr').allTextContents();
  const la = rows.find((r) => r.includes('Grace Liu'));
  const kolkata = rows.find((r) => r.includes('Priya Raman'));
  assert.ok(la && la.includes('America/Los_Angeles'), rows.join('\n'));
  assert.ok(kolkata && kolkata.includes('Asia/Kolkata'), rows.join('\n'));
  const zones = await amara.getByRole('table', { name: 'Burden per time zone' }).textContent();
  assert.ok(zones.includes('America/Los_Angeles') && zones.includes('Asia/Kolkata'), zones);
  await amara.screenshot({ path: join(results, 'gathering-fairness.png'), fullPage: true });

  // A calendar feed of the community, served by its token.
  await amara.goto(server.base + '/settings/feeds');
  assert.deepEqual(await unlabelledControls(amara), []);
  await amara.getByLabel('Feed of').selectOption('observability-guild');
  await amara.getByRole('button', { name: 'Make a feed' }).click();
  const path = await amara.locator('#new-feed').textContent();
  const feed = await fetch(server.base + path);
  assert.equal(feed.status, 200);
  const ics = await feed.text();
  for (const needle of ['BEGIN:VTIMEZONE', 'TZID:Europe/Berlin', 'DTSTART;TZID=Europe/Berlin:20261020T090000', 'RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=60']) {
    assert.ok(ics.includes(needle), `${needle} in\n${ics}`);
  }
  await amara.getByRole('button', { name: 'Revoke' }).first().click();
  assert.equal((await fetch(server.base + path)).status, 404, 'a revoked feed is gone');

  // The held date's notes become a draft story, linked from the date.
  await amara.goto(`${server.base}/occurrences/${id}-20261020T070000Z`);
  await amara.getByLabel('Notes').fill('We traced one slow request end to end.');
  await amara.getByRole('button', { name: 'Save notes' }).click();
  await amara.getByRole('heading', { name: 'Promote these notes to an artifact' }).waitFor();
  assert.deepEqual(await unlabelledControls(amara), []);
  await amara.getByLabel('Kind of artifact').selectOption('story');
  await amara.locator('#promote-title').fill('Tracing one slow request');
  await amara.getByRole('button', { name: 'Promote to an artifact' }).click();
  const promoted = amara.getByRole('link', { name: 'Tracing one slow request' });
  await promoted.waitFor();
  assert.match(await promoted.getAttribute('href'), /^\/artifacts\/\d+$/);
  assert.ok((await amara.locator('main').textContent()).includes('(Story, draft)'));
  await promoted.click();
  await amara.getByRole('heading', { name: 'Tracing one slow request', level: 1 }).waitFor();
  assert.ok((await amara.locator('main').textContent()).includes('We traced one slow request end to end.'));

  // One upcoming date moves two hours later; the page says so.
  await amara.goto(next);
  await amara.locator('main ul li a').nth(2).click();
  await amara.getByRole('heading', { name: 'Move only this date' }).waitFor();
  assert.deepEqual(await unlabelledControls(amara), []);
  const usual = await amara.locator('#move-start').inputValue();
  assert.match(usual, /T09:00$/);
  await amara.locator('#move-start').fill(usual.replace('T09:00', 'T11:00'));
  await amara.getByRole('button', { name: 'Move this date' }).click();
  await amara.getByText('moved from its usual time').waitFor();
  assert.ok((await amara.locator('h1').textContent()).includes('11:00'));
  await amara.getByRole('button', { name: 'Back to its usual time' }).waitFor();

  // A bad rule for "this and all following" is shown on the page; then from a
  // later date on the series runs at 10:00.
  await amara.goto(next);
  await amara.locator('main ul li a').nth(4).click();
  const from = amara.url();
  await amara.locator('#following-rrule').fill('FREQ=FORTNIGHTLY');
  await amara.getByRole('button', { name: 'Change this and all following dates' }).click();
  await amara.getByRole('alert').waitFor();
  assert.ok((await amara.getByRole('alert').textContent()).toLowerCase().includes('rrule'));
  assert.equal(amara.url(), from.replace(/\/?$/, '') + '/following');
  await amara.goto(from);
  await amara.locator('#following-title').fill('DST practice call, later');
  const start = await amara.locator('#following-start').inputValue();
  await amara.locator('#following-start').fill(start.replace('T09:00', 'T10:00'));
  await amara.getByRole('button', { name: 'Change this and all following dates' }).click();
  await amara.getByRole('heading', { name: 'DST practice call, later', level: 1 }).waitFor();
  const later = await amara.locator('main ul').first().textContent();
  assert.ok(later.includes('10:00 (Europe/Berlin)') && !later.includes('09:00 (Europe/Berlin)'), later);
  await amara.goto(next);
  assert.ok((await amara.locator('main').textContent()).includes('09:00 (Europe/Berlin)'), 'earlier dates keep their time');
});
