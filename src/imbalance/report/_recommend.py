"""The comparison's recommendation: what AutoImbalanceClassifier would choose on this data.

For two classes and a decision metric (balanced accuracy, G-mean, F1, MCC), every strategy's
out-of-fold probabilities are mapped back to the true priors (the correction the estimator
applies), a threshold is chosen by the estimator's rule on the other folds and scored on each
fold, and the estimator's selection picks the strategy: the best decisions among strategies whose
probabilities are as good as the best. The recommendation names the calibrated variant, so it
never points at probabilities that are off without saying so. Otherwise (several classes, or a
ranking metric) the best mean wins, with a warning when its probabilities are off.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .._typing import Label
from ..auto._candidates import Strategy, calibration_kind
from ..auto._fold_fits import FoldOutput
from ..auto._select import (
    CandidateScore,
    Objective,
    average_precision,
    choose_threshold,
    select,
)
from ._result import ComparisonResult, recommend

__all__ = ["recommend_with_estimator"]

_FOLD_BOOT = 10  # bootstrap resamples of each per-fold threshold (the deployed one: N_BOOT)

_DECISION_METRICS = ("balanced_accuracy", "g_mean", "f1", "mcc")


def _calibrated_oof(
    key: str,
    strategy: Strategy,
    outer: dict[tuple[str, int], FoldOutput],
    n: int,
    y01: np.ndarray,
    positive: Label,
) -> np.ndarray:
    p = np.full(n, np.nan)
    raw = np.full(n, np.nan)
    k = 0
    while (key, k) in outer:
        out = outer[(key, k)]
        col = out.classes.tolist().index(positive)
        raw[out.val] = out.proba[:, col]
        p[out.val] = out.corrected()[:, col]
        k += 1
    if calibration_kind(strategy) == "sigmoid":
        from ..auto._fold_fits import apply_sigmoid, sigmoid_map

        p = apply_sigmoid(raw, *sigmoid_map(raw, y01))
    return p


def _score(
    name: str, p: np.ndarray, y01: np.ndarray, folds: list[np.ndarray], objective: Objective
) -> CandidateScore:
    """Per fold: the threshold chosen on the other folds, the metric on this one."""
    values = []
    for val in folds:
        rest = np.ones(len(y01), dtype=bool)
        rest[val] = False
        t = choose_threshold(y01[rest], p[rest], objective, n_boot=_FOLD_BOOT)
        values.append(objective.at(y01[val], p[val], t))
    mean = float(np.mean(values))
    std = float(np.std(values, ddof=1)) if len(values) > 1 else 0.0
    return CandidateScore(
        name=name,
        threshold=choose_threshold(y01, p, objective),
        value=mean,
        brier=float(np.mean((p - y01) ** 2)),
        average_precision=average_precision(y01, p),
        n_scored=len(y01),
        extra={"std": std, "n_folds": len(values)},
    )


def _row_for(base: Strategy, members: list[Strategy]) -> Strategy:
    """The listed strategy that shows the calibrated variant best."""
    order = ("threshold", None, "prior") if base.base == "none" else ("prior", "threshold", None)
    return min(members, key=lambda s: order.index(s.after))


def recommend_with_estimator(
    result: ComparisonResult,
    parsed: list[Strategy],
    outer: dict[tuple[str, int], FoldOutput],
    y: np.ndarray,
    classes: np.ndarray,
    positive: Label,
) -> dict[str, Any]:
    """The recommendation dict: ``strategy`` (a listed name), ``reason``, and for two classes
    and a decision metric ``threshold``, ``calibration``, ``estimator`` (the call that
    deploys it) and ``scores`` (per strategy group, what the selection saw)."""
    if len(classes) != 2 or result.metric not in _DECISION_METRICS:
        return _flag_probabilities(recommend(result), result)
    objective = Objective(result.metric)
    y01 = (y == positive).astype(np.int64)
    groups: dict[str, list[Strategy]] = {}
    for s in parsed:
        groups.setdefault(s.fit_key, []).append(s)
    folds = [outer[(next(iter(groups)), k)].val for k in range(result.settings["cv"])]
    scores, rows = [], {}
    for key, members in groups.items():
        base = members[0]
        label = base.name.partition("+")[0]
        p = _calibrated_oof(key, base, outer, len(y), y01, positive)
        scores.append(_score(label, p, y01, folds, objective))
        rows[label] = (_row_for(base, members), calibration_kind(base))
    chosen, why = select(scores, objective)
    row, kind = rows[chosen.name]
    reason = _reason(result, chosen, why, row, kind)
    names = [m[0].name.partition("+")[0] for m in groups.values()]
    return {
        "strategy": row.name,
        "reason": reason + ".",
        "threshold": chosen.threshold,
        "calibration": kind,
        "estimator": f"AutoImbalanceClassifier(model, metric={result.metric!r}, "
        f"strategies={names!r})",
        "scores": {s.name: s.as_dict() for s in scores},
    }


def _reason(
    result: ComparisonResult, chosen: CandidateScore, why: str, row: Strategy, kind: str
) -> str:
    if kind == "sigmoid":
        how = "probabilities mapped by a sigmoid fitted out of fold"
    elif row.base == "none":
        how = "the model's own probabilities"
    else:
        how = "probabilities corrected to the true priors"
    reason = (
        f"AutoImbalanceClassifier's choice here: {chosen.name}, {how}, threshold "
        f"{chosen.threshold:.3g} on them: {result.metric} {chosen.value:.3f} "
        f"± {chosen.extra['std']:.3f} over {chosen.extra['n_folds']} folds (threshold chosen "
        f"on the other folds), Brier {chosen.brier:.4f}"
    )
    if ";" in why:
        reason += ";" + why.split(";", 1)[1]
    own_brier = result.summary()[row.name]["brier"]["mean"]
    if row.after != "prior" and row.base != "none" and own_brier > chosen.brier + 0.002:
        reason += (
            f". The row {row.name!r} shows uncorrected probabilities (Brier {own_brier:.4f}): "
            f"use {chosen.name}+prior with the threshold above"
        )
    return reason


def _flag_probabilities(rec: dict[str, Any], result: ComparisonResult) -> dict[str, Any]:
    """Say so when the recommended strategy's probabilities are much worse than the best."""
    summary = result.summary()
    brier = {s: summary[s]["brier"]["mean"] for s in result.strategies}
    best = min(brier, key=lambda s: brier[s])
    mine = brier[rec["strategy"]]
    if math.isfinite(mine) and mine > 1.5 * brier[best] and mine > brier[best] + 0.005:
        rec["reason"] = rec["reason"].rstrip(".") + (
            f". Its probabilities are off (Brier {mine:.4f} against {brier[best]:.4f} for "
            f"{best}): use them to rank, not as probabilities, or add '+prior'."
        )
    return rec
