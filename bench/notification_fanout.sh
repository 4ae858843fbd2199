#!/usr/bin/env bash
# Notifications at size (bench/notification_fanout.mjs): the demo content, then publishes with no
# followers; then 10,000 followers of one pattern, publishes again (five publishes within one
# at-once window make one mail each), the time until the SMTP server (aiosmtpd, as in the tests)
# has all 10,000 mails, and the server's peak memory.
#   bench/notification_fanout.sh BINARY ADDR PYTHON SMTP_PORT
set -euo pipefail
binary=$1 addr=$2 python=$3 smtp_port=$4
data=$(mktemp -d)
mail=$data/mail
"$python" server/tests/mail/smtp_sink.py "$smtp_port" "$mail" > "$data/sink.log" 2>&1 &
sink=$!
trap 'kill "$sink" 2>/dev/null; rm -rf "$data"' EXIT
export CASEBOOK_DATA_DIR=$data RUST_LOG=warn
"$binary" seed-demo > /dev/null
serve() {
  LEPTOS_SITE_ADDR=$addr CASEBOOK_DATASET_CHECKS=0 CASEBOOK_DEV_LOGIN=1 CASEBOOK_RATE_LIMIT_SCALE=1000000 \
    CASEBOOK_SMTP_URL="smtp://127.0.0.1:$smtp_port" CASEBOOK_MAIL_AT_ONCE_SECONDS=10 CASEBOOK_MAIL_PER_HOUR=10000 \
    "$binary" serve > "$data/server.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 100); do curl -fsS -o /dev/null "http://$addr/readyz" 2>/dev/null && break; sleep 0.2; done
}
serve
CASEBOOK_BENCH_URL="http://$addr" CASEBOOK_BENCH_MAIL_DIR=$mail node bench/notification_fanout.mjs before
kill -TERM "$pid"; wait "$pid" || true
"$binary" seed-bench-followers 10000 engage-with-services > /dev/null
serve
CASEBOOK_BENCH_URL="http://$addr" CASEBOOK_BENCH_MAIL_DIR=$mail node bench/notification_fanout.mjs after 10000
echo "  server peak memory: $(awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$pid/status") MiB"
kill -TERM "$pid"; wait "$pid" || true
