"""Imbalanced regression: SMOGN against the smogn package, SMOGN at scale, and 5x2 CV on real data.

Run (the machine is shared: nice, once):

    python -m venv /tmp/smogn-venv
    /tmp/smogn-venv/bin/pip install "numpy<2" "pandas<2.2" smogn   # smogn 0.1.2 needs numpy<2
    nice python bench/bench_regression.py --smogn-python /tmp/smogn-venv/bin/python

Parts: (1) SMOGN on 3,000 x 10 rows, ours and smogn's in the same run (smogn in a subprocess of
its own environment), with the largest phi difference and the rows per region of both outputs;
(2) our SMOGN on 1,000,000 x 20 rows, on noise (``skewed_data``) and on rows near a
3-dimensional manifold (``structured_data``), with CPU and wall seconds per phase. Results go
to stdout as markdown (copied into bench/RESULTS-regression.md). The 5x2 cross-validation on
the real data sets is bench/quality_regression.py; the deep long-tailed benchmark is
bench/longtail_regression.py.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import importlib
import json
import os
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

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


def structured_data(n: int, d: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """d features near a 3-dimensional manifold: 3 latent Gaussian factors through a fixed
    random 3 x d map plus small noise; y heavy-tailed (log-normal) in the factors."""
    rng = np.random.default_rng(seed)
    factors = rng.normal(size=(n, 3))
    X = factors @ rng.normal(size=(3, d)) + 0.05 * rng.normal(size=(n, d))
    y = np.exp(factors[:, 0] + 0.5 * factors[:, 1]) + 0.1 * rng.normal(size=n)
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


# Phases of SMOGN's fit_resample timed in part_scale: (owner module, attribute, label).
PHASES = [
    ("imbalance.regression._base", "RegressionSampler._resolve_targets", "phi and bumps"),
    ("imbalance.regression._smoter", "neighbor_index", "neighbour index built"),
    ("imbalance.neighbors._index", "NeighborIndex.kneighbors", "neighbour search"),
    ("imbalance.neighbors._index", "finish", "  of which the float64 proof"),
    ("imbalance.regression._smoter", "SMOGN._half_median_distance", "median distances"),
    ("imbalance.regression._smoter", "_interpolate", "synthesis: interpolation"),
    ("imbalance.regression._smoter", "_noise", "synthesis: noise"),
]


@contextlib.contextmanager
def timed_phases(times: dict[str, list[float]]) -> Iterator[None]:
    """Add each phase's CPU seconds and wall seconds to ``times`` while inside."""
    patched = []
    for module, attr, label in PHASES:
        owner: Any = importlib.import_module(module)
        *path, name = attr.split(".")
        for part in path:
            owner = getattr(owner, part)
        original = getattr(owner, name)
        patched.append((owner, name, original))
        setattr(owner, name, _timed(original, times.setdefault(label, [0.0, 0.0])))
    try:
        yield
    finally:
        for owner, name, original in reversed(patched):
            setattr(owner, name, original)


def _timed(func: Any, slot: list[float]) -> Any:
    @functools.wraps(func)
    def run(*args: Any, **kwargs: Any) -> Any:
        cpu, wall = time.process_time(), time.perf_counter()
        try:
            return func(*args, **kwargs)
        finally:
            slot[0] += time.process_time() - cpu
            slot[1] += time.perf_counter() - wall

    return run


def part_scale() -> None:
    print("## SMOGN, 1,000,000 x 20\n")
    for name, make in (("noise", skewed_data), ("structured", structured_data)):
        X, y = make(1_000_000, 20, 1)
        model = SMOGN(random_state=0)
        times: dict[str, list[float]] = {}
        load = os.getloadavg()[0]
        cpu, wall = time.process_time(), time.perf_counter()
        with timed_phases(times):
            X_res, _ = model.fit_resample(X, y)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        print(
            f"- {name}: {wall:.1f} s wall, {cpu:.1f} CPU-s (load {load:.1f} before, "
            f"{os.getloadavg()[0]:.1f} after); bumps {model.bump_counts_.tolist()} -> "
            f"{list(model.target_counts_.values())}; {X_res.shape[0]:,} rows out; "
            f"{int(model.synthetic_noise_.sum()):,} of {model.synthetic_noise_.size:,} new rows "
            "by noise"
        )
        rest = [cpu, wall]
        for label, (phase_cpu, phase_wall) in times.items():
            print(
                f"  {'  ' * label.startswith(' ')}- {label.strip()}: {phase_cpu:.1f} CPU-s, "
                f"{phase_wall:.1f} s wall"
            )
            if not label.startswith(" "):
                rest = [rest[0] - phase_cpu, rest[1] - phase_wall]
        print(f"  - rest (checks, plan, assembly): {rest[0]:.1f} CPU-s, {rest[1]:.1f} s wall")
    print()


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
