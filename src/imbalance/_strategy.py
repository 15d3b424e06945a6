"""Resolve ``sampling_strategy`` into final per-class counts, one pure function per form.

Every form imbalanced-learn accepts is accepted here with the same meaning; the result,
``target_counts``, maps *every* class to the number of rows it has after resampling, so it
means the same thing for over-, under- and cleaning samplers.

Two deliberate differences from imbalanced-learn 0.14:

- Ties (two classes with the same count) are broken by label order: "the minority class" is the
  smallest label among the rarest classes. (imbalanced-learn breaks ties by the order in which
  labels first appear in y, which changes when rows are shuffled.)
- A float ratio that the data already has is accepted and changes nothing (imbalanced-learn
  raises "required to remove samples" when there is nothing to add).
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Mapping
from typing import Any, Protocol

import numpy as np

from ._typing import SamplingKind, SamplingStrategy
from .exceptions import InvalidParameterError, SamplingStrategyError


class CountedTarget(Protocol):
    """An encoded target that knows its class counts (in memory, or on Dask and Spark)."""

    @property
    def class_counts(self) -> dict[Any, int]: ...


__all__ = [
    "CLEANING_NAMES",
    "STRATEGY_NAMES",
    "check_cleaning_strategy_form",
    "cleaned_classes",
    "imblearn_sampling_strategy",
    "resolve_sampling_strategy",
    "resolve_shrinkage",
]

STRATEGY_NAMES = ("auto", "minority", "majority", "not minority", "not majority", "all")

CLEANING_NAMES = tuple(name for name in STRATEGY_NAMES if name != "minority")
_CLEANING_ADVICE = (
    "To reach given counts use RandomUnderSampler, NearMiss or ClusterCentroids; to clean some "
    "classes only, pass their labels as a list"
)


_VERB = {"over": "over-sampling", "under": "under-sampling", "clean": "cleaning"}


def resolve_sampling_strategy(
    sampling_strategy: SamplingStrategy,
    class_counts: Mapping[Any, int],
    *,
    kind: SamplingKind,
    labels: np.ndarray | None = None,
) -> dict[Any, int]:
    """Final number of rows of every class after resampling.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable
        As documented on the samplers (imbalanced-learn's meanings).
    class_counts : dict of {class_label: int}
        Number of rows of each class in the data, in label order.
    kind : {"over", "under", "clean"}
        Over-samplers only add rows, under-samplers and cleaners only remove rows.
    labels : ndarray of shape (n_samples,), default=None
        The labels, passed to a callable ``sampling_strategy``.

    Returns
    -------
    target_counts : dict of {class_label: int}
        Every class of ``class_counts``, mapped to its count after resampling.
    """
    counts = dict(class_counts)
    if len(counts) < 2:
        only = next(iter(counts), None)
        raise SamplingStrategyError(
            f"y holds one class only ({only!r}); resampling needs at least two classes. "
            "Check the target column, or that the split did not leave one class alone."
        )
    if isinstance(sampling_strategy, str):
        return _from_name(sampling_strategy, counts, kind)
    if isinstance(sampling_strategy, numbers.Real) and not isinstance(sampling_strategy, bool):
        return _from_ratio(float(sampling_strategy), counts, kind)
    if isinstance(sampling_strategy, Mapping):
        return _from_dict(sampling_strategy, counts, kind)
    if callable(sampling_strategy):
        return _from_callable(sampling_strategy, counts, kind, labels)
    raise InvalidParameterError(
        "sampling_strategy must be a float, one of "
        f"{', '.join(map(repr, STRATEGY_NAMES))}, a dict {{class: count}} or a callable; "
        f"got {sampling_strategy!r}."
    )


def imblearn_sampling_strategy(
    sampling_strategy: SamplingStrategy,
    class_counts: Mapping[Any, int],
    target_counts: Mapping[Any, int],
    *,
    kind: SamplingKind,
) -> dict[Any, int]:
    """imbalanced-learn's ``sampling_strategy_`` from the resolved ``target_counts``.

    Only the classes the strategy targets appear, in label order: for over-sampling the number
    of rows to add, for under-sampling the number of rows to keep, for cleaning the number of
    rows the class has (imbalanced-learn's meanings).
    """
    if isinstance(sampling_strategy, str) and kind != "clean":
        targeted = _chosen(sampling_strategy, class_counts, kind)
    elif isinstance(sampling_strategy, str | list | tuple):
        targeted = [c for c, n in target_counts.items() if n > 0]
    elif isinstance(sampling_strategy, numbers.Real):
        pick = min if kind == "over" else max
        targeted = [pick(class_counts, key=class_counts.__getitem__)]
    elif isinstance(sampling_strategy, Mapping):
        targeted = list(sampling_strategy)
    else:  # a callable: the classes whose count it changed
        targeted = [c for c in class_counts if target_counts[c] != class_counts[c]]
    if kind == "over":
        return {c: target_counts[c] - class_counts[c] for c in class_counts if c in targeted}
    return {c: target_counts[c] for c in class_counts if c in targeted}


def _chosen(name: str, counts: Mapping[Any, int], kind: SamplingKind) -> list[Any]:
    """The classes a named strategy targets."""
    minority = min(counts, key=counts.__getitem__)
    majority = max(counts, key=counts.__getitem__)
    auto = "not majority" if kind == "over" else "not minority"
    name = auto if name == "auto" else name
    return {
        "minority": [minority],
        "majority": [majority],
        "not minority": [c for c in counts if c != minority],
        "not majority": [c for c in counts if c != majority],
        "all": list(counts),
    }[name]


def _from_name(name: str, counts: dict[Any, int], kind: SamplingKind) -> dict[Any, int]:
    if name not in STRATEGY_NAMES:
        raise InvalidParameterError(
            f"sampling_strategy={name!r} is not a known strategy; use one of "
            f"{', '.join(map(repr, STRATEGY_NAMES))}, a float, a dict or a callable."
        )
    minority = min(counts, key=counts.__getitem__)
    majority = max(counts, key=counts.__getitem__)
    auto = "not majority" if kind == "over" else "not minority"
    name = auto if name == "auto" else name
    if (kind == "over" and name == "majority") or (kind != "over" and name == "minority"):
        raise SamplingStrategyError(
            f"sampling_strategy={name!r} cannot be used for {_VERB[kind]}: it would "
            f"{'grow the majority' if kind == 'over' else 'shrink the minority'} class. "
            f"Use 'auto' or name the classes in a dict."
        )
    chosen = _chosen(name, counts, kind)
    goal = counts[majority] if kind == "over" else counts[minority]
    return {c: (goal if c in chosen else n) for c, n in counts.items()}


def _from_ratio(ratio: float, counts: dict[Any, int], kind: SamplingKind) -> dict[Any, int]:
    if len(counts) != 2:
        raise SamplingStrategyError(
            f"sampling_strategy={ratio!r} (a float) is only defined for two classes; y has "
            f"{len(counts)} ({', '.join(map(repr, counts))}). Pass a dict {{class: count}} instead."
        )
    if kind == "clean":
        raise SamplingStrategyError(
            f"sampling_strategy={ratio!r}: cleaning samplers take a string or a list of classes, "
            "not a ratio."
        )
    if not 0.0 < ratio <= 1.0:
        raise InvalidParameterError(
            f"sampling_strategy={ratio!r} must be a ratio in (0, 1]: the size of the minority "
            "class divided by the size of the majority class after resampling."
        )
    minority = min(counts, key=counts.__getitem__)
    majority = max(counts, key=counts.__getitem__)
    if kind == "over":
        goal = int(counts[majority] * ratio)
        if goal < counts[minority]:
            raise SamplingStrategyError(
                f"sampling_strategy={ratio!r} asks class {minority!r} to shrink from "
                f"{counts[minority]} to {goal} rows, but an over-sampler only adds rows. "
                f"Use a ratio >= {counts[minority] / counts[majority]:.4g}, or an under-sampler."
            )
        return {c: (goal if c == minority else n) for c, n in counts.items()}
    goal = int(counts[minority] / ratio)
    if goal > counts[majority]:
        raise SamplingStrategyError(
            f"sampling_strategy={ratio!r} asks class {majority!r} to grow from "
            f"{counts[majority]} to {goal} rows, but an under-sampler only removes rows. "
            f"Use a ratio >= {counts[minority] / counts[majority]:.4g}, or an over-sampler."
        )
    return {c: (goal if c == majority else n) for c, n in counts.items()}


def _from_dict(
    asked: Mapping[Any, Any], counts: dict[Any, int], kind: SamplingKind
) -> dict[Any, int]:
    absent = [c for c in asked if c not in counts]
    if absent:
        raise SamplingStrategyError(
            f"sampling_strategy names class(es) {', '.join(map(repr, absent))} that y does not "
            f"hold; y's classes are {', '.join(map(repr, counts))}."
        )
    target = dict(counts)
    for cls, n in asked.items():
        if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < 0:
            raise SamplingStrategyError(
                f"sampling_strategy asks {n!r} rows for class {cls!r}; counts must be "
                "non-negative integers."
            )
        n = int(n)
        if kind == "over" and n < counts[cls]:
            raise SamplingStrategyError(
                f"sampling_strategy asks {n} rows for class {cls!r}, which has {counts[cls]}; "
                f"an over-sampler only adds rows. Ask for >= {counts[cls]} or use an under-sampler."
            )
        if kind != "over" and n > counts[cls]:
            raise SamplingStrategyError(
                f"sampling_strategy asks {n} rows for class {cls!r}, which has {counts[cls]}; "
                f"an under-sampler only removes rows. Ask for <= {counts[cls]} or use an "
                "over-sampler."
            )
        target[cls] = n
    return target


def _from_callable(
    func: Callable[..., Any], counts: dict[Any, int], kind: SamplingKind, labels: np.ndarray | None
) -> dict[Any, int]:
    asked = func(labels)
    if not isinstance(asked, Mapping):
        raise InvalidParameterError(
            f"sampling_strategy, a callable, must return a dict {{class: count}}; "
            f"{getattr(func, '__name__', func)!r} returned {type(asked).__name__}."
        )
    return _from_dict(asked, counts, kind)


def check_cleaning_strategy_form(owner: str, value: object) -> None:
    """A cleaning sampler takes no counts: say so for a dict, a ratio or a callable."""
    if isinstance(value, Mapping):
        form, example = "a dict of counts", f" (here {list(value)!r})"
    elif isinstance(value, numbers.Real) and not isinstance(value, bool):
        form, example = "a float ratio", ""
    elif callable(value):
        form, example = "a callable", ""
    else:
        return
    raise SamplingStrategyError(
        f"{owner} is a cleaning sampler: it removes the rows its rule finds and does not reach "
        f"counts, so sampling_strategy cannot be {form}; got {value!r}. Name the classes to "
        f"clean with {', '.join(map(repr, CLEANING_NAMES))} or a list of labels. "
        f"{_CLEANING_ADVICE}{example}."
    )


def cleaned_classes(owner: str, strategy: Any, counts: Mapping[Any, int]) -> list[Any]:
    """The classes whose rows may be removed, in label order (``counts`` in label order)."""
    if len(counts) < 2:
        only = next(iter(counts), None)
        raise SamplingStrategyError(
            f"y holds one class only ({only!r}); {owner} needs at least two classes. "
            "Check the target column, or that the split did not leave one class alone."
        )
    if isinstance(strategy, list | tuple):
        absent = [c for c in strategy if c not in counts]
        if absent:
            raise SamplingStrategyError(
                f"sampling_strategy of {owner} names class(es) {', '.join(map(repr, absent))} "
                f"that y does not hold; y's classes are {', '.join(map(repr, counts))}."
            )
        return [c for c in counts if c in set(strategy)]
    minority = min(counts, key=counts.__getitem__)
    majority = max(counts, key=counts.__getitem__)
    name = "not minority" if strategy == "auto" else strategy
    chosen = {
        "majority": [majority],
        "not minority": [c for c in counts if c != minority],
        "not majority": [c for c in counts if c != majority],
        "all": list(counts),
    }
    return chosen[name]


def resolve_shrinkage(
    shrinkage: float | Mapping[Any, float] | None,
    target_counts: Mapping[Any, int],
    target: CountedTarget,
) -> dict[Any, float] | None:
    """``shrinkage`` as one float per over-sampled class (None when not set).

    A float applies to every class that ``target_counts`` grows; a dict must name exactly those.
    """
    if shrinkage is None:
        return None
    counts = target.class_counts
    grown = [c for c in counts if target_counts[c] > counts[c]]
    if not isinstance(shrinkage, Mapping):
        return {c: float(shrinkage) for c in grown}
    missing = [c for c in grown if c not in shrinkage]
    extra = [c for c in shrinkage if c not in grown]
    if missing or extra:
        raise InvalidParameterError(
            "shrinkage, a dict, must give one value for each over-sampled class "
            f"({', '.join(map(repr, grown))}); missing {missing!r}, not over-sampled {extra!r}."
        )
    bad = {c: v for c, v in shrinkage.items() if not (isinstance(v, int | float) and v >= 0)}
    if bad:
        raise InvalidParameterError(f"shrinkage values must be non-negative floats; got {bad!r}.")
    return {c: float(shrinkage[c]) for c in grown}
