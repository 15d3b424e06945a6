"""PyTorch extra: losses for imbalanced data and class-aware samplers.

Needs ``pip install "imbalance[torch]"``. ``imbalance.torch.functional`` holds the maths of each
loss as a pure function; this namespace holds the ``nn.Module`` wrappers and the samplers.
"""

from __future__ import annotations

try:
    import torch as _torch  # noqa: F401
except ImportError as exc:  # pragma: no cover - exercised in an environment without torch
    from ..exceptions import MissingDependencyError

    raise MissingDependencyError(
        'imbalance.torch requires PyTorch; install it with pip install "imbalance[torch]"'
    ) from exc

from . import _losses, _losses_counts, _losses_regression, _samplers
from . import functional as functional  # imbalance.torch.functional, as in torch.nn
from ._fds import FeatureDistributionSmoothing
from ._losses import *  # noqa: F403
from ._losses_counts import *  # noqa: F403
from ._losses_regression import *  # noqa: F403
from ._samplers import *  # noqa: F403

__all__ = [
    *_losses.__all__,
    *_losses_counts.__all__,
    *_losses_regression.__all__,
    "FeatureDistributionSmoothing",
    *_samplers.__all__,
]
