"""Data checks with messages in the user's terms, and randomness resolved once per call."""

from __future__ import annotations

import numbers
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp

from ._containers import as_supported, n_rows, shape_2d, target_to_numpy
from ._numeric import check_weights
from ._typing import ArrayLike, RandomState, Target
from .exceptions import InvalidDataError

__all__ = ["EncodedTarget", "check_generator", "check_sample_weight", "encode_target"]

# Integer labels spanning fewer values than this are counted with bincount (O(n)), not sorted.
_BINCOUNT_SPAN = 1 << 20


@dataclass(frozen=True)
class EncodedTarget:
    """Class labels of ``y`` reduced to what the samplers need, computed in one pass.

    ``classes`` are Python scalars in sorted order; ``codes[i]`` is the position of row ``i``'s
    class in ``classes``; ``counts[k]`` the number of rows of ``classes[k]``; ``labels`` the 1-D
    numpy labels (what a callable ``sampling_strategy`` receives).
    """

    classes: list[Any]
    codes: np.ndarray
    counts: np.ndarray
    labels: np.ndarray

    @property
    def class_counts(self) -> dict[Any, int]:
        return dict(zip(self.classes, self.counts.tolist(), strict=True))

    def members(self, k: int) -> np.ndarray:
        """Positions of the rows of class ``classes[k]``, in input order."""
        return np.flatnonzero(self.codes == k)

    def all_members(self) -> list[np.ndarray]:
        """Positions of the rows of every class, in input order: one O(n) pass per class for a
        few classes, one stable sort for many."""
        if len(self.classes) <= 8:
            return [self.members(k) for k in range(len(self.classes))]
        order = np.argsort(self.codes, kind="stable")
        return np.split(order, np.cumsum(self.counts)[:-1])


def check_generator(random_state: RandomState) -> np.random.Generator:
    """A numpy Generator from ``random_state`` (None, int, RandomState or Generator).

    ``None`` draws the seed from numpy's global RandomState, so ``np.random.seed`` is honoured
    as in scikit-learn; a RandomState instance is advanced by one draw.
    """
    if isinstance(random_state, np.random.Generator):
        return random_state
    if random_state is None:
        # the global RandomState on purpose: np.random.seed(...) keeps working, as in sklearn
        return np.random.default_rng(np.random.randint(0, 2**32 - 1, dtype=np.int64))  # noqa: NPY002
    if isinstance(random_state, np.random.RandomState):
        return np.random.default_rng(random_state.randint(0, 2**32 - 1, dtype=np.int64))
    if isinstance(random_state, numbers.Integral) and not isinstance(random_state, bool):
        return np.random.default_rng(int(random_state))
    raise InvalidDataError(
        "random_state must be None, an int, a numpy RandomState or Generator; "
        f"got {random_state!r}."
    )


def check_X_y(X: ArrayLike, y: Target) -> tuple[Any, Any, int, np.ndarray]:
    """X and y in supported containers, the number of features, and y as a numpy array.

    Raises if X is not 2-D or empty, or if X and y do not belong together.
    """
    if y is None:
        raise InvalidDataError(
            "This sampler requires y to be passed, but the target y is None: "
            "pass the class label of every row of X."
        )
    X, y = as_supported(X), as_supported(y, name="y")
    n_samples, n_features = shape_2d(X)
    if n_features == 0:
        raise InvalidDataError(
            f"X has 0 feature(s) (shape=({n_samples}, 0)) while a minimum of 1 is required. "
            "Pass at least one column."
        )
    if _is_complex(X):
        raise InvalidDataError(
            "Complex data not supported: X holds complex numbers, and samplers work on real "
            "features (distances, interpolation). Split them into real columns, "
            "e.g. np.hstack([X.real, X.imag])."
        )
    y_arr = target_to_numpy(y)
    if n_rows(y_arr) != n_samples:
        raise InvalidDataError(
            f"X and y have different lengths: X has {n_samples} rows, y has {n_rows(y_arr)}. "
            "Pass one label per row of X."
        )
    return X, y, n_features, y_arr


def _is_complex(X: ArrayLike) -> bool:
    dtypes = (
        X.dtypes if hasattr(X, "dtypes") and not sp.issparse(X) else [getattr(X, "dtype", None)]
    )
    return any(getattr(d, "kind", None) == "c" for d in list(dtypes))


