"""The sampler contract: a public ``fit_resample`` shell around a private algorithm.

``BaseSampler.fit_resample(X, y)`` validates parameters and data, resolves randomness and the
target counts once, calls the subclass's ``_fit_resample(X, target, rng)``, and gives back
``(X_res, y_res)`` in the caller's own containers. A subclass only decides *which rows* come out
(:class:`Resampled`): positions of kept rows, and for generative samplers the parents and new
numeric values of synthetic rows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.utils import Tags, get_tags

from . import _containers
from ._param_validation import validate_params
from ._strategy import resolve_sampling_strategy
from ._validation import EncodedTarget, check_generator, check_X_y, encode_target

__all__ = ["BaseSampler", "Resampled", "SamplerTags", "SamplerTagsMixin", "is_sampler"]


@dataclass(slots=True)
class SamplerTags:
    """What a sampler does, for contract checks and compositions (never class names).

    Attributes
    ----------
    kind : {"over", "under", "clean", "combine"}
        Whether the sampler adds rows, removes rows to reach counts, removes rows by a rule,
        or composes several samplers.
    keeps_rows : bool
        Every output row that is not synthetic is a row of X, listed in ``sample_indices_``.
    synthetic : bool
        The sampler can make new rows (listed in ``synthetic_parents_``).
    reads_features : bool
        The algorithm computes on X (so X must be numeric and finite).
    exact_counts : bool
        The output has exactly ``target_counts_`` rows per class.
    """

    kind: Literal["over", "under", "clean", "combine"] = "over"
    keeps_rows: bool = True
    synthetic: bool = False
    reads_features: bool = False
    exact_counts: bool = True


@dataclass(slots=True)
class _ImbalanceTags(Tags):
    sampler_tags: SamplerTags | None = None


@dataclass(frozen=True)
class Resampled:
    """Which rows a sampler outputs, in output order.

    ``indices`` are positions in X of the kept (or repeated) rows; ``parents`` are, for each
    synthetic row, the positions of the rows it was made from (shape ``(n_new, k)``); ``values``
    the synthetic rows' numeric (or time) columns ``columns``; ``sources`` maps other column
    positions to the row of X each synthetic row copies that column from (for example a
    category voted by neighbours). Every remaining column copies the first parent. When
    ``values`` is None and ``steps`` is given (numpy float X only), the synthetic rows are
    interpolated in place: ``parent_0 + steps * (parent_1 - parent_0)`` on every column, which
    saves a copy of the new rows.
    """

    indices: np.ndarray
    parents: np.ndarray = field(default_factory=lambda: np.empty((0, 1), dtype=np.intp))
    values: Any = None
    columns: list[int] = field(default_factory=list)
    sources: Mapping[int, np.ndarray] = field(default_factory=dict)
    steps: np.ndarray | None = None


class SamplerTagsMixin:
    """Adds ``sampler_tags`` to scikit-learn's tags; subclasses fill ``_sampler_tags``."""

    _sampler_tags: ClassVar[SamplerTags] = SamplerTags()

    def _get_sampler_tags(self) -> SamplerTags:
        t = self._sampler_tags
        return SamplerTags(t.kind, t.keeps_rows, t.synthetic, t.reads_features, t.exact_counts)

    def __sklearn_tags__(self) -> Tags:
        base = super().__sklearn_tags__()  # type: ignore[misc]
        fields = {name: getattr(base, name) for name in base.__dataclass_fields__}
        tags = _ImbalanceTags(**fields)
        tags.sampler_tags = self._get_sampler_tags()
        tags.input_tags.allow_nan = not tags.sampler_tags.reads_features
        tags.input_tags.sparse = True
        tags.target_tags.required = True
        return tags


def is_sampler(estimator: Any) -> bool:
    """True for an object with ``fit_resample`` (ours or a third party's)."""
    if isinstance(estimator, type):
        return False
    try:
        tags = get_tags(estimator)
    except Exception:  # a third-party object whose tags cannot be computed
        tags = None
    if getattr(tags, "sampler_tags", None) is not None:
        return True
    return callable(getattr(estimator, "fit_resample", None))


class BaseSampler(SamplerTagsMixin, BaseEstimator):
    """Base class of every sampler: validation, randomness, target counts, containers.

    Subclasses declare ``_parameter_constraints`` and implement
    ``_fit_resample(X, target, rng) -> Resampled``.
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {}
    _sampling_kind: ClassVar[Literal["over", "under", "clean"]] = "over"

    def fit_resample(self, X: Any, y: Any) -> tuple[Any, Any]:
        """Resample the data set.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
            Rows to resample. numpy, scipy.sparse, pandas, polars and lists are returned as such.
        y : array-like of shape (n_samples,)
            Class of each row (ints, strings, bools or categories; array, list or Series).

        Returns
        -------
        X_resampled : same type as X, of shape (n_samples_new, n_features)
        y_resampled : same type as y, of shape (n_samples_new,)
        """
        validate_params(
            type(self).__name__, self._parameter_constraints, self.get_params(deep=False)
        )
        X, y, n_features, y_arr = check_X_y(X, y)
        target = encode_target(y_arr)
        self._record_input(X, n_features, target)
        self.target_counts_ = resolve_sampling_strategy(
            self.sampling_strategy,
            target.class_counts,
            kind=self._sampling_kind,
            labels=target.labels,
        )
        rng = check_generator(getattr(self, "random_state", None))
        out = self._fit_resample(X, target, rng)
        return self._assemble(X, y, out)

    def _record_input(self, X: Any, n_features: int, target: EncodedTarget) -> None:
        self.n_features_in_ = n_features
        if _containers.is_frame(X):
            names = np.asarray(list(X.columns), dtype=object)
            if all(isinstance(c, str) for c in names):
                self.feature_names_in_ = names
        self.classes_ = np.asarray(target.classes)
        self.class_counts_ = target.class_counts

    def _assemble(self, X: Any, y: Any, out: Resampled) -> tuple[Any, Any]:
        self.sample_indices_ = out.indices
        n_new = out.parents.shape[0]
        if self._get_sampler_tags().synthetic:
            self.synthetic_parents_ = out.parents
        rows = out.indices if n_new == 0 else np.concatenate([out.indices, out.parents[:, 0]])
        X_res = _containers.take_rows(X, rows)
        y_res = _containers.take_rows(y, rows)
        if n_new:
            if out.sources:
                X_res = _containers.copy_tail_columns(X_res, X, out.sources)
            if out.values is None and out.steps is not None:
                X_res = _containers.interpolate_tail(X_res, X, out.parents[:, 1], out.steps)
            else:
                X_res = _containers.replace_tail(X_res, out.columns, out.values, like=X)
            y_res = _containers.relabel_tail(y_res, n_new, like=y)
        return X_res, y_res

    def _fit_resample(self, X: Any, target: EncodedTarget, rng: np.random.Generator) -> Resampled:
        raise NotImplementedError
