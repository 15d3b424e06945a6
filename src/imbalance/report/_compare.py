"""compare_strategies: every strategy, cross-validated with resampling in training folds only."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeAlias

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import precision_recall_curve
from sklearn.model_selection import StratifiedKFold

from .. import _containers
from .._typing import ArrayLike, Estimator, Label, Target
from .._validation import encode_target
from ..auto._candidates import (
    SAMPLER_NAMES,
    Strategy,
    adapt_neighbours,
    parse_strategies,
    split_model,
    with_sampler,
)
from ..auto._fold_fits import FoldOutput
from ..auto._search import Blend
from ..exceptions import InvalidDataError, InvalidParameterError
from ._blends import blend_output, split_blends
from ._curves import calibration_bins, confusion_counts
from ._encoded import encode_for_folds
from ._engine import apply_after, run_fits, tuned_column, tuned_threshold
from ._metrics import METRICS, compute_metrics
from ._models import categorical_columns, make_model
from ._recommend import recommend_with_estimator
from ._result import ComparisonResult

__all__ = ["DEFAULT_STRATEGIES", "compare_strategies", "default_strategies"]

# the metric a "+threshold" strategy tunes for each ranking metric (threshold-free ones and
# balanced accuracy: balanced accuracy)
_TUNED_METRIC = {"g_mean": "g_mean", "f1": "f1", "mcc": "mcc"}

Row: TypeAlias = Strategy | Blend
"""A row of the comparison: a strategy, or a blend of strategies' probabilities."""

DEFAULT_STRATEGIES = (
    "none",
    "none+threshold",
    "weights",
    "rus",
    "rus+prior",
    "ros",
    "smote",
)


def default_strategies(X: ArrayLike, estimator: Estimator | None = None) -> list[str]:
    """The default set: SMOTE only when every feature is numeric (it interpolates); with
    gradient boosting (``HistGradientBoostingClassifier``, alone or last in a pipeline) no class
    weights (its binning of weighted rows makes fits 10-100x slower, and the estimator leaves
    them out too) and, with SMOTE, the blend ``"none|smote"``, what
    :class:`~imbalance.auto.AutoImbalanceClassifier` deploys by default for that model.

    Examples
    --------
    >>> from sklearn.ensemble import HistGradientBoostingClassifier
    >>> from imbalance.report import default_strategies
    >>> default_strategies([[0.5, 1.0]])
    ['none', 'none+threshold', 'weights', 'rus', 'rus+prior', 'ros', 'smote']
    >>> default_strategies([[0.5, 1.0]], HistGradientBoostingClassifier())
    ['none', 'none+threshold', 'rus', 'rus+prior', 'ros', 'smote', 'none|smote']
    """
    import imbalance.samplers as samplers

    numeric_only = not categorical_columns(X)
    names = [
        s
        for s in DEFAULT_STRATEGIES
        if s != "smote" or (numeric_only and hasattr(samplers, SAMPLER_NAMES["smote"]))
    ]
    clf = split_model(estimator)[1] if estimator is not None else None
    if isinstance(clf, HistGradientBoostingClassifier):
        names.remove("weights")
        if "smote" in names:
            names.append("none|smote")
    return names


def _deployed_by_default(model: Estimator, X: ArrayLike) -> str | None:
    """The candidate AutoImbalanceClassifier deploys for this model without choosing (its
    default when that is one candidate: the blend ``none|smote`` for gradient boosting)."""
    from ..auto import default_candidates

    if not isinstance(split_model(model)[1], HistGradientBoostingClassifier):
        return None  # the estimator chooses among its candidates for every other model
    candidates = default_candidates(model, X)
    return candidates[0] if len(candidates) == 1 else None


