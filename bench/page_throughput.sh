#!/usr/bin/env bash
# Throughput of the reading pages of a running Casebook, beside nginx serving the very same bytes.
# For each page: wrk (2 threads, 32 connections) against nginx serving a saved copy, against
# Casebook for an anonymous reader (the page cache), and against Casebook signed in (rendered
# every time); then the ratios. Run through `./dev bench`, which builds the release, starts the
# server and says which content it holds.
#   bench/page_throughput.sh URL LABEL
set -euo pipefail

BASE=$1
LABEL=$2
SECONDS_EACH=${CASEBOOK_BENCH_SECONDS:-5}
NGINX_PORT=${CASEBOOK_BENCH_NGINX_PORT:-3300}
WORK=$(mktemp -d)
trap 'nginx -p "$WORK" -c nginx.conf -s stop 2>/dev/null || true; rm -rf "$WORK"' EXIT

# The first address on `$1` that matches `$2`.
first_link() {
  curl -fsS "$BASE$1" | grep -o "href=\"$2\"" | head -n 1 | sed 's/^href="//; s/"$//'
}

case_study=$(first_link /case-studies '/case-studies/[a-z0-9-]*')
pattern=$(first_link /patterns '/patterns/[a-z0-9-]*')
network=$(first_link /networks '/networks/[a-z0-9-]*')
collection=$(first_link /collections '/collections/[a-z0-9-]*')
PAGES=("case study|$case_study" "home|/" "list|/case-studies" "pattern|$pattern" "network|$network" "collection|$collection")

# nginx serves each page's bytes as Casebook sent them, as a static file.
mkdir -p "$WORK/root" "$WORK/logs"
cat > "$WORK/nginx.conf" <<EOF
worker_processes auto;
pid $WORK/nginx.pid;
error_log $WORK/logs/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  default_type text/html;
  keepalive_requests 1000000;
  server { listen 127.0.0.1:$NGINX_PORT; root $WORK/root; }
}
EOF
i=0
for entry in "${PAGES[@]}"; do
  path=${entry#*|}
  curl -fsS -o "$WORK/root/page$i.html" "$BASE$path"
  i=$((i + 1))
done
nginx -p "$WORK" -c nginx.conf

# A demo persona's session, for the signed-in figures (the dev sign-in is on for benchmarks).
jar=$WORK/cookies
sign_in=$(curl -fsS -c "$jar" "$BASE/sign-in")
token=$(grep -o 'name="csrf_token" value="[0-9a-f]*"' <<< "$sign_in" | head -n 1 | sed 's/.*value="//; s/"$//')
persona=$(grep -o 'name="persona" value="[^"]*"' <<< "$sign_in" | head -n 1 | sed 's/.*value="//; s/"$//')
curl -fsS -o /dev/null -b "$jar" -c "$jar" -d "csrf_token=$token&persona=$persona&return_to=/" "$BASE/sign-in/dev"
session=$(awk '$6 == "casebook_session" { print $7 }' "$jar")
[ -n "$session" ] || { echo "could not sign in for the benchmark" >&2; exit 1; }

# Waits until the server has used under a tenth of a second of CPU in a second.
settle() {
  local pid ticks before after
  pid=$(pgrep -n -f 'casebook serve') || return 0
  ticks() { awk '{ print $14 + $15 }' "/proc/$pid/stat"; }
  for _ in $(seq 1 60); do
    before=$(ticks); sleep 1; after=$(ticks)
    [ $((after - before)) -lt "$(( $(getconf CLK_TCK) / 10 ))" ] && return 0
  done
}

# Requests a second from one wrk run.
rate() {
  wrk -t2 -c32 -d"${SECONDS_EACH}s" "$@" | awk '/^Requests\/sec/ { printf "%.0f", $2 }'
}

# Anonymous readers first, then signed-in people: a slow page's requests still queued when wrk
# stops would otherwise eat into the next page's figures, so each signed-in run is followed by a
# pause for the server to finish them.
declare -A STATIC ANONYMOUS SIGNED_IN
i=0
for entry in "${PAGES[@]}"; do
  path=${entry#*|}
  # Warm: the first anonymous request renders the page and keeps it.
  curl -fsS -o /dev/null "$BASE$path"
  STATIC[$i]=$(rate "http://127.0.0.1:$NGINX_PORT/page$i.html")
  ANONYMOUS[$i]=$(rate "$BASE$path")
  i=$((i + 1))
done
i=0
for entry in "${PAGES[@]}"; do
  path=${entry#*|}
  SIGNED_IN[$i]=$(rate --timeout 30s -H "Cookie: casebook_session=$session" "$BASE$path")
  settle
  i=$((i + 1))
done

# The issue's figures for signed-in pages, measured beside nginx on another machine (98,800
# requests a second): at least 5 times each, as a share of nginx, is the target in one run here.
declare -A ISSUE_SIGNED_IN=([case study]=436 [home]=680 [list]=750)
ISSUE_NGINX=98800

echo "Pages with $LABEL, requests a second (wrk -t2 -c32, ${SECONDS_EACH} s each, one run)"
printf '  %-11s %9s %11s %7s %11s %7s %9s  %s\n' page nginx anonymous "÷nginx" "signed in" "÷nginx" "target" path
i=0
for entry in "${PAGES[@]}"; do
  name=${entry%%|*}
  path=${entry#*|}
  target=
  if [ -n "${ISSUE_SIGNED_IN[$name]:-}" ]; then
    target=$(awk -v f="${ISSUE_SIGNED_IN[$name]}" -v n="$ISSUE_NGINX" 'BEGIN { printf "≥%.2f%%", 500 * f / n }')
  fi
  printf '  %-11s %9s %11s %6.1f%% %11s %6.2f%% %9s  %s\n' "$name" "${STATIC[$i]}" "${ANONYMOUS[$i]}" \
    "$(awk -v a="${ANONYMOUS[$i]}" -v s="${STATIC[$i]}" 'BEGIN { print 100 * a / s }')" "${SIGNED_IN[$i]}" \
    "$(awk -v a="${SIGNED_IN[$i]}" -v s="${STATIC[$i]}" 'BEGIN { print 100 * a / s }')" "$target" "$path"
  i=$((i + 1))
done
