#!/usr/bin/env bash
# Peak resident memory of the streamed `cargo-ipw stats anova` on a generated CSV of ROWS
# rows in 4 groups (100 M by default: about 1.7 GB, deleted afterwards), from
# /usr/bin/time -v.
#
#   reports/benches/stream_rss.sh [ROWS] [TEST]
#
# Needs: a release build (`cargo build --release -p ipw-reports`; CARGO_TARGET_DIR is
# honoured), awk and GNU time. The file goes to TMPDIR (default /tmp).
set -euo pipefail

ROWS=${1:-100000000}
TEST=${2:-anova}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
BIN=$TARGET/release/cargo-ipw
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
[ -x "$BIN" ] || { echo "build first: cargo build --release -p ipw-reports" >&2; exit 2; }

awk -v rows="$ROWS" 'BEGIN {
  srand(7); split("fp32 fp16 int8 int4", name, " ");
  print "group,value";
  for (i = 0; i < rows; i++) {
    g = int(rand() * 4);
    printf "%s,%.6f\n", name[g + 1], 50 - 1.5 * g + 20 * rand();
  }
}' > "$WORK/data.csv"

bytes=$(stat -c %s "$WORK/data.csv")
/usr/bin/time -v -o "$WORK/time.txt" "$BIN" stats "$TEST" "$WORK/data.csv"
wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$WORK/time.txt")
rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$WORK/time.txt")
echo "$TEST on $ROWS rows ($((bytes / 1024 / 1024)) MiB CSV): wall $wall, peak RSS $((rss / 1024)) MiB"
