#!/usr/bin/python3
"""Reference values for the rollout analysis tests (run with Debian's python3-scipy / python3-numpy).

    /usr/bin/python3 tools/rollout-vectors/make_vectors.py > tests/Orbit.Registry.Tests/Rollouts/rollout-vectors.json

Mann-Whitney U: scipy.stats.mannwhitneyu, method='asymptotic', use_continuity=True (midranks, tie-corrected
variance), one-sided 'less' and 'greater' on candidate/(1+margin) against stable.
Proportions: Agresti-Caffo adjusted difference (one success and one failure added to each arm), its
standard error, and the normal tails of z = (difference - margin) / se.
"""
import json
import numpy as np
from scipy import stats

rng = np.random.default_rng(20261130)
out = {"mannWhitney": [], "proportions": []}

def mw(case, candidate, stable, margin):
    scaled = np.asarray(candidate, dtype=float) / (1.0 + margin)
    less = stats.mannwhitneyu(scaled, stable, alternative="less", method="asymptotic", use_continuity=True)
    greater = stats.mannwhitneyu(scaled, stable, alternative="greater", method="asymptotic", use_continuity=True)
    out["mannWhitney"].append({
        "case": case, "candidate": [float(x) for x in candidate], "stable": [float(x) for x in stable], "margin": margin,
        "u": float(less.statistic), "pLess": float(less.pvalue), "pGreater": float(greater.pvalue),
    })

same = rng.lognormal(np.log(5.0), 0.3, 120)
mw("same distribution", rng.lognormal(np.log(5.0), 0.3, 80), same, 0.10)
mw("candidate 50% slower", rng.lognormal(np.log(7.5), 0.3, 80), same, 0.10)
mw("candidate faster", rng.lognormal(np.log(4.0), 0.3, 60), same, 0.10)
mw("heavy ties (ms resolution)", np.round(rng.lognormal(np.log(3.0), 0.2, 70)), np.round(rng.lognormal(np.log(3.0), 0.2, 90)), 0.0)
mw("tiny samples", [1.0, 2.0, 3.0], [2.5, 3.5, 4.5, 5.5], 0.05)

def proportions(case, xc, nc, xs, ns, margin):
    pc, ps = (xc + 1) / (nc + 2), (xs + 1) / (ns + 2)
    diff = pc - ps
    se = np.sqrt(pc * (1 - pc) / (nc + 2) + ps * (1 - ps) / (ns + 2))
    z = (diff - margin) / se
    out["proportions"].append({
        "case": case, "candidateEvents": xc, "candidateTotal": nc, "stableEvents": xs, "stableTotal": ns, "margin": margin,
        "difference": float(diff), "standardError": float(se), "pNonInferior": float(stats.norm.cdf(z)), "pHarm": float(stats.norm.sf(z)),
    })

proportions("no errors either side", 0, 400, 0, 2000, 0.01)
proportions("candidate fails a third", 40, 120, 3, 900, 0.01)
proportions("equal small rates", 2, 150, 9, 700, 0.02)
proportions("few samples", 0, 10, 0, 12, 0.01)
proportions("accuracy as misses", 30, 200, 20, 200, 0.02)

print(json.dumps(out, indent=1))
