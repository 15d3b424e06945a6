"""What each multi-label sampler promises, checked against its definition."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from multilabel_data import long_tailed_labels, multilabel_set
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_validate
from sklearn.multioutput import MultiOutputClassifier

from imbalance.multilabel import (
    MLROS,
    MLRUS,
    MLSMOTE,
    REMEDIAL,
    MultilabelStratifiedKFold,
    irlbl,
    mean_ir,
    scumble_per_sample,
)
from imbalance.pipeline import Pipeline

label_matrices = st.integers(0, 2**31 - 1).map(
    lambda seed: long_tailed_labels(60, np.array([0.6, 0.3, 0.12, 0.06]), min_count=3, seed=seed)
)


# -- ML-ROS ----------------------------------------------------------------------------------
def test_mlros_lowers_the_imbalance_of_a_long_tailed_set():
    X, Y = multilabel_set(n=400, n_labels=6)
    s = MLROS(percentage=25, random_state=0)
    _, Y_res = s.fit_resample(X, Y)
    assert mean_ir(Y_res) < 0.8 * mean_ir(Y)
    before, after = irlbl(Y), irlbl(Y_res)
    minority = before > before.mean()
    assert (after[minority] < before[minority]).all()


@settings(max_examples=30, deadline=None)
@given(Y=label_matrices, percentage=st.sampled_from([5.0, 25.0, 80.0]))
def test_mlros_draws_minority_rows_within_budget(Y, percentage):
    X = np.arange(len(Y))[:, None]
    s = MLROS(percentage=percentage, random_state=1)
    s.fit_resample(X, Y)
    repeats = s.sample_indices_[len(Y) :]
    budget = int(len(Y) * percentage / 100)
    ir = irlbl(Y)
    minority = ir > ir.mean()
    assert repeats.size <= budget
    assert Y[repeats][:, minority].any(axis=1).all(), "a repeat holds no minority label"
    if repeats.size < budget:  # stopped early: every minority label reached MeanIR at a point
        counts = Y.sum(axis=0) + np.cumsum(Y[repeats], axis=0)
        ratios = counts.max(axis=1, keepdims=True) / counts
        assert (ratios[:, minority] <= s.mean_ir_).any(axis=0).all()


# -- ML-RUS ----------------------------------------------------------------------------------
def test_mlrus_lowers_the_imbalance_and_spares_minority_rows():
    X, Y = multilabel_set(n=400, n_labels=6)
    s = MLRUS(percentage=20, random_state=0)
    _, Y_res = s.fit_resample(X, Y)
    assert mean_ir(Y_res) < mean_ir(Y)
    ir = irlbl(Y)
    dropped = np.setdiff1d(np.arange(len(Y)), s.sample_indices_)
    assert dropped.size == int(len(Y) * 0.2)
    assert not Y[dropped][:, ir >= ir.mean()].any(), "a deleted row held a non-majority label"
    minority = ir > ir.mean()
    np.testing.assert_array_equal(Y_res[:, minority].sum(axis=0), Y[:, minority].sum(axis=0))


@settings(max_examples=30, deadline=None)
@given(Y=label_matrices, protect=st.booleans())
def test_mlrus_deletes_majority_rows_within_budget(Y, protect):
    X = np.arange(len(Y))[:, None]
    s = MLRUS(percentage=30, protect_minority=protect, random_state=2)
    s.fit_resample(X, Y)
    dropped = np.setdiff1d(np.arange(len(Y)), s.sample_indices_)
    ir = irlbl(Y)
    assert dropped.size <= int(len(Y) * 0.3)
    assert Y[dropped][:, ir < ir.mean()].any(axis=1).all(), "a deleted row holds no majority label"


# -- REMEDIAL --------------------------------------------------------------------------------
@settings(max_examples=40, deadline=None)
@given(Y=label_matrices)
def test_remedial_splits_high_scumble_rows_into_majority_and_minority_parts(Y):
    X = np.arange(2 * len(Y), dtype=float).reshape(-1, 2)
    s = REMEDIAL()
    X_res, Y_res = s.fit_resample(X, Y)
    ir = irlbl(Y)
    minority = ir > ir.mean()
    rows = s.decoupled_
    n = len(Y)
    assert (scumble_per_sample(Y)[rows] > s.scumble_).all()
    np.testing.assert_array_equal(X_res[n:], X[rows])
    np.testing.assert_array_equal(s.synthetic_parents_[:, 0], rows)
    np.testing.assert_array_equal(Y_res[rows], Y[rows] * ~minority)
    np.testing.assert_array_equal(Y_res[n:], Y[rows] * minority)
    assert Y_res[rows].any(axis=1).all() and Y_res[n:].any(axis=1).all()
    untouched = np.setdiff1d(np.arange(n), rows)
    np.testing.assert_array_equal(Y_res[untouched], Y[untouched])
    assert s.target_counts_ == s.label_counts_


def test_remedial_needs_no_random_state_and_leaves_numpys_global_state_alone():
    X, Y = multilabel_set()
    state = np.random.get_state()[1].copy()  # noqa: NPY002 - the global state is the subject
    REMEDIAL().fit_resample(X, Y)
    np.testing.assert_array_equal(np.random.get_state()[1], state)  # noqa: NPY002


# -- MLSMOTE ---------------------------------------------------------------------------------
def _brute_neighbours(X, bag, k):
    d = ((X[bag][:, None, :] - X[bag][None, :, :]) ** 2).sum(axis=2)
    np.fill_diagonal(d, np.inf)
    return bag[np.argsort(d, axis=1, kind="stable")[:, :k]]


@pytest.mark.parametrize("rule", ["ranking", "union", "intersection"])
def test_mlsmote_rows_lie_between_a_seed_and_a_near_neighbour_sharing_the_label(rule):
    X, Y = multilabel_set(n=200, n_labels=5)
    k = 4
    s = MLSMOTE(k_neighbors=k, label_generation=rule, random_state=3)
    X_res, Y_res = s.fit_resample(X, Y)
    n = len(Y)
    new, parents, steps = X_res[n:], s.synthetic_parents_, s.synthetic_steps_
    assert new.shape[0] == parents.shape[0] > 0
    seed, partner = parents[:, 0], parents[:, 1]
    np.testing.assert_allclose(new, X[seed] + steps[:, None] * (X[partner] - X[seed]))
    assert ((steps >= 0) & (steps < 1)).all()
    for j in np.unique(s.synthetic_minority_label_):
        mine = s.synthetic_minority_label_ == j
        assert Y[seed[mine], j].all() and Y[partner[mine], j].all()
        bag = np.flatnonzero(Y[:, j])
        near = _brute_neighbours(X, bag, k)
        lookup = dict(zip(bag.tolist(), near.tolist(), strict=True))
        assert all(p in lookup[q] for q, p in zip(seed[mine], partner[mine], strict=True))
        groups = np.column_stack([bag, near])
        votes = Y[groups].sum(axis=1)
        expected = {
            "ranking": 2 * votes >= k + 1,
            "union": votes > 0,
            "intersection": votes == k + 1,
        }[rule]
        np.testing.assert_array_equal(Y_res[n:][mine], expected.astype(Y.dtype))
        assert Y_res[n:][mine][:, j].all(), "a synthetic row lost the label it was made for"


def test_mlsmote_over_samples_the_labels_above_mean_ir_in_turn():
    X, Y = multilabel_set(n=300, n_labels=6)
    s = MLSMOTE(random_state=0)
    _, Y_res = s.fit_resample(X, Y)
    ir = irlbl(Y)
    assert s.minority_labels_.tolist() == np.flatnonzero(ir > ir.mean()).tolist()
    sizes = [int(Y[:, j].sum()) for j in s.minority_labels_]
    assert s.synthetic_parents_.shape[0] == sum(sizes)
    assert mean_ir(Y_res) < mean_ir(Y)


def test_mlsmote_is_the_same_on_sparse_data_and_with_every_exact_backend():
    X, Y = multilabel_set(n=150)
    _, X_auto, Y_auto = (s := MLSMOTE(random_state=0)), *s.fit_resample(X, Y)
    X_exact, Y_exact = MLSMOTE(neighbors="exact", random_state=0).fit_resample(X, Y)
    X_sp, Y_sp = MLSMOTE(random_state=0).fit_resample(sp.csr_matrix(X), Y)
    np.testing.assert_array_equal(X_auto, X_exact)
    np.testing.assert_array_equal(Y_auto, Y_exact)
    np.testing.assert_allclose(X_sp.toarray(), X_auto)
    np.testing.assert_array_equal(Y_sp, Y_auto)


def test_mlsmote_dataframe_columns_keep_their_kind():
    X, Y = multilabel_set(n=150)
    rng = np.random.default_rng(0)
    df = pd.DataFrame(X, columns=["a", "b", "c", "d"])
    df["count"] = rng.integers(0, 50, len(df)).astype(np.int16)
    df["kind"] = pd.Categorical(rng.choice(["x", "y", "z"], len(df)))
    df["flag"] = rng.random(len(df)) > 0.5
    s = MLSMOTE(k_neighbors=3, random_state=0)
    out, _ = s.fit_resample(df, Y)
    n = len(df)
    assert (out.dtypes == df.dtypes).all()
    new = out.iloc[n:]
    seed, partner = s.synthetic_parents_.T
    steps = s.synthetic_steps_
    counts = df["count"].to_numpy(dtype=float)
    expected = np.rint(counts[seed] + steps * (counts[partner] - counts[seed]))
    np.testing.assert_array_equal(new["count"].to_numpy(), expected)
    for column in ("kind", "flag"):  # voted among rows holding the label: taken, not blended
        for value, label in zip(new[column], s.synthetic_minority_label_, strict=True):
            assert value in set(df[column][Y[:, label] == 1])
    assert set(new["kind"].cat.categories) == set(df["kind"].cat.categories)


def test_mlsmote_categorical_column_takes_the_neighbourhood_majority():
    X = np.array([[0.0], [0.1], [0.2], [0.3], [5.0], [5.1], [9.0], [9.1]])
    Y = np.array([[1, 1]] * 4 + [[1, 0]] * 4)
    df = pd.DataFrame({"x": X[:, 0], "colour": ["red", "blue", "blue", "blue"] + ["red"] * 4})
    s = MLSMOTE(k_neighbors=3, random_state=0)
    out, _ = s.fit_resample(df, Y)
    assert (out["colour"].iloc[8:] == "blue").all()


def test_mlsmote_refuses_what_it_cannot_interpolate():
    X, Y = multilabel_set()
    lonely = Y.copy()
    lonely[:, 4] = 0
    lonely[7, 4] = 1
    with pytest.raises(ValueError, match=r"label 4, which has 1 positive row.*MLROS"):
        MLSMOTE().fit_resample(X, lonely)
    holes = X.copy()
    holes[5, 2] = np.nan
    with pytest.raises(ValueError, match=r"column 2 holds missing.*row 5.*Impute"):
        MLSMOTE().fit_resample(holes, Y)
    text = pd.DataFrame({"name": ["a"] * len(Y)})
    with pytest.raises(ValueError, match=r"X has none.*MLROS"):
        MLSMOTE().fit_resample(text, Y)
    with pytest.raises(ValueError, match=r"'label_generation' parameter of MLSMOTE must be"):
        MLSMOTE(label_generation="vote").fit_resample(X, Y)


def test_parameters_are_checked_when_fitting_with_their_name_and_value():
    X, Y = multilabel_set()
    with pytest.raises(ValueError, match=r"'percentage' parameter of MLROS.*Got -5 instead"):
        MLROS(percentage=-5).fit_resample(X, Y)
    with pytest.raises(ValueError, match=r"'percentage' parameter of MLRUS.*Got 100 instead"):
        MLRUS(percentage=100).fit_resample(X, Y)
    with pytest.raises(ValueError, match=r"'k_neighbors' parameter of MLSMOTE.*Got 0 instead"):
        MLSMOTE(k_neighbors=0).fit_resample(X, Y)


# -- in a pipeline, cross-validated on stratified folds --------------------------------------
class _Recorder(MultiOutputClassifier):
    """Records the rows it is fitted on."""

    def fit(self, X, y, **kw):
        self.fit_rows_ = len(X)
        return super().fit(X, y, **kw)


def test_samplers_run_in_training_folds_only_inside_a_pipeline():
    X, Y = multilabel_set(n=200)
    cv = MultilabelStratifiedKFold(n_splits=4, shuffle=True, random_state=0)
    pipe = Pipeline([("ros", MLROS(random_state=0)), ("clf", _Recorder(LogisticRegression()))])
    scores = cross_validate(
        pipe, X, Y, cv=cv, scoring="f1_macro", return_estimator=True, return_indices=True
    )
    for est, train, test in zip(
        scores["estimator"], scores["indices"]["train"], scores["indices"]["test"], strict=True
    ):
        ros = est.named_steps["ros"]
        assert est.named_steps["clf"].fit_rows_ == ros.sample_indices_.size > train.size
        assert len(est.predict(X[test])) == test.size  # prediction rows are never resampled
    assert np.isfinite(scores["test_score"]).all()


def test_mlsmote_accepts_exactly_the_engines_backends():
    from imbalance.multilabel._mlsmote import NEIGHBOR_BACKENDS
    from imbalance.neighbors import BACKENDS

    assert NEIGHBOR_BACKENDS == BACKENDS
