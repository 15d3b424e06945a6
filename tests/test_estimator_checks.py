"""The contract checks accept a well-behaved third-party sampler and catch broken ones."""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
import pytest

from imbalance.base import BaseSampler, Resampled, SamplerTags
from imbalance.utils.estimator_checks import check_sampler, iter_sampler_checks


class KeepNearestToCentre(BaseSampler):
    """A third party's deterministic under-sampler: keeps the rows nearest their class centre."""

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {"sampling_strategy": ["str", "dict"]}
    _sampler_tags = SamplerTags(kind="under", reads_features=True)
    _sampling_kind = "under"

    def __init__(self, *, sampling_strategy="auto"):
        self.sampling_strategy = sampling_strategy

    def _fit_resample(self, X, target, rng):
        values = np.asarray(X.toarray() if hasattr(X, "toarray") else X, dtype=float)
        kept = []
        for k, cls in enumerate(target.classes):
            members = target.members(k)
            centre = values[members].mean(axis=0)
            order = np.argsort(((values[members] - centre) ** 2).sum(axis=1), kind="stable")
            kept.append(np.sort(members[order[: self.target_counts_[cls]]]))
        return Resampled(indices=np.sort(np.concatenate(kept)))


def test_a_third_party_sampler_built_on_the_public_base_passes():
    check_sampler(KeepNearestToCentre())
    names = {c.__name__ for c in iter_sampler_checks(KeepNearestToCentre())}
    assert "check_deterministic" not in names, "no random_state parameter, no determinism check"
    assert "check_nan_passes_through" not in names, "it reads X"


class ShufflesRows(KeepNearestToCentre):
    def _fit_resample(self, X, target, rng):
        out = super()._fit_resample(X, target, rng)
        return Resampled(indices=out.indices[::-1])


class MutatesX(KeepNearestToCentre):
    def _fit_resample(self, X, target, rng):
        if isinstance(X, np.ndarray):
            X[0, 0] = 1e9
        return super()._fit_resample(X, target, rng)


class WrongCounts(KeepNearestToCentre):
    def _fit_resample(self, X, target, rng):
        out = super()._fit_resample(X, target, rng)
        return Resampled(indices=out.indices[1:])


@pytest.mark.parametrize(
    ("broken", "check_name"),
    [
        (ShufflesRows(), "check_rows_subset_or_superset"),
        (MutatesX(), "check_inputs_unchanged"),
        (WrongCounts(), "check_target_counts"),
    ],
)
def test_the_checks_catch_broken_samplers(broken, check_name):
    check = next(c for c in iter_sampler_checks(broken) if c.__name__ == check_name)
    with pytest.raises(AssertionError):
        check(broken)


def test_samplers_of_another_library_get_only_the_safe_checks():
    imblearn = pytest.importorskip("imblearn.under_sampling")
    names = {c.__name__ for c in iter_sampler_checks(imblearn.RandomUnderSampler())}
    assert "check_returns_pair" in names and "check_sample_indices" not in names
    for check in iter_sampler_checks(imblearn.RandomUnderSampler(random_state=0)):
        if check.__name__ in (
            "check_returns_pair",
            "check_inputs_unchanged",
            "check_deterministic",
        ):
            check(imblearn.RandomUnderSampler(random_state=0))
