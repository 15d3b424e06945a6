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
from typing import Any, ClassVar, Literal, TypeVar

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.utils import Tags, get_tags
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_is_fitted

from . import _containers
from ._param_validation import validate_params
from ._routing import FitResampleRequestMixin
from ._strategy import imblearn_sampling_strategy, resolve_sampling_strategy
from ._typing import ArrayLike, FittedEstimator, Target
from ._validation import check_generator, check_X_y, encode_target
from .exceptions import InvalidParameterError

__all__ = [
    "BaseSampler",
    "Resampled",
    "SamplerTags",
    "SamplerTagsMixin",
    "is_sampler",
]


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
    saves a copy of the new rows. ``built`` is the whole X output already built in X's
    container, when the rows were made by other samplers (a composition): the shell then
    only records the provenance and takes y's rows.
    """

    indices: np.ndarray
    parents: np.ndarray = field(default_factory=lambda: np.empty((0, 1), dtype=np.intp))
    values: Any = None
    columns: list[int] = field(default_factory=list)
    sources: Mapping[int, np.ndarray] = field(default_factory=dict)
    steps: np.ndarray | None = None
    built: Any = None


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
        tags.input_tags.string = not tags.sampler_tags.reads_features
        tags.input_tags.sparse = True
        tags.target_tags.required = True
        return tags


def is_sampler(estimator: object) -> bool:
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


_S = TypeVar("_S", bound="BaseSampler")


class ResamplesThroughSteps:
    """``fit_resample`` for an object that resamples through inner steps (a pipeline whose last
    step is a sampler), defined here beside the sampler shell so that the verb has one home.

    The object implements ``_ends_in_sampler()`` (whether the verb is offered) and
    ``_fit_resample_steps(X, y, sample_weight, params)`` (fit the steps, return the rows).
    """

    def _ends_in_sampler(self) -> bool:
        raise NotImplementedError

    def _fit_resample_steps(
        self,
        X: ArrayLike,
        y: Target | None,
        sample_weight: ArrayLike | None,
        params: dict[str, Any],
    ) -> tuple[Any, Any]:
        raise NotImplementedError

    @available_if(lambda self: self._ends_in_sampler())
    def fit_resample(
        self,
        X: ArrayLike,
        y: Target | None = None,
        sample_weight: ArrayLike | None = None,
        **params: object,
    ) -> tuple[Any, Any]:
        """Fit the steps and resample with every sampler, the last step included.

        Parameters
        ----------
        X, y, sample_weight, **params
            As for ``fit``; metadata is routed as for ``fit``.

        Returns
        -------
        X_resampled, y_resampled : the rows after the last step
        """
        return self._fit_resample_steps(X, y, sample_weight, params)


class BaseSampler(FitResampleRequestMixin, SamplerTagsMixin, BaseEstimator):
    """Base class of every sampler: the one ``fit_resample`` shell.

    ``fit_resample`` runs the same steps for every family, each a hook a family may replace:
    ``_check_params`` (parameter constraints, once), ``_check_data`` (X and y into supported
    containers and an encoded target), ``_record_input`` (what the input was),
    ``_resolve_targets`` (``target_counts_`` and imbalanced-learn's ``sampling_strategy_``),
    ``_generator`` (randomness, once), the subclass's algorithm ``_fit_resample(X, target,
    rng)``, and ``_assemble`` (the chosen rows back in the caller's containers). Cleaning,
    combination, multi-label and Dask samplers replace hooks, never the shell.

    Subclasses declare ``_parameter_constraints`` and implement
    ``_fit_resample(X, target, rng) -> Resampled``.
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {}
    _sampling_kind: ClassVar[Literal["over", "under", "clean"]] = "over"
    sampling_strategy_: dict[Any, int] | str

    def fit(self: _S, X: ArrayLike, y: Target) -> _S:
        """Check the data and learn every fitted attribute; the resampled rows are dropped.

        Runs :meth:`fit_resample`, so that the data are checked exactly as there and
        ``sampling_strategy_``, ``target_counts_``, ``sample_indices_`` and the rest describe
        what it does (imbalanced-learn's ``fit`` only checks). Call ``fit_resample`` to get
        the rows.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
            Rows to resample.
        y : array-like of shape (n_samples,)
            Class of each row.

        Returns
        -------
        self : object
            The sampler.
        """
        self.fit_resample(X, y)
        return self

    def fit_resample(self, X: ArrayLike, y: Target) -> tuple[Any, Any]:
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
        X, y, target = self._prepare(X, y)
        out = self._fit_resample(X, target, self._generator())
        return self._assemble(X, y, target, out)

    def get_feature_names_out(self, input_features: ArrayLike | None = None) -> np.ndarray:
        """Names of the output columns: a sampler keeps the columns of its input.

        Parameters
        ----------
        input_features : array-like of str or None, default=None
            Column names of X; must equal ``feature_names_in_`` when that is set. ``None``
            gives ``feature_names_in_``, or ``x0, x1, ...`` when X had no column names.

        Returns
        -------
        feature_names_out : ndarray of str objects
        """
        check_is_fitted(self, "n_features_in_")
        return feature_names_out(self, input_features)

    def _prepare(self, X: ArrayLike, y: Target) -> tuple[Any, Any, Any]:
        self._check_params()
        X, y, n_features, target = self._check_data(X, y)
        self._record_input(X, n_features, target)
        self._resolve_targets(target)
        return X, y, target

    def _check_params(self) -> None:
        validate_params(
            type(self).__name__, self._parameter_constraints, self.get_params(deep=False)
        )

    def _check_data(self, X: ArrayLike, y: Target) -> tuple[Any, Any, int, Any]:
        X, y, n_features, y_arr = check_X_y(X, y)
        return X, y, n_features, encode_target(y_arr)

    def _record_input(self, X: Any, n_features: int, target: Any) -> None:
        self.n_features_in_ = n_features
        names = column_names(X)
        if names is None:
            self.__dict__.pop("feature_names_in_", None)  # a refit on an array forgets them
        else:
            self.feature_names_in_ = names
        self.classes_ = np.asarray(target.classes)
        self.class_counts_ = target.class_counts

    def _resolve_targets(self, target: Any) -> None:
        strategy = getattr(self, "sampling_strategy", "auto")
        self.target_counts_ = resolve_sampling_strategy(
            strategy, target.class_counts, kind=self._sampling_kind, labels=target.labels
        )
        self.sampling_strategy_ = imblearn_sampling_strategy(
            strategy, target.class_counts, self.target_counts_, kind=self._sampling_kind
        )

    def _generator(self) -> np.random.Generator:
        """The call's one Generator: from ``random_state``, or a fixed seed for a sampler
        without one (which may still seed an approximate neighbour index, always alike)."""
        params = self.get_params(deep=False)
        if "random_state" not in params:
            return np.random.default_rng(0)
        return check_generator(params["random_state"])

    def _fit_resample(self, X: Any, target: Any, rng: np.random.Generator) -> Any:
        """The algorithm: which rows come out (a :class:`Resampled` for in-memory samplers)."""
        raise NotImplementedError

    def _assemble(self, X: ArrayLike, y: Target, target: Any, out: Any) -> tuple[Any, Any]:
        if not isinstance(out, Resampled):
            raise TypeError(
                f"{type(self).__name__}._fit_resample must return a Resampled; "
                f"got {type(out).__name__}."
            )
        self.sample_indices_ = out.indices
        n_new = out.parents.shape[0]
        if self._get_sampler_tags().synthetic:
            self.synthetic_parents_ = out.parents
        rows = out.indices if n_new == 0 else np.concatenate([out.indices, out.parents[:, 0]])
        if self._get_sampler_tags().kind in ("clean", "combine"):  # no counts to reach
            after = np.bincount(target.codes[rows], minlength=len(target.classes))
            self.target_counts_ = dict(zip(target.classes, after.tolist(), strict=True))
        y_res = _containers.take_rows(y, rows)
        if n_new:
            y_res = _containers.relabel_tail(y_res, n_new, like=y)
        if out.built is not None:  # synthetic rows get the same fresh labels as in y
            return _containers.relabel_tail(out.built, n_new, like=X), y_res
        return _rows_of(X, rows, out), y_res


def _rows_of(X: ArrayLike, rows: np.ndarray, out: Resampled) -> Any:
    """The output rows of X: ``rows`` taken, then the synthetic tail written."""
    X_res = _containers.take_rows(X, rows)
    if out.parents.shape[0]:
        if out.sources:
            X_res = _containers.copy_tail_columns(X_res, X, out.sources)
        if out.values is None and out.steps is not None:
            X_res = _containers.interpolate_tail(X_res, np.asarray(X), out.parents[:, 1], out.steps)
        else:
            X_res = _containers.replace_tail(X_res, out.columns, out.values, like=X)
    return X_res


def column_names(X: Any) -> np.ndarray | None:
    """scikit-learn's ``feature_names_in_`` of X: its column names when all are strings."""
    if not _containers.is_frame(X):
        return None
    names = np.asarray(list(X.columns), dtype=object)
    return names if all(isinstance(c, str) for c in names) else None


def feature_names_out(
    estimator: FittedEstimator, input_features: ArrayLike | None = None
) -> np.ndarray:
    """Output column names of a fitted estimator that keeps its input columns."""
    known = getattr(estimator, "feature_names_in_", None)
    n = estimator.n_features_in_
    if input_features is None:
        if known is not None:
            return np.asarray(known, dtype=object).copy()
        return np.asarray([f"x{i}" for i in range(n)], dtype=object)
    given = np.asarray(input_features, dtype=object)
    if known is not None and not np.array_equal(given, known):
        raise InvalidParameterError(
            f"input_features of {type(estimator).__name__} must equal feature_names_in_ "
            f"({list(known)}); got {list(given)}. Pass None to use the fitted names."
        )
    if given.ndim != 1 or given.shape[0] != n:
        raise InvalidParameterError(
            f"input_features of {type(estimator).__name__} must hold {n} names, one per column "
            f"seen in fit; got {given.shape[0] if given.ndim else 0}."
        )
    return given
