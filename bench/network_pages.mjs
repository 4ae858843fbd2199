// Measures a running Casebook (release build, CASEBOOK_COUNT_QUERIES on) seeded with a network
// sharing 1,000 case studies and a collection of 200: median latency with one client, and the
// database queries each page makes (from the X-Casebook-Queries header), for the first page and
// a deep one, to show the count does not grow with the rows. Run through `./dev bench`.
import http from 'node:http';

const base = new URL(process.env.CASEBOOK_BENCH_URL ?? 'http://127.0.0.1:3200');
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const WARM_UP = 100;
const SAMPLES = Number(process.env.CASEBOOK_BENCH_SAMPLES ?? 1000);
const BUDGET_MS = 10;

function get(path) {
  return new Promise((resolve, reject) => {
    const request = http.get({ host: base.hostname, port: base.port, path, agent }, (response) => {
      response.on('data', () => {});
      response.on('end', () => resolve({ status: response.statusCode, queries: Number(response.headers['x-casebook-queries']) }));
    });
    request.on('error', reject);
  });
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const percentile = (values, p) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))];

const PAGES = [
  ['network page, 1,000 shared', '/networks/bench-network'],
  ['network page, page 100 of 100', '/networks/bench-network?page=100'],
  ['network page, filtered', '/networks/bench-network?phase=live'],
  ['collection, 200 items, page 1', '/collections/bench-collection'],
  ['collection, 200 items, page 4', '/collections/bench-collection?page=4'],
];

const rows = [];
for (const [page, path] of PAGES) {
  for (let i = 0; i < WARM_UP; i += 1) await get(path);
  const times = [];
  const queries = [];
  for (let i = 0; i < SAMPLES; i += 1) {
    const start = process.hrtime.bigint();
    const reply = await get(path);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
    if (reply.status !== 200) throw new Error(`${path} answered ${reply.status}`);
    if (Number.isNaN(reply.queries)) throw new Error(`${path} gave no query count: is CASEBOOK_COUNT_QUERIES on?`);
    queries.push(reply.queries);
  }
  rows.push({ page, path, median: median(times), p95: percentile(times, 95), queries: median(queries), 'queries (min-max)': `${Math.min(...queries)}-${Math.max(...queries)}` });
}
console.log(`\nNetwork and collection pages, one client, ${SAMPLES} requests each after ${WARM_UP} to warm up (budget: median under ${BUDGET_MS} ms; queries the same for every page of a list)`);
console.table(rows.map((r) => ({ ...r, median: `${r.median.toFixed(2)} ms`, p95: `${r.p95.toFixed(2)} ms` })));
const slow = rows.filter((r) => r.median >= BUDGET_MS).map((r) => r.page);
const networkQueries = new Set(rows.slice(0, 2).map((r) => r.queries));
const collectionQueries = new Set(rows.slice(3).map((r) => r.queries));
const constant = networkQueries.size === 1 && collectionQueries.size === 1;
console.log(`\nBudgets: median latency ${slow.length ? `OVER on ${slow.join(', ')}` : 'met'}; queries per page ${constant ? 'constant' : 'NOT constant'}`);
agent.destroy();
if (slow.length || !constant) process.exitCode = 1;
