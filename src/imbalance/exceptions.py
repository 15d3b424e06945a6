"""Exceptions raised by ``imbalance``.

Every exception derives from :class:`ImbalanceError` and also from the built-in (or
scikit-learn) type that callers already catch, so ``except ValueError`` keeps working::

    ImbalanceError
    ├── InvalidParameterError      (ValueError, TypeError)  a constructor parameter is wrong
    ├── InvalidDataError           (ValueError)             X, y or sample_weight cannot be used
    │   ├── DataTypeError          (ValueError, TypeError)  values of a type that cannot be used
    │   ├── SamplingStrategyError  (ValueError)             sampling_strategy contradicts the data
    │   └── ResamplingError        (ValueError, RuntimeError) the algorithm cannot resample this
    │                                                       data with these estimators
    ├── NotFittedError             (sklearn NotFittedError) a fitted attribute was asked too early
    └── MissingDependencyError     (ImportError)            an optional extra is not installed

Messages name the parameter or class at fault, the value received, and what to do instead.
"""

from __future__ import annotations

from sklearn.exceptions import NotFittedError as _SklearnNotFittedError

__all__ = [
    "DataTypeError",
    "ImbalanceError",
    "InvalidDataError",
    "InvalidParameterError",
    "MissingDependencyError",
    "NotFittedError",
    "ResamplingError",
    "SamplingStrategyError",
]


class ImbalanceError(Exception):
    """Root of every exception raised on purpose by ``imbalance``."""


class InvalidParameterError(ImbalanceError, ValueError, TypeError):
    """A parameter has a value or type that the estimator does not accept."""


class InvalidDataError(ImbalanceError, ValueError):
    """The data passed (``X``, ``y``, ``sample_weight``) cannot be used as given."""


class DataTypeError(InvalidDataError, TypeError):
    """X or y holds values of a type that cannot be used (text where numbers are needed)."""


class SamplingStrategyError(InvalidDataError):
    """``sampling_strategy`` asks for something the data does not allow."""


class ResamplingError(InvalidDataError, RuntimeError):
    """The algorithm cannot produce its output on this data with these estimators (no
    cluster qualifies, a user's estimator lacks the fitted attribute the algorithm reads).
    A RuntimeError too, as imbalanced-learn raises there."""


class NotFittedError(ImbalanceError, _SklearnNotFittedError):
    """An attribute or method that needs a fitted estimator was used before fitting."""


class MissingDependencyError(ImbalanceError, ImportError):
    """An optional dependency (an extra) is needed but not installed."""
