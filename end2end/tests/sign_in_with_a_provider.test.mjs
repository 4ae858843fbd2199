// People sign in through a real OpenID Connect provider (npm's oidc-provider, started here),
// come back to the page they started from, publish as themselves and, once signed out, can no
// longer edit. Then the attacks: each is refused with a clear page, no session and a log line.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { launch, newPage, MODES, BASE_URL, expectAccessible } from './support.mjs';
import { startProvider } from '../oidc/test_provider.mjs';

const PORT = Number(process.env.CASEBOOK_E2E_OIDC_PORT ?? 3101);
const TAMPER_PORT = Number(process.env.CASEBOOK_E2E_TAMPER_PORT ?? 3102);
const SERVER_LOG = process.env.CASEBOOK_E2E_SERVER_LOG;
const HONEST = 'Test network ID';
const TAMPERED = 'Tampered test ID';

let browser;
let provider;
before(async () => {
  provider = await startProvider({ port: PORT, tamperPort: TAMPER_PORT, casebookUrl: BASE_URL });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await provider?.close();
});

/** From Casebook's sign-in page through the provider's own login page, as `login`. */
async function signInThroughProvider(page, label, login) {
  await page.getByRole('link', { name: `Sign in with ${label}` }).click();
  await page.waitForURL((url) => url.port === String(PORT));
  await page.locator('input[name=login]').fill(login);
  await page.locator('input[name=password]').fill('any password will do');
  await page.getByRole('button', { name: 'Sign-in' }).click();
  await page.waitForURL((url) => url.href.startsWith(BASE_URL));
}

async function hasSession(page) {
  return (await page.context().cookies()).some((c) => c.name === 'casebook_session');
}

function refusalsLogged() {
  return SERVER_LOG ? readFileSync(SERVER_LOG, 'utf8').split('sign-in refused').length - 1 : undefined;
}

/** Expects the page now showing to be a refusal, with no session and one more log line. */
async function expectRefused(page, before, heading, status, response) {
  assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), heading);
  if (response) assert.equal(response.status(), status);
  assert.equal(await hasSession(page), false, 'no session was created');
  if (before !== undefined) assert.equal(refusalsLogged(), before + 1, 'the refusal was logged');
}

for (const mode of MODES) {
  test(`sign in with an OpenID Connect provider, publish, sign out ${mode.name}`, async () => {
    const page = await newPage(browser, mode);
    const check = mode.javaScriptEnabled ? expectAccessible : async () => {};
    const title = `Street lighting faults map ${mode.javaScriptEnabled ? 'A' : 'B'} ${Date.now()}`;

    await page.goto('/patterns');
    await page.getByRole('link', { name: 'Sign in', exact: true }).click();
    await page.waitForURL('**/sign-in?return_to=%2Fpatterns');
    await check(page);
    assert.match(await page.locator('main').innerText(), /What Casebook does with your details/);
    await signInThroughProvider(page, HONEST, 'alex');
    assert.equal(new URL(page.url()).pathname, '/patterns', 'back on the page it started from');
    assert.match(await page.locator('.account').innerText(), /Signed in as\s+Alex Morgan/);

    await page.getByRole('link', { name: 'Share a case study' }).first().click();
    await page.locator('#title').fill(title);
    await page.getByLabel('Summary').fill('Residents report broken street lights on a map built from the council\'s open asset data.');
    await page.getByLabel('Service area').selectOption({ index: 1 });
    await page.getByRole('radio', { name: 'Beta' }).check();
    await page.getByLabel('Region').fill('Yorkshire and the Humber');
    await page.getByLabel('Story').fill('Open asset data made fault reports **precise**.');
    await page.getByRole('checkbox', { name: 'Open data to help people engage with a service' }).check();
    await page.getByRole('radio', { name: /^Published/ }).check();
    await page.getByRole('button', { name: 'Save case study' }).click();
    await page.waitForURL(/\/case-studies\/street-lighting-faults-map/);
    const caseStudy = page.url();
    const facts = await page.locator('.case-study-facts').innerText();
    assert.match(facts, /Alex Morgan/);
    assert.match(facts, /Verified public servant/i, 'the provider vouched for a gov.uk address');

    await page.locator('.account').getByRole('link', { name: 'Alex Morgan' }).click();
    await page.waitForURL(/\/people\/\d+$/);
    assert.match(await page.locator('main').innerText(), new RegExp(title));
    await check(page);
    await page.getByRole('link', { name: 'Edit your profile and account' }).click();
    await page.waitForURL('**/account');
    assert.match(await page.locator('main').innerText(), /alex\.morgan@leeds\.gov\.uk/);
    await check(page);

    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.waitForURL(`${BASE_URL}/`);
    assert.equal(await hasSession(page), false);
    await page.goto(caseStudy);
    assert.equal(await page.getByRole('link', { name: 'Edit this case study' }).count(), 0);
    const edit = await page.goto(`${caseStudy}/edit`);
    assert.equal(edit.status(), 401);
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Sign in to continue');
    await page.context().close();
  });
}

