"""Exact-count random resampling of Dask collections: counts, rows, reproducibility, edge cases."""

from __future__ import annotations

import dask
import dask.array as da
import dask.dataframe as dd
import numpy as np
import pandas as pd
import pytest
from _dask_data import chunked, frame
from hypothesis import given, settings
from hypothesis import strategies as st

from imbalance import samplers
from imbalance.dask import RandomOverSampler, RandomUnderSampler
from imbalance.exceptions import InvalidDataError, InvalidParameterError, SamplingStrategyError

COUNTS = {"a": 300, "b": 60, "c": 17}


def _computed(X_res, y_res):
    return X_res.compute(), y_res.compute()


# --------------------------------------------------------------------------------------------
# Same meaning of sampling_strategy as the in-memory samplers


@pytest.mark.parametrize(
    ("strategy", "kinds"),
    [
        ("auto", ("under", "over")),
        ("majority", ("under",)),
        ("minority", ("over",)),
        ("not minority", ("under", "over")),
        ("not majority", ("under", "over")),
        ("all", ("under", "over")),
        ({"a": 100, "b": 40}, ("under",)),
        ({"c": 90, "b": 300}, ("over",)),
        (lambda y: {"a": 50}, ("under",)),
        (lambda y: {"c": 400}, ("over",)),
    ],
)
def test_target_counts_match_the_in_memory_samplers(client, strategy, kinds):
    df = frame(COUNTS)
    ddf = dd.from_pandas(df, npartitions=4)
    pairs = {
        "under": (RandomUnderSampler, samplers.RandomUnderSampler),
        "over": (RandomOverSampler, samplers.RandomOverSampler),
    }
    for kind in kinds:
        ours, reference = pairs[kind]
        sampler = ours(sampling_strategy=strategy, random_state=0)
        X_res, y_res = sampler.fit_resample(ddf, "label")
        ref_sampler = reference(sampling_strategy=strategy, random_state=0)
        ref_sampler.fit_resample(df.drop(columns="label"), df.label)
        assert sampler.target_counts_ == ref_sampler.target_counts_
        assert sampler.class_counts_ == ref_sampler.class_counts_
        assert y_res.compute().value_counts().to_dict() == ref_sampler.target_counts_
        X_c = X_res.compute()
        # only rows of X, with their own labels (dask stores the strings as pyarrow strings)
        pd.testing.assert_frame_equal(X_c, df.loc[X_c.index], check_dtype=False)


@pytest.mark.parametrize("ratio", [0.25, 0.5, 1.0])
def test_float_ratio_matches_in_memory_for_two_classes(ratio):
    df = frame({0: 400, 1: 90})
    ddf = dd.from_pandas(df, npartitions=3)
    for ours, ref_cls in [
        (RandomUnderSampler, samplers.RandomUnderSampler),
        (RandomOverSampler, samplers.RandomOverSampler),
    ]:
        ref = ref_cls(sampling_strategy=ratio, random_state=0)
        ref.fit_resample(df[["f"]], df.label)
        sampler = ours(sampling_strategy=ratio, random_state=0)
        _, y_res = sampler.fit_resample(ddf, "label")
        assert sampler.target_counts_ == ref.target_counts_
        assert y_res.compute().value_counts().to_dict() == ref.target_counts_


def test_contradictory_strategy_raises_the_resolvers_error():
    ddf = dd.from_pandas(frame({0: 40, 1: 10}), npartitions=2)
    with pytest.raises(SamplingStrategyError, match="only removes rows"):
        RandomUnderSampler(sampling_strategy={1: 20}).fit_resample(ddf, "label")
    with pytest.raises(InvalidParameterError, match="'row_id' parameter of RandomOverSampler"):
        RandomOverSampler(row_id=3).fit_resample(ddf, "label")


# --------------------------------------------------------------------------------------------
# Properties: exact counts, rows from the input, the same rows whatever the partitioning


def _sizes(n: int, n_parts: int, data) -> list[int]:
    cuts = sorted(
        data.draw(st.lists(st.integers(0, n), min_size=n_parts - 1, max_size=n_parts - 1))
    )
    return np.diff([0, *cuts, n]).tolist()


@settings(max_examples=12, deadline=None)
@given(
    counts=st.lists(st.integers(1, 60), min_size=2, max_size=4),
    n_parts=st.integers(1, 6),
    seed=st.integers(0, 2**32 - 1),
    replacement=st.booleans(),
    data=st.data(),
)
def test_under_sampling_properties(counts, n_parts, seed, replacement, data):
    with dask.config.set(scheduler="sync"):  # the maths, not the cluster: keep examples cheap
        _check_under(counts, n_parts, seed, replacement, data)


