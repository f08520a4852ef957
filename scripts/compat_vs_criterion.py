#!/usr/bin/env python3
"""ipw-criterion-compat against real criterion on a real suite: itoa 1.0.19's benches.

The crate is downloaded as cargo downloads it (`cargo metadata` on a scratch project) and
copied twice: once unchanged (its dev-dependency criterion 0.8, pinned to 0.8.2 by the
workspace's Cargo.lock) and once with the criterion line renamed to ipw-criterion-compat.
Both are built in release. Then, in one run, each round measures every benchmark id with
both binaries back to back, alternating which goes first, with the same budget (100
samples, the same warm-up and measuring time).

For each id and round it reads criterion's target/criterion/<id>/new/estimates.json (mean,
median, slope) and ipw-bench's results.json (time_per_iter_s: the mean over samples of
elapsed / iterations, the definition of criterion's `mean`), and prints per id the median
over rounds of ipw / criterion for the mean, for the median (ipw-bench's from its
samples) and against criterion's slope (the `time:` criterion prints). The table is also written to target/compat-vs-criterion/summary.md.

    python3 scripts/compat_vs_criterion.py --rounds 3 --warm-up-time 0.5 --measurement-time 1.5
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CRATE, VERSION, BENCH = "itoa", "1.0.19", "bench"


def sh(args, cwd, env=None, capture=True):
    r = subprocess.run(args, cwd=cwd, env=env, text=True, capture_output=capture)
    if r.returncode != 0:
        sys.exit(f"{' '.join(map(str, args))} failed ({r.returncode}):\n{r.stdout}\n{r.stderr}")
    return r.stdout


def download(work):
    """The crate's source directory in the registry cache."""
    fetch = work / "fetch"
    (fetch / "src").mkdir(parents=True, exist_ok=True)
    (fetch / "src" / "lib.rs").write_text("")
    (fetch / "Cargo.toml").write_text(
        '[package]\nname = "fetch"\nversion = "0.0.0"\nedition = "2021"\npublish = false\n\n'
        f'[workspace]\n\n[dependencies]\n{CRATE} = "={VERSION}"\n'
    )
    meta = json.loads(sh(["cargo", "metadata", "--format-version", "1"], fetch))
    for p in meta["packages"]:
        if p["name"] == CRATE and p["version"] == VERSION:
            return Path(p["manifest_path"]).parent
    sys.exit(f"{CRATE} {VERSION} not downloaded")


def renamed(manifest):
    """The manifest with its criterion dev-dependency table pointing at the compat crate."""
    out, skipping = [], False
    for line in manifest.splitlines():
        t = line.strip()
        if t.startswith("["):
            skipping = t.strip("[]").endswith("dev-dependencies.criterion")
            out.append(line)
            if skipping:
                out.append('package = "ipw-criterion-compat"')
                out.append(f'path = "{ROOT / "criterion-compat"}"')
            continue
        if skipping and t:
            continue
        out.append(line)
    return "\n".join(out) + "\n"


def build(source, dest, target, compat):
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(source, dest)
    if compat:
        manifest = dest / "Cargo.toml"
        manifest.write_text(renamed(manifest.read_text()))
    # The workspace's lock: criterion 0.8.2 and ipw-bench's dependencies as tested here.
    shutil.copy(ROOT / "Cargo.lock", dest / "Cargo.lock")
    env = dict(os.environ, CARGO_TARGET_DIR=str(target))
    out = sh(
        ["cargo", "build", "--release", "--bench", BENCH, "--message-format", "json-render-diagnostics"],
        dest,
        env,
    )
    for line in out.splitlines():
        m = json.loads(line)
        if m.get("reason") == "compiler-artifact" and m["target"]["name"] == BENCH and m.get("executable"):
            return m["executable"]
    sys.exit(f"no bench executable in {dest}")


