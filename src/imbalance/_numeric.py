"""Checks of numbers that users hand in: weights and probabilities.

One function per kind of number, used wherever that kind enters the library, so that the same
bad value gets the same answer everywhere:

- :func:`check_weights`: sample weights, class weights, priors: finite, non-negative and not all
  zero (a weighted mean over weights that are all zero is 0 / 0).
- :func:`check_probabilities`: predicted probabilities: finite and in ``[0, 1]``.

Both return a new float64 array and raise an :mod:`imbalance.exceptions` type whose message
names the argument, the first bad value and its position, and what to do instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from ._containers import target_to_numpy
from ._typing import ArrayLike
from .exceptions import InvalidDataError, InvalidParameterError

_SLACK = 1e-12

__all__ = ["check_class_weight", "check_param_weights", "check_probabilities", "check_weights"]


def _as_float_array(values: ArrayLike, name: str, error: type[Exception], what: str) -> np.ndarray:
    try:
        arr = np.array(target_to_numpy(values), dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise error(f"{name} must hold {what}; got {values!r:.200}.") from exc
    return arr


def _position(arr: np.ndarray, bad: np.ndarray) -> str:
    first = np.unravel_index(int(np.flatnonzero(bad)[0]), arr.shape)
    where = first[0] if len(first) == 1 else tuple(int(i) for i in first)
    return f"{int(bad.sum())} bad value(s), the first {float(arr[first])!r} at position {where}"


def check_weights(
    values: ArrayLike,
    name: str,
    *,
    n: int | None = None,
    what_n: str = "row",
    allow_all_zero: bool = False,
    error: type[Exception] = InvalidDataError,
) -> np.ndarray:
    """Weights as a 1-D float64 array: finite, non-negative and (unless allowed) not all zero.

    Parameters
    ----------
    values : array-like of shape (n,)
        The weights (list, ndarray, pandas or polars Series).
    name : str
        The argument's name in the user's call, for the message (``"sample_weight"``).
    n : int, default=None
        The number of weights expected (one per ``what_n``); not checked when None.
    what_n : str, default="row"
        What each weight belongs to, for the message.
    allow_all_zero : bool, default=False
        Accept weights that are all zero (only where nothing is divided by their sum).
    error : exception type, default=InvalidDataError
        ``InvalidParameterError`` for weights given as a parameter.
    """
    w = _as_float_array(values, name, error, f"one number per {what_n}")
    if w.ndim != 1 or (n is not None and w.shape[0] != n):
        expected = f"({n},)" if n is not None else "(n,)"
        raise error(
            f"{name} must hold one weight per {what_n}, shape {expected}; got shape {w.shape}."
        )
    bad = ~np.isfinite(w) | (w < 0)
    if bad.any():
        raise error(
            f"{name} must be finite and >= 0; it holds {_position(w, bad)}. Give such "
            f"{what_n}s weight 0 (or drop them) instead of a negative, NaN or infinite weight."
        )
    if not allow_all_zero and w.size and not (w > 0).any():
        raise error(
            f"{name} is zero for every {what_n}, so nothing is weighted and every weighted mean is "
            f"0 / 0. Give at least one {what_n} a positive weight, or pass {name}=None."
        )
    return w


def check_probabilities(
    values: ArrayLike, name: str, *, error: type[Exception] = InvalidDataError
) -> np.ndarray:
    """Probabilities as a float64 array of the same shape: finite and within ``[0, 1]``.

    A rounding error of at most ``1e-12`` past either end (``1.0000000000000002`` from a sum of
    floats) is clipped, not refused.
    """
    p = _as_float_array(values, name, error, "probabilities")
    bad = ~np.isfinite(p) | (p < -_SLACK) | (p > 1 + _SLACK)
    if bad.any():
        raise error(
            f"{name} must hold probabilities in [0, 1]; it holds {_position(p, bad)}. Pass "
            "predict_proba's output (not decision_function scores or logits: apply a sigmoid "
            "or softmax first), with missing predictions dropped."
        )
    return np.clip(p, 0.0, 1.0)


def check_param_weights(values: ArrayLike, name: str, *, n: int | None = None) -> np.ndarray:
    """:func:`check_weights` for weights given as a parameter (one per class)."""
    return check_weights(values, name, n=n, what_n="class", error=InvalidParameterError)


def check_class_weight(class_weight: Mapping[Any, Any]) -> dict[Any, float]:
    """A ``class_weight`` dict with every value checked as by :func:`check_weights`."""
    classes = list(class_weight)
    try:
        values = check_param_weights([class_weight[c] for c in classes], "class_weight")
    except InvalidParameterError as exc:
        raise InvalidParameterError(
            f"{exc} (classes in order: {', '.join(map(repr, classes[:10]))}"
            f"{', ...' if len(classes) > 10 else ''})"
        ) from None
    return dict(zip(classes, values.tolist(), strict=True))
