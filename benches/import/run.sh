#!/usr/bin/env bash
# Import speed against load speed, whole processes, in one run:
#
#   benches/import/run.sh [ENTITIES RELATIONS SEED]   default 200000 1000000 1
#
# Generates a dataset, turns it into an edge list named by names
# (benches/import/edges.py) and into FtM lines (`export --format ftm`),
# then times `import table` and `import ftm` and a load (`stats --no-cache`: parsing the CSV, not reading a snapshot) of what
# each wrote. Prints wall seconds, peak RSS and the ratios. Environment:
# TMPDIR (work folder, default /tmp), CARGO_TARGET_DIR (as for cargo).
# Build first: cargo build --release. It never asserts timings.
set -euo pipefail
ENTITIES=${1:-200000}
RELATIONS=${2:-1000000}
SEED=${3:-1}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
BIN="${CARGO_TARGET_DIR:-$ROOT/target}/release/jejaring"
WORK="${TMPDIR:-/tmp}/jejaring-import-$ENTITIES-$RELATIONS-$SEED"
mkdir -p "$WORK"
say() { echo "import-bench: $*" >&2; }

# Wall seconds and peak RSS (MB) of a command: "SECONDS MB".
timed() {
  /usr/bin/time -f '%e %M' -o "$WORK/time" "$@" >/dev/null 2>"$WORK/stderr" ||
    { cat "$WORK/stderr" >&2; exit 1; }
  awk '{printf "%s %.0f\n", $1, $2 / 1024}' "$WORK/time"
}

if [[ ! -f "$WORK/data/relations.csv" ]]; then
  say "generating $ENTITIES entities, $RELATIONS relations"
  "$BIN" generate --entities "$ENTITIES" --relations "$RELATIONS" --seed "$SEED" \
    --out "$WORK/data" >/dev/null 2>&1
fi
[[ -f "$WORK/edges.csv" ]] || python3 "$HERE/edges.py" "$WORK/data" "$WORK/edges.csv"
if [[ ! -f "$WORK/entities.ftm.json" ]]; then
  "$BIN" --data "$WORK/data" export --format ftm --out "$WORK/entities.ftm.json" >/dev/null 2>&1
fi
rows=$(($(wc -l <"$WORK/edges.csv") - 1))
lines=$(wc -l <"$WORK/entities.ftm.json")

rm -rf "$WORK/table" "$WORK/ftm"
read -r t_table m_table < <(timed "$BIN" import table "$WORK/edges.csv" --out "$WORK/table")
read -r t_load m_load < <(timed "$BIN" --no-cache --data "$WORK/table" stats)
# The generated data has places, events and agreements, which FtM has
# no thing schema for here: their relations are left out (--force).
read -r t_ftm m_ftm < <(timed "$BIN" import ftm "$WORK/entities.ftm.json" --out "$WORK/ftm" --force)
read -r t_fload m_fload < <(timed "$BIN" --no-cache --data "$WORK/ftm" stats)

printf '%-34s %8s %8s\n' "" "seconds" "peak MB"
printf '%-34s %8s %8s\n' "import table ($rows rows, $(du -m "$WORK/edges.csv" | cut -f1) MB)" "$t_table" "$m_table"
printf '%-34s %8s %8s\n' "load of what it wrote (stats)" "$t_load" "$m_load"
printf '%-34s %8s %8s\n' "import ftm ($lines lines, $(du -m "$WORK/entities.ftm.json" | cut -f1) MB)" "$t_ftm" "$m_ftm"
printf '%-34s %8s %8s\n' "load of what it wrote (stats)" "$t_fload" "$m_fload"
awk -v a="$t_table" -v b="$t_load" 'BEGIN { printf "import table / load: %.2fx\n", a / b }'
awk -v n="$lines" -v t="$t_ftm" 'BEGIN { printf "import ftm: %.0f entities/s\n", n / t }'