def criterion_estimates(home):
    """full id -> estimates.json of criterion's latest run, under CRITERION_HOME."""
    found = {}
    for bench_json in Path(home).glob("**/new/benchmark.json"):
        full_id = json.loads(bench_json.read_text())["full_id"]
        found[full_id] = json.loads((bench_json.parent / "estimates.json").read_text())
    return found


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--warm-up-time", default="0.5")
    ap.add_argument("--measurement-time", default="1.5")
    ap.add_argument("--sample-size", default="100")
    a = ap.parse_args()

    work = ROOT / "target" / "compat-vs-criterion"
    work.mkdir(parents=True, exist_ok=True)
    # The copies live outside this workspace (a package inside it would have to be a member).
    copies = Path(tempfile.mkdtemp(prefix="compat-vs-criterion-"))
    source = download(copies)
    target = work / "target"
    crit_exe = build(source, copies / "criterion", target, compat=False)
    ipw_exe = build(source, copies / "compat", target, compat=True)
    ids = [l[: -len(": benchmark")] for l in sh([ipw_exe, "--bench", "--list"], work).splitlines()
           if l.endswith(": benchmark")]
    budget = ["--warm-up-time", a.warm_up_time, "--measurement-time", a.measurement_time,
              "--sample-size", a.sample_size]
    ratios = {i: {"mean": [], "slope": [], "median": []} for i in ids}
    times = {i: [] for i in ids}
    for r in range(a.rounds):
        for k, bench_id in enumerate(ids):
            crit_home = work / "runs" / f"criterion-{r}-{k}"
            ipw_dir = work / "runs" / f"ipw-{r}-{k}"
            for d in (crit_home, ipw_dir):
                shutil.rmtree(d, ignore_errors=True)
            crit = lambda: sh([crit_exe, "--bench", "--exact", bench_id, "--noplot", *budget], work,
                              dict(os.environ, CRITERION_HOME=str(crit_home)))
            ipw = lambda: sh([ipw_exe, "--bench", "--exact", bench_id, *budget, "--idle-time", "0",
                              "--sensors", "synthetic:50", "--plots", "none", "--output-dir", str(ipw_dir)],
                             work)
            first, second = (crit, ipw) if (r + k) % 2 == 0 else (ipw, crit)
            first()
            second()
            est = criterion_estimates(crit_home)[bench_id]
            doc = json.loads((ipw_dir / BENCH / "results.json").read_text())
            case = next(c for c in doc["cases"] if c["id"] == bench_id)
            t = case["estimates"]["time_per_iter_s"]["point"]
            # ipw-bench's median per-iteration time over samples, criterion's `median`'s twin.
            t_med = statistics.median(x["elapsed_s"] / x["iters"] for x in case["samples"])
            times[bench_id].append((t, est["mean"]["point_estimate"] * 1e-9))
            mine = {"mean": t, "median": t_med, "slope": t}
            for key in ("mean", "median", "slope"):
                if est.get(key):
                    ratios[bench_id][key].append(mine[key] / (est[key]["point_estimate"] * 1e-9))
            print(f"round {r + 1} {bench_id}: ipw mean {t * 1e9:.3f} ns, criterion mean "
                  f"{est['mean']['point_estimate']:.3f} ns, ratio {ratios[bench_id]['mean'][-1]:.4f}, "
                  f"medians' ratio {ratios[bench_id]['median'][-1]:.4f}", flush=True)

    lines = [
        f"| benchmark id ({CRATE} {VERSION}) | ipw-bench mean | criterion mean (medians over rounds) | ipw / criterion: "
        f"mean | median | ipw mean / criterion slope | per-round ratios of the means |",
        "|---|---|---|---|---|---|---|",
    ]
    med = lambda xs: statistics.median(xs) if xs else float("nan")
    for i in ids:
        ipw_med = med([t for t, _ in times[i]]) * 1e9
        crit_med = med([c for _, c in times[i]]) * 1e9
        rs = ratios[i]
        lines.append(f"| `{i}` | {ipw_med:.2f} ns | {crit_med:.2f} ns | **{med(rs['mean']):.4f}** | "
                     f"**{med(rs['median']):.4f}** | {med(rs['slope']):.4f} | "
                     f"{', '.join(f'{x:.3f}' for x in rs['mean'])} |")
    lines.append("")
    for key in ("mean", "median", "slope"):
        per_id = [med(ratios[i][key]) for i in ids]
        within = sum(abs(x - 1) <= 0.03 for x in per_id)
        every = [x for i in ids for x in ratios[i][key]]
        lines.append(f"- {key}: {within} of {len(ids)} ids within 3% (median over {a.rounds} rounds); "
                     f"median of all {len(every)} per-round ratios {med(every):.4f}, "
                     f"median of the per-id medians {med(per_id):.4f}.")
    table = "\n".join(lines) + "\n"
    (work / "summary.md").write_text(table)
    print()
    print(table)


if __name__ == "__main__":
    main()