def encode_target(y: np.ndarray) -> EncodedTarget:
    """Classes, codes and counts of 1-D labels, or of a one-hot indicator (one label per row)."""
    labels = _as_1d_labels(y)
    _check_no_missing(labels)
    _check_not_continuous(labels)
    if labels.dtype.kind == "b":
        codes_all = labels.view(np.uint8).astype(np.intp)
        return _from_dense_codes(codes_all, np.array([False, True]), labels)
    if labels.dtype.kind in "iu" and labels.size:
        low, high = int(labels.min()), int(labels.max())
        if high - low < _BINCOUNT_SPAN:
            codes_all = labels if low == 0 else labels - low
            if high - low == 1:  # two classes: one count_nonzero instead of a bincount
                n_high = int(np.count_nonzero(codes_all))
                counts = np.array([labels.size - n_high, n_high])
                return EncodedTarget(
                    [low, high], codes_all.astype(np.intp, copy=False), counts, labels
                )
            codes_all = codes_all.astype(np.intp, copy=False)
            return _from_dense_codes(codes_all, np.arange(low, high + 1), labels)
    try:
        classes, codes, counts = np.unique(labels, return_inverse=True, return_counts=True)
    except TypeError as exc:
        kinds = sorted({type(v).__name__ for v in labels[:1000]})
        raise InvalidDataError(
            f"y mixes label types that cannot be compared ({', '.join(kinds)}). "
            "Use one type for every label, e.g. y.astype(str) for an array or Series, "
            "[str(v) for v in y] for a list."
        ) from exc
    return EncodedTarget(classes.tolist(), codes.reshape(-1).astype(np.intp), counts, labels)


def _from_dense_codes(
    codes_all: np.ndarray, values: np.ndarray, labels: np.ndarray
) -> EncodedTarget:
    counts_all = np.bincount(codes_all, minlength=len(values))
    present = np.flatnonzero(counts_all)
    if len(present) == len(values):
        return EncodedTarget(values.tolist(), codes_all, counts_all, labels)
    remap = np.full(len(values), -1, dtype=np.intp)
    remap[present] = np.arange(len(present))
    return EncodedTarget(values[present].tolist(), remap[codes_all], counts_all[present], labels)


def _as_1d_labels(y: np.ndarray) -> np.ndarray:
    if y.ndim == 1:
        return y
    if y.ndim == 2 and y.shape[1] == 1:
        return y[:, 0]
    if y.ndim == 2 and _is_one_hot(y):
        return np.argmax(y, axis=1)
    if y.ndim == 2 and y.shape[1] > 1 and np.isin(y, (0, 1)).all():
        raise InvalidDataError(
            f"y is a multi-label indicator of shape {y.shape} (some rows hold several labels); "
            "these samplers need one class per row. Resample by label set "
            "(e.g. y = ['|'.join(map(str, row)) for row in Y]) or weight the losses with "
            "imbalance.weights.pos_weight(Y)."
        )
    raise InvalidDataError(
        f"y must be 1-D (one label per row) or a one-hot indicator; got shape {y.shape}. "
        "Use y.ravel() if it is a column vector of labels."
    )


def _is_one_hot(y: np.ndarray) -> bool:
    if y.dtype.kind not in "biuf" or y.shape[1] < 2:
        return False
    return bool(np.isin(y, (0, 1)).all() and (y.sum(axis=1) == 1).all())


def _check_not_continuous(labels: np.ndarray) -> None:
    """Float labels must be whole numbers: a continuous target is not a set of classes
    (scikit-learn's target type "continuous", which imbalanced-learn refuses too)."""
    if labels.dtype.kind != "f" or not labels.size:
        return
    fractional = np.flatnonzero(labels != np.round(labels))
    if fractional.size:
        first = int(fractional[0])
        raise InvalidDataError(
            f"Unknown label type 'continuous': {fractional.size} of the "
            f"{labels.size} values of y are not whole numbers, e.g. "
            f"{float(labels[first])!r} at row {first}. "
            "These samplers need class labels. For a numeric target with rare values use "
            "imbalance.regression (SMOTER, SMOGN, relevance weights), or bin it into classes "
            "first (e.g. pandas.qcut(y, 10, labels=False))."
        )


def _check_no_missing(labels: np.ndarray) -> None:
    if labels.dtype.kind == "f":
        bad = np.flatnonzero(np.isnan(labels))
    elif labels.dtype.kind == "O":
        bad = np.flatnonzero([v is None or (isinstance(v, float) and v != v) for v in labels])
    else:
        return
    if bad.size:
        raise InvalidDataError(
            f"y has {bad.size} missing label(s) (NaN or None), first at row {int(bad[0])}. "
            "Drop those rows or give them a class before resampling."
        )


def check_sample_weight(sample_weight: ArrayLike, n_samples: int) -> np.ndarray:
    """One finite, non-negative float weight per row, not all zero, as a new array (the one
    weight check, :func:`imbalance._numeric.check_weights`, for every entry point)."""
    values = target_to_numpy(sample_weight, name="sample_weight")
    return np.array(check_weights(values, "sample_weight", n=n_samples), dtype=np.float64)
