"""Weights for multi-label losses and samplers, from the positive count of each label.

- :func:`label_weights`: one weight per label (``weight=`` of a per-label BCE or focal loss),
  by the same schemes as :func:`imbalance.weights.weights_from_counts` applied to the labels'
  positive counts (``"effective_number"`` is Cui et al.'s class-balanced weight);
- :func:`label_pos_weight`: the weight of each label's positives against its negatives
  (``pos_weight=`` of ``BCEWithLogitsLoss`` or :class:`imbalance.torch.FocalLoss`), plain
  (negatives / positives, as :func:`imbalance.weights.pos_weight`) or by effective numbers;
- :func:`multilabel_sample_weights`: one weight per row, from the weights of its labels, for a
  weighted sampler (``torch.utils.data.WeightedRandomSampler``) or ``sample_weight=``.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from .._typing import ArrayLike
from .._weighting import Scheme, weights_from_counts
from ..exceptions import InvalidParameterError
from ._measures import irlbl_of
from ._target import LabelMatrix, encode_multilabel

__all__ = ["label_pos_weight", "label_weights", "multilabel_sample_weights"]

Reduce = Literal["max", "mean", "sum"]
_REDUCE: tuple[str, ...] = ("max", "mean", "sum")


def _label_counts(target: LabelMatrix, what: str) -> np.ndarray:
    irlbl_of(target, what=what)  # raises, naming the label, when a label has no positive row
    return target.counts.astype(np.float64)


def label_weights(Y: ArrayLike, *, scheme: Scheme = "balanced", beta: float = 0.999) -> np.ndarray:
    """Weight of each label from its number of positive rows.

    The schemes of :func:`imbalance.weights.weights_from_counts`, with label ``l``'s positive
    count ``n_l`` in place of a class count: ``"balanced"`` gives ``sum_k n_k / (L n_l)``,
    ``"inverse"`` ``sum_k n_k / n_l``, ``"sqrt_inverse"`` its square root,
    ``"effective_number"`` ``(1 - beta) / (1 - beta ** n_l)`` scaled to sum to ``L`` (the
    class-balanced weights of Cui et al.), ``"median_frequency"`` ``median_k(n_k) / n_l``.

    Parameters
    ----------
    Y : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_labels), or list of lists
        0/1 indicator, or one list of labels per row.
    scheme : {"balanced", "inverse", "sqrt_inverse", "effective_number", "median_frequency"}
        How counts become weights.
    beta : float in [0, 1), default=0.999
        Used by ``"effective_number"`` only.

    Returns
    -------
    weights : ndarray of shape (n_labels,), float64
        In column order (sorted labels for label lists).

    See Also
    --------
    label_pos_weight : weights of positives against negatives, per label.
    imbalance.weights.class_weights : one class per row.

    References
    ----------
    .. [1] Y. Cui, M. Jia, T.-Y. Lin, Y. Song and S. Belongie, "Class-Balanced Loss Based on
       Effective Number of Samples", CVPR 2019.

    Examples
    --------
    >>> from imbalance.multilabel import label_weights
    >>> Y = [[1, 0], [1, 0], [1, 1], [1, 0]]
    >>> label_weights(Y).tolist()
    [0.625, 2.5]
    >>> label_weights(Y, scheme="effective_number", beta=0.5).round(3).tolist()
    [0.696, 1.304]
    """
    counts = _label_counts(encode_multilabel(Y), "its weight")
    return weights_from_counts(counts, scheme=scheme, beta=beta)


def label_pos_weight(Y: ArrayLike, *, beta: float | None = None) -> np.ndarray:
    """Weight of the positives of each label against its negatives.

    With ``beta=None``, ``n_neg / n_pos``: each label's positives then weigh as much, in total,
    as its negatives (equal to :func:`imbalance.weights.pos_weight`, for label lists too).
    With ``beta`` in [0, 1), the ratio of the effective numbers ``E(n_neg) / E(n_pos)`` with
    ``E(n) = (1 - beta ** n) / (1 - beta)`` (Cui et al.): a softer weight that saturates for
    large counts, ``n_neg / n_pos`` again as ``beta`` tends to 1.

    Parameters
    ----------
    Y : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_labels), or list of lists
        0/1 indicator, or one list of labels per row.
    beta : float in [0, 1) or None, default=None
        None for the plain ratio; otherwise the effective-number ratio.

    Returns
    -------
    pos_weight : ndarray of shape (n_labels,), float64
        For ``torch.nn.BCEWithLogitsLoss(pos_weight=torch.as_tensor(w))`` or
        ``imbalance.torch.FocalLoss(pos_weight=w)``. 0 for a label held by every row.

    See Also
    --------
    label_weights : one weight per label, whole loss term.
    imbalance.weights.pos_weight : the same plain ratio, indicators only.

    References
    ----------
    .. [1] Y. Cui, M. Jia, T.-Y. Lin, Y. Song and S. Belongie, "Class-Balanced Loss Based on
       Effective Number of Samples", CVPR 2019.

    Examples
    --------
    >>> from imbalance.multilabel import label_pos_weight
    >>> Y = [["a"], ["a"], ["a", "b"], []]
    >>> label_pos_weight(Y).tolist()
    [0.3333333333333333, 3.0]
    >>> label_pos_weight(Y, beta=0.9).round(3).tolist()
    [0.369, 2.71]
    """
    target = encode_multilabel(Y)
    positives = _label_counts(target, "its pos_weight")
    negatives = target.n_samples - positives
    if beta is None:
        return negatives / positives
    if isinstance(beta, bool) or not isinstance(beta, int | float) or not 0.0 <= beta < 1.0:
        raise InvalidParameterError(
            f"beta={beta!r} must be None or a float in [0, 1); values such as 0.99 or 0.999 are "
            "usual."
        )
    return _effective(negatives, beta) / _effective(positives, beta)


def _effective(n: np.ndarray, beta: float) -> np.ndarray:
    """``(1 - beta ** n) / (1 - beta)``, precise for beta close to 1 (``n`` when beta is 0)."""
    if beta == 0.0:
        return np.minimum(n, 1.0)
    return -np.expm1(n * np.log(beta)) / (1.0 - beta)


def multilabel_sample_weights(
    Y: ArrayLike, *, scheme: Scheme = "balanced", beta: float = 0.999, reduce: Reduce = "max"
) -> np.ndarray:
    """One weight per row, from the weights of its labels.

    Each label gets its :func:`label_weights`; rows without a label count as one more label
    (the empty label set), weighted by the same scheme. A row's weight is the ``reduce`` of its
    labels' weights: ``"max"`` (a row is as precious as its rarest label, the usual choice for
    drawing rare labels more often), ``"mean"`` or ``"sum"``.

    Parameters
    ----------
    Y : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_labels), or list of lists
        0/1 indicator, or one list of labels per row.
    scheme : {"balanced", "inverse", "sqrt_inverse", "effective_number", "median_frequency"}
        How counts become weights (see :func:`label_weights`).
    beta : float in [0, 1), default=0.999
        Used by ``"effective_number"`` only.
    reduce : {"max", "mean", "sum"}, default="max"
        How a row's label weights combine.

    Returns
    -------
    sample_weight : ndarray of shape (n_samples,), float64

    See Also
    --------
    label_weights : the per-label weights.
    imbalance.torch.ClassBalancedSampler : draws multi-label rows by their rarest label.

    References
    ----------
    .. [1] Y. Cui, M. Jia, T.-Y. Lin, Y. Song and S. Belongie, "Class-Balanced Loss Based on
       Effective Number of Samples", CVPR 2019.

    Examples
    --------
    >>> from imbalance.multilabel import multilabel_sample_weights
    >>> Y = [[1, 0], [1, 0], [1, 1], [0, 0]]
    >>> multilabel_sample_weights(Y, scheme="inverse").tolist()
    [1.6666666666666667, 1.6666666666666667, 5.0, 5.0]
    >>> multilabel_sample_weights(Y, scheme="inverse", reduce="mean").tolist()
    [1.6666666666666667, 1.6666666666666667, 3.3333333333333335, 5.0]
    """
    if reduce not in _REDUCE:
        raise InvalidParameterError(
            f"reduce={reduce!r} is not a way to combine label weights; use one of "
            f"{', '.join(map(repr, _REDUCE))}."
        )
    target = encode_multilabel(Y)
    counts = _label_counts(target, "its weight")
    k = target.cardinalities
    empty = int((k == 0).sum())
    all_counts = np.append(counts, empty) if empty else counts
    per_label = weights_from_counts(all_counts, scheme=scheme, beta=beta)
    rows = np.repeat(np.arange(target.n_samples), k)
    values = per_label[target.Y.indices]
    out: np.ndarray
    if reduce == "max":
        out = np.zeros(target.n_samples)
        np.maximum.at(out, rows, values)
    else:
        out = np.bincount(rows, weights=values, minlength=target.n_samples)
        if reduce == "mean":
            out = out / np.maximum(k, 1)
    if empty:
        out[k == 0] = per_label[-1]
    return out
