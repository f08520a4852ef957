#!/usr/bin/env bash
# Reader and statistics speed on the inputs issue #14's audit found slow, each at two sizes
# to show the growth: an unclosed quote followed by N lines, `stats tukey` and
# `games-howell` on G groups of 2 rows, `survival` on N distinct failure counts.
#
#   scripts/reader_speed.sh [path/to/cargo-ipw]
#
# Builds the release cargo-ipw when no path is given. Prints a Markdown table: the best of
# three wall times per input, and the ratio of the large size's time to the small one's.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-}
if [[ -z "$BIN" ]]; then
    cargo build --release -q -p ipw-reports
    BIN=target/release/cargo-ipw
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

unclosed() { # lines
    { echo "group,value"; echo '"a,1'; yes "b,2" | head -n "$1"; } > "$work/unclosed_$1.csv"
    echo "$work/unclosed_$1.csv"
}
groups() { # groups of two rows
    python3 -c "
import sys
g = int(sys.argv[1])
print('group,value')
for i in range(g):
    print(f'g{i},{i % 7 + 1}.5')
    print(f'g{i},{i % 5 + 2}.25')
" "$1" > "$work/groups_$1.csv"
    echo "$work/groups_$1.csv"
}
survival() { # distinct counts
    python3 -c "
import sys
n = int(sys.argv[1])
print('task,failures,censored')
for i in range(n):
    print(f't{i},{i},0')
" "$1" > "$work/survival_$1.csv"
    echo "$work/survival_$1.csv"
}

best_of_three() { # command...
    local best=
    for _ in 1 2 3; do
        local t0 t1
        t0=$(date +%s.%N)
        "$@" > /dev/null 2>&1 || true
        t1=$(date +%s.%N)
        best=$(python3 -c "import sys; a=float(sys.argv[1]); b=float(sys.argv[2]); c=sys.argv[3]; print(min(b-a, float(c)) if c else b-a)" "$t0" "$t1" "$best")
    done
    echo "$best"
}

row() { # label small large make-input command-words...
    local label=$1 small=$2 large=$3 make=$4
    shift 4
    local a b
    a=$(best_of_three "$BIN" "$@" "$($make "$small")")
    b=$(best_of_three "$BIN" "$@" "$($make "$large")")
    python3 -c "
import sys
label, s, l, a, b = sys.argv[1:]
a, b = float(a), float(b)
print(f'| {label} | {int(s):,} | {a:.3f} s | {int(l):,} | {b:.3f} s | {b / a:.1f} for {int(l) / int(s):.0f}x the input |')
" "$label" "$small" "$large" "$a" "$b"
}

echo "| input | small | time | large | time | growth |"
echo "|---|---|---|---|---|---|"
row "unclosed quote, then N lines (\`stats describe\`)" 80000 800000 unclosed stats describe
row "G groups of 2 (\`stats tukey\`)" 500 1000 groups stats tukey
row "G groups of 2 (\`stats games-howell\`)" 500 1000 groups stats games-howell
row "N distinct counts (\`survival\`)" 20000 200000 survival survival
