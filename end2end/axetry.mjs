import { launch, newPage, expectAccessible } from './tests/support.mjs';
const browser = await launch();
const page = await newPage(browser, { javaScriptEnabled: false });
await page.goto('/networks/local-digital-data');
try { await expectAccessible(page); console.log('axe ran with JS off: no violations'); } catch (e) { console.log('ERR', e.message.slice(0, 400)); }
await browser.close();
