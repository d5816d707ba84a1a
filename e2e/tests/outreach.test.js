// Digests and webhooks in a real browser, on every database available
// (SQLite always, PostgreSQL when GUILDHALL_TEST_DATABASE_URL is set), with
// a real SMTP server (the smtp-server package) and a webhook receiver on
// loopback: a steward adds a webhook in the page and copies its secret; a
// member posts a thread; the delivery arrives signed, its HMAC-SHA256
// signature verifies, and the steward sees it delivered in the log; the
// steward's digest e-mail, asked for on the digest page, arrives at the
// SMTP server with the new thread in it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { SMTPServer } from 'smtp-server';
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

// An SMTP server on loopback keeping every message it is given.
async function smtpServer() {
  const messages = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      let text = '';
      stream.on('data', (chunk) => { text += chunk.toString(); });
      stream.on('end', () => {
        messages.push({ to: session.envelope.rcptTo.map((r) => r.address), text });
        callback();
      });
    },
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: server.server.address().port, messages, close: () => new Promise((r) => server.close(r)) };
}

// A webhook receiver on loopback keeping every request.
async function receiver() {
  const requests = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => { body += chunk.toString(); });
    req.on('end', () => {
      requests.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}/chat`, requests, close: () => new Promise((r) => server.close(r)) };
}

async function until(what, check, seconds = 30) {
  const end = Date.now() + seconds * 1000;
  for (;;) {
    const found = check();
    if (found) return found;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

// What a receiver does with the Guildhall-Signature header (docs/outreach.md).
function verify(secret, header, body, toleranceSeconds = 300) {
  const parts = Object.fromEntries(header.split(',').map((p) => p.split('=')));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || Math.abs(Date.now() / 1000 - t) > toleranceSeconds) return false;
  const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
  return parts.v1?.length === expected.length && timingSafeEqual(Buffer.from(parts.v1), Buffer.from(expected));
}

// Quoted-printable soft line breaks and '=' undone, enough to read ASCII.
const unfold = (text) => text.replace(/=\r?\n/g, '').replace(/=3D/g, '=');

for (const database of databases) {
  test(`a webhook delivery is signed and a digest e-mail arrives (${database})`, async () => {
    const smtp = await smtpServer();
    const rx = await receiver();
    process.env.GUILDHALL_SMTP_HOST = '127.0.0.1';
    process.env.GUILDHALL_SMTP_PORT = String(smtp.port);
    process.env.GUILDHALL_SMTP_TLS = 'none';
    process.env.GUILDHALL_SMTP_FROM = 'Guildhall <guildhall@example.org>';
    const server = await startServer({ database });
    try {
      // Amara Okafor stewards the Observability Guild; Grace Liu is a member.
      const amara = await (await browser.newContext()).newPage();
      const grace = await (await browser.newContext()).newPage();
      await logIn(server, amara, 'amara.okafor@example.org');
      await logIn(server, grace, 'grace.liu@example.org');

      await amara.getByRole('link', { name: 'Digest', exact: true }).click();
      await amara.getByRole('heading', { name: 'Your digest', level: 1 }).waitFor();
      await amara.getByRole('link', { name: 'Webhooks of Observability Guild' }).click();
      await amara.getByRole('heading', { name: 'Webhooks of Observability Guild', level: 1 }).waitFor();
      assert.deepEqual(await unlabelledControls(amara), []);
      await amara.getByLabel('Address (https://…)').fill(rx.url);
      await amara.getByLabel('What it is for').fill('#observability channel');
      await amara.getByLabel(/Gatherings held/).uncheck();
      await amara.getByRole('button', { name: 'Add webhook' }).click();
      await amara.getByRole('heading', { name: 'Its signing secret' }).waitFor();
      const secret = (await amara.locator('#webhook-secret').innerText()).trim();
      assert.match(secret, /^whsec_/);

      // Members other than the steward cannot reach the webhooks.
      const refused = await grace.goto(server.base + '/communities/observability-guild/webhooks');
      assert.equal(refused.status(), 403);

      await grace.goto(server.base + '/communities/observability-guild/threads/new');
      await grace.getByLabel('Type').selectOption('discussion');
      await grace.getByLabel('Title').fill('Webhook smoke test');
      await grace.getByLabel('Body').fill('Does the chat channel hear this?');
      await grace.getByRole('button', { name: 'Post', exact: true }).click();
      await grace.getByRole('heading', { name: 'Webhook smoke test', level: 1 }).waitFor();

      const delivery = await until('the webhook delivery', () => rx.requests.find((r) => r.body.includes('Webhook smoke test')));
      assert.equal(delivery.headers['content-type'], 'application/json');
      assert.equal(delivery.headers['guildhall-event'], 'thread_opened');
      assert.ok(verify(secret, delivery.headers['guildhall-signature'], delivery.body), 'the signature verifies');
      assert.ok(!verify('whsec_wrong', delivery.headers['guildhall-signature'], delivery.body), 'not with another key');
      assert.ok(!verify(secret, delivery.headers['guildhall-signature'], delivery.body + ' '), 'not for another body');
      const payload = JSON.parse(delivery.body);
      assert.equal(payload.event, 'thread_opened');
      assert.equal(payload.community.slug, 'observability-guild');
      assert.equal(payload.thread.title, 'Webhook smoke test');
      assert.equal(payload.thread.author.name, 'Grace Liu');
      assert.ok(payload.thread.url.startsWith(server.base + '/threads/'), payload.thread.url);

      await amara.goto(server.base + '/communities/observability-guild/webhooks');
      await amara.getByRole('link', { name: rx.url }).click();
      await amara.getByRole('heading', { name: 'Deliveries' }).waitFor();
      assert.equal(await amara.locator('#webhook-secret').count(), 0, 'the secret is shown only once');
      // The attempt is recorded once the receiver has answered: reload until it is.
      for (let i = 0; i < 50; i++) {
        if (await amara.locator('tr.delivery td.status').first().innerText() === 'delivered') break;
        await new Promise((r) => setTimeout(r, 200));
        await amara.reload();
      }
      assert.equal(await amara.locator('tr.delivery td.status').first().innerText(), 'delivered');
      assert.equal(await amara.locator('tr.delivery td').nth(3).innerText(), '204');

      // The steward asks for her digest by e-mail; Grace's thread is in it.
      await amara.getByRole('link', { name: 'Digest', exact: true }).click();
      assert.match(await amara.locator('main').innerText(), /Webhook smoke test/);
      await amara.getByRole('button', { name: 'E-mail me this digest now' }).click();
      await amara.getByRole('status').waitFor();
      assert.match(await amara.getByRole('status').innerText(), /on its way to amara\.okafor@example\.org/);
      const mail = await until('the digest e-mail', () => smtp.messages.find((m) => m.to.includes('amara.okafor@example.org')
        && unfold(m.text).includes('Webhook smoke test')));
      const text = unfold(mail.text);
      assert.match(text, /Subject: Your Guildhall digest/);
      assert.match(text, /multipart\/alternative/);
      assert.match(text, /text\/plain/);
      assert.match(text, /text\/html/);
      assert.ok(text.includes(server.base + '/threads/'), 'links lead back to this server');
    } finally {
      server.stop();
      await rx.close();
      await smtp.close();
      for (const k of ['GUILDHALL_SMTP_HOST', 'GUILDHALL_SMTP_PORT', 'GUILDHALL_SMTP_TLS', 'GUILDHALL_SMTP_FROM']) delete process.env[k];
    }
  });
}
