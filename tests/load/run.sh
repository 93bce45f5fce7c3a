#!/usr/bin/env bash
# Load test of the explorer, with live reloads under load.
#
# Serves a generated 100k-entity / 500k-relation dataset with --watch
# (release build), runs wrk for $SECONDS_ (30) s at $CONNECTIONS (64)
# connections over a mix of search, entity, neighbourhood and path routes,
# and while it runs edits the watched files like an editor (temp file then
# rename): a valid edit must be served, a broken one must leave the old
# data served with the errors in the banner, a fix must clear the banner.
# Fails on any non-2xx answer or socket error. Prints one summary line.
#
# Needs wrk (apt-get install wrk), curl and python3. Traffic goes to
# 127.0.0.1 only. JEJARING_LOAD_DATA=DIR uses an existing dataset folder
# (copied; never modified) instead of generating one, e.g. a 1M/5M one:
# then the start-up and each edit's reload take longer (a reload runs at a
# lower priority than the requests), so the waits scale with the data:
# LOAD_WAIT (seconds per edit; 30, or 300 for data of 500 MiB or more).
# Snapshots go to a temporary folder, never the user's cache.
set -euo pipefail
cd "$(dirname "$0")/../.."

SECONDS_=${LOAD_SECONDS:-30}
CONNECTIONS=${LOAD_CONNECTIONS:-64}
target=${CARGO_TARGET_DIR:-target}
bin="$target/release/jejaring"
cargo build --release --quiet --bin jejaring

work=$(mktemp -d)
pid=""
wrk_pid=""
cleanup() {
  [ -n "$wrk_pid" ] && kill "$wrk_pid" 2>/dev/null || true
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "load test FAILED: $*" >&2; tail -n 30 "$work/server.log" >&2 || true; exit 1; }

data="$work/data"
if [ -n "${JEJARING_LOAD_DATA:-}" ]; then
  cp -r "$JEJARING_LOAD_DATA" "$data"
else
  "$bin" generate --entities 100000 --relations 500000 --seed 1 --out "$data" >/dev/null
fi

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
size_mib=$(du -sm "$data" | cut -f1)
if [ "$size_mib" -ge 500 ]; then WAIT=${LOAD_WAIT:-300}; else WAIT=${LOAD_WAIT:-30}; fi
"$bin" --data "$data" --cache "$work/cache" serve --watch --addr "127.0.0.1:$port" 2>"$work/server.log" &
pid=$!
for _ in $(seq $((WAIT * 10))); do
  curl -fsS "$base/api/stats" >/dev/null 2>&1 && break
  kill -0 "$pid" 2>/dev/null || fail "the server exited"
  sleep 0.2
done
curl -fsS "$base/api/stats" >/dev/null || fail "the server did not start"

# The request mix, from the dataset's own ids and names; the new entity's
# id and a relation line for the edits.
python3 - "$data" "$work" <<'PY'
import csv, random, sys, urllib.parse as up
data, work = sys.argv[1], sys.argv[2]
random.seed(7)
with open(f"{data}/entities.csv", newline="", encoding="utf-8") as f:
    rows = list(csv.DictReader(f))
with open(f"{data}/sources.csv", newline="", encoding="utf-8") as f:
    source = next(csv.DictReader(f))["id"]
pick = random.sample(rows, 200)
q = lambda s: up.quote(s, safe="")
urls = []
for i, r in enumerate(pick):
    other = pick[(i + 1) % len(pick)]
    word = r["name"].split()[-1] if r["name"].split() else r["id"]
    urls += [
        f"/api/search?q={q(word)}", f"/search?q={q(r['name'][:12])}",
        f"/api/entity/{q(r['id'])}", f"/entity/{q(r['id'])}",
        f"/api/neighbours/{q(r['id'])}?depth=1", f"/neighbours/{q(r['id'])}?depth=2&max_nodes=100",
        f"/api/path?from={q(r['id'])}&to={q(other['id'])}", f"/path?from={q(r['id'])}&to={q(other['id'])}",
    ]
