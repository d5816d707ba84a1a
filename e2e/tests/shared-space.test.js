// The shared space in a real browser: a member asks a question anonymously
// (similar questions appear while the title is typed), a second member
// answers, the asker accepts, the question shows solved, search finds it
// with its matches highlighted, and the asker's name appears on none of the
// pages the others see. Forms are labelled and the pages have landmarks.
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

async function landmarks(page) {
  assert.equal(await page.locator('main').count(), 1, 'one main landmark');
  assert.ok(await page.getByRole('navigation', { name: 'Main' }).count() === 1, 'the main navigation');
  assert.equal(await page.locator('h1').count(), 1, 'one top heading');
  assert.deepEqual(await unlabelledControls(page), []);
}

test('an anonymous question is answered, accepted and found, and never names its asker', async () => {
  // Grace Liu asks; Aisha Rahman answers. Both belong to the Observability Guild.
  const grace = await (await browser.newContext()).newPage();
  const aisha = await (await browser.newContext()).newPage();
  await logIn(grace, 'grace.liu@example.org');
  await logIn(aisha, 'aisha.rahman@example.org');

  await grace.goto(server.base + '/communities/observability-guild');
  await grace.getByRole('link', { name: 'Threads', exact: true }).click();
  await grace.getByRole('heading', { name: 'Threads of Observability Guild', level: 1 }).waitFor();
  await landmarks(grace);
  await grace.getByRole('link', { name: 'Start a thread' }).click();
  await grace.getByRole('heading', { name: /Start a thread/, level: 1 }).waitFor();
  await landmarks(grace);

  await grace.getByLabel('Type').selectOption('question');
  // While the title is typed, the question already asked appears in the live region.
  await grace.getByLabel('Title').pressSequentially('How do a trace and a span differ in our tracing?', { delay: 10 });
  const similar = grace.locator('#similar');
  assert.equal(await similar.getAttribute('aria-live'), 'polite');
  await similar.getByRole('link', { name: /difference between a trace and a span/ }).waitFor({ timeout: 10_000 });
  await grace.getByLabel('Body').fill('I read both words in every dashboard. Is a **span** one step of a trace?\n\n```go\nspan := tracer.Start(ctx, "checkout")\n```');
  await grace.getByLabel('Tags').fill('tracing, basics');
  await grace.getByLabel('Ask anonymously').check();
  await grace.getByRole('button', { name: 'Post', exact: true }).click();
  await grace.getByRole('heading', { name: 'How do a trace and a span differ in our tracing?', level: 1 }).waitFor();
  const url = grace.url();
  const asked = await grace.locator('main').textContent();
  assert.ok(asked.includes('the asker') && asked.includes('asked anonymously'), asked);
  assert.ok(await grace.locator('code .hl-storage, code .hl-keyword, code .hl-variable, code [class^="hl-"]').count() > 0, 'code is highlighted');

  // A second member answers; the asker's name is nowhere on the page they see.
  await aisha.goto(url);
  await landmarks(aisha);
  assert.ok(!(await aisha.content()).includes('Grace Liu'), 'the asker is not named to others');
  await aisha.getByLabel('Reply', { exact: true }).fill('Yes: a trace is the whole request, a span is one timed step in it, with a parent.');
  await aisha.getByRole('button', { name: 'Post reply' }).click();
  await aisha.getByText('a span is one timed step').waitFor();

  // The asker replies too (as "the asker") and accepts the answer.
  await grace.goto(url);
  await grace.getByLabel('Reply', { exact: true }).fill('Thank you, that makes it click.');
  await grace.getByRole('button', { name: 'Post reply' }).click();
  await grace.getByText('that makes it click').waitFor();
  await grace.getByRole('button', { name: 'Accept this answer' }).first().click();
  await grace.getByText('Accepted answer', { exact: true }).waitFor();
  assert.ok(await grace.locator('.badge.solved').count() >= 2, 'solved and accepted badges');
  await grace.getByRole('button', { name: /^Helpful/ }).nth(1).click();
  await grace.locator('button.reaction[aria-pressed="true"]').first().waitFor();
  await grace.screenshot({ path: join(results, 'shared-space-thread.png'), fullPage: true });

  // Aisha's view: solved, the asker still unnamed, including in the QAPage data.
  await aisha.goto(url);
  await aisha.getByText('Solved', { exact: true }).first().waitFor();
  const html = await aisha.content();
  assert.ok(!html.includes('Grace Liu') && !html.includes('grace.liu'), 'no name, no address');
  const data = JSON.parse(await aisha.locator('script[type="application/ld+json"]').textContent());
  assert.equal(data['@type'], 'QAPage');
  assert.equal(data.mainEntity.author.name, 'the asker');
  assert.ok(data.mainEntity.acceptedAnswer.text.includes('timed step'));

  // Search finds it, with the words highlighted, and no name of the asker.
  await aisha.getByRole('link', { name: 'Search', exact: true }).click();
  await aisha.getByRole('heading', { name: 'Search', level: 1 }).waitFor();
  await landmarks(aisha);
  await aisha.getByLabel('Words').fill('span');
  await aisha.getByLabel('Community').selectOption('observability-guild');
  await aisha.getByRole('button', { name: 'Search' }).click();
  await aisha.getByRole('heading', { name: 'Results' }).waitFor();
  await aisha.getByRole('link', { name: 'How do a trace and a span differ in our tracing?' }).first().waitFor();
  assert.ok(await aisha.locator('.snippet mark').count() > 0, 'matches are marked');
  assert.ok(!(await aisha.content()).includes('Grace Liu'));
  await aisha.screenshot({ path: join(results, 'shared-space-search.png'), fullPage: true });

  // The asker's notifications list their anonymous question; Aisha's do not.
  await grace.getByRole('link', { name: /^Notifications/ }).click();
  await grace.getByRole('heading', { name: 'Your anonymous questions' }).waitFor();
  await landmarks(grace);
  await aisha.getByRole('link', { name: /^Notifications/ }).click();
  await aisha.getByRole('heading', { name: 'Notifications', level: 1 }).waitFor();
  const notes = await aisha.locator('main').textContent();
  assert.ok(notes.includes('The asker accepted your answer'), notes);
  assert.ok(!notes.includes('Your anonymous questions') && !notes.includes('Grace Liu'));

  // Help wanted renders its three groups.
  await aisha.goto(server.base + '/communities/observability-guild/help-wanted');
  await landmarks(aisha);
  assert.equal(await aisha.getByRole('heading', { level: 2 }).count(), 3);
  await grace.close();
  await aisha.close();
});

