// What the tests read from outside the browser: the SMS and email the system sent (the
// local AWS endpoint keeps them), a challenge's answer (the dev host tells it), and
// the accessibility and weight checks every page gets.
const fs = require('fs');
const path = require('path');
const { expect } = require('@playwright/test');
const { default: AxeBuilder } = require('@axe-core/playwright');

const PORTAL = process.env.PORTAL_URL ?? 'http://127.0.0.1:3000';
const AWS = process.env.AWS_ENDPOINT_URL ?? 'http://127.0.0.1:4566';

const ADMIN_PASSWORD = process.env.ADMIN_PASSWORD ?? 'Adm-Passw0rd!x';
/** The password every operator the tests create sets by its link. */
const OPERATOR_PASSWORD = 'Op3rator-Pass!';

/** The files tests upload (`cargo run -p integration-tests --example portal-fixtures`). */
const fixture = (name) => path.join(__dirname, '..', 'fixtures', name);

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `read` until it gives something, for at most `seconds`. */
async function eventually(what, read, seconds = 30) {
  const until = Date.now() + seconds * 1000;
  for (;;) {
    const found = await read();
    if (found) return found;
    if (Date.now() > until) throw new Error(`waited ${seconds} s for ${what}`);
    await sleep(500);
  }
}

/** Everything the emulator sent; it now and then answers an error page while busy. */
async function sent() {
  for (let attempt = 1; ; attempt++) {
    const response = await fetch(`${AWS}/moto-api/data.json`);
    try {
      return JSON.parse(await response.text());
    } catch (error) {
      if (attempt === 5) throw error;
      await sleep(1000);
    }
  }
}

/** The SMS messages sent to `phone` (digits, with or without `+`), oldest first. */
async function smsTo(phone) {
  const digits = phone.replace(/\D/g, '');
  const data = await sent();
  return (data.sns?.SMS ?? []).filter((m) => m.phone_number.replace(/\D/g, '') === digits);
}

/** The `n`-th (from 1) six-digit code sent by SMS to `phone`, once it has come. */
async function smsCode(phone, n = 1) {
  return eventually(`SMS ${n} to ${phone}`, async () => {
    const messages = await smsTo(phone);
    const text = messages[n - 1]?.message;
    return text?.match(/\b(\d{6})\b/)?.[1];
  });
}

/** The first link in the newest email to `email` with `subject`. */
async function emailLink(email, subject) {
  return eventually(`"${subject}" to ${email}`, async () => {
    const data = await sent();
    const mail = (data.ses?.Message ?? [])
      .filter((m) => JSON.stringify(m.destinations ?? {}).includes(email) && m.subject === subject)
      .pop();
    const href = mail?.body?.match(/href="([^"]+)"/)?.[1];
    return href?.replace(/&amp;/g, '&').replace(/&#x2f;/gi, '/');
  });
}

/** The answer to the challenge whose picture `page` shows. */
async function solveChallenge(page) {
  const img = page.locator('img[data-challenge]');
  await expect(img).toBeVisible();
  const id = await img.getAttribute('data-challenge');
  const response = await fetch(`${PORTAL}/local/challenges/${id}/answer`);
  return (await response.json()).answer;
}

