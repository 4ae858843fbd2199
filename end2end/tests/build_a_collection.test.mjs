// A network organiser starts a collection, adds three case studies to it from search results,
// writes a note, and changes the order (with JavaScript by keyboard drag and drop, without it
// with the move forms); a visitor then reads the collection in that order.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newPage, MODES, expectAccessible, signInAs } from './support.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const PICKS = [
  'Find your bin day',
  'Reporting a missed bin',
  'Recycling centre opening times',
];

/** The titles of a collection page's cards, in order. */
async function order(page) {
  return page.locator('.collection-items .card-title').allInnerTexts();
}

for (const mode of MODES) {
  test(`a curator builds a collection from search and a visitor reads it in order ${mode.name}`, async () => {
    const check = mode.javaScriptEnabled ? expectAccessible : async () => {};
    const title = `Waste services to learn from ${mode.javaScriptEnabled ? 'A' : 'B'} ${Date.now()}`;
    const page = await newPage(browser, mode);
    await signInAs(page, 'Priya Shah');
    await page.goto('/collections');
    await page.getByRole('link', { name: 'Start a collection' }).click();
    await check(page);
    await page.getByLabel('Title').fill(title);
    await page.getByLabel('Introduction').fill('Three services, in the order to read them.');
    await page.getByRole('checkbox', { name: 'Local Digital Data Network' }).check();
    await page.getByRole('radio', { name: /^Published/ }).check();
    await page.getByRole('button', { name: 'Start the collection' }).click();
    await page.getByRole('heading', { level: 1, name: title }).waitFor();
    const address = new URL(page.url()).pathname;

    for (const pick of PICKS) {
      const search = `/search?q=${encodeURIComponent(pick)}`;
      await page.goto(search);
      await check(page);
      const card = page.locator('.card-list > li').filter({ has: page.getByRole('link', { name: new RegExp(`^${pick}`) }) });
      await card.getByRole('combobox', { name: 'Add to a collection' }).selectOption({ label: title });
      await card.getByRole('button', { name: 'Add' }).click();
      await page.waitForURL((url) => url.pathname === '/search' && url.search.startsWith('?q='));
    }

    await page.goto(address);
    let shown = await order(page);
    assert.equal(shown.length, 3);
    PICKS.forEach((pick, n) => assert.ok(shown[n].startsWith(pick), `${shown[n]} is number ${n + 1}`));
    await check(page);
    await page.getByLabel(/^Curator's note on Find your bin day/).fill('Start here: the simplest service to build on UPRNs.');
    await page.getByRole('button', { name: /^Save the note on Find your bin day/ }).click();
    await page.locator('blockquote').getByText('Start here: the simplest service').waitFor();

    // The third moves to the top.
    if (mode.javaScriptEnabled) {
      const list = page.getByRole('region', { name: 'Change the order' });
      await list.waitFor();
      const item = list.getByText(/^↕\s*Recycling centre opening times/);
      await item.focus();
      await page.keyboard.press('Space');
      await list.getByText(/^Picked up Recycling centre opening times/).waitFor();
      // Each move is announced, and the item keeps the focus in its new place.
      for (const position of [2, 1]) {
        await page.keyboard.press('ArrowUp');
        await list.getByText(new RegExp(`position ${position} of 3\\.$`)).waitFor();
        await page.waitForFunction(() => document.activeElement?.classList.contains('reorder-item'));
      }
      await page.keyboard.press('Space');
      await list.getByText('The new order is saved.').waitFor();
      shown = await order(page);
      assert.ok(shown[0].startsWith('Recycling centre opening times'), 'the page shows the new order at once');
      await check(page);
    } else {
      await page.getByRole('button', { name: /^Move up Recycling centre opening times/ }).click();
      await page.getByRole('button', { name: /^Move up Recycling centre opening times/ }).click();
    }

    const visitor = await newPage(browser, mode);
    await visitor.goto(address);
    shown = await order(visitor);
    assert.deepEqual(shown.map((t) => t.split(':')[0].split(' ').slice(0, 3).join(' ')),
      ['Recycling centre opening', 'Find your bin', 'Reporting a missed'], `read in the curator's order: ${shown}`);
    assert.match(await visitor.locator('main').innerText(), /Start here: the simplest service/);
    await check(visitor);
  });
}
