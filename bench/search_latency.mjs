// Latency of `GET /api/v1/search` on a running Casebook, for a fixed mix of queries (single
// words, typos, phrases, filters, the empty query with its facets), with 1 and 8 concurrent
// clients. Run through `./dev bench-search`, which builds the corpus and starts the server.
import http from 'node:http';

const base = new URL(process.env.CASEBOOK_BENCH_URL ?? 'http://127.0.0.1:3200');
const REQUESTS = Number(process.env.CASEBOOK_BENCH_REQUESTS ?? 2000);
const WARM_UP = 200;

export const MIX = [
  'q=bin', 'q=transport', 'q=planning', 'q=flood', 'q=housing', 'q=recycling',
  'q=colection', 'q=trasnport', 'q=plannign', 'q=occupncy', 'q=admisions',
  'q=%22bus+arrivals%22', 'q=%22open+data%22', 'q=%22bin+collection+day%22',
  'q=bin&phase=live', 'q=planning&pattern=engage-with-services', 'service_area=transport&phase=beta', 'q=rubbish&region=London',
  '', 'page=5', 'sort=newest',
];

function get(agent, path) {
  return new Promise((resolve, reject) => {
    const request = http.get({ host: base.hostname, port: base.port, path, agent }, (response) => {
      response.resume();
      response.on('end', () => (response.statusCode === 200 ? resolve() : reject(new Error(`${path} answered ${response.statusCode}`))));
    });
    request.on('error', reject);
  });
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function run(clients) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
  for (let i = 0; i < WARM_UP; i += 1) await get(agent, `/api/v1/search?${MIX[i % MIX.length]}`);
  const timings = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: clients }, async () => {
    while (next < REQUESTS) {
      const path = `/api/v1/search?${MIX[next % MIX.length]}`;
      next += 1;
      const t0 = performance.now();
      await get(agent, path);
      timings.push(performance.now() - t0);
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  timings.sort((a, b) => a - b);
  return { clients, requests: timings.length, p50: percentile(timings, 50), p95: percentile(timings, 95), p99: percentile(timings, 99), perSecond: timings.length / seconds };
}

for (const clients of [1, 8]) {
  const r = await run(clients);
  console.log(`  ${String(clients).padStart(2)} client(s): p50 ${r.p50.toFixed(2)} ms  p95 ${r.p95.toFixed(2)} ms  p99 ${r.p99.toFixed(2)} ms  (${r.requests} requests, ${r.perSecond.toFixed(0)}/s)`);
}
