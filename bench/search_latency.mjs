// Search latency for a fixed mix of queries (single words, typos, phrases, filters, the empty
// query with its facets), with 1 and 8 concurrent clients. Run through `./dev bench-search`,
// which builds the corpus and starts the servers.
//   node bench/search_latency.mjs mix                  the mix, a query string a line
//   node bench/search_latency.mjs casebook LABEL OUT   GET /api/v1/search on CASEBOOK_BENCH_URL
//   node bench/search_latency.mjs raw FILE LABEL OUT   the same searches sent straight to
//                                                      Meilisearch (MEILI_URL): FILE holds the
//                                                      requests `casebook search-request` printed
//   node bench/search_latency.mjs compare OUT          each run's p95 and p99 over raw Meilisearch's
//                                                      (the better of its runs)
// Each measuring run prints its figures (for Casebook, with where the time went by the server's
// Server-Timing header, and the rest: HTTP, routing, the client) and appends them, as a JSON
// line, to OUT.
import { appendFileSync, readFileSync } from 'node:fs';
import http from 'node:http';

const REQUESTS = Number(process.env.CASEBOOK_BENCH_REQUESTS ?? 2000);
const WARM_UP = 200;

const MIX = [
  'q=bin', 'q=transport', 'q=planning', 'q=flood', 'q=housing', 'q=recycling',
  'q=colection', 'q=trasnport', 'q=plannign', 'q=occupncy', 'q=admisions',
  'q=%22bus+arrivals%22', 'q=%22open+data%22', 'q=%22bin+collection+day%22',
  'q=bin&phase=live', 'q=planning&pattern=engage-with-services', 'service_area=transport&phase=beta', 'q=rubbish&region=London',
  '', 'page=5', 'sort=newest',
];

function send(agent, { url, method = 'GET', headers = {}, body }) {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method, headers, agent }, (response) => {
      response.resume();
      response.on('end', () => (response.statusCode === 200
        ? resolve(response.headers['server-timing'])
        : reject(new Error(`${url} answered ${response.statusCode}`))));
    });
    request.on('error', reject);
    request.end(body);
  });
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function run(requests, clients) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
  for (let i = 0; i < WARM_UP; i += 1) await send(agent, requests[i % requests.length]);
  const timings = [];
  // The server's own account of each request (Server-Timing), by phase.
  const phases = {};
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: clients }, async () => {
    while (next < REQUESTS) {
      const request = requests[next % requests.length];
      next += 1;
      const t0 = performance.now();
      const serverTiming = await send(agent, request);
      const total = performance.now() - t0;
      timings.push(total);
      if (serverTiming) {
        let inServer = 0;
        for (const [, name, dur] of serverTiming.matchAll(/(\w+);dur=([\d.]+)/g)) {
          (phases[name] ??= []).push(Number(dur));
          // The event log's position is read while the engine searches.
          if (name !== 'position') inServer += Number(dur);
        }
        (phases['the rest'] ??= []).push(total - inServer);
      }
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  timings.sort((a, b) => a - b);
  const phaseFigures = Object.entries(phases).map(([name, values]) => {
    values.sort((a, b) => a - b);
    return `${name} ${percentile(values, 50).toFixed(2)}/${percentile(values, 95).toFixed(2)}`;
  });
  return { clients, requests: timings.length, p50: percentile(timings, 50), p95: percentile(timings, 95), p99: percentile(timings, 99), perSecond: timings.length / seconds, phases: phaseFigures.join(', ') };
}

async function measure(label, requests, out) {
  for (const clients of [1, 8]) {
    const r = await run(requests, clients);
    console.log(`  ${label}, ${String(clients).padStart(2)} client(s): p50 ${r.p50.toFixed(2)} ms  p95 ${r.p95.toFixed(2)} ms  p99 ${r.p99.toFixed(2)} ms  (${r.requests} requests, ${r.perSecond.toFixed(0)}/s)`);
    if (r.phases) console.log(`      where it went, ms p50/p95: ${r.phases}`);
    appendFileSync(out, `${JSON.stringify({ label, ...r })}\n`);
  }
}

function compare(out) {
  const runs = readFileSync(out, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
  const raw = runs.filter((r) => r.label === 'raw Meilisearch');
  if (!raw.length) return;
  console.log('  Over raw Meilisearch on the same index and requests, its better run (target: 1.2 or less)');
  for (const r of runs.filter((run) => run.label !== 'raw Meilisearch')) {
    const base = raw.filter((b) => b.clients === r.clients);
    const best = (p) => Math.min(...base.map((b) => b[p]));
    console.log(`    ${r.label}, ${String(r.clients).padStart(2)} client(s): p95 ${(r.p95 / best('p95')).toFixed(2)}×  p99 ${(r.p99 / best('p99')).toFixed(2)}×`);
  }
}

const [mode, ...args] = process.argv.slice(2);
if (mode === 'mix') {
  console.log(MIX.join('\n'));
} else if (mode === 'casebook') {
  const base = new URL(process.env.CASEBOOK_BENCH_URL ?? 'http://127.0.0.1:3200');
  await measure(args[0], MIX.map((query) => ({ url: new URL(`/api/v1/search?${query}`, base) })), args[1]);
} else if (mode === 'raw') {
  const headers = { 'content-type': 'application/json' };
  if (process.env.MEILI_MASTER_KEY) headers.authorization = `Bearer ${process.env.MEILI_MASTER_KEY}`;
  const requests = readFileSync(args[0], 'utf8').trim().split('\n').map((line) => JSON.parse(line)).map(({ index, body }) => ({
    url: new URL(`/indexes/${index}/search`, process.env.MEILI_URL), method: 'POST', headers, body: JSON.stringify(body),
  }));
  if (requests.length !== MIX.length) throw new Error(`${args[0]} holds ${requests.length} requests for ${MIX.length} searches`);
  await measure(args[1], requests, args[2]);
} else if (mode === 'compare') {
  compare(args[0]);
} else {
  throw new Error(`unknown mode ${mode}`);
}