def compare_strategies(
    X: ArrayLike,
    y: Target,
    *,
    strategies: Sequence[Any] | dict[str, Any] | None = None,
    estimator: Estimator | str | None = None,
    cv: int = 5,
    scoring: str = "balanced_accuracy",
    n_jobs: int | None = None,
    random_state: int | None = 0,
    dataset_name: str = "data",
    progress: Callable[[int, int, str], None] | None = None,
) -> ComparisonResult:
    """Cross-validate ways of handling the imbalance and say which to use.

    Every strategy is fitted on the training part of each fold only; validation rows are
    never resampled or reweighted. Out-of-fold probabilities give the PR and calibration curves.

    Parameters
    ----------
    X : {array-like, DataFrame} of shape (n_samples, n_features)
        Mixed types and missing values are fine with the default model.
    y : array-like of shape (n_samples,)
    strategies : list or dict, default=None
        Names (``"none"``, ``"weights"``, ``"rus"``, ``"ros"``, ``"smote"``, ... each optionally
        with ``"+prior"`` or ``"+threshold"``), sampler objects, or a dict {name: either}.
        Names joined by ``|`` (``"none|smote"``) are a blend: the mean of the members'
        probabilities, each corrected to the true priors, as AutoImbalanceClassifier blends
        them (the members are fitted once, shared with their own rows).
        Default: :func:`default_strategies` for this X and model.
    estimator : classifier or {"logistic", "hgb", "rf"}, default=None
        The model; a scikit-learn Pipeline's preprocessing runs before the sampler. A name
        is :func:`make_model`'s model of that kind for this X, whose preprocessing runs on X
        encoded once (the same numbers as fitting it fold by fold, in a fraction of the time).
        Default: ``"logistic"`` (imputation, scaling and one-hot encoding, then logistic
        regression).
    cv : int, default=5
        Number of stratified folds (shuffled with ``random_state``).
    scoring : str, default="balanced_accuracy"
        The metric strategies are ranked by, one of ``METRICS``; tuned thresholds optimise it
        when it depends on the threshold (balanced accuracy otherwise).
    n_jobs : int, default=None
        Fits (strategy x fold, and the inner folds of tuned thresholds) run in parallel with
        joblib; each fit uses one thread. Strategies that share a model (``rus`` and
        ``rus+prior``, ``none`` and ``none+threshold``) share its fits.
    random_state : int or None, default=0
        Seeds the folds, the samplers and the model.
    dataset_name : str, default="data"
        Shown in reports.
    progress : callable, default=None
        Called as ``progress(done, total, label)`` after each fit.

    Returns
    -------
    ComparisonResult

    Examples
    --------
    >>> from imbalance.datasets import load_yeast4
    >>> from imbalance.report import compare_strategies
    >>> X, y = load_yeast4(return_X_y=True)
    >>> result = compare_strategies(X, y, strategies=["none", "rus"], cv=3)
    >>> sorted(result.summary()["rus"])[:3]
    ['average_precision', 'balanced_accuracy', 'brier']
    """
    if scoring not in METRICS:
        raise InvalidParameterError(
            f"scoring={scoring!r} is not reported; use one of {', '.join(METRICS)}."
        )
    X, n_samples, n_features = _check_X(X)
    y_arr = _containers.target_to_numpy(_containers.as_supported(y))
    if y_arr.ndim != 1 or len(y_arr) != n_samples:
        raise InvalidDataError(
            f"y must hold one label per row of X ({n_samples}); got shape {y_arr.shape}."
        )
    target = encode_target(y_arr)
    classes = np.asarray(target.classes)
    positive = classes[int(np.argmin(target.counts))]
    _check_folds(target.class_counts, cv)
    model, fit_model, X_fit = _model(X, estimator, random_state)
    specs = default_strategies(X, model) if strategies is None else strategies
    plain, blends, slots = split_blends(specs, random_state)
    parsed = parse_strategies(plain, random_state) if plain or not blends else []
    folds = list(
        StratifiedKFold(cv, shuffle=True, random_state=random_state).split(
            np.zeros(n_samples), y_arr
        )
    )
    _check_thresholds(parsed, len(classes))
    members = [m for b in blends for m in b.members]
    adapted, notes = _adapt_to_folds([*parsed, *members], y_arr, folds)
    rows = _rows(slots, adapted[: len(parsed)], blends, adapted[len(parsed) :], notes)
    groups: dict[str, Strategy] = {}
    for row in rows:
        for s in row.members if isinstance(row, Blend) else (row,):
            groups.setdefault(s.fit_key, s)
    tuned = {s.fit_key for s in rows if isinstance(s, Strategy) and s.after == "threshold"}
    outer, inner = run_fits(
        groups, tuned, fit_model, X_fit, y_arr, folds, random_state, n_jobs, progress
    )
    rows = _drop_failed(rows, [*outer.items(), *inner.items()], notes)
    records, oof = _assemble(rows, outer, inner, y_arr, folds, classes, positive, scoring)
    result = ComparisonResult(
        dataset=_describe(dataset_name, target, n_features, positive),
        metric=scoring,
        strategies=[s.name for s in rows],
        folds=records,
        curves={s.name: _curves(y_arr, oof[s.name], classes, positive) for s in rows},
        settings={"model": _describe_model(model), "cv": cv, "random_state": random_state},
        notes=notes,
    )
    result.recommendation = recommend_with_estimator(
        result, rows, outer, y_arr, classes, positive, _deployed_by_default(model, X)
    )
    return result


