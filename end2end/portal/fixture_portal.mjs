// A CKAN portal for the journeys, on a fixed local port, answering from the recorded-shape
// fixtures the Rust tests use. `withdraw(path)` makes a dataset page answer 410 Gone from then on.
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';

const FIXTURES = new URL('../../domain/tests/fixtures/portals/', import.meta.url);
const page = readFileSync(new URL('ckan_page.html', FIXTURES), 'utf8');
const pkg = readFileSync(new URL('ckan_package.json', FIXTURES), 'utf8');

export async function startPortal(port) {
  const withdrawn = new Set();
  const server = createServer((request, response) => {
    const url = new URL(request.url, `http://127.0.0.1:${port}`);
    if (withdrawn.has(url.pathname)) {
      response.writeHead(410, { 'content-type': 'text/plain' }).end('Gone');
    } else if (url.pathname.startsWith('/dataset/')) {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(request.method === 'HEAD' ? undefined : page);
    } else if (url.pathname === '/api/3/action/package_show') {
      response.writeHead(200, { 'content-type': 'application/json' }).end(pkg);
    } else {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
    }
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    withdraw: (path) => withdrawn.add(path),
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
