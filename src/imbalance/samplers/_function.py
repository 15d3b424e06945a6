"""A sampler made from a function: ``func(X, y, **kw_args) -> (X_res, y_res)``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

import numpy as np
import scipy.sparse as sp

from .. import _containers
from .._typing import ArrayLike, Target
from .._validation import EncodedTarget
from ..base import BaseSampler, SamplerTags
from ..exceptions import InvalidDataError

__all__ = ["FunctionSampler"]


class FunctionSampler(BaseSampler):
    """Turn a function into a sampler, for pipelines and cross-validation.

    ``fit_resample(X, y)`` returns ``func(X, y, **kw_args)``; with ``func=None`` it returns X
    and y unchanged. Inside :class:`imbalance.pipeline.Pipeline` the function then runs on
    the training rows of each fold only, like any sampler.

    Parameters
    ----------
    func : callable or None, default=None
        Called as ``func(X, y, **kw_args)``; must return ``(X_resampled, y_resampled)``.
        ``None`` is the identity.
    accept_sparse : bool, default=True
        Whether a scipy.sparse X is passed to ``func`` (with ``validate=True``); when False a
        sparse X is refused with a TypeError.
    kw_args : dict or None, default=None
        Keyword arguments passed to ``func``.
    validate : bool, default=True
        Check X and y as every sampler does (2-D X, one class label per row) before calling
        ``func``. Turn it off to pass a continuous y, NaN or inf to ``func``.

    Attributes
    ----------
    sampling_strategy_ : str
        ``"bypass"``: the function decides the counts.
    classes_ : ndarray of shape (n_classes,)
        Class labels, sorted (with ``validate=True``).
    class_counts_ : dict of {class_label: int}
        Number of rows of each class before resampling (with ``validate=True``).
    n_features_in_ : int
        Number of columns of X (with ``validate=True``).
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Column names of X, when X is a DataFrame with string column names.

    See Also
    --------
    imbalance.pipeline.Pipeline : runs samplers on the training rows only.

    Examples
    --------
    >>> import numpy as np
    >>> from imbalance.samplers import FunctionSampler
    >>> X, y = np.arange(10).reshape(5, 2), np.array([0, 0, 0, 1, 1])
    >>> X_res, y_res = FunctionSampler(func=lambda X, y: (X[:3], y[:3])).fit_resample(X, y)
    >>> y_res.tolist()
    [0, 0, 0]
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "func": [None, "callable"],
        "accept_sparse": ["boolean"],
        "kw_args": [None, "dict"],
        "validate": ["boolean"],
    }
    _sampler_tags = SamplerTags(kind="combine", keeps_rows=False, exact_counts=False)

    def __init__(
        self,
        *,
        func: Callable[..., tuple[Any, Any]] | None = None,
        accept_sparse: bool = True,
        kw_args: dict[str, Any] | None = None,
        validate: bool = True,
    ) -> None:
        self.func = func
        self.accept_sparse = accept_sparse
        self.kw_args = kw_args
        self.validate = validate

    def _check_data(self, X: ArrayLike, y: Target) -> tuple[Any, Any, int, Any]:
        if not self.validate:
            return X, y, 0, _Given(y, None)
        if sp.issparse(X) and not self.accept_sparse:
            raise TypeError(
                "FunctionSampler(accept_sparse=False) was given a sparse X, but dense data is "
                "required. Pass X.toarray(), or set accept_sparse=True."
            )
        X, y, n_features, target = super()._check_data(X, y)
        return X, y, n_features, _Given(y, target)

    def _record_input(self, X: ArrayLike, n_features: int, target: _Given) -> None:
        if target.encoded is not None:
            super()._record_input(X, n_features, target.encoded)

    def _resolve_targets(self, target: _Given) -> None:
        self.sampling_strategy_ = "bypass"

    def _fit_resample(
        self, X: ArrayLike, target: _Given, rng: np.random.Generator
    ) -> tuple[Any, Any]:
        if self.func is None:
            return X, target.y
        out = self.func(X, target.y, **(self.kw_args or {}))
        if not isinstance(out, tuple) or len(out) != 2:
            length = f" of length {len(out)}" if isinstance(out, tuple) else ""
            raise InvalidDataError(
                "FunctionSampler's func must return (X_resampled, y_resampled); "
                f"{getattr(self.func, '__name__', self.func)!r} returned "
                f"{type(out).__name__}{length}."
            )
        if self.validate and _containers.n_rows(out[0]) != _containers.n_rows(out[1]):
            raise InvalidDataError(
                "FunctionSampler's func returned X and y of different lengths "
                f"({_containers.n_rows(out[0])} and {_containers.n_rows(out[1])})."
            )
        return out

    def _assemble(
        self, X: ArrayLike, y: Target, target: _Given, out: tuple[Any, Any]
    ) -> tuple[Any, Any]:
        return out[0], out[1]


class _Given:
    """y as given, and its encoding when it was checked."""

    def __init__(self, y: Target, encoded: EncodedTarget | None) -> None:
        self.y = y
        self.encoded = encoded
