// A real OpenID Connect provider for the sign-in journeys: npm's oidc-provider (OpenID
// Certified) with one test client and test accounts, plus a tampering front for the attack
// cases. The tampering front is a second issuer: it passes requests through to the provider,
// then re-signs the ID token with the provider's own key, bent as the test asks (another
// issuer or audience, expired, another nonce), or signed with a stranger's key, or it stalls.
import http from 'node:http';
import Provider from 'oidc-provider';
import * as jose from 'jose';

export const CLIENT = { id: 'casebook', secret: 'casebook-e2e-secret-0123456789' };

/** Test accounts, by the login typed on the provider's own sign-in page. */
const ACCOUNTS = {
  alex: { name: 'Alex Morgan', email: 'alex.morgan@leeds.gov.uk', email_verified: true },
  sam: { name: 'Sam Okafor', email: 'sam@example.org', email_verified: true },
  casey: { name: 'Casey Lee', email: 'casey@camden.gov.uk', email_verified: false },
  robin: { name: 'Robin Ahmed', email: 'robin@nhs.net', email_verified: true },
};

const MODES = ['honest', 'wrong-issuer', 'wrong-audience', 'expired', 'wrong-nonce', 'bad-signature', 'stall'];

export async function startProvider({ port, tamperPort, casebookUrl }) {
  const issuer = `http://127.0.0.1:${port}`;
  const tamperIssuer = `http://127.0.0.1:${tamperPort}`;
  const { privateKey } = await jose.generateKeyPair('RS256', { extractable: true });
  const signingKey = { ...(await jose.exportJWK(privateKey)), kid: 'e2e-key', alg: 'RS256', use: 'sig' };
  const stranger = (await jose.generateKeyPair('RS256')).privateKey;

  const provider = new Provider(issuer, {
    clients: [{
      client_id: CLIENT.id,
      client_secret: CLIENT.secret,
      redirect_uris: ['testid', 'tamper'].map((id) => `${casebookUrl}/auth/${id}/callback`),
      grant_types: ['authorization_code'],
      response_types: ['code'],
    }],
    jwks: { keys: [signingKey] },
    pkce: { required: () => true },
    ttl: { AccessToken: 600, AuthorizationCode: 60, Grant: 3600, IdToken: 600, Interaction: 600, Session: 3600 },
    // Cookies ignore ports: names of its own keep the provider's apart from Casebook's.
    cookies: { names: { session: 'op_session', interaction: 'op_interaction', resume: 'op_resume' }, keys: ['e2e-provider-cookie-key'] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    async findAccount(ctx, id) {
      const account = ACCOUNTS[id];
      return account && { accountId: id, claims: async () => ({ sub: id, ...account }) };
    },
    // The test client is first-party: consent is implied, as at a council's own identity provider.
    async loadExistingGrant(ctx) {
      const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope('openid email profile');
      await grant.save();
      return grant;
    },
  });
  const server = provider.listen(port, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));

  let mode = 'honest';
  const tamper = http.createServer((request, response) => {
    passThrough(request, response, { issuer, tamperIssuer, mode, signingKey, privateKey, stranger })
      .catch((error) => { response.writeHead(500); response.end(String(error)); });
  });
  await new Promise((resolve) => tamper.listen(tamperPort, '127.0.0.1', resolve));

  return {
    issuer,
    tamperIssuer,
    setMode(next) {
      if (!MODES.includes(next)) throw new Error(`unknown mode ${next}`);
      mode = next;
    },
    async close() {
      tamper.closeAllConnections();
      server.closeAllConnections();
      await Promise.all([new Promise((r) => tamper.close(r)), new Promise((r) => server.close(r))]);
    },
  };
}

async function readBody(request) {
  const chunks = [];
  for await (const chunk of request) chunks.push(chunk);
  return Buffer.concat(chunks);
}

async function passThrough(request, response, { issuer, tamperIssuer, mode, signingKey, privateKey, stranger }) {
  const url = new URL(request.url, tamperIssuer);
  const body = request.method === 'POST' ? await readBody(request) : undefined;
  const headers = { ...request.headers, host: new URL(issuer).host };
  delete headers['content-length'];
  const upstream = await fetch(`${issuer}${url.pathname}${url.search}`, { method: request.method, headers, body, redirect: 'manual' });
  let text = await upstream.text();
  if (url.pathname === '/.well-known/openid-configuration') {
    // The browser still signs in at the provider itself; the server talks to this front.
    const document = JSON.parse(text);
    for (const key of ['issuer', 'token_endpoint', 'jwks_uri', 'userinfo_endpoint']) {
      document[key] = document[key].replace(issuer, tamperIssuer);
    }
    text = JSON.stringify(document);
  } else if (url.pathname === '/token' && upstream.ok) {
    if (mode === 'stall') await new Promise((r) => setTimeout(r, 5000));
    const tokens = JSON.parse(text);
    tokens.id_token = await reSign(tokens.id_token, { issuer, tamperIssuer, mode, signingKey, privateKey, stranger });
    text = JSON.stringify(tokens);
  }
  response.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' });
  response.end(text);
}

async function reSign(idToken, { issuer, tamperIssuer, mode, signingKey, privateKey, stranger }) {
  const claims = jose.decodeJwt(idToken);
  const now = Math.floor(Date.now() / 1000);
  claims.iss = tamperIssuer;
  if (mode === 'wrong-issuer') claims.iss = issuer;
  if (mode === 'wrong-audience') claims.aud = 'someone-else';
  if (mode === 'expired') Object.assign(claims, { iat: now - 7200, exp: now - 3600 });
  if (mode === 'wrong-nonce') claims.nonce = 'not-the-nonce-casebook-sent';
  const key = mode === 'bad-signature' ? stranger : privateKey;
  return new jose.SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: signingKey.kid }).sign(key);
}
