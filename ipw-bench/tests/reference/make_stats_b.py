#!/usr/bin/env python3
"""Reference vectors for the k-group statistics (part B of the statistics engine).

Computes one-way ANOVA, Welch's ANOVA, Tukey HSD, Games-Howell, Kruskal-Wallis,
Levene / Brown-Forsythe, Shapiro-Wilk, two-way Type II ANOVA and the studentized range
distribution with SciPy and statsmodels, and writes JSON files under stats_b/ next to
this script. The JSON is committed, so the Rust tests (tests/stats_reference_b.rs) need
no Python.

Usage:  pip install numpy scipy statsmodels pandas
        python3 ipw-bench/tests/reference/make_stats_b.py

Large cases are not stored as data: they are generated from a seed by the same
xoshiro256** generator as `ipw_bench::stats::Rng` (reimplemented below), using only
additions, multiplications and floor, which round identically in both languages. The
JSON records the first values and the sum of each group so the Rust side can check that
it regenerated the same data.
"""

import json
import math
import os
import sys

import numpy as np
import pandas as pd
import scipy
import scipy.stats as st
import statsmodels
import statsmodels.api as sm
from statsmodels.formula.api import ols
from statsmodels.stats.oneway import anova_oneway

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "stats_b")
MASK = (1 << 64) - 1
CONFIDENCE = 0.95


# ---------------------------------------------------------------- data generation


class Rng:
    """xoshiro256** seeded by SplitMix64, as ipw_bench::stats::Rng."""

    def __init__(self, seed):
        state = seed & MASK
        self.s = []
        for _ in range(4):
            state = (state + 0x9E3779B97F4A7C15) & MASK
            z = state
            z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
            z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
            self.s.append(z ^ (z >> 31))

    @staticmethod
    def _rotl(x, k):
        return ((x << k) | (x >> (64 - k))) & MASK

    def next_u64(self):
        s = self.s
        result = (self._rotl((s[1] * 5) & MASK, 7) * 9) & MASK
        t = (s[1] << 17) & MASK
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = self._rotl(s[3], 45)
        return result

    def next_f64(self):
        return (self.next_u64() >> 11) * (1.0 / (1 << 53))


def draw(rng, kind):
    """One standardised draw. Must match `draw` in tests/stats_reference_b.rs."""
    if kind == "uniform":
        return rng.next_f64() - 0.5
    if kind == "irwin_hall4":
        # Sum of four uniforms, centred: bell-shaped, variance 1/3.
        total = 0.0
        for _ in range(4):
            total += rng.next_f64()
        return total - 2.0
    if kind == "rounded":
        # Ten distinct values: heavy ties.
        return math.floor(rng.next_f64() * 10.0)
    if kind == "skewed":
        u = rng.next_f64()
        return u * u * u
    raise ValueError(kind)


def generate(spec):
    rng = Rng(spec["seed"])
    groups = []
    for size, shift, scale in zip(spec["sizes"], spec["shifts"], spec["scales"]):
        groups.append([shift + scale * draw(rng, spec["kind"]) for _ in range(size)])
    return groups


def fingerprint(groups):
    return {
        "first": [g[:3] for g in groups],
        "sums": [math.fsum(g) for g in groups],
    }


# ---------------------------------------------------------------- helpers


def exact(x):
    """Round to 15 significant digits. Such a decimal has a significand below 2**53, so
    every JSON parser (serde_json's fast default path included) reads back exactly the
    double that the reference was computed from."""
    return float("%.15g" % x)


def num(x):
    """JSON has no NaN or infinity: those become null."""
    x = float(x)
    return x if math.isfinite(x) else None


