"""What the loss modules share: per-class buffers and ``from_targets``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

import numpy as np
import torch
from torch import Tensor, nn

from .._numeric import check_weights
from .._typing import ArrayLike, Target
from ..exceptions import InvalidParameterError
from ._loss_common import counts_from_targets

__all__ = ["FromTargets", "PerClass", "class_buffer", "optional_buffer"]

PerClass = Sequence[float] | np.ndarray | Tensor
_T = TypeVar("_T", bound="FromTargets")


def class_buffer(
    values: ArrayLike, name: str, owner: str, *, high: float | None = None, all_zero: bool = False
) -> Tensor:
    """Per-class values as a float32 buffer, checked as weights (``<= high`` when given)."""
    raw = values.detach().cpu().numpy() if isinstance(values, Tensor) else values
    arr = check_weights(
        raw,
        f"The {name!r} parameter of {owner}",
        what_n="class",
        allow_all_zero=all_zero or high is not None,
        error=InvalidParameterError,
    )
    if arr.size == 0 or (high is not None and (arr > high).any()):
        allowed = "finite and >= 0" if high is None else f"in [0, {high:g}]"
        raise InvalidParameterError(
            f"The {name!r} parameter of {owner} must be 1-D with one value {allowed} per class. "
            f"Got {values!r} instead."
        )
    return torch.as_tensor(arr, dtype=torch.float32)


def optional_buffer(
    values: ArrayLike, name: str, owner: str, *, all_zero: bool = False
) -> Tensor | None:
    return None if values is None else class_buffer(values, name, owner, all_zero=all_zero)


class FromTargets(nn.Module):
    """Shared ``from_targets`` of the modules built from ``class_counts``."""

    @classmethod
    def from_targets(
        cls: type[_T], y: Target, *, n_classes: int | None = None, **kwargs: Any
    ) -> _T:
        """Build the loss from training targets instead of ``class_counts``.

        Parameters
        ----------
        y : Tensor, ndarray or list
            Class indices ``0 .. C-1`` (1-D), or a 0/1 indicator of shape ``(n_samples, C)``
            (one-hot, or multi-label: its positives per column are counted).
        n_classes : int, default=None
            Number of classes, when the largest ones may be absent from ``y`` (they then fail
            with a clear message, since a class without samples has no weight or margin).
        **kwargs
            The loss's other parameters.
        """
        counts = counts_from_targets(y, n_classes, cls.__name__)
        return cls([int(c) for c in counts], **kwargs)
