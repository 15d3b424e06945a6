"""Train on a resampled Dask collection: incrementally with scikit-learn, and with PyTorch."""

from __future__ import annotations

import dask.dataframe as dd
import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import SGDClassifier

from imbalance.dask import RandomUnderSampler, iter_partitions, sample_weights


def _data(n=4000, seed=0):
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < 0.05).astype(np.int64)
    X = rng.normal(size=(n, 3)) + y[:, None] * 1.5
    return dd.from_pandas(pd.DataFrame(X, columns=["a", "b", "c"]).assign(y=y), npartitions=8)


def test_incremental_model_on_under_sampled_partitions(client):
    ddf = _data()
    X_res, y_res = RandomUnderSampler(random_state=0).fit_resample(ddf[["a", "b", "c"]], ddf["y"])
    # averaged SGD: plain SGD's recall swings from 0.5 to 0.97 with the order of the rows
    model = SGDClassifier(loss="log_loss", random_state=0, average=True)
    seen = 0
    for epoch in range(3):
        for X_part, y_part in iter_partitions(X_res, y_res, shuffle=True, random_state=epoch):
            model.partial_fit(X_part.to_numpy(), y_part.to_numpy(), classes=[0, 1])
            seen += len(y_part)
    assert seen == 3 * len(y_res)
    test = _data(seed=1).compute()
    recall = (model.predict(test[["a", "b", "c"]].to_numpy())[test.y == 1] == 1).mean()
    assert recall > 0.7  # balanced training finds the minority


def test_weights_instead_of_resampling(client):
    ddf = _data()
    ddf = ddf.assign(w=sample_weights(ddf["y"]))
    model = SGDClassifier(loss="log_loss", random_state=0)
    for part in iter_partitions(ddf):
        model.partial_fit(part[["a", "b", "c"]].to_numpy(), part["y"], [0, 1], part["w"])
    test = _data(seed=1).compute()
    assert (model.predict(test[["a", "b", "c"]].to_numpy())[test.y == 1] == 1).mean() > 0.7


def test_pytorch_dataloader_by_partitions(client):
    torch = pytest.importorskip("torch")
    ddf = _data()
    X_res, y_res = RandomUnderSampler(random_state=0).fit_resample(ddf[["a", "b", "c"]], ddf["y"])

    class Partitions(torch.utils.data.IterableDataset):
        def __init__(self, epoch: int = 0):
            self.epoch = epoch

        def __iter__(self):
            for X_part, y_part in iter_partitions(
                X_res, y_res, shuffle=True, random_state=self.epoch
            ):
                yield from zip(
                    torch.from_numpy(X_part.to_numpy(dtype=np.float32, copy=True)),
                    torch.from_numpy(y_part.to_numpy(copy=True)),
                    strict=True,
                )

    loader = torch.utils.data.DataLoader(Partitions(), batch_size=32)
    labels = torch.cat([yb for _, yb in loader])
    assert labels.shape[0] == len(y_res)
    assert torch.bincount(labels).tolist() == [int(ddf["y"].sum().compute())] * 2
