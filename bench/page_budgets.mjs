// Measures a running Casebook (release build): the JavaScript and WASM each reading page ships,
// raw and gzipped, and how fast the server answers a case study page with one client.
// Run through `./dev bench`, which builds the release and starts the server.
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const base = new URL(process.env.CASEBOOK_BENCH_URL ?? 'http://127.0.0.1:3200');
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const WARM_UP = 300;
const SAMPLES = Number(process.env.CASEBOOK_BENCH_SAMPLES ?? 3000);

function get(path) {
  return new Promise((resolve, reject) => {
    const request = http.get({ host: base.hostname, port: base.port, path, agent }, (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode, body: Buffer.concat(chunks) }));
    });
    request.on('error', reject);
  });
}

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

async function pageWeight(name, path) {
  const page = await get(path);
  if (page.status !== 200) throw new Error(`${path} answered ${page.status}`);
  const html = page.body.toString();
  const assets = [...new Set([...html.matchAll(/(?:href|src)="(\/pkg\/[^"]+\.(?:js|wasm))"/g)].map((m) => m[1]))];
  return { ...(await assetWeight(assets)), page: name, path, html: kb(page.body.length) };
}

async function assetWeight(assets) {
  let raw = 0;
  let gzip = 0;
  for (const asset of assets) {
    const { body } = await get(asset);
    raw += body.length;
    gzip += gzipSync(body, { level: 9 }).length;
  }
  return { 'JS+WASM raw': kb(raw), 'JS+WASM gzip': kb(gzip), gzipBytes: gzip, assets: assets.join(' ') || 'none' };
}

function weighFiles(files) {
  let raw = 0;
  let gzip = 0;
  for (const file of files) {
    const body = readFileSync(file);
    raw += body.length;
    gzip += gzipSync(body, { level: 9 }).length;
  }
  return { 'JS+WASM raw': kb(raw), 'JS+WASM gzip': kb(gzip), gzipBytes: gzip, assets: files.map((f) => f.split('/').pop()).join(' ') };
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const home = (await get('/')).body.toString();
const slug = home.match(/class="card-title"><a href="(\/case-studies\/[^"]+)"/)?.[1];
if (!slug) throw new Error('no case study linked from the home page');

const weights = [
  await pageWeight('home', '/'),
  await pageWeight('case study list', '/case-studies'),
  await pageWeight('case study', slug),
  await pageWeight('pattern', '/patterns/develop-policy'),
];
// The create and edit forms need a session; what they load is the islands bundle itself.
const islands = { page: 'create/edit form (islands)', path: '-', html: '-', ...(await assetWeight(['/pkg/casebook.js', '/pkg/casebook.wasm'])) };
// The search page loads the islands bundle for search as you type; it is not a reading page.
const search = await pageWeight('search (islands)', '/search?q=bus');
// The floor: bench/island-floor, one empty island built the same way (CASEBOOK_ISLAND_FLOOR is
// the folder `./dev bench` built it into).
const floorDir = process.env.CASEBOOK_ISLAND_FLOOR;
const floor = floorDir && weighFiles(['floor.js', 'floor.wasm'].map((f) => `${floorDir}/${f}`));
const rows = [...weights, search, islands, ...(floor ? [{ page: 'one empty island (Leptos floor)', path: '-', html: '-', ...floor }] : [])];
console.log('\nPage weight (JavaScript and WASM a page loads; budget: 100 KB gzip for reading pages)');
console.table(rows.map(({ gzipBytes, ...row }) => ({ page: row.page, path: row.path, html: row.html, ...row })));
const islandBudget = Math.max(50 * 1024, floor ? floor.gzipBytes * 1.1 : 0);
console.log(`Islands: ${kb(islands.gzipBytes)} gzip against a budget of ${kb(islandBudget)} (50 KB, or the floor${floor ? ` ${kb(floor.gzipBytes)}` : ''} + 10 % if higher): ${islands.gzipBytes <= islandBudget ? 'met' : 'OVER'}`);

for (let i = 0; i < WARM_UP; i += 1) await get(slug);
const times = [];
for (let i = 0; i < SAMPLES; i += 1) {
  const start = process.hrtime.bigint();
  const { status } = await get(slug);
  times.push(Number(process.hrtime.bigint() - start) / 1e6);
  if (status !== 200) throw new Error(`case study page answered ${status}`);
}
times.sort((a, b) => a - b);
console.log(`\nCase study page ${slug}, one client, ${SAMPLES} requests after ${WARM_UP} to warm up (budget: median under 5 ms)`);
console.table([{ median: `${percentile(times, 50).toFixed(2)} ms`, p95: `${percentile(times, 95).toFixed(2)} ms`, p99: `${percentile(times, 99).toFixed(2)} ms`, max: `${times.at(-1).toFixed(2)} ms` }]);

const overBudget = weights.filter((w) => w.gzipBytes > 100 * 1024).map((w) => w.page);
const median = percentile(times, 50);
console.log(`\nBudgets: page weight ${overBudget.length ? `OVER on ${overBudget.join(', ')}` : 'met'}; median latency ${median < 5 ? 'met' : 'OVER'}`);
agent.destroy();
