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

/** A demo person's address (every demo person has one at a reserved domain). */
export function demoAddress(name) {
  return `${name.toLowerCase().split(/\s+/).join('.').replace(/[^a-z0-9.]/g, '')}@demo.casebook.example`;
}

/** Runs the casebook command on the journeys' server's data folder. */
export function casebook(...args) {
  return execFileSync(process.env.CASEBOOK_E2E_BINARY, args, {
    encoding: 'utf8',
    env: { ...process.env, CASEBOOK_DATA_DIR: process.env.CASEBOOK_E2E_DATA_DIR, RUST_LOG: 'warn' },
  });
}

function decodePart(body, encoding) {
  if (/base64/i.test(encoding)) return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (/quoted-printable/i.test(encoding)) {
    const bytes = body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, hex) => String.fromCharCode(parseInt(hex, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  }
  return body;
}

/** A message as the SMTP server received it: unfolded headers, and its text/plain part decoded. */
export function parseMail(raw) {
  const [head] = raw.split(/\r?\n\r?\n/);
  const headers = {};
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const at = line.indexOf(':');
    if (at > 0) headers[line.slice(0, at).toLowerCase()] ??= line.slice(at + 1).trim();
  }
  const plain = raw.split(/Content-Type: text\/plain[^\n]*\n/i)[1] ?? '';
  const encoding = (plain.match(/^Content-Transfer-Encoding: *(\S+)/im) ?? [])[1] ?? '7bit';
  const body = plain.split(/\r?\n\r?\n/).slice(1).join('\n\n').split(/\r?\n--/)[0];
  return { raw, headers, text: decodePart(body, encoding) };
}

/** Waits for a mail to `address` at the journeys' SMTP server whose text includes `words`. */
export async function waitForMail(address, words, timeoutMs = 30000) {
  const folder = process.env.CASEBOOK_E2E_MAIL_DIR;
  assert.ok(folder, 'CASEBOOK_E2E_MAIL_DIR names the SMTP server\'s folder (./dev test sets it)');
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    let log = '';
    try { log = readFileSync(`${folder}/received.jsonl`, 'utf8'); } catch { /* nothing received yet */ }
    for (const line of log.split('\n').filter(Boolean)) {
      const entry = JSON.parse(line);
      if (!entry.to.includes(address)) continue;
      const mail = parseMail(readFileSync(entry.file, 'utf8'));
      if (mail.text.includes(words)) return mail;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  assert.fail(`no mail to ${address} with “${words}” within ${timeoutMs} ms`);
}

/** Opens `path` until its main content includes `text` (background work takes a moment). */
export async function waitForText(page, path, text, timeoutMs = 15000) {
  const started = Date.now();
  for (;;) {
    await page.goto(path);
    const shown = await page.locator('main').innerText();
    if (shown.includes(text)) return shown;
    if (Date.now() - started > timeoutMs) assert.fail(`${path} never showed “${text}”: ${shown}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