/** No serious or critical accessibility violation on the page as it stands. */
async function accessible(page, what) {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  const bad = results.violations.filter((v) => ['serious', 'critical'].includes(v.impact));
  expect(bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`),
    `accessibility of ${what}`).toEqual([]);
}

/**
 * With SCREENSHOTS set, the page as it stands into docs/portal/<name>.png (the README
 * shows them): `SCREENSHOTS=1 web/e2e/run.sh`.
 */
async function shot(page, name) {
  if (!process.env.SCREENSHOTS) return;
  const dir = require('path').join(__dirname, '..', '..', '..', 'docs', 'portal');
  require('fs').mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: require('path').join(dir, `${name}.png`), fullPage: true });
}

/** One API call from outside the browser: the JSON answer; a refusal throws with its body. */
async function call(method, route, { token, body, headers = {} } = {}) {
  const sent = { Accept: 'application/json', 'Accept-Language': 'en', ...headers };
  if (token) sent.Authorization = `Bearer ${token}`;
  if (body !== undefined) sent['Content-Type'] = 'application/json';
  const response = await fetch(`${PORTAL}${route}`, {
    method, headers: sent, body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

/** A challenge solved as the dev host tells: the two fields a form sends with it. */
async function solved() {
  const { challenge_id } = await call('POST', '/v1/challenges');
  const { answer } = await call('GET', `/local/challenges/${challenge_id}/answer`);
  return { challenge_id, challenge_answer: answer };
}

/** `file` of fixtures/ as a document of `kind` of the sign-up draft `draft`, checked: its id. */
async function draftUpload(draft, kind, file) {
  const headers = { 'X-Draft-Token': draft };
  const type = file.endsWith('.pdf') ? 'application/pdf' : 'image/jpeg';
  const issued = await call('POST', '/v1/registration-drafts/uploads', { headers, body: { kind, content_type: type } });
  const form = new FormData();
  for (const [name, value] of Object.entries(issued.form.fields)) form.append(name, value);
  form.append('file', new Blob([fs.readFileSync(fixture(file))], { type }), file);
  const posted = await fetch(issued.form.url, { method: 'POST', body: form });
  expect(posted.ok, `the bucket takes the ${kind}`).toBe(true);
  const id = issued.document.upload_id;
  const document = await eventually(`the check of the ${kind}`, async () => {
    const d = await call('GET', `/v1/registration-drafts/uploads/${id}`, { headers });
    return d.status !== 'awaiting_upload' && d;
  });
  expect(document.status, JSON.stringify(document.findings)).toBe('checked');
  return id;
}

/** An operator of `role` the admin created, its password set by its emailed link: its login. */
async function operator(role) {
  const admin = await call('POST', '/v1/sessions', { body: { login: 'admin', password: ADMIN_PASSWORD } });
  const n = `${Date.now().toString(36)}${Math.floor(Math.random() * 1000)}`;
  const login = `op${n}`;
  const email = `${login}@example.kg`;
  await call('POST', '/v1/operators', {
    token: admin.token,
    body: { role, login, email, phone: '+996312610000', surname: 'Осмонова', given_names: 'Жылдыз', lang: 'en' },
  });
  const link = await emailLink(email, 'Set the password for your account');
  const token = new URL(link).searchParams.get('token');
  await call('POST', '/v1/password-resets/complete', {
    body: { token, password: OPERATOR_PASSWORD, password_repeat: OPERATOR_PASSWORD },
  });
  return login;
}

/** A browser tab with a session of its own, at a phone's width, reading the portal in `lang`. */
async function tab(browser, lang) {
  const context = await browser.newContext({ baseURL: PORTAL, viewport: { width: 360, height: 780 } });
  await context.addInitScript((chosen) => {
    if (!localStorage.getItem('lang')) localStorage.setItem('lang', chosen);
  }, lang);
  return context.newPage();
}

/** Signs in on the portal's page, in whatever language it shows, and waits to leave it. */
async function signIn(page, login, password, next) {
  await page.goto(next ? `/sign-in?next=${encodeURIComponent(next)}` : '/sign-in');
  await page.locator('main [name="login"]').fill(login);
  await page.locator('main [name="password"]').fill(password);
  await page.locator('main form button[type="submit"]').click();
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
}

/**
 * The text of the QR code printed on the first page of `pdf` (bytes): the page drawn by
 * poppler's pdftoppm (which the printing tests install), the code read by jsQR.
 */
function qrCodeOf(pdf) {
  const { execFileSync } = require('child_process');
  const { PNG } = require('pngjs');
  const jsQR = require('jsqr');
  const dir = fs.mkdtempSync(path.join(require('os').tmpdir(), 'talon-'));
  try {
    fs.writeFileSync(path.join(dir, 'talon.pdf'), pdf);
    execFileSync('pdftoppm', ['-png', '-r', '200', '-singlefile', '-f', '1', 'talon.pdf', 'page'], { cwd: dir });
    const png = PNG.sync.read(fs.readFileSync(path.join(dir, 'page.png')));
    return jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data ?? null;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A unique email and a Kyrgyz mobile number for one run. */
function unique() {
  const n = `${Date.now()}${Math.floor(Math.random() * 1000)}`.slice(-9);
  return { email: `host${n}@example.kg`, phone: `996700${n.slice(-6)}` };
}

module.exports = {
  ADMIN_PASSWORD, OPERATOR_PASSWORD, call, draftUpload, fixture, operator, qrCodeOf, signIn, solved, tab, shot, PORTAL, AWS, eventually, smsCode, smsTo, emailLink, solveChallenge, accessible, unique, sleep };
