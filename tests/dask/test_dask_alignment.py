"""The passes read the label column alone, yet see X's own partitions: small parquet files,
projected and repartitioned inputs, and a source that changes between the passes."""

from __future__ import annotations

import dask
import dask.dataframe as dd
import numpy as np
import pandas as pd
import pytest
from _dask_data import frame

from imbalance.dask import RandomOverSampler, RandomUnderSampler
from imbalance.exceptions import InvalidDataError

COUNTS = {"a": 700, "b": 90, "c": 30}

# Dask's parquet reader calls DataFrame.reset_index(inplace=True), which pandas 3.1 deprecates:
# a third-party warning, not ours, raised inside the reader.
reads_parquet = pytest.mark.filterwarnings(
    "ignore:The inplace keyword in DataFrame.reset_index is deprecated"
)


def _small_files(folder, df: pd.DataFrame, n_files: int) -> None:
    """``df`` in ``n_files`` parquet files of uneven, small sizes."""
    rng = np.random.default_rng(0)
    cuts = np.sort(rng.choice(np.arange(1, len(df)), n_files - 1, replace=False))
    for i, part in enumerate(np.split(np.arange(len(df)), cuts)):
        df.iloc[part].to_parquet(folder / f"part-{i:03d}.parquet", index=False)


def _same_values(got: pd.DataFrame, expected: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(
        got.reset_index(drop=True), expected.reset_index(drop=True), check_dtype=False
    )


@pytest.fixture(scope="module")
def many_files(tmp_path_factory):
    df = frame(COUNTS, seed=2)
    folder = tmp_path_factory.mktemp("small-parquet")
    _small_files(folder, df, 25)
    return df, folder


@reads_parquet
def test_many_small_parquet_files_give_the_rows_of_any_other_partitioning(client, many_files):
    df, folder = many_files
    X = dd.read_parquet(folder)
    # what the passes guard against: Dask reads the label column alone in fewer partitions
    assert X["label"].optimize().npartitions < X.npartitions
    for cls in (RandomUnderSampler, RandomOverSampler):
        sampler = cls(random_state=3)
        X_res, y_res = sampler.fit_resample(X, "label")
        got, labels, sizes = dask.compute(X_res, y_res, X_res.map_partitions(len))
        positions = sampler.sample_indices_.compute()
        reference = cls(random_state=3).fit_resample(dd.from_pandas(df, npartitions=3), "label")
        _same_values(got, reference[0].compute())
        assert labels.value_counts().to_dict() == sampler.target_counts_
        assert sizes.tolist() == sampler.partition_counts_.sum(axis=1).tolist()
        _same_values(got, df.iloc[positions])


@reads_parquet
def test_projected_and_repartitioned_parquet_keeps_its_partitions(client, many_files):
    # Projection below a repartition: tuned, the label column alone would be split elsewhere.
    df, folder = many_files
    X = dd.read_parquet(folder)[["f", "i", "label"]].repartition(npartitions=40)
    sampler = RandomUnderSampler(random_state=5)
    X_res, _ = sampler.fit_resample(X, "label")
    reference, _ = RandomUnderSampler(random_state=5).fit_resample(
        dd.from_pandas(df[["f", "i", "label"]], npartitions=7), "label"
    )
    got, sizes = dask.compute(X_res, X_res.map_partitions(len))
    _same_values(got, reference.compute())
    assert sizes.tolist() == sampler.partition_counts_.sum(axis=1).tolist()


def test_passes_read_only_the_label_and_row_id_columns():
    df = frame({0: 90, 1: 12})
    reads: list[tuple[str, ...]] = []

    def read(i: int, columns: list[str] | None = None) -> pd.DataFrame:
        part = df.iloc[i * 34 : (i + 1) * 34]
        reads.append(tuple(sorted(part.columns if columns is None else columns)))
        return part if columns is None else part[columns]

    X = dd.from_map(read, range(3), meta=df.iloc[:0], divisions=None)
    with dask.config.set(scheduler="sync"):
        X_res, _ = RandomUnderSampler(random_state=0, row_id="id").fit_resample(X, "label")
        assert reads == [("id", "label")] * 6  # two passes, two columns
        reads.clear()
        assert X_res.compute()["label"].value_counts().to_dict() == {0: 12, 1: 12}
        assert reads == [tuple(sorted(df.columns))] * 3  # the result reads X once


def test_x_that_changes_between_the_passes_is_an_error():
    df = frame({0: 90, 1: 12})
    rows = {"per_part": 34}

    def read(i: int) -> pd.DataFrame:
        return df.iloc[i * 34 : i * 34 + rows["per_part"]]

    X = dd.from_map(read, range(3), meta=df.iloc[:0], divisions=None)
    with dask.config.set(scheduler="sync"):
        X_res, _ = RandomOverSampler(random_state=0).fit_resample(X, "label")
        rows["per_part"] = 30
        with pytest.raises(InvalidDataError, match="X changed between the passes"):
            X_res.compute()