def _check_under(counts, n_parts, seed, replacement, data):
    df = frame(dict(enumerate(counts)), seed=seed % 1000)
    sizes_a = _sizes(len(df), n_parts, data)
    sizes_b = _sizes(len(df), data.draw(st.integers(1, 6)), data)
    rus = RandomUnderSampler(random_state=seed, replacement=replacement)
    X_a, y_a = _computed(*rus.fit_resample(chunked(df, sizes_a), "label"))
    expected = rus.target_counts_
    assert y_a.value_counts().to_dict() == {c: n for c, n in expected.items() if n}
    assert rus.partition_counts_.sum(axis=0).tolist() == list(expected.values())
    # every output row is a row of X (same index label, same values)
    assert X_a.equals(df.loc[X_a.index])
    if not replacement:
        assert X_a.index.is_unique and X_a.index.is_monotonic_increasing
    assert (rus.sample_indices_.compute() == X_a.index.to_numpy()).all()
    X_b, _ = _computed(
        *RandomUnderSampler(random_state=seed, replacement=replacement).fit_resample(
            chunked(df, sizes_b), "label"
        )
    )
    assert X_a.equals(X_b)


@settings(max_examples=12, deadline=None)
@given(
    counts=st.lists(st.integers(1, 60), min_size=2, max_size=4),
    n_parts=st.integers(1, 6),
    seed=st.integers(0, 2**32 - 1),
    data=st.data(),
)
def test_over_sampling_properties(counts, n_parts, seed, data):
    with dask.config.set(scheduler="sync"):
        _check_over(counts, n_parts, seed, data)


def _check_over(counts, n_parts, seed, data):
    df = frame(dict(enumerate(counts)), seed=seed % 1000)
    ros = RandomOverSampler(random_state=seed)
    X_a, y_a = _computed(*ros.fit_resample(chunked(df, _sizes(len(df), n_parts, data)), "label"))
    assert y_a.value_counts().to_dict() == ros.target_counts_
    assert X_a.iloc[: len(df)].equals(df)  # the originals first, untouched
    assert X_a.equals(df.loc[X_a.index])  # repeats are rows of X with their labels
    assert (ros.sample_indices_.compute() == X_a.index.to_numpy()).all()
    other = _sizes(len(df), data.draw(st.integers(1, 6)), data)
    X_b, _ = _computed(
        *RandomOverSampler(random_state=seed).fit_resample(chunked(df, other), "label")
    )
    assert X_a.equals(X_b)


def test_seed_changes_rows_and_row_id_survives_reordering(client):
    df = frame(COUNTS, seed=1)
    ddf = dd.from_pandas(df, npartitions=5)
    kept = {
        s: RandomUnderSampler(random_state=s).fit_resample(ddf, "label")[0].compute()
        for s in (0, 0, 1)
    }
    first = RandomUnderSampler(random_state=0).fit_resample(ddf, "label")[0].compute()
    assert first.equals(kept[0])
    assert not first.index.equals(kept[1].index)
    # with row_id, the kept ids do not depend on the order of the rows
    shuffled = df.sample(frac=1.0, random_state=3).reset_index(drop=True)
    ids = [
        set(
            RandomUnderSampler(random_state=7, row_id="id")
            .fit_resample(dd.from_pandas(d, npartitions=p), "label")[0]
            .compute()["id"]
        )
        for d, p in ((df, 3), (shuffled, 8))
    ]
    assert ids[0] == ids[1]


def test_string_row_ids_and_a_separate_label_series(client):
    df = frame({"x": 200, "y": 40})
    df["name"] = "row-" + df["id"].astype(str)
    ddf = dd.from_pandas(df, npartitions=4)
    rus = RandomUnderSampler(random_state=5, row_id="name")
    X_res, y_res = rus.fit_resample(ddf[["f", "name"]], ddf["label"])
    X_c, y_c = X_res.compute(), y_res.compute()
    assert list(X_c.columns) == ["f", "name"]
    assert y_c.value_counts().to_dict() == {"x": 40, "y": 40}
    assert (df.loc[X_c.index, "label"] == y_c).all()
    again = RandomUnderSampler(random_state=5, row_id="name").fit_resample(
        dd.from_pandas(df.iloc[::-1], npartitions=2)[["f", "name"]],
        dd.from_pandas(df.iloc[::-1], npartitions=2)["label"],
    )
    assert set(again[0].compute()["name"]) == set(X_c["name"])


def test_duplicate_row_ids_at_the_threshold_raise():
    df = pd.DataFrame({"f": np.arange(40.0), "id": [1] * 40, "label": [0] * 30 + [1] * 10})
    with pytest.raises(InvalidDataError, match="row_id gives several rows of class 0 the same id"):
        RandomUnderSampler(random_state=0, row_id="id").fit_resample(
            dd.from_pandas(df, npartitions=2), "label"
        )


# --------------------------------------------------------------------------------------------
# Awkward partitions and inputs


