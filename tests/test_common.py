"""The contract over every public sampler, and scikit-learn's checks over our meta-estimators."""

from __future__ import annotations

import pytest

from imbalance.samplers import RandomOverSampler, RandomUnderSampler
from imbalance.utils import all_samplers
from imbalance.utils.estimator_checks import parametrize_with_sampler_checks

# FunctionSampler's output is its function's, with no rows to trace: tests/samplers/test_function.py
SAMPLERS = [cls() for name, cls in all_samplers() if name != "FunctionSampler"] + [
    RandomOverSampler(shrinkage=0.5),
    RandomOverSampler(sampling_strategy="all"),
    RandomUnderSampler(replacement=True),
    RandomUnderSampler(sampling_strategy={0: 20}),
]


@parametrize_with_sampler_checks(SAMPLERS)
def test_sampler_contract(sampler, check):
    check(sampler)


def test_every_sampler_is_discovered():
    names = {name for name, _ in all_samplers()}
    assert {"RandomOverSampler", "RandomUnderSampler"} <= names


@pytest.mark.parametrize("name_cls", all_samplers(), ids=lambda p: p[0])
def test_docstring_documents_every_fitted_attribute(name_cls):
    from imbalance.utils.estimator_checks import make_check_data

    name, cls = name_cls
    sampler = cls()
    X, y = make_check_data()
    sampler.fit_resample(X, y)
    fitted = [a for a in vars(sampler) if a.endswith("_") and not a.startswith("_")]
    doc = cls.__doc__ or ""
    missing = [a for a in fitted if f"{a} :" not in doc]
    assert not missing, f"{name} does not document {missing}"
