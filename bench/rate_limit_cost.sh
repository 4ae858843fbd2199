#!/usr/bin/env bash
# What counting rate limits costs anonymous readers: /api/v1/search over 10,000 synthetic case
# studies (bench/search_latency.mjs, 1 and 8 clients) with the limits counted (scaled up so that
# none refuses) and off, twice each in turn, one build, one data folder: the machine is noisy, so
# the two are compared within one run.
#   bench/rate_limit_cost.sh BINARY ADDR
set -euo pipefail
binary=$1 addr=$2
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT
export CASEBOOK_DATA_DIR=$data RUST_LOG=warn
"$binary" seed-demo > /dev/null
"$binary" seed-synthetic 10000 > /dev/null
"$binary" reindex > /dev/null
"$binary" write-downloads > /dev/null
for scale in 0 1000000 0 1000000; do
  LEPTOS_SITE_ADDR=$addr CASEBOOK_DATASET_CHECKS=0 CASEBOOK_RATE_LIMIT_SCALE=$scale "$binary" serve > "$data/server.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 100); do curl -fsS -o /dev/null "http://$addr/readyz" 2>/dev/null && break; sleep 0.2; done
  label="limits off"
  [ "$scale" = 0 ] || label="limits counted"
  CASEBOOK_BENCH_URL="http://$addr" node bench/search_latency.mjs casebook "$label"
  kill -TERM "$pid"
  wait "$pid" || true
done
