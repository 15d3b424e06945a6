"""Distributed shares: ranks simulated in one process, and a real 2-process gloo group."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from torch.utils.data import DistributedSampler  # noqa: E402

from imbalance import _batching as batches  # noqa: E402
from imbalance.exceptions import InvalidParameterError  # noqa: E402
from imbalance.torch import (  # noqa: E402
    BalancedBatchSampler,
    ClassBalancedSampler,
    ProgressiveBalancedSampler,
    StratifiedBatchSampler,
)

LABELS = np.repeat([0, 1, 2], [700, 250, 53])

MAKERS = {
    "with_replacement": lambda **kw: ClassBalancedSampler(LABELS, **kw),
    "without_replacement": lambda **kw: ClassBalancedSampler(LABELS, replacement=False, **kw),
    "progressive": lambda **kw: ProgressiveBalancedSampler(LABELS, epochs=3, **kw),
    "stratified": lambda **kw: StratifiedBatchSampler(LABELS, 16, **kw),
    "stratified_min": lambda **kw: StratifiedBatchSampler(LABELS, 16, min_per_class=3, **kw),
    "pk": lambda **kw: BalancedBatchSampler(LABELS, 2, 4, **kw),
}


def _padded(sequence, total):
    return [sequence[i % len(sequence)] for i in range(total)]


@pytest.mark.parametrize("name", sorted(MAKERS))
@pytest.mark.parametrize("replicas", [1, 2, 3, 4])
@pytest.mark.parametrize("drop_last", [False, True])
def test_rank_shares_are_equal_and_tile_the_epoch(name, replicas, drop_last):
    make = MAKERS[name]
    single = make(seed=7, drop_last=drop_last)
    single.set_epoch(2)
    expected = list(single)
    shares = []
    for rank in range(replicas):
        sampler = make(seed=7, num_replicas=replicas, rank=rank, drop_last=drop_last)
        sampler.set_epoch(2)
        shares.append(list(sampler))
        assert len(shares[-1]) == len(sampler)
    assert len({len(share) for share in shares}) == 1
    flat = [unit for share in shares for unit in share]
    assert flat == _padded(expected, len(flat))
    assert abs(len(flat) - len(expected)) < replicas
    assert (len(flat) <= len(expected)) if drop_last else (len(flat) >= len(expected))


@pytest.mark.parametrize("n", [1, 7, 100, 1003])
@pytest.mark.parametrize("replicas", [1, 2, 3, 8])
@pytest.mark.parametrize("drop_last", [False, True])
def test_share_length_matches_distributed_sampler(n, replicas, drop_last):
    reference = DistributedSampler(range(n), num_replicas=replicas, rank=0, drop_last=drop_last)
    ours = ClassBalancedSampler(
        LABELS, num_samples=n, num_replicas=replicas, rank=replicas - 1, drop_last=drop_last
    )
    assert len(ours) == len(reference)


def test_without_replacement_shares_are_disjoint_and_cover_the_dataset():
    epoch = [
        set(ClassBalancedSampler(LABELS, strategy="natural", replacement=False,
                                 num_replicas=3, rank=r, seed=1, drop_last=True))
        for r in range(3)
    ]  # fmt: skip
    assert all(not (a & b) for i, a in enumerate(epoch) for b in epoch[i + 1 :])
    assert len(set().union(*epoch)) == LABELS.size // 3 * 3
    shards = [
        {i for batch in StratifiedBatchSampler(LABELS, 17, num_replicas=4, rank=r) for i in batch}
        for r in range(4)
    ]
    assert set().union(*shards) == set(range(LABELS.size))


def test_a_rank_computes_only_its_own_share(monkeypatch):
    computed = []
    for plan in (batches.IidDraws, batches.QuotaDraws, batches.StratifiedBatches):
        original = plan.take

        def spy(self, units, _original=original):
            computed.append(len(units))
            return _original(self, units)

        monkeypatch.setattr(plan, "take", spy)
    big = np.repeat([0, 1], [300_000, 5_000])
    for sampler in (
        ClassBalancedSampler(big, num_replicas=8, rank=5),
        ClassBalancedSampler(big, replacement=False, num_replicas=8, rank=5),
    ):
        computed.clear()
        assert sum(1 for _ in sampler) == len(sampler) == 305_000 // 8
        assert sum(computed) == len(sampler)
    computed.clear()
    sampler = StratifiedBatchSampler(big, 64, num_replicas=8, rank=5)
    assert sum(1 for _ in sampler) == len(sampler) == sum(computed) == -(-305_000 // 64 // 8)


def test_distributed_arguments_are_checked():
    with pytest.raises(InvalidParameterError, match="process group is not initialised"):
        ClassBalancedSampler(LABELS, rank=0)
    with pytest.raises(InvalidParameterError, match=r"'rank'.*\[0, 1\].*Got 2"):
        ClassBalancedSampler(LABELS, num_replicas=2, rank=2)
    with pytest.raises(InvalidParameterError, match=r"'num_replicas'.*Got 0"):
        ClassBalancedSampler(LABELS, num_replicas=0, rank=0)
    with pytest.raises(InvalidParameterError, match="ranks cannot share a generator"):
        ClassBalancedSampler(LABELS, num_replicas=2, rank=0, generator=torch.Generator())
    assert ClassBalancedSampler(LABELS, num_replicas=2, rank=1).seed == 0


WORKER = textwrap.dedent(
    """
    import json, sys
    import numpy as np
    import torch
    import torch.distributed as dist
    from torch.utils.data import DataLoader, TensorDataset
    from imbalance.torch import ClassBalancedSampler, StratifiedBatchSampler

    rank, world, store, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
    dist.init_process_group("gloo", init_method="file://" + store, rank=rank, world_size=world)
    labels = torch.tensor(np.repeat([0, 1, 2], [700, 250, 53]))
    data = TensorDataset(torch.arange(len(labels)), labels)
    result = {}
    for name in ("draws", "quotas", "stratified"):
        if name == "stratified":
            sampler = StratifiedBatchSampler(labels, 16, num_replicas=world, seed=3)
            loader = DataLoader(data, batch_sampler=sampler)
        else:
            sampler = ClassBalancedSampler(
                labels, replacement=name == "draws", num_replicas=world, seed=3
            )
            loader = DataLoader(data, sampler=sampler, batch_size=32)
        for epoch in (0, 1):
            sampler.set_epoch(epoch)
            mine, steps = [], 0
            for index, _ in loader:
                mine.extend(index.tolist())
                total = torch.tensor([float(len(index))])
                dist.all_reduce(total)  # a training step: every rank must take as many
                steps += 1
            gathered = [None] * world
            dist.all_gather_object(gathered, (steps, mine))
            result[f"{name}/{epoch}"] = gathered
    if rank == 0:
        with open(out, "w") as f:
            json.dump(result, f)
    dist.barrier()
    dist.destroy_process_group()
    """
)


@pytest.mark.slow
def test_real_gloo_group_of_two_processes(tmp_path):
    script = tmp_path / "worker.py"
    script.write_text(WORKER)
    store, out = tmp_path / "store", tmp_path / "out.json"
    env = dict(os.environ)
    if sys.platform.startswith("linux"):
        env.setdefault("GLOO_SOCKET_IFNAME", "lo")  # loopback: no network or DNS needed
    procs = [
        subprocess.Popen(
            [sys.executable, str(script), str(rank), "2", str(store), str(out)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for rank in range(2)
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=180)
        assert proc.returncode == 0, err
    result = json.loads(out.read_text())
    for name in ("draws", "quotas", "stratified"):
        epochs = []
        for epoch in (0, 1):
            (steps0, rank0), (steps1, rank1) = result[f"{name}/{epoch}"]
            assert steps0 == steps1
            assert name == "stratified" or len(rank0) == len(rank1)
            if name == "stratified":
                single = StratifiedBatchSampler(LABELS, 16, seed=3)
            else:
                single = ClassBalancedSampler(LABELS, replacement=name == "draws", seed=3)
            single.set_epoch(epoch)
            units = list(single)
            padded = _padded(units, -(-len(units) // 2) * 2)
            expected = [i for b in padded for i in b] if name == "stratified" else padded
            assert rank0 + rank1 == expected
            epochs.append(rank0 + rank1)
        assert epochs[0] != epochs[1]
    assert set(result["stratified/0"][0][1]) | set(result["stratified/0"][1][1]) == set(
        range(LABELS.size)
    )