def test_absent_classes_empty_and_single_class_partitions(client):
    df = pd.DataFrame(
        {"f": np.arange(100.0), "label": [0] * 60 + [1] * 30 + [2] * 10}
    )  # sorted: the first partitions hold class 0 only, class 2 only the last
    ddf = chunked(df, [30, 0, 30, 25, 0, 15])
    for sampler in (RandomUnderSampler(random_state=1), RandomOverSampler(random_state=1)):
        X_res, y_res = sampler.fit_resample(ddf, "label")
        assert y_res.compute().value_counts().to_dict() == sampler.target_counts_
        assert X_res.npartitions == ddf.npartitions * (2 if sampler._sampling_kind == "over" else 1)
        sizes = [len(X_res.partitions[i].compute()) for i in range(X_res.npartitions)]
        assert sizes == sampler.partition_counts_.sum(axis=1).tolist()


def test_labels_with_nulls_raise_a_clear_error():
    df = pd.DataFrame({"f": np.arange(6.0), "label": pd.array([0, 1, None, 0, 1, 0], "Int64")})
    with pytest.raises(InvalidDataError, match="y has 1 missing label"):
        RandomUnderSampler().fit_resample(dd.from_pandas(df, npartitions=2), "label")


def test_wrong_inputs_say_what_to_do():
    df = frame({0: 20, 1: 5})
    ddf = dd.from_pandas(df, npartitions=2)
    with pytest.raises(InvalidDataError, match=r"imbalance.samplers.RandomUnderSampler"):
        RandomUnderSampler().fit_resample(df, df.label)
    with pytest.raises(InvalidDataError, match="'nope' is not a column of X"):
        RandomUnderSampler().fit_resample(ddf, "nope")
    with pytest.raises(InvalidDataError, match="X has 2 partitions and y has 3"):
        RandomUnderSampler().fit_resample(ddf, dd.from_pandas(df.label, npartitions=3))
    with pytest.raises(InvalidDataError, match="y must be a dask Series"):
        RandomUnderSampler().fit_resample(ddf, df.label)
    X = da.from_array(np.ones((25, 2)), chunks=5)
    with pytest.raises(
        InvalidParameterError, match="row_id='id' of RandomOverSampler names a column"
    ):
        RandomOverSampler(row_id="id").fit_resample(X, da.from_array(df.label.to_numpy()))
    with pytest.raises(InvalidDataError, match="compute_chunk_sizes"):
        RandomOverSampler().fit_resample(X[X[:, 0] > 0], da.from_array(df.label.to_numpy()))


def test_dask_arrays_with_known_chunks(client):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(500, 3))
    y = np.where(rng.random(500) < 0.1, 1, 0)
    dX, dy = da.from_array(X, chunks=(70, 2)), da.from_array(y, chunks=100)
    rus = RandomUnderSampler(random_state=0)
    X_res, y_res = rus.fit_resample(dX, dy)
    assert not np.isnan(X_res.shape[0]) and X_res.chunks[1] == (3,)
    idx = rus.sample_indices_.compute()
    np.testing.assert_array_equal(X_res.compute(), X[idx])
    np.testing.assert_array_equal(y_res.compute(), y[idx])
    assert np.bincount(y_res.compute()).tolist() == [int(y.sum())] * 2


def test_fit_resample_makes_two_passes_and_returns_lazy_collections():
    df = frame({0: 90, 1: 12})
    reads: list[int] = []

    def read(i):
        reads.append(i)
        return df.iloc[i * 34 : (i + 1) * 34]

    X = dd.from_map(read, range(3), meta=df.iloc[:0], divisions=None)
    with dask.config.set(scheduler="sync"):
        X_res, y_res = RandomUnderSampler(random_state=0).fit_resample(X, "label")
        assert sorted(reads) == [0, 0, 1, 1, 2, 2]  # the counts, then the thresholds
        assert isinstance(X_res, dd.DataFrame) and isinstance(y_res, dd.Series)
        assert y_res.compute().value_counts().to_dict() == {0: 12, 1: 12}
    assert len(reads) == 9


def test_same_rows_on_a_cluster_of_processes():
    distributed = pytest.importorskip("distributed")
    df = frame({"a": 500, "b": 80}, seed=4)
    df["name"] = "n" + df["id"].astype(str)

    def run():
        ddf = dd.from_pandas(df, npartitions=4)
        X_u, _ = RandomUnderSampler(random_state=9, row_id="name").fit_resample(ddf, "label")
        X_o, _ = RandomOverSampler(random_state=9).fit_resample(ddf, "label")
        return X_u.compute(), X_o.compute()

    here = run()  # threads of this process (the default scheduler)
    with (
        distributed.LocalCluster(
            n_workers=1, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as cluster,
        distributed.Client(cluster),
    ):
        there = run()
    assert here[0].equals(there[0]) and here[1].equals(there[1])
