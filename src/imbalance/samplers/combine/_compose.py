"""Two samplers in a row, traced back to the rows of the first one's input.

The combinations are compositions, not subclasses: :func:`compose` runs any sampler that adds
rows and then any sampler that removes rows, and works out which input row (or which pair of
parents) every output row comes from, so that ``sample_indices_``, ``synthetic_parents_`` and
``sample_weight`` keep working through both steps.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.base import clone

from ... import _containers
from ..._validation import check_generator, check_X_y, encode_target
from ...exceptions import InvalidParameterError, SamplingStrategyError
from ..over import SMOTE

__all__ = ["Composed", "compose", "fit_composition", "over_sampler_of"]


def over_sampler_of(owner: Any) -> Any:
    """A clone of ``owner.smote``, or a SMOTE built from the owner's own parameters, seeded
    with one draw from the owner's ``random_state``."""
    if owner.smote is not None:
        return clone(owner.smote)
    seed = int(check_generator(owner.random_state).integers(2**31))
    return SMOTE(
        sampling_strategy=owner.sampling_strategy,
        random_state=seed,
        neighbors=owner.neighbors,
        n_jobs=owner.n_jobs,
    )


class Composed:
    """The output of two samplers and its provenance in the first one's input."""

    def __init__(
        self, X: Any, y: Any, sample_indices: np.ndarray, synthetic_parents: np.ndarray
    ) -> None:
        self.X = X
        self.y = y
        self.sample_indices = sample_indices
        self.synthetic_parents = synthetic_parents


def _provenance(owner: str, role: str, sampler: Any, n_out: int) -> tuple[np.ndarray, np.ndarray]:
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


def compose(owner: str, first: Any, second: Any, X: Any, y: Any) -> Composed:
    """``second.fit_resample(*first.fit_resample(X, y))``, traced back to the rows of X.

    The rows kept from X come first, in the order the second sampler gives them, then the
    synthetic rows that survived, each with the parents the first sampler gave it.
    """
    X1, y1 = first.fit_resample(X, y)
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
        X2, y2 = _containers.take_rows(X2, order), _containers.take_rows(y2, order)
        kept2, synthetic = kept2[order], synthetic[order]
    sample_indices = kept1[kept2[~synthetic]]
    width = parents1.shape[1] if parents1.ndim == 2 else 2
    synthetic_parents = (
        parents1[kept2[synthetic] - kept1.shape[0]]
        if synthetic.any()
        else np.empty((0, width), dtype=np.intp)
    )
    return Composed(X2, y2, sample_indices, synthetic_parents)


def fit_composition(sampler: Any, first: Any, second: Any, X: Any, y: Any) -> tuple[Any, Any]:
    """The body of a combination's ``fit_resample`` (after its parameters are checked): check
    the data, run both samplers, record.

    Sets on ``sampler`` what every sampler of the package exposes (``target_counts_`` as the
    counts that came out, ``sample_indices_``, ``synthetic_parents_``, the input's classes and
    columns) and returns the output of the second sampler.
    """
    owner = type(sampler).__name__
    X, y, n_features, y_arr = check_X_y(X, y)
    target = encode_target(y_arr)
    sampler._record_input(X, n_features, target)
    if len(target.classes) < 2:
        raise SamplingStrategyError(
            f"y holds one class only ({target.classes[0]!r}); {owner} needs at least two "
            "classes. Check the target column, or that the split did not leave one class alone."
        )
    out = compose(owner, first, second, X, y)
    labels = _containers.target_to_numpy(out.y)
    counts = dict.fromkeys(target.classes, 0)
    for cls, n in encode_target(labels).class_counts.items() if len(labels) else []:
        counts[cls] = n
    sampler.target_counts_ = counts
    sampler.sample_indices_ = out.sample_indices
    sampler.synthetic_parents_ = out.synthetic_parents
    return out.X, out.y
