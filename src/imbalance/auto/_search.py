"""The candidates' out-of-fold probabilities, fold after fold, with successive halving.

Every candidate is fitted on the first fold; only the plain model (the reference the others
must not make worse) and the most promising other candidate go on to the remaining folds.
Each candidate's out-of-fold probabilities are mapped back to the true priors and scored at
the threshold its rule chooses (:mod:`imbalance.auto._select`). A :class:`Blend` candidate
averages the calibrated probabilities of its members, which are fitted like any strategy (a
member shared with another candidate is fitted once).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeAlias

import numpy as np

from .._typing import ArrayLike, Estimator, Label
from ..exceptions import InvalidDataError
from ._candidates import Strategy, calibration_kind
from ._fold_fits import FoldOutput, apply_sigmoid, run_folds, sigmoid_map, to_true_prior
from ._select import CandidateScore, Objective, admissible, score_candidate, select

__all__ = ["FIRST_FOLDS", "Blend", "Candidate", "ThresholdRule", "cross_fit", "members_of"]

FIRST_FOLDS = 1
"""Successive halving: every candidate is fitted on this many folds first."""


@dataclass(frozen=True)
class Blend:
    """A candidate whose probabilities are the mean of its members' calibrated probabilities
    (``"none|smote"``: the plain model and SMOTE, each mapped back to the true priors)."""

    name: str
    members: tuple[Strategy, ...]


Candidate: TypeAlias = Strategy | Blend


def members_of(candidate: Candidate) -> tuple[Strategy, ...]:
    """The strategies a candidate fits: its members, or itself."""
    return candidate.members if isinstance(candidate, Blend) else (candidate,)


def _units(candidates: list[Candidate]) -> list[Strategy]:
    """The strategies to fit for these candidates, each once."""
    out: dict[str, Strategy] = {}
    for c in candidates:
        for m in members_of(c):
            out.setdefault(m.name, m)
    return list(out.values())


@dataclass(frozen=True)
class ThresholdRule:
    """How a threshold is chosen: the weight of the labels in the expected counts (None: the
    metric's default), bootstrap resamples to bag over, their seed, or a fixed threshold."""

    lam: float | None
    n_boot: int
    seed: int
    fixed: float | None = None


def cross_fit(
    candidates: list[Candidate],
    model: Estimator,
    X: ArrayLike,
    labels: np.ndarray,
    positive: Label,
    folds: list[tuple[np.ndarray, np.ndarray]],
    objective: Objective,
    rule: ThresholdRule,
    *,
    n_jobs: int | None,
) -> dict[str, dict[str, Any]]:
    """Per candidate and per blend member: its fold fits (models kept), calibrated out-of-fold
    probabilities (``oof``), ``calibration``, the sigmoid ``map`` (or None), ``score``,
    ``fit_seconds`` and ``dropped`` (False, or when)."""
    y01 = (labels == positive).astype(np.int64)
    state: dict[str, dict[str, Any]] = {
        c.name: {"fits": [], "dropped": False, "fit_seconds": 0.0}
        for c in [*_units(candidates), *candidates]
    }
    first = min(FIRST_FOLDS, len(folds))
    alive = list(candidates)
    for stage in (range(first), range(first, len(folds))):
        units = _units(alive)
        jobs = [(units, folds[k][0], folds[k][1]) for k in stage]
        for outputs in run_folds(jobs, model, X, labels, n_jobs, predict=False, keep=True):
            for u, out in zip(units, outputs, strict=True):
                state[u.name]["fits"].append(out)
                state[u.name]["fit_seconds"] += out.fit_seconds
        alive = _drop_failed(alive, state)
        for u in _units(alive):
            _score(state[u.name], u, y01, positive, objective, rule)
        for c in alive:
            if isinstance(c, Blend):
                _score_blend(state, c, y01, objective, rule)
        if stage.start == 0 and len(alive) > 2 and first < len(folds):
            alive = _halve(alive, state, objective)
    return state


def _drop_failed(alive: list[Candidate], state: dict[str, dict[str, Any]]) -> list[Candidate]:
    """Candidates whose sampler (or a member's) could not resample a fold are left out (with
    why); it is an error only when nothing is left."""
    kept = []
    for c in alive:
        fits = [f for m in members_of(c) for f in state[m.name]["fits"]]
        error = next((f.error for f in fits if f.error), None)
        if error is None:
            kept.append(c)
        else:
            state[c.name]["dropped"] = f"failed on a training fold: {error}"
    if not kept:
        reasons = " ".join(str(state[c.name]["dropped"]) for c in alive)
        raise InvalidDataError(f"no candidate strategy could be fitted: {reasons}")
    return kept


def _score(
    entry: dict[str, Any],
    strategy: Strategy,
    y01: np.ndarray,
    positive: Label,
    objective: Objective,
    rule: ThresholdRule,
) -> None:
    fits: list[FoldOutput] = entry["fits"]
    p = np.full(len(y01), np.nan)
    kind = calibration_kind(strategy)
    entry["map"] = None
    if kind == "prior":
        for f in fits:
            p[f.val] = to_true_prior(*f.positive(positive))
    else:
        raw = np.full(len(y01), np.nan)
        for f in fits:
            raw[f.val] = f.positive(positive)[0]
        keep = np.isfinite(raw)
        entry["map"] = sigmoid_map(raw[keep], y01[keep])
        p[keep] = apply_sigmoid(raw[keep], *entry["map"])
    entry["calibration"], entry["oof"] = kind, p
    entry["score"] = _scored(strategy.name, y01, p, objective, rule)


def _scored(
    name: str, y01: np.ndarray, p: np.ndarray, objective: Objective, rule: ThresholdRule
) -> CandidateScore:
    score = score_candidate(
        name, y01, p, objective, lam=rule.lam, n_boot=rule.n_boot, seed=rule.seed
    )
    if rule.fixed is not None:
        keep = np.isfinite(p)
        score.threshold = rule.fixed
        score.value = objective.at(y01[keep], p[keep], rule.fixed)
    return score


def _score_blend(
    state: dict[str, dict[str, Any]],
    blend: Blend,
    y01: np.ndarray,
    objective: Objective,
    rule: ThresholdRule,
) -> None:
    """A blend's out-of-fold probabilities: the mean of its members' calibrated ones."""
    parts = [state[m.name] for m in blend.members]
    entry = state[blend.name]
    entry["oof"] = np.mean([part["oof"] for part in parts], axis=0)
    kinds = sorted({str(part["calibration"]) for part in parts})
    entry["calibration"] = kinds[0] if len(kinds) == 1 else "/".join(kinds)
    entry["fit_seconds"] = sum(float(part["fit_seconds"]) for part in parts)
    entry["score"] = _scored(blend.name, y01, entry["oof"], objective, rule)


def _halve(
    alive: list[Candidate], state: dict[str, dict[str, Any]], objective: Objective
) -> list[Candidate]:
    """Two survivors: the plain model (the reference every other candidate must not make
    worse) and the best other candidate, admissible ones first; without "none", the best two."""
    scores: list[CandidateScore] = [state[c.name]["score"] for c in alive]
    chosen, _ = select(scores, objective)
    others = [s for s in admissible(scores) if s is not chosen] or [
        s for s in scores if s is not chosen
    ]
    runner = max(others, key=lambda s: objective.sign * s.value)
    keep = {chosen.name, runner.name}
    if "none" in [c.name for c in alive] and "none" not in keep:
        keep = {"none", chosen.name}
    survivors = [c for c in alive if c.name in keep]
    needed = {u.name for u in _units(survivors)}
    for c in alive:
        if c.name not in keep:
            state[c.name]["dropped"] = f"after {FIRST_FOLDS} fold(s)"
        for m in members_of(c):
            if m.name not in needed:
                for fit in state[m.name]["fits"]:
                    fit.model = None  # a dropped candidate's models are not deployed
    return survivors
