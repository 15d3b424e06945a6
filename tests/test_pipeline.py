"""Composition: scikit-learn's contract, no leakage anywhere, sample_weight follows its rows."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn import config_context
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.decomposition import PCA
from sklearn.exceptions import NotFittedError, UnsetMetadataPassedError
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import (
    GridSearchCV,
    StratifiedKFold,
    TunedThresholdClassifierCV,
    cross_validate,
)
from sklearn.pipeline import Pipeline as SkPipeline
from sklearn.pipeline import make_pipeline as sk_make_pipeline
from sklearn.preprocessing import FunctionTransformer, StandardScaler
from sklearn.utils.estimator_checks import parametrize_with_checks
from sklearn.utils.validation import check_is_fitted

from imbalance.base import BaseSampler
from imbalance.exceptions import InvalidParameterError
from imbalance.model_selection import resampled_splits
from imbalance.pipeline import Pipeline, ResampledClassifier, make_pipeline
from imbalance.samplers import RandomOverSampler, RandomUnderSampler

_WEIGHTS_ARE_NOT_REPEATS = (
    "resampling draws rows at random, so integer weights are not equivalent to repeated rows"
)


def _expected_failures(estimator):
    return {
        "check_sample_weight_equivalence_on_dense_data": _WEIGHTS_ARE_NOT_REPEATS,
        "check_sample_weight_equivalence_on_sparse_data": _WEIGHTS_ARE_NOT_REPEATS,
    }


@parametrize_with_checks(
    [
        ResampledClassifier(RandomUnderSampler(random_state=0), LogisticRegression()),
        ResampledClassifier(RandomOverSampler(random_state=0), LogisticRegression()),
        ResampledClassifier(RandomOverSampler(random_state=0, shrinkage=0.2), LogisticRegression()),
    ],
    expected_failed_checks=_expected_failures,
)
def test_resampled_classifier_sklearn_contract(estimator, check):
    check(estimator)


class SpyClassifier(ClassifierMixin, BaseEstimator):
    """Records the row ids (column 0) and weights it is fitted on and asked about."""

    log: list = []  # noqa: RUF012 - shared on purpose: clones must report to the test

    def fit(self, X, y, sample_weight=None):
        X = np.asarray(X)
        self.classes_ = np.unique(y)
        weights = None if sample_weight is None else np.asarray(sample_weight)
        SpyClassifier.log.append(("fit", X[:, 0].astype(int).copy(), weights))
        return self

    def _record(self, X):
        X = np.asarray(X)
        SpyClassifier.log.append(("predict", X[:, 0].astype(int).copy(), None))
        return X

    def predict(self, X):
        return np.full(len(self._record(X)), self.classes_[0])

    def predict_proba(self, X):
        p = (self._record(X)[:, 0] % 10) / 10.0
        return np.column_stack([1.0 - p, p])


@pytest.fixture
def id_data():
    rng = np.random.default_rng(0)
    n = 120
    y = np.array([0] * 100 + [1] * 20)
    X = np.column_stack([np.arange(n), rng.normal(size=(n, 3))])
    order = rng.permutation(n)
    return X[order], y[order]


def _folds(X, y):
    return list(StratifiedKFold(4, shuffle=True, random_state=0).split(X, y))


def _assert_no_leak(X, folds):
    """Fold i was fitted on rows of its training part only and scored on its validation part,
    every validation row exactly once (none repeated, none dropped)."""
    ids = X[:, 0].astype(int)
    fits = [ids_ for kind, ids_, _ in SpyClassifier.log if kind == "fit"]
    preds = [ids_ for kind, ids_, _ in SpyClassifier.log if kind == "predict"]
    assert len(fits) == len(folds) and len(preds) == len(folds)
    for (train, test), fit_ids, pred_ids in zip(folds, fits, preds, strict=True):
        assert set(fit_ids.tolist()) <= set(ids[train].tolist())
        assert not set(fit_ids.tolist()) & set(ids[test].tolist())
        np.testing.assert_array_equal(np.sort(pred_ids), np.sort(ids[test]))


@pytest.mark.parametrize(
    "make_model",
    [
        lambda s: ResampledClassifier(s, SpyClassifier()),
        lambda s: make_pipeline(FunctionTransformer(), s, SpyClassifier()),
        lambda s: sk_make_pipeline(FunctionTransformer(), ResampledClassifier(s, SpyClassifier())),
    ],
    ids=["ResampledClassifier", "imbalance-Pipeline", "sklearn-Pipeline"],
)
@pytest.mark.parametrize(
    "sampler", [RandomOverSampler(random_state=0), RandomUnderSampler(random_state=0)]
)
def test_validation_rows_never_resampled_in_cross_validate(id_data, make_model, sampler):
    X, y = id_data
    SpyClassifier.log = []
    folds = _folds(X, y)
    cross_validate(make_model(sampler), X, y, cv=folds, scoring="balanced_accuracy")
    _assert_no_leak(X, folds)


def test_grid_search_over_sampler_and_estimator_params(id_data):
    X, y = id_data
    model = ResampledClassifier(RandomUnderSampler(random_state=0), LogisticRegression())
    grid = GridSearchCV(
        model,
        {"sampler__sampling_strategy": [0.5, 1.0], "estimator__C": [0.1, 1.0]},
        cv=3,
        scoring="average_precision",
    ).fit(X, y)
    assert set(grid.best_params_) == {"sampler__sampling_strategy", "estimator__C"}
    counts = grid.best_estimator_.sampler_.target_counts_
    ratio = grid.best_params_["sampler__sampling_strategy"]
    assert counts[0] == int(counts[1] / ratio)


def test_tuned_threshold_classifier_cv_does_not_leak(id_data):
    X, y = id_data
    SpyClassifier.log = []
    folds = _folds(X, y)
    tuned = TunedThresholdClassifierCV(
        ResampledClassifier(RandomOverSampler(random_state=0), SpyClassifier()),
        cv=folds,
        scoring="balanced_accuracy",
    ).fit(X, y)
    assert 0.0 <= tuned.best_threshold_ <= 1.0
    preds = [ids for kind, ids, _ in SpyClassifier.log if kind == "predict"]
    ids = X[:, 0].astype(int)
    for pred_ids in preds:
        assert any(np.array_equal(np.sort(pred_ids), np.sort(ids[te])) for _, te in folds)


def test_resampled_splits_leave_validation_untouched(id_data):
    X, y = id_data
    df = pd.DataFrame(X, columns=["id", "a", "b", "c"], index=pd.Index(X[:, 0].astype(int) + 1000))
    ys = pd.Series(y, index=df.index)
    cv = StratifiedKFold(3, shuffle=True, random_state=1)
    seen_val = []
    for X_tr, y_tr, X_val, y_val in resampled_splits(cv, df, ys, RandomOverSampler(random_state=0)):
        assert isinstance(X_tr, pd.DataFrame) and isinstance(X_val, pd.DataFrame)
        assert not set(X_tr.index) & set(X_val.index), "a validation row reached training"
        assert y_tr.value_counts().nunique() == 1, "training part is balanced"
        pd.testing.assert_frame_equal(X_val, df.loc[X_val.index])
        pd.testing.assert_series_equal(y_val, ys.loc[X_val.index])
        seen_val.extend(X_val.index)
    assert sorted(seen_val) == sorted(df.index)


def test_sample_weight_follows_rows_through_resampled_classifier(id_data):
    X, y = id_data
    w = X[:, 0] + 1.0  # the weight of row id i is i + 1
    for sampler in (
        RandomOverSampler(random_state=0),
        RandomUnderSampler(random_state=0),
        RandomOverSampler(random_state=0, shrinkage=0.0),
    ):
        SpyClassifier.log = []
        model = ResampledClassifier(sampler, SpyClassifier()).fit(X, y, sample_weight=w)
        ((_, fit_ids, fit_w),) = [e for e in SpyClassifier.log if e[0] == "fit"]
        if getattr(model.sampler_, "shrinkage", None) is None:
            np.testing.assert_array_equal(fit_w, fit_ids + 1.0)
        n_kept = model.sampler_.sample_indices_.size
        np.testing.assert_array_equal(fit_w[:n_kept], X[model.sampler_.sample_indices_, 0] + 1.0)
        parents = getattr(model.sampler_, "synthetic_parents_", np.empty((0, 1), int))
        np.testing.assert_array_equal(fit_w[n_kept:], w[parents[:, 0]])


def test_sample_weight_follows_rows_through_pipeline(id_data):
    X, y = id_data
    w = X[:, 0] + 1.0
    SpyClassifier.log = []
    Pipeline([("ros", RandomOverSampler(random_state=0)), ("clf", SpyClassifier())]).fit(
        X, y, sample_weight=w
    )
    ((_, fit_ids, fit_w),) = [e for e in SpyClassifier.log if e[0] == "fit"]
    np.testing.assert_array_equal(fit_w, fit_ids + 1.0)
    assert len(fit_ids) == 200


def test_per_row_fit_params_other_than_weights_are_refused(id_data):
    X, y = id_data
    pipe = make_pipeline(RandomUnderSampler(random_state=0), LogisticRegression())
    with pytest.raises(InvalidParameterError, match="sample_weight"):
        pipe.fit(X, y, logisticregression__groups=np.ones(len(y)))


def test_step_sample_weight_follows_rows_like_the_top_level_one(id_data):
    X, y = id_data
    SpyClassifier.log = []
    pipe = Pipeline([("ros", RandomOverSampler(random_state=0)), ("clf", SpyClassifier())])
    pipe.fit(X, y, clf__sample_weight=X[:, 0] + 1.0)
    ((_, fit_ids, fit_w),) = [e for e in SpyClassifier.log if e[0] == "fit"]
    np.testing.assert_array_equal(fit_w, fit_ids + 1.0)


def test_third_party_sampler_works_but_cannot_carry_weights(id_data):
    imblearn = pytest.importorskip("imblearn.over_sampling")
    X, y = id_data
    model = ResampledClassifier(imblearn.SMOTE(random_state=0), LogisticRegression()).fit(X, y)
    assert model.predict(X).shape == y.shape
    with pytest.raises(InvalidParameterError, match="sample_indices_"):
        clone(model).fit(X, y, sample_weight=np.ones(len(y)))


def test_pipeline_skips_samplers_when_predicting_and_scores_all_rows(id_data):
    X, y = id_data
    pipe = make_pipeline(StandardScaler(), RandomUnderSampler(random_state=0), LogisticRegression())
    pipe.fit(X, y)
    assert pipe.predict(X).shape == y.shape
    assert pipe.predict_proba(X).shape == (len(y), 2)
    assert pipe.named_steps["logisticregression"].coef_.shape == (1, 4)
    assert 0.0 <= pipe.score(X, y) <= 1.0
    assert list(pipe.classes_) == [0, 1]


def test_pipeline_params_round_trip_and_errors():
    pipe = make_pipeline(RandomUnderSampler(), LogisticRegression())
    pipe.set_params(randomundersampler__sampling_strategy=0.5, logisticregression__C=3.0)
    params = pipe.get_params()
    assert params["randomundersampler__sampling_strategy"] == 0.5
    assert params["logisticregression__C"] == 3.0
    assert clone(pipe).get_params()["logisticregression__C"] == 3.0
    with pytest.raises(InvalidParameterError, match=r"Invalid parameter 'svc__C'.*no step"):
        pipe.set_params(svc__C=1.0)
    bad = Pipeline([("a", LogisticRegression()), ("b", LogisticRegression())])
    with pytest.raises(InvalidParameterError, match="neither a sampler nor a transformer"):
        bad.fit(np.zeros((4, 1)), [0, 1, 0, 1])


def test_pipeline_ending_with_a_sampler_resamples(id_data):
    X, y = id_data
    pipe = make_pipeline(FunctionTransformer(), RandomOverSampler(random_state=0))
    _, y_res = pipe.fit_resample(X, y)
    assert np.bincount(y_res).tolist() == [100, 100]


def test_make_pipeline_names_duplicates():
    pipe = make_pipeline(FunctionTransformer(), FunctionTransformer(), LogisticRegression())
    assert [n for n, _ in pipe.steps] == [
        "functiontransformer-1",
        "functiontransformer-2",
        "logisticregression",
    ]


def test_resampled_classifier_rejects_non_sampler():
    with pytest.raises(InvalidParameterError, match="fit_resample"):
        ResampledClassifier(StandardScaler(), LogisticRegression()).fit([[0.0], [1.0]], [0, 1])


def test_decision_function_is_offered_only_without_prior_correction(id_data):
    X, y = id_data
    plain = ResampledClassifier(RandomUnderSampler(random_state=0), LogisticRegression()).fit(X, y)
    assert plain.decision_function(X).shape == (len(y),)
    corrected = ResampledClassifier(
        RandomUnderSampler(random_state=0), LogisticRegression(), prior_correction=True
    )
    assert not hasattr(corrected, "decision_function")
    assert not hasattr(
        ResampledClassifier(RandomUnderSampler(), SpyClassifier()), "decision_function"
    )


# -- imbalanced-learn's Pipeline surface ----------------------------------------------------------


class _CostSampler(BaseSampler):
    """Keeps the rows and records the metadata it was given."""

    def fit_resample(self, X, y, cost=None):
        self.cost_ = cost
        return X, y


class _CountingSampler(BaseSampler):
    calls = 0

    def fit_resample(self, X, y):
        type(self).calls += 1
        self.n_seen_ = len(y)
        return X[: len(y) // 2], y[: len(y) // 2]


def test_fitted_pipeline_passes_check_is_fitted_nested_in_sklearn_pipeline(id_data):
    X, y = id_data
    inner = make_pipeline(
        StandardScaler(), RandomUnderSampler(random_state=0), LogisticRegression()
    )
    outer = SkPipeline([("inner", inner)])
    with pytest.raises(NotFittedError):
        check_is_fitted(outer)
    outer.fit(X, y)
    check_is_fitted(inner)
    check_is_fitted(outer)
    assert outer.predict(X).shape == y.shape


def test_metadata_is_routed_to_a_sampler_and_survives_clone(id_data):
    X, y = id_data
    cost = np.arange(len(y), dtype=float)
    with config_context(enable_metadata_routing=True):
        sampler = _CostSampler().set_fit_resample_request(cost=True)
        pipe = Pipeline([("s", sampler), ("clf", LogisticRegression())])
        pipe.fit(X, y, cost=cost)
        assert pipe["s"].cost_ is cost
        cloned = clone(pipe).fit(X, y, cost=cost)
        assert cloned["s"].cost_ is cost
        unrequested = Pipeline([("s", _CostSampler()), ("clf", LogisticRegression())])
        with pytest.raises(UnsetMetadataPassedError, match=r"s\.set_fit_resample_request"):
            unrequested.fit(X, y, cost=cost)


def test_routed_sample_weight_follows_the_rows(id_data):
    X, y = id_data
    SpyClassifier.log = []
    with config_context(enable_metadata_routing=True):
        clf = SpyClassifier().set_fit_request(sample_weight=True)
        pipe = Pipeline([("ros", RandomOverSampler(random_state=0)), ("clf", clf)])
        pipe.fit(X, y, sample_weight=X[:, 0] + 1.0)
    ((_, fit_ids, fit_w),) = [e for e in SpyClassifier.log if e[0] == "fit"]
    np.testing.assert_array_equal(fit_w, fit_ids + 1.0)
    assert len(fit_ids) == 200


def test_memory_caches_samplers_and_leaves_the_given_step_unfitted(id_data, tmp_path):
    X, y = id_data
    _CountingSampler.calls = 0
    sampler = _CountingSampler()
    pipe = Pipeline([("s", sampler), ("clf", LogisticRegression())], memory=str(tmp_path))
    pipe.fit(X, y)
    pipe.fit(X, y)
    assert _CountingSampler.calls == 1
    assert not hasattr(sampler, "n_seen_")
    assert pipe.named_steps["s"].n_seen_ == len(y)
    assert pipe.named_steps["clf"].coef_.shape == (1, 4)


def test_fit_transform_fit_predict_inverse_transform_and_score_samples_skip_samplers(id_data):
    X, y = id_data
    rus = RandomUnderSampler(random_state=0)
    pipe = Pipeline([("rus", rus), ("pca", PCA(n_components=2))])
    Xt = pipe.fit_transform(X, y)
    assert Xt.shape == (40, 2)  # the training rows after under-sampling
    assert pipe.transform(X).shape == (len(y), 2)  # predicting: every row
    assert pipe.inverse_transform(pipe.transform(X)).shape == X.shape
    assert not hasattr(make_pipeline(rus, LogisticRegression()), "fit_transform")

    from sklearn.cluster import KMeans
    from sklearn.neighbors import LocalOutlierFactor

    labels = make_pipeline(rus, KMeans(n_clusters=2, n_init=2, random_state=0)).fit_predict(X, y)
    assert labels.shape == (40,)
    lof = make_pipeline(rus, LocalOutlierFactor(novelty=True)).fit(X, y)
    assert lof.score_samples(X).shape == (len(y),)


def test_verbose_reports_every_step(id_data, capsys):
    X, y = id_data
    steps = [("rus", RandomUnderSampler(random_state=0)), ("skip", None), ("clf", SpyClassifier())]
    Pipeline(steps, verbose=True).fit(X, y)
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 3
    assert out[0].startswith("[Pipeline] ") and "(step 1 of 3) Processing rus, total=" in out[0]
    assert "Processing clf" in out[2]


def test_set_output_reaches_transformers_but_samplers_keep_the_container(id_data):
    X, y = id_data
    df = pd.DataFrame(X, columns=list("abcd"))
    pipe = make_pipeline(StandardScaler(), RandomUnderSampler(random_state=0))
    X_res, _ = pipe.set_output(transform="pandas").fit_resample(df, y)
    assert isinstance(X_res, pd.DataFrame) and len(X_res) == 40
    X_res, _ = pipe.set_output(transform="default").fit_resample(df, y)
    assert isinstance(X_res, np.ndarray)
    assert list(pipe.feature_names_in_) == list("abcd")
    assert list(pipe.get_feature_names_out()) == list("abcd")


def test_passthrough_and_sampler_last(id_data):
    X, y = id_data
    pipe = make_pipeline(RandomUnderSampler(random_state=0), None)
    _, y_res = pipe.fit_resample(X, y)
    assert np.bincount(y_res).tolist() == [20, 20]
    assert make_pipeline(None, StandardScaler()).fit(X).transform(X).shape == X.shape


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"verbose": "yes"}, "'verbose' parameter of Pipeline"),
        ({"memory": 3}, "'memory' parameter of Pipeline"),
        ({"transform_input": "X_val"}, "'transform_input' parameter of Pipeline"),
    ],
)
def test_parameters_are_validated_at_fit(id_data, kwargs, match):
    X, y = id_data
    pipe = Pipeline([("clf", LogisticRegression())], **kwargs)
    with pytest.raises(InvalidParameterError, match=match):
        pipe.fit(X, y)


def test_step_structure_errors(id_data):
    X, y = id_data
    with pytest.raises(InvalidParameterError, match="conflict with constructor arguments"):
        Pipeline([("memory", StandardScaler()), ("clf", LogisticRegression())]).fit(X, y)
    inner = make_pipeline(RandomUnderSampler(), StandardScaler())
    with pytest.raises(InvalidParameterError, match="pipeline holding a sampler"):
        Pipeline([("inner", inner), ("clf", LogisticRegression())]).fit(X, y)
    with pytest.raises(InvalidParameterError, match="Invalid parameter 'fake'"):
        make_pipeline(LogisticRegression()).set_params(fake=1)
    with pytest.raises(InvalidParameterError, match="transform_input"):
        make_pipeline(StandardScaler(), transform_input=["X_val"]).fit(X, y)
