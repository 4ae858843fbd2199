// Shared by the journeys: Debian's Chromium driven by playwright-core, and axe-core.
import { chromium } from 'playwright-core';
import { createRequire } from 'node:module';
import assert from 'node:assert/strict';

const require = createRequire(import.meta.url);
export const BASE_URL = process.env.CASEBOOK_E2E_URL ?? 'http://127.0.0.1:3100';
const AXE = require.resolve('axe-core/axe.min.js');

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Both ways people reach Casebook: with JavaScript, and without it. */
export const MODES = [
  { name: 'with JavaScript', javaScriptEnabled: true },
  { name: 'without JavaScript', javaScriptEnabled: false },
];

export async function newPage(browser, mode) {
  const context = await browser.newContext({ baseURL: BASE_URL, javaScriptEnabled: mode.javaScriptEnabled });
  const page = await context.newPage();
  page.on('pageerror', (error) => { throw new Error(`page error: ${error.message}`); });
  return page;
}

/** Fails on any WCAG 2.2 A or AA violation axe-core finds on the page as it is now. */
export async function expectAccessible(page) {
  await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(() => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
  }));
  const problems = result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  assert.deepEqual(problems, [], `accessibility violations on ${page.url()}`);
}

/** Signs in through the development sign-in as the demo persona named. */
export async function signInAs(page, name) {
  await page.goto('/sign-in');
  await page.getByRole('button', { name: `Sign in as ${name}` }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
  assert.match(await page.locator('.account').innerText(), new RegExp(`Signed in as\\s+${name}`));
}
