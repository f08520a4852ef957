#!/usr/bin/env python3
"""Reference vectors for part A of the statistics engine (descriptive statistics,
bootstrap, t-tests, Mann-Whitney, proportions, power, corrections).

Computed with SciPy, statsmodels and NumPy, written as JSON under stats_a/ next to this
script, and committed, so CI does not need Python. Regenerate with:

    pip install scipy statsmodels numpy pandas
    python3 ipw-bench/tests/reference/make_stats_a.py

Data sets are either listed in full or described by a generator spec
{"seed", "n", "loc", "scale", "kind"} that the Rust test expands with the same
xoshiro256** stream as `ipw_bench::stats::Rng` (ported below), so the 10^5-point cases
do not bloat the repository.
"""

import json
import math
import os

import numpy as np
import scipy
import statsmodels
from scipy import special, stats
from scipy.optimize import brentq
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.power import TTestIndPower
from statsmodels.stats.proportion import proportion_confint, proportions_ztest

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "stats_a")
M64 = (1 << 64) - 1


class Rng:
    """xoshiro256** seeded by SplitMix64, bit for bit as ipw_bench::stats::Rng."""

    def __init__(self, seed):
        st = seed & M64
        s = []
        for _ in range(4):
            st = (st + 0x9E3779B97F4A7C15) & M64
            z = st
            z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
            z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
            s.append(z ^ (z >> 31))
        self.s = s

    def next_u64(self):
        s = self.s
        x = (s[1] * 5) & M64
        result = (((x << 7) | (x >> 57)) & M64) * 9 & M64
        t = (s[1] << 17) & M64
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = ((s[3] << 45) | (s[3] >> 19)) & M64
        return result

    def next_f64(self):
        return (self.next_u64() >> 11) * (1.0 / (1 << 53))

    def below(self, n):
        m = self.next_u64() * n
        low = m & M64
        if low < n:
            threshold = ((1 << 64) - n) % n
            while low < threshold:
                m = self.next_u64() * n
                low = m & M64
        return m >> 64


def generate(spec):
    """Expand a generator spec; mirrored by `generate` in stats_reference_a.rs."""
    rng = Rng(spec["seed"])
    out = []
    for _ in range(spec["n"]):
        if spec["kind"] == "sum4":
            u = rng.next_f64() + rng.next_f64()
            u = u + rng.next_f64()
            u = u + rng.next_f64()
            out.append(spec["loc"] + spec["scale"] * (u - 2.0))
        else:  # "int10": integers 0..9, many ties
            out.append(spec["loc"] + spec["scale"] * math.floor(rng.next_f64() * 10.0))
    return out


def data_of(d):
    return generate(d) if isinstance(d, dict) else list(d)


def gen(seed, n, loc=0.0, scale=1.0, kind="sum4"):
    return {"seed": seed, "n": n, "loc": loc, "scale": scale, "kind": kind}


def fl(x):
    x = float(x)
    return None if math.isnan(x) else x


# ---------------------------------------------------------------- samples and pairs
SAMPLES = {
    "n2": [1.5, 4.0],
    "small": [2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0],
    "ties": [1.0, 1.0, 2.0, 2.0, 2.0, 3.0, 3.0, 3.0, 3.0, 10.0],
    "skewed": [0.12, 0.3, 0.31, 0.5, 0.77, 1.2, 1.9, 2.8, 4.9, 12.5, 33.0],
    "offset": [1e9 + 0.1, 1e9 + 0.3, 1e9 + 0.2, 1e9 + 0.4, 1e9 + 0.25],
    "negative": [-3.2, -1.1, -7.4, -0.2, -5.5, -2.2],
    "gen_small": gen(1, 25, 10.0, 2.0),
    "large": gen(2, 100_000, 50.0, 4.0),
    "large_int": gen(3, 100_000, 0.0, 1.0, "int10"),
}

