#!/usr/bin/env python3
"""Reference vectors for part C of the statistics engine: paired accuracy (McNemar's test,
the interval of a paired difference, sizing of paired comparisons).

Written as JSON under stats_c/ next to this script, and committed, so CI does not need
Python. Regenerate with (about a minute, mostly the 2^40-pair tail and the simulation):

    pip install scipy statsmodels numpy mpmath
    python3 ipw-bench/tests/reference/make_stats_c.py

Sources, each independent of the Rust code:
- McNemar: statsmodels `mcnemar` (exact binomial via SciPy's `binom.cdf`, and chi-square
  with and without continuity correction). The exact tails are also summed here in
  40-digit arithmetic with mpmath, which serves where SciPy's binomial CDF itself drifts
  (about 1e-11 absolute from 1e10 trials on, measured below).
- Paired difference intervals: statsmodels has none for paired data, so Newcombe's (1998)
  method 10 is written out here from the paper's formula on statsmodels' Wilson intervals,
  and checked against the method-10 rows of the paper's Table III (printed to 4 decimals).
  The Wald interval is his method 1.
- Sizing: Connor's (1987) formula written out here and solved with SciPy's brentq; the
  unpaired comparison is statsmodels' `samplesize_proportions_2indep_onetail`, solved with
  brentq for the detectable difference. statsmodels has no power for McNemar, so the
  detectable difference is checked by simulation: McNemar's test (without continuity
  correction, the test the formula approximates) on multinomial tables drawn at that
  difference must reject in 80% +- 3% of the draws.
"""

import json
import math
import os

import mpmath
import numpy as np
import scipy
import statsmodels
from scipy import special, stats
from scipy.optimize import brentq
from statsmodels.stats.contingency_tables import mcnemar
from statsmodels.stats.proportion import proportion_confint, samplesize_proportions_2indep_onetail

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "stats_c")


def fl(x):
    """JSON number, or null for NaN and infinities (statsmodels' chi-square at b + c = 0)."""
    x = float(x)
    return x if math.isfinite(x) else None


# ---------------------------------------------------------------- McNemar
TABLES = {
    # small
    "small": (10, 3, 7, 5),
    "one_discordant": (0, 1, 0, 0),
    "small_one_way": (5, 0, 1, 3),
    "small_mid": (20, 4, 9, 11),
    "below_auto_threshold": (12, 11, 13, 6),
    "at_auto_threshold": (12, 12, 13, 6),
    "moderate": (50, 10, 24, 30),
    "moderate_close": (300, 41, 52, 107),
    # tied (b = c)
    "tied_small": (30, 8, 8, 40),
    "tied_mid": (100, 500, 500, 100),
    "tied_large": (0, 500_000, 500_000, 0),
    # off by one
    "off_by_one": (3, 6, 7, 2),
    # no discordant pairs
    "zero_discordance": (10, 0, 0, 10),
    "zero_discordance_all_right": (250, 0, 0, 0),
    "empty": (0, 0, 0, 0),
    # one-sided extremes
    "one_way_30": (5, 0, 30, 5),
    "one_way_24": (5, 24, 0, 5),
    "one_way_1000": (0, 0, 1000, 0),
    "one_way_mixed": (100, 0, 40, 60),
    "one_way_2000": (10, 2000, 0, 10),
    "nearly_one_way": (70, 1, 60, 20),
    # large: b + c around 1e6
    "large_z2": (1000, 499_000, 501_000, 1000),
    "large_close": (200_000, 499_500, 500_500, 300_000),
    "large_near_tied": (0, 500_000, 500_001, 0),
    "large_z6": (0, 497_000, 503_000, 0),
    "large_z20": (0, 490_000, 510_000, 0),
    "large_uneven": (5_000_000, 1_234_567, 1_236_000, 7_000_000),
    # beyond the term-by-term sum: more than 2^40 discordant pairs
    "beyond_sum_limit": (0, 2**40 - 2**21, 2**40 + 2**21, 0),
    # at the term-by-term sum limit, 2^40 pairs, about 4.5e6 terms near the middle
    "at_sum_limit": (0, 2**39 - 1_000_000, 2**39 + 1_000_000, 0),
}


def mp_binomial_half_cdf(k, n):
    """P(X <= k), X ~ Binomial(n, 1/2), 2k <= n, summed from k down in 40 digits."""
    mpmath.mp.dps = 40
    if n == 0:
        return mpmath.mpf(1)
    log_pmf = mpmath.loggamma(n + 1) - mpmath.loggamma(k + 1) - mpmath.loggamma(n - k + 1) - n * mpmath.log(2)
    term = mpmath.mpf(1)
    total = mpmath.mpf(1)
    tiny = mpmath.mpf(10) ** -35
    i = k
    while i > 0:
        term = term * i / (n - i + 1)
        total += term
        if term < total * tiny:
            break
        i -= 1
    return mpmath.exp(log_pmf) * total


