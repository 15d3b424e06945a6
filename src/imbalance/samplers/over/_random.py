"""Random over-sampling: a bootstrap of each class, optionally smoothed."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import numpy as np
import scipy.sparse as sp

from ... import _containers
from ..._param_validation import SAMPLING_STRATEGY_CONSTRAINT, Interval
from ..._strategy import resolve_shrinkage
from ..._typing import ArrayLike, FloatArray, RandomState, SamplingStrategy, SparseMatrix
from ..._validation import EncodedTarget
from ...base import BaseSampler, Resampled, SamplerTags
from ...exceptions import InvalidDataError

__all__ = ["RandomOverSampler", "draw_repeats", "smoothed_bootstrap"]


class RandomOverSampler(BaseSampler):
    """Over-sample by drawing rows of each class at random, with replacement.

    Every original row comes out first, in input order, followed by the drawn repeats class by
    class (in label order), so for pandas ``X_res`` equals ``X.iloc[sample_indices_]``; the
    repeats keep their index labels. With ``shrinkage`` the repeats become a smoothed bootstrap:
    Gaussian noise, scaled per class and per feature, is added to the numeric columns of each
    drawn row (Menardi and Torelli, 2014), and those rows are synthetic.

    The sampler never reads X unless ``shrinkage`` is set, so NaN, strings and any dtype pass
    through untouched.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default="auto"
        Final class counts. A float (two classes only) is the wanted ratio of minority to
        majority rows; ``"minority"``, ``"not minority"``, ``"not majority"``, ``"all"`` or
        ``"auto"`` (= ``"not majority"``) name the classes grown to the majority's size; a dict
        gives the final count of each class it names; a callable receives ``y`` and returns such
        a dict. Same meanings as imbalanced-learn.
    random_state : int, RandomState instance, Generator or None, default=None
        Seed of the draws. The same seed gives the same rows whatever the container.
    shrinkage : float, dict of {class_label: float} or None, default=None
        ``None`` repeats rows as they are. A float (or one per over-sampled class) scales the
        smoothing noise; 0 adds none. Needs at least one numeric column; integer columns are
        rounded and non-numeric columns keep the drawn row's value.

    Attributes
    ----------
    target_counts_ : dict of {class_label: int}
        Number of rows of each class after resampling.
    sampling_strategy_ : dict of {class_label: int}
        Rows added to each class the strategy targets (imbalanced-learn's meaning).
    class_counts_ : dict of {class_label: int}
        Number of rows of each class before resampling.
    classes_ : ndarray of shape (n_classes,)
        Class labels, sorted.
    sample_indices_ : ndarray of shape (n_kept,)
        Positions in X of every non-synthetic output row, in output order.
    synthetic_parents_ : ndarray of shape (n_synthetic, 1)
        Set when ``shrinkage`` is not None: the position in X of the row each smoothed row was
        drawn from.
    shrinkage_ : dict of {class_label: float} or None
        The shrinkage of each over-sampled class.
    n_features_in_ : int
        Number of columns of X.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Column names of X, when X is a DataFrame with string column names.

    See Also
    --------
    RandomUnderSampler : the under-sampling counterpart.
    imbalance.weights.class_weights : weights instead of repeated rows.

    References
    ----------
    .. [1] G. Menardi and N. Torelli, "Training and assessing classification rules with
       imbalanced data", Data Mining and Knowledge Discovery, 28, 92-122, 2014.

    Examples
    --------
    >>> import numpy as np
    >>> from imbalance.samplers import RandomOverSampler
    >>> X = np.arange(20).reshape(10, 2)
    >>> y = np.array([0] * 8 + [1] * 2)
    >>> ros = RandomOverSampler(random_state=0)
    >>> X_res, y_res = ros.fit_resample(X, y)
    >>> ros.target_counts_
    {0: 8, 1: 8}
    >>> bool((X_res == X[ros.sample_indices_]).all())
    True
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "sampling_strategy": SAMPLING_STRATEGY_CONSTRAINT,
        "random_state": ["random_state"],
        "shrinkage": [Interval("real", 0, None), "dict", None],
    }
    _sampler_tags = SamplerTags(kind="over")
    _sampling_kind = "over"

    def __init__(
        self,
        *,
        sampling_strategy: SamplingStrategy = "auto",
        random_state: RandomState = None,
        shrinkage: float | Mapping[Any, float] | None = None,
    ) -> None:
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.shrinkage = shrinkage

    def _get_sampler_tags(self) -> SamplerTags:
        tags = super()._get_sampler_tags()
        tags.synthetic = self.shrinkage is not None
        tags.reads_features = self.shrinkage is not None
        return tags

    def _fit_resample(
        self, X: ArrayLike, target: EncodedTarget, rng: np.random.Generator
    ) -> Resampled:
        self.shrinkage_ = resolve_shrinkage(self.shrinkage, self.target_counts_, target)
        drawn = draw_repeats(target, self.target_counts_, rng)
        originals = np.arange(len(target.codes))
        if self.shrinkage_ is None:
            return Resampled(indices=np.concatenate([originals, drawn]))
        values, columns = smoothed_bootstrap(X, target, drawn, self.shrinkage_, rng)
        return Resampled(indices=originals, parents=drawn[:, None], values=values, columns=columns)


