"""Choose a decision threshold and a strategy from out-of-fold probabilities (no fitting here).

Both :class:`~imbalance.auto.AutoImbalanceClassifier` (on its inner folds) and
:func:`~imbalance.report.compare_strategies` (on its folds) hand this module calibrated
out-of-fold probabilities of the positive class, one array per candidate strategy.

The threshold is the argmax of a metric curve whose confusion counts are *expected* counts: each
row counts as ``lam`` of its label plus ``1 - lam`` of its calibrated probability. With
``lam = 1`` this is the empirical curve (what ``TunedThresholdClassifierCV`` maximises), a step
function that, with 10 to 30 rows of the rare class, jumps by a whole row at a time and whose
argmax follows the noise; with ``lam = 0`` it is the curve the model itself expects, smooth,
unbiased when the probabilities are calibrated, and for a cost matrix its argmin is the
cost-optimal threshold of Elkan (2001). The default takes half of each, and the median of that
argmax over bootstrap resamples of the rows. docs/recommendation.md gives the numbers behind it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .._typing import ArrayLike
from ..metrics import confusion_at_thresholds, metric_from_counts

__all__ = [
    "LAM",
    "N_BOOT",
    "CandidateScore",
    "Objective",
    "admissible",
    "average_precision",
    "choose_threshold",
    "score_candidate",
    "select",
]


LAM = 0.5
"""Weight of the labels in the expected counts (the rest: the calibrated probabilities), for
MCC, F-beta and costs. Balanced accuracy and G-mean weigh each class equally, so the expected
curve leans on the many small probabilities of the common class, whose calibration in the tail
is the least reliable: they use the labels alone (``lam = 1``), bagged as well."""
_LABELS_ONLY = ("balanced_accuracy", "g_mean")
N_BOOT = 30
"""Bootstrap resamples whose argmax thresholds are bagged (their median)."""


def average_precision(y01: np.ndarray, p: np.ndarray) -> float:
    """scikit-learn's average precision (``sum((R_n - R_{n-1}) P_n)`` over distinct scores)
    from one sort, without its per-call checks; NaN without positives or negatives."""
    if not 0 < y01.sum() < len(y01):
        return float("nan")
    _, _, fp, _, tp = confusion_at_thresholds(y01, p, pos_label=1)
    tp, fp = tp.astype(np.float64), fp.astype(np.float64)
    precision = np.divide(tp, tp + fp, out=np.ones_like(tp), where=(tp + fp) > 0)
    return float(np.sum(np.diff(tp / tp[-1]) * precision[1:]))


@dataclass(frozen=True)
class Objective:
    """The metric a threshold optimises: its name, ``beta`` and ``cost_matrix``."""

    metric: str = "mcc"
    beta: float = 1.0
    cost_matrix: ArrayLike | None = None

    @property
    def lam(self) -> float:
        """The weight of the labels in the expected counts this metric's threshold uses."""
        return 1.0 if self.metric in _LABELS_ONLY else LAM

    @property
    def sign(self) -> float:
        """+1 for higher-is-better metrics, -1 for ``"cost"``."""
        return -1.0 if self.metric == "cost" else 1.0

    def of_counts(self, tn: ArrayLike, fp: ArrayLike, fn: ArrayLike, tp: ArrayLike) -> np.ndarray:
        return metric_from_counts(
            self.metric, tn, fp, fn, tp, beta=self.beta, cost_matrix=self.cost_matrix
        )

    def at(self, y: np.ndarray, p: np.ndarray, threshold: float) -> float:
        """The metric of the rule ``p >= threshold`` against 0/1 labels ``y``."""
        pred = p >= threshold
        tp = float(np.sum(pred & (y == 1)))
        fp = float(np.sum(pred)) - tp
        fn = float(np.sum(y == 1)) - tp
        tn = float(len(y)) - tp - fp - fn
        return float(self.of_counts(tn, fp, fn, tp))


