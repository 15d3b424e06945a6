"""Parameter constraints declared as data and checked once, when ``fit`` is entered.

A small, public-API-only counterpart of scikit-learn's private ``_param_validation``: each
estimator declares ``_parameter_constraints = {"name": [constraint, ...]}`` and the shell calls
:func:`validate_params`. Messages follow scikit-learn's wording::

    The 'shrinkage' parameter of RandomOverSampler must be a float in the range [0, inf),
    a dict or None. Got -1 instead.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal, get_args

import numpy as np

from ._typing import Backend
from .exceptions import InvalidParameterError

__all__ = [
    "NEIGHBORS_CONSTRAINTS",
    "N_JOBS_CONSTRAINT",
    "SAMPLING_STRATEGY_CONSTRAINT",
    "Interval",
    "Options",
    "validate_params",
]


@dataclass(frozen=True)
class Interval:
    """Numbers of ``kind`` between ``left`` and ``right`` (``None`` means unbounded)."""

    kind: Literal["int", "real"]
    left: float | None
    right: float | None
    closed: Literal["both", "left", "right", "neither"] = "both"

    def accepts(self, value: object) -> bool:
        if isinstance(value, bool | np.bool_):
            return False
        if self.kind == "int" and not isinstance(value, numbers.Integral):
            return False
        if not isinstance(value, numbers.Real) or math.isnan(value):
            return False
        value = float(value)
        low_ok = self.left is None or (
            value >= self.left if self.closed in ("both", "left") else value > self.left
        )
        high_ok = self.right is None or (
            value <= self.right if self.closed in ("both", "right") else value < self.right
        )
        return bool(low_ok and high_ok)

    def describe(self) -> str:
        noun = "an int" if self.kind == "int" else "a float"
        lb = "[" if self.closed in ("both", "left") and self.left is not None else "("
        rb = "]" if self.closed in ("both", "right") and self.right is not None else ")"
        left = "-inf" if self.left is None else _fmt(self.left)
        right = "inf" if self.right is None else _fmt(self.right)
        return f"{noun} in the range {lb}{left}, {right}{rb}"


@dataclass(frozen=True)
class Options:
    """One of a fixed set of strings."""

    values: frozenset[str]

    def __init__(self, values: Iterable[str]) -> None:
        object.__setattr__(self, "values", frozenset(values))

    def accepts(self, value: object) -> bool:
        return isinstance(value, str) and value in self.values

    def describe(self) -> str:
        return "a str among " + ", ".join(repr(v) for v in sorted(self.values))


_NAMED: dict[str, tuple[Callable[[Any], bool], str]] = {
    "boolean": (lambda v: isinstance(v, bool | np.bool_), "a bool"),
    "random_state": (
        lambda v: (
            v is None
            or (isinstance(v, numbers.Integral) and not isinstance(v, bool) and 0 <= int(v) < 2**32)
            or isinstance(v, np.random.RandomState | np.random.Generator)
        ),
        "an int in the range [0, 2**32), a numpy RandomState or Generator, or None",
    ),
    "dict": (lambda v: isinstance(v, Mapping), "a dict"),
    "str": (lambda v: isinstance(v, str), "a str"),
    "callable": (callable, "a callable"),
    "estimator": (lambda v: hasattr(v, "fit"), "an estimator with a fit method"),
    "sampler": (lambda v: hasattr(v, "fit_resample"), "a sampler with a fit_resample method"),
}


# Constraints shared by several packages (samplers, ensembles, Dask, Spark), declared once here.
SAMPLING_STRATEGY_CONSTRAINT: list[Any] = [Interval("real", None, None), "str", "dict", "callable"]
"""``sampling_strategy``: a float, a strategy name, a dict of counts or a callable."""

N_JOBS_CONSTRAINT: list[Any] = [None, Interval("int", -1, -1), Interval("int", 1, None)]
"""``n_jobs``: None, -1 (every core) or a positive count."""

NEIGHBORS_CONSTRAINTS: dict[str, list[Any]] = {
    "neighbors": [Options(get_args(Backend))],
    "n_jobs": N_JOBS_CONSTRAINT,
}
"""``neighbors`` (a backend of the neighbour engine) and ``n_jobs`` of neighbour-based samplers."""


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else repr(x)


def _accepts(constraint: Any, value: object) -> bool:
    if constraint is None:
        return value is None
    if isinstance(constraint, Interval | Options):
        return constraint.accepts(value)
    return _NAMED[constraint][0](value)


def _describe(constraint: Any) -> str:
    if constraint is None:
        return "None"
    if isinstance(constraint, Interval | Options):
        return constraint.describe()
    return _NAMED[constraint][1]


def _join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " or " + parts[-1]


def validate_params(
    owner: str, constraints: Mapping[str, list[Any]], params: Mapping[str, Any]
) -> None:
    """Raise :class:`InvalidParameterError` for the first parameter that fits no constraint."""
    for name, allowed in constraints.items():
        value = params[name]
        if any(_accepts(c, value) for c in allowed):
            continue
        expected = _join([_describe(c) for c in allowed])
        raise InvalidParameterError(
            f"The {name!r} parameter of {owner} must be {expected}. Got {value!r} instead."
        )
