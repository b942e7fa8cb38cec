#!/usr/bin/python3
"""Reference baselines (decile edges, numpy type 7, repeats dropped; counts by searchsorted side='right') for
tests/Orbit.Retrainer.Tests/Registration/BaselineBuilderTests.cs. Run: /usr/bin/python3 baseline.py > baseline.json"""
import json
import numpy as np

rng = np.random.default_rng(7)
samples = {
    "normal-500": rng.normal(size=500),
    "integers-with-repeats": rng.integers(0, 4, size=300).astype(float),
    "few": np.array([3.0, 1.0, 2.0]),
    "constant": np.full(20, 5.0),
}
out = []
for name, values in samples.items():
    edges = np.quantile(values, np.arange(1, 10) / 10, method="linear")
    edges = np.unique(edges)  # sorted, repeats dropped
    counts = np.bincount(np.searchsorted(edges, values, side="right"), minlength=len(edges) + 1)
    out.append({"name": name, "values": values.tolist(), "binEdges": edges.tolist(), "counts": counts.tolist()})
print(json.dumps(out))