PAIRS = {
    "balanced": (gen(10, 20, 5.0, 1.0), gen(11, 20, 5.8, 1.0)),
    "unbalanced": (gen(12, 7, 3.0, 0.5), gen(13, 40, 3.4, 3.0)),
    "ties": ([1, 2, 2, 3, 3, 3, 4, 5], [2, 3, 3, 4, 4, 5, 5, 5, 6]),
    "n2": ([1.0, 2.0], [3.0, 5.5]),
    "identical_means": ([1.0, 2.0, 3.0, 4.0], [2.5, 2.5, 2.0, 3.0]),
    "extreme": (gen(14, 60, 0.0, 1.0), gen(15, 60, 9.0, 1.0)),
    "large": (gen(16, 100_000, 10.0, 3.0), gen(17, 100_000, 10.01, 3.0)),
    "large_int": (gen(18, 100_000, 0.0, 1.0, "int10"), gen(19, 80_000, 0.05, 1.0, "int10")),
    "paired_close": (
        [10.1, 9.8, 11.2, 10.5, 9.9, 10.7, 10.0, 11.1],
        [10.0, 9.9, 11.0, 10.1, 9.5, 10.6, 10.2, 10.8],
    ),
    "offset": ([1e6 + 0.1, 1e6 + 0.4, 1e6 + 0.3], [1e6 + 0.2, 1e6 + 0.7, 1e6 + 0.9, 1e6 + 0.6]),
}

CONFIDENCES = [0.95, 0.9, 0.99]


def descriptive():
    probs = [0.0, 0.1, 0.25, 0.5, 0.75, 0.9, 1.0]
    cases = []
    for name, spec in SAMPLES.items():
        x = np.array(data_of(spec))
        for conf in CONFIDENCES[:2]:
            n = len(x)
            m = np.mean(x)
            sem = stats.sem(x)
            lo, hi = stats.t.interval(conf, n - 1, loc=m, scale=sem)
            cases.append(
                {
                    "name": name,
                    "data": spec,
                    "confidence": conf,
                    "n": n,
                    "mean": fl(m),
                    "variance": fl(np.var(x, ddof=1)),
                    "sd": fl(np.std(x, ddof=1)),
                    "median": fl(np.median(x)),
                    "mad": fl(stats.median_abs_deviation(x)),
                    "mad_scaled": fl(stats.median_abs_deviation(x, scale="normal")),
                    "probs": probs,
                    "quantiles": [fl(q) for q in np.quantile(x, probs)],
                    "ci_low": fl(lo),
                    "ci_high": fl(hi),
                }
            )
    return cases


def hedges_j(m):
    return math.exp(special.gammaln(m / 2) - special.gammaln((m - 1) / 2)) / math.sqrt(m / 2)


def ttests():
    cases = []
    for name, (sa, sb) in PAIRS.items():
        a, b = np.array(data_of(sa), float), np.array(data_of(sb), float)
        for conf in CONFIDENCES:
            for kind in ["welch", "student", "paired"]:
                if kind == "paired":
                    if len(a) != len(b):
                        continue
                    r = stats.ttest_rel(a, b)
                    diff = a - b
                    d = np.mean(diff) / np.std(diff, ddof=1)
                    j = hedges_j(len(a) - 1)
                    md = np.mean(diff)
                else:
                    r = stats.ttest_ind(a, b, equal_var=(kind == "student"))
                    n1, n2 = len(a), len(b)
                    sp = math.sqrt(
                        ((n1 - 1) * np.var(a, ddof=1) + (n2 - 1) * np.var(b, ddof=1)) / (n1 + n2 - 2)
                    )
                    d = (np.mean(a) - np.mean(b)) / sp
                    j = hedges_j(n1 + n2 - 2)
                    md = np.mean(a) - np.mean(b)
                ci = r.confidence_interval(conf)
                cases.append(
                    {
                        "name": name,
                        "kind": kind,
                        "a": sa,
                        "b": sb,
                        "confidence": conf,
                        "statistic": fl(r.statistic),
                        "df": fl(r.df),
                        "p_value": fl(r.pvalue),
                        "mean_difference": fl(md),
                        "ci_low": fl(ci.low),
                        "ci_high": fl(ci.high),
                        "cohens_d": fl(d),
                        "hedges_g": fl(d * j),
                    }
                )
    return cases


