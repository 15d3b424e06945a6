"""The comparison's recommendation: what AutoImbalanceClassifier would choose on this data.

For two classes and a decision metric (balanced accuracy, G-mean, F1, MCC), every strategy's
out-of-fold probabilities are mapped back to the true priors (the correction the estimator
applies), a threshold is chosen by the estimator's rule on the other folds and scored on each
fold, and the estimator's selection picks the strategy: the best decisions among strategies whose
probabilities are as good as the best. Where the estimator does not choose for this model (its
default for gradient boosting is the blend ``none|smote``), that default, when compared, is the
recommendation, with what scored better here. The recommendation names the calibrated variant, so it
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
from ..auto._search import Blend
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
    rows: list[Strategy | Blend],
    outer: dict[tuple[str, int], FoldOutput],
    y: np.ndarray,
    classes: np.ndarray,
    positive: Label,
    default: str | None = None,
) -> dict[str, Any]:
    """The recommendation dict: ``strategy`` (a listed name), ``reason``, and for two classes
    and a decision metric ``threshold``, ``calibration``, ``estimator`` (the call that
    deploys it) and ``scores`` (per strategy group and blend, what the selection saw).

    ``default`` names the candidate AutoImbalanceClassifier deploys for this model without
    choosing (``"none|smote"`` for gradient boosting); when it is a row, it is the
    recommendation, as it is the estimator's."""
    if len(classes) != 2 or result.metric not in _DECISION_METRICS:
        return _flag_probabilities(recommend(result), result)
    objective = Objective(result.metric)
    y01 = (y == positive).astype(np.int64)
    groups: dict[str, list[Strategy]] = {}
    for s in rows:
        if isinstance(s, Strategy):
            groups.setdefault(s.fit_key, []).append(s)
    blends = [s for s in rows if isinstance(s, Blend)]
    first = next(iter(groups)) if groups else blends[0].members[0].fit_key
    folds = [outer[(first, k)].val for k in range(result.settings["cv"])]
    scores: list[CandidateScore] = []
    rows_of: dict[str, tuple[Strategy | Blend, str]] = {}
    oof: dict[str, np.ndarray] = {}
    for key, members in groups.items():
        base = members[0]
        label = base.name.partition("+")[0]
        oof[key] = _calibrated_oof(key, base, outer, len(y), y01, positive)
        scores.append(_score(label, oof[key], y01, folds, objective))
        rows_of[label] = (_row_for(base, members), calibration_kind(base))
    for b in blends:
        parts = [
            oof[m.fit_key]
            if m.fit_key in oof
            else _calibrated_oof(m.fit_key, m, outer, len(y), y01, positive)
            for m in b.members
        ]
        scores.append(_score(b.name, np.mean(parts, axis=0), y01, folds, objective))
        rows_of[b.name] = (b, "prior")
    names = [s.name for s in scores]
    if default is not None and default in rows_of:
        chosen = next(s for s in scores if s.name == default)
        why = _why_default(chosen, scores, objective)
        call = f"AutoImbalanceClassifier(model, metric={result.metric!r})"
    else:
        chosen, why = select(scores, objective)
        why = why.split(";", 1)[1] if ";" in why else ""
        call = f"AutoImbalanceClassifier(model, metric={result.metric!r}, strategies={names!r})"
    row, kind = rows_of[chosen.name]
    return {
        "strategy": row.name,
        "reason": _reason(result, chosen, why, row, kind) + ".",
        "threshold": chosen.threshold,
        "calibration": kind,
        "estimator": call,
        "scores": {s.name: s.as_dict() for s in scores},
    }


def _why_default(chosen: CandidateScore, scores: list[CandidateScore], objective: Objective) -> str:
    """The selection's words for the estimator's default, and what scored better here."""
    reason = " the estimator's default for this model (it does not choose)"
    best = max(scores, key=lambda s: objective.sign * s.value)
    ref = next((s for s in scores if s.name == "none"), None)
    if ref is not None:
        worse = []
        if chosen.brier > ref.brier:
            worse.append(f"Brier {chosen.brier:.4f} against {ref.brier:.4f}")
        if chosen.average_precision < ref.average_precision:
            worse.append(
                f"average precision {chosen.average_precision:.3f} against "
                f"{ref.average_precision:.3f}"
            )
        if worse:
            reason += (
                f"; its probabilities are worse than the plain model's here ({', '.join(worse)})"
            )
    if best is not chosen and objective.sign * (best.value - chosen.value) > 0:
        reason += (
            f"; {best.name} scores higher on these folds ({objective.metric} {best.value:.3f}), "
            "but choosing among strategies by a few folds follows their noise: this default won "
            "on average over the benchmark's data sets (docs/recommendation.md)"
        )
    return reason


def _reason(
    result: ComparisonResult,
    chosen: CandidateScore,
    why: str,
    row: Strategy | Blend,
    kind: str,
) -> str:
    if isinstance(row, Blend):
        how = "the mean of its members' probabilities corrected to the true priors"
    elif kind == "sigmoid":
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
    if why:
        reason += ";" + why
    own_brier = result.summary()[row.name]["brier"]["mean"]
    if isinstance(row, Blend):
        return reason
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