test('an ID token that fails any check signs nobody in', async () => {
  const cases = [
    ['wrong-issuer', 'We could not check who you are', 400],
    ['wrong-audience', 'We could not check who you are', 400],
    ['expired', 'We could not check who you are', 400],
    ['wrong-nonce', 'We could not check who you are', 400],
    ['bad-signature', 'We could not check who you are', 400],
    ['stall', 'Sign-in is taking too long', 504],
  ];
  for (const [bend, heading, status] of cases) {
    provider.setMode(bend);
    const page = await newPage(browser, MODES[0]);
    let callback;
    page.on('response', (r) => { if (r.url().includes('/auth/tamper/callback')) callback = r; });
    const logged = refusalsLogged();
    await page.goto('/sign-in');
    await signInThroughProvider(page, TAMPERED, 'alex');
    await expectRefused(page, logged, heading, status, callback);
    await page.context().close();
  }
  provider.setMode('honest');
  const page = await newPage(browser, MODES[0]);
  await page.goto('/sign-in');
  await signInThroughProvider(page, TAMPERED, 'sam');
  assert.match(await page.locator('.account').innerText(), /Signed in as\s+Sam Okafor/, 'the front itself is honest when asked to be');
  await page.context().close();
});

test('a callback without state, with another browser\'s state, or replayed is refused', async () => {
  // An honest sign-in, keeping the callback it came back through.
  const first = await newPage(browser, MODES[0]);
  let callbackUrl;
  first.on('request', (r) => { if (r.url().includes('/auth/testid/callback')) callbackUrl = r.url(); });
  await first.goto('/sign-in');
  await signInThroughProvider(first, HONEST, 'sam');
  assert.ok(callbackUrl);
  await first.context().close();

  const page = await newPage(browser, MODES[0]);
  let logged = refusalsLogged();
  let response = await page.goto('/auth/testid/callback?code=abc');
  await expectRefused(page, logged, 'This sign-in link has expired', 400, response);

  // The same callback in another browser: its state is not bound to this one.
  logged = refusalsLogged();
  response = await page.goto(callbackUrl);
  await expectRefused(page, logged, 'This sign-in link has expired', 400, response);

  // This browser starts its own sign-in, then presents the used code with its own state:
  // the state passes, the provider refuses the code.
  let authorizeUrl;
  page.on('request', (r) => { if (r.url().startsWith(`http://127.0.0.1:${PORT}/auth?`)) authorizeUrl = r.url(); });
  await page.goto('/auth/testid');
  await page.waitForURL((url) => url.port === String(PORT));
  const state = new URL(authorizeUrl).searchParams.get('state');
  const usedCode = new URL(callbackUrl).searchParams.get('code');
  logged = refusalsLogged();
  response = await page.goto(`/auth/testid/callback?code=${encodeURIComponent(usedCode)}&state=${encodeURIComponent(state)}`);
  await expectRefused(page, logged, 'Sign-in did not work', 400, response);
  // And that state is now used up too.
  logged = refusalsLogged();
  response = await page.goto(`/auth/testid/callback?code=x&state=${encodeURIComponent(state)}`);
  await expectRefused(page, logged, 'This sign-in link has expired', 400, response);
  await page.context().close();
});

