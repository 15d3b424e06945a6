"""What the cleaning samplers share: the classes to clean, the shell, votes and checks.

A cleaning sampler removes the rows that a rule finds (noisy rows, borderline rows, Tomek
links); it has no counts to reach. Its ``sampling_strategy`` therefore only names the classes
whose rows may be removed, as in imbalanced-learn: ``"auto"`` (= ``"not minority"``),
``"majority"``, ``"not minority"``, ``"not majority"``, ``"all"``, or a list of classes. After a
call, ``target_counts_`` holds the number of rows of each class that came out.

:class:`CleaningSampler` gives the family its hooks on the one shell,
:meth:`BaseSampler.fit_resample`: the classes to clean are resolved instead of target counts,
and ``target_counts_`` is recorded from the output.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable
from typing import Any

import numpy as np

from ..._param_validation import Options
from ..._strategy import CLEANING_NAMES, check_cleaning_strategy_form, cleaned_classes
from ..._typing import ArrayLike, NeighborSpec
from ..._validation import EncodedTarget
from ...base import BaseSampler, Resampled
from ...exceptions import InvalidDataError, InvalidParameterError
from ...neighbors import is_estimator

__all__ = [
    "CLEANING_STRATEGY",
    "CleaningSampler",
    "Satisfies",
    "check_estimator_spec",
    "check_neighbourhood",
    "cleaned_classes",
    "minority_code",
    "vote",
]


class Satisfies(Options):
    """A parameter constraint given by a test and its wording (forms the shared validation
    does not name, such as a list of classes or a cross-validation splitter)."""

    test: Callable[[object], bool]
    wording: str

    def __init__(self, test: Callable[[object], bool], wording: str) -> None:
        super().__init__(())
        object.__setattr__(self, "test", test)
        object.__setattr__(self, "wording", wording)

    def accepts(self, value: object) -> bool:
        return bool(self.test(value))

    def describe(self) -> str:
        return self.wording


CLEANING_STRATEGY: list[Any] = [
    Options(CLEANING_NAMES),
    Satisfies(lambda v: isinstance(v, list | tuple), "a list of the classes to clean"),
]


def minority_code(target: EncodedTarget) -> int:
    """Code of the rarest class; ties go to the smallest label (as everywhere in the package)."""
    return int(np.argmin(target.counts))


def check_neighbourhood(owner: str, param: str, k: int, available: int, where: str) -> None:
    """Raise in the user's terms when fewer than ``k`` rows can be neighbours (``where`` says
    which rows those are)."""
    if k > available:
        way_out = f"Lower {param} to at most {available}" if available else "Give more rows"
        raise InvalidDataError(
            f"{owner} looks at the {param}={k} nearest rows of each row, but only {available} "
            f"row(s) can be neighbours ({where}). {way_out}."
        )


def vote(labels: np.ndarray, n_classes: int) -> np.ndarray:
    """Most frequent code of each row of ``labels``; ties go to the smallest code."""
    counts = np.zeros((labels.shape[0], n_classes), dtype=np.intp)
    rows = np.repeat(np.arange(labels.shape[0]), labels.shape[1])
    np.add.at(counts, (rows, labels.ravel()), 1)
    return np.argmax(counts, axis=1)


class CleaningSampler(BaseSampler):
    """The cleaning family's hooks on the one ``fit_resample`` shell: resolve the classes to
    clean (not counts), and count what came out.

    A cleaning sampler implements ``_clean(X, target, cleaned, rng) -> Resampled`` where
    ``cleaned`` holds the codes of the classes whose rows may be removed. After a call,
    ``sampling_strategy_`` maps each cleaned class to the size of the smallest class
    (imbalanced-learn's value) and ``target_counts_`` every class to its rows after.
    """

    _sampling_kind = "clean"

    def _check_params(self) -> None:
        check_cleaning_strategy_form(type(self).__name__, self.get_params()["sampling_strategy"])
        super()._check_params()

    def _resolve_targets(self, target: EncodedTarget) -> None:
        owner = type(self).__name__
        strategy = self.get_params()["sampling_strategy"]
        chosen = cleaned_classes(owner, strategy, target.class_counts)
        fewest = min(target.class_counts.values())  # imbalanced-learn's value for every class
        self.sampling_strategy_ = dict.fromkeys(chosen, fewest)
        self.target_counts_ = dict(target.class_counts)  # until the rows are cleaned

    def _fit_resample(
        self, X: ArrayLike, target: EncodedTarget, rng: np.random.Generator
    ) -> Resampled:
        cleaned = np.asarray(_codes(target, list(self.sampling_strategy_)), dtype=np.intp)
        return self._clean(X, target, np.sort(cleaned), rng)

    def _clean(
        self, X: ArrayLike, target: EncodedTarget, cleaned: np.ndarray, rng: np.random.Generator
    ) -> Resampled:
        raise NotImplementedError


# The name the cleaning samplers were first declared with (``class X(CleaningSampler,
# BaseSampler)``): the same class.
CleaningMixin = CleaningSampler


def _codes(target: EncodedTarget, chosen: list[Any]) -> list[int]:
    position = {cls: k for k, cls in enumerate(target.classes)}
    return [position[c] for c in chosen]


def check_estimator_spec(owner: str, param: str, spec: NeighborSpec) -> None:
    """An estimator given for neighbours must have ``kneighbors`` and ``n_neighbors >= 2``."""
    if isinstance(spec, numbers.Integral):
        return
    n = spec.get_params().get("n_neighbors") if hasattr(spec, "get_params") else None
    if not is_estimator(spec) or not isinstance(n, numbers.Integral) or n < 2:
        raise InvalidParameterError(
            f"{param} of {owner}, an estimator, must have a kneighbors method and "
            f"n_neighbors >= 2 (it counts the row itself, as in imbalanced-learn); got "
            f"{type(spec).__name__} with n_neighbors={n!r}."
        )
