"""The multi-label sampler contract: ``fit_resample(X, Y)`` with a 2-D indicator or label lists.

:class:`BaseMultilabelSampler` is the multi-label twin of :class:`imbalance.base.BaseSampler`:
it validates parameters and data once, resolves one ``numpy.random.Generator`` per call, calls
the subclass's ``_fit_resample(X, target, rng)`` and gives back ``(X_res, Y_res)`` in the
caller's containers, with ``Y_res`` in the form given (indicator or label lists). Output rows
are the kept rows first (``sample_indices_``, input order, then any repeats), then the
synthetic rows (``synthetic_parents_``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np
from sklearn.utils import Tags

from .. import _containers
from .._typing import ArrayLike, Target
from ..base import BaseSampler, Resampled, column_names
from ._target import LabelMatrix, check_lengths, encode_multilabel, write_labels

__all__ = ["BaseMultilabelSampler", "MultilabelResampled"]


@dataclass(frozen=True)
class MultilabelResampled:
    """Which rows a multi-label sampler outputs, and the label sets that change.

    ``rows`` says which rows of X come out (as for single-label samplers); ``synthetic_labels``
    is the label set of each synthetic row (boolean, ``(n_synthetic, n_labels)``);
    ``relabelled`` lists kept output rows whose label set changes and ``relabelled_labels``
    their new sets.
    """

    rows: Resampled
    synthetic_labels: np.ndarray
    relabelled: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.intp))
    relabelled_labels: np.ndarray = field(default_factory=lambda: np.empty((0, 0), dtype=bool))


class BaseMultilabelSampler(BaseSampler):
    """Base class of the multi-label samplers: the one shell, with a label-matrix target.

    The hooks of :class:`imbalance.base.BaseSampler` that differ: the target is encoded as a
    label matrix, the input records label counts, and the output writes label sets back.

    Subclasses declare ``_parameter_constraints`` and implement
    ``_fit_resample(X, target, rng) -> MultilabelResampled``: ``target.Y`` is Y as a CSR matrix
    of ones (rows x labels), ``rng`` a ``numpy.random.Generator``. The base turns the
    rows chosen back into the caller's containers.

    Attributes
    ----------
    labels_ : ndarray of shape (n_labels,)
        Label names: column names of a DataFrame, column positions, or the sorted labels of
        label lists.
    label_counts_ : dict of {label: int}
        Positive rows of each label before resampling.
    target_counts_ : dict of {label: int}
        Positive rows of each label after resampling.
    sample_indices_ : ndarray of shape (n_kept,)
        Positions in X of the non-synthetic output rows, in output order.
    n_features_in_ : int
        Number of columns of X.

    See Also
    --------
    imbalance.base.BaseSampler : the single-label base class.

    Examples
    --------
    A sampler that drops the rows without any label:

    >>> import numpy as np
    >>> from imbalance.base import Resampled
    >>> from imbalance.multilabel import BaseMultilabelSampler
    >>> from imbalance.multilabel._base import MultilabelResampled
    >>> class DropUnlabelled(BaseMultilabelSampler):
    ...     def _fit_resample(self, X, target, rng):
    ...         keep = np.flatnonzero(target.cardinalities > 0)
    ...         return MultilabelResampled(Resampled(indices=keep),
    ...                                    np.zeros((0, target.n_labels), dtype=bool))
    >>> X_res, Y_res = DropUnlabelled().fit_resample(np.arange(6).reshape(3, 2),
    ...                                              [["a"], [], ["a", "b"]])
    >>> X_res.tolist(), Y_res
    ([[0, 1], [4, 5]], [['a'], ['a', 'b']])
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {}

    def _check_data(self, X: ArrayLike, y: Target) -> tuple[Any, Any, int, Any]:
        X = _containers.as_supported(X)
        n_samples, n_features = _containers.shape_2d(X)
        target = encode_multilabel(y)
        check_lengths(n_samples, target)
        return X, y, n_features, target

    def _record_input(self, X: ArrayLike, n_features: int, target: LabelMatrix) -> None:
        self.n_features_in_ = n_features
        names = column_names(X)
        if names is None:
            self.__dict__.pop("feature_names_in_", None)
        else:
            self.feature_names_in_ = names
        self.labels_ = np.asarray(target.labels, dtype=object)
        self.label_counts_ = dict(zip(target.labels, target.counts.tolist(), strict=True))

    def _resolve_targets(self, target: LabelMatrix) -> None:
        """Multi-label samplers set their counts as they resample (``target_counts_``)."""

    def _assemble(
        self, X: ArrayLike, y: Target, target: LabelMatrix, out: MultilabelResampled
    ) -> tuple[Any, Any]:
        res = out.rows
        n_kept, n_new = res.indices.size, res.parents.shape[0]
        self.sample_indices_ = res.indices
        if self._get_sampler_tags().synthetic:
            self.synthetic_parents_ = res.parents
        rows = res.indices if n_new == 0 else np.concatenate([res.indices, res.parents[:, 0]])
        X_res = _containers.take_rows(X, rows)
        if n_new and res.sources:
            X_res = _containers.copy_tail_columns(X_res, X, res.sources)
        if n_new and res.columns:
            X_res = _containers.replace_tail(X_res, res.columns, res.values, like=X)
        elif n_new:
            X_res = _containers.relabel_tail(X_res, n_new, like=X)
        changed = np.concatenate([out.relabelled, n_kept + np.arange(n_new)]).astype(np.intp)
        new = np.concatenate(
            [out.relabelled_labels.reshape(-1, target.n_labels), out.synthetic_labels]
        ).astype(bool)
        y_res = write_labels(y, target, rows, changed, new, n_new)
        self.target_counts_ = _counts_after(target, rows, changed, new)
        return X_res, y_res

    def _fit_resample(
        self, X: ArrayLike, target: LabelMatrix, rng: np.random.Generator
    ) -> MultilabelResampled:
        raise NotImplementedError

    def __sklearn_tags__(self) -> Tags:
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        tags.target_tags.single_output = False
        return tags


def _counts_after(
    target: LabelMatrix, rows: np.ndarray, changed: np.ndarray, new: np.ndarray
) -> dict[Any, int]:
    """Positive rows of each label in the output."""
    counts = np.bincount(target.Y[rows].indices, minlength=target.n_labels).astype(np.int64)
    if changed.size:
        before = target.Y[rows[changed]]
        counts -= np.bincount(before.indices, minlength=target.n_labels)
        counts += new.sum(axis=0)
    return dict(zip(target.labels, counts.tolist(), strict=True))


def minority_mask(ir: np.ndarray) -> np.ndarray:
    """Labels whose imbalance ratio exceeds the mean ratio (Charte et al.'s minority labels)."""
    return np.asarray(ir > ir.mean())
