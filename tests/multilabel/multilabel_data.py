"""Data shared by the multi-label tests: small long-tailed label sets with informative features."""

from __future__ import annotations

import numpy as np

# Positive share of each of the 28 labels of the Human Protein Atlas image competition (Kaggle
# 2018, 31,072 training images), as widely reported: Nucleoplasm 41 % down to Rods & rings 0.04 %.
HPA_COUNTS = np.array(
    [12885, 1254, 3621, 1561, 1858, 2513, 1008, 2822, 53, 45, 28, 1093, 688, 537,
     1066, 21, 530, 210, 902, 1482, 172, 3777, 802, 2965, 322, 8228, 328, 11]
)  # fmt: skip
HPA_FREQUENCIES = HPA_COUNTS / 31072


def long_tailed_labels(
    n: int, frequencies: np.ndarray = HPA_FREQUENCIES, *, min_count: int = 0, seed: int = 0
) -> np.ndarray:
    """Independent labels with the given frequencies, each with at least ``min_count`` rows."""
    rng = np.random.default_rng(seed)
    Y = rng.random((n, frequencies.size)) < frequencies
    for j in range(frequencies.size):
        short = min_count - int(Y[:, j].sum())
        if short > 0:
            Y[rng.choice(np.flatnonzero(~Y[:, j]), short, replace=False), j] = True
    return Y.astype(np.int64)


def multilabel_set(
    n: int = 120, n_labels: int = 5, n_features: int = 4, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """X (float) and a 0/1 Y whose label frequencies fall from about 60 % to about 6 %.

    The rarest labels co-occur with the most frequent one (so SCUMBLE is not zero), every label
    has at least 4 rows, and the features move with the labels.
    """
    rng = np.random.default_rng(seed)
    freqs = 0.6 * np.geomspace(1.0, 0.1, n_labels)
    Y = long_tailed_labels(n, freqs, min_count=4, seed=seed).astype(bool)
    Y[np.flatnonzero(Y[:, -1])[:2], 0] = True
    X = rng.normal(size=(n, n_features)) + Y[:, :n_features].astype(float) * 2.0
    return X, Y.astype(np.int64)