def draw_repeats(
    target: EncodedTarget, target_counts: Mapping[Any, int], rng: np.random.Generator
) -> np.ndarray:
    """Positions of the extra rows each class needs, drawn uniformly with replacement.

    Classes are visited in label order; one generator serves them all, so two classes of the
    same size get different draws.
    """
    parts = []
    for k, (cls, have) in enumerate(zip(target.classes, target.counts.tolist(), strict=True)):
        extra = target_counts[cls] - have
        if extra > 0:
            members = target.members(k)
            parts.append(members[rng.integers(0, have, size=extra)])
    return np.concatenate(parts) if parts else np.empty(0, dtype=np.intp)


def smoothed_bootstrap(
    X: ArrayLike,
    target: EncodedTarget,
    drawn: np.ndarray,
    shrinkage: Mapping[Any, float],
    rng: np.random.Generator,
) -> tuple[np.ndarray, list[int]]:
    """Numeric columns of the drawn rows plus Gaussian noise (smoothed bootstrap).

    The noise of class ``c`` on feature ``j`` has standard deviation
    ``shrinkage[c] * h * std_j(c)`` with ``h = (4 / ((d + 2) n)) ** (1 / (d + 4))`` (Silverman's
    rule), ``d`` the number of numeric features and ``n`` the number of rows.
    """
    columns = _containers.numeric_column_positions(X)
    if not columns:
        n_features = _containers.shape_2d(X)[1]
        raise InvalidDataError(
            f"shrinkage needs numeric features, but X has no numeric column among its "
            f"{n_features} feature(s) (shape=({len(target.codes)}, {n_features})) while a minimum "
            "of 1 is required. Set shrinkage=None to repeat rows as they are."
        )
    values = _containers.numeric_values(X, columns)
    n, d = values.shape
    h = (4 / ((d + 2) * n)) ** (1 / (d + 4))
    drawn_rows = values[drawn]
    out = drawn_rows.toarray() if sp.issparse(drawn_rows) else drawn_rows.copy()
    drawn_codes = target.codes[drawn]
    for k, cls in enumerate(target.classes):
        if cls not in shrinkage:
            continue
        rows = np.flatnonzero(drawn_codes == k)
        scale = shrinkage[cls] * h * _column_std(values[target.members(k)])
        out[rows] += rng.standard_normal((rows.size, d)) * scale
    return out, columns


def _column_std(values: FloatArray | SparseMatrix) -> np.ndarray:
    """Population standard deviation of each column, ignoring NaN; sparse stays sparse."""
    if not isinstance(values, np.ndarray):  # sparse
        mean = np.asarray(values.mean(axis=0)).ravel()
        mean_sq = np.asarray(values.multiply(values).mean(axis=0)).ravel()
        return np.sqrt(np.maximum(mean_sq - mean**2, 0.0))
    if np.isnan(values).all(axis=0).any():
        values = np.where(np.isnan(values).all(axis=0), 0.0, values)
    return np.nanstd(values, axis=0)
