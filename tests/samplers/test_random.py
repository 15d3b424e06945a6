"""RandomOverSampler and RandomUnderSampler: counts, order, containers, dtypes, randomness."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd
import polars as pl
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from imbalance.samplers import RandomOverSampler, RandomUnderSampler

SAMPLERS = [RandomOverSampler, RandomUnderSampler]


def _data(counts, n_features=3, seed=0):
    rng = np.random.default_rng(seed)
    y = rng.permutation(np.repeat(np.arange(len(counts)), counts))
    X = rng.normal(size=(len(y), n_features))
    return X, y


counts_st = st.lists(st.integers(1, 30), min_size=2, max_size=4).filter(lambda c: len(set(c)) > 1)


@settings(max_examples=60, deadline=None)
@given(counts=counts_st, seed=st.integers(0, 2**32 - 1), replacement=st.booleans())
def test_under_sampling_keeps_a_subset_in_input_order(counts, seed, replacement):
    X, y = _data(counts)
    rus = RandomUnderSampler(random_state=seed, replacement=replacement)
    X_res, y_res = rus.fit_resample(X, y)
    assert dict(Counter(y_res.tolist())) == rus.target_counts_
    idx = rus.sample_indices_
    assert (np.diff(idx) >= 0).all()
    if not replacement:
        assert len(set(idx.tolist())) == len(idx)
    np.testing.assert_array_equal(X_res, X[idx])
    assert set(rus.target_counts_.values()) == {min(counts)}


@settings(max_examples=60, deadline=None)
@given(counts=counts_st, seed=st.integers(0, 2**32 - 1))
def test_over_sampling_keeps_every_row_first_then_repeats(counts, seed):
    X, y = _data(counts)
    ros = RandomOverSampler(random_state=seed)
    X_res, y_res = ros.fit_resample(X, y)
    assert dict(Counter(y_res.tolist())) == ros.target_counts_
    np.testing.assert_array_equal(X_res[: len(y)], X)
    np.testing.assert_array_equal(X_res, X[ros.sample_indices_])
    repeats = ros.sample_indices_[len(y) :]
    assert (np.diff(y[repeats]) >= 0).all(), "repeats come class by class, in label order"
    assert set(ros.target_counts_.values()) == {max(counts)}


@pytest.mark.parametrize("cls", SAMPLERS)
def test_same_random_state_same_rows_in_every_container(cls):
    X, y = _data([50, 12, 7])
    ref = cls(random_state=3).fit_resample(X, y)
    df = pd.DataFrame(X, columns=list("abc"))
    for X_in, y_in in [
        (df, pd.Series(y)),
        (pl.from_pandas(df), pl.Series(y)),
        (X.tolist(), y.tolist()),
        (sp.csr_matrix(X), y),
    ]:
        X_res, y_res = cls(random_state=3).fit_resample(X_in, y_in)
        X_np = X_res.toarray() if sp.issparse(X_res) else np.asarray(X_res)
        np.testing.assert_array_equal(X_np, ref[0])
        np.testing.assert_array_equal(np.asarray(y_res), ref[1])


@pytest.mark.parametrize("cls", SAMPLERS)
def test_different_random_states_draw_different_rows(cls):
    X, y = _data([200, 40])
    a = cls(random_state=0)
    b = cls(random_state=1)
    a.fit_resample(X, y)
    b.fit_resample(X, y)
    assert not np.array_equal(a.sample_indices_, b.sample_indices_)


def test_classes_of_equal_size_get_different_draws():
    # One generator serves every class: imbalanced-learn re-seeds per class, so two minority
    # classes of the same size get the same relative draws.
    y = np.array([0] * 100 + [1] * 10 + [2] * 10)
    X = np.arange(len(y))[:, None]
    ros = RandomOverSampler(random_state=0)
    ros.fit_resample(X, y)
    repeats = ros.sample_indices_[len(y) :]
    rel1 = repeats[y[repeats] == 1] - 100
    rel2 = repeats[y[repeats] == 2] - 110
    assert not np.array_equal(rel1, rel2)


def test_none_random_state_honours_numpy_global_seed():
    X, y = _data([50, 10])
    np.random.seed(7)  # noqa: NPY002 - the behaviour under test
    a = RandomUnderSampler().fit_resample(X, y)[0]
    np.random.seed(7)  # noqa: NPY002 - the behaviour under test
    b = RandomUnderSampler().fit_resample(X, y)[0]
    np.testing.assert_array_equal(a, b)


def test_generator_and_randomstate_instances_are_accepted():
    X, y = _data([50, 10])
    a = RandomUnderSampler(random_state=np.random.default_rng(1)).fit_resample(X, y)[0]
    b = RandomUnderSampler(random_state=np.random.default_rng(1)).fit_resample(X, y)[0]
    np.testing.assert_array_equal(a, b)
    RandomUnderSampler(random_state=np.random.RandomState(0)).fit_resample(X, y)


def _mixed_frame(n=40):
    rng = np.random.default_rng(0)
    return pd.DataFrame(
        {
            "f64": rng.normal(size=n),
            "i8": rng.integers(-100, 100, n).astype("int8"),
            "flag": rng.random(n) > 0.5,
            "cat": pd.Categorical(rng.choice(["x", "y", "z"], n)),
            "nullable_int": pd.array([None if i % 7 == 0 else i for i in range(n)], dtype="Int64"),
            "nullable_bool": pd.array(
                [None if i % 5 == 0 else i % 2 == 0 for i in range(n)], dtype="boolean"
            ),
            "text": pd.array([f"s{i}" for i in range(n)], dtype="string"),
            "arrow": pd.array(range(n), dtype="int64[pyarrow]"),
            "when": pd.date_range("2024-01-01", periods=n, freq="h", tz="Europe/Paris"),
            "obj": [("a", i) for i in range(n)],
        },
        index=pd.Index([f"row{i}" for i in range(n)], name="key"),
    )


@pytest.mark.parametrize("cls", SAMPLERS)
@pytest.mark.parametrize("y_kind", ["int", "str", "bool", "category"])
def test_pandas_every_dtype_and_index_label_survive(cls, y_kind):
    df = _mixed_frame()
    base = np.array([0] * 30 + [1] * 10)
    y = {
        "int": pd.Series(base, index=df.index, name="target"),
        "str": pd.Series(np.where(base == 1, "churn", "stay"), index=df.index, dtype="string"),
        "bool": pd.Series(base == 1, index=df.index),
        "category": pd.Series(pd.Categorical(np.where(base == 1, "churn", "stay")), index=df.index),
    }[y_kind]
    df_before, y_before = df.copy(), y.copy()
    sampler = cls(random_state=0)
    X_res, y_res = sampler.fit_resample(df, y)
    pd.testing.assert_frame_equal(X_res, df.iloc[sampler.sample_indices_])
    pd.testing.assert_series_equal(y_res, y.iloc[sampler.sample_indices_])
    assert (X_res.dtypes == df.dtypes).all()
    assert y_res.dtype == y.dtype
    pd.testing.assert_frame_equal(df, df_before)  # nothing the caller passed is mutated
    pd.testing.assert_series_equal(y, y_before)


def test_polars_dtypes_survive():
    df = pl.DataFrame(
        {
            "a": np.arange(30, dtype=np.int16),
            "s": [f"v{i}" for i in range(30)],
            "b": [i % 2 == 0 for i in range(30)],
            "c": pl.Series([f"c{i % 3}" for i in range(30)], dtype=pl.Categorical),
            "n": [None if i % 4 == 0 else i for i in range(30)],
        }
    )
    y = pl.Series("y", ["a"] * 25 + ["b"] * 5)
    for cls in SAMPLERS:
        X_res, y_res = cls(random_state=0).fit_resample(df, y)
        assert isinstance(X_res, pl.DataFrame) and X_res.schema == df.schema
        assert isinstance(y_res, pl.Series) and y_res.name == "y"


def test_numpy_strings_and_objects_pass_through():
    X = np.array([["a", "1"], ["b", "2"], ["c", "3"], ["d", "4"]], dtype="<U1")
    y = np.array(["p", "p", "p", "q"])
    X_res, y_res = RandomOverSampler(random_state=0).fit_resample(X, y)
    assert X_res.dtype == X.dtype and y_res.dtype == y.dtype
    assert Counter(y_res.tolist()) == {"p": 3, "q": 3}
    X_obj = np.array([[{"k": 1}], [None], [3.5], ["t"]], dtype=object)
    X_res, _ = RandomUnderSampler(random_state=0).fit_resample(X_obj, y)
    assert X_res.dtype == object and len(X_res) == 2


def test_nan_in_X_is_carried_through():
    X, y = _data([20, 5])
    X[0, 0] = X[3, 1] = np.nan
    ros = RandomOverSampler(random_state=0)
    X_res, _ = ros.fit_resample(X, y)
    np.testing.assert_array_equal(np.isnan(X_res), np.isnan(X[ros.sample_indices_]))


def test_one_hot_and_column_vector_targets_keep_their_shape():
    X, y = _data([20, 5, 5])
    one_hot = np.eye(3, dtype=int)[y]
    ros = RandomOverSampler(random_state=0)
    _, y_res = ros.fit_resample(X, one_hot)
    assert y_res.shape == (60, 3) and (y_res.sum(axis=1) == 1).all()
    assert ros.target_counts_ == {0: 20, 1: 20, 2: 20}
    _, y_col = RandomUnderSampler(random_state=0).fit_resample(X, y[:, None])
    assert y_col.shape == (15, 1)


def test_sparse_formats_are_kept():
    X, y = _data([20, 5])
    for fmt in ("csr", "csc", "coo"):
        X_res, _ = RandomOverSampler(random_state=0).fit_resample(sp.csr_matrix(X).asformat(fmt), y)
        assert X_res.format == fmt
    X_res, _ = RandomUnderSampler(random_state=0).fit_resample(sp.csr_array(X), y)
    assert isinstance(X_res, sp.sparray)


def test_pandas_x_with_numpy_y_and_duplicate_labels_for_repeats():
    df = pd.DataFrame({"a": range(10)}, index=range(100, 110))
    y = np.array([0] * 8 + [1] * 2)
    X_res, y_res = RandomOverSampler(random_state=0).fit_resample(df, y)
    assert isinstance(y_res, np.ndarray)
    assert X_res.index[:10].tolist() == list(range(100, 110))
    assert set(X_res.index[10:]) <= {108, 109}  # repeats keep their own labels


class TestShrinkage:
    def test_zero_shrinkage_repeats_rows_exactly_as_synthetic_rows(self):
        X, y = _data([30, 6])
        ros = RandomOverSampler(random_state=0, shrinkage=0.0)
        X_res, _ = ros.fit_resample(X, y)
        np.testing.assert_array_equal(ros.sample_indices_, np.arange(len(y)))
        np.testing.assert_allclose(X_res[len(y) :], X[ros.synthetic_parents_[:, 0]])

    def test_noise_scale_follows_class_spread_and_silverman_factor(self):
        rng = np.random.default_rng(0)
        X = np.concatenate([rng.normal(0, 1, (2000, 2)), rng.normal(0, [1.0, 4.0], (1000, 2))])
        y = np.array([0] * 2000 + [1] * 1000)
        ros = RandomOverSampler(random_state=0, shrinkage=1.0)
        X_res, _ = ros.fit_resample(X, y)
        noise = X_res[len(y) :] - X[ros.synthetic_parents_[:, 0]]
        h = (4 / (4 * 3000)) ** (1 / 6)
        np.testing.assert_allclose(noise.std(axis=0), h * X[y == 1].std(axis=0), rtol=0.1)

    def test_per_class_dict_and_frames_round_ints_and_keep_other_columns(self):
        df = _mixed_frame()
        y = pd.Series([0] * 30 + [1] * 10, index=df.index)
        ros = RandomOverSampler(random_state=0, shrinkage={1: 2.0})
        X_res, y_res = ros.fit_resample(df, y)
        assert (X_res.dtypes == df.dtypes).all()
        synth = X_res.iloc[40:]
        parents = df.iloc[ros.synthetic_parents_[:, 0]]
        for col in ("flag", "cat", "text", "when", "obj", "nullable_bool"):
            assert synth[col].tolist() == parents[col].tolist()
        assert not np.allclose(synth["f64"].to_numpy(), parents["f64"].to_numpy())
        assert synth.index.tolist() == [f"synthetic_{i}" for i in range(20)]
        assert y_res.index.equals(X_res.index)
        assert synth["nullable_int"].isna().tolist() == parents["nullable_int"].isna().tolist()

    def test_integer_columns_stay_in_range(self):
        X = np.array([[-128], [127], [0], [127], [-128], [5]], dtype=np.int8)
        y = np.array([0, 0, 0, 1, 1, 1])
        X_res, _ = RandomOverSampler(
            sampling_strategy={1: 50}, random_state=0, shrinkage=50.0
        ).fit_resample(X, y)
        assert X_res.dtype == np.int8 and X_res.min() >= -128 and X_res.max() <= 127

    def test_dict_must_cover_the_over_sampled_classes(self):
        X, y = _data([30, 6, 6])
        with pytest.raises(ValueError, match=r"missing \[2\]"):
            RandomOverSampler(shrinkage={1: 1.0}).fit_resample(X, y)

    def test_shrinkage_needs_numbers(self):
        X = np.array([["a"], ["b"], ["c"]], dtype=object)
        with pytest.raises(TypeError, match="cannot be read as numbers"):
            RandomOverSampler(shrinkage=1.0).fit_resample(X, [0, 0, 1])


def test_match_imbalanced_learn_counts_for_every_strategy():
    imblearn = pytest.importorskip("imblearn")
    X, y = _data([60, 25, 15])
    for strategy in ("auto", "minority", "not majority", "not minority", "all", {1: 40}):
        ours = RandomOverSampler(sampling_strategy=strategy, random_state=0).fit_resample(X, y)[1]
        ref = imblearn.over_sampling.RandomOverSampler(sampling_strategy=strategy, random_state=0)
        assert Counter(ours.tolist()) == Counter(ref.fit_resample(X, y)[1].tolist())
    for strategy in ("auto", "majority", "not majority", "not minority", "all", {0: 30}):
        ours = RandomUnderSampler(sampling_strategy=strategy, random_state=0).fit_resample(X, y)[1]
        ref = imblearn.under_sampling.RandomUnderSampler(sampling_strategy=strategy, random_state=0)
        assert Counter(ours.tolist()) == Counter(ref.fit_resample(X, y)[1].tolist())


def test_draws_are_uniform_within_a_class():
    # chi-square over 2000 repeats of 10 minority rows: each row should be drawn equally often
    from scipy.stats import chisquare

    y = np.array([0] * 2010 + [1] * 10)
    X = np.arange(len(y))[:, None]
    ros = RandomOverSampler(random_state=0)
    ros.fit_resample(X, y)
    drawn = np.bincount(ros.sample_indices_[len(y) :] - 2010, minlength=10)
    assert chisquare(drawn).pvalue > 0.001
    rus = RandomUnderSampler(random_state=0, sampling_strategy={0: 1000})
    kept = np.zeros(2010)
    for seed in range(20):
        rus.set_params(random_state=seed).fit_resample(X, y)
        kept[rus.sample_indices_[rus.sample_indices_ < 2010]] += 1
    assert chisquare(kept.reshape(10, 201).sum(axis=1)).pvalue > 0.001
