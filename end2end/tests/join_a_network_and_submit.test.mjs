// A practitioner joins an open network from its page and submits one of their case studies to
// it; it waits for review, unseen by others. With JavaScript on and off.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newPage, MODES, expectAccessible, signInAs } from './support.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const RUNS = {
  'with JavaScript': { person: 'Hassan Ali', title: 'Using GP practice and address data to plan a new community health hub' },
  'without JavaScript': { person: 'Ruth Okafor', title: "Publishing Trentholme's brownfield land register to the national data standard" },
};

for (const mode of MODES) {
  test(`a member joins a network and submits a case study ${mode.name}`, async () => {
    const run = RUNS[mode.name];
    const check = mode.javaScriptEnabled ? expectAccessible : async () => {};
    const page = await newPage(browser, mode);
    await signInAs(page, run.person);
    await page.getByRole('link', { name: 'Networks', exact: true }).click();
    await check(page);
    await page.getByRole('link', { name: 'Local Digital Data Network' }).click();
    await page.getByRole('button', { name: 'Join this network' }).click();
    await page.getByText('You are a member of this network.').waitFor();
    await check(page);

    await page.locator('.account').getByRole('link').first().click();
    assert.match(await page.locator('main').innerText(), /Networks[\s\S]*Local Digital Data Network/, 'their profile lists the network');
    await page.getByRole('link', { name: run.title, exact: true }).first().click();
    // Submitting with nothing ticked is refused, and says why.
    await page.getByRole('button', { name: 'Submit', exact: true }).click();
    await page.getByRole('alert').waitFor();
    assert.match(await page.getByRole('alert').innerText(), /Choose at least one network/);
    await check(page);
    await page.getByRole('checkbox', { name: 'Local Digital Data Network' }).check();
    await page.getByRole('button', { name: 'Submit', exact: true }).click();
    await page.getByText('Waiting for review').waitFor();
    await check(page);

    const visitor = await newPage(browser, mode);
    await visitor.goto('/networks/local-digital-data');
    assert.ok(!(await visitor.locator('main').innerText()).includes(run.title), 'a pending submission is not shown to others');
  });
}
