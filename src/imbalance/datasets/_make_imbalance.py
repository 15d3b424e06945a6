"""Turn a (balanced) data set into an imbalanced one by under-sampling classes."""

from __future__ import annotations

import numbers
from collections import Counter
from collections.abc import Mapping
from typing import Any

from .._containers import target_to_numpy
from .._typing import ArrayLike, RandomState, SamplingStrategy, Target
from ..exceptions import SamplingStrategyError
from ..samplers import RandomUnderSampler

__all__ = ["make_imbalance"]


def make_imbalance(
    X: ArrayLike,
    y: Target,
    *,
    sampling_strategy: SamplingStrategy,
    random_state: RandomState = None,
) -> tuple[Any, Any]:
    """Keep a random subset of each class so that the data set becomes imbalanced.

    Parameters
    ----------
    X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
    y : array-like of shape (n_samples,)
    sampling_strategy : dict of {class_label: int}, float or callable
        The count to keep of each class named (others are kept whole), a minority-to-majority
        ratio for two classes, or a callable returning such a dict.
    random_state : int, RandomState instance, Generator or None, default=None
        Seed of the draws.

    Returns
    -------
    X_imbalanced, y_imbalanced : the kept rows, in input order, in the caller's containers

    Raises
    ------
    SamplingStrategyError
        ``y`` holds one class only, or a count is negative or above the class's size.

    Examples
    --------
    >>> from collections import Counter
    >>> from sklearn.datasets import load_iris
    >>> from imbalance.datasets import make_imbalance
    >>> X, y = load_iris(return_X_y=True)
    >>> X_imb, y_imb = make_imbalance(X, y, sampling_strategy={0: 10, 1: 20}, random_state=0)
    >>> sorted(Counter(y_imb.tolist()).items())
    [(0, 10), (1, 20), (2, 50)]
    """
    labels = target_to_numpy(y)
    if labels.ndim == 1:  # indicator targets: the sampler checks them
        counts = Counter(labels.tolist())
        if len(counts) < 2:
            raise SamplingStrategyError(
                f"make_imbalance: y holds one class only ({', '.join(map(repr, counts))}); "
                "the target needs to have more than 1 class to be made imbalanced. Check "
                "that y is the target column."
            )
        if isinstance(sampling_strategy, Mapping):
            _check_counts(sampling_strategy, counts)
    sampler = RandomUnderSampler(sampling_strategy=sampling_strategy, random_state=random_state)
    return sampler.fit_resample(X, y)


def _check_counts(wanted: Mapping[Any, Any], counts: Mapping[Any, int]) -> None:
    for label, n in wanted.items():
        have = counts.get(label)
        if have is None or isinstance(n, bool) or not isinstance(n, numbers.Integral):
            continue  # unknown classes and non-integers: the sampler's own messages
        n = int(n)
        if n < 0:
            raise SamplingStrategyError(
                f"make_imbalance: sampling_strategy asks {n} rows for class {label!r}; the "
                "number of samples in a class cannot be negative. Ask for a count between 0 "
                f"and {have}."
            )
        if n > have:
            raise SamplingStrategyError(
                f"make_imbalance: sampling_strategy asks {n} rows for class {label!r}, which has "
                f"{have}; the count should be less or equal to the original number of samples "
                "(make_imbalance only removes rows). Use an over-sampler to add rows."
            )
