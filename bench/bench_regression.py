"""Imbalanced regression: SMOGN against the smogn package, SMOGN at scale, and 5x2 CV on real data.

Run (the machine is shared: nice, once):

    python -m venv /tmp/smogn-venv
    /tmp/smogn-venv/bin/pip install "numpy<2" "pandas<2.2" smogn   # smogn 0.1.2 needs numpy<2
    nice python bench/bench_regression.py --smogn-python /tmp/smogn-venv/bin/python

Parts: (1) SMOGN on 3,000 x 10 rows, ours and smogn's in the same run (smogn in a subprocess of
its own environment), with the largest phi difference and the rows per region of both outputs;
(2) our SMOGN on 1,000,000 x 20 rows; (3) 5x2 cross-validation on the real data sets, a linear
model and gradient boosting, every strategy against no resampling. Results go to stdout as
markdown (copied into bench/RESULTS-regression.md).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.linear_model import Ridge
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from imbalance.regression import (
    SMOGN,
    SMOTER,
    WERCS,
    BinnedStratifiedKFold,
    GaussianNoise,
    RandomOverSampler,
    RandomUnderSampler,
    control_points,
    density_weights,
    lds_weights,
    load_regression_dataset,
    region_errors,
    relevance,
    sera,
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


def dataset(name: str) -> tuple[np.ndarray, np.ndarray]:
    X, y = load_regression_dataset(name, as_frame=True, return_X_y=True)
    X = pd.get_dummies(X, dtype=float).to_numpy(dtype=float)
    if name == "randhie":  # 5,000 of the 20,190 rows keep the 5x2 CV short
        keep = np.random.default_rng(0).choice(len(y), 5000, replace=False)
        X, y = X[keep], y.to_numpy()[keep]
    return X, np.asarray(y, dtype=float)


STRATEGIES = {
    "none": None,
    "density weights": "density",
    "LDS weights": "lds",
    "RandomUnderSampler": RandomUnderSampler(random_state=0),
    "RandomOverSampler": RandomOverSampler(random_state=0),
    "SMOTER": SMOTER(random_state=0),
    "SMOGN": SMOGN(random_state=0),
    "GaussianNoise": GaussianNoise(random_state=0),
    "WERCS": WERCS(random_state=0),
}
MODELS = {
    "ridge": make_pipeline(StandardScaler(), Ridge()),
    "gboost": HistGradientBoostingRegressor(random_state=0),
}


def fold_points(y: np.ndarray) -> np.ndarray:
    """Automatic control points when the training target has box-plot outliers, else phi
    rising from 0 at the median to 1 at the 90th percentile (diabetes has no outliers)."""
    points = control_points(y)
    if points[:, 1].max() > 0:
        return points
    return np.array([[np.median(y), 0.0, 0.0], [np.quantile(y, 0.9), 1.0, 0.0]])


def fit_one(model, strategy, X, y):
    model = clone(model)
    if strategy is None:
        return model.fit(X, y)
    if isinstance(strategy, str):
        w = density_weights(y) if strategy == "density" else lds_weights(y, bins=50)
        key = "ridge__sample_weight" if hasattr(model, "steps") else "sample_weight"
        return model.fit(X, y, **{key: w})
    sampler = clone(strategy).set_params(control_points=fold_points(y))
    X_res, y_res = sampler.fit_resample(X, y)
    return model.fit(X_res, y_res)


def scores(fitted, X_tr, y_tr, X_te, y_te):
    pred = fitted.predict(X_te)
    phi = relevance(y_te, control_points=fold_points(y_tr))
    n = len(y_tr)
    errs = region_errors(y_te, pred, y_train=y_tr, bins=10, many=n // 10, few=n // 50)
    return sera(y_te, pred, relevance=phi), errs["few"]["mae"], errs["all"]["mae"]


def part_cv() -> None:
    print("## 5x2 cross-validation (mean over 10 fits; lower is better)\n")
    print(
        "SERA with phi from the training fold's automatic control points (diabetes, without "
        "outliers: 0 at the median, 1 at the 90th percentile), the samplers using the same "
        "points; few-shot MAE on the "
        "test rows whose bin (10 equal-width bins of the training target) holds fewer than 2 % "
        "of the training rows.\n"
    )
    for name in ["diabetes", "engel", "grunfeld", "randhie"]:
        X, y = dataset(name)
        for model_name, model in MODELS.items():
            rows = {}
            for rep in range(5):
                cv = BinnedStratifiedKFold(2, shuffle=True, random_state=rep)
                for tr, te in cv.split(X, y):
                    for label, strategy in STRATEGIES.items():
                        fitted = fit_one(model, strategy, X[tr], y[tr])
                        rows.setdefault(label, []).append(
                            scores(fitted, X[tr], y[tr], X[te], y[te])
                        )
            print(f"### {name}, {model_name}\n")
            print("| strategy | SERA | few-shot MAE | MAE |")
            print("|---|---|---|---|")
            base = np.nanmean(rows["none"], axis=0)
            for label, vals in rows.items():
                m = np.nanmean(np.asarray(vals, dtype=float), axis=0)
                cells = [
                    f"{v:.4g} ({v / b - 1:+.0%})" if label != "none" else f"{v:.4g}"
                    for v, b in zip(m, base, strict=True)
                ]
                print(f"| {label} | " + " | ".join(cells) + " |")
            print()
            sys.stdout.flush()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--smogn-python", default=None)
    parser.add_argument("--parts", default="smogn,scale,cv")
    args = parser.parse_args()
    parts = args.parts.split(",")
    if "smogn" in parts:
        part_smogn(args.smogn_python)
    if "scale" in parts:
        part_scale()
    if "cv" in parts:
        part_cv()


if __name__ == "__main__":
    main()
