"""Imbalanced regression: SMOGN against the smogn package, SMOGN at scale, and 5x2 CV on real data.

Run (the machine is shared: nice, once):

    python -m venv /tmp/smogn-venv
    /tmp/smogn-venv/bin/pip install "numpy<2" "pandas<2.2" smogn   # smogn 0.1.2 needs numpy<2
    nice python bench/bench_regression.py --smogn-python /tmp/smogn-venv/bin/python

Parts: (1) SMOGN on 3,000 x 10 rows, ours and smogn's in the same run (smogn in a subprocess of
its own environment), with the largest phi difference and the rows per region of both outputs;
(2) our SMOGN on 1,000,000 x 20 rows. Results go to stdout as markdown (copied into
bench/RESULTS-regression.md). The 5x2 cross-validation on the real data sets is
bench/quality_regression.py; the deep long-tailed benchmark is bench/longtail_regression.py.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from imbalance.regression import (
    SMOGN,
    control_points,
    relevance,
)

SMOGN_SCRIPT = """
import sys, time, json
import numpy as np, pandas as pd, smogn
from smogn.phi import phi
from smogn.phi_ctrl_pts import phi_ctrl_pts
data = pd.read_csv(sys.argv[1])
np.random.seed(0)
start = time.perf_counter()
out = smogn.smoter(data=data, y="y", k=5, pert=0.02, samp_method="balance", rel_thres=0.5)
seconds = time.perf_counter() - start
y_sorted = data["y"].sort_values()
params = phi_ctrl_pts(y=y_sorted, method="auto", xtrm_type="both", coef=1.5)
print(json.dumps({"seconds": seconds, "y_out": out["y"].tolist(),
                  "phi_sorted": [float(v) for v in phi(y=y_sorted, ctrl_pts=params)],
                  "points": params["ctrl_pts"]}))
"""


def skewed_data(n: int, d: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    y = np.exp(X[:, 0] + 0.5 * X[:, 1]) + 0.1 * rng.normal(size=n)
    return X, y


def regions(y: np.ndarray, points: np.ndarray) -> dict[str, int]:
    phi = relevance(y, control_points=points)
    return {"rare": int((phi >= 0.5).sum()), "common": int((phi < 0.5).sum())}


def part_smogn(smogn_python: str | None) -> None:
    X, y = skewed_data(3000, 10, 0)
    points = control_points(y, quartiles="midpoint")  # smogn's quartiles
    model = SMOGN(control_points=points, random_state=0)
    start = time.perf_counter()
    model.fit_resample(X, y)
    ours = time.perf_counter() - start
    _, y_ours = model.fit_resample(X, y)
    print("## SMOGN, 3,000 x 10\n")
    print(
        f"- ours: {ours:.3f} s; rows per region out: {regions(y_ours, points)}; rows per "
        f"bump in -> out: {model.bump_counts_.tolist()} -> {list(model.target_counts_.values())}"
    )
    if smogn_python is None:
        print("- smogn: not run (no --smogn-python)\n")
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "data.csv"
        frame = pd.DataFrame(X, columns=[f"x{j}" for j in range(10)]).assign(y=y)
        frame.to_csv(path, index=False, float_format="%.17g")
        run = subprocess.run(
            [smogn_python, "-c", SMOGN_SCRIPT, str(path)], capture_output=True, text=True
        )
    if run.returncode:
        print(f"- smogn failed: {run.stderr.strip().splitlines()[-1]}\n")
        return
    res = json.loads(run.stdout.strip().splitlines()[-1])
    phi_ours = relevance(np.sort(y), control_points=points)
    diff = float(np.max(np.abs(phi_ours - np.asarray(res["phi_sorted"]))))
    theirs_points = np.asarray(res["points"]).reshape(-1, 3)
    print(
        f"- smogn 0.1.2: {res['seconds']:.1f} s; rows per region out: "
        f"{regions(np.asarray(res['y_out']), points)}"
    )
    print(f"- speed-up: {res['seconds'] / ours:.0f}x")
    print(
        f"- largest |phi_ours - phi_smogn| over the 3,000 rows: {diff:.2e}; "
        f"largest control point difference: {float(np.max(np.abs(theirs_points - points))):.1e}"
    )
    print(f"- input rows per region: {regions(y, points)}\n")


def part_scale() -> None:
    X, y = skewed_data(1_000_000, 20, 1)
    model = SMOGN(random_state=0)
    start = time.perf_counter()
    X_res, _ = model.fit_resample(X, y)
    seconds = time.perf_counter() - start
    print("## SMOGN, 1,000,000 x 20\n")
    print(
        f"- {seconds:.1f} s; bumps {model.bump_counts_.tolist()} -> "
        f"{list(model.target_counts_.values())}; {X_res.shape[0]:,} rows out; "
        f"{int(model.synthetic_noise_.sum()):,} of {model.synthetic_noise_.size:,} new rows "
        "by noise\n"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--smogn-python", default=None)
    parser.add_argument("--parts", default="smogn,scale")
    args = parser.parse_args()
    parts = args.parts.split(",")
    if "smogn" in parts:
        part_smogn(args.smogn_python)
    if "scale" in parts:
        part_scale()


if __name__ == "__main__":
    main()
