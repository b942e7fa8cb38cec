#!/usr/bin/python3
"""Reference values for the retrainer's metrics (tests/Orbit.Retrainer.Tests/Gate/ModelMetricsTests.cs).

Run with Debian's numpy: /usr/bin/python3 metrics.py > metrics.json
AUC is computed as the area under the ROC curve by the trapezoid rule over the distinct thresholds
(the way sklearn.metrics.roc_auc_score does), independently of the rank formula the C# code uses.
"""
import json
import numpy as np


def roc_auc(y, p):
    order = np.argsort(-p, kind="mergesort")
    y, p = y[order], p[order]
    distinct = np.where(np.diff(p))[0]
    thresholds = np.r_[distinct, y.size - 1]
    tps = np.cumsum(y)[thresholds]
    fps = 1 + thresholds - tps
    tpr = np.r_[0, tps] / tps[-1]
    fpr = np.r_[0, fps] / fps[-1]
    return float(np.trapz(tpr, fpr))


def case(name, y, p, kind):
    y = np.asarray(y, dtype=float)
    p = np.asarray(p, dtype=float)
    out = {"name": name, "kind": kind, "labels": y.tolist(), "predictions": p.tolist()}
    if kind == "classification":
        q = np.clip(p, 1e-15, 1 - 1e-15)
        out["auc"] = roc_auc(y, p)
        out["accuracy"] = float(np.mean((p >= 0.5) == (y >= 0.5)))
        out["logloss"] = float(-np.mean(y * np.log(q) + (1 - y) * np.log(1 - q)))
    else:
        out["rmse"] = float(np.sqrt(np.mean((p - y) ** 2)))
        out["mae"] = float(np.mean(np.abs(p - y)))
    return out


rng = np.random.default_rng(42)
y = (rng.random(200) < 0.4).astype(float)
p = np.clip(0.35 * y + rng.random(200) * 0.65, 0, 1)
ties = np.round(p, 1)
cases = [
    case("small", [0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], "classification"),
    case("random-200", y, p, "classification"),
    case("ties", y, ties, "classification"),
    case("extremes", [0, 1, 1, 0], [0.0, 1.0, 0.0, 1.0], "classification"),
]
v = rng.normal(size=150)
cases.append(case("regression-150", v, v + rng.normal(scale=0.3, size=150), "regression"))
print(json.dumps(cases, indent=1))
