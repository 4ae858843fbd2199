// Resolves 1,000 dataset links spread over 10 portals served here (half CKAN, two requests a
// dataset; half schema.org pages, one) with `casebook datasets check`, and reports the time
// taken and the busiest second each portal saw, against the limit of 2 requests a second per
// host. Run through `./dev bench` (CASEBOOK_BENCH_BINARY: the release binary).
import { createServer } from 'node:http';
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);
const BINARY = process.env.CASEBOOK_BENCH_BINARY ?? 'target/release/casebook';
const DATASETS = Number(process.env.CASEBOOK_BENCH_DATASETS ?? 1000);
const HOSTS = 10;
const FIRST_PORT = Number(process.env.CASEBOOK_BENCH_PORTAL_PORT ?? 3211);
const LIMIT = 2;

const fixtures = new URL('../domain/tests/fixtures/portals/', import.meta.url);
const ckanPage = readFileSync(new URL('ckan_page.html', fixtures), 'utf8');
const ckanPackage = readFileSync(new URL('ckan_package.json', fixtures), 'utf8');
const schemaPage = readFileSync(new URL('schema_org.html', fixtures), 'utf8');

// Each portal keeps the arrival time (ms) of every request.
const arrivals = Array.from({ length: HOSTS }, () => []);
const servers = await Promise.all(arrivals.map((log, i) => new Promise((resolve) => {
  const ckan = i % 2 === 0;
  const server = createServer((request, response) => {
    log.push(performance.now());
    const path = new URL(request.url, 'http://x').pathname;
    if (ckan && path === '/api/3/action/package_show') {
      response.writeHead(200, { 'content-type': 'application/json' }).end(ckanPackage);
    } else if (path.startsWith('/dataset/')) {
      response.writeHead(200, { 'content-type': 'text/html' }).end(ckan ? ckanPage : schemaPage);
    } else {
      response.writeHead(404).end();
    }
  });
  server.listen(FIRST_PORT + i, '127.0.0.1', () => resolve(server));
})));

const hosts = arrivals.map((_, i) => `127.0.0.1:${FIRST_PORT + i}`);
// Round robin over the hosts, as links from many case studies would come.
const urls = Array.from({ length: DATASETS }, (_, n) => `http://${hosts[n % HOSTS]}/dataset/dataset-${n}`);
const data = mkdtempSync(join(tmpdir(), 'casebook-bench-datasets-'));
const list = join(data, 'urls.txt');
writeFileSync(list, urls.join('\n'));
const env = { ...process.env, CASEBOOK_DATA_DIR: data, CASEBOOK_FETCH_ALLOW_HOSTS: hosts.join(','), RUST_LOG: 'warn' };
try {
  await run(BINARY, ['seed-bench-datasets', list], { env });
  const started = performance.now();
  const { stdout } = await run(BINARY, ['datasets', 'check'], { env, maxBuffer: 64 * 1024 * 1024 });
  const seconds = (performance.now() - started) / 1000;
  const lines = stdout.trim().split('\n');
  const available = lines.filter((l) => l.split('\t')[1] === 'available').length;
  // The busiest one-second window at each host, by when each request arrived here.
  const peaks = arrivals.map((times) => {
    const sorted = [...times].sort((a, b) => a - b);
    let peak = 0;
    for (let start = 0, end = 0; end < sorted.length; end += 1) {
      while (sorted[end] - sorted[start] >= 1000) start += 1;
      peak = Math.max(peak, end - start + 1);
    }
    return peak;
  });
  const gaps = arrivals.flatMap((times) => {
    const sorted = [...times].sort((a, b) => a - b);
    return sorted.slice(1).map((t, i) => t - sorted[i]);
  }).sort((a, b) => a - b);
  const requests = arrivals.reduce((sum, times) => sum + times.length, 0);
  const floor = requests / (HOSTS * LIMIT);  // at exactly the limit, with no margin
  console.log(`dataset resolution: ${DATASETS} links over ${HOSTS} portals (half CKAN, half schema.org), ${requests} requests`);
  console.log(`  resolved ${available} of ${DATASETS} in ${seconds.toFixed(1)} s (${(DATASETS / seconds).toFixed(1)} a second); the pace limit alone allows no less than ${floor.toFixed(1)} s`);
  console.log(`  gap between one portal's consecutive requests: shortest ${gaps[0].toFixed(1)} ms, 1st percentile ${gaps[Math.floor(gaps.length / 100)].toFixed(1)} ms, median ${gaps[Math.floor(gaps.length / 2)].toFixed(1)} ms`);
  console.log(`  peak requests in any one second, per portal: ${peaks.join(', ')} (limit ${LIMIT}); busiest ${Math.max(...peaks)}`);
  if (available !== DATASETS || Math.max(...peaks) > LIMIT) process.exitCode = 1;
} finally {
  servers.forEach((s) => s.close());
  rmSync(data, { recursive: true, force: true });
}
