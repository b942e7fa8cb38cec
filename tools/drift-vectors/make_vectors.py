#!/usr/bin/python3
"""Reference values for Orbit's drift scores, computed with Debian's numpy and scipy.

Run from the repository root with /usr/bin/python3 (python3-numpy, python3-scipy):
    /usr/bin/python3 tools/drift-vectors/make_vectors.py
It writes tools/drift-vectors/vectors.json, plus baseline.csv, live.csv and compare.json (the expected output of
`orbit drift compare baseline.csv live.csv --json`). The C# tests read these files and compare to 1e-9.
The formulas are the contract of issue 11 (docs/drift.md).
"""
import csv
import json
import math
import os
import warnings

import numpy as np
import scipy
from scipy import special, stats
from scipy.spatial import distance

EPS = 1e-4
DECILES = np.array([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9])
HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(20261130)


def num(x):
    x = float(x)
    return None if math.isnan(x) or math.isinf(x) else x


def smooth(counts):
    counts = np.asarray(counts, dtype=float)
    p = counts / counts.sum()
    return (p + EPS) / (1 + len(counts) * EPS)


def histogram_scores(live_counts, base_counts):
    l, b = smooth(live_counts), smooth(base_counts)
    cl = np.cumsum(live_counts) / np.sum(live_counts)
    cb = np.cumsum(base_counts) / np.sum(base_counts)
    return {
        "psi": float(np.sum((l - b) * np.log(l / b))),
        "kl": float(np.sum(l * np.log(l / b))),
        "js": float(distance.jensenshannon(l, b, base=2)),
        "ks": float(np.max(np.abs(cl - cb))),
    }


def ks_pvalue(live, base):
    n1, n2 = len(live), len(base)
    if max(n1, n2) <= 10000:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # an exact computation that fell back would differ from the contract
            r = stats.ks_2samp(live, base, method="exact")
        return float(r.statistic), float(r.pvalue), "exact"
    d = stats.ks_2samp(live, base, method="asymp").statistic
    m, n = max(n1, n2), min(n1, n2)
    en = m * n / (m + n)
    return float(d), float(np.clip(special.kolmogorov(np.sqrt(en) * d), 0, 1)), "asymptotic"


def points(edges):
    if len(edges) == 0:
        return np.array([0.0])
    mids = [(edges[k - 1] + edges[k]) / 2 for k in range(1, len(edges))]
    return np.array([edges[0]] + mids + [edges[-1]])


def wasserstein_binned(edges, live_counts, base_counts):
    if len(edges) == 0:
        return 0.0
    p = points(edges)
    return float(stats.wasserstein_distance(p, p, live_counts, base_counts))


def numeric_case(name, base, live):
    base = np.asarray(base, dtype=float)
    live = np.asarray(live, dtype=float)
    edges = np.quantile(base, DECILES, method="linear")
    bc = np.bincount(np.searchsorted(edges, base, side="right"), minlength=len(edges) + 1).astype(float)
    lc = np.bincount(np.searchsorted(edges, live, side="right"), minlength=len(edges) + 1).astype(float)
    d, p, method = ks_pvalue(live, base)
    out = histogram_scores(lc, bc)
    out.update({
        "kind": "numeric",
        "ks_raw": d,
        "ks_pvalue": p,
        "ks_method": method,
        "wasserstein": float(stats.wasserstein_distance(live, base)),
        "wasserstein_binned": wasserstein_binned(edges, lc, bc),
    })
    return {"name": name, "baseline": base.tolist(), "live": live.tolist(), "edges": edges.tolist(),
            "baseline_counts": bc.tolist(), "live_counts": lc.tolist(), "expected": out}


def categorical_scores(base, live):
    cats = sorted(set(base) | set(live))
    bc = np.array([base.count(c) for c in cats], dtype=float)
    lc = np.array([live.count(c) for c in cats], dtype=float)
    out = histogram_scores(lc, bc)
    if len(cats) > 1:
        chi = stats.chisquare(f_obs=lc, f_exp=lc.sum() * smooth(bc))
        out.update({"chi2": float(chi.statistic), "chi2_pvalue": float(chi.pvalue)})
    else:
        out.update({"chi2": 0.0, "chi2_pvalue": None})
    out["kind"] = "categorical"
    return cats, out


def categorical_case(name, base, live):
    cats, out = categorical_scores(base, live)
    return {"name": name, "baseline": base, "live": live, "categories": cats, "expected": out}


def r(x, digits=4):
    return np.round(np.asarray(x, dtype=float), digits)


