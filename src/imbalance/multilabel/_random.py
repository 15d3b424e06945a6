"""ML-ROS and ML-RUS: random over- and under-sampling by per-label imbalance (Charte et al.)."""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from .._param_validation import Interval
from .._typing import ArrayLike, RandomState
from ..base import Resampled, SamplerTags
from ._base import BaseMultilabelSampler, MultilabelResampled
from ._measures import irlbl_of
from ._target import LabelMatrix

__all__ = ["MLROS", "MLRUS", "clone_minority_rows", "delete_majority_rows"]


class MLROS(BaseMultilabelSampler):
    """Multi-label random over-sampling (ML-ROS): repeat rows of the minority labels.

    A label is a minority label when its imbalance ratio ``IRLbl`` exceeds the mean ratio
    ``MeanIR`` of the data. ML-ROS repeats rows, up to ``percentage`` % of the data set, drawn in
    turn from the rows of each minority label (one per label per round, uniformly with
    replacement). After each repeat it updates the label counts, and a label whose ratio has
    fallen to ``MeanIR`` or below (the ``MeanIR`` of the input, fixed) leaves the rotation. It
    stops when the budget is spent or no label is left, so it may repeat fewer rows.

    Every original row comes out first, in input order, then the repeats in the order drawn:
    ``X_res`` equals ``X[sample_indices_]``. X is never read, so any dtype passes through.

    Parameters
    ----------
    percentage : float > 0, default=25.0
        Size of the budget, in percent of the number of rows (``P`` in the paper; 10 to 25
        are usual).
    random_state : int, RandomState instance, Generator or None, default=None
        Seed of the draws.

    Attributes
    ----------
    labels_ : ndarray of shape (n_labels,)
        Label names: column names of a DataFrame, column positions, or the sorted labels of
        label lists.
    label_counts_ : dict of {label: int}
        Positive rows of each label before resampling.
    target_counts_ : dict of {label: int}
        Positive rows of each label after resampling.
    mean_ir_ : float
        MeanIR of the input: the threshold between minority and majority labels.
    minority_labels_ : ndarray
        The labels whose rows were drawn (IRLbl above ``mean_ir_``).
    sample_indices_ : ndarray of shape (n_samples_new,)
        Positions in X of every output row, in output order.
    n_features_in_ : int
        Number of columns of X.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Column names of X, when X is a DataFrame with string column names.

    See Also
    --------
    MLRUS : the under-sampling counterpart.
    MLSMOTE : new rows by interpolation instead of repeats.
    imbalance.samplers.RandomOverSampler : one class per row.

    References
    ----------
    .. [1] F. Charte, A. J. Rivera, M. J. del Jesus and F. Herrera, "Addressing imbalance in
       multilabel classification: Measures and random resampling algorithms",
       Neurocomputing, 163, 3-16, 2015.

    Examples
    --------
    >>> import numpy as np
    >>> from imbalance.multilabel import MLROS, mean_ir
    >>> Y = np.array([[1, 0, 0]] * 16 + [[1, 1, 0]] * 3 + [[0, 0, 1]])
    >>> X = np.arange(40).reshape(20, 2)
    >>> ros = MLROS(percentage=25, random_state=0)
    >>> X_res, Y_res = ros.fit_resample(X, Y)
    >>> X_res.shape, ros.target_counts_
    ((22, 2), {0: 19, 1: 3, 2: 3})
    >>> round(mean_ir(Y), 2), round(mean_ir(Y_res), 2)
    (8.78, 4.56)
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "percentage": [Interval("real", 0, None, closed="neither")],
        "random_state": ["random_state"],
    }
    _sampler_tags = SamplerTags(kind="over", exact_counts=False)

    def __init__(self, *, percentage: float = 25.0, random_state: RandomState = None) -> None:
        self.percentage = percentage
        self.random_state = random_state

    def _fit_resample(
        self, X: ArrayLike, target: LabelMatrix, rng: np.random.Generator
    ) -> MultilabelResampled:
        ir = irlbl_of(target, what="its imbalance ratio (ML-ROS needs it)")
        self.mean_ir_ = float(ir.mean())
        minority = np.flatnonzero(ir > self.mean_ir_)
        self.minority_labels_ = self.labels_[minority]
        budget = int(target.n_samples * float(self.percentage) / 100)
        clones = clone_minority_rows(target, minority, self.mean_ir_, budget, rng)
        indices = np.concatenate([np.arange(target.n_samples), clones])
        return MultilabelResampled(Resampled(indices=indices), _no_labels(target))


class MLRUS(BaseMultilabelSampler):
    """Multi-label random under-sampling (ML-RUS): delete rows of the majority labels.

    A label is a majority label when its imbalance ratio ``IRLbl`` is below the mean ratio
    ``MeanIR``. ML-RUS deletes rows, up to ``percentage`` % of the data set, taken in turn from
    the remaining rows of each majority label (one per label per round, uniformly). After each
    deletion it updates the label counts, and a label whose ratio has risen to ``MeanIR`` (of
    the input) or above leaves the rotation.

    In the paper any row of a majority label may go, rare labels with it, which can raise the
    imbalance it means to lower (a rare label that mostly appears next to a frequent one loses
    rows). By default only rows whose labels are all majority labels are deleted;
    ``protect_minority=False`` gives the paper's behaviour.

    The rows kept come out in input order: ``X_res`` equals ``X[sample_indices_]``. X is never
    read.

    Parameters
    ----------
    percentage : float in (0, 100), default=25.0
        Size of the budget, in percent of the number of rows (``P`` in the paper).
    random_state : int, RandomState instance, Generator or None, default=None
        Seed of the draws.
    protect_minority : bool, default=True
        Never delete a row holding a label that is not a majority label (``IRLbl >= MeanIR``).
        False deletes any row of a majority label, as in the paper.

    Attributes
    ----------
    labels_ : ndarray of shape (n_labels,)
        Label names: column names of a DataFrame, column positions, or the sorted labels of
        label lists.
    label_counts_ : dict of {label: int}
        Positive rows of each label before resampling.
    target_counts_ : dict of {label: int}
        Positive rows of each label after resampling.
    mean_ir_ : float
        MeanIR of the input: the threshold between minority and majority labels.
    majority_labels_ : ndarray
        The labels whose rows were deleted (IRLbl below ``mean_ir_``).
    sample_indices_ : ndarray of shape (n_samples_new,)
        Positions in X of the kept rows, increasing.
    n_features_in_ : int
        Number of columns of X.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Column names of X, when X is a DataFrame with string column names.

    See Also
    --------
    MLROS : the over-sampling counterpart.
    imbalance.samplers.RandomUnderSampler : one class per row.

    References
    ----------
    .. [1] F. Charte, A. J. Rivera, M. J. del Jesus and F. Herrera, "Addressing imbalance in
       multilabel classification: Measures and random resampling algorithms",
       Neurocomputing, 163, 3-16, 2015.

    Examples
    --------
    >>> import numpy as np
    >>> from imbalance.multilabel import MLRUS, mean_ir
    >>> Y = np.array([[1, 0, 0]] * 12 + [[0, 1, 0]] * 6 + [[1, 0, 1]] * 2)
    >>> X = np.arange(40).reshape(20, 2)
    >>> rus = MLRUS(percentage=25, random_state=2)
    >>> X_res, Y_res = rus.fit_resample(X, Y)
    >>> X_res.shape, rus.target_counts_
    ((15, 2), {0: 11, 1: 4, 2: 2})
    >>> round(mean_ir(Y), 2), round(mean_ir(Y_res), 2)
    (3.44, 3.08)
    >>> paper = MLRUS(percentage=25, protect_minority=False, random_state=2)
    >>> _, Y_paper = paper.fit_resample(X, Y)
    >>> paper.target_counts_, round(mean_ir(Y_paper), 2)
    ({0: 11, 1: 4, 2: 1}, 4.92)
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "percentage": [Interval("real", 0, 100, closed="neither")],
        "random_state": ["random_state"],
        "protect_minority": ["boolean"],
    }
    _sampler_tags = SamplerTags(kind="under", exact_counts=False)

    def __init__(
        self,
        *,
        percentage: float = 25.0,
        random_state: RandomState = None,
        protect_minority: bool = True,
    ) -> None:
        self.percentage = percentage
        self.random_state = random_state
        self.protect_minority = protect_minority

    def _fit_resample(
        self, X: ArrayLike, target: LabelMatrix, rng: np.random.Generator
    ) -> MultilabelResampled:
        ir = irlbl_of(target, what="its imbalance ratio (ML-RUS needs it)")
        self.mean_ir_ = float(ir.mean())
        majority = np.flatnonzero(ir < self.mean_ir_)
        self.majority_labels_ = self.labels_[majority]
        budget = int(target.n_samples * float(self.percentage) / 100)
        alive = delete_majority_rows(
            target, majority, self.mean_ir_, budget, rng, protect=self.protect_minority
        )
        return MultilabelResampled(Resampled(indices=np.flatnonzero(alive)), _no_labels(target))