def one_way(groups):
    """Sums of squares from their definitions; F and p from scipy.stats.f_oneway.

    The data are first shifted by one observation (exactly, for data within a factor of
    two of it) so that means near a large offset do not lose digits to rounding."""
    shift = groups[0][0]
    arrays = [np.asarray(g, dtype=float) - shift for g in groups]
    allv = np.concatenate(arrays)
    n_total, k = allv.size, len(arrays)
    grand = allv.mean()
    ss_between = math.fsum(a.size * (a.mean() - grand) ** 2 for a in arrays)
    ss_within = math.fsum(math.fsum((a - a.mean()) ** 2) for a in arrays)
    ss_total = math.fsum((allv - grand) ** 2)
    df_b, df_w = k - 1, n_total - k
    res = st.f_oneway(*arrays)
    ms_w = ss_within / df_w
    return {
        "ss_between": num(ss_between),
        "ss_within": num(ss_within),
        "ss_total": num(ss_total),
        "df_between": df_b,
        "df_within": df_w,
        "f": num(res.statistic),
        "p_value": num(res.pvalue),
        "eta_squared": num(ss_between / ss_total),
        "omega_squared": num((ss_between - df_b * ms_w) / (ss_total + ms_w)),
    }


def welch(groups):
    res = anova_oneway([np.asarray(g) for g in groups], use_var="unequal", welch_correction=True)
    return {
        "f": num(res.statistic),
        "df1": num(res.df[0]),
        "df2": num(res.df[1]),
        "p_value": num(res.pvalue),
    }


def tukey(groups):
    res = st.tukey_hsd(*[np.asarray(g) for g in groups])
    ci = res.confidence_interval(confidence_level=CONFIDENCE)
    rows = []
    k = len(groups)
    for a in range(k):
        for b in range(a + 1, k):
            # SciPy's statistic[i, j] is mean(i) - mean(j); ours is mean(b) - mean(a).
            rows.append(
                {
                    "a": a,
                    "b": b,
                    "mean_difference": num(res.statistic[b, a]),
                    "ci_low": num(ci.low[b, a]),
                    "ci_high": num(ci.high[b, a]),
                    "p_value": num(res.pvalue[b, a]),
                }
            )
    return rows


def games_howell(groups):
    """Games-Howell from its definition, with SciPy's studentized range."""
    k = len(groups)
    stats = [(len(g), float(np.mean(g)), float(np.var(g, ddof=1))) for g in groups]
    rows = []
    for a in range(k):
        for b in range(a + 1, k):
            (na, ma, va), (nb, mb, vb) = stats[a], stats[b]
            sa, sb = va / na, vb / nb
            se = math.sqrt(sa + sb)
            df = (sa + sb) ** 2 / (sa**2 / (na - 1) + sb**2 / (nb - 1))
            diff = mb - ma
            q = math.sqrt(2.0) * abs(diff) / se
            crit = st.studentized_range.ppf(CONFIDENCE, k, df)
            half = crit / math.sqrt(2.0) * se
            rows.append(
                {
                    "a": a,
                    "b": b,
                    "mean_difference": diff,
                    "std_error": se,
                    "q": q,
                    "df": df,
                    "ci_low": diff - half,
                    "ci_high": diff + half,
                    "p_value": num(st.studentized_range.sf(q, k, df)),
                }
            )
    return rows


def kruskal(groups):
    res = st.kruskal(*groups)
    return {"h": num(res.statistic), "df": len(groups) - 1, "p_value": num(res.pvalue)}


def levene(groups, center):
    res = st.levene(*groups, center=center)
    if not math.isfinite(res.statistic):
        return None
    return {
        "statistic": num(res.statistic),
        "df1": len(groups) - 1,
        "df2": sum(len(g) for g in groups) - len(groups),
        "p_value": num(res.pvalue),
    }


def shapiro(values):
    n = len(values)
    if n < 3 or n > 5000 or max(values) == min(values):
        return None
    res = st.shapiro(values)
    return {"w": num(res.statistic), "p_value": num(res.pvalue)}


# ---------------------------------------------------------------- cases