numeric = [
    numeric_case("normal_shifted_unequal_sizes", r(rng.normal(0, 1, 500)), r(rng.normal(0.3, 1.2, 400))),
    numeric_case("normal_same_equal_sizes", r(rng.normal(5, 2, 300)), r(rng.normal(5, 2, 300))),
    numeric_case("ties_repeated_edges_empty_bins", rng.poisson(0.4, 600), rng.poisson(0.9, 450)),
    numeric_case("tiny_samples", [1.0, 2.0, 4.0], [3.0, 5.0]),
    numeric_case("single_baseline_value", [7.0] * 20, [6.0, 7.0, 7.0, 8.0, 9.0]),
    numeric_case("live_outside_baseline_range", r(rng.uniform(0, 1, 200)), r(rng.uniform(5, 6, 150))),
    numeric_case("identical_samples", [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0],
                 [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0]),
    numeric_case("exact_at_the_limit", r(rng.normal(0, 1, 10000), 3), r(rng.normal(0.05, 1, 3000), 3)),
    numeric_case("large_asymptotic", r(rng.normal(0, 1, 12000), 3), r(rng.lognormal(0, 0.5, 11000) - 1, 3)),
]

categorical = [
    categorical_case("unseen_and_vanished_categories",
                     list(rng.choice(["a", "b", "c", "d"], 300, p=[0.4, 0.3, 0.2, 0.1])),
                     list(rng.choice(["a", "b", "c", "e"], 250, p=[0.25, 0.25, 0.25, 0.25]))),
    categorical_case("same_distribution", ["x", "y", "y", "z"] * 50, ["x", "y", "y", "z"] * 40),
    categorical_case("tiny", ["red", "blue"], ["blue", "green", "green"]),
    categorical_case("single_category", ["only"] * 5, ["only"] * 3),
]
for case in categorical:
    case["baseline"] = [str(v) for v in case["baseline"]]
    case["live"] = [str(v) for v in case["live"]]

quantiles = []
for values in ([1.0], [3.0, 1.0], [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1],
               r(rng.normal(0, 1, 37), 6).tolist(), [0.0, 0.0, 0.0, 1.0, 1.0, 2.0, 5.0]):
    quantiles.append({"values": list(values), "deciles": np.quantile(np.asarray(values), DECILES, method="linear").tolist()})

kolmogorov = [{"x": x, "survival": float(special.kolmogorov(x))}
              for x in [0.0, 0.05, 0.2, 0.5, 0.8, 0.99, 1.0, 1.01, 1.2, 1.5, 2.0, 3.0, 5.0]]

chi2_tail = [{"x": x, "dof": k, "p": float(stats.chi2.sf(x, k))}
             for x, k in [(0.5, 1), (3.84, 1), (10.0, 3), (100.0, 9), (1e-3, 20), (250.0, 4)]]

with open(os.path.join(HERE, "vectors.json"), "w") as f:
    json.dump({"generator": f"numpy {np.__version__}, scipy {scipy.__version__}", "epsilon": EPS,
               "numeric": numeric, "categorical": categorical, "quantiles": quantiles,
               "kolmogorov": kolmogorov, "chi2_tail": chi2_tail}, f, indent=None, separators=(",", ":"))

# CSV files for `orbit drift compare`: two numeric columns (one with missing cells), two categorical ones.
n_base, n_live = 800, 600
base_cols = {
    "age": r(rng.normal(40, 12, n_base), 1),
    "income": r(rng.lognormal(10, 0.6, n_base), 2),
    "plan": rng.choice(["basic", "plus", "pro"], n_base, p=[0.6, 0.3, 0.1]),
    "region": rng.choice(["eu", "us", "apac"], n_base),
}
live_cols = {
    "age": r(rng.normal(45, 12, n_live), 1),
    "income": r(rng.lognormal(10.1, 0.6, n_live), 2),
    "plan": rng.choice(["basic", "plus", "pro", "enterprise"], n_live, p=[0.4, 0.3, 0.2, 0.1]),
    "region": rng.choice(["eu", "us", "apac"], n_live),
}
missing_base = set(rng.choice(n_base, 25, replace=False).tolist())
missing_live = set(rng.choice(n_live, 10, replace=False).tolist())


def write_csv(path, cols, missing):
    names = list(cols)
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(names)
        for i in range(len(cols[names[0]])):
            w.writerow(["" if (n == "income" and i in missing) else
                        (repr(float(cols[n][i])) if n in ("age", "income") else cols[n][i]) for n in names])


write_csv(os.path.join(HERE, "baseline.csv"), base_cols, missing_base)
write_csv(os.path.join(HERE, "live.csv"), live_cols, missing_live)

features = {}
for n in base_cols:
    if n in ("age", "income"):
        b = np.array([v for i, v in enumerate(base_cols[n]) if not (n == "income" and i in missing_base)])
        l = np.array([v for i, v in enumerate(live_cols[n]) if not (n == "income" and i in missing_live)])
        e = numeric_case(n, b, l)["expected"]
        features[n] = {k: e[k] for k in ("kind", "psi", "kl", "js", "ks", "ks_raw", "ks_pvalue", "wasserstein")}
    else:
        _, e = categorical_scores([str(v) for v in base_cols[n]], [str(v) for v in live_cols[n]])
        features[n] = {k: e[k] for k in ("kind", "psi", "kl", "js", "ks", "chi2", "chi2_pvalue")}

with open(os.path.join(HERE, "compare.json"), "w") as f:
    json.dump({"features": features}, f, indent=2)
print("wrote vectors.json, baseline.csv, live.csv, compare.json")