def mcnemar_cases():
    cases = []
    for name, (a, b, c, d) in TABLES.items():
        table = np.array([[a, b], [c, d]], dtype=np.float64)
        exact = mcnemar(table, exact=True)
        with np.errstate(divide="ignore", invalid="ignore"):
            chi2 = mcnemar(table, exact=False, correction=False)
            chi2_cc = mcnemar(table, exact=False, correction=True)
        n = b + c
        # The mpmath tail needs the terms down to where they vanish: skip it only for the
        # case beyond 2^40, whose middle holds about 6e6 of them.
        exact_mp = None
        if n <= 2**40:
            exact_mp = float(min(2 * mp_binomial_half_cdf(min(b, c), n), 1))
        cases.append({
            "name": name,
            "table": [a, b, c, d],
            "exact": {"statistic": fl(exact.statistic), "p_value": fl(exact.pvalue), "p_value_mp": exact_mp},
            "chi2": {"statistic": fl(chi2.statistic), "p_value": fl(chi2.pvalue)},
            "chi2_corrected": {"statistic": fl(chi2_cc.statistic), "p_value": fl(chi2_cc.pvalue)},
            "auto": "exact" if n < 25 else "chi-square-corrected",
        })
    return cases


def scipy_binomial_drift():
    """Largest |SciPy binom.cdf - continuity-corrected normal| times n, over the middle and
    tails, for n from 1e3 up: for p = 1/2 the normal tail is within c / n of the binomial
    (the skewness term vanishes), so a growing product shows SciPy's own error."""
    rows = []
    for n in [10**3, 10**5, 10**7, 10**9, 10**10, 10**11, 2**40]:
        sd = math.sqrt(n) / 2
        ks = np.unique(np.floor(n / 2 - sd * np.linspace(0.0, 8, 400)).astype(np.int64))
        gap = np.max(np.abs(stats.binom.cdf(ks, n, 0.5) - special.ndtr((ks + 0.5 - n / 2) / sd)))
        rows.append({"n": n, "max_abs_gap": float(gap), "gap_times_n": float(gap * n)})
    return rows


# ---------------------------------------------------------------- paired difference intervals
def wilson(x, n, conf):
    lo, hi = proportion_confint(x, n, alpha=1 - conf, method="wilson")
    return float(lo), float(hi)


def newcombe_phi(a, b, c, d):
    """Newcombe's corrected phi: (ad - bc - n/2)^+ when ad > bc, else ad - bc, over the root
    of the product of the margins; 0 when a margin is empty."""
    n = a + b + c + d
    margins = (a + b) * (c + d) * (a + c) * (b + d)
    if margins == 0:
        return 0.0
    num = a * d - b * c
    if num > 0:
        num = max(num - n / 2, 0)
    return num / math.sqrt(margins)


def newcombe_paired(a, b, c, d, conf):
    """Newcombe 1998 method 10 for his theta = p1 - p2 = (b - c) / n, p1 = (a + b) / n."""
    n = a + b + c + d
    p1, p2 = (a + b) / n, (a + c) / n
    l1, u1 = wilson(a + b, n, conf)
    l2, u2 = wilson(a + c, n, conf)
    phi = newcombe_phi(a, b, c, d)
    theta = p1 - p2
    dl = math.sqrt(max((p1 - l1) ** 2 - 2 * phi * (p1 - l1) * (u2 - p2) + (u2 - p2) ** 2, 0))
    du = math.sqrt(max((u1 - p1) ** 2 - 2 * phi * (u1 - p1) * (p2 - l2) + (p2 - l2) ** 2, 0))
    return theta - dl, theta + du