def _model(
    X: ArrayLike, estimator: Estimator | str | None, random_state: int | None
) -> tuple[Estimator, Estimator, ArrayLike]:
    """(the model reported, the model fitted fold by fold, the X it is fitted on)."""
    if estimator is not None and not isinstance(estimator, str):
        return estimator, estimator, X
    model = make_model(X, estimator or "logistic", random_state=random_state)
    return (model, *encode_for_folds(X, model))


def _check_thresholds(parsed: list[Strategy], n_classes: int) -> None:
    for s in parsed:
        if s.after == "threshold" and n_classes != 2:
            raise InvalidParameterError(
                f"strategy {s.name!r}: threshold tuning needs two classes, y has {n_classes}."
            )


def _adapt_to_folds(
    parsed: list[Strategy], y: np.ndarray, folds: list[tuple[np.ndarray, np.ndarray]]
) -> tuple[list[Strategy | None], list[str]]:
    """SMOTE-family samplers with neighbour counts that the smallest training folds allow
    (inner tuning folds included), None where no count would do; and notes (each once)."""
    notes: list[str] = []
    smallest = min(int(np.min(np.unique(y[train], return_counts=True)[1])) for train, _ in folds)
    inner = (smallest * 2) // 3  # the training part of three inner folds
    out: list[Strategy | None] = []
    for s in parsed:
        if s.base != "sampler":
            out.append(s)
            continue
        rows = inner if s.after == "threshold" else smallest
        sampler, note = adapt_neighbours(s.sampler, rows)
        if note is not None and f"{s.name}: {note}" not in notes:
            notes.append(f"{s.name}: {note}")
        out.append(None if sampler is None else with_sampler(s, sampler))
    return out, notes


def _rows(
    slots: list[str | None],
    parsed: list[Strategy | None],
    blends: list[Blend],
    members: list[Strategy | None],
    notes: list[str],
) -> list[Row]:
    """The rows in the order given: strategies, and blends with their adapted members; a
    blend whose member is left out is left out too."""
    adapted = iter(members)
    by_name: dict[str, Blend | None] = {}
    for b in blends:
        kept = [next(adapted) for _ in b.members]
        if any(m is None for m in kept):
            notes.append(f"{b.name} left out: a member is.")
            by_name[b.name] = None
        else:
            by_name[b.name] = Blend(b.name, tuple(m for m in kept if m is not None))
    plain = iter(parsed)
    rows: list[Row] = []
    for slot in slots:
        row = next(plain) if slot is None else by_name[slot]
        if row is not None:
            rows.append(row)
    names = [r.name for r in rows]
    if len(set(names)) != len(names):
        raise InvalidParameterError(f"strategy names must be unique; got {names}.")
    if not rows:
        raise InvalidDataError("no strategy is left to compare: " + " ".join(notes))
    return rows


def _keys(row: Row) -> list[str]:
    """The fit keys a row's numbers come from."""
    return [m.fit_key for m in row.members] if isinstance(row, Blend) else [row.fit_key]


def _drop_failed(
    rows: list[Row], outputs: list[tuple[tuple[Any, ...], FoldOutput]], notes: list[str]
) -> list[Row]:
    """Strategies whose sampler could not resample a training fold are left out, with a
    note; a comparison fails only when nothing is left."""
    errors = {ident[0]: out.error for ident, out in outputs if out.error}
    kept = []
    for s in rows:
        failed = [errors[key] for key in _keys(s) if key in errors]
        if failed:
            notes.append(f"{s.name} left out: a training fold could not be resampled: {failed[0]}")
        else:
            kept.append(s)
    if not kept:
        raise InvalidDataError("no strategy could be fitted: " + " ".join(notes))
    return kept


