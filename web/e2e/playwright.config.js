// The portal's end-to-end tests: Debian's Chromium (no browser download), one worker
// (two cores), every page at a phone's 360 px width.
const { defineConfig } = require('@playwright/test');

module.exports = defineConfig({
  testDir: './tests',
  timeout: 180_000,
  expect: { timeout: 30_000 },
  workers: 1,
  retries: 0,
  reporter: [['list']],
  outputDir: process.env.E2E_RESULTS ?? './test-results',
  use: {
    baseURL: process.env.PORTAL_URL ?? 'http://127.0.0.1:3000',
    viewport: { width: 360, height: 780 },
    locale: 'ky-KG',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
    },
  },
});
