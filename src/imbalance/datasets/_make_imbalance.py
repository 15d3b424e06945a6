"""Turn a (balanced) data set into an imbalanced one by under-sampling classes."""

from __future__ import annotations

from typing import Any

from .._typing import RandomState, SamplingStrategy
from ..samplers import RandomUnderSampler

__all__ = ["make_imbalance"]


def make_imbalance(
    X: Any, y: Any, *, sampling_strategy: SamplingStrategy, random_state: RandomState = None
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
    sampler = RandomUnderSampler(sampling_strategy=sampling_strategy, random_state=random_state)
    return sampler.fit_resample(X, y)
