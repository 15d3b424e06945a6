"""What every sampler of :mod:`imbalance.torch` shares: epochs, seeds and shares across ranks.

Semantics follow ``torch.utils.data.DistributedSampler``: ``num_replicas`` processes each read an
equal share of every epoch (the tail is padded from the start of the epoch, or dropped with
``drop_last``), and ``set_epoch(epoch)`` changes the draws of the next epoch. Randomness comes
from ``seed`` when it is given, the same on every rank; otherwise from a seed drawn at every
``iter()`` from ``generator`` (or from torch's default generator, as ``RandomSampler`` does), which
a single process only may use.

An epoch's draws depend on the pair ``(seed, epoch)``, not on ``seed + epoch``: seed 0 at epoch 1
and seed 1 at epoch 0 give different draws.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterator
from typing import Any, TypeVar

import numpy as np
import torch
from torch.utils.data import Sampler

from .._batching import shard_chunks, shard_length
from ..exceptions import InvalidParameterError

__all__ = ["EpochSampler", "resolve_replicas"]

T_co = TypeVar("T_co", covariant=True)


def _is_int(value: Any, low: int) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool) and int(value) >= low


def resolve_replicas(num_replicas: Any, rank: Any, owner: str) -> tuple[int, int]:
    """``(num_replicas, rank)``: (1, 0) when both are None, the process group's when one is."""
    if num_replicas is None and rank is None:
        return 1, 0
    if num_replicas is None or rank is None:
        import torch.distributed as dist

        if not (dist.is_available() and dist.is_initialized()):
            raise InvalidParameterError(
                f"{owner} got num_replicas={num_replicas!r} and rank={rank!r}; the missing one "
                "is read from torch.distributed, whose process group is not initialised. Pass "
                "both, or call torch.distributed.init_process_group first."
            )
        num_replicas = dist.get_world_size() if num_replicas is None else num_replicas
        rank = dist.get_rank() if rank is None else rank
    if not _is_int(num_replicas, 1):
        raise InvalidParameterError(
            f"The 'num_replicas' parameter of {owner} must be an int in the range [1, inf) or "
            f"None. Got {num_replicas!r} instead."
        )
    if not _is_int(rank, 0) or rank >= num_replicas:
        raise InvalidParameterError(
            f"The 'rank' parameter of {owner} must be an int in the range [0, {num_replicas - 1}] "
            f"(num_replicas={num_replicas}) or None. Got {rank!r} instead."
        )
    return int(num_replicas), int(rank)


class EpochSampler(Sampler[T_co]):
    """Base of the samplers: stores the randomness and the share, computes neither."""

    def __init__(
        self,
        *,
        generator: torch.Generator | None,
        seed: int | None,
        num_replicas: int | None,
        rank: int | None,
        drop_last: bool,
    ) -> None:
        super().__init__()
        owner = type(self).__name__
        self.num_replicas, self.rank = resolve_replicas(num_replicas, rank, owner)
        self._check_randomness(generator, seed, owner)
        if not isinstance(drop_last, bool):
            raise InvalidParameterError(
                f"The 'drop_last' parameter of {owner} must be a bool. Got {drop_last!r} instead."
            )
        self.generator = generator
        self.seed = 0 if seed is None and generator is None and self.num_replicas > 1 else seed
        self.drop_last = drop_last
        self.epoch = 0

    def _check_randomness(self, generator: Any, seed: Any, owner: str) -> None:
        if generator is not None and not isinstance(generator, torch.Generator):
            raise InvalidParameterError(
                f"The 'generator' parameter of {owner} must be a torch.Generator or None. "
                f"Got {generator!r} instead."
            )
        if seed is not None and not (_is_int(seed, 0) and seed < 2**63):
            raise InvalidParameterError(
                f"The 'seed' parameter of {owner} must be an int in the range [0, 2**63) or None. "
                f"Got {seed!r} instead."
            )
        if seed is not None and generator is not None:
            raise InvalidParameterError(
                f"{owner} got both seed={seed!r} and a generator; pass seed (the same on every "
                "rank, reseeded per epoch) or generator (one process), not both."
            )
        if generator is not None and self.num_replicas > 1:
            raise InvalidParameterError(
                f"{owner} got a generator with num_replicas={self.num_replicas}: ranks cannot "
                "share a generator's state. Pass seed=<int>, the same on every rank, instead."
            )

    def set_epoch(self, epoch: int) -> None:
        """Use ``epoch`` for the next iteration: draws depend on ``(seed, epoch)``.

        Parameters
        ----------
        epoch : int
            Non-negative epoch number, the same on every rank.
        """
        if not _is_int(epoch, 0):
            raise InvalidParameterError(
                f"set_epoch of {type(self).__name__} needs an int >= 0; got {epoch!r}."
            )
        self.epoch = int(epoch)

    def _entropy(self) -> tuple[int, int]:
        """``(seed, epoch)`` of the iteration about to start."""
        if self.seed is not None:
            return int(self.seed), self.epoch
        drawn = torch.randint(0, 2**63 - 1, (1,), dtype=torch.int64, generator=self.generator)
        return int(drawn.item()), self.epoch

    def _share_length(self, n_units: int) -> int:
        return shard_length(n_units, self.num_replicas, self.drop_last)

    def _share(self, n_units: int, chunk: int) -> Iterator[np.ndarray]:
        return shard_chunks(n_units, self.num_replicas, self.rank, self.drop_last, chunk)