def mannwhitney():
    cases = []
    for name, (sa, sb) in PAIRS.items():
        a, b = data_of(sa), data_of(sb)
        r = stats.mannwhitneyu(a, b, alternative="two-sided", method="asymptotic", use_continuity=True)
        cases.append({"name": name, "method": "asymptotic", "a": sa, "b": sb, "u": fl(r.statistic), "p_value": fl(r.pvalue)})
    exact = {
        "separated": ([1.0, 2.0, 3.0], [4.0, 5.0, 6.0]),
        "n2": ([1.0, 2.0], [0.5, 3.0]),
        "interleaved": ([1.1, 2.5, 3.3, 4.8, 6.0], [1.7, 2.2, 3.9, 5.1, 7.2, 8.8, 0.2]),
        "size12": (gen(30, 12, 0.0, 1.0), gen(31, 15, 0.4, 1.0)),
        "size30": (gen(32, 30, 0.0, 1.0), gen(33, 25, 0.9, 1.0)),
    }
    for name, (sa, sb) in exact.items():
        a, b = data_of(sa), data_of(sb)
        assert len(set(a + b)) == len(a) + len(b), name
        r = stats.mannwhitneyu(a, b, alternative="two-sided", method="exact")
        cases.append({"name": name, "method": "exact", "a": sa, "b": sb, "u": fl(r.statistic), "p_value": fl(r.pvalue)})
        r = stats.mannwhitneyu(a, b, alternative="two-sided", method="asymptotic", use_continuity=True)
        cases.append({"name": name, "method": "asymptotic", "a": sa, "b": sb, "u": fl(r.statistic), "p_value": fl(r.pvalue)})
    return cases


def proportions():
    wilson = []
    for count, nobs in [(0, 10), (10, 10), (1, 2), (37, 50), (5, 1000), (50_000, 100_000), (3, 7)]:
        for conf in CONFIDENCES:
            lo, hi = proportion_confint(count, nobs, alpha=1 - conf, method="wilson")
            wilson.append({"successes": count, "n": nobs, "confidence": conf, "low": fl(lo), "high": fl(hi)})
    ztests = []
    for x1, n1, x2, n2 in [(45, 50, 30, 50), (7, 20, 12, 25), (1, 2, 2, 2), (51_000, 100_000, 50_000, 100_000),
                           (900, 1000, 500, 1000), (30, 60, 30, 60)]:
        z, p = proportions_ztest([x1, x2], [n1, n2])
        ztests.append({"x1": x1, "n1": n1, "x2": x2, "n2": n2, "statistic": fl(z), "p_value": fl(p)})
    chi = []
    tables = [
        [[10, 20], [20, 10]],
        [[12, 5], [7, 9]],
        [[1, 0], [0, 1]],
        [[500, 400], [450, 550]],
        [[10, 20, 5], [20, 10, 5]],
        [[3, 7, 9, 2], [11, 4, 6, 8], [5, 5, 5, 6]],
        [[5000, 10], [10, 5000]],
        [[30, 30], [30, 30]],
    ]
    for t in tables:
        for yates in [True, False]:
            r = stats.chi2_contingency(np.array(t, float), correction=yates)
            chi.append({"table": t, "yates": yates, "statistic": fl(r.statistic), "df": int(r.dof), "p_value": fl(r.pvalue)})
    return {"wilson": wilson, "ztest": ztests, "chi_square": chi}


def refine(f, guess):
    """statsmodels' solve_power stops where power is still ~1e-9 off target; polish its root
    of the same statsmodels power function with a tight brentq."""
    return brentq(f, guess * 0.99, guess * 1.01, xtol=1e-14, rtol=1e-15)


