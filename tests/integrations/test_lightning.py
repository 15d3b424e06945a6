"""PyTorch Lightning 2.6: our samplers under real 2-process DDP (gloo, CPU).

``strategy="ddp_fork"`` is Lightning's DDPStrategy with the processes forked from this one:
two ranks, a gloo process group, DistributedDataParallel. It starts in about a second, where
``"ddp"`` re-runs the calling script (here: pytest) in a subprocess (31 s measured here) and
``"ddp_spawn"`` starts two fresh interpreters (65 s). Each rank writes what it drew to a file;
the test then checks the ranks' shares against the epoch one process draws with the same seed.
The ``--8<--`` region is included in docs/torch-samplers.md.
"""
# ruff: noqa: E402

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any
from unittest import mock

import numpy as np
import pytest

pytest.importorskip("lightning")
torch = pytest.importorskip("torch")

import torch.distributed as dist
from torch.utils.data import TensorDataset

pytestmark = [
    pytest.mark.slow,
    # Lightning 2.6's pytree helper uses a torch API deprecated in torch 2.13.
    pytest.mark.filterwarnings("ignore:`isinstance\\(treespec, LeafSpec\\)` is deprecated"),
    # Lightning suggests DataLoader workers; these batches are tiny tensors.
    pytest.mark.filterwarnings("ignore:The '\\w+_dataloader' does not have many workers"),
    pytest.mark.filterwarnings("ignore:The number of training batches .* is smaller than"),
]

# --8<-- [start:lightning]
import lightning as L
from torch.utils.data import DataLoader

from imbalance.torch import ClassBalancedSampler, StratifiedBatchSampler


class BalancedModel(L.LightningModule):
    def __init__(self, dataset: Any, labels: Any) -> None:
        super().__init__()
        self.dataset, self.labels = dataset, labels
        self.net = torch.nn.Linear(4, 3)

    def sampler(self) -> Any:
        # Every rank: the same seed, its own rank; each draws only its share of the epoch.
        return ClassBalancedSampler(
            self.labels, num_replicas=self.trainer.world_size, rank=self.trainer.global_rank,
            seed=42,
        )  # fmt: skip

    def train_dataloader(self) -> DataLoader:
        # Lightning calls set_epoch(epoch) on this sampler at every epoch.
        return DataLoader(self.dataset, sampler=self.sampler(), batch_size=30)

    def training_step(self, batch: Any, batch_idx: int) -> torch.Tensor:
        x, y = batch
        return torch.nn.functional.cross_entropy(self.net(x), y)

    def configure_optimizers(self) -> torch.optim.Optimizer:
        return torch.optim.SGD(self.parameters(), lr=0.1)


class StratifiedModel(BalancedModel):
    def train_dataloader(self) -> DataLoader:
        batches = StratifiedBatchSampler(
            self.labels, batch_size=30, num_replicas=self.trainer.world_size,
            rank=self.trainer.global_rank, seed=42,
        )  # fmt: skip
        return DataLoader(self.dataset, batch_sampler=batches)

    def on_train_epoch_start(self) -> None:
        # Lightning calls set_epoch on a DataLoader's sampler, not on its batch_sampler.
        self.trainer.train_dataloader.batch_sampler.set_epoch(self.current_epoch)


def ddp_trainer(epochs: int) -> L.Trainer:
    # use_distributed_sampler=False: keep our sampler (Lightning would wrap it in its own).
    return L.Trainer(
        strategy="ddp_fork", accelerator="cpu", devices=2, max_epochs=epochs,
        use_distributed_sampler=False,
        logger=False, enable_checkpointing=False, enable_progress_bar=False,
        enable_model_summary=False,
    )  # fmt: skip


# --8<-- [end:lightning]

COUNTS = [240, 45, 15]
LABELS = torch.repeat_interleave(torch.arange(3), torch.tensor(COUNTS))


def dataset() -> TensorDataset:
    generator = torch.Generator().manual_seed(0)
    return TensorDataset(torch.randn(300, 4, generator=generator), LABELS, torch.arange(300))


class Recording:
    """Writes, on every rank, the dataset indices of each epoch's batches and the process."""

    out: Path

    def training_step(self, batch: Any, batch_idx: int) -> torch.Tensor:
        self.drawn.setdefault(self.current_epoch, []).append(batch[2].tolist())
        return super().training_step(batch[:2], batch_idx)  # type: ignore[misc]

    def on_train_epoch_end(self) -> None:
        rank = self.global_rank
        record = {
            "batches": self.drawn.get(self.current_epoch, []),
            "pid": os.getpid(),
            "backend": dist.get_backend(),
            "world_size": dist.get_world_size(),
        }
        (self.out / f"rank{rank}-epoch{self.current_epoch}.json").write_text(json.dumps(record))


