#!/usr/bin/env bash
# Instructions executed by `import table` against a load (`stats`) of what
# it wrote, counted by valgrind's callgrind: a figure the machine's load
# does not change, unlike wall time (both threads' instructions count).
#
#   benches/import/instructions.sh [ENTITIES RELATIONS SEED]   default 20000 100000 1
#
# Makes its data as benches/import/run.sh does (same work folder). Needs
# valgrind; build first: cargo build --release. It never asserts counts.
set -euo pipefail
ENTITIES=${1:-20000}
RELATIONS=${2:-100000}
SEED=${3:-1}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
BIN="${CARGO_TARGET_DIR:-$ROOT/target}/release/jejaring"
WORK="${TMPDIR:-/tmp}/jejaring-import-$ENTITIES-$RELATIONS-$SEED"
mkdir -p "$WORK"
if [[ ! -f "$WORK/data/relations.csv" ]]; then
  "$BIN" generate --entities "$ENTITIES" --relations "$RELATIONS" --seed "$SEED" \
    --out "$WORK/data" >/dev/null 2>&1
fi
[[ -f "$WORK/edges.csv" ]] || python3 "$HERE/edges.py" "$WORK/data" "$WORK/edges.csv"

# Instructions of a command, from callgrind's summary line.
counted() {
  valgrind --tool=callgrind --callgrind-out-file="$WORK/callgrind.out" "$@" \
    >/dev/null 2>"$WORK/callgrind.log" || { cat "$WORK/callgrind.log" >&2; exit 1; }
  sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$WORK/callgrind.log"
}

rm -rf "$WORK/counted"
i_table=$(counted "$BIN" import table "$WORK/edges.csv" --out "$WORK/counted")
i_load=$(counted "$BIN" --no-cache --data "$WORK/counted" stats)
rows=$(($(wc -l <"$WORK/edges.csv") - 1))
printf '%-34s %14s\n' "" "instructions"
printf '%-34s %14s\n' "import table ($rows rows)" "$i_table"
printf '%-34s %14s\n' "load of what it wrote (stats)" "$i_load"
awk -v a="$i_table" -v b="$i_load" 'BEGIN { printf "import table / load: %.2fx\n", a / b }'