def _no_labels(target: LabelMatrix) -> np.ndarray:
    return np.zeros((0, target.n_labels), dtype=bool)


def clone_minority_rows(
    target: LabelMatrix,
    minority: np.ndarray,
    mean_ir: float,
    budget: int,
    rng: np.random.Generator,
) -> np.ndarray:
    """Rows to repeat, label by label in rounds, until the budget or every label is served."""
    Y = target.dense()
    counts = target.counts.astype(np.float64)
    bags = {int(j): np.flatnonzero(Y[:, j]) for j in minority}
    active = [int(j) for j in minority]
    drawn: list[int] = []
    while len(drawn) < budget and active:
        for j in list(active):
            if len(drawn) == budget:
                break
            bag = bags[j]
            row = int(bag[rng.integers(bag.size)])
            drawn.append(row)
            counts += Y[row]
            if counts.max() / counts[j] <= mean_ir:
                active.remove(j)
    return np.asarray(drawn, dtype=np.intp)


def delete_majority_rows(
    target: LabelMatrix,
    majority: np.ndarray,
    mean_ir: float,
    budget: int,
    rng: np.random.Generator,
    *,
    protect: bool = True,
) -> np.ndarray:
    """A mask of the rows kept after deleting, label by label in rounds, up to ``budget`` rows.

    Each label's rows are visited in a random order, skipping rows already deleted, which draws
    uniformly among its remaining rows. With ``protect``, rows holding a label outside
    ``majority`` are never candidates.
    """
    Y = target.dense()
    counts = target.counts.astype(np.float64)
    alive = np.ones(target.n_samples, dtype=bool)
    others = np.ones(target.n_labels, dtype=bool)
    others[majority] = False
    candidate = ~Y[:, others].any(axis=1) if protect else np.ones(target.n_samples, dtype=bool)
    queues = {int(j): rng.permutation(np.flatnonzero(Y[:, j] & candidate)) for j in majority}
    cursor = dict.fromkeys(queues, 0)
    active = [int(j) for j in majority]
    deleted = 0
    while deleted < budget and active:
        for j in list(active):
            if deleted == budget:
                break
            queue, at = queues[j], cursor[j]
            while at < queue.size and not alive[queue[at]]:
                at += 1
            cursor[j] = at + 1
            if at == queue.size:
                active.remove(j)
                continue
            alive[queue[at]] = False
            counts -= Y[queue[at]]
            deleted += 1
            if counts[j] == 0 or counts.max() / counts[j] >= mean_ir:
                active.remove(j)
    return alive
