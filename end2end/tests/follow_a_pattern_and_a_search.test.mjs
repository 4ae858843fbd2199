// A newcomer follows a pattern and a search; an author publishes a case study both match; the
// newcomer's digest reaches the SMTP server with the case study in it, and its unsubscribe link
// works: opening it changes nothing, the one-click post (RFC 8058) stops that mail. With
// JavaScript on and off; every page checked by axe-core and the Nu HTML Checker.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newPage, MODES, expectValidAndAccessible, signInAs, demoAddress, casebook, waitForMail, waitForText } from './support.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const PATTERN = 'Open data to help develop policy';
// Each run has its own people and its own word to search for, as both runs share one site.
const RUNS = {
  'with JavaScript': { newcomer: 'Hassan Ali', author: 'Olusegun Adeyemi', word: 'zephyrine' },
  'without JavaScript': { newcomer: 'Emma Thornton', author: 'Fiona MacLeod', word: 'quillbrook' },
};

for (const mode of MODES) {
  test(`a newcomer follows a pattern and a search, and the digest arrives with a working unsubscribe ${mode.name}`, async () => {
    const run = RUNS[mode.name];
    const newcomer = await newPage(browser, mode);
    await signInAs(newcomer, run.newcomer);
    await newcomer.goto('/patterns');
    await newcomer.getByRole('link', { name: PATTERN }).click();
    await newcomer.getByRole('button', { name: /^Follow/ }).click();
    await newcomer.getByText(`You follow the pattern ${PATTERN}`).waitFor();
    await expectValidAndAccessible(browser, newcomer, mode);

    await newcomer.goto(`/search?q=${run.word}`);
    await newcomer.getByRole('button', { name: /^Follow/ }).click();
    await newcomer.getByText(`You follow the search “${run.word}”`).waitFor();
    await expectValidAndAccessible(browser, newcomer, mode);
    await newcomer.goto('/following');
    const following = await newcomer.locator('main').innerText();
    assert.ok(following.includes(`the pattern ${PATTERN}`) && following.includes(`the search “${run.word}”`), following);
    await expectValidAndAccessible(browser, newcomer, mode);

    const title = `Evidence for the ${run.word} cycle lanes, from open counts ${Date.now()}`;
    const author = await newPage(browser, mode);
    await signInAs(author, run.author);
    await author.goto('/case-studies/new');
    await author.locator('#title').fill(title);
    await author.getByLabel('Summary').fill(`Open cycle counts in ${run.word} showed where lanes were used, and shaped the transport plan.`);
    await author.getByLabel('Service area').selectOption('transport');
    await author.getByRole('radio', { name: 'Beta' }).check();
    await author.getByLabel('Region').fill('North East England');
    await author.getByLabel('Story').fill('## The problem\n\nNobody knew which lanes were used.');
    await author.getByRole('checkbox', { name: PATTERN }).check();
    await author.getByRole('radio', { name: /^Published/ }).check();
    await author.getByRole('button', { name: 'Save case study' }).click();
    await author.getByRole('heading', { level: 1, name: title }).waitFor();

    // The daily window, cut now rather than tomorrow; the running server sends what it queues.
    casebook('mail', 'digest', 'daily');
    const mail = await waitForMail(demoAddress(run.newcomer), title);
    assert.match(mail.headers['list-unsubscribe'], /^<http:\/\/[^>]+\/unsubscribe\/[0-9a-f]+>, <mailto:/);
    assert.equal(mail.headers['list-unsubscribe-post'], 'List-Unsubscribe=One-Click');
    assert.equal(mail.headers['auto-submitted'], 'auto-generated');
    assert.match(mail.text, /because of what you follow/);
    const link = mail.headers['list-unsubscribe'].match(/^<([^>]+)>/)[1];

    await waitForText(newcomer, '/notifications', title);
    await expectValidAndAccessible(browser, newcomer, mode);

    // Opening the link, as mail scanners do, only offers choices.
    const path = new URL(link).pathname;
    await newcomer.goto(path);
    await newcomer.getByRole('button', { name: /^Stop email about the (pattern|search)/ }).waitFor();
    await expectValidAndAccessible(browser, newcomer, mode);
    await newcomer.goto('/following');
    assert.equal(await newcomer.locator('option[value="site_only"][selected]').count(), 0, 'nothing changed by opening it');

    // A mail program's one-click post: no cookie, exactly RFC 8058's body.
    const posted = await fetch(new URL(path, newcomer.url()), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
      redirect: 'manual',
    });
    assert.equal(posted.status, 200);
    await newcomer.reload();
    assert.equal(await newcomer.locator('option[value="site_only"][selected]').count(), 1, 'that follow is on the site only now');
    await newcomer.context().close();
    await author.context().close();
  });
}
