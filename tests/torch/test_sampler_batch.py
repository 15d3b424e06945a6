"""StratifiedBatchSampler and BalancedBatchSampler through torch's DataLoader."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

torch = pytest.importorskip("torch")

from torch.utils.data import DataLoader, TensorDataset  # noqa: E402

from imbalance.exceptions import InvalidDataError, InvalidParameterError  # noqa: E402
from imbalance.torch import BalancedBatchSampler, StratifiedBatchSampler  # noqa: E402


@settings(max_examples=30, deadline=None)
@given(
    counts=st.lists(st.integers(1, 200), min_size=2, max_size=5),
    batch_size=st.integers(2, 50),
    seed=st.integers(0, 2**31),
)
def test_every_batch_within_one_of_the_ideal_and_every_index_once(counts, batch_size, seed):
    labels = np.repeat(np.arange(len(counts)), counts)
    sampler = StratifiedBatchSampler(torch.as_tensor(labels), batch_size, seed=seed)
    batches = list(sampler)
    assert len(batches) == len(sampler) == -(-labels.size // batch_size)
    for batch in batches:
        share = np.bincount(labels[batch], minlength=len(counts))
        assert np.all(np.abs(share - np.array(counts) * len(batch) / labels.size) <= 1)
    assert sorted(i for batch in batches for i in batch) == list(range(labels.size))


def test_dataloader_batches_carry_the_proportions():
    labels = torch.tensor([0] * 95 + [1] * 5)
    ds = TensorDataset(torch.arange(100.0), labels)
    loader = DataLoader(ds, batch_sampler=StratifiedBatchSampler(labels, 20, seed=0))
    seen = [(x, y) for x, y in loader]
    assert [int(y.sum()) for _, y in seen] == [1] * 5
    assert sorted(torch.cat([x for x, _ in seen]).tolist()) == list(range(100))


def test_min_per_class_repeats_the_minority_and_lengthens_the_epoch():
    labels = np.array([0] * 95 + [1] * 5)
    sampler = StratifiedBatchSampler(labels, 10, min_per_class=2, seed=0)
    batches = list(sampler)
    assert len(batches) == len(sampler) == 12  # 95 majority rows, 8 per batch
    assert all(int(labels[b].sum()) == 2 for b in batches)
    majority = [i for b in batches for i in b if labels[i] == 0]
    assert sorted(majority) == list(range(95))


def test_drop_last_drops_the_short_batch():
    labels = np.array([0] * 45 + [1] * 5)
    batches = list(StratifiedBatchSampler(labels, 20, drop_last=True, seed=0))
    assert [len(b) for b in batches] == [20, 20]
    assert [int(labels[b].sum()) for b in batches] == [2, 2]


def test_stratified_errors():
    with pytest.raises(InvalidParameterError, match="batch_size=5 cannot hold min_per_class=2"):
        StratifiedBatchSampler([0, 1, 2] * 5, 5, min_per_class=2)
    with pytest.raises(InvalidParameterError, match=r"'batch_size'.*Got 0"):
        StratifiedBatchSampler([0, 1], 0)
    with pytest.raises(InvalidParameterError, match=r"'min_per_class'.*Got -1"):
        StratifiedBatchSampler([0, 1], 2, min_per_class=-1)
    with pytest.raises(InvalidDataError, match="multi-label indicator"):
        StratifiedBatchSampler(np.array([[1, 1], [0, 1], [1, 0]]), 2)
    with pytest.raises(InvalidParameterError, match=r"'drop_last'.*Got 1"):
        StratifiedBatchSampler([0, 1], 2, drop_last=1)


def test_pk_batches_hold_p_distinct_classes_times_k_samples():
    labels = np.repeat(np.arange(10), [40, 30, 20, 10, 8, 6, 4, 3, 2, 1])
    sampler = BalancedBatchSampler(labels, n_classes=4, n_per_class=3, seed=0)
    assert len(sampler) == labels.size // 12
    for batch in sampler:
        assert len(batch) == 12
        groups = np.array(batch).reshape(4, 3)
        classes = labels[groups]
        assert np.all(classes == classes[:, :1])
        assert len(set(classes[:, 0])) == 4
        for members, cls in zip(groups, classes[:, 0], strict=True):
            expected = min(3, int((labels == cls).sum()))
            assert len(set(members.tolist())) == expected


def test_pk_classes_are_chosen_uniformly():
    from scipy.stats import chisquare

    labels = np.repeat(np.arange(6), [500, 100, 50, 20, 10, 5])
    sampler = BalancedBatchSampler(labels, 2, 2, num_batches=3000, seed=1)
    firsts = np.array([labels[b[::2]] for b in sampler]).ravel()
    assert chisquare(np.bincount(firsts, minlength=6)).pvalue > 1e-4


def test_pk_errors():
    with pytest.raises(InvalidParameterError, match="n_classes=3 is more than the 2 classes"):
        BalancedBatchSampler([0, 1, 1], 3, 2)
    with pytest.raises(InvalidParameterError, match=r"'n_per_class'.*Got 0"):
        BalancedBatchSampler([0, 1, 1], 2, 0)
    with pytest.raises(InvalidParameterError, match=r"'num_batches'.*Got 0"):
        BalancedBatchSampler([0, 1, 1], 2, 1, num_batches=0)


def test_batch_samplers_are_repeatable_per_seed_and_epoch():
    labels = np.repeat([0, 1, 2], [50, 30, 20])
    for make in (
        lambda: StratifiedBatchSampler(labels, 16, seed=3),
        lambda: BalancedBatchSampler(labels, 2, 4, seed=3),
    ):
        a, b = make(), make()
        assert list(a) == list(b)
        b.set_epoch(1)
        assert list(a) != list(b)
