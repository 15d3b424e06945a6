"""Choosing a candidate or blending two: replayed on the cached scores of the threshold study.

Issue 18's gradient-boosting default (docs/recommendation.md). ``bench/quality_threshold_study.py``
caches, for 8 KEEL sets that are *not* in ``bench/quality_recommend.py``'s benchmark and each of
the 10 outer folds of 5x2 CV, every candidate's out-of-fold probabilities from inner 5-fold CV
(two repeats), its inner models' and its refit's probabilities on the test fold. This script
replays, without fitting, the estimator's threshold rule (the median over 30 bootstrap
resamples of the argmax of the expected-count MCC curve, ``lam = 0.5``; one repeat of the inner
folds, as the estimator has) on each candidate, on the estimator's selection among none / ROS /
SMOTE (probabilities no worse than the plain model's), and on blends (the mean of the members'
prior-corrected probabilities), all deployed as the estimator deploys (refit and inner models,
half each)::

    nice python bench/quality_threshold_study.py --models hgb lr rf   # fills the cache
    nice python bench/quality_blend_study.py --models hgb lr rf       # replays it (seconds)
"""

from __future__ import annotations

import argparse
import pickle
from pathlib import Path
from typing import Any

import numpy as np
import quality_threshold_study as study
from sklearn.metrics import average_precision_score

from imbalance.auto._select import Objective, choose_threshold

MCC = Objective("mcc")
BLENDS = {"none|smote": ("none", "smote"), "none|ros|smote": ("none", "ros", "smote")}


def _views(res: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Per candidate and blend: one repeat of inner OOF, the deployed test probabilities."""
    views = study.fold_views(res)
    out = {
        c: {"oof": views[c]["oof"][0], "test": (views[c]["ens"] + views[c]["refit"]) / 2}
        for c in ("none", "ros", "smote")
    }
    for name, members in BLENDS.items():
        out[name] = {k: np.mean([out[m][k] for m in members], axis=0) for k in ("oof", "test")}
    return out


def _fold(res: dict[str, Any], rows: dict[str, list[float]]) -> None:
    y, yt = res["y_train"].astype(np.float64), res["y_test"]
    views = _views(res)
    stats = {}
    for name, v in views.items():
        t = choose_threshold(y, v["oof"], MCC, n_boot=30, seed=0)
        stats[name] = (t, MCC.at(y, v["oof"], t), float(np.mean((v["oof"] - y) ** 2)))
        stats[name] += (average_precision_score(y, v["oof"]),)
        rows.setdefault(f"{name}, tuned", []).append(study.mcc_at(yt, v["test"], t))
        rows.setdefault(f"brier {name}, tuned", []).append(float(np.mean((v["test"] - yt) ** 2)))
    ref = stats["none"]
    admissible = [
        c
        for c in ("none", "ros", "smote")
        if c == "none" or (stats[c][2] <= ref[2] and stats[c][3] >= ref[3])
    ]
    best = max(admissible, key=lambda c: stats[c][1])
    rows.setdefault("select none/ros/smote", []).append(
        study.mcc_at(yt, views[best]["test"], stats[best][0])
    )
    rows.setdefault("brier select none/ros/smote", []).append(
        float(np.mean((views[best]["test"] - yt) ** 2))
    )
    cand = study.fold_views(res)
    for fixed in ("smote", "smotetomek"):
        rows.setdefault(f"fixed {fixed} at 0.5", []).append(
            study.mcc_at(yt, cand[fixed]["fixed"], 0.5)
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--models", nargs="+", default=["hgb"])
    parser.add_argument("--cache", default="/tmp/imbalance-threshold-study")
    args = parser.parse_args()
    for m in args.models:
        per_set: dict[str, dict[str, float]] = {}
        for name in study.STUDY_SETS:
            files = sorted(Path(args.cache).glob(f"{name}-{m}-*.pkl"))
            if len(files) < 10:
                continue
            rows: dict[str, list[float]] = {}
            for f in files:
                _fold(pickle.loads(f.read_bytes()), rows)
            per_set[name] = {k: float(np.mean(v)) for k, v in rows.items()}
        if not per_set:
            continue
        base = np.array([d["fixed smotetomek at 0.5"] for d in per_set.values()])
        print(f"\n## {m}: {len(per_set)} sets; MCC, against SMOTETomek at 0.5; Brier")
        for key in (k for k in next(iter(per_set.values())) if not k.startswith("brier")):
            vals = np.array([d[key] for d in per_set.values()])
            brier = [d.get(f"brier {key}") for d in per_set.values()]
            b = f"{np.mean(brier):.4f}" if None not in brier else ""
            print(
                f"{key:<26} {vals.mean():.4f} {vals.mean() - base.mean():+.4f} "
                f"(ahead on {int(np.sum(vals > base))} of {len(vals)})  {b}"
            )


if __name__ == "__main__":
    main()