test('cancelling at the provider, a disabled provider and a tampered session cookie are refused', async () => {
  const page = await newPage(browser, MODES[0]);
  let logged = refusalsLogged();
  await page.goto('/sign-in');
  await page.getByRole('link', { name: `Sign in with ${HONEST}` }).click();
  await page.waitForURL((url) => url.port === String(PORT));
  await page.getByRole('link', { name: '[ Cancel ]' }).click();
  await page.waitForURL((url) => url.href.startsWith(BASE_URL));
  await expectRefused(page, logged, 'Sign-in was cancelled');

  logged = refusalsLogged();
  const response = await page.goto('/auth/github/callback?code=abc&state=def');
  await expectRefused(page, logged, 'That way of signing in is not available', 404, response);

  await page.goto('/sign-in');
  await signInThroughProvider(page, HONEST, 'casey');
  assert.match(await page.locator('.account').innerText(), /Casey Lee/);
  const [session] = (await page.context().cookies()).filter((c) => c.name === 'casebook_session');
  await page.context().addCookies([{ ...session, value: session.value.replace(/.$/, (c) => (c === 'a' ? 'b' : 'a')) }]);
  await page.goto('/');
  assert.match(await page.locator('.account').innerText(), /Sign in/, 'a tampered cookie is nobody');
  await page.context().close();
});

test('an unverified address earns no badge, and a return path off-site leads home', async () => {
  const page = await newPage(browser, MODES[0]);
  await page.goto('/auth/testid?return_to=https://evil.example/');
  await page.locator('input[name=login]').fill('casey');
  await page.locator('input[name=password]').fill('any password will do');
  await page.getByRole('button', { name: 'Sign-in' }).click();
  await page.waitForURL((url) => url.href.startsWith(BASE_URL));
  assert.equal(page.url(), `${BASE_URL}/`, 'the open redirect went nowhere');
  await page.locator('.account').getByRole('link', { name: 'Casey Lee' }).click();
  assert.equal(await page.getByText('Verified public servant').count(), 0, 'camden.gov.uk, but the provider did not vouch for it');
  await page.context().close();
});

test('a second provider is linked by its owner, and an account in use stays with its owner', async () => {
  provider.setMode('honest');
  const page = await newPage(browser, MODES[0]);
  await page.goto('/sign-in');
  await signInThroughProvider(page, HONEST, 'robin');
  await page.goto('/account');
  await page.getByRole('button', { name: `Link your ${TAMPERED} account` }).click();
  // The provider remembers Robin, so it answers at once.
  await page.waitForURL(`${BASE_URL}/account`);
  const signIns = await page.locator('table').innerText();
  assert.match(signIns, new RegExp(HONEST));
  assert.match(signIns, new RegExp(TAMPERED));
  const profile = await page.getByRole('link', { name: 'See your public profile' }).getAttribute('href');
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();

  await page.goto('/sign-in');
  await page.getByRole('link', { name: `Sign in with ${TAMPERED}` }).click();
  await page.waitForURL((url) => url.href.startsWith(BASE_URL));
  await page.locator('.account').getByRole('link', { name: 'Robin Ahmed' }).click();
  assert.equal(new URL(page.url()).pathname, profile, 'either provider reaches the same account');
  await page.context().close();

  // Someone else tries to link Robin's account at the provider to theirs.
  const other = await newPage(browser, MODES[0]);
  await other.goto('/sign-in');
  await signInThroughProvider(other, HONEST, 'alex');
  await other.goto('/account');
  // Signed out at the provider (its cookies only), so that Robin's credentials can be typed there.
  await other.context().clearCookies({ name: /^op_/ });
  await other.getByRole('button', { name: `Link your ${TAMPERED} account` }).click();
  await other.waitForURL((url) => url.port === String(PORT));
  await other.locator('input[name=login]').fill('robin');
  await other.locator('input[name=password]').fill('any password will do');
  await other.getByRole('button', { name: 'Sign-in' }).click();
  await other.waitForURL((url) => url.href.startsWith(BASE_URL));
  assert.equal(await other.getByRole('heading', { level: 1 }).innerText(), 'That account is already in use');
  await other.context().close();
});
