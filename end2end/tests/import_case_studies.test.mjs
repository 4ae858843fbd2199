// A site admin brings case studies in from a file: before they are an admin the import page is
// refused; once they are (`casebook admin grant`), they upload a file with one good row and one
// bad, read the report of the bad row's problem, confirm, and find the good one published. Every
// page passes axe-core and the Nu HTML Checker, with JavaScript on and off.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { launch, newPage, MODES, signInAs, expectValidAndAccessible } from './support.mjs';

const run = promisify(execFile);
const BINARY = process.env.CASEBOOK_E2E_BINARY;
const DATA_DIR = process.env.CASEBOOK_E2E_DATA_DIR;
const ADMIN = 'Emma Thornton';

let browser;
let folder;
let person;
before(async () => {
  browser = await launch();
  folder = mkdtempSync(join(tmpdir(), 'casebook-import-'));
});
after(async () => {
  // The admin role goes again, so that no other journey meets an admin it did not expect.
  if (person) await casebook('admin', 'revoke', person);
  await browser?.close();
  rmSync(folder, { recursive: true, force: true });
});

async function casebook(...args) {
  const { stdout } = await run(BINARY, args, { env: { ...process.env, CASEBOOK_DATA_DIR: DATA_DIR, RUST_LOG: 'warn' } });
  return stdout;
}

for (const mode of MODES) {
  test(`import case studies from a file as an admin ${mode.name}`, async (t) => {
    if (!BINARY || !DATA_DIR) {
      t.skip('CASEBOOK_E2E_BINARY and CASEBOOK_E2E_DATA_DIR are not set: ./dev test sets them');
      return;
    }
    const page = await newPage(browser, mode);
    // axe-core and the Nu HTML Checker on every page the journey reaches, as it stands.
    const check = (at) => expectValidAndAccessible(browser, at, mode);

    await signInAs(page, ADMIN);
    person = (await page.locator('.account-name a').getAttribute('href')).split('/').pop();
    await casebook('admin', 'revoke', person);
    assert.equal((await page.goto('/import')).status(), 403, 'only admins import');

    await casebook('admin', 'grant', person);
    await page.goto('/data');
    await page.getByRole('link', { name: 'import a file' }).click();
    await page.waitForURL('**/import');
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Import case studies');
    await check(page);

    // The site's own JSON download is the format: one of its records under a new id and title,
    // and a second with no title.
    const [record] = await (await page.request.get('/data/case-studies.json')).json();
    const key = `${mode.javaScriptEnabled ? 'js' : 'nojs'}-${Date.now()}`;
    const title = `Imported street works map ${key}`;
    const good = { ...record, id: `imported-street-works-${key}`, title };
    const bad = { ...record, id: `imported-untitled-${key}`, title: '' };
    const file = join(folder, `case-studies-${key}.json`);
    writeFileSync(file, JSON.stringify([good, bad]));

    await page.getByLabel('The case studies (.json or .csv, up to 4 MB)').setInputFiles(file);
    await page.getByRole('button', { name: 'Check the file' }).click();
    await page.getByRole('heading', { name: `Checked case-studies-${key}.json` }).waitFor();
    assert.match(await page.getByRole('status').innerText(), /^2 rows read\. Importing would create 1, update 0 and leave 0 unchanged; 1 with problems would be left out\./);
    const problems = page.getByRole('table', { name: /Problems to fix/ });
    const [row, column] = await problems.locator('tbody tr').first().locator('td').allInnerTexts();
    assert.deepEqual([row, column], ['2', 'title']);
    assert.equal(await problems.locator('tbody tr').count(), 1, 'the good row has no problems');
    await check(page);
    assert.equal((await page.request.get(`/case-studies/${good.id}`)).status(), 404, 'checking saves nothing');

    await page.getByRole('button', { name: 'Import 1 case study' }).click();
    await page.getByRole('heading', { name: `Imported case-studies-${key}.json` }).waitFor();
    assert.match(await page.getByRole('status').innerText(), /^2 rows read: 1 created, 0 updated, 0 unchanged; 1 with problems left out\./);
    await check(page);

    await page.goto(`/case-studies/${good.id}`);
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), title);
    assert.equal((await page.request.get(`/case-studies/${bad.id}`)).status(), 404, 'the bad row was not imported');
  });
}