def run(model_cls: type, out: Path, epochs: int) -> dict[tuple[int, int], dict[str, Any]]:
    class Recorded(Recording, model_cls):  # type: ignore[misc, valid-type]
        pass

    model = Recorded(dataset(), LABELS)
    model.out, model.drawn = out, {}
    with mock.patch.dict(os.environ):  # Lightning sets MASTER_ADDR / MASTER_PORT here
        ddp_trainer(epochs).fit(model)
    files = sorted(out.glob("rank*-epoch*.json"))
    records = {}
    for path in files:
        rank, epoch = (int(p[4:] if p.startswith("rank") else p[5:]) for p in path.stem.split("-"))
        records[rank, epoch] = json.loads(path.read_text())
    assert sorted(records) == [(r, e) for r in (0, 1) for e in range(epochs)]
    pids = {rec["pid"] for rec in records.values()}
    assert len(pids) == 2 and os.getpid() not in pids  # two processes, neither this one
    assert {(rec["backend"], rec["world_size"]) for rec in records.values()} == {("gloo", 2)}
    return records


def flat(batches: list[list[int]]) -> list[int]:
    return [i for batch in batches for i in batch]


def test_class_balanced_sampler_ranks_are_disjoint_and_balanced(tmp_path):
    records = run(BalancedModel, tmp_path, epochs=2)
    for epoch in (0, 1):
        shares = [flat(records[rank, epoch]["batches"]) for rank in (0, 1)]
        single = ClassBalancedSampler(LABELS, seed=42)
        single.set_epoch(epoch)
        # The two shares put together are exactly one process's epoch (seed 42, this epoch).
        assert shares[0] + shares[1] == list(single)
        assert len(shares[0]) == len(shares[1]) == 150
        for share in shares:
            counts = np.bincount(LABELS[share].numpy(), minlength=3)
            assert counts.min() >= 30, counts  # each rank balanced (natural: 120 / 22 / 8)
    assert flat(records[0, 0]["batches"]) != flat(records[0, 1]["batches"])  # set_epoch


def test_under_sampling_ranks_draw_disjoint_rows(tmp_path):
    class UnderSampled(BalancedModel):
        def sampler(self) -> Any:
            # A fresh random under-sample every epoch: 15 rows of each class, none twice.
            return ClassBalancedSampler(
                self.labels, strategy="auto", replacement=False, seed=42, drop_last=True,
                num_replicas=self.trainer.world_size, rank=self.trainer.global_rank,
            )  # fmt: skip

    records = run(UnderSampled, tmp_path, epochs=1)
    shares = [flat(records[rank, 0]["batches"]) for rank in (0, 1)]
    assert len(shares[0]) == len(shares[1]) == 22  # 45 rows, the odd one dropped
    assert not set(shares[0]) & set(shares[1]) and len(set(shares[0] + shares[1])) == 44
    single = list(ClassBalancedSampler(LABELS, strategy="auto", replacement=False, seed=42))
    assert shares[0] + shares[1] == single[:44]
    assert sorted(np.bincount(LABELS[single].numpy()).tolist()) == [15, 15, 15]


def test_stratified_batches_split_between_ranks(tmp_path):
    records = run(StratifiedModel, tmp_path, epochs=2)
    for epoch in (0, 1):
        batches = [records[rank, epoch]["batches"] for rank in (0, 1)]
        assert len(batches[0]) == len(batches[1]) == 5  # 10 batches of 30, 5 per rank
        rows = flat(batches[0]) + flat(batches[1])
        assert sorted(rows) == list(range(300))  # every row once, ranks disjoint
        for batch in batches[0] + batches[1]:  # 24 / 4.5 / 1.5 rows of each class per batch
            counts = np.bincount(LABELS[batch].numpy(), minlength=3).tolist()
            assert counts in ([24, 5, 1], [24, 4, 2]), counts
        single = StratifiedBatchSampler(LABELS, batch_size=30, seed=42)
        single.set_epoch(epoch)
        assert batches[0] + batches[1] == list(single)


def test_progressive_sampler_moves_with_lightning_set_epoch(tmp_path):
    from imbalance.torch import ProgressiveBalancedSampler

    class Progressive(BalancedModel):
        def sampler(self) -> Any:
            return ProgressiveBalancedSampler(
                self.labels, epochs=1, seed=42, num_replicas=self.trainer.world_size,
                rank=self.trainer.global_rank,
            )  # fmt: skip

    records = run(Progressive, tmp_path, epochs=2)
    single = ProgressiveBalancedSampler(LABELS, epochs=1, seed=42)
    rare = []
    for epoch in (0, 1):
        single.set_epoch(epoch)
        drawn = flat(records[0, epoch]["batches"]) + flat(records[1, epoch]["batches"])
        assert drawn == list(single)
        rare.append(float((LABELS[drawn] == 2).float().mean()))
    assert rare[0] < 0.12 and rare[1] > 0.25, rare  # 5 % of the data -> a third
