#!/usr/bin/env bash
# Times `cargo-ipw stats` against pandas + SciPy/statsmodels on a 1,000,000-row CSV in 4
# groups: cargo-ipw from process start to answer, Python from read_csv to answer in a warm
# interpreter (imports done before the clock starts), each the median of REPEATS runs;
# peak RSS from /usr/bin/time -v (Python's includes its imports).
#
#   [TESTS="anova kruskal"] reports/benches/stats_speed.sh [ROWS] [REPEATS]
#
# Needs: a release build (`cargo build --release -p ipw-reports`; CARGO_TARGET_DIR is
# honoured), python3 with numpy, pandas, scipy and statsmodels, and GNU time.
set -euo pipefail

ROWS=${1:-1000000}
REPEATS=${2:-3}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
BIN=$TARGET/release/cargo-ipw
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
[ -x "$BIN" ] || { echo "build first: cargo build --release -p ipw-reports" >&2; exit 2; }

python3 - "$ROWS" "$WORK/data.csv" <<'PY'
import sys
import numpy as np
import pandas as pd
rows, path = int(sys.argv[1]), sys.argv[2]
rng = np.random.default_rng(7)
names = np.array(["fp32", "fp16", "int8", "int4"])
g = rng.integers(0, 4, rows)
value = rng.gamma(4.0, 2.5, rows) + np.array([50.0, 49.0, 47.5, 46.0])[g]
pd.DataFrame({"group": names[g], "value": np.round(value, 6)}).to_csv(path, index=False)
PY

cat > "$WORK/ref.py" <<'PY'
import sys
import numpy as np
import pandas as pd
from scipy import stats
import time
from statsmodels.stats.multicomp import pairwise_tukeyhsd
test, path, repeats = sys.argv[1], sys.argv[2], int(sys.argv[3])

def answer():
    df = pd.read_csv(path, usecols=["group", "value"], dtype={"group": "category", "value": "float64"})
    order = list(pd.unique(df["group"]))
    groups = [df["value"][df["group"] == g].to_numpy() for g in order]
    if test == "describe":
        out = []
        for name, x in zip(order, groups):
            n, m, sd = len(x), x.mean(), x.std(ddof=1)
            lo, hi = stats.t.interval(0.95, n - 1, loc=m, scale=sd / np.sqrt(n))
            out.append((name, n, m, sd, np.median(x), lo, hi))
        return out
    if test == "anova":
        return stats.f_oneway(*groups)
    if test == "kruskal":
        return stats.kruskal(*groups)
    if test == "tukey":
        return pairwise_tukeyhsd(df["value"].to_numpy(), df["group"].astype(str).to_numpy())

times = []
for _ in range(repeats):
    t0 = time.perf_counter()
    result = answer()
    times.append(time.perf_counter() - t0)
print(result, file=sys.stderr)
print(sorted(times)[(len(times) - 1) // 2])
PY

# Median wall time (s) and max peak RSS (MB) over REPEATS runs of a command.
measure() {
  local best_rss=0 times=()
  for _ in $(seq "$REPEATS"); do
    /usr/bin/time -v -o "$WORK/time.txt" "$@" > /dev/null
    local wall rss
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$WORK/time.txt")
    rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$WORK/time.txt")
    times+=("$wall")
    (( rss > best_rss )) && best_rss=$rss
  done
  local median
  median=$(printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  echo "$median $((best_rss / 1024))"
}

bytes=$(stat -c %s "$WORK/data.csv")
echo "data: $ROWS rows, 4 groups, $((bytes / 1024 / 1024)) MiB CSV; in memory $((ROWS * 8 / 1024 / 1024)) MiB of f64 values; median of $REPEATS runs; load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-10s %12s %12s %12s %12s %8s\n' test "ipw (s)" "ipw RSS MB" "python (s)" "py RSS MB" speedup
for t in ${TESTS:-describe anova tukey kruskal}; do
  read -r rt rr < <(measure "$BIN" stats "$t" "$WORK/data.csv")
  /usr/bin/time -v -o "$WORK/time.txt" python3 "$WORK/ref.py" "$t" "$WORK/data.csv" "$REPEATS" > "$WORK/py.txt" 2> /dev/null
  pt=$(printf "%.2f" "$(tail -1 "$WORK/py.txt")")
  pr=$(( $(awk -F': ' '/Maximum resident set size/ {print $2}' "$WORK/time.txt") / 1024 ))
  printf '%-10s %12s %12s %12s %12s %7.1fx\n' "$t" "$rt" "$rr" "$pt" "$pr" "$(echo "$pt / $rt" | bc -l)"
done
