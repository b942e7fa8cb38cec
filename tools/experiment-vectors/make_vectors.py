#!/usr/bin/python3
"""Reference values for the A/B experiment report tests (run with Debian's python3-scipy / python3-numpy).

    /usr/bin/python3 tools/experiment-vectors/make_vectors.py > tests/Orbit.Registry.Tests/Rollouts/experiment-vectors.json

Mann-Whitney U, two-sided: scipy.stats.mannwhitneyu(method='asymptotic', use_continuity=True, alternative='two-sided').
Proportions: the Agresti-Caffo interval for arm - control at 1 - alpha (one event and one non-event added to each arm,
then Wald: adjusted difference +- z(1 - alpha/2) * se) and the two-sided normal p-value of adjusted difference / se.
"""
import json
import numpy as np
from scipy import stats

rng = np.random.default_rng(20261130)
out = {"mannWhitney": [], "proportions": []}

def mw(case, arm, control):
    result = stats.mannwhitneyu(arm, control, alternative="two-sided", method="asymptotic", use_continuity=True)
    out["mannWhitney"].append({"case": case, "arm": [float(x) for x in arm], "control": [float(x) for x in control], "pValue": float(result.pvalue)})

control = rng.lognormal(np.log(5.0), 0.3, 150)
mw("same distribution", rng.lognormal(np.log(5.0), 0.3, 90), control)
mw("arm 30% slower", rng.lognormal(np.log(6.5), 0.3, 90), control)
mw("arm faster", rng.lognormal(np.log(4.0), 0.3, 70), control)
mw("heavy ties (ms resolution)", np.round(rng.lognormal(np.log(3.0), 0.2, 70)), np.round(rng.lognormal(np.log(3.0), 0.2, 90)))
mw("tiny samples", [1.0, 2.0, 3.0], [2.5, 3.5, 4.5, 5.5])

def proportions(case, xa, na, xc, nc, alpha):
    pa, pc = (xa + 1) / (na + 2), (xc + 1) / (nc + 2)
    diff = pa - pc
    se = np.sqrt(pa * (1 - pa) / (na + 2) + pc * (1 - pc) / (nc + 2))
    z = stats.norm.ppf(1 - alpha / 2)
    out["proportions"].append({
        "case": case, "armEvents": xa, "armTotal": na, "controlEvents": xc, "controlTotal": nc, "alpha": alpha,
        "difference": xa / na - xc / nc, "low": float(diff - z * se), "high": float(diff + z * se),
        "pValue": float(2 * stats.norm.sf(abs(diff / se))),
    })

proportions("no errors either side", 0, 400, 0, 2000, 0.05)
proportions("arm fails 3 % against 1.2 %", 30, 1000, 12, 1000, 0.05)
proportions("arm fails a third", 40, 120, 3, 900, 0.05)
proportions("accuracy lower, alpha 0.1", 30, 50, 45, 50, 0.1)
proportions("few samples", 1, 10, 0, 12, 0.05)

print(json.dumps(out, indent=1))