def k_group_cases():
    r = np.random.default_rng(20261124)
    cases = []

    def explicit(name, groups):
        cases.append({"name": name, "groups": [[exact(v) for v in g] for g in groups]})

    def generated(name, spec):
        cases.append({"name": name, "generated": spec})

    explicit("balanced-3x10", [r.normal(m, 1.0, 10) for m in (10.0, 10.5, 11.5)])
    explicit(
        "unbalanced-4-unequal-var",
        [r.normal(m, s, n) for m, s, n in ((5.0, 1.0, 5), (5.5, 2.0, 12), (4.0, 0.5, 7), (6.0, 3.0, 30))],
    )
    explicit("ties-likert", [r.integers(1, 6, n) for n in (15, 20, 18)])
    explicit("n2-per-group", [r.normal(m, 1.0, 2) for m in (0.0, 1.0, 3.0)])
    explicit("two-groups", [r.normal(0.0, 1.0, 25), r.normal(0.6, 1.5, 31)])
    explicit("k8-mixed", [r.normal(0.1 * i, 1.0 + 0.1 * i, 6 + i) for i in range(8)])
    explicit("extreme-p", [r.normal(m, 0.2, 20) for m in (0.0, 5.0, 10.0)])
    explicit("large-offset", [1e9 + r.normal(m, 1.0, 12) for m in (0.0, 0.3, 0.9)])
    explicit("equal-means", [r.normal(3.0, 1.0, 40) for _ in range(3)])
    explicit("energy-joules", [r.gamma(k, 2.0, 30) * 1e3 for k in (5.0, 5.5, 7.0, 5.2)])
    generated(
        "large-1e5-irwin-hall",
        {"seed": 7, "kind": "irwin_hall4", "sizes": [100000] * 4, "shifts": [10.0, 10.001, 10.003, 10.0], "scales": [1.0, 1.0, 1.2, 0.8]},
    )
    generated(
        "large-1e5-rounded-ties",
        {"seed": 11, "kind": "rounded", "sizes": [100000, 80000, 120000], "shifts": [0.0, 0.0, 0.0], "scales": [1.0, 1.0, 1.0]},
    )
    generated(
        "medium-skewed",
        {"seed": 3, "kind": "skewed", "sizes": [300, 500, 200, 400], "shifts": [1.0, 1.02, 1.05, 1.0], "scales": [2.0, 2.0, 2.5, 1.5]},
    )

    for case in cases:
        if "generated" in case:
            groups = generate(case["generated"])
            case["generated"]["fingerprint"] = fingerprint(groups)
        else:
            groups = case["groups"]
        small = all(len(g) <= 20000 for g in groups)
        # Mean-based tests are invariant to a shift. SciPy and statsmodels subtract raw
        # means, which near 1e9 are rounded to 1e-7, so their references get the data
        # shifted by one observation (an exact subtraction for data near it); ours must
        # keep those digits without help.
        shift = groups[0][0]
        shifted = [[v - shift for v in g] for g in groups]
        case["expected"] = {
            "anova": one_way(groups),
            "welch": welch(shifted),
            "tukey": tukey(shifted),
            # Games-Howell is 1 ppf per pair; SciPy's ppf is slow at large df.
            "games_howell": games_howell(shifted) if small else None,
            "kruskal": kruskal(groups),
            "levene_mean": levene(groups, "mean"),
            "levene_median": levene(groups, "median"),
            "shapiro": [shapiro(g) for g in groups],
        }
        print(case["name"], file=sys.stderr)
    return cases


def shapiro_cases():
    r = np.random.default_rng(5)
    cases = []
    for n in (3, 4, 5, 6, 7, 11, 12, 20, 50, 100, 1000, 5000):
        cases.append({"name": f"normal-{n}", "data": r.normal(100.0, 15.0, n)})
    for n in (8, 30, 400):
        cases.append({"name": f"exponential-{n}", "data": r.exponential(1.0, n)})
    cases.append({"name": "uniform-200", "data": r.uniform(0.0, 1.0, 200)})
    cases.append({"name": "ties-60", "data": r.integers(0, 4, 60).astype(float)})
    cases.append({"name": "three-skewed", "data": np.array([0.0, 0.001, 1.0])})
    cases.append({"name": "outlier-10", "data": np.array([1.0, 1.1, 0.9, 1.05, 0.95, 1.02, 0.98, 1.01, 0.99, 50.0])})
    cases.append({"name": "offset-1e9", "data": 1e9 + r.normal(0.0, 1.0, 40)})
    out = []
    for c in cases:
        data = [exact(v) for v in c["data"]]
        res = st.shapiro(data)
        out.append({"name": c["name"], "data": data, "w": num(res.statistic), "p_value": num(res.pvalue)})
    return out


