// Notifications at size: 10,000 people follow one pattern (mailed at once) and an author
// publishes a case study using it. Measures what the publish costs its own request (with no
// followers and with 10,000, medians of several: the notifier works from the event log, so the
// request writes the event and nothing more), then the time from the publish until the SMTP
// server has every mail, and mails per second. The server and the SMTP server are started by
// bench/notification_fanout.sh.
//   CASEBOOK_BENCH_URL=... CASEBOOK_BENCH_MAIL_DIR=... node bench/notification_fanout.mjs PHASE [EXPECTED]
// PHASE is "before" (publish a few with no followers), or "after" (publish a few, then wait for
// EXPECTED mails).
import { readFileSync, existsSync } from 'node:fs';

const BASE = process.env.CASEBOOK_BENCH_URL;
const MAIL_DIR = process.env.CASEBOOK_BENCH_MAIL_DIR;
const [phase, expected] = process.argv.slice(2);
const cookies = new Map();

async function send(path, form) {
  const response = await fetch(BASE + path, {
    method: form ? 'POST' : 'GET',
    redirect: 'manual',
    headers: {
      cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; '),
      ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
    },
    body: form ? new URLSearchParams(form).toString() : undefined,
  });
  for (const line of response.headers.getSetCookie()) {
    const [pair] = line.split(';');
    const at = pair.indexOf('=');
    cookies.set(pair.slice(0, at), pair.slice(at + 1));
  }
  return { status: response.status, body: await response.text() };
}

function token(html) {
  return html.match(/name="csrf_token" value="([^"]+)"/)[1];
}

async function signIn(name) {
  const page = await send('/sign-in');
  const form = page.body.slice(0, page.body.indexOf(`Sign in as ${name}`));
  const persona = form.slice(form.lastIndexOf('<form')).match(/name="persona" value="(\d+)"/)[1];
  await send('/sign-in/dev', { csrf_token: token(page.body), persona, return_to: '/' });
}

async function publish(n) {
  const page = await send('/case-studies/new');
  const started = performance.now();
  const saved = await send('/case-studies/new', {
    csrf_token: token(page.body),
    title: `Fan-out benchmark ${phase} ${n} ${Date.now()}`,
    summary: 'A case study published to measure what telling its followers costs.',
    body: 'The story.',
    service_area: 'transport',
    phase: 'live',
    status: 'published',
    region: 'Wales',
    patterns: 'engage-with-services',
    licence: 'CC-BY-4.0',
    version: '0',
  });
  const ms = performance.now() - started;
  if (saved.status !== 303) throw new Error(`publishing answered ${saved.status}`);
  return ms;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function received() {
  const log = `${MAIL_DIR}/received.jsonl`;
  return existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter((l) => l.includes('bench.casebook.example')).length : 0;
}

await signIn('Priya Shah');
const times = [];
const from = received();
const started = performance.now();
for (let n = 0; n < 5; n += 1) times.push(await publish(n));
console.log(`  publish request, ${phase === 'before' ? 'no followers' : '10,000 followers'}: median ${median(times).toFixed(1)} ms of 5 (${times.map((t) => t.toFixed(0)).join(', ')})`);
if (phase === 'after') {
  const want = Number(expected);
  while (received() - from < want) {
    if (performance.now() - started > 600000) throw new Error(`only ${received() - from} of ${want} mails in 10 minutes`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(`  every mail handed to SMTP: ${want} mails in ${seconds.toFixed(1)} s after the first publish (${(want / seconds).toFixed(0)} mails/s)`);
}
