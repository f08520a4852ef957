"""Reference vectors for the Survival Game tail fit (ipw-bench/src/survival/).

Writes ipw-bench/tests/reference/survival/*.json. CI does not run this script: the JSON
files are committed, and `cargo test -p ipw-bench survival::reference` compares against
them. Re-run with:

    pip install powerlaw==2.0.0 scipy numpy
    python3 ipw-bench/tests/reference/make_survival.py

Each case holds uncensored integer samples (failure counts >= 1) and:
  - powerlaw's xmin (minimum KS distance) and discrete alpha at that xmin;
  - powerlaw's alpha with xmin fixed at 1;
  - the same two alphas by an exact maximum-likelihood fit written here with scipy
    (Hurwitz zeta from scipy.special.zeta, bounded Brent search, xatol 1e-10), because
    powerlaw stops its Nelder-Mead search at tol=1e-4;
  - Clauset's closed-form discrete approximation at powerlaw's xmin, for contrast.

powerlaw is told `estimate_discrete=False`: otherwise, for xmin >= 10 (and whenever its
starting guess is in (1.5, 3]), it returns the closed-form approximation
1 + n / sum(ln(x / (xmin - 1/2))) instead of maximising the exact discrete likelihood
P(x) = x^-a / zeta(a, xmin). Its default alpha range is [0, 3], so it is widened to
[1, 10], the range the Rust maximiser searches.
"""

import json
import os
import warnings

import numpy as np
import powerlaw
import scipy
from scipy.optimize import minimize_scalar
from scipy.special import zeta

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "survival")


def exact_alpha(data, xmin):
    tail = data[data >= xmin]
    n, s = len(tail), np.log(tail).sum()

    def nll(a):
        return a * s + n * np.log(zeta(a, xmin))

    res = minimize_scalar(nll, bounds=(1.0 + 1e-9, 10.0), method="bounded",
                          options={"xatol": 1e-10})
    return float(res.x)


def powerlaw_fit(data, xmin=None):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = powerlaw.Fit(data, discrete=True, xmin=xmin, estimate_discrete=False,
                           parameter_ranges={"alpha": [1.0, 10.0]}, verbose=0)
    return fit


def case(name, data, note):
    data = np.asarray(sorted(int(x) for x in data), dtype=float)
    fit = powerlaw_fit(data)
    xmin = int(fit.xmin)
    at_one = powerlaw_fit(data, xmin=1)
    tail = data[data >= xmin]
    approx = 1.0 + len(tail) / np.log(tail / (xmin - 0.5)).sum()
    return {
        "name": name,
        "note": note,
        "samples": [int(x) for x in data],
        "powerlaw_xmin": xmin,
        "powerlaw_alpha": float(fit.power_law.alpha),
        "powerlaw_ks": float(fit.power_law.D),
        "powerlaw_n_tail": int(len(tail)),
        "powerlaw_alpha_xmin1": float(at_one.power_law.alpha),
        "exact_alpha": exact_alpha(data, xmin),
        "exact_alpha_xmin1": exact_alpha(data, 1),
        "approx_alpha": float(approx),
    }


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(20250224)
    cases = [
        case("zipf_a1.7_n3000", rng.zipf(1.7, 3000),
             "pure discrete power law from k = 1 (numpy zipf), a = 1.7"),
        case("zipf_a2.3_n2000", rng.zipf(2.3, 2000),
             "pure discrete power law from k = 1 (numpy zipf), a = 2.3"),
        case("zipf_a3.5_n5000", rng.zipf(3.5, 5000),
             "pure discrete power law from k = 1 (numpy zipf), a = 3.5"),
    ]
    # A body that is not a power law below 8, and a power-law tail above it.
    body = rng.geometric(0.35, 2400)
    body = body[body < 8]
    tail = rng.zipf(2.6, 40000)
    tail = tail[tail >= 8][:800]
    cases.append(case("body_plus_tail_a2.6", np.concatenate([body, tail]),
                      "geometric body below 8 plus a zipf(2.6) tail from 8"))
    for c in cases:
        c["versions"] = {"powerlaw": powerlaw.__version__, "scipy": scipy.__version__,
                         "numpy": np.__version__}
        with open(os.path.join(OUT, c["name"] + ".json"), "w") as f:
            json.dump(c, f, indent=None, separators=(",", ":"))
            f.write("\n")
        print(c["name"], {k: v for k, v in c.items() if k not in ("samples", "versions", "note")})

    grid = [[s, q, float(zeta(s, q))]
            for s in (1.05, 1.5, 2.0, 2.5, 3.0, 3.5, 5.0, 9.5)
            for q in (0.5, 1.0, 2.0, 7.0, 19.0, 20.0, 45.0, 1000.0, 1e6)]
    with open(os.path.join(OUT, "hurwitz_zeta.json"), "w") as f:
        json.dump({"source": "scipy.special.zeta " + scipy.__version__,
                   "values": grid}, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