def anova2_cases():
    r = np.random.default_rng(42)
    cases = []

    def add(name, y, a, b):
        y = [exact(v) for v in y]
        df = pd.DataFrame({"y": y, "A": [str(v) for v in a], "B": [str(v) for v in b]})
        model = ols("y ~ C(A) * C(B)", data=df).fit()
        table = sm.stats.anova_lm(model, typ=2)
        rows = []
        for label, source in (("C(A)", "A"), ("C(B)", "B"), ("C(A):C(B)", "A:B"), ("Residual", "Residual")):
            row = table.loc[label]
            rows.append(
                {
                    "source": source,
                    "ss": num(row["sum_sq"]),
                    "df": num(row["df"]),
                    "f": num(row["F"]),
                    "p_value": num(row["PR(>F)"]),
                }
            )
        cases.append({"name": name, "y": [float(v) for v in y], "a": [int(v) for v in a], "b": [int(v) for v in b], "effects": rows})

    def design(sizes, effect):
        y, a, b = [], [], []
        for i, row in enumerate(sizes):
            for j, n in enumerate(row):
                for _ in range(n):
                    a.append(i)
                    b.append(j)
                    y.append(effect(i, j) + r.normal(0.0, 1.0))
        return np.array(y), a, b

    y, a, b = design([[4, 4, 4], [4, 4, 4]], lambda i, j: 1.0 * i + 0.5 * j)
    add("balanced-2x3", y, a, b)
    y, a, b = design([[3, 5, 2, 6], [1, 4, 4, 2], [6, 2, 3, 3]], lambda i, j: 0.5 * i - 0.3 * j + 0.4 * i * j)
    add("unbalanced-3x4-interaction", y, a, b)
    y, a, b = design([[10, 2], [3, 15]], lambda i, j: 2.0 * i)
    add("unbalanced-2x2", y, a, b)
    y, a, b = design([[2, 2], [2, 2]], lambda i, j: 0.0)
    add("n2-per-cell-null", y, a, b)
    # statsmodels fits the raw response, so a larger offset would cost the reference
    # itself digits; 1e5 still exercises centring.
    y, a, b = design([[8, 9, 7], [9, 8, 10]], lambda i, j: 1e5 + 0.7 * j)
    add("large-offset", y, a, b)
    y, a, b = design([[12, 10], [11, 13]], lambda i, j: 30.0 * i + 25.0 * j)
    add("extreme-p", y, a, b)
    return cases


def ptukey_grid():
    cdf = []
    for k in (2, 3, 4, 5, 10, 20, 50):
        for df in (1.0, 2.0, 3.5, 5.0, 10.0, 20.0, 47.3, 120.0, 1000.0, 50000.0):
            for q in (0.5, 1.5, 3.0, 4.5, 8.0, 20.0):
                cdf.append({"q": q, "k": k, "df": df, "cdf": float(st.studentized_range.cdf(q, k, df))})
    ppf = []
    for k in (2, 3, 5, 10, 20):
        for df in (2.0, 5.0, 12.5, 30.0, 1000.0):
            for p in (0.5, 0.95, 0.99):
                ppf.append({"p": p, "k": k, "df": df, "q": float(st.studentized_range.ppf(p, k, df))})
    return {"cdf": cdf, "ppf": ppf}


def write(name, payload):
    payload = {
        "generated_by": "ipw-bench/tests/reference/make_stats_b.py",
        "versions": {"numpy": np.__version__, "scipy": scipy.__version__, "statsmodels": statsmodels.__version__},
        **payload,
    }
    path = os.path.join(OUT, name)
    with open(path, "w") as f:
        json.dump(payload, f, indent=1)
        f.write("\n")
    print("wrote", path, file=sys.stderr)


def main():
    os.makedirs(OUT, exist_ok=True)
    write("anova2.json", {"cases": anova2_cases()})
    write("shapiro.json", {"cases": shapiro_cases()})
    write("k_groups.json", {"confidence": CONFIDENCE, "cases": k_group_cases()})
    write("ptukey.json", ptukey_grid())


if __name__ == "__main__":
    main()