def _curves(
    y: np.ndarray, p: np.ndarray, lam: float, objective: Objective, weights: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Midpoint thresholds between distinct probabilities, and the metric of expected counts
    there for each row of ``weights`` (one weighting of the rows per curve: a bootstrap
    resample is a weighting by how often each row was drawn)."""
    order = np.argsort(-p, kind="stable")
    p_desc = p[order]
    z = lam * y[order] + (1.0 - lam) * p_desc
    w = weights[:, order]
    zero = np.zeros((len(w), 1))
    tp_cum = np.concatenate([zero, np.cumsum(w * z, axis=1)], axis=1)
    fp_cum = np.concatenate([zero, np.cumsum(w, axis=1)], axis=1) - tp_cum
    ends = np.concatenate([np.flatnonzero(np.diff(p_desc) != 0) + 1, [len(p_desc)]])
    k = np.concatenate([[0], ends])
    tp, fp = tp_cum[:, k], fp_cum[:, k]
    values = objective.of_counts(fp_cum[:, -1:] - fp, fp, tp_cum[:, -1:] - tp, tp)
    # the rule p >= t reproduces the counts at k for any t in (next lower value, value at k]
    upper = np.concatenate([[np.inf], p_desc[ends - 1]])
    lower = np.concatenate([p_desc[ends - 1], [-np.inf]])
    with np.errstate(invalid="ignore"):
        mid = (upper + lower) / 2
    mid[0] = min(1.0, p_desc[0] + 1e-12) if p_desc[0] < 1.0 else np.inf
    mid[-1] = p_desc[-1]
    return mid, objective.sign * values


def _argmax_thresholds(t: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Per curve (row of ``values``), the middle of the thresholds that reach its maximum."""
    best = values >= values.max(axis=1, keepdims=True) - 1e-12
    rank = np.cumsum(best, axis=1)
    middle = (best.sum(axis=1, keepdims=True) + 1) // 2  # the ceil(n/2)-th best, 1-based
    return np.asarray(t[np.argmax(best & (rank == middle), axis=1)])


def choose_threshold(
    y: np.ndarray,
    p: np.ndarray,
    objective: Objective,
    *,
    lam: float | None = None,
    n_boot: int = N_BOOT,
    seed: int = 0,
) -> float:
    """The threshold on calibrated probabilities ``p`` that maximises the expected-count curve;
    with ``n_boot``, the median of that argmax over bootstrap resamples of the rows (bagging
    the argmax: its jumps from one noisy row to the next average out).

    ``y`` holds 0/1 labels (1 the positive class), ``p`` calibrated P(positive) out of fold;
    rows whose ``p`` is NaN are left out.
    """
    keep = np.isfinite(p)
    yk, pk = y[keep].astype(np.float64), p[keep]
    lam = objective.lam if lam is None else lam
    n = len(yk)
    if n_boot <= 0:
        weights = np.ones((1, n))
    else:
        draws = np.random.default_rng(seed).integers(0, n, size=(n_boot, n))
        flat = (draws + n * np.arange(n_boot)[:, None]).ravel()
        weights = np.bincount(flat, minlength=n_boot * n).reshape(n_boot, n).astype(np.float64)
    t, values = _curves(yk, pk, lam, objective, weights)
    return float(np.median(_argmax_thresholds(t, values)))


@dataclass
class CandidateScore:
    """What the out-of-fold probabilities of one candidate say."""

    name: str
    threshold: float
    value: float
    brier: float
    average_precision: float
    n_scored: int
    extra: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "threshold": self.threshold,
            "value": self.value,
            "brier": self.brier,
            "average_precision": self.average_precision,
            "n_scored": self.n_scored,
            **self.extra,
        }


def score_candidate(
    name: str,
    y: np.ndarray,
    p: np.ndarray,
    objective: Objective,
    *,
    lam: float | None = None,
    n_boot: int = N_BOOT,
    seed: int = 0,
) -> CandidateScore:
    """Threshold, metric at that threshold, Brier score and average precision, out of fold.

    Rows whose probability is NaN (not scored yet) are left out.
    """
    keep = np.isfinite(p)
    yk, pk = y[keep].astype(np.float64), p[keep]
    threshold = choose_threshold(yk, pk, objective, lam=lam, n_boot=n_boot, seed=seed)
    ap = average_precision(yk, pk)
    return CandidateScore(
        name=name,
        threshold=threshold,
        value=objective.at(yk, pk, threshold),
        brier=float(np.mean((pk - yk) ** 2)),
        average_precision=ap,
        n_scored=int(keep.sum()),
    )


def admissible(scores: list[CandidateScore], reference: str = "none") -> list[CandidateScore]:
    """The candidates whose probabilities are no worse than the plain model's (``reference``):
    a Brier score no higher and an average precision no lower, out of fold. All of them when
    ``reference`` is not among the candidates."""
    ref = next((s for s in scores if s.name == reference), None)
    if ref is None:
        return list(scores)
    return [
        s
        for s in scores
        if s is ref or (s.brier <= ref.brier and s.average_precision >= ref.average_precision)
    ]


def select(
    scores: list[CandidateScore], objective: Objective, *, reference: str = "none"
) -> tuple[CandidateScore, str]:
    """The candidate to deploy, and why: the best metric at its threshold among the
    candidates whose probabilities are no worse than the plain model's (:func:`admissible`);
    ties go to the one listed first. Every candidate's probabilities are already mapped back to
    the true priors, so "worse" means less sharp or less well ranked, not shifted."""
    order = {id(s): i for i, s in enumerate(scores)}

    def rank(group: list[CandidateScore]) -> list[CandidateScore]:
        return sorted(group, key=lambda s: (-objective.sign * s.value, order[id(s)]))

    chosen = rank(admissible(scores, reference))[0]
    best = rank(scores)[0]
    reason = (
        f"{objective.metric} {chosen.value:.3f} out of fold at threshold {chosen.threshold:.3g}, "
        f"Brier {chosen.brier:.4f}, average precision {chosen.average_precision:.3f}"
    )
    if best is not chosen:
        reason += (
            f"; {best.name} decides better ({objective.metric} {best.value:.3f}) but its "
            f"probabilities are worse than the plain model's (Brier {best.brier:.4f}, "
            f"average precision {best.average_precision:.3f})"
        )
    return chosen, reason
