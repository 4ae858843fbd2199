// Shared by the journeys: Debian's Chromium driven by playwright-core, and axe-core.
import { chromium } from 'playwright-core';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import assert from 'node:assert/strict';

const require = createRequire(import.meta.url);
export const BASE_URL = process.env.CASEBOOK_E2E_URL ?? 'http://127.0.0.1:3100';
// Evaluated through the DevTools protocol, which the page's Content-Security-Policy does not
// govern (an injected <script> tag would be refused, as it should be).
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const VNU = require('vnu-jar');

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
  // Anything the Content-Security-Policy blocks is a fault: the site loads nothing it forbids.
  page.cspViolations = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && message.text().includes('Content Security Policy')) page.cspViolations.push(message.text());
  });
  return page;
}

/** Fails on any WCAG 2.2 A or AA violation axe-core finds on the page as it is now. */
export async function expectAccessible(page) {
  assert.deepEqual(page.cspViolations ?? [], [], `content blocked by the Content-Security-Policy on ${page.url()}`);
  await page.evaluate(AXE);
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

/** The Nu HTML Checker's errors for one document, as "line: message". */
export function htmlErrors(html) {
  let output;
  try {
    output = execFileSync('java', ['-jar', VNU, '--errors-only', '--format', 'json', '-'], { input: html, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
  } catch (failure) {
    // vnu exits 1 when it found errors; its report is on stderr.
    output = failure.stderr || failure.stdout;
  }
  const report = JSON.parse(output || '{"messages":[]}');
  return report.messages.filter((m) => m.type === 'error' || m.subType === 'fatal').map((m) => `${m.lastLine}: ${m.message}`);
}

/**
 * axe-core on a page as it stands without JavaScript: axe runs in a page, so the markup is
 * copied, without its scripts and with its styles, into a page of a context that runs them.
 */
export async function expectAccessibleWithoutJavaScript(browser, page) {
  const html = await page.content();
  const context = await browser.newContext({ javaScriptEnabled: true });
  const copy = await context.newPage();
  const bare = html.replace(/<script\b[\s\S]*?<\/script>/g, '').replace(/<head[^>]*>/, (head) => `${head}<base href="${page.url()}">`);
  await copy.setContent(bare, { waitUntil: 'load' });
  await expectAccessible(copy);
  await context.close();
}

/** axe-core (on the page, or on a script-free copy where JavaScript is off) and the Nu HTML
 * Checker on a page as it stands: for journeys that check every page they reach. */
export async function expectValidAndAccessible(browser, page, mode) {
  await (mode.javaScriptEnabled ? expectAccessible(page) : expectAccessibleWithoutJavaScript(browser, page));
  assert.deepEqual(htmlErrors(await page.content()), [], `the Nu HTML Checker on ${page.url()}`);
}
