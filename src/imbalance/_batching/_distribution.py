"""Class distributions: the probability of each class per draw, and the draws per epoch.

A strategy is a smoothing power (:data:`POWER_NAMES`, or ``power=``) or any
``sampling_strategy`` resolved into final counts. :func:`apportion` turns probabilities into
exact per-class quotas; :func:`alias_table` into Vose's alias table [1]_ for O(1) draws.

References
----------
.. [1] M. D. Vose, "A linear algorithm for generating random numbers with a given
   distribution", IEEE Trans. Software Eng. 17(9), 1991 (alias tables).
"""

from __future__ import annotations

import math
import numbers
from typing import Any, Literal

import numpy as np

from .._strategy import STRATEGY_NAMES, resolve_sampling_strategy
from .._typing import SamplingStrategy
from ..exceptions import InvalidDataError, InvalidParameterError
from ._labels import LabelGroups

POWER_NAMES: dict[str, float] = {"balanced": 1.0, "sqrt": 0.5, "natural": 0.0}
"""Named smoothing powers: a sample of a class with ``n`` rows weighs ``n ** -power``."""


def class_distribution(
    groups: LabelGroups,
    strategy: SamplingStrategy,
    power: float | None,
    *,
    replacement: bool,
    owner: str,
) -> tuple[np.ndarray, int]:
    """Probability of each class per draw, and the default number of draws per epoch.

    A smoothing power (``strategy`` in :data:`POWER_NAMES`, or ``power``) gives class ``k`` a
    probability proportional to ``n_k ** (1 - power)`` and an epoch of N draws. Any other
    ``strategy`` is a ``sampling_strategy`` resolved into final counts (over-sampling meaning
    with replacement, under-sampling meaning without); the probabilities are proportional to
    them and an epoch draws their total.
    """
    if power is not None:
        if not (isinstance(strategy, str) and strategy == "balanced"):
            raise InvalidParameterError(
                f"{owner} got power={power!r} and strategy={strategy!r}; power replaces the "
                "strategy. Pass one of them."
            )
        _check_power(power, owner)
        return _power_probabilities(groups.counts, float(power)), groups.n_samples
    if isinstance(strategy, str) and strategy in POWER_NAMES:
        return _power_probabilities(groups.counts, POWER_NAMES[strategy]), groups.n_samples
    if groups.labels is None:
        raise InvalidParameterError(
            f"strategy={strategy!r} of {owner} is a per-class count, which a multi-label "
            f"indicator does not define; use one of {', '.join(map(repr, POWER_NAMES))} or power."
        )
    goal = _resolve_strategy(groups, strategy, "over" if replacement else "under", owner)
    counts = np.array([goal[c] for c in groups.classes], dtype=np.float64)
    if counts.sum() <= 0:
        raise InvalidParameterError(
            f"strategy={strategy!r} of {owner} asks for no sample of any class; "
            "ask for at least one."
        )
    return counts / counts.sum(), int(counts.sum())


def _resolve_strategy(
    groups: LabelGroups, strategy: SamplingStrategy, kind: Literal["over", "under"], owner: str
) -> dict[Any, int]:
    if isinstance(strategy, str) and strategy not in STRATEGY_NAMES:
        names = ", ".join(map(repr, [*POWER_NAMES, *STRATEGY_NAMES]))
        raise InvalidParameterError(
            f"strategy={strategy!r} of {owner} is not a known strategy; use one of {names}, a "
            "float, a dict {class: count}, a callable, or power=<float>."
        )
    try:
        return resolve_sampling_strategy(
            strategy,
            groups.class_counts,
            kind=kind,
            labels=groups.labels,
        )
    except InvalidDataError as exc:
        raise type(exc)(f"{owner} reads strategy as a sampling_strategy: {exc}") from exc
    except InvalidParameterError as exc:
        raise InvalidParameterError(
            f"{owner} reads strategy as a sampling_strategy: {exc}"
        ) from exc


def _check_power(power: object, owner: str) -> None:
    if (
        isinstance(power, bool)
        or not isinstance(power, numbers.Real)
        or not 0 <= float(power) < math.inf
    ):
        raise InvalidParameterError(
            f"The 'power' parameter of {owner} must be a float in the range [0, inf) (1 balances "
            f"the classes, 0.5 is square-root sampling, 0 keeps the data's proportions). "
            f"Got {power!r} instead."
        )


def _power_probabilities(counts: np.ndarray, power: float) -> np.ndarray:
    logits = (1.0 - power) * np.log(counts.astype(np.float64))
    weights = np.exp(logits - logits.max())
    return weights / weights.sum()


def check_num_samples(num_samples: object, default: int, owner: str) -> int:
    """``num_samples`` validated, or ``default`` when it is None."""
    if num_samples is None:
        return default
    if isinstance(num_samples, bool) or not isinstance(num_samples, numbers.Integral):
        raise InvalidParameterError(
            f"The 'num_samples' parameter of {owner} must be an int in the range [1, inf) or "
            f"None. Got {num_samples!r} instead."
        )
    if num_samples < 1:
        raise InvalidParameterError(
            f"The 'num_samples' parameter of {owner} must be an int in the range [1, inf) or "
            f"None. Got {num_samples!r} instead."
        )
    return int(num_samples)


def apportion(total: int, probs: np.ndarray) -> np.ndarray:
    """Integer counts summing to ``total``, proportional to ``probs`` (largest remainder)."""
    raw = total * np.asarray(probs, dtype=np.float64)
    counts = np.floor(raw).astype(np.int64)
    short = int(total - counts.sum())
    if short > 0:
        counts[np.argsort(-(raw - counts), kind="stable")[:short]] += 1
    return counts


def alias_table(probs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Vose's alias table: column ``i = floor(u * C)`` gives ``i`` if its fraction < ``keep[i]``."""
    n = probs.shape[0]
    scaled = np.asarray(probs, dtype=np.float64) * n / probs.sum()
    keep = np.ones(n)
    alias = np.arange(n)
    small = [i for i in range(n) if scaled[i] < 1.0]
    large = [i for i in range(n) if scaled[i] >= 1.0]
    while small and large:
        s, g = small.pop(), large.pop()
        keep[s], alias[s] = scaled[s], g
        scaled[g] -= 1.0 - scaled[s]
        (small if scaled[g] < 1.0 else large).append(g)
    return keep, alias
