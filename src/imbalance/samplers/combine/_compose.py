"""Two samplers in a row, traced back to the rows of the first one's input.

The combinations are compositions, not subclasses: :func:`compose` runs any sampler that adds
rows and then any sampler that removes rows, and works out which input row (or which pair of
parents) every output row comes from, so that ``sample_indices_``, ``synthetic_parents_`` and
``sample_weight`` keep working through both steps. The combination samplers return the
composed rows from their ``_fit_resample``; the one shell does the rest.
"""

from __future__ import annotations

from typing import Any, Protocol

import numpy as np
from sklearn.base import clone

from ... import _containers
from ..._typing import ArrayLike, Backend, Estimator, Sampler, SamplingStrategy
from ...base import Resampled
from ...exceptions import InvalidParameterError
from ..over._smote import SMOTE

__all__ = ["compose", "over_sampler_of"]


class _Composition(Protocol):
    """What a composition (SMOTEENN, SMOTETomek) tells about its first step."""

    smote: Sampler | None
    sampling_strategy: SamplingStrategy
    neighbors: Backend
    n_jobs: int | None


def over_sampler_of(owner: _Composition, rng: np.random.Generator) -> Any:
    """A clone of ``owner.smote``, or a SMOTE built from the owner's own parameters, seeded
    with one draw from the owner's generator."""
    if owner.smote is not None:
        return clone(owner.smote)
    seed = int(rng.integers(2**31))
    return SMOTE(
        sampling_strategy=owner.sampling_strategy,
        random_state=seed,
        neighbors=owner.neighbors,
        n_jobs=owner.n_jobs,
    )


def _provenance(
    owner: str, role: str, sampler: Estimator, n_out: int
) -> tuple[np.ndarray, np.ndarray]:
    indices = getattr(sampler, "sample_indices_", None)
    if indices is None:
        raise InvalidParameterError(
            f"{owner} traces every output row back to X, but its {role} "
            f"({type(sampler).__name__}) does not expose sample_indices_. Use a sampler from "
            "imbalance.samplers."
        )
    parents = getattr(sampler, "synthetic_parents_", None)
    if parents is None:
        parents = np.empty((0, 2), dtype=np.intp)
    parents = np.asarray(parents)
    if indices.shape[0] + parents.shape[0] != n_out:
        raise InvalidParameterError(
            f"{owner}: its {role} ({type(sampler).__name__}) returned {n_out} rows but accounts "
            f"for {indices.shape[0] + parents.shape[0]}; its rows cannot be traced."
        )
    return np.asarray(indices), parents


def compose(
    owner: str, first: Sampler, second: Sampler, X: ArrayLike, labels: np.ndarray
) -> Resampled:
    """``second.fit_resample(*first.fit_resample(X, labels))``, traced back to the rows of X.

    The rows kept from X come first, in the order the second sampler gives them, then the
    synthetic rows that survived, each with the parents the first sampler gave it. The X rows
    the two samplers built come back as ``built``.
    """
    X1, y1 = first.fit_resample(X, labels)
    kept1, parents1 = _provenance(owner, "first sampler", first, _containers.n_rows(y1))
    X2, y2 = second.fit_resample(X1, y1)
    kept2, parents2 = _provenance(owner, "second sampler", second, _containers.n_rows(y2))
    if parents2.shape[0]:
        raise InvalidParameterError(
            f"{owner}: the second sampler ({type(second).__name__}) made {parents2.shape[0]} "
            "new rows; it must only remove rows (a cleaning or under-sampler that keeps rows)."
        )
    synthetic = kept2 >= kept1.shape[0]
    if synthetic.any() and not (np.diff(synthetic.astype(np.int8)) >= 0).all():
        order = np.argsort(synthetic, kind="stable")
        X2 = _containers.take_rows(X2, order)
        kept2, synthetic = kept2[order], synthetic[order]
    width = parents1.shape[1] if parents1.ndim == 2 else 2
    synthetic_parents = (
        parents1[kept2[synthetic] - kept1.shape[0]]
        if synthetic.any()
        else np.empty((0, width), dtype=np.intp)
    )
    return Resampled(indices=kept1[kept2[~synthetic]], parents=synthetic_parents, built=X2)