# Method-10 rows of Newcombe (1998), Table III, cells (e, f, g, h) = our (a, b, c, d), the
# interval for his p1 - p2, 95%, printed to 4 decimals.
TABLE_III = {
    (36, 12, 2, 0): (0.0569, 0.3404),
    (20, 12, 2, 16): (0.0562, 0.3292),
    (18, 12, 2, 18): (0.0562, 0.3290),
    (36, 14, 0, 0): (0.1528, 0.4167),
    (35, 14, 0, 1): (0.1461, 0.4175),
    (18, 14, 0, 18): (0.1441, 0.3963),
    (2, 97, 1, 0): (0.8721, 0.9854),
    (1, 97, 1, 1): (0.8736, 0.9850),
    (0, 29, 1, 0): (0.6666, 0.9882),
    (2, 98, 0, 0): (0.9178, 0.9945),
    (1, 98, 0, 1): (0.9171, 0.9916),
    (0, 30, 0, 0): (0.8395, 1.0),
    (54, 0, 0, 0): (-0.0664, 0.0664),
    (53, 0, 0, 1): (-0.0729, 0.0729),
    (30, 0, 0, 24): (-0.0358, 0.0358),
    (29, 0, 0, 25): (-0.0354, 0.0354),
    (28, 0, 0, 26): (-0.0352, 0.0352),
    (27, 0, 0, 27): (-0.0351, 0.0351),
}


def check_table_iii():
    """Every row within one unit of the last printed decimal; all but (1, 97, 1, 1) within
    rounding (5e-5, plus a little for the paper's z = 1.96). That row's lower bound comes
    out 0.87367, printed 0.8736, with z = 1.96 or the exact quantile alike."""
    worst, off = 0.0, []
    for cells, (lo, hi) in TABLE_III.items():
        got = newcombe_paired(*cells, 0.95)
        gap = max(abs(got[0] - lo), abs(got[1] - hi))
        worst = max(worst, gap)
        if gap > 5.5e-5:
            off.append(list(cells))
    assert worst < 1e-4 and off == [[1, 97, 1, 1]], (worst, off)
    return {"worst": worst, "beyond_rounding": off}


CI_TABLES = [
    (10, 3, 7, 5), (0, 1, 0, 0), (5, 0, 1, 3), (20, 4, 9, 11), (50, 10, 24, 30), (300, 41, 52, 107),
    (30, 8, 8, 40), (5, 0, 0, 5), (10, 0, 0, 0), (0, 0, 0, 7), (1, 0, 0, 1), (0, 0, 30, 0), (0, 2, 3, 0),
    (5, 0, 30, 5), (100, 0, 40, 60), (10, 2000, 0, 10), (70, 1, 60, 20), (0, 3, 0, 0),
    (36, 12, 2, 0), (27, 0, 0, 27), (1000, 499_000, 501_000, 1000), (200_000, 499_500, 500_500, 300_000),
    (5_000_000, 1_234_567, 1_236_000, 7_000_000), (10**9, 3 * 10**7, 3 * 10**7 + 5, 10**9),
]


def ci_cases():
    cases = []
    for (a, b, c, d) in CI_TABLES:
        n = a + b + c + d
        for conf in [0.95, 0.9, 0.99]:
            z = special.ndtri(0.5 + conf / 2)
            point = (c - b) / n
            se = math.sqrt(max((b + c) - (c - b) ** 2 / n, 0)) / n
            wald = (max(point - z * se, -1.0), min(point + z * se, 1.0))
            # Ours is p2 - p1: Newcombe's interval for p1 - p2 negated.
            lo, hi = newcombe_paired(a, b, c, d, conf)
            cases.append({
                "table": [a, b, c, d], "confidence": conf, "point": point,
                "wald": list(wald), "newcombe": [-hi, -lo],
            })
    return cases


# ---------------------------------------------------------------- sizing
def z(p):
    return float(special.ndtri(p))


def connor_n(delta, pd, alpha, power):
    return (z(1 - alpha / 2) * math.sqrt(pd) + z(power) * math.sqrt(pd - delta**2)) ** 2 / delta**2


def connor_mde(n, pd, alpha, power):
    return brentq(lambda d: connor_n(d, pd, alpha, power) - n, 1e-9, pd, xtol=1e-17, rtol=4 * np.finfo(float).eps)


def unpaired_n(delta, pbar, alpha, power):
    return float(samplesize_proportions_2indep_onetail(delta, pbar - delta / 2, power, ratio=1, alpha=alpha))


def unpaired_mde(n, pbar, alpha, power):
    widest = 2 * min(pbar, 1 - pbar)
    return brentq(lambda d: unpaired_n(d, pbar, alpha, power) - n, 1e-9, widest, xtol=1e-17,
                  rtol=4 * np.finfo(float).eps)


