// An author submits two case studies to a network that reviews everything; its organiser works
// through the review queue, approving one and rejecting the other with a reason; the author
// sees both decisions on their case studies and their profile. With JavaScript on and off.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newPage, MODES, expectAccessible, signInAs, demoAddress, waitForMail, waitForText } from './support.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const NETWORK = 'Cross-Government Data Practitioners';
// Each run has its own author and case studies, as both runs share one site.
const RUNS = {
  'with JavaScript': {
    author: 'Mei Lin Chen',
    approve: 'A business rates relief checker for small firms in Trentholme',
    reject: 'Planning on-street EV chargepoints in Trentholme with the National Chargepoint Registry',
  },
  'without JavaScript': {
    author: 'Tomasz Nowak',
    approve: "Reporting a missed bin when the crew's round status is open data",
    reject: 'Flood alerts for riverside residents and highway crews in Riverford',
  },
};

/** Opens one of the signed-in person's case studies from their profile. */
async function openOwn(page, title) {
  await page.locator('.account').getByRole('link').first().click();
  await page.getByRole('link', { name: title, exact: true }).first().click();
  await page.getByRole('heading', { level: 1, name: title }).waitFor();
}

for (const mode of MODES) {
  test(`an organiser approves one submission and rejects another, and the author sees both ${mode.name}`, async () => {
    const run = RUNS[mode.name];
    const check = mode.javaScriptEnabled ? expectAccessible : async () => {};
    const author = await newPage(browser, mode);
    await signInAs(author, run.author);
    for (const title of [run.approve, run.reject]) {
      await openOwn(author, title);
      await author.getByRole('checkbox', { name: NETWORK }).check();
      await author.getByRole('button', { name: 'Submit', exact: true }).click();
      await author.getByText('Waiting for review').waitFor();
      await check(author);
    }

    // The organiser is told, and the notification leads to the queue.
    const organiser = await newPage(browser, mode);
    await signInAs(organiser, 'Ruth Okafor');
    const told = `“${run.approve}” is waiting for review in ${NETWORK}`;
    await waitForText(organiser, '/notifications', told);
    await check(organiser);
    await organiser.getByRole('link', { name: told }).first().click();
    await organiser.waitForURL('**/review');
    await check(organiser);
    const pending = organiser.getByRole('list', { name: /Waiting for review/ });
    const waiting = await pending.innerText();
    assert.ok(waiting.includes(run.approve) && waiting.includes(run.reject), `both wait in the queue: ${waiting}`);

    await organiser.getByRole('button', { name: `Approve “${run.approve}”` }).click();
    await organiser.waitForURL('**/review');
    // Rejecting without a reason is refused, with the error tied to the field.
    await organiser.getByRole('button', { name: `Reject “${run.reject}”` }).click();
    await organiser.getByRole('alert').waitFor();
    assert.match(await organiser.getByRole('alert').innerText(), /Give the reason/);
    await check(organiser);
    const reason = 'Add the chargepoint dataset\'s licence, then submit it again.';
    await organiser.getByLabel(`Reason, if you do not accept “${run.reject}”`).fill(reason);
    await organiser.getByRole('button', { name: `Reject “${run.reject}”` }).click();
    await organiser.waitForURL('**/review');
    const left = await organiser.locator('main').innerText();
    assert.ok(!left.includes(`Reason, if you do not accept “${run.approve}”`), 'the approved submission left the queue');
    assert.ok(!left.includes(`Reason, if you do not accept “${run.reject}”`), 'the rejected one too');

    await openOwn(author, run.approve);
    const approved = author.getByRole('region', { name: 'Networks and collections' });
    assert.match(await approved.innerText(), new RegExp(`Shared in [^\\n]*${NETWORK}[\\s\\S]*Approved`, 'i'));
    await openOwn(author, run.reject);
    const rejected = await author.getByRole('region', { name: 'Networks and collections' }).innerText();
    assert.match(rejected, /Not accepted/i);
    assert.ok(rejected.includes(reason), 'the reason is shown to the author');
    // The author is told of both decisions, the reason with the one not accepted, on the site and by mail.
    const news = await waitForText(author, '/notifications', `did not accept “${run.reject}”`);
    assert.ok(news.includes(`approved “${run.approve}”`), news);
    assert.ok(news.includes(`did not accept “${run.reject}”: ${reason}`), news);
    await check(author);
    const mail = await waitForMail(demoAddress(run.author), reason);
    assert.ok(mail.text.includes(run.reject), mail.text);
    await author.locator('.account').getByRole('link').first().click();
    const decisions = await author.getByRole('table', { name: /Your submissions/ }).innerText();
    assert.match(decisions, /Approved/i);
    assert.ok(decisions.includes(reason));
    await check(author);

    // Everyone else sees the approved case study on the network's page, and not the rejected one.
    const visitor = await newPage(browser, mode);
    await visitor.goto('/networks/cross-government-data');
    const shared = await visitor.locator('main').innerText();
    assert.ok(shared.includes(run.approve) && !shared.includes(run.reject));
    await check(visitor);
  });
}
