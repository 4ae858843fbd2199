// A newcomer searches: a typo in the header box still finds the case study, then they narrow
// the results by pattern and phase, remove a filter and open a result. With JavaScript the
// results follow their typing and the address stays shareable; without it, the form does it all.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newPage, MODES, expectAccessible, BASE_URL } from './support.mjs';

let browser;
before(async () => {
  browser = await launch();
  // The server indexes the demo content in the background as it starts.
  for (let i = 0; i < 100; i += 1) {
    const results = await (await fetch(`${BASE_URL}/api/v1/search`)).json();
    if (results.total >= 24) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the demo content was not indexed within 10 seconds');
});
after(async () => { await browser?.close(); });

async function resultTitles(page) {
  return page.locator('#search-results .card-title').allInnerTexts();
}

async function countShown(page) {
  return Number((await page.locator('#results-heading').innerText()).match(/\d+/)?.[0] ?? 0);
}

for (const mode of MODES) {
  test(`search, filter and open a case study ${mode.name}`, async () => {
    const page = await newPage(browser, mode);
    const check = mode.javaScriptEnabled ? expectAccessible : async () => {};

    await page.goto('/patterns');
    await page.locator('#site-search').fill('pharmcy');
    await page.locator('#site-search').press('Enter');
    await page.waitForURL(/\/search\?q=pharmcy/);
    const found = await resultTitles(page);
    assert.match(found[0] ?? '', /pharmacy finder/, `the typo finds the pharmacy finder: ${found}`);
    assert.ok(await page.locator('#search-results mark').count() > 0, 'the matched words are marked');
    await check(page);

    if (mode.javaScriptEnabled) {
      await page.waitForLoadState('networkidle');
      await page.locator('#q').fill('');
      await page.locator('#q').pressSequentially('bus', { delay: 60 });
      await page.waitForFunction(() => document.querySelector('#results-heading')?.textContent.includes('“bus”'));
      assert.match(page.url(), /\/search\?q=bus$/, 'the address follows the typing, so it can be shared');
      assert.match(await page.locator('#search-status').innerText(), /for “bus”/, 'the count is announced');
      assert.match(await page.title(), /^bus: search/);
    } else {
      await page.locator('#q').fill('bus');
      await page.locator('.search-form button[type=submit]').click();
      await page.waitForURL(/\/search\?q=bus/);
    }
    const all = await countShown(page);
    assert.ok(all > 3, `several case studies mention buses: ${all}`);

    const patternFacet = page.locator('.facet', { has: page.getByRole('heading', { name: 'Pattern' }) });
    await patternFacet.getByRole('link', { name: /Open data to help people engage with a service/ }).click();
    await page.waitForURL(/pattern=engage-with-services/);
    const byPattern = await countShown(page);
    assert.ok(byPattern > 0 && byPattern < all, `the pattern narrows the results: ${byPattern} of ${all}`);
    for (const card of await page.locator('#search-results .card').allInnerTexts()) {
      assert.match(card, /Open data to help people engage with a service/);
    }
    await check(page);

    const phaseFacet = page.locator('.facet', { has: page.getByRole('heading', { name: 'Phase' }) });
    await phaseFacet.getByRole('link', { name: /^Live/ }).click();
    await page.waitForURL(/phase=live/);
    const byBoth = await countShown(page);
    assert.ok(byBoth > 0 && byBoth <= byPattern, `the phase narrows further: ${byBoth}`);
    for (const card of await page.locator('#search-results .card').allInnerTexts()) {
      assert.match(card, /LIVE/i);
    }
    assert.equal(await page.locator('.chip').count(), 2, 'two filters are shown as removable chips');
    await check(page);

    await page.getByRole('link', { name: /Remove filter Pattern/ }).click();
    await page.waitForURL((url) => !url.search.includes('pattern=') && url.search.includes('phase=live'));
    assert.ok(await countShown(page) >= byBoth, 'removing a filter widens the results');
    assert.equal(await page.locator('.chip').count(), 1);

    const title = (await resultTitles(page))[0];
    await page.locator('#search-results .card-title a').first().click();
    await page.waitForURL(/\/case-studies\//);
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), title);
    const related = await page.locator('section[aria-labelledby="related-heading"] .card').count();
    assert.ok(related >= 3 && related <= 5, `three to five related case studies: ${related}`);
    await check(page);

    await page.goto('/search?q=qwertyuiop');
    assert.match(await page.locator('.empty-state').innerText(), /No case studies match this search/);
    await check(page);
    await page.context().close();
  });
}
