#!/usr/bin/env bash
# Side-by-side: jejaring against igraph, networkit, rustworkx and networkx on
# one generated dataset, the same 200 random pairs and the same centres.
#
#   benches/compare/run.sh [ENTITIES RELATIONS SEED]   default 100000 500000 1
#   benches/compare/run.sh --smoke                     2000 8000 1, correctness only
#
# Environment: TMPDIR (work folder and venv go there, default /tmp),
# CARGO_TARGET_DIR (as for cargo), PEERS (default "igraph networkit rustworkx
# networkx"), NETWORKX_MAX_RELATIONS (networkx is skipped above this, its
# dict-per-edge graph needs >10 GB at 5M relations; default 1000000).
#
# Prints one table with ratios to jejaring; exits 1 when a peer's shortest
# path lengths (or depth-2 neighbourhood sizes) differ from jejaring's. It
# never asserts timings.
set -euo pipefail

SMOKE=0
if [[ "${1:-}" == "--smoke" ]]; then
  SMOKE=1
  shift
  set -- 2000 8000 1
fi
ENTITIES=${1:-100000}
RELATIONS=${2:-500000}
SEED=${3:-1}
NPAIRS=200
NCENTRES=${NCENTRES:-100}
if ((SMOKE)); then NCENTRES=20; fi
PEERS=${PEERS:-"igraph networkit rustworkx networkx"}
NETWORKX_MAX_RELATIONS=${NETWORKX_MAX_RELATIONS:-1000000}

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
TMP=${TMPDIR:-/tmp}
WORK="$TMP/jejaring-compare-$ENTITIES-$RELATIONS-$SEED"
DATA="$WORK/data"
VENV="$TMP/jejaring-compare-venv"
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
BIN="$TARGET/release/jejaring"
mkdir -p "$WORK"

say() { echo "compare: $*" >&2; }

# Whole-process wall time (s) and peak RSS (MB) of a command, its stdout to $1.
# GNU time when present (Debian package `time`), else bash's clock only.
timed() {
  local out=$1 stats=$2
  shift 2
  if [[ -x /usr/bin/time ]]; then
    /usr/bin/time -f '%e %M' -o "$stats" "$@" >"$out"
  else
    local t0 t1
    t0=$(date +%s.%N)
    "$@" >"$out"
    t1=$(date +%s.%N)
    echo "$(echo "$t1 - $t0" | bc) 0" >"$stats"
  fi
}

# 1. Python peers, in a venv of their own. One that will not install is
# reported as unavailable, not a failure.
if [[ ! -x "$VENV/bin/python" ]]; then
  say "making a venv in $VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --upgrade pip >/dev/null 2>&1 || true
fi
for p in $PEERS; do
  if ! "$VENV/bin/python" -c "import $p" 2>/dev/null; then
    say "pip install $p"
    "$VENV/bin/pip" install -q "$p" >&2 || say "$p cannot be installed here; reported as unavailable"
  fi
done
PY="$VENV/bin/python"

# 2. jejaring, release build: the CLI, and (for timings) the in-process
# probe, a bench target: its first build compiles the dev-dependencies in
# release mode, so the smoke run, which needs no timings, does without it.
say "building jejaring (release)"
(cd "$ROOT" && cargo build --release --quiet --bin jejaring)
if ((!SMOKE)); then
  (cd "$ROOT" && cargo bench --quiet --no-run --bench probe --bench floor)
fi

# 3. The dataset, once per size and seed.
if [[ ! -f "$DATA/relations.csv" ]]; then
  say "generating $ENTITIES entities / $RELATIONS relations (seed $SEED)"
  "$BIN" generate --entities "$ENTITIES" --relations "$RELATIONS" --seed "$SEED" --out "$DATA"
fi
"$PY" "$HERE/peers.py" pairs "$DATA" "$NPAIRS" "$SEED" "$WORK/pairs.csv" "$WORK/centres.txt" "$NCENTRES"
head -1 "$WORK/pairs.csv" >"$WORK/pairs-0.csv"
rm -f "$WORK"/cli-*.jsonl "$WORK/cli.json" "$WORK/floor.json"
# The whole-process per-query cost is the difference of two runs; 200
# queries of a few microseconds each vanish in the noise of a multi-second
# load, so the timed run asks the same 200 pairs CLI_REPEAT times.
CLI_REPEAT=${CLI_REPEAT:-25}
cp "$WORK/pairs-0.csv" "$WORK/pairs-rep.csv"
for ((i = 0; i < CLI_REPEAT; i++)); do tail -n +2 "$WORK/pairs.csv" >>"$WORK/pairs-rep.csv"; done
printf '{"entities": %s, "relations": %s, "seed": %s}\n' "$ENTITIES" "$RELATIONS" "$SEED" >"$WORK/meta.json"