def power():
    nct = []
    for t in [-5.0, -1.3, 0.0, 0.7, 1.96, 3.5, 12.0]:
        for df in [2.0, 5.5, 30.0, 400.0]:
            for nc in [-2.0, 0.5, 1.0, 3.0, 8.0, 25.0]:
                cdf, sf = stats.nct.cdf(t, df, nc), stats.nct.sf(t, df, nc)
                # SciPy returns NaN for a few far-tail points (e.g. t=-5, df=2, nc=8): skipped.
                if math.isfinite(cdf) and math.isfinite(sf):
                    nct.append({"t": t, "df": df, "nc": nc, "cdf": fl(cdf), "sf": fl(sf)})
    tp = TTestIndPower()
    pw = []
    for d, n1, ratio, alpha in [(0.5, 64, 1, 0.05), (0.2, 100, 1, 0.05), (1.0, 5, 1, 0.01), (0.3, 40, 2.5, 0.05),
                                (2.0, 3, 1, 0.1), (0.05, 5000, 1, 0.05), (-0.4, 30, 1, 0.05)]:
        p = tp.power(effect_size=d, nobs1=n1, alpha=alpha, ratio=ratio)
        pw.append({"d": d, "n1": n1, "n2": n1 * ratio, "alpha": alpha, "power": fl(p)})
    ss = []
    for d, alpha, target in [(0.5, 0.05, 0.8), (0.2, 0.05, 0.9), (1.0, 0.01, 0.8), (0.8, 0.05, 0.95), (0.1, 0.05, 0.8)]:
        n = float(np.squeeze(tp.solve_power(effect_size=d, nobs1=None, alpha=alpha, power=target)))
        ss.append({"d": d, "alpha": alpha, "power": target, "n": refine(lambda v: tp.power(d, v, alpha) - target, n),
                   "n_statsmodels": n})
    mde = []
    for n, alpha, target in [(64, 0.05, 0.8), (10, 0.05, 0.8), (1000, 0.01, 0.9), (25, 0.1, 0.5)]:
        d = float(np.squeeze(tp.solve_power(effect_size=None, nobs1=n, alpha=alpha, power=target)))
        mde.append({"n": n, "alpha": alpha, "power": target, "d": refine(lambda v: tp.power(v, n, alpha) - target, d),
                    "d_statsmodels": d})
    return {"nct": nct, "power": pw, "sample_size": ss, "mde": mde}


def correction():
    sets = [
        [0.01, 0.04, 0.03, 0.5],
        [0.9, 0.8],
        [1e-30, 0.2, 0.049, 0.051, 0.001, 0.3, 0.7],
        [0.02, 0.02, 0.02],
        [0.5],
    ]
    return [
        {"p": ps, "holm": list(multipletests(ps, method="holm")[1]), "bonferroni": list(multipletests(ps, method="bonferroni")[1])}
        for ps in sets
    ]


def bootstrap():
    """BCa of the mean over exactly the resamples ipw_bench draws (same RNG), with the
    BCa formula written out here independently of the Rust code."""
    cases = []
    for name, resamples, seed, conf in [("skewed", 2000, 1, 0.95), ("gen_small", 3000, 7, 0.9), ("ties", 1500, 99, 0.95),
                                        ("small", 2000, 5, 0.99)]:
        x = data_of(SAMPLES[name])
        n = len(x)
        rng = Rng(seed)
        reps = []
        for _ in range(resamples):
            s = 0.0
            for _ in range(n):
                s += x[rng.below(n)]
            reps.append(s / n)
        reps = np.array(reps)
        total = 0.0
        for v in x:
            total += v
        point = total / n
        pct = np.quantile(reps, [(1 - conf) / 2, (1 + conf) / 2])
        z0 = special.ndtri((np.sum(reps < point) + np.sum(reps <= point)) / (2 * resamples))
        jack = np.array([(total - v) / (n - 1) for v in x])
        dj = jack.mean() - jack
        a = np.sum(dj**3) / (6 * np.sum(dj**2) ** 1.5)
        zl, zh = special.ndtri((1 - conf) / 2), special.ndtri((1 + conf) / 2)
        lo_level = special.ndtr(z0 + (z0 + zl) / (1 - a * (z0 + zl)))
        hi_level = special.ndtr(z0 + (z0 + zh) / (1 - a * (z0 + zh)))
        bca = np.quantile(reps, [lo_level, hi_level])
        cases.append({"name": name, "data": x, "resamples": resamples, "seed": seed, "confidence": conf,
                      "point": point, "percentile": [fl(pct[0]), fl(pct[1])], "bca": [fl(bca[0]), fl(bca[1])]})
    return cases


def main():
    os.makedirs(OUT, exist_ok=True)
    versions = {"scipy": scipy.__version__, "statsmodels": statsmodels.__version__, "numpy": np.__version__}
    outputs = {
        "descriptive": descriptive(),
        "ttest": ttests(),
        "mannwhitney": mannwhitney(),
        "proportions": proportions(),
        "power": power(),
        "correction": correction(),
        "bootstrap": bootstrap(),
    }
    for name, cases in outputs.items():
        with open(os.path.join(OUT, name + ".json"), "w") as f:
            json.dump({"generated_by": "make_stats_a.py", "versions": versions, "cases": cases}, f, indent=1)
            f.write("\n")
        print(name, len(cases) if isinstance(cases, list) else {k: len(v) for k, v in cases.items()})


if __name__ == "__main__":
    main()