test('a post made of script tricks renders inert in Chromium', async () => {
  const page = await browser.newPage();
  const dialogs = [];
  page.on('dialog', async (d) => { dialogs.push(d.message()); await d.dismiss(); });
  await logIn(page, 'amara.okafor@example.org');
  await page.goto(server.base + '/communities/observability-guild/threads/new');
  await page.getByLabel('Type').selectOption('discussion');
  await page.getByLabel('Title').fill('Tricks <img src=x onerror=alert("title")>');
  const corpus = [
    '<script>window.__xss = "script"; alert("script")</script>',
    '<img src=x onerror="window.__xss = \'img\'">',
    '<svg onload="window.__xss = \'svg\'"><circle r="5"/></svg>',
    '<math><mtext><table><mglyph><style><img src=x onerror="window.__xss = \'mxss\'"></style></mglyph></table></mtext></math>',
    '<iframe srcdoc="<script>parent.__xss = \'iframe\'</script>"></iframe>',
    '<img """><script>window.__xss = "malformed"</script>">',
    '<a href="jav&#x09;ascript:window.__xss = \'tab\'">tab</a>',
    '[entity](java&#x73;cript:window.__xss=1)',
    '[spaced](  javascript:window.__xss=2)',
    '[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
    '![pic](x" onerror="window.__xss=3)',
    '<div style="background:url(javascript:alert(1))" onmouseover="window.__xss = \'hover\'">hover me</div>',
    '<details open ontoggle="window.__xss = \'toggle\'"><summary>x</summary></details>',
    '<form action="javascript:alert(1)"><button>go</button></form>',
  ].join('\n\n');
  await page.getByLabel('Body').fill(corpus);
  await page.getByRole('button', { name: 'Post', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: /Tricks/ }).waitFor();
  await page.locator('.post .body').first().hover();
  const found = await page.evaluate(() => {
    const post = document.querySelector('.post .body');
    const handlers = [...post.querySelectorAll('*')].flatMap((el) =>
      [...el.attributes].filter((a) => a.name.startsWith('on') || a.name === 'style' || a.name === 'srcdoc').map((a) => `${el.tagName} ${a.name}`));
    const links = [...post.querySelectorAll('a[href], [action], [formaction]')]
      .map((el) => el.getAttribute('href') ?? el.getAttribute('action') ?? el.getAttribute('formaction'))
      .filter((href) => !/^(https?:|mailto:|\/|#|[a-z0-9._-]*$)/i.test(href.trim()));
    return {
      xss: window.__xss ?? null,
      scripts: post.querySelectorAll('script, iframe, svg, math, style, form').length,
      handlers,
      links,
    };
  });
  assert.deepEqual(found, { xss: null, scripts: 0, handlers: [], links: [] });
  assert.deepEqual(dialogs, []);
  assert.ok((await page.locator('h1').textContent()).includes('<img src=x'), 'the title shows as text');
  await page.screenshot({ path: join(results, 'shared-space-xss.png'), fullPage: true });
  await page.close();
});
