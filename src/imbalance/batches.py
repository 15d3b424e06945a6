"""Class-aware mini-batches as numpy arrays, for Keras, JAX or a plain training loop.

:func:`balanced_batches` yields ``(X_batch, y_batch)`` (and ``w_batch`` when ``sample_weight`` is
given) in the caller's container type. It shares its sampling engine with the samplers of
:mod:`imbalance.torch`, which wrap the same plans in ``torch.utils.data.Sampler`` classes; this
module never imports torch.

How the engine works, in brief:

- labels are grouped once into ``order`` (row positions sorted by class, int32 below 2**31 rows)
  and per-class ``offsets``: O(N) bytes, built in chunks, and no limit on the number of rows;
- draws *with* replacement are two-stage: a class from an alias table (O(1) per draw), then a
  row uniformly inside the class; they are generated in blocks of 65,536 whose seeds depend only
  on ``(seed, epoch, block)``;
- draws *without* replacement, and every epoch-structured batch plan, read positions of
  per-class random permutations that are computed on demand from a key: a Feistel network with
  cycle walking for classes above 64 rows, an exact sort of hashed keys below. No permutation of
  N rows is ever materialised, so the memory of an epoch is O(batch), and any share of an epoch
  (a distributed rank's) is computed without the rest.

The engine lives in the private package ``imbalance._batching``, one module per concern.

References
----------
.. [1] M. Luby and C. Rackoff, "How to construct pseudorandom permutations from pseudorandom
   functions", SIAM J. Computing 17(2), 1988 (Feistel networks).
.. [2] J. Black and P. Rogaway, "Ciphers with arbitrary finite domains", CT-RSA 2002 (cycle
   walking).
.. [3] M. D. Vose, "A linear algorithm for generating random numbers with a given
   distribution", IEEE Trans. Software Eng. 17(9), 1991 (alias tables).
"""

from __future__ import annotations

import numbers
from collections.abc import Iterator
from typing import Any, Literal

from ._batching import draw_epochs, group_labels, stratified_epochs, yield_batches
from ._containers import n_rows, target_to_numpy
from ._typing import ArrayLike, RandomState, SamplingStrategy, Target
from ._validation import check_generator, check_sample_weight
from .exceptions import InvalidDataError, InvalidParameterError

__all__ = ["balanced_batches"]


class BalancedBatchIterator(Iterator[tuple[Any, ...]]):
    """The iterator :func:`balanced_batches` returns; ``steps_per_epoch`` batches per epoch."""

    def __init__(self, batches: Iterator[tuple[Any, ...]], steps_per_epoch: int) -> None:
        self._batches = batches
        self.steps_per_epoch = steps_per_epoch

    def __next__(self) -> tuple[Any, ...]:
        return next(self._batches)


