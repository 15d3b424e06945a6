"""Type aliases and protocols shared across the package.

They cost nothing at run time (aliases of numpy, scipy and ``typing`` objects, and protocols
that are never instantiated nor checked with ``isinstance``) and say what a value is: a
user's container before it is converted (:data:`ArrayLike`, :data:`Target`), X once checked
(:data:`Matrix`), arrays the package made (:data:`FloatArray`, :data:`IntArray`), a seed
(:data:`Seed`, :data:`RandomState`), and the duck types of scikit-learn's world
(:class:`Estimator`, :class:`Sampler`, :class:`Transformer`, :class:`Classifier`,
:class:`KNeighborsEstimator`, :class:`CVSplitter`), which scikit-learn ships no types for.
Bare ``Any`` is left where a caller's container is dispatched at run time
(:mod:`imbalance._containers`); ``tools/any_share.py`` counts it, aliases of it included.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Literal, Protocol, TypeAlias

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

if TYPE_CHECKING:
    from typing_extensions import Self

SparseMatrix: TypeAlias = sp.spmatrix | sp.sparray
"""A scipy.sparse matrix or array."""

ArrayLike: TypeAlias = npt.ArrayLike | SparseMatrix
"""What the containers layer accepts for X: numpy arrays, scipy.sparse matrices, pandas and
polars DataFrames (through ``__array__``), nested lists."""

Target: TypeAlias = npt.ArrayLike
"""Class labels (or a continuous target): a 1-D array, list, pandas or polars Series, or a
one-hot indicator."""

Matrix: TypeAlias = np.ndarray | SparseMatrix
"""X once checked by scikit-learn's ``validate_data`` or this package: numpy or scipy.sparse."""

FloatArray: TypeAlias = npt.NDArray[np.float64]
"""float64 values the package computed (distances, weights, steps)."""

IntArray: TypeAlias = npt.NDArray[np.intp]
"""Row positions or codes the package computed."""

Label: TypeAlias = Hashable
"""One class label."""

RandomState: TypeAlias = int | np.random.RandomState | np.random.Generator | None
"""A seed, a numpy ``RandomState`` or ``Generator``, or None (scikit-learn's ``random_state``)."""

Seed: TypeAlias = int | np.random.Generator | None
"""What internal helpers take for randomness: an int seed, the call's Generator, or None."""

SamplingStrategy: TypeAlias = (
    float | str | Mapping[Any, int] | Callable[[np.ndarray], Mapping[Any, int]]
)
"""Every form of ``sampling_strategy`` (resolved by :mod:`imbalance._strategy`)."""

SamplingKind: TypeAlias = Literal["over", "under", "clean"]
Reduction: TypeAlias = Literal["none", "mean", "sum"]
Backend: TypeAlias = Literal["auto", "exact", "approximate", "torch"]
"""A backend of the neighbour engine (:mod:`imbalance.neighbors`)."""


class Estimator(Protocol):
    """A scikit-learn estimator, sampler or transformer: parameters read and set by name.

    The part of scikit-learn's contract that :func:`sklearn.base.clone`, grid search and this
    package rely on; what else a step offers (``fit``, ``predict``, ``fit_resample``...) is
    asked of it where it is used.
    """

    def get_params(self, deep: bool = True) -> dict[str, Any]: ...

    def set_params(self, **params: object) -> Self: ...


class FittedEstimator(Estimator, Protocol):
    """A fitted estimator: it knows how many features it was fitted on."""

    n_features_in_: int


class Sampler(Estimator, Protocol):
    """An estimator that resamples: ``fit_resample(X, y, **metadata) -> (X_res, y_res)``.

    (Declared as a callable attribute: the one ``def fit_resample`` is base.py's.)
    """

    fit_resample: Callable[..., tuple[Any, Any]]


class Transformer(Estimator, Protocol):
    """A scikit-learn transformer: ``fit`` then ``transform``."""

    def fit(self, X: ArrayLike, y: Target | None = None, **params: object) -> Transformer: ...

    def transform(self, X: ArrayLike) -> Any: ...


class Classifier(Estimator, Protocol):
    """A fitted scikit-learn classifier: its classes and ``predict``."""

    classes_: np.ndarray

    def predict(self, X: ArrayLike) -> np.ndarray: ...


class KNeighborsEstimator(Estimator, Protocol):
    """A user's neighbours estimator, imbalanced-learn style: scikit-learn's ``kneighbors``
    (``NearestNeighbors(n_neighbors=6)``: its ``n_neighbors`` counts the row itself)."""

    def kneighbors(
        self,
        X: ArrayLike | None = None,
        n_neighbors: int | None = None,
        return_distance: bool = True,
    ) -> Any: ...


NeighborSpec: TypeAlias = int | numbers.Integral | KNeighborsEstimator
"""A neighbours parameter (``k_neighbors``, ``n_neighbors``...): a count, or an estimator."""


class CVSplitter(Protocol):
    """A scikit-learn cross-validation splitter."""

    def split(
        self, X: ArrayLike, y: Target | None = None, groups: ArrayLike | None = None
    ) -> Iterator[tuple[np.ndarray, np.ndarray]]: ...


CV: TypeAlias = int | CVSplitter | Iterable[tuple[np.ndarray, np.ndarray]] | None
"""scikit-learn's ``cv``: a number of folds, a splitter, or the folds themselves."""

Step: TypeAlias = Estimator | Literal["passthrough"] | None
"""A pipeline step: an estimator, or ``"passthrough"`` / None for a step that does nothing."""
