// A practitioner signs in, publishes a case study through the form, finds it in the list,
// opens it, edits it and sees the revision; the same with JavaScript on and off.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newPage, MODES, expectAccessible, signInAs } from './support.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

for (const mode of MODES) {
  test(`publish, find, open and edit a case study ${mode.name}`, async () => {
    const page = await newPage(browser, mode);
    const check = mode.javaScriptEnabled ? expectAccessible : async () => {};
    const title = `School streets air quality pilot ${mode.javaScriptEnabled ? 'A' : 'B'} ${Date.now()}`;

    await signInAs(page, 'Priya Shah');
    await page.getByRole('link', { name: 'Share a case study' }).first().click();
    await page.waitForURL('**/case-studies/new');
    await check(page);

    // A first try with the title left out: the errors are summarised and nothing typed is lost.
    await page.getByLabel('Summary').fill('Air quality sensors outside schools, published as open data, shaped the council\'s school streets policy.');
    await page.getByLabel('Service area').selectOption('environment');
    await page.getByRole('radio', { name: 'Alpha' }).check();
    await page.getByLabel('Region').fill('Yorkshire and the Humber');
    await page.getByLabel('Story').fill('## The problem\n\nParents worried about **air quality** at the school gate.\n\n- 12 sensors\n- open data every hour');
    await page.getByRole('checkbox', { name: 'Open data to help develop policy' }).check();
    await page.getByRole('checkbox', { name: 'User research' }).check();
    await page.getByLabel('Tags (optional)').fill('Air quality, school streets');
    await page.locator('#dataset_title_1').fill('School gate air quality readings');
    await page.locator('#dataset_url_1').fill('https://data.example.org/school-air.csv');
    await page.locator('#dataset_usage_1').fill('Hourly readings shown on the policy dashboard');
    await page.getByRole('radio', { name: /^Published/ }).check();
    await page.getByRole('button', { name: 'Save case study' }).click();

    const summary = page.getByRole('alert');
    await summary.waitFor();
    assert.match(await summary.innerText(), /There is a problem[\s\S]*Enter title/);
    assert.match(await page.title(), /^Error: /);
    assert.equal(await page.getByLabel('Region').inputValue(), 'Yorkshire and the Humber', 'answers are kept');
    assert.equal(await page.locator('#dataset_url_1').inputValue(), 'https://data.example.org/school-air.csv');
    await check(page);
    await summary.getByRole('link', { name: 'Enter title' }).click();
    await page.locator('#title').fill(title);
    await page.getByRole('button', { name: 'Save case study' }).click();
    await page.waitForURL(/\/case-studies\/school-streets-air-quality-pilot/);

    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), title);
    assert.match(await page.locator('.prose').innerHTML(), /<strong>air quality<\/strong>/);
    await check(page);

    await page.getByRole('link', { name: 'Case studies', exact: true }).click();
    await page.getByRole('link', { name: title }).click();
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), title);

    await page.getByRole('link', { name: 'Edit this case study' }).click();
    await page.waitForURL(/\/edit$/);
    await check(page);
    await page.getByRole('radio', { name: 'Beta' }).check();
    await page.getByLabel('Outcomes (optional)').fill('Traffic outside the school fell by 40% in the pilot term.');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.waitForURL((url) => !url.pathname.endsWith('/edit'));

    const history = await page.locator('.history').innerText();
    assert.match(history, /Revision 2 by Priya Shah/);
    assert.match(history, /Changed: Phase, Outcomes|Changed: Outcomes, Phase/);
    assert.match(await page.locator('.case-study-facts').innerText(), /Beta/i);
    await page.context().close();
  });
}

test('the story can be previewed once JavaScript has loaded', async () => {
  const page = await newPage(browser, MODES[0]);
  await signInAs(page, 'Priya Shah');
  await page.goto('/case-studies/new');
  const preview = page.getByRole('button', { name: 'Preview the story' });
  await preview.waitFor({ state: 'visible' });
  await page.getByLabel('Story').fill('## Hello\n\n<script>alert(1)</script>\n\nA **bold** claim');
  await preview.click();
  await page.locator('.preview .prose strong').waitFor();
  const html = await page.locator('.preview .prose').innerHTML();
  assert.match(html, /<h2>Hello<\/h2>/);
  assert.doesNotMatch(html, /script/);
  await page.context().close();
});

test('without JavaScript the preview button stays hidden', async () => {
  const page = await newPage(browser, MODES[1]);
  await signInAs(page, 'Priya Shah');
  await page.goto('/case-studies/new');
  assert.equal(await page.getByRole('button', { name: 'Preview the story' }).isVisible(), false);
  await page.context().close();
});