def simulate_power(n, pd, delta, alpha, reps, seed):
    """Share of multinomial paired tables, n questions with P(only first right) =
    (pd - delta)/2 and P(only second right) = (pd + delta)/2, on which McNemar's test
    rejects at alpha: without continuity correction (what Connor's formula approximates),
    and with statsmodels' exact/corrected choice by the b + c < 25 rule, for information."""
    rng = np.random.default_rng(seed)
    draws = rng.multinomial(n, [(pd - delta) / 2, (pd + delta) / 2, 1 - pd], size=reps)
    b, c = draws[:, 0].astype(float), draws[:, 1].astype(float)
    s = b + c
    with np.errstate(divide="ignore", invalid="ignore"):
        chi2 = np.where(s > 0, (b - c) ** 2 / s, 0.0)
        chi2_cc = np.where(s > 0, (np.abs(b - c) - 1) ** 2 / s, 0.0)
    p_plain = np.where(s > 0, stats.chi2.sf(chi2, 1), 1.0)
    p_exact = np.minimum(2 * stats.binom.cdf(np.minimum(b, c), s, 0.5), 1.0)
    p_auto = np.where(s < 25, p_exact, np.where(s > 0, stats.chi2.sf(chi2_cc, 1), 1.0))
    return float(np.mean(p_plain < alpha)), float(np.mean(p_auto < alpha))


def sizing():
    alpha, power = 0.05, 0.8
    out = {"mcnemar_sample_size": [], "mcnemar_mde": [], "unpaired_sample_size": [], "unpaired_mde": [],
           "monte_carlo": []}
    for delta, pd in [(0.1, 0.2), (0.05, 0.15), (0.02, 0.1), (0.3, 0.5), (0.01, 0.01), (0.2, 0.9), (0.05, 0.05)]:
        for a, pw in [(0.05, 0.8), (0.01, 0.9), (0.1, 0.5)]:
            out["mcnemar_sample_size"].append({"difference": delta, "discordance": pd, "alpha": a, "power": pw,
                                               "exact": connor_n(delta, pd, a, pw)})
    for n, pd in [(100, 0.3), (200, 0.15), (500, 0.1), (1000, 0.05), (2000, 0.2), (400, 0.5), (50, 0.8),
                  (10_000, 0.02), (10**6, 0.3)]:
        for a, pw in [(0.05, 0.8), (0.01, 0.9)]:
            out["mcnemar_mde"].append({"questions": n, "discordance": pd, "alpha": a, "power": pw,
                                       "difference": connor_mde(n, pd, a, pw)})
    for delta, pbar in [(0.05, 0.7), (0.1, 0.5), (0.02, 0.9), (0.3, 0.4), (0.01, 0.5), (0.19, 0.9)]:
        for a, pw in [(0.05, 0.8), (0.01, 0.9)]:
            out["unpaired_sample_size"].append({"difference": delta, "mean_accuracy": pbar, "alpha": a,
                                                "power": pw, "exact": unpaired_n(delta, pbar, a, pw)})
    for n, pbar in [(100, 0.7), (300, 0.5), (1000, 0.9), (5000, 0.6), (50, 0.2)]:
        for a, pw in [(0.05, 0.8), (0.01, 0.9)]:
            out["unpaired_mde"].append({"questions": n, "mean_accuracy": pbar, "alpha": a, "power": pw,
                                        "difference": unpaired_mde(n, pbar, a, pw)})
    reps = 40_000
    for i, (n, pd) in enumerate([(100, 0.3), (200, 0.15), (500, 0.1), (1000, 0.05), (400, 0.5), (2000, 0.2)]):
        delta = connor_mde(n, pd, alpha, power)
        plain, auto = simulate_power(n, pd, delta, alpha, reps, seed=1000 + i)
        assert abs(plain - power) <= 0.03, (n, pd, delta, plain)
        out["monte_carlo"].append({"questions": n, "discordance": pd, "alpha": alpha, "power": power,
                                   "difference": delta, "reps": reps, "seed": 1000 + i,
                                   "simulated_power": plain, "simulated_power_auto": auto})
    return out


def main():
    os.makedirs(OUT, exist_ok=True)
    versions = {"scipy": scipy.__version__, "statsmodels": statsmodels.__version__, "numpy": np.__version__,
                "mpmath": mpmath.__version__}
    worst_table_iii = check_table_iii()
    outputs = {
        "mcnemar": {"cases": mcnemar_cases(), "scipy_binomial_drift": scipy_binomial_drift()},
        "paired_ci": {"cases": ci_cases(), "table_iii": worst_table_iii},
        "sizing": sizing(),
    }
    for name, body in outputs.items():
        with open(os.path.join(OUT, name + ".json"), "w") as f:
            json.dump({"generated_by": "make_stats_c.py", "versions": versions, **body}, f, indent=1)
            f.write("\n")
        print(name, {k: len(v) if isinstance(v, list) else v for k, v in body.items()})


if __name__ == "__main__":
    main()
