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

Multi-label weights (per label, per row from its labels) are in :mod:`imbalance.multilabel`
(:func:`~imbalance.multilabel.label_weights`, :func:`~imbalance.multilabel.label_pos_weight`,
:func:`~imbalance.multilabel.multilabel_sample_weights`), by the same schemes.

References
----------
.. [1] Y. Cui, M. Jia, T.-Y. Lin, Y. Song and S. Belongie, "Class-Balanced Loss Based on
   Effective Number of Samples", CVPR 2019.
.. [2] D. Eigen and R. Fergus, "Predicting Depth, Surface Normals and Semantic Labels with a
   Common Multi-Scale Convolutional Architecture", ICCV 2015.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from ._containers import target_to_numpy
from ._numeric import check_class_weight
from ._strategy import resolve_sampling_strategy
from ._typing import ArrayLike, SamplingKind, SamplingStrategy, Target
from ._validation import encode_target
from ._weighting import SCHEMES, Scheme, weights_from_counts
from .exceptions import InvalidDataError, InvalidParameterError

__all__ = [
    "SCHEMES",
    "class_weights",
    "pos_weight",
    "sample_weights",
    "strategy_weights",
    "weights_from_counts",
]


def class_weights(
    y: Target, *, scheme: Scheme = "balanced", beta: float = 0.999
) -> dict[Any, float]:
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
    y: Target,
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
    y: Target, sampling_strategy: SamplingStrategy = "auto", *, kind: SamplingKind = "over"
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


def pos_weight(Y: ArrayLike) -> np.ndarray:
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
