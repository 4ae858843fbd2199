// Someone who reuses Casebook's content finds the downloads from any page's footer, reads what
// each column holds, downloads the CSV, and reaches the API's guide and its OpenAPI document;
// both pages pass axe-core, with JavaScript on and off.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newPage, MODES, expectAccessible, expectAccessibleWithoutJavaScript } from './support.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

for (const mode of MODES) {
  test(`find and download the open data ${mode.name}`, async () => {
    const page = await newPage(browser, mode);
    const check = mode.javaScriptEnabled ? expectAccessible : (p) => expectAccessibleWithoutJavaScript(browser, p);

    await page.goto('/patterns');
    await page.getByRole('contentinfo').getByRole('link', { name: 'Open data downloads' }).click();
    await page.waitForURL('**/data');
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Open data downloads');
    const columns = page.getByRole('table', { name: 'The columns of case-studies.csv' });
    assert.match(await columns.getByRole('row', { name: /licence_url/ }).innerText(), /The licence's own page/);
    await check(page);

    const download = await page.request.get(await page.getByRole('link', { name: 'Download case-studies.csv' }).getAttribute('href'));
    assert.equal(download.status(), 200);
    const [heading] = (await download.text()).split('\n');
    const described = await columns.locator('tbody th').allInnerTexts();
    assert.deepEqual(heading.split(','), described, 'the page describes exactly the columns the file has, in its order');

    await page.getByRole('contentinfo').getByRole('link', { name: 'API for developers' }).click();
    await page.waitForURL('**/developers');
    await check(page);
    const document = await page.request.get(await page.getByRole('link', { name: '/api/v1/openapi.json' }).getAttribute('href'));
    assert.equal((await document.json()).openapi, '3.1.0');
  });
}
