"""What the cleaning samplers share: the classes to clean, the shell, and neighbour lists.

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
from sklearn.base import clone

from ... import _containers
from ..._param_validation import Options
from ..._strategy import CLEANING_NAMES, check_cleaning_strategy_form, cleaned_classes
from ..._validation import EncodedTarget
from ...base import BaseSampler, Resampled
from ...exceptions import InvalidDataError, InvalidParameterError
from ...neighbors import NeighborIndex
from ..over._smote_common import Features

__all__ = [
    "CLEANING_STRATEGY",
    "CleaningSampler",
    "EstimatorLists",
    "NeighbourLists",
    "Satisfies",
    "check_estimator_spec",
    "check_neighbourhood",
    "cleaned_classes",
    "minority_code",
    "numeric_features",
    "search_jobs",
    "vote",
]

# Searches with fewer (queries x rows) than this run on one thread.
_SMALL_SEARCH = 1 << 22


class Satisfies(Options):
    """A parameter constraint given by a test and its wording (forms the shared validation
    does not name, such as a list of classes or a cross-validation splitter)."""

    def __init__(self, test: Callable[[Any], bool], wording: str) -> None:
        super().__init__(())
        object.__setattr__(self, "test", test)
        object.__setattr__(self, "wording", wording)

    def accepts(self, value: Any) -> bool:
        return bool(self.test(value))  # type: ignore[attr-defined]

    def describe(self) -> str:
        return str(self.wording)  # type: ignore[attr-defined]


CLEANING_STRATEGY: list[Any] = [
    Options(CLEANING_NAMES),
    Satisfies(lambda v: isinstance(v, list | tuple), "a list of the classes to clean"),
]


def minority_code(target: EncodedTarget) -> int:
    """Code of the rarest class; ties go to the smallest label (as everywhere in the package)."""
    return int(np.argmin(target.counts))


def numeric_features(X: Any, owner: str) -> Any:
    """float64 values of the numeric columns of X (a CSR matrix for sparse X), all finite."""
    columns = _containers.numeric_column_positions(X)
    if not columns:
        raise InvalidDataError(
            f"{owner} measures distances between rows on their numeric columns, but X has none. "
            "Encode the features as numbers first (e.g. sklearn.preprocessing.OneHotEncoder)."
        )
    return Features(X, owner, columns).rows()


def check_neighbourhood(owner: str, param: str, k: int, available: int, where: str) -> None:
    """Raise in the user's terms when fewer than ``k`` rows can be neighbours (``where`` says
    which rows those are)."""
    if k > available:
        way_out = f"Lower {param} to at most {available}" if available else "Give more rows"
        raise InvalidDataError(
            f"{owner} looks at the {param}={k} nearest rows of each row, but only {available} "
            f"row(s) can be neighbours ({where}). {way_out}."
        )


def search_jobs(n_jobs: int | None, n_queries: int, n_rows: int) -> int | None:
    """Threads for a search: one for small ones (thread start-up costs more than the search,
    badly so on a busy machine), else what the user asked. Results do not depend on it."""
    if n_jobs is None and n_queries * n_rows < _SMALL_SEARCH:
        return 1
    return n_jobs


def vote(labels: np.ndarray, n_classes: int) -> np.ndarray:
    """Most frequent code of each row of ``labels``; ties go to the smallest code."""
    counts = np.zeros((labels.shape[0], n_classes), dtype=np.intp)
    rows = np.repeat(np.arange(labels.shape[0]), labels.shape[1])
    np.add.at(counts, (rows, labels.ravel()), 1)
    return np.argmax(counts, axis=1)


class NeighbourLists:
    """Nearest neighbours of rows among the rows still *alive*, from one index over all rows.

    Rows are only ever removed, so the neighbours of a row among the alive rows are its
    neighbours among all rows with the removed ones skipped: each row is searched once (with a
    margin of ``width`` neighbours) and searched again, deeper, only when removals have left it
    fewer than it needs. Results equal a fresh search over the alive rows, ties included
    (removing rows keeps the order of positions).
    """

    def __init__(
        self, F: Any, *, width: int, backend: str, n_jobs: int | None, seed: int | None
    ) -> None:
        self.n = F.shape[0]
        self.width = max(1, min(width, self.n - 1))
        jobs = search_jobs(n_jobs, self.n, self.n)
        self.index = NeighborIndex(backend=backend, n_jobs=jobs, random_state=seed).fit(F)  # type: ignore[arg-type]
        self.lists = np.full((self.n, self.width), -1, dtype=np.intp)
        self.known = np.zeros(self.n, dtype=bool)
        self.alive = np.ones(self.n, dtype=bool)

    @property
    def backend_(self) -> str:
        return str(self.index.backend_)

    def remove(self, rows: np.ndarray) -> None:
        self.alive[rows] = False

    def neighbours(self, rows: np.ndarray, k: int) -> np.ndarray:
        """The ``k`` nearest alive rows of each of ``rows`` (alive themselves), nearest first."""
        rows = np.asarray(rows, dtype=np.intp)
        if rows.size == 0:
            return np.empty((0, k), dtype=np.intp)
        self._search(rows[~self.known[rows]], self.width)
        found, count = self._alive_prefix(rows)
        depth = self.width
        short = count < k
        while short.any() and depth < self.n - 1:
            depth = min(2 * depth, self.n - 1)
            self._search(rows[short], depth)
            found[short], count[short] = self._alive_prefix(rows[short])
            short = count < k
        return found[:, :k]

    def _search(self, rows: np.ndarray, depth: int) -> None:
        """Search ``rows`` over all rows and keep the first ``width`` alive neighbours."""
        if rows.size == 0:
            return
        lists = self.index.kneighbors(None, depth, rows=rows)
        alive = self.alive[lists]
        order = np.argsort(~alive, axis=1, kind="stable")[:, : self.width]
        kept = np.take_along_axis(lists, order, axis=1)
        kept[~np.take_along_axis(alive, order, axis=1)] = -1
        if kept.shape[1] < self.width:
            pad = np.full((len(rows), self.width - kept.shape[1]), -1, dtype=np.intp)
            kept = np.hstack([kept, pad])
        self.lists[rows] = kept
        self.known[rows] = True

    def _alive_prefix(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        lists = self.lists[rows]
        ok = (lists >= 0) & self.alive[np.maximum(lists, 0)]
        order = np.argsort(~ok, axis=1, kind="stable")
        compact = np.take_along_axis(lists, order, axis=1)
        count = ok.sum(axis=1)
        compact[np.arange(self.width)[None, :] >= count[:, None]] = -1
        self.lists[rows] = compact
        return compact, count


class EstimatorLists:
    """The same interface over a user's neighbours estimator (imbalanced-learn's convention).

    The estimator is fitted on the alive rows at each call, and its ``n_neighbors`` counts the
    row itself, which is dropped from the answer.
    """

    backend_ = "estimator"

    def __init__(self, F: Any, estimator: Any) -> None:
        self.F = F
        self.estimator = estimator
        self.alive = np.ones(F.shape[0], dtype=bool)

    def remove(self, rows: np.ndarray) -> None:
        self.alive[rows] = False

    def neighbours(self, rows: np.ndarray, k: int) -> np.ndarray:
        rows = np.asarray(rows, dtype=np.intp)
        if rows.size == 0:
            return np.empty((0, k), dtype=np.intp)
        alive = np.flatnonzero(self.alive)
        est = clone(self.estimator).fit(self.F[alive])
        found = np.asarray(est.kneighbors(self.F[rows], return_distance=False))[:, 1:]
        return alive[found[:, :k]]


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

    def _fit_resample(self, X: Any, target: EncodedTarget, rng: np.random.Generator) -> Resampled:
        cleaned = np.asarray(_codes(target, list(self.sampling_strategy_)), dtype=np.intp)
        return self._clean(X, target, np.sort(cleaned), rng)

    def _clean(
        self, X: Any, target: EncodedTarget, cleaned: np.ndarray, rng: np.random.Generator
    ) -> Resampled:
        raise NotImplementedError


# The name the cleaning samplers were first declared with (``class X(CleaningSampler,
# BaseSampler)``): the same class.
CleaningMixin = CleaningSampler


def _codes(target: EncodedTarget, chosen: list[Any]) -> list[int]:
    position = {cls: k for k, cls in enumerate(target.classes)}
    return [position[c] for c in chosen]


def check_estimator_spec(owner: str, param: str, spec: Any) -> None:
    """An estimator given for neighbours must have ``kneighbors`` and ``n_neighbors >= 2``."""
    if isinstance(spec, numbers.Integral):
        return
    n = spec.get_params().get("n_neighbors") if hasattr(spec, "get_params") else None
    if not hasattr(spec, "kneighbors") or not isinstance(n, numbers.Integral) or n < 2:
        raise InvalidParameterError(
            f"{param} of {owner}, an estimator, must have a kneighbors method and "
            f"n_neighbors >= 2 (it counts the row itself, as in imbalanced-learn); got "
            f"{type(spec).__name__} with n_neighbors={n!r}."
        )
