// A newcomer browses: home, the list with filters and pages, a case study, and the pattern,
// tag, dataset and organisation pages it links to; every page passes axe-core.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newPage, MODES, expectAccessible } from './support.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

for (const mode of MODES) {
  test(`browse and filter case studies ${mode.name}`, async () => {
    const page = await newPage(browser, mode);
    const check = mode.javaScriptEnabled ? expectAccessible : async () => {};

    await page.goto('/');
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Learn how public services use open data');
    await check(page);

    await page.getByRole('link', { name: /Browse \d+ case studies/ }).click();
    await page.waitForURL('**/case-studies');
    await check(page);
    const total = Number((await page.locator('#results-heading').innerText()).match(/\d+/)[0]);
    assert.ok(total >= 24, `at least 24 case studies, saw ${total}`);

    await page.getByLabel('Pattern', { exact: true }).selectOption('develop-policy');
    await page.getByLabel('Phase', { exact: true }).selectOption('live');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/pattern=develop-policy/);
    const filtered = Number((await page.locator('#results-heading').innerText()).match(/\d+/)[0]);
    assert.ok(filtered > 0 && filtered < total, `filters narrow the list: ${filtered} of ${total}`);
    const cards = page.locator('.card');
    for (let i = 0; i < await cards.count(); i += 1) {
      assert.match(await cards.nth(i).innerText(), /Open data to help develop policy/);
      assert.match(await cards.nth(i).innerText(), /LIVE/i);
    }
    await page.getByRole('link', { name: 'Clear filters' }).click();
    await page.getByRole('link', { name: 'Next page' }).click();
    await page.waitForURL(/page=2/);
    await check(page);

    await page.locator('.card-title a').first().click();
    await page.locator('.case-study-facts').waitFor();
    await check(page);
    const facts = page.locator('.case-study-facts');
    await facts.locator('a[href^="/patterns/"]').first().click();
    await page.waitForURL(/\/patterns\//);
    await check(page);
    await page.goBack();
    await facts.locator('a[href^="/tags/"]').first().click();
    await page.waitForURL(/\/tags\//);
    await check(page);
    await page.goBack();
    await facts.locator('a[href^="/organisations/"]').first().click();
    await page.waitForURL(/\/organisations\//);
    await check(page);
    await page.goBack();
    await page.locator('.dataset a[href^="/datasets/"]').first().click();
    await page.waitForURL(/\/datasets\/\d+/);
    await check(page);

    for (const path of ['/patterns', '/datasets', '/organisations', '/sign-in']) {
      await page.goto(path);
      await check(page);
    }
    const missing = await page.goto('/case-studies/no-such-thing');
    assert.equal(missing.status(), 404);
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Page not found');
    await check(page);
    await page.context().close();
  });
}
