"""How imbalanced a multi-label data set is: Charte et al.'s measures and the usual statistics.

For ``L`` labels, where label ``l`` has ``n_l`` positive rows:

- ``IRLbl(l) = max_k n_k / n_l``: 1 for the most frequent label, larger for rarer ones;
- ``MeanIR`` and ``MaxIR``: the mean and the maximum of ``IRLbl`` over the labels;
- ``CVIR = sd(IRLbl) / MeanIR`` with the sample standard deviation (``L - 1`` in the
  denominator; 0 when there is one label);
- ``SCUMBLE_i = 1 - geometric_mean(IRLbl of row i's labels) / arithmetic_mean(same)``, 0 for
  rows with fewer than two labels; ``SCUMBLE`` is its mean over the rows, and ``SCUMBLELbl(l)``
  its mean over the rows holding ``l``. High values mean that rare labels mostly appear together
  with frequent ones, which hampers resampling (Charte et al., 2019, advise REMEDIAL when
  ``SCUMBLE`` exceeds about 0.1);
- cardinality (labels per row), density (cardinality / ``L``) and the number of distinct label
  sets (label combinations).

Every function takes ``Y`` as a 0/1 indicator (array, sparse matrix, DataFrame) or one list of
labels per row. A label column without a positive row has no imbalance ratio and is an error.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._typing import ArrayLike
from ..exceptions import InvalidDataError
from ._target import LabelMatrix, encode_multilabel

__all__ = [
    "cvir",
    "irlbl",
    "label_cardinality",
    "label_combination_count",
    "label_density",
    "max_ir",
    "mean_ir",
    "multilabel_summary",
    "scumble",
    "scumble_per_sample",
]


def irlbl_of(target: LabelMatrix, *, what: str = "its imbalance ratio") -> np.ndarray:
    """IRLbl of every label of an encoded target; raises if a label has no positive row."""
    counts = target.counts
    empty = np.flatnonzero(counts == 0)
    if empty.size:
        names = ", ".join(target.name(int(j)) for j in empty[:5])
        more = f" and {empty.size - 5} more" if empty.size > 5 else ""
        raise InvalidDataError(
            f"label {names}{more} of Y has no positive row, so {what} is undefined. Drop the "
            "empty label column(s), e.g. Y[:, Y.sum(axis=0) > 0], or add positive examples."
        )
    return counts.max() / counts.astype(np.float64)


def scumble_rows_of(target: LabelMatrix, ir: np.ndarray) -> np.ndarray:
    """SCUMBLE of every row, from the IRLbl of each label."""
    Y = target.Y
    n = target.n_samples
    k = target.cardinalities
    rows = np.repeat(np.arange(n), k)
    values = ir[Y.indices]
    mean_log = np.bincount(rows, weights=np.log(values), minlength=n)
    mean = np.bincount(rows, weights=values, minlength=n)
    out = np.zeros(n)
    several = k > 1
    geometric = np.exp(mean_log[several] / k[several])
    out[several] = 1.0 - geometric / (mean[several] / k[several])
    return np.clip(out, 0.0, 1.0)


def irlbl(Y: ArrayLike) -> np.ndarray:
    """Imbalance ratio per label: the count of the most frequent label over the label's count.

    Parameters
    ----------
    Y : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_labels), or list of lists
        0/1 indicator, or one list of labels per row.

    Returns
    -------
    irlbl : ndarray of shape (n_labels,), float64
        1.0 for the most frequent label; in column order (sorted labels for label lists).

    See Also
    --------
    mean_ir, max_ir, cvir : summaries of these ratios.

    References
    ----------
    .. [1] F. Charte, A. J. Rivera, M. J. del Jesus and F. Herrera, "Addressing imbalance in
       multilabel classification: Measures and random resampling algorithms",
       Neurocomputing, 163, 3-16, 2015.

    Examples
    --------
    >>> from imbalance.multilabel import irlbl
    >>> irlbl([[1, 1], [1, 0], [1, 0], [1, 1]]).tolist()
    [1.0, 2.0]
    >>> irlbl([["cat"], ["cat", "dog"], ["cat"]]).tolist()
    [1.0, 3.0]
    """
    return irlbl_of(encode_multilabel(Y))


def mean_ir(Y: ArrayLike) -> float:
    """Mean of the per-label imbalance ratios (MeanIR).

    Parameters
    ----------
    Y : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_labels), or list of lists
        0/1 indicator, or one list of labels per row.

    Returns
    -------
    mean_ir : float
        1.0 when every label is equally frequent.

    See Also
    --------
    irlbl : the ratios themselves.

    References
    ----------
    .. [1] F. Charte et al., "Addressing imbalance in multilabel classification: Measures and
       random resampling algorithms", Neurocomputing, 163, 3-16, 2015.

    Examples
    --------
    >>> from imbalance.multilabel import mean_ir
    >>> mean_ir([[1, 1], [1, 0], [1, 0], [1, 1]])
    1.5
    """
    return float(irlbl(Y).mean())


def max_ir(Y: ArrayLike) -> float:
    """Largest per-label imbalance ratio (MaxIR): the most frequent label over the rarest.

    Parameters
    ----------
    Y : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_labels), or list of lists
        0/1 indicator, or one list of labels per row.

    Returns
    -------
    max_ir : float

    See Also
    --------
    irlbl : the ratios themselves.

    References
    ----------
    .. [1] F. Charte et al., "Addressing imbalance in multilabel classification: Measures and
       random resampling algorithms", Neurocomputing, 163, 3-16, 2015.

    Examples
    --------
    >>> from imbalance.multilabel import max_ir
    >>> max_ir([[1, 1, 0], [1, 0, 1], [1, 0, 0], [1, 1, 0]])
    4.0
    """
    return float(irlbl(Y).max())


def cvir(Y: ArrayLike) -> float:
    """Coefficient of variation of the per-label imbalance ratios (CVIR).

    The sample standard deviation of IRLbl (``L - 1`` in the denominator) over MeanIR; 0 for a
    single label. Low values mean the labels are about equally imbalanced.

    Parameters
    ----------
    Y : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_labels), or list of lists
        0/1 indicator, or one list of labels per row.

    Returns
    -------
    cvir : float

    See Also
    --------
    mean_ir : the denominator.

    References
    ----------
    .. [1] F. Charte et al., "Addressing imbalance in multilabel classification: Measures and
       random resampling algorithms", Neurocomputing, 163, 3-16, 2015.

    Examples
    --------
    >>> from imbalance.multilabel import cvir
    >>> round(cvir([[1, 1, 0], [1, 0, 1], [1, 0, 0], [1, 1, 0]]), 4)
    0.6547
    """
    ir = irlbl(Y)
    return _cvir(ir)


def _cvir(ir: np.ndarray) -> float:
    return 0.0 if ir.size < 2 else float(ir.std(ddof=1) / ir.mean())


def scumble_per_sample(Y: ArrayLike) -> np.ndarray:
    """SCUMBLE of each row: how unevenly imbalanced the labels that appear together are.

    ``1 - geometric_mean / arithmetic_mean`` of the IRLbl of the row's labels: 0 when the row
    has fewer than two labels or labels equally imbalanced, towards 1 when a very rare label
    appears with a very frequent one.

    Parameters
    ----------
    Y : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_labels), or list of lists
        0/1 indicator, or one list of labels per row.

    Returns
    -------
    scumble : ndarray of shape (n_samples,), float64 in [0, 1)

    See Also
    --------
    scumble : the mean over the rows.
    REMEDIAL : splits the rows with a high SCUMBLE.

    References
    ----------
    .. [1] F. Charte, A. J. Rivera, M. J. del Jesus and F. Herrera, "Dealing with difficult
       minority labels in imbalanced multilabel data sets", Neurocomputing, 326-327, 39-53,
       2019.

    Examples
    --------
    >>> from imbalance.multilabel import scumble_per_sample
    >>> scumble_per_sample([[1, 1], [1, 0], [1, 0], [1, 0]]).round(4).tolist()
    [0.2, 0.0, 0.0, 0.0]
    """
    target = encode_multilabel(Y)
    return scumble_rows_of(target, irlbl_of(target))


def scumble(Y: ArrayLike) -> float:
    """Score of concurrence among imbalanced labels (SCUMBLE): the mean of the rows' SCUMBLE.

    Parameters
    ----------
    Y : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_labels), or list of lists
        0/1 indicator, or one list of labels per row.

    Returns
    -------
    scumble : float in [0, 1)

    See Also
    --------
    scumble_per_sample : the value of each row.

    References
    ----------
    .. [1] F. Charte, A. J. Rivera, M. J. del Jesus and F. Herrera, "Concurrence among
       imbalanced labels and its influence on multilabel resampling algorithms", HAIS 2014,
       LNCS 8480, 110-121.

    Examples
    --------
    >>> from imbalance.multilabel import scumble
    >>> round(scumble([[1, 1], [1, 0], [1, 0], [1, 0]]), 4)
    0.05
    """
    return float(scumble_per_sample(Y).mean())


def label_cardinality(Y: ArrayLike) -> float:
    """Mean number of labels per row.

    Parameters
    ----------
    Y : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_labels), or list of lists
        0/1 indicator, or one list of labels per row.

    Returns
    -------
    cardinality : float

    See Also
    --------
    label_density : the cardinality over the number of labels.

    References
    ----------
    .. [1] G. Tsoumakas and I. Katakis, "Multi-label classification: An overview",
       International Journal of Data Warehousing and Mining, 3(3), 1-13, 2007.

    Examples
    --------
    >>> from imbalance.multilabel import label_cardinality
    >>> label_cardinality([["a", "b"], ["a"], []])
    1.0
    """
    return float(encode_multilabel(Y).cardinalities.mean())


def label_density(Y: ArrayLike) -> float:
    """Mean fraction of the labels that a row holds: cardinality over the number of labels.

    Parameters
    ----------
    Y : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_labels), or list of lists
        0/1 indicator, or one list of labels per row.

    Returns
    -------
    density : float in [0, 1]

    See Also
    --------
    label_cardinality : labels per row.

    References
    ----------
    .. [1] G. Tsoumakas and I. Katakis, "Multi-label classification: An overview",
       International Journal of Data Warehousing and Mining, 3(3), 1-13, 2007.

    Examples
    --------
    >>> from imbalance.multilabel import label_density
    >>> label_density([[1, 1, 0, 0], [1, 0, 0, 0]])
    0.375
    """
    target = encode_multilabel(Y)
    return float(target.cardinalities.mean() / target.n_labels)


def label_combination_count(Y: ArrayLike) -> int:
    """Number of distinct label sets (label combinations) among the rows.

    The empty label set counts as one combination when some row has no label.

    Parameters
    ----------
    Y : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_labels), or list of lists
        0/1 indicator, or one list of labels per row.

    Returns
    -------
    n_combinations : int

    See Also
    --------
    multilabel_summary : every measure at once.

    References
    ----------
    .. [1] G. Tsoumakas and I. Katakis, "Multi-label classification: An overview",
       International Journal of Data Warehousing and Mining, 3(3), 1-13, 2007.

    Examples
    --------
    >>> from imbalance.multilabel import label_combination_count
    >>> label_combination_count([["a", "b"], ["b", "a"], ["a"], []])
    3
    """
    return _combination_count(encode_multilabel(Y))


def _combination_count(target: LabelMatrix) -> int:
    return int(np.unique(packed_rows(target)).size)


def packed_rows(target: LabelMatrix) -> np.ndarray:
    """One opaque, comparable value per row that is equal exactly for equal label sets."""
    n, n_bytes = target.n_samples, (target.n_labels + 7) // 8
    rows = np.repeat(np.arange(n, dtype=np.int64), target.cardinalities)
    cols = target.Y.indices.astype(np.int64)
    flat = rows * n_bytes + cols // 8
    bits = np.left_shift(1, 7 - cols % 8).astype(np.float64)
    packed = np.bincount(flat, weights=bits, minlength=n * n_bytes).astype(np.uint8)
    return np.ascontiguousarray(packed.reshape(n, n_bytes)).view(np.dtype((np.void, n_bytes)))[:, 0]


def multilabel_summary(Y: ArrayLike) -> dict[str, Any]:
    """Every imbalance measure of a multi-label target, as plain data (JSON-ready).

    Parameters
    ----------
    Y : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_labels), or list of lists
        0/1 indicator, or one list of labels per row.

    Returns
    -------
    summary : dict
        ``n_samples``, ``n_labels``, ``cardinality``, ``density``, ``n_label_combinations``,
        ``n_unlabelled`` (rows without a label), ``mean_ir``, ``max_ir``, ``cvir``, ``scumble``,
        and ``labels``: one dict per label, in column order, with ``label``, ``count``,
        ``frequency``, ``irlbl``, ``scumble`` (SCUMBLELbl: the mean SCUMBLE of its rows) and
        ``minority`` (IRLbl above MeanIR: the labels that ML-ROS, ML-RUS, MLSMOTE and REMEDIAL
        treat as minority). Values are Python ints, floats, bools and the labels as given.

    See Also
    --------
    irlbl, mean_ir, max_ir, cvir, scumble : the measures one by one.

    References
    ----------
    .. [1] F. Charte et al., "Addressing imbalance in multilabel classification: Measures and
       random resampling algorithms", Neurocomputing, 163, 3-16, 2015.
    .. [2] F. Charte et al., "Dealing with difficult minority labels in imbalanced multilabel
       data sets", Neurocomputing, 326-327, 39-53, 2019.

    Examples
    --------
    >>> from imbalance.multilabel import multilabel_summary
    >>> s = multilabel_summary([["a", "b"], ["a"], ["a"], ["a"], []])
    >>> s["n_samples"], s["n_labels"], s["mean_ir"], s["max_ir"], s["n_label_combinations"]
    (5, 2, 2.5, 4.0, 3)
    >>> {k: round(v, 4) if isinstance(v, float) else v for k, v in s["labels"][1].items()}
    {'label': 'b', 'count': 1, 'frequency': 0.2, 'irlbl': 4.0, 'scumble': 0.2, 'minority': True}
    """
    target = encode_multilabel(Y)
    ir = irlbl_of(target)
    rows = scumble_rows_of(target, ir)
    counts = target.counts
    per_label = (
        np.bincount(
            target.Y.indices, weights=rows[_row_of_entries(target)], minlength=target.n_labels
        )
        / counts
    )
    mean = float(ir.mean())
    labels = [
        {
            "label": _plain(target.labels[j]),
            "count": int(counts[j]),
            "frequency": float(counts[j] / target.n_samples),
            "irlbl": float(ir[j]),
            "scumble": float(per_label[j]),
            "minority": bool(ir[j] > mean),
        }
        for j in range(target.n_labels)
    ]
    cardinality = float(target.cardinalities.mean())
    return {
        "n_samples": target.n_samples,
        "n_labels": target.n_labels,
        "cardinality": cardinality,
        "density": cardinality / target.n_labels,
        "n_label_combinations": _combination_count(target),
        "n_unlabelled": int((target.cardinalities == 0).sum()),
        "mean_ir": mean,
        "max_ir": float(ir.max()),
        "cvir": _cvir(ir),
        "scumble": float(rows.mean()),
        "labels": labels,
    }


def _row_of_entries(target: LabelMatrix) -> np.ndarray:
    return np.repeat(np.arange(target.n_samples), target.cardinalities)


def _plain(value: object) -> Any:
    return value.item() if isinstance(value, np.generic) else value