def _assemble(
    rows: list[Row],
    outer: dict[tuple[str, int], FoldOutput],
    inner: dict[tuple[str, int, int], FoldOutput],
    y: np.ndarray,
    folds: list[tuple[np.ndarray, np.ndarray]],
    classes: np.ndarray,
    positive: Label,
    scoring: str,
) -> tuple[list[dict[str, Any]], dict[str, np.ndarray]]:
    metric = _TUNED_METRIC.get(scoring, "balanced_accuracy")
    column = tuned_column(metric, positive, classes)
    records: list[dict[str, Any]] = []
    oof = {s.name: np.full((len(y), len(classes)), np.nan) for s in rows}
    for s in rows:
        for k in range(len(folds)):
            outs = [outer[(key, k)] for key in _keys(s)]
            out = outs[0]
            seconds = sum(o.fit_seconds for o in outs)
            if isinstance(s, Blend):
                proba, pred = blend_output(outs)
                used = 0.5
            else:
                threshold = None
                if s.after == "threshold":
                    tuning = [v for (key, f, _), v in inner.items() if key == s.fit_key and f == k]
                    threshold = tuned_threshold(metric, column, classes, y, tuning)
                    seconds += sum(t.fit_seconds + t.predict_seconds for t in tuning)
                proba, pred, used = apply_after(s, out, threshold, column)
            y_val = y[out.val]
            records.append(
                {
                    "strategy": s.name,
                    "fold": k,
                    **compute_metrics(y_val, proba, pred, classes, positive),
                    "threshold": used,
                    "fit_seconds": seconds,
                    "predict_seconds": sum(o.predict_seconds for o in outs),
                    "confusion": confusion_counts(y_val, pred, classes),
                }
            )
            oof[s.name][out.val] = proba
    return records, oof


def _check_X(X: ArrayLike) -> tuple[Any, int, int]:
    X = _containers.as_supported(X)
    n_samples, n_features = _containers.shape_2d(X)
    if isinstance(X, list):
        X = np.asarray(X, dtype=object)
    return X, n_samples, n_features


def _check_folds(counts: dict[Any, int], cv: int) -> None:
    if len(counts) < 2:
        only = next(iter(counts))
        raise InvalidDataError(
            f"y holds one class only ({only!r}); a comparison needs two or more."
        )
    small = {c: n for c, n in counts.items() if n < cv}
    if small:
        cls, n = next(iter(small.items()))
        raise InvalidDataError(
            f"class {cls!r} has {n} row(s) but cv={cv} needs at least {cv} of every class "
            f"(one per validation fold). Lower cv to {max(2, min(counts.values()))} "
            "or gather more data."
        )


def _curves(
    y: np.ndarray, proba: np.ndarray, classes: np.ndarray, positive: Label
) -> dict[str, dict[str, list[float]]]:
    k = int(np.flatnonzero(classes == positive)[0])
    y_pos, p_pos = (y == positive).astype(int), proba[:, k]
    precision, recall, _ = precision_recall_curve(y_pos, p_pos)
    keep = np.unique(np.linspace(0, len(precision) - 1, min(len(precision), 200)).astype(int))
    return {
        "pr": {"precision": precision[keep].tolist(), "recall": recall[keep].tolist()},
        "calibration": calibration_bins(y_pos, p_pos),
    }


def _describe(name: str, target: Any, n_features: int, positive: Label) -> dict[str, Any]:
    counts = [[_plain(c), int(n)] for c, n in target.class_counts.items()]
    return {
        "name": name,
        "n_samples": int(target.counts.sum()),
        "n_features": n_features,
        "class_counts": counts,
        "positive_label": _plain(positive),
        "imbalance_ratio": float(target.counts.max() / target.counts.min()),
    }


def _plain(value: Any) -> Any:
    return value.item() if isinstance(value, np.generic) else value


def _describe_model(model: Estimator) -> str:
    steps = getattr(model, "steps", None)
    if steps:
        return " → ".join(type(step).__name__ for _, step in steps)
    return type(model).__name__
