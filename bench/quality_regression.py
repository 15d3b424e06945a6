"""Imbalanced regression on real data: 5x2 cross-validation of every strategy against none.

For each bundled regression data set (``imbalance.regression.list_regression_datasets()``), a
linear model (``StandardScaler`` + ``Ridge``) and gradient boosting
(``HistGradientBoostingRegressor``), and every strategy (no resampling, DenseWeight and LDS
sample weights, random under- and over-sampling, SMOTER, SMOGN, Gaussian noise, WERCS), five
repetitions of 2-fold cross-validation stratified on the binned target
(``BinnedStratifiedKFold(2, shuffle=True, random_state=rep)``, rep = 0..4): 10 test folds.

Per fold: the features are standardised on the training half (the samplers' distances are
Euclidean); the relevance phi comes from the training half's automatic control points (where
the target has no box-plot outlier, as diabetes: 0 at the median, 1 at the 90th percentile),
and the samplers use the same points; weights come from the training half's target. Reported:
SERA (with that phi) on the test half, few-shot MAE (test rows whose bin, among 10 equal-width
bins of the training target, holds fewer than 2 % of the training rows) and overall MAE.
Each cell: the mean over the 10 folds, the change against no resampling, and in how many of
the 10 folds the strategy did better than no resampling on the same split. randhie uses 5,000
of its 20,190 rows (drawn once, seed 0).

    nice python bench/quality_regression.py              # all data sets: a few minutes
    nice python bench/quality_regression.py --datasets diabetes
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any

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
    list_regression_datasets,
    load_regression_dataset,
    region_errors,
    relevance,
    sera,
)

STRATEGIES: dict[str, Any] = {
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
METRICS = ("SERA", "few-shot MAE", "MAE")


def dataset(name: str) -> tuple[np.ndarray, np.ndarray]:
    X, y = load_regression_dataset(name, as_frame=True, return_X_y=True)
    X = pd.get_dummies(X, dtype=float).to_numpy(dtype=float)
    y = np.asarray(y, dtype=float)
    if name == "randhie":  # 5,000 of the 20,190 rows keep the 5x2 CV short
        keep = np.random.default_rng(0).choice(len(y), 5000, replace=False)
        X, y = X[keep], y[keep]
    return X, y


def fold_points(y: np.ndarray) -> np.ndarray:
    """Automatic control points when the training target has box-plot outliers, else phi
    rising from 0 at the median to 1 at the 90th percentile (diabetes has no outliers)."""
    points = control_points(y)
    if points[:, 1].max() > 0:
        return points
    return np.array([[np.median(y), 0.0, 0.0], [np.quantile(y, 0.9), 1.0, 0.0]])


def fit_one(model: Any, strategy: Any, X: np.ndarray, y: np.ndarray, points: np.ndarray) -> Any:
    model = clone(model)
    if strategy is None:
        return model.fit(X, y)
    if isinstance(strategy, str):
        w = density_weights(y) if strategy == "density" else lds_weights(y, bins=50)
        key = "ridge__sample_weight" if hasattr(model, "steps") else "sample_weight"
        return model.fit(X, y, **{key: w})
    sampler = clone(strategy).set_params(control_points=points)
    X_res, y_res = sampler.fit_resample(X, y)
    return model.fit(X_res, y_res)


def scores(
    fitted: Any, y_tr: np.ndarray, X_te: np.ndarray, y_te: np.ndarray, points: np.ndarray
) -> tuple[float, float, float]:
    pred = fitted.predict(X_te)
    phi = relevance(y_te, control_points=points)
    n = len(y_tr)
    errs = region_errors(y_te, pred, y_train=y_tr, bins=10, many=n // 10, few=n // 50)
    return sera(y_te, pred, relevance=phi), errs["few"]["mae"], errs["all"]["mae"]


def run(name: str, model_name: str) -> dict[str, np.ndarray]:
    """Scores of every strategy, shape (10 folds, 3 metrics)."""
    X, y = dataset(name)
    rows: dict[str, list[tuple[float, float, float]]] = {label: [] for label in STRATEGIES}
    for rep in range(5):
        cv = BinnedStratifiedKFold(2, shuffle=True, random_state=rep)
        for tr, te in cv.split(X, y):
            scaler = StandardScaler().fit(X[tr])
            X_tr, X_te = scaler.transform(X[tr]), scaler.transform(X[te])
            points = fold_points(y[tr])
            for label, strategy in STRATEGIES.items():
                fitted = fit_one(MODELS[model_name], strategy, X_tr, y[tr], points)
                rows[label].append(scores(fitted, y[tr], X_te, y[te], points))
    return {label: np.asarray(vals, dtype=float) for label, vals in rows.items()}


def table(name: str, model_name: str, result: dict[str, np.ndarray]) -> None:
    base = result["none"]
    print(f"### {name}, {model_name}\n")
    print("| strategy | " + " | ".join(METRICS) + " |")
    print("|---|---|---|---|")
    for label, vals in result.items():
        cells = []
        for j in range(len(METRICS)):
            mean, ref = np.nanmean(vals[:, j]), np.nanmean(base[:, j])
            if label == "none":
                cells.append(f"{mean:.4g}")
                continue
            both = ~np.isnan(vals[:, j]) & ~np.isnan(base[:, j])
            better = int((vals[both, j] < base[both, j]).sum())
            cells.append(f"{mean:.4g} ({mean / ref - 1:+.0%}, {better}/{int(both.sum())})")
        print(f"| {label} | " + " | ".join(cells) + " |")
    print()
    sys.stdout.flush()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    names = [info.name for info in list_regression_datasets()]
    parser.add_argument("--datasets", default=",".join(names))
    args = parser.parse_args()
    start = time.perf_counter()
    summary: dict[str, list[list[float]]] = {}
    for name in args.datasets.split(","):
        for model_name in MODELS:
            result = run(name, model_name)
            table(name, model_name, result)
            base = np.nanmean(result["none"], axis=0)
            for label, vals in result.items():
                change = np.nanmean(vals, axis=0) / base - 1
                summary.setdefault(label, []).append(change.tolist())
    print("### Mean change against no resampling over the data set x model pairs\n")
    print("| strategy | " + " | ".join(METRICS) + " |")
    print("|---|---|---|---|")
    for label, changes in summary.items():
        if label == "none":
            continue
        mean = np.mean(np.asarray(changes), axis=0)
        print(f"| {label} | " + " | ".join(f"{v:+.0%}" for v in mean) + " |")
    print(f"\n# {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
