// An author pastes a CKAN dataset's address, looks it up and saves; the case study shows the
// title, publisher and licence the portal gives. Once the portal withdraws the dataset (410 on
// two checks a day apart), the page says so. With JavaScript on and off.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { launch, newPage, MODES, expectValidAndAccessible, signInAs } from './support.mjs';
import { startPortal } from '../portal/fixture_portal.mjs';

const run = promisify(execFile);
const PORT = Number(process.env.CASEBOOK_E2E_PORTAL_PORT ?? 3103);
const BINARY = process.env.CASEBOOK_E2E_BINARY;
const DATA_DIR = process.env.CASEBOOK_E2E_DATA_DIR;

let browser;
let portal;
before(async () => {
  browser = await launch();
  portal = await startPortal(PORT);
});
after(async () => {
  await browser?.close();
  await portal?.close();
});

/** Runs `casebook datasets check` for one address, recording the check as made at `at`. */
async function checkAt(address, at) {
  const { stdout } = await run(BINARY, ['datasets', 'check', '--url', address, '--at', at.toISOString()], {
    env: { ...process.env, CASEBOOK_DATA_DIR: DATA_DIR, RUST_LOG: 'warn' },
  });
  return stdout;
}

for (const mode of MODES) {
  test(`link a CKAN dataset, see what its portal says, and see it withdrawn ${mode.name}`, async (t) => {
    if (!BINARY || !DATA_DIR) {
      t.skip('CASEBOOK_E2E_BINARY and CASEBOOK_E2E_DATA_DIR are not set: ./dev test sets them');
      return;
    }
    const page = await newPage(browser, mode);
    // axe-core and the Nu HTML Checker on every page the journey reaches, as it stands.
    const check = (at) => expectValidAndAccessible(browser, at, mode);
    const key = mode.javaScriptEnabled ? 'js' : 'nojs';
    const address = portal.url(`/dataset/bin-rounds-${key}`);
    const title = `Bin day reminders ${key} ${Date.now()}`;

    await signInAs(page, 'Priya Shah');
    await page.goto('/case-studies/new');
    await page.locator('#title').fill(title);
    await page.getByLabel('Summary').fill('Residents get a reminder the evening before their bin day, from the council\'s open collection rounds.');
    await page.getByLabel('Service area').selectOption('waste-and-recycling');
    await page.getByRole('radio', { name: 'Live' }).check();
    await page.getByLabel('Region').fill('North West England');
    await page.getByLabel('Story').fill('## The problem\n\nMissed collections.');
    await page.getByRole('checkbox', { name: 'Open data to help people engage with a service' }).check();
    await page.locator('#dataset_url_1').fill(address);
    await page.locator('#dataset_usage_1').fill('Finds the round for each address');
    await page.getByRole('radio', { name: /^Published/ }).check();

    await page.getByRole('button', { name: 'Look up dataset 1' }).click();
    const found = page.locator('#dataset_found_1');
    await found.getByText('Found on CKAN').waitFor();
    assert.match(await found.innerText(), /Bin collection rounds[\s\S]*Northshire Council[\s\S]*Open Government Licence 3\.0/);
    if (mode.javaScriptEnabled) {
      await page.getByRole('button', { name: 'Use these details for dataset 1' }).click();
    }
    assert.equal(await page.locator('#dataset_title_1').inputValue(), 'Bin collection rounds', 'the found title fills the row');
    assert.equal(await page.locator('#title').inputValue(), title, 'nothing typed is lost');
    await check(page);

    await page.getByRole('button', { name: 'Save case study' }).click();
    await page.waitForURL(/\/case-studies\/bin-day-reminders/);
    const caseStudy = page.url();
    // The resolver follows the event log: the portal's details arrive within moments.
    const datasets = page.locator('.dataset-list');
    for (let i = 0; i < 40 && !/Last checked/.test(await datasets.innerText()); i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      await page.goto(caseStudy);
    }
    const shown = await datasets.innerText();
    assert.match(shown, /Bin collection rounds/);
    assert.match(shown, /Northshire Council/);
    assert.match(shown, /Open Government Licence 3\.0 \(United Kingdom\) \(open\)/);
    assert.match(shown, /Available/);
    await check(page);

    // The portal withdraws it: gone once is not yet withdrawn; gone again a day later is.
    portal.withdraw(new URL(address).pathname);
    const first = new Date();
    assert.match(await checkAt(address, first), /\tunavailable\t/);
    assert.match(await checkAt(address, new Date(first.getTime() + 25 * 3600 * 1000)), /\twithdrawn\t/);
    await page.goto(caseStudy);
    const day = first.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
    assert.match(await datasets.innerText(), new RegExp(`Withdrawn since ${day}`));
    assert.match(await page.getByRole('status').filter({ hasText: 'has a problem' }).innerText(), /Bin collection rounds: Withdrawn since/);
    await check(page);

    await page.getByRole('link', { name: 'Bin collection rounds', exact: true }).click();
    assert.match(await page.getByRole('heading', { level: 1 }).innerText(), /Bin collection rounds/);
    assert.match(await page.locator('main').innerText(), /How this service uses it: Finds the round for each address/);
    assert.match(await page.locator('main').innerText(), /Health history[\s\S]*Not found/);
    await check(page);
    await page.getByRole('link', { name: 'Northshire Council' }).first().click();
    assert.match(await page.locator('main').innerText(), /Your data is used by \d+ services?/);
    await check(page);
    await page.context().close();
  });
}
