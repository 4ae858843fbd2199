// Every kind of page, as a reader and as a signed-in author sees it, through the Nu HTML
// Checker (vnu, from npm's vnu-jar, on Debian's Java): no errors at all.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newPage, MODES, signInAs, htmlErrors } from './support.mjs';

const READER_PAGES = [
  '/',
  '/case-studies',
  '/case-studies?phase=live&page=2',
  '/case-studies/find-your-bin-day-northshire-s-collection-day-finder-built-on-uprns',
  '/patterns',
  '/patterns/engage-with-services',
  '/tags/uprn',
  '/datasets',
  '/datasets/1',
  '/organisations',
  '/organisations/northshire-county-council',
  '/search?q=bus',
  '/search?q=zzzzqqq',
  '/search?q=bins&pattern=engage-with-services',
  '/search?licence=open',
  '/search?dataset_health=unavailable',
  '/sign-in',
  '/people/1',
  '/networks',
  '/networks/local-digital-data',
  '/networks/local-digital-data?phase=live',
  '/networks/local-digital-data/members',
  '/collections',
  '/collections/getting-started-with-uprns',
  '/data',
  '/developers',
  '/no-such-page',
  '/case-studies?page=0',
];
const AUTHOR_PAGES = [
  '/case-studies/new',
  '/account',
  '/case-studies/find-your-bin-day-northshire-s-collection-day-finder-built-on-uprns/edit',
  '/networks/local-digital-data/review',
  '/networks/local-digital-data/edit',
  '/collections/new',
  '/collections/getting-started-with-uprns',
  '/collections/getting-started-with-uprns/edit',
  '/datasets/health',
];

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('every page is valid HTML', async () => {
  const page = await newPage(browser, MODES[1]);
  const problems = {};
  const check = async (path) => {
    const response = await page.request.get(path);
    // Each page is the page it names, not an error page standing in for it.
    const expected = { '/no-such-page': 404, '/case-studies?page=0': 422 }[path] ?? 200;
    assert.equal(response.status(), expected, path);
    const errors = htmlErrors(await response.text());
    if (errors.length > 0) problems[path] = errors.slice(0, 5);
  };
  for (const path of READER_PAGES) await check(path);
  await signInAs(page, 'Priya Shah');
  for (const path of AUTHOR_PAGES) await check(path);
  assert.deepEqual(problems, {}, 'the Nu HTML Checker found errors');
});

// Every page once asked for /favicon.ico and got a 404: a console error on every page.
test('a page asks for nothing that is not there', async () => {
  const page = await newPage(browser, MODES[0]);
  const failed = [];
  page.on('response', (response) => { if (response.status() >= 400) failed.push(`${response.status()} ${response.url()}`); });
  await page.goto('/');
  await page.goto('/case-studies/find-your-bin-day-northshire-s-collection-day-finder-built-on-uprns');
  await page.waitForLoadState('networkidle');
  assert.deepEqual(failed, []);
  const icon = await page.request.get('/favicon.ico');
  assert.equal(icon.status(), 200);
  assert.match(icon.headers()['content-type'], /image\//);
});
