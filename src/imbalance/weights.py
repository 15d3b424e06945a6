"""Class and per-row weights: the alternative to resampling.

Schemes, for a class ``c`` with ``n_c`` of the ``n`` rows among ``C`` classes:

- ``"balanced"``: ``n / (C * n_c)``, equal to scikit-learn's ``compute_class_weight("balanced")``.
- ``"inverse"``: ``n / n_c`` (the inverse frequency).
- ``"sqrt_inverse"``: ``sqrt(n / n_c)``, a softer re-weighting.
- ``"effective_number"``: ``(1 - beta) / (1 - beta ** n_c)`` scaled to sum to ``C``
  (Cui et al., 2019). ``beta = 0`` gives equal weights, ``beta -> 1`` the inverse frequency.
- ``"median_frequency"``: ``median_k(f_k) / f_c`` with ``f_c = n_c / n`` (Eigen and Fergus, 2015).

**Why the scale matters differently per loss.** ``torch.nn.functional.cross_entropy(weight=w)``
with ``reduction="mean"`` divides by the sum of the weights of the batch's targets, so multiplying
every weight by 10 changes nothing: only the ratios between classes count. scikit-learn's
``sample_weight`` and ``binary_cross_entropy_with_logits(weight=w)`` / ``pos_weight`` divide by the
number of elements instead, so the scale of the weights multiplies the gradient: ``"inverse"``
weights (mean ``C``) act like a larger learning rate (or a weaker regularisation ``C`` in
scikit-learn) than ``"balanced"`` weights (mean 1 over rows). Prefer ``"balanced"`` unless you
also tune the learning rate or the regularisation.

References
----------
.. [1] Y. Cui, M. Jia, T.-Y. Lin, Y. Song and S. Belongie, "Class-Balanced Loss Based on
   Effective Number of Samples", CVPR 2019.
.. [2] D. Eigen and R. Fergus, "Predicting Depth, Surface Normals and Semantic Labels with a
   Common Multi-Scale Convolutional Architecture", ICCV 2015.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

import numpy as np

from ._containers import target_to_numpy
from ._numeric import check_class_weight
from ._strategy import resolve_sampling_strategy
from ._typing import SamplingKind, SamplingStrategy
from ._validation import encode_target
from .exceptions import InvalidDataError, InvalidParameterError
from .multilabel import label_pos_weight, label_weights, multilabel_sample_weights

__all__ = [
    "SCHEMES",
    "class_weights",
    "label_pos_weight",
    "label_weights",
    "multilabel_sample_weights",
    "pos_weight",
    "sample_weights",
    "strategy_weights",
    "weights_from_counts",
]

Scheme = Literal["balanced", "inverse", "sqrt_inverse", "effective_number", "median_frequency"]
SCHEMES: tuple[str, ...] = (
    "balanced",
    "inverse",
    "sqrt_inverse",
    "effective_number",
    "median_frequency",
)


def weights_from_counts(
    class_counts: Sequence[float] | np.ndarray, *, scheme: Scheme = "balanced", beta: float = 0.999
) -> np.ndarray:
    """Weight of each class from its count, in the order given.

    Parameters
    ----------
    class_counts : sequence of int of shape (n_classes,)
        Number of rows of each class; every count must be positive.
    scheme : {"balanced", "inverse", "sqrt_inverse", "effective_number", "median_frequency"}
        How counts become weights (see the module docstring).
    beta : float in [0, 1), default=0.999
        Used by ``"effective_number"`` only.

    Returns
    -------
    weights : ndarray of shape (n_classes,), float64

    Examples
    --------
    >>> from imbalance.weights import weights_from_counts
    >>> weights_from_counts([900, 100]).round(3).tolist()
    [0.556, 5.0]
    >>> weights_from_counts([900, 100], scheme="inverse").round(3).tolist()
    [1.111, 10.0]
    """
    counts = _check_counts(class_counts)
    if scheme not in SCHEMES:
        raise InvalidParameterError(
            f"scheme={scheme!r} is not a weighting scheme; "
            f"use one of {', '.join(map(repr, SCHEMES))}."
        )
    n, n_classes = counts.sum(), counts.size
    if scheme == "balanced":
        return n / (n_classes * counts)
    if scheme == "inverse":
        return n / counts
    if scheme == "sqrt_inverse":
        return np.sqrt(n / counts)
    if scheme == "median_frequency":
        freq = counts / n
        return np.median(freq) / freq
    return _effective_number(counts, beta)


def _effective_number(counts: np.ndarray, beta: float) -> np.ndarray:
    if not (isinstance(beta, int | float) and 0.0 <= beta < 1.0):
        raise InvalidParameterError(
            f"beta={beta!r} must be a float in [0, 1) for scheme='effective_number'; "
            "values such as 0.99, 0.999 or 0.9999 are usual."
        )
    # 1 - beta**n computed as -expm1(n log beta) keeps precision for beta close to 1.
    effective = -np.expm1(counts * np.log(beta)) if beta > 0 else np.ones_like(counts)
    raw = (1.0 - beta) / effective
    return raw * (counts.size / raw.sum())


def _check_counts(class_counts: Any) -> np.ndarray:
    counts = np.asarray(class_counts, dtype=np.float64)
    if counts.ndim != 1 or counts.size == 0:
        raise InvalidDataError(
            "class_counts must be a 1-D sequence with one count per class; "
            f"got shape {counts.shape}."
        )
    bad = np.flatnonzero(~np.isfinite(counts) | (counts <= 0))
    if bad.size:
        raise InvalidDataError(
            f"class_counts must be positive; class at position {int(bad[0])} has count "
            f"{counts[bad[0]]!r}. Drop empty classes or merge them before weighting."
        )
    return counts


def class_weights(y: Any, *, scheme: Scheme = "balanced", beta: float = 0.999) -> dict[Any, float]:
    """Weight of each class of ``y``, ready for ``class_weight=`` in scikit-learn.

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        Class labels (array, list, pandas or polars Series).
    scheme : {"balanced", "inverse", "sqrt_inverse", "effective_number", "median_frequency"}
        How counts become weights (see the module docstring).
    beta : float in [0, 1), default=0.999
        Used by ``"effective_number"`` only.

    Returns
    -------
    class_weight : dict of {class_label: float}
        In sorted label order, so ``list(w.values())`` lines up with ``np.unique(y)``.

    Examples
    --------
    >>> from imbalance.weights import class_weights
    >>> class_weights([0] * 9 + [1])
    {0: 0.5555555555555556, 1: 5.0}
    """
    target = encode_target(target_to_numpy(y))
    values = weights_from_counts(target.counts, scheme=scheme, beta=beta)
    return dict(zip(target.classes, values.tolist(), strict=True))


def sample_weights(
    y: Any,
    *,
    scheme: Scheme = "balanced",
    beta: float = 0.999,
    class_weight: Mapping[Any, float] | None = None,
) -> np.ndarray:
    """One weight per row: the weight of the row's class.

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        Class labels.
    scheme, beta
        As in :func:`class_weights`; ignored when ``class_weight`` is given.
    class_weight : dict of {class_label: float}, default=None
        Explicit weights; every class of ``y`` must be present, every weight finite and
        ``>= 0``, and not all of them 0.

    Returns
    -------
    sample_weight : ndarray of shape (n_samples,), float64

    Examples
    --------
    >>> from imbalance.weights import sample_weights
    >>> sample_weights(["a", "a", "a", "b"], scheme="inverse").tolist()
    [1.3333333333333333, 1.3333333333333333, 1.3333333333333333, 4.0]
    """
    target = encode_target(target_to_numpy(y))
    if class_weight is None:
        per_class = weights_from_counts(target.counts, scheme=scheme, beta=beta)
    else:
        class_weight = check_class_weight(class_weight)
        missing = [c for c in target.classes if c not in class_weight]
        if missing:
            raise InvalidParameterError(
                f"class_weight has no weight for class(es) {', '.join(map(repr, missing))} of y; "
                "give one for every class."
            )
        per_class = np.array([class_weight[c] for c in target.classes])
    out: np.ndarray = per_class[target.codes]
    if not (out > 0).any():
        raise InvalidParameterError(
            "class_weight gives weight 0 to every class of y, so every row weighs 0; give at "
            "least one class of y a positive weight."
        )
    return out


def strategy_weights(
    y: Any, sampling_strategy: SamplingStrategy = "auto", *, kind: SamplingKind = "over"
) -> dict[Any, float]:
    """Class weights that stand in for resampling with ``sampling_strategy``.

    Each class gets ``target_count / count``, so the weighted size of every class equals the size
    that the sampler of that ``kind`` would give it, without repeating or dropping a row.

    Examples
    --------
    >>> from imbalance.weights import strategy_weights
    >>> strategy_weights([0] * 6 + [1] * 2)
    {0: 1.0, 1: 3.0}
    >>> strategy_weights([0] * 6 + [1] * 2, kind="under")
    {0: 0.3333333333333333, 1: 1.0}
    """
    target = encode_target(target_to_numpy(y))
    counts = target.class_counts
    goal = resolve_sampling_strategy(sampling_strategy, counts, kind=kind, labels=target.labels)
    return {c: goal[c] / counts[c] for c in counts}


def pos_weight(Y: Any) -> np.ndarray:
    """Negative-to-positive ratio of each label of a multi-label indicator.

    Suited to ``torch.nn.BCEWithLogitsLoss(pos_weight=...)``: each label's positives then weigh
    as much, in total, as its negatives.

    Parameters
    ----------
    Y : array-like of shape (n_samples, n_labels)
        0/1 indicator matrix.

    Returns
    -------
    pos_weight : ndarray of shape (n_labels,), float64

    Examples
    --------
    >>> from imbalance.weights import pos_weight
    >>> pos_weight([[1, 0], [0, 0], [0, 1], [0, 1]]).tolist()
    [3.0, 1.0]
    """
    arr = np.asarray(target_to_numpy(Y))
    if arr.ndim != 2 or not np.isin(arr, (0, 1)).all():
        raise InvalidDataError(
            f"Y must be a 2-D 0/1 indicator of shape (n_samples, n_labels); got shape {arr.shape}"
            + ("" if arr.ndim != 2 else " with values other than 0 and 1")
            + ". For one label per row use class_weights(y)."
        )
    positives = arr.sum(axis=0).astype(np.float64)
    empty = np.flatnonzero(positives == 0)
    if empty.size:
        raise InvalidDataError(
            f"label(s) at column(s) {empty.tolist()} have no positive row, so their pos_weight is "
            "undefined. Drop those columns or add positive examples."
        )
    return (arr.shape[0] - positives) / positives
