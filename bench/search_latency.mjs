// Search latency for a fixed mix of queries (single words, typos, phrases, filters, the empty
// query with its facets), with 1 and 8 concurrent clients. Run through `./dev bench-search`,
// which builds the corpus and starts the servers.
//   node bench/search_latency.mjs mix                    the mix, a query string a line
//   node bench/search_latency.mjs casebook LABEL [FILE]  GET /api/v1/search on CASEBOOK_BENCH_URL;
//                                                        with FILE (the requests `casebook
//                                                        search-request` printed), each search is
//                                                        also sent straight to Meilisearch
//                                                        (MEILI_URL) beside Casebook's, in turn
// Casebook's figures come with where the time went by the server's Server-Timing header, and the
// rest (HTTP, routing, the client). Raw Meilisearch is measured in the same run as Casebook,
// request by request, each going first in turn: the machine is shared and noisy, and a slower
// minute then weighs on both alike.
import { readFileSync } from 'node:fs';
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

// One side of the comparison: its requests, and what was measured of them.
const side = (label, requests) => ({ label, requests, timings: [], phases: {} });

function record(s, total, serverTiming) {
  s.timings.push(total);
  if (!serverTiming) return;
  let inServer = 0;
  for (const [, name, dur] of serverTiming.matchAll(/(\w+);dur=([\d.]+)/g)) {
    (s.phases[name] ??= []).push(Number(dur));
    // The event log's position is read while the engine searches.
    if (name !== 'position') inServer += Number(dur);
  }
  (s.phases['the rest'] ??= []).push(total - inServer);
}

function figures(s, clients, seconds) {
  const timings = [...s.timings].sort((a, b) => a - b);
  const phases = Object.entries(s.phases).map(([name, values]) => {
    values.sort((a, b) => a - b);
    return `${name} ${percentile(values, 50).toFixed(2)}/${percentile(values, 95).toFixed(2)}`;
  });
  return { clients, requests: timings.length, p50: percentile(timings, 50), p95: percentile(timings, 95), p99: percentile(timings, 99), perSecond: timings.length / seconds, phases: phases.join(', ') };
}

async function run(sides, clients) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients * sides.length });
  for (let i = 0; i < WARM_UP; i += 1) for (const s of sides) await send(agent, s.requests[i % MIX.length]);
  const measured = sides.map((s) => side(s.label, s.requests));
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: clients }, async () => {
    while (next < REQUESTS) {
      const i = next;
      next += 1;
      // Each side goes first every other time: the second of two alike searches may find the
      // machine's caches warmer.
      const order = i % 2 === 0 ? measured : [...measured].reverse();
      for (const s of order) {
        const t0 = performance.now();
        const serverTiming = await send(agent, s.requests[i % MIX.length]);
        record(s, performance.now() - t0, serverTiming);
      }
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return measured.map((s) => ({ label: s.label, ...figures(s, clients, seconds) }));
}

async function measure(sides) {
  for (const clients of [1, 8]) {
    const results = await run(sides, clients);
    for (const r of results) {
      console.log(`  ${r.label}, ${String(clients).padStart(2)} client(s): p50 ${r.p50.toFixed(2)} ms  p95 ${r.p95.toFixed(2)} ms  p99 ${r.p99.toFixed(2)} ms  (${r.requests} requests, ${r.perSecond.toFixed(0)}/s)`);
      if (r.phases) console.log(`      where it went, ms p50/p95: ${r.phases}`);
    }
    const [raw, casebook] = results;
    if (casebook) console.log(`      over raw Meilisearch in the same run (target: 1.2 or less): p95 ${(casebook.p95 / raw.p95).toFixed(2)}×  p99 ${(casebook.p99 / raw.p99).toFixed(2)}×`);
  }
}

function rawRequests(file) {
  const headers = { 'content-type': 'application/json' };
  if (process.env.MEILI_MASTER_KEY) headers.authorization = `Bearer ${process.env.MEILI_MASTER_KEY}`;
  const requests = readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line)).map(({ index, body }) => ({
    url: new URL(`/indexes/${index}/search`, process.env.MEILI_URL), method: 'POST', headers, body: JSON.stringify(body),
  }));
  if (requests.length !== MIX.length) throw new Error(`${file} holds ${requests.length} requests for ${MIX.length} searches`);
  return requests;
}

const [mode, ...args] = process.argv.slice(2);
if (mode === 'mix') {
  console.log(MIX.join('\n'));
} else if (mode === 'casebook') {
  const base = new URL(process.env.CASEBOOK_BENCH_URL ?? 'http://127.0.0.1:3200');
  const casebook = side(args[0], MIX.map((query) => ({ url: new URL(`/api/v1/search?${query}`, base) })));
  await measure(args[1] ? [side('raw Meilisearch', rawRequests(args[1])), casebook] : [casebook]);
} else {
  throw new Error(`unknown mode ${mode}`);
}
