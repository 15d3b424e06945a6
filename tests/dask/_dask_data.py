"""Shared test data for the Dask tests."""

from __future__ import annotations

from itertools import pairwise

import dask.dataframe as dd
import numpy as np
import pandas as pd


def frame(counts: dict, *, seed: int = 0, shuffle: bool = True) -> pd.DataFrame:
    """A frame with ``counts[c]`` rows of class ``c``, a float and an int feature and an id."""
    rng = np.random.default_rng(seed)
    labels = np.concatenate([np.full(n, c, dtype=object) for c, n in counts.items()])
    labels = np.asarray(labels.tolist())
    if shuffle:
        labels = labels[rng.permutation(len(labels))]
    n = len(labels)
    return pd.DataFrame(
        {
            "f": rng.normal(size=n),
            "i": rng.integers(0, 50, n),
            "id": rng.permutation(n) * 3 + 11,
            "label": labels,
        }
    )


def chunked(df: pd.DataFrame, sizes: list[int]) -> dd.DataFrame:
    """A dask frame whose partitions have exactly ``sizes`` rows (zeros give empty partitions)."""
    assert sum(sizes) == len(df)
    bounds = np.concatenate([[0], np.cumsum(sizes)])
    parts = [df.iloc[a:b] for a, b in pairwise(bounds)]
    return dd.from_map(lambda p: p, parts, meta=df.iloc[:0], divisions=None)
