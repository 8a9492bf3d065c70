// What each page costs to load: its JavaScript and CSS, gzipped as the CDN serves them,
// must stay under 150 KB. Public pages are weighed as loaded; a signed-in page loads
// the shell and its own modules, so every module of web/app/pages at once bounds them.
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');
const { test, expect } = require('@playwright/test');
const { PORTAL } = require('./support');

const BUDGET = 150 * 1024;

async function gzipped(url) {
  const body = Buffer.from(await (await fetch(url)).arrayBuffer());
  return zlib.gzipSync(body, { level: 9 }).length;
}

/** The JavaScript and CSS `page` loaded, by URL. */
async function loaded(page) {
  return page.evaluate(() => performance.getEntriesByType('resource')
    .map((entry) => entry.name)
    .filter((name) => /\.(js|css)(\?|$)/.test(name)));
}

test('every page loads under 150 KB of gzipped JavaScript and CSS', async ({ page }) => {
  const report = [];
  const shell = new Set();
  for (const path of ['/', '/sign-in', '/register?type=employer', '/status', '/verify']) {
    await page.goto(path);
    await expect(page.locator('h1')).toBeVisible();
    const urls = [...new Set([...(await loaded(page))])];
    urls.forEach((url) => shell.add(url));
    let total = 0;
    for (const url of urls) total += await gzipped(url);
    report.push(`${path}: ${(total / 1024).toFixed(1)} KB`);
    expect(total, path).toBeLessThan(BUDGET);
  }
  // A signed-in page is the shell plus its own modules; the heaviest is the whole app.
  const modules = fs.readdirSync(path.join(__dirname, '..', '..', 'app', 'pages'))
    .filter((name) => name.endsWith('.js'))
    .map((name) => name.slice(0, -3));
  let all = 0;
  for (const url of shell) all += await gzipped(url);
  for (const name of modules) {
    const url = `${PORTAL}/app/pages/${name}.js`;
    if (!shell.has(url)) all += await gzipped(url);
  }
  report.push(`every module at once: ${(all / 1024).toFixed(1)} KB`);
  console.log(report.join('\n'));
  expect(all).toBeLessThan(BUDGET);
});
