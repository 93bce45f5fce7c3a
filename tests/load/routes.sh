#!/usr/bin/env bash
# Per-route cost of the load test's request mix: serves a dataset (no
# edits), then runs wrk on each route family of the mix alone and prints,
# per route, requests/s, p50 and p99 and the server's CPU seconds (user +
# system, from /proc) per 1,000 requests. CPU time is what to compare on a
# shared machine; requests/s and latencies move with the load average,
# which is printed too.
#
# JEJARING_LOAD_DATA=DIR (default: a generated 100k/500k dataset),
# ROUTE_SECONDS (5), ROUTE_CONNECTIONS (8), ROUTES (a space-separated
# subset of the route names below), ROUTE_CACHE=DIR (snapshots kept between
# runs; default a temporary folder), JEJARING_BIN (a binary to measure
# instead of building this checkout). Linux only (reads /proc). The data is
# read where it is and never written (snapshots go to a temporary folder).
set -euo pipefail
cd "$(dirname "$0")/../.."

SECS=${ROUTE_SECONDS:-5}
CONN=${ROUTE_CONNECTIONS:-8}
ROUTES=${ROUTES:-"api_search search api_entity entity api_neighbours neighbours api_path path"}
target=${CARGO_TARGET_DIR:-target}
if [ -n "${JEJARING_BIN:-}" ]; then
  bin=$JEJARING_BIN
else
  bin="$target/release/jejaring"
  cargo build --release --quiet --bin jejaring
fi

work=$(mktemp -d)
pid=""
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

if [ -n "${JEJARING_LOAD_DATA:-}" ]; then
  data=$JEJARING_LOAD_DATA
else
  data="$work/data"
  "$bin" generate --entities 100000 --relations 500000 --seed 1 --out "$data" >/dev/null
fi

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
"$bin" --data "$data" --cache "${ROUTE_CACHE:-$work/cache}" serve --addr "127.0.0.1:$port" --log-level warn 2>"$work/server.log" &
pid=$!
for _ in $(seq 1500); do
  curl -fsS "$base/api/stats" >/dev/null 2>&1 && break
  kill -0 "$pid" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
  sleep 0.2
done

# The same 200 entities and URLs as run.sh, one Lua file per route.
python3 - "$data" "$work" <<'PY'
import csv, random, sys, urllib.parse as up
data, work = sys.argv[1], sys.argv[2]
random.seed(7)
with open(f"{data}/entities.csv", newline="", encoding="utf-8") as f:
    rows = list(csv.DictReader(f))
pick = random.sample(rows, 200)
q = lambda s: up.quote(s, safe="")
routes = {k: [] for k in ["api_search", "search", "api_entity", "entity",
                          "api_neighbours", "neighbours", "api_path", "path"]}
for i, r in enumerate(pick):
    other = pick[(i + 1) % len(pick)]
    word = r["name"].split()[-1] if r["name"].split() else r["id"]
    routes["api_search"].append(f"/api/search?q={q(word)}")
    routes["search"].append(f"/search?q={q(r['name'][:12])}")
    routes["api_entity"].append(f"/api/entity/{q(r['id'])}")
    routes["entity"].append(f"/entity/{q(r['id'])}")
    routes["api_neighbours"].append(f"/api/neighbours/{q(r['id'])}?depth=1")
    routes["neighbours"].append(f"/neighbours/{q(r['id'])}?depth=2&max_nodes=100")
    routes["api_path"].append(f"/api/path?from={q(r['id'])}&to={q(other['id'])}")
    routes["path"].append(f"/path?from={q(r['id'])}&to={q(other['id'])}")
for name, urls in routes.items():
    lua = "local urls = {\n" + ",\n".join('  "%s"' % u for u in urls) + "\n}\n"
    lua += r'''
function init(args) i = 0 end
function request() i = i % #urls + 1; return wrk.format("GET", urls[i]) end
function done(summary, latency, requests)
  io.write(string.format("ROUTE requests=%d errors=%d rps=%.0f p50_ms=%.1f p99_ms=%.1f\n",
    summary.requests, summary.errors.status + summary.errors.timeout, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
'''
    open(f"{work}/{name}.lua", "w").write(lua)
PY

cpu() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
tick=$(getconf CLK_TCK)
echo "data: $data; $CONN connections, $SECS s per route; $(uptime | sed 's/.*load/load/')"
printf '%-16s %8s %8s %8s %8s %14s\n' route requests rps p50_ms p99_ms cpu_s_per_1000
for r in $ROUTES; do
  before=$(cpu)
  out=$(wrk -t1 -c"$CONN" -d"${SECS}s" --timeout 10s --latency -s "$work/$r.lua" "$base" | grep '^ROUTE')
  after=$(cpu)
  eval "$(sed 's/^ROUTE //' <<<"$out")"
  # shellcheck disable=SC2154
  printf '%-16s %8d %8d %8s %8s %14.3f\n' "$r" "$requests" "$rps" "$p50_ms" "$p99_ms" \
    "$(python3 -c "print(($after - $before) / $tick / max($requests, 1) * 1000)")"
  [ "$errors" = 0 ] || echo "  ($errors errors)"
done
echo "$(uptime | sed 's/.*load/load/')"
