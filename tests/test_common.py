"""The contract over every public sampler, and scikit-learn's checks over our meta-estimators."""

from __future__ import annotations

import warnings

import pytest
from sklearn.ensemble import RandomForestClassifier
from sklearn.utils.estimator_checks import parametrize_with_checks

from imbalance.samplers import RandomOverSampler, RandomUnderSampler
from imbalance.utils import all_samplers
from imbalance.utils.estimator_checks import parametrize_with_sampler_checks


def _instance(name: str, cls: type) -> object:
    """The sampler with its defaults, except KMeansSMOTE's seed and InstanceHardnessThreshold's
    forest: 10 trees instead of 100 keep its checks the same and save about two minutes of CI
    (its default forest is exercised in tests/samplers/test_iht.py)."""
    if name == "InstanceHardnessThreshold":
        return cls(estimator=RandomForestClassifier(n_estimators=10, random_state=0))
    if name == "KMeansSMOTE":
        # on scikit-learn's 20-row data whether a cluster qualifies depends on the k-means
        # seed; with None it came from the global RNG, so from the order tests run in (xdist)
        return cls(random_state=0)
    return cls()


# FunctionSampler's output is its function's, with no rows to trace: tests/samplers/test_function.py
SAMPLERS = [_instance(name, cls) for name, cls in all_samplers() if name != "FunctionSampler"] + [
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


# scikit-learn's own estimator checks over every sampler (samplers have fit; the checks call it
# with scikit-learn's small data). The failures we expect, each with its reason:
_TOO_FEW_FOR_K = (
    "scikit-learn's 10-row data leave 3 rows in a class, fewer than the default k; our error "
    "says so, scikit-learn wants the words '1 feature(s)' in it"
)
_UNREAD_NAN = (
    "deliberate: NaN in rows the sampler never reads (a class SMOTE does not grow) passes "
    "through untouched; NaN where it computes is refused (docs/migrating-from-imbalanced-learn.md)"
)
_CATEGORIES = "categorical samplers take any value as a category, NaN and objects included"
SKLEARN_EXPECTED_FAILURES = {
    "ADASYN": {"check_fit2d_1feature": _TOO_FEW_FOR_K},
    "BorderlineSMOTE": {"check_fit2d_1feature": _TOO_FEW_FOR_K},
    "InstanceHardnessThreshold": {
        "check_fit2d_1feature": _TOO_FEW_FOR_K,
        "check_estimators_nan_inf": "its default RandomForest handles NaN, so NaN is accepted",
    },
    "KMeansSMOTE": {
        "check_fit2d_1feature": _TOO_FEW_FOR_K,
        "check_estimator_sparse_array": "no k-means cluster of scikit-learn's tiny data "
        "holds enough rows of a class; our error says so",
        "check_estimator_sparse_matrix": "as check_estimator_sparse_array",
    },
    "SMOTE": {"check_fit2d_1feature": _TOO_FEW_FOR_K, "check_estimators_nan_inf": _UNREAD_NAN},
    "SMOTEENN": {"check_fit2d_1feature": _TOO_FEW_FOR_K},
    "SMOTETomek": {"check_fit2d_1feature": _TOO_FEW_FOR_K},
    "SVMSMOTE": {"check_fit2d_1feature": _TOO_FEW_FOR_K},
    "SMOTEN": {
        "check_fit2d_1feature": _TOO_FEW_FOR_K,
        "check_dtype_object": _CATEGORIES,
        "check_estimators_nan_inf": _CATEGORIES,
    },
    "SMOTENC": {
        "check_fit2d_1feature": _TOO_FEW_FOR_K,
        "check_dtype_object": _CATEGORIES,
        "check_estimators_nan_inf": _CATEGORIES,
    },
}


@parametrize_with_checks(
    [_instance(name, cls) for name, cls in all_samplers()],
    expected_failed_checks=lambda est: SKLEARN_EXPECTED_FAILURES.get(type(est).__name__, {}),
)
def test_sklearn_check_estimator(estimator, check):
    with warnings.catch_warnings():
        # scikit-learn's checks feed tiny data: BorderlineSMOTE warns when no row is in danger
        warnings.filterwarnings("ignore", "BorderlineSMOTE found no row", UserWarning)
        check(estimator)
