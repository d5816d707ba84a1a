// Sign up, log out, log in, edit the profile and find oneself in the
// directory, in a real browser, as a person would.
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

test('a new member signs up, edits their profile and appears in the directory', async () => {
  const page = await browser.newPage();
  await page.goto(server.base + '/');
  assert.match(await page.title(), /Guildhall/);
  await page.getByRole('link', { name: 'Sign up' }).first().click();
  assert.deepEqual(await unlabelledControls(page), []);

  // A password that is too short is explained, and the form keeps what was typed.
  await page.getByLabel('E-mail').fill('noor.hassan@example.org');
  await page.getByLabel('Your name').fill('Noor Hassan');
  await page.getByLabel(/Password/).fill('short');
  await page.evaluate(() => document.querySelector('#password').removeAttribute('minlength'));
  await page.getByRole('button', { name: 'Create account' }).click();
  assert.match(await page.getByRole('alert').textContent(), /too short/);
  assert.equal(await page.getByLabel('Your name').inputValue(), 'Noor Hassan');

  await page.getByLabel(/Password/).fill('a sturdy passphrase');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByRole('heading', { name: 'Welcome, Noor Hassan' }).waitFor();
  // The demo organisation's communities are on the start page.
  await page.getByRole('heading', { name: 'Observability Guild' }).waitFor();
  await page.screenshot({ path: join(results, 'home.png'), fullPage: true });

  await page.getByRole('link', { name: 'Noor Hassan' }).click();
  await page.getByRole('link', { name: 'Edit your profile' }).click();
  assert.deepEqual(await unlabelledControls(page), []);
  await page.getByLabel('Team', { exact: true }).fill('Platform');
  await page.getByLabel('Location', { exact: true }).fill('Cairo');
  await page.getByLabel(/Time zone/).fill('Africa/Cairo');
  await page.getByLabel('From', { exact: true }).fill('07:30');
  await page.getByLabel('To', { exact: true }).fill('15:30');
  await page.getByLabel('About you').fill('Kubernetes operator, learning Rust.');
  await page.getByLabel(/^Skills/).fill('kubernetes:expert, rust:beginner');
  await page.getByLabel(/^Interests/).fill('platform engineering');
  await page.getByLabel('Can teach').fill('helm');
  await page.getByLabel('Wants to learn').fill('rust');
  await page.getByRole('button', { name: 'Save profile' }).click();
  await page.getByRole('heading', { name: 'Noor Hassan' }).waitFor();
  const profile = await page.locator('main').textContent();
  for (const expected of ['Platform', 'Cairo', 'Africa/Cairo', '07:30–15:30', 'kubernetes', 'helm']) {
    assert.ok(profile.includes(expected), `${expected} missing from the profile`);
  }
  await page.screenshot({ path: join(results, 'profile.png'), fullPage: true });

  // A wrong time zone is refused with its reason.
  await page.getByRole('link', { name: 'Edit your profile' }).click();
  await page.getByLabel(/Time zone/).fill('Mars/Olympus_Mons');
  await page.getByRole('button', { name: 'Save profile' }).click();
  assert.match(await page.getByRole('alert').textContent(), /IANA time zone/);
  assert.equal(await page.getByLabel(/Time zone/).getAttribute('aria-invalid'), 'true');

  // The directory finds people by skill and team.
  await page.getByRole('link', { name: 'People', exact: true }).click();
  await page.getByLabel('Skill', { exact: true }).fill('kubernetes');
  await page.getByRole('button', { name: 'Search' }).click();
  const found = await page.locator('ul.people').textContent();
  assert.ok(found.includes('Noor Hassan') && found.includes('Amara Okafor'), found);
  await page.getByLabel('Skill', { exact: true }).fill('');
  await page.getByLabel('Team', { exact: true }).selectOption('Payments');
  await page.getByRole('button', { name: 'Search' }).click();
  const payments = await page.locator('ul.people').textContent();
  assert.ok(payments.includes('Lukas Becker') && !payments.includes('Noor Hassan'), payments);
  await page.screenshot({ path: join(results, 'directory.png'), fullPage: true });

  await page.getByRole('button', { name: 'Log out' }).click();
  await page.getByRole('link', { name: 'Log in' }).first().waitFor();
  await page.close();
});

test('a demo member logs in, and a wrong password is explained', async () => {
  const page = await browser.newPage();
  await page.goto(server.base + '/login');
  assert.deepEqual(await unlabelledControls(page), []);
  await page.getByLabel('E-mail').fill('amara.okafor@example.org');
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Log in' }).click();
  assert.match(await page.getByRole('alert').textContent(), /wrong/);
  await page.getByLabel('Password').fill('guildhall-demo');
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('heading', { name: 'Welcome, Amara Okafor' }).waitFor();
  await page.close();
});

test('the page can be used from the keyboard: the skip link reaches the content', async () => {
  const page = await browser.newPage();
  await page.goto(server.base + '/login');
  await page.keyboard.press('Tab');
  const focused = await page.evaluate(() => document.activeElement.textContent);
  assert.equal(focused, 'Skip to content');
  assert.equal(await page.locator('main').count(), 1);
  assert.equal(await page.locator('nav[aria-label="Main"]').count(), 1);
  await page.close();
});
