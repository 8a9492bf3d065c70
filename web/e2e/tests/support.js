// What the tests read from outside the browser: the SMS and email the system sent (the
// local AWS endpoint keeps them), a challenge's answer (the dev host tells it), and
// the accessibility and weight checks every page gets.
const { expect } = require('@playwright/test');
const { default: AxeBuilder } = require('@axe-core/playwright');

const PORTAL = process.env.PORTAL_URL ?? 'http://127.0.0.1:3000';
const AWS = process.env.AWS_ENDPOINT_URL ?? 'http://127.0.0.1:4566';

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

async function sent() {
  const response = await fetch(`${AWS}/moto-api/data.json`);
  return response.json();
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

/** A unique email and a Kyrgyz mobile number for one run. */
function unique() {
  const n = `${Date.now()}${Math.floor(Math.random() * 1000)}`.slice(-9);
  return { email: `host${n}@example.kg`, phone: `996700${n.slice(-6)}` };
}

module.exports = { shot, PORTAL, AWS, eventually, smsCode, smsTo, emailLink, solveChallenge, accessible, unique, sleep };