def balanced_batches(
    X: ArrayLike,
    y: Target,
    *,
    batch_size: int = 32,
    mode: Literal["balanced", "stratified"] = "balanced",
    strategy: SamplingStrategy = "balanced",
    power: float | None = None,
    replacement: bool = True,
    num_samples: int | None = None,
    min_per_class: int = 0,
    drop_last: bool = False,
    sample_weight: ArrayLike | None = None,
    epochs: int | None = 1,
    random_state: RandomState = None,
) -> BalancedBatchIterator:
    """Mini-batches of ``(X, y)`` that re-balance the classes, for any training loop.

    Parameters
    ----------
    X : {array-like, sparse matrix, DataFrame} of shape (n_samples, ...)
        Features; batches come back in the same container type (rows taken by position).
    y : array-like of shape (n_samples,)
        Class labels.
    batch_size : int, default=32
        Rows per batch (the last batch of an epoch may be smaller unless ``drop_last``).
    mode : {"balanced", "stratified"}, default="balanced"
        ``"balanced"`` draws rows as :class:`imbalance.torch.ClassBalancedSampler` does (class
        proportions set by ``strategy``); ``"stratified"`` keeps the data's proportions in
        every batch and yields each row once per epoch, as
        :class:`imbalance.torch.StratifiedBatchSampler` does.
    strategy : str, float, dict or callable, default="balanced"
        ``"balanced"``, ``"sqrt"``, ``"natural"`` (smoothing powers 1, 0.5, 0) or any
        ``sampling_strategy`` (over-sampling meaning when ``replacement``, under-sampling
        meaning otherwise). Mode ``"balanced"`` only.
    power : float, default=None
        Smoothing power: each row of a class with ``n`` rows weighs ``n ** -power``. Replaces
        ``strategy``. Mode ``"balanced"`` only.
    replacement : bool, default=True
        Independent draws (True) or exact per-class quotas without repeats before a class is
        exhausted (False). Mode ``"balanced"`` only.
    num_samples : int, default=None
        Rows per epoch in mode ``"balanced"``: ``len(y)`` for a smoothing power, the total the
        ``sampling_strategy`` asks for otherwise.
    min_per_class : int, default=0
        Mode ``"stratified"``: at least this many rows of every class in each batch.
    drop_last : bool, default=False
        Drop the last, smaller batch of each epoch.
    sample_weight : array-like of shape (n_samples,), default=None
        When given, every batch is ``(X_batch, y_batch, w_batch)``.
    epochs : int or None, default=1
        Epochs to yield; ``None`` yields forever (for Keras' ``steps_per_epoch``).
    random_state : int, RandomState, Generator or None, default=None
        Seeds epoch ``e`` with ``(seed, e)``; the same int gives the same batches.

    Returns
    -------
    batches : iterator of tuple
        ``(X_batch, y_batch)`` or ``(X_batch, y_batch, w_batch)``; its ``steps_per_epoch``
        attribute is the number of batches per epoch.

    See Also
    --------
    imbalance.torch.ClassBalancedSampler, imbalance.torch.StratifiedBatchSampler

    Examples
    --------
    >>> import numpy as np
    >>> from imbalance.batches import balanced_batches
    >>> X = np.arange(20).reshape(10, 2); y = np.array([0] * 8 + [1] * 2)
    >>> batches = balanced_batches(X, y, batch_size=4, random_state=0)
    >>> batches.steps_per_epoch
    3
    >>> [np.bincount(yb, minlength=2).tolist() for _, yb in batches]
    [[2, 2], [2, 2], [1, 1]]
    >>> batches = balanced_batches(X, y, batch_size=5, mode="stratified", random_state=0)
    >>> [np.bincount(yb, minlength=2).tolist() for _, yb in batches]
    [[4, 1], [4, 1]]
    """
    owner = "balanced_batches"
    _check_batches_params(batch_size, mode, min_per_class, epochs, owner)
    y_arr = target_to_numpy(y)
    if n_rows(X) != n_rows(y_arr):
        raise InvalidDataError(
            f"X and y have different lengths: X has {n_rows(X)} rows, y has {n_rows(y_arr)}. "
            "Pass one label per row of X."
        )
    weights = None if sample_weight is None else check_sample_weight(sample_weight, n_rows(y_arr))
    groups = group_labels(y_arr, owner=owner)
    seed = int(check_generator(random_state).integers(2**63 - 1))
    if mode == "stratified":
        plan_for, steps = stratified_epochs(groups, batch_size, min_per_class, drop_last)
    else:
        plan_for, steps = draw_epochs(
            groups, strategy, power, replacement, num_samples, batch_size, drop_last, owner
        )
    stream = yield_batches(X, y, weights, plan_for, seed, epochs)
    return BalancedBatchIterator(stream, steps)


def _check_batches_params(
    batch_size: object, mode: object, min_per_class: object, epochs: object, owner: str
) -> None:
    for name, value, low in (("batch_size", batch_size, 1), ("min_per_class", min_per_class, 0)):
        if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < low:
            raise InvalidParameterError(
                f"The {name!r} parameter of {owner} must be an int in the range [{low}, inf). "
                f"Got {value!r} instead."
            )
    if mode not in ("balanced", "stratified"):
        raise InvalidParameterError(
            f"The 'mode' parameter of {owner} must be 'balanced' or 'stratified'. "
            f"Got {mode!r} instead."
        )
    if epochs is not None and (
        isinstance(epochs, bool) or not isinstance(epochs, numbers.Integral) or epochs < 1
    ):
        raise InvalidParameterError(
            f"The 'epochs' parameter of {owner} must be an int in the range [1, inf) or None "
            f"(endless). Got {epochs!r} instead."
        )
