#!/usr/bin/env bash
# Speed of the canvas explorer in headless Chromium, read from the page's
# performance timeline. Generates a dataset (20k entities / 200k relations
# by default: dense enough that a depth-2 neighbourhood of 500 entities
# holds about 2,000 relations), serves it with the release binary, and
# drives Chromium through chromedriver's WebDriver HTTP API with curl:
#   - a neighbourhood page at the 500-node cap, depth 2, around the
#     entity (of the 60 with most relations) whose neighbourhood holds
#     500 entities and a number of relations nearest to EDGES (2,000): the
#     time from navigation to the canvas being laid out and interactive
#     (the `jejaring-ready` mark), and the layout alone (the
#     `jejaring-layout` measure), with the counts drawn;
#   - expanding the biggest hub group's first page on an entity page
#     (browser time, and the server time of that /api/explore request).
# Needs chromium, chromium-driver, curl, python3.
# ENTITIES, RELATIONS, EDGES and RUNS change the run; DATA=DIR serves a
# dataset folder already generated instead. Prints one line per figure.
set -euo pipefail
ENTITIES=${ENTITIES:-20000}
RELATIONS=${RELATIONS:-200000}
EDGES=${EDGES:-2000}
RUNS=${RUNS:-3}
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

# JEJARING_BIN runs a binary already built (e.g. a debug one) instead.
bin=${JEJARING_BIN:-}
if [ -z "$bin" ]; then
  (cd "$root" && cargo build --release --quiet)
  bin=${CARGO_TARGET_DIR:-$root/target}/release/jejaring
fi
data=${DATA:-}
if [ -z "$data" ]; then
  data=$work/data
  "$bin" generate --entities "$ENTITIES" --relations "$RELATIONS" --out "$data" >/dev/null
fi
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
dport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$bin" --data "$data" --no-cache serve --addr "127.0.0.1:$port" --log-level error & pids+=($!)
chromedriver --port="$dport" >/dev/null 2>&1 & pids+=($!)
for p in "$port" "$dport"; do
  for _ in $(seq 100); do curl -s "http://127.0.0.1:$p/" >/dev/null 2>&1 && break; sleep 0.2; done
done
base="http://127.0.0.1:$port"
wd="http://127.0.0.1:$dport"

caps=$(python3 -c 'import json,sys; print(json.dumps({"capabilities":{"alwaysMatch":{"goog:chromeOptions":{"args":["--headless","--no-sandbox","--disable-gpu","--disable-dev-shm-usage","--no-first-run","--disable-background-networking","--disable-component-update","--disable-sync","--user-data-dir='"$work"'/profile","--window-size=1440,900"]}}}}))')
sid=$(curl -s -X POST "$wd/session" -H 'Content-Type: application/json' -d "$caps" | python3 -c 'import json,sys; print(json.load(sys.stdin)["value"]["sessionId"])')
trap 'curl -s -X DELETE "$wd/session/$sid" >/dev/null; cleanup' EXIT
js() { # js SCRIPT -> the JSON value it returns
  python3 -c 'import json,sys; print(json.dumps({"script": sys.argv[1], "args": []}))' "$1" \
    | curl -s -X POST "$wd/session/$sid/execute/sync" -H 'Content-Type: application/json' -d @- \
    | python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin)["value"]))'
}
goto() { curl -s -X POST "$wd/session/$sid/url" -H 'Content-Type: application/json' -d "{\"url\":\"$1\"}" >/dev/null; }
wait_ready() {
  for _ in $(seq 600); do
    [ "$(js "var r=document.getElementById('explorer'); return r && r.getAttribute('data-ready')==='1' && r.getAttribute('data-ops')==='$1';")" = true ] && return 0
    sleep 0.05
  done
  echo "the canvas never became ready" >&2; exit 1
}

# The hub: the most connected entity the home page lists, and its biggest group.
goto "$base/"
hub=$(js "return document.querySelector('main a[href^=\"/entity/\"]').getAttribute('href').slice(8);" | tr -d '"')
# The first /api/explore after a load also computes every entity's
# PageRank (then cached for the graph): timed on its own.
group=$(curl -s -w '\n%{time_total}' "$base/api/explore/$hub?per_page=1" | python3 -c 'import json,sys; body, t = sys.stdin.read().rsplit("\n", 1); g=json.loads(body)["groups"][0]; print(g["type"], g["total"], round(float(t)*1000, 1))')
read -r gtype gtotal cold <<<"$group"
echo "\"first /api/explore after the load (PageRank of $ENTITIES entities computed): $cold ms\""

# The neighbourhood: of the entities with most relations, the one whose
# depth-2 neighbourhood at the 500 cap holds a number of relations
# nearest to EDGES.
seed=$(curl -s "$base/api/rank?by=degree&limit=60" | python3 -c '
import json, sys, urllib.request
base, want = sys.argv[1], int(sys.argv[2])
best = None
for e in json.load(sys.stdin)["entries"]:
    x = json.load(urllib.request.urlopen(base + "/api/neighbours/" + e["id"] + "?depth=2&max_nodes=500&per_page=1"))
    if len(x["nodes"]) == 500 and (best is None or abs(x["total"] - want) < abs(best[1] - want)):
        best = (e["id"], x["total"])
print(best[0] if best else "")' "$base" "$EDGES")
[ -n "$seed" ] || { echo "no entity has a neighbourhood of 500 entities at depth 2" >&2; exit 1; }

for run in $(seq "$RUNS"); do
  goto "$base/neighbours/$seed?depth=2&max_nodes=500"
  wait_ready 0
  js "var x=window.jejaringExplorer, m=function (n) { return performance.getEntriesByName(n)[0].startTime; }, l=performance.getEntriesByName('jejaring-layout'), nav=performance.getEntriesByType('navigation')[0]; return 'run $run: neighbourhood of $seed: ' + x.cy.nodes().length + ' nodes / ' + x.cy.edges().length + ' edges (' + x.cy.edges().map(function (e) { return e.data('rels').length; }).reduce(function (a, b) { return a + b; }, 0) + ' relations): HTML ' + Math.round(nav.responseEnd) + ' ms, scripts running at ' + Math.round(m('jejaring-start')) + ' ms, data on the canvas ' + Math.round(m('jejaring-data') - m('jejaring-start')) + ' ms later, drawn and interactive ' + Math.round(m('jejaring-ready') - m('jejaring-data')) + ' ms after that (' + (l.length ? 'layout ' + Math.round(l[l.length-1].duration) + ' ms' : 'no layout run: the server picture places the nodes') + '); ' + Math.round(m('jejaring-ready')) + ' ms from navigation in all';"
  goto "$base/entity/$hub"
  wait_ready 0
  js "var x=window.jejaringExplorer; x.cy.getElementById('g:$hub\u0001$gtype').emit('dbltap'); return 1;" >/dev/null
  wait_ready 1
  js "return 'run $run: opening the $gtype group of $hub ($gtotal members): first page on the canvas in ' + Math.round(window.jejaringExplorer.lastGroupMs) + ' ms';"
  t=$(curl -s -o /dev/null -w '%{time_total}' "$base/api/explore/$hub?type=$gtype&per_page=25&page=1")
  echo "\"run $run: server time of that page: $(python3 -c "print(round($t*1000, 1))") ms\""
done