# Every tool starts with the dataset's files in the page cache, so that
# loads time the tool, not the disk: the cache can be dropped between
# runs minutes apart (here it was, after a build), and the first load
# after that read 1.3 GB from disk.
warm_cache() { cat "$DATA"/*.csv >/dev/null; }

# 4. jejaring in-process: load, percentiles of each query. The smoke run
# takes jejaring's answers from the CLI instead (path --pairs, neighbours).
if ((!SMOKE)); then
  say "jejaring: in-process probe"
  warm_cache
  (cd "$ROOT" && cargo bench --quiet --bench probe -- "$DATA" "$WORK/pairs.csv" "$WORK/centres.txt" "$WORK/jejaring.json")
  # The floor: ids and relation ends only, parsed on one thread, into a
  # bare CSR (benches/compare/floor.rs): what this machine needs at least.
  say "floor: bare CSV parse + CSR"
  warm_cache
  (cd "$ROOT" && cargo bench --quiet --bench floor -- "$DATA" "$WORK/pairs.csv" "$WORK/centres.txt" "$WORK/floor.json")
else
  say "jejaring: answers from the CLI"
  "$BIN" --data "$DATA" path --plain --pairs "$WORK/pairs.csv" >"$WORK/cli-200.jsonl"
  : >"$WORK/nbh.jsonl"
  while read -r c; do
    "$BIN" --data "$DATA" neighbours "$c" --depth 2 --max-nodes 0 --format json |
      "$PY" -c 'import json,sys; v=json.load(sys.stdin); print(json.dumps([len(v["nodes"]), len(v["edges"])]))' >>"$WORK/nbh.jsonl"
  done <"$WORK/centres.txt"
  "$PY" - "$WORK" <<'EOF'
import json, sys
work = sys.argv[1]
lengths = []
for line in open(f"{work}/cli-200.jsonl", encoding="utf-8"):
    ps = json.loads(line).get("paths") or []
    lengths.append(ps[0]["length"] if ps else None)
nbh = [json.loads(l) for l in open(f"{work}/nbh.jsonl")]
json.dump({"tool": "jejaring", "lengths": lengths, "nbh_nodes": [n for n, _ in nbh],
           "nbh_edges": [e for _, e in nbh], "nbh_ms": []}, open(f"{work}/jejaring.json", "w"))
EOF
fi

# 5. jejaring whole-process, as users run it: `path --pairs` with the 200
# pairs (CLI_REPEAT times over) minus the same with none is the per-query
# cost. Median of a few runs when a load is short enough.
RUNS=3
if ((RELATIONS > 1000000)); then RUNS=1; fi
e_times=() f_times=() e_rss=0
for ((i = 0; i < RUNS; i++)); do
  say "jejaring CLI: run $((i + 1))/$RUNS"
  warm_cache
  timed "$WORK/cli-0.jsonl" "$WORK/time-0" "$BIN" --data "$DATA" path --plain --pairs "$WORK/pairs-0.csv"
  timed "$WORK/cli-rep.jsonl" "$WORK/time-200" "$BIN" --data "$DATA" path --plain --pairs "$WORK/pairs-rep.csv"
  read -r t m <"$WORK/time-0"
  e_times+=("$t")
  e_rss=$m
  read -r t _ <"$WORK/time-200"
  f_times+=("$t")
done
"$PY" - "$WORK/cli.json" "$((NPAIRS * CLI_REPEAT))" "$e_rss" "${e_times[*]}" "${f_times[*]}" <<'EOF'
import json, statistics, sys
out, n, rss, empty, full = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4].split(), sys.argv[5].split()
e = statistics.median(map(float, empty))
f = statistics.median(map(float, full))
json.dump({"empty_s": e, "full_s": f, "empty_rss_mb": rss / 1024.0,
           "per_query_ms": max(0.0, (f - e) / n * 1000.0)}, open(out, "w"))
EOF

# 6. Each peer in its own process, so its peak RSS is its own.
for p in $PEERS; do
  rm -f "$WORK/$p.json"
  if [[ "$p" == networkx ]] && ((RELATIONS > NETWORKX_MAX_RELATIONS)); then
    echo "{\"tool\": \"networkx\", \"skipped\": \"above $NETWORKX_MAX_RELATIONS relations (NETWORKX_MAX_RELATIONS)\"}" >"$WORK/$p.json"
    continue
  fi
  say "$p"
  warm_cache
  "$PY" "$HERE/peers.py" run "$p" "$DATA" "$WORK/pairs.csv" "$WORK/centres.txt" "$WORK/$p.json" ||
    echo "{\"tool\": \"$p\", \"unavailable\": \"the run failed (exit $?)\"}" >"$WORK/$p.json"
done

# 7. The table; exit 1 on any disagreement.
args=("$WORK")
if ((SMOKE)); then args+=(--smoke); fi
"$PY" "$HERE/peers.py" report "${args[@]}"
