"""dataset_labels, OversampledDataset, and the samplers inside DataLoader worker processes."""

from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from torch.utils.data import (  # noqa: E402
    ConcatDataset,
    DataLoader,
    Dataset,
    DistributedSampler,
    Subset,
    TensorDataset,
)

from imbalance.exceptions import InvalidDataError, InvalidParameterError  # noqa: E402
from imbalance.torch import (  # noqa: E402
    ClassBalancedSampler,
    OversampledDataset,
    StratifiedBatchSampler,
    dataset_labels,
)


class Folder(Dataset):
    """A dataset shaped like torchvision's ImageFolder: samples and a ``targets`` list."""

    def __init__(self, targets):
        self.targets = list(targets)

    def __len__(self):
        return len(self.targets)

    def __getitem__(self, index):
        return torch.tensor([float(index)]), self.targets[index]


class Opaque(Dataset):
    def __len__(self):
        return 3

    def __getitem__(self, index):
        return index


def test_dataset_labels_finds_labels_without_loading_samples():
    folder = Folder([0, 1, 1, 2, 0])
    assert dataset_labels(folder).tolist() == [0, 1, 1, 2, 0]
    nested = Subset(Subset(folder, [4, 3, 2, 1]), [1, 2])
    assert dataset_labels(nested).tolist() == [2, 1]
    both = ConcatDataset([folder, TensorDataset(torch.zeros(2), torch.tensor([5, 6]))])
    assert dataset_labels(both).tolist() == [0, 1, 1, 2, 0, 5, 6]
    assert dataset_labels(folder, "targets").tolist() == [0, 1, 1, 2, 0]
    assert dataset_labels(Opaque(), lambda ds: [ds[i] % 2 for i in range(len(ds))]).tolist() == [
        0,
        1,
        0,
    ]
    with pytest.raises(InvalidParameterError, match="cannot find the labels of a Opaque"):
        dataset_labels(Opaque())
    with pytest.raises(InvalidParameterError, match="has no attribute 'classes'"):
        dataset_labels(folder, "classes")


def test_samplers_accept_a_subset_directly():
    folder = Folder([0] * 30 + [1] * 10)
    subset = Subset(folder, list(range(20, 40)))
    sampler = StratifiedBatchSampler(subset, 4, seed=0)
    assert sampler.class_counts == {0: 10, 1: 10}
    loader = DataLoader(subset, batch_sampler=sampler)
    assert all(int(y.sum()) == 2 for _, y in loader)


def test_oversampled_dataset_grows_minorities_with_transformed_copies():
    labels = torch.tensor([0] * 10 + [1] * 3 + [2] * 1)
    base = TensorDataset(torch.arange(14.0), labels)
    seen = []

    def jitter(item):
        seen.append(int(item[0]))
        return item[0] + 0.25, item[1]

    ds = OversampledDataset(base, transform=jitter, seed=1)
    assert len(ds) == 30 and ds.target_counts == {0: 10, 1: 10, 2: 10}
    assert [float(ds[i][0]) for i in range(14)] == list(range(14))
    assert seen == []
    copies = [ds[i] for i in range(14, 30)]
    assert all(float(x) % 1 == 0.25 for x, _ in copies)
    assert sorted(seen) == sorted(ds.copy_sources.tolist())
    per_source = np.bincount(ds.copy_sources, minlength=14)
    assert per_source[:10].sum() == 0
    assert set(per_source[10:13].tolist()) == {2, 3} and per_source[13] == 9
    assert float(ds[-1][0]) == float(ds[29][0])
    with pytest.raises(IndexError):
        ds[30]


def test_oversampled_dataset_strategy_labels_and_errors():
    base = Folder([0] * 8 + [1] * 2)
    assert len(OversampledDataset(base, sampling_strategy=0.5)) == 12
    assert OversampledDataset(base, labels=[1] * 8 + [0] * 2).target_counts == {0: 8, 1: 8}
    with pytest.raises(InvalidDataError, match="2 labels for a dataset of 10 samples"):
        OversampledDataset(base, labels=[0.5, 0.5])
    with pytest.raises(InvalidParameterError, match=r"'transform'.*Got 3"):
        OversampledDataset(base, transform=3)


def test_oversampled_dataset_shards_with_distributed_sampler():
    base = Folder([0] * 8 + [1] * 2)
    ds = OversampledDataset(base, transform=lambda item: item)
    shares = [list(DistributedSampler(ds, num_replicas=2, rank=r, seed=0)) for r in range(2)]
    assert sorted(shares[0] + shares[1]) == list(range(16))


def test_samplers_feed_persistent_worker_processes():
    labels = torch.tensor([0] * 90 + [1] * 10)
    data = TensorDataset(torch.arange(100), labels)
    sampler = ClassBalancedSampler(labels, seed=4)
    batches = StratifiedBatchSampler(labels, 10, seed=4)
    by_index = DataLoader(
        data, sampler=sampler, batch_size=25, num_workers=2, persistent_workers=True
    )
    by_batch = DataLoader(data, batch_sampler=batches, num_workers=2, persistent_workers=True)
    for epoch in range(2):
        sampler.set_epoch(epoch)
        batches.set_epoch(epoch)
        got = torch.cat([index for index, _ in by_index]).tolist()
        assert got == list(sampler)
        got_batches = [index.tolist() for index, _ in by_batch]
        assert got_batches == list(batches)
        assert all(int(labels[b].sum()) == 1 for b in got_batches)
