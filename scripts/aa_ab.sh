#!/usr/bin/env bash
# The A/A and A/B experiments of issue #17 on real timing, with the fixture bench binary
# (tests/src/bin/fixture.rs): a baseline saved in one invocation, then fresh invocations
# of the same binary compared with it, over seeds, with --processes 4 and --processes 1
# side by side.
#   A/A: nothing changes; counts the case-metrics called `regressed` or `improved`.
#   A/B: the comparisons' `fixture/busy` and `sized/2` spin 5% longer per iteration
#        (FIXTURE_SLOWER); counts how many of their case-metrics are called `regressed`,
#        and the unchanged cases' case-metrics called either way.
# Case-metrics: every metric of a case's baseline change (time, energy, power, ...).
# Usage: scripts/aa_ab.sh   (SEEDS=3 COMPARISONS=3 PROCESSES="4 1" MEASUREMENT_TIME=0.5
#        PROFILE=release)
# Prints one line per design; also writes the per-run verdict counts to $OUT/aa_ab.tsv.
set -euo pipefail
cd "$(dirname "$0")/.."
SEEDS=${SEEDS:-3}
COMPARISONS=${COMPARISONS:-3}
PROCESSES=${PROCESSES:-"4 1"}
MEASUREMENT_TIME=${MEASUREMENT_TIME:-0.5}
OUT=${OUT:-$(mktemp -d)}
SLOWED="fixture/busy,sized/2"
PROFILE=${PROFILE:-release}
cargo build --quiet --profile "$PROFILE" -p ipw-tests --bin ipw-fixture
EXE=target/$([ "$PROFILE" = dev ] && echo debug || echo "$PROFILE")/ipw-fixture
CASES=(fixture/busy fixture/batched fixture/queries_70 sized/1 sized/2 sized/4)
FLAGS=(--bench --sensors estimate --sample-size 20 --warm-up-time 0.1
  --measurement-time "$MEASUREMENT_TIME" --idle-time 0.1 --noise-threshold 2%)

# Verdict counts of one comparison:
# "slowed_regressed slowed_flagged slowed_total other_flagged other_total".
count() {
  python3 - "$1" "$SLOWED" <<'PY'
import json, sys
run = json.load(open(sys.argv[1]))
slowed = set(sys.argv[2].split(","))
sr = sf = st = of = ot = 0
for c in run["cases"]:
    for m in (c.get("baseline") or {}).get("metrics", []):
        v = m.get("verdict")
        if c["id"] in slowed:
            st += 1
            sr += v == "regressed"
            sf += v in ("regressed", "improved")
        else:
            ot += 1
            of += v in ("regressed", "improved")
print(sr, sf, st, of, ot)
PY
}

printf 'design\texperiment\tseed\tcomparison\tslowed_regressed\tslowed_flagged\tslowed\tother_flagged\tother\n' >"$OUT/aa_ab.tsv"
for p in $PROCESSES; do
  for seed in $(seq 1 "$SEEDS"); do
    dir="$OUT/p$p-s$seed"
    start=$(date +%s.%N)
    IPW_OUTPUT_DIR="$dir" "$EXE" "${FLAGS[@]}" --processes "$p" --seed "$seed" \
      --save-baseline aa "${CASES[@]}" >/dev/null 2>"$dir.baseline.log" || true
    echo "baseline p=$p seed=$seed: $(echo "$(date +%s.%N) - $start" | bc) s" >&2
    for c in $(seq 1 "$COMPARISONS"); do
      for exp in aa ab; do
        slower=""
        [ "$exp" = ab ] && slower="5:$SLOWED"
        FIXTURE_SLOWER="$slower" IPW_OUTPUT_DIR="$dir" "$EXE" "${FLAGS[@]}" --processes "$p" \
          --seed "$((seed * 100 + c))" --baseline aa "${CASES[@]}" >/dev/null 2>"$dir.$exp$c.log" || true
        printf 'p%s\t%s\t%s\t%s\t%s\n' "$p" "$exp" "$seed" "$c" \
          "$(count "$dir/ipw-fixture/results.json" | tr ' ' '\t')" >>"$OUT/aa_ab.tsv"
      done
    done
  done
done
python3 - "$OUT/aa_ab.tsv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
for design in sorted({r["design"] for r in rows}, reverse=True):
    get = lambda exp, k: sum(int(r[k]) for r in rows if r["design"] == design and r["experiment"] == exp)
    aa_f = get("aa", "other_flagged") + get("aa", "slowed_flagged")
    aa_n = get("aa", "other") + get("aa", "slowed")
    print(f"--processes {design[1:]}: A/A {aa_f}/{aa_n} case-metrics flagged ({100*aa_f/max(aa_n,1):.0f}%); "
          f"A/B slowed {get('ab','slowed_regressed')}/{get('ab','slowed')} regressed "
          f"({100*get('ab','slowed_regressed')/max(get('ab','slowed'),1):.0f}%), "
          f"unchanged {get('ab','other_flagged')}/{get('ab','other')} flagged "
          f"({100*get('ab','other_flagged')/max(get('ab','other'),1):.0f}%)")
PY
echo "per-run counts: $OUT/aa_ab.tsv" >&2
