"""REMEDIAL: decouple the rare labels from the frequent ones they appear with (Charte et al.)."""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from .._typing import ArrayLike
from ..base import Resampled, SamplerTags
from ._base import BaseMultilabelSampler, MultilabelResampled, minority_mask
from ._measures import irlbl_of, scumble_rows_of
from ._target import LabelMatrix

__all__ = ["REMEDIAL"]


class REMEDIAL(BaseMultilabelSampler):
    """Split rows where rare and frequent labels meet into two rows (REMEDIAL).

    When a rare label mostly appears together with frequent ones (a high SCUMBLE), a classifier
    sees its rows dominated by the frequent labels' evidence. REMEDIAL takes every row whose
    SCUMBLE exceeds the data set's mean SCUMBLE and decouples its labels: the row keeps its
    majority labels (``IRLbl <= MeanIR``), and a copy of its features is added with the
    minority labels (``IRLbl > MeanIR``). Rows whose labels are all minority or all majority
    labels have nothing to decouple and are left unchanged (decoupling them would give one
    empty label set).

    All the input rows come out first, in input order (the decoupled ones with fewer labels),
    then the copies, which are synthetic rows: their features equal their parent's
    (``synthetic_parents_``), their label sets differ, and in pandas they get index labels that
    cannot collide with X's. X is never read. There is no randomness.

    This sampler has no parameters.

    Attributes
    ----------
    labels_ : ndarray of shape (n_labels,)
        Label names: column names of a DataFrame, column positions, or the sorted labels of
        label lists.
    label_counts_ : dict of {label: int}
        Positive rows of each label before resampling.
    target_counts_ : dict of {label: int}
        Positive rows of each label after resampling (equal to ``label_counts_``: labels are
        moved to the copies, never lost or added).
    mean_ir_ : float
        MeanIR of the input.
    scumble_ : float
        Mean SCUMBLE of the input: rows above it are decoupled.
    minority_labels_ : ndarray
        The labels moved to the copies (IRLbl above ``mean_ir_``).
    decoupled_ : ndarray of shape (n_synthetic,)
        Positions in X of the decoupled rows (equal to ``synthetic_parents_[:, 0]``).
    sample_indices_ : ndarray of shape (n_samples,)
        Positions in X of the non-synthetic output rows: every row, in input order.
    synthetic_parents_ : ndarray of shape (n_synthetic, 1)
        For each copy, the position in X of the row it was split from.
    n_features_in_ : int
        Number of columns of X.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Column names of X, when X is a DataFrame with string column names.

    See Also
    --------
    scumble : the measure that says when REMEDIAL helps (above about 0.1).
    MLSMOTE : combine with it: REMEDIAL first, then over-sampling.

    References
    ----------
    .. [1] F. Charte, A. J. Rivera, M. J. del Jesus and F. Herrera, "Dealing with difficult
       minority labels in imbalanced multilabel data sets", Neurocomputing, 326-327, 39-53,
       2019.

    Examples
    --------
    >>> import numpy as np
    >>> from imbalance.multilabel import REMEDIAL
    >>> Y = np.array([[1, 0, 0]] * 6 + [[1, 1, 0]] * 2 + [[1, 0, 1], [1, 1, 1], [0, 1, 0]])
    >>> X = np.arange(22).reshape(11, 2)
    >>> remedial = REMEDIAL()
    >>> X_res, Y_res = remedial.fit_resample(X, Y)
    >>> remedial.minority_labels_, remedial.decoupled_
    (array([2], dtype=object), array([8, 9]))
    >>> Y_res[8:].tolist()
    [[1, 0, 0], [1, 1, 0], [0, 1, 0], [0, 0, 1], [0, 0, 1]]
    >>> X_res[-2:].tolist() == X[[8, 9]].tolist()
    True
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {}
    _sampler_tags = SamplerTags(kind="over", synthetic=True, exact_counts=False)

    def __init__(self) -> None:
        pass

    def _fit_resample(
        self, X: ArrayLike, target: LabelMatrix, rng: np.random.Generator | None
    ) -> MultilabelResampled:
        ir = irlbl_of(target, what="its imbalance ratio (REMEDIAL needs it)")
        minority = minority_mask(ir)
        rows_scumble = scumble_rows_of(target, ir)
        self.mean_ir_ = float(ir.mean())
        self.scumble_ = float(rows_scumble.mean())
        self.minority_labels_ = self.labels_[minority]
        Y = target.dense()
        mixed = (Y & minority).any(axis=1) & (Y & ~minority).any(axis=1)
        rows = np.flatnonzero((rows_scumble > self.scumble_) & mixed)
        self.decoupled_ = rows
        resampled = Resampled(indices=np.arange(target.n_samples), parents=rows[:, None])
        return MultilabelResampled(
            resampled,
            synthetic_labels=Y[rows] & minority,
            relabelled=rows,
            relabelled_labels=Y[rows] & ~minority,
        )