lua = "local urls = {\n" + ",\n".join('  "%s"' % u for u in urls) + "\n}\n"
lua += r'''
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) bad = 0; i = math.random(#urls) end
function request() i = i % #urls + 1; return wrk.format("GET", urls[i]) end
function response(status, headers, body)
  if status < 200 or status > 299 then bad = bad + 1 end
end
function done(summary, latency, requests)
  local b = 0
  for _, t in ipairs(threads) do b = b + t:get("bad") end
  local e = summary.errors
  io.write(string.format("RESULT requests=%d non2xx=%d socket_errors=%d rps=%.0f p50_ms=%.1f p99_ms=%.1f\n",
    summary.requests, b, e.connect + e.read + e.write + e.timeout, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
'''
open(f"{work}/mix.lua", "w").write(lua)
first = rows[0]["id"]
open(f"{work}/edit.env", "w").write(f"FIRST={first}\nSOURCE={source}\n")
PY
# shellcheck disable=SC1091
. "$work/edit.env"

wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_}s" --timeout 10s --latency -s "$work/mix.lua" "$base" >"$work/wrk.out" 2>&1 &
wrk_pid=$!

# Writes FILE's new content from stdin the way editors do: temp file, rename.
save() { cat >"$1.tmp.$$"; mv -f "$1.tmp.$$" "$1"; }
wait_for() { # what, seconds, command…
  local what=$1 secs=$2; shift 2
  for _ in $(seq $((secs * 5))); do "$@" && return 0; sleep 0.2; done
  fail "$what"
}
status() { curl -s -o /dev/null -w '%{http_code}' "$base$1"; }
home() { curl -fsS "$base/"; }
banner_shown() { local page; page=$(home) && grep -q 'class="banner"' <<<"$page"; }
banner_gone() { local page; page=$(home) && ! grep -q 'class="banner"' <<<"$page"; }
new_served() { test "$(status /api/entity/loadtest-new)" = 200; }

sleep 3
good_rel=$(cat "$data/relations.csv"; printf '%s\n' "loadtest-new,$FIRST,met_with,,2024,,$SOURCE,added while under load")
{ cat "$data/entities.csv"; printf '%s\n' "loadtest-new,person,Load Test Newcomer,,,,,"; } | save "$data/entities.csv"
printf '%s\n' "$good_rel" | save "$data/relations.csv"
wait_for "the valid edit was not served" "$WAIT" new_served
echo "load: valid edit served"

{ printf '%s\n' "$good_rel"; printf '%s\n' "loadtest-new,no-such-entity,met_with,,2024,,$SOURCE,broken edit"; } | save "$data/relations.csv"
wait_for "the broken edit did not show the banner" "$WAIT" banner_shown
page=$(home) && grep -q 'relations.csv:[0-9]*: ' <<<"$page" || fail "the banner does not name FILE:LINE"
new_served || fail "the last good data is not served after a broken edit"
grep -q 'relations.csv:[0-9]*: ' "$work/server.log" || fail "the errors were not logged as PATH:LINE"
echo "load: broken edit kept the last good data and showed the banner"

printf '%s\n' "$good_rel" | save "$data/relations.csv"
wait_for "the fix did not clear the banner" "$WAIT" banner_gone
echo "load: fixed edit cleared the banner"

wait "$wrk_pid" || fail "wrk failed: $(cat "$work/wrk.out")"
wrk_pid=""
cat "$work/wrk.out"
result=$(grep '^RESULT' "$work/wrk.out") || fail "no result from wrk"
case "$result" in
  *" non2xx=0 socket_errors=0 "*) ;;
  *) fail "$result" ;;
esac
kill -TERM "$pid"
for _ in $(seq 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
wait "$pid" || fail "the server did not exit cleanly on SIGTERM"
pid=""
entities=$(($(wc -l <"$data/entities.csv") - 1))
echo "load test: ${SECONDS_} s, $CONNECTIONS connections, $entities entities, 3 live edits, $(uptime | sed 's/.*load/load/'): $result"
