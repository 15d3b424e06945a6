"""fastai adapters: our losses as fastai loss functions, our samplers in fastai's DataLoaders.

Needs fastai (2.8). Three small pieces, each doing what fastai expects and nothing more:

- :class:`FlatLoss` wraps a loss module the way ``CrossEntropyLossFlat`` wraps
  ``nn.CrossEntropyLoss``: it moves the class axis last and flattens, and gives ``activation``
  and ``decodes`` so that ``learn.get_preds`` returns probabilities and ``learn.predict``
  classes (without them fastai returns the raw logits).
- :func:`with_sampler` gives a copy of a fastai ``DataLoader`` whose indices come from one of
  our samplers (per-sample or batch), keeping fastai's transforms, ``test_dl`` and ``predict``.
- :class:`SetEpochCallback` calls ``sampler.set_epoch`` at every epoch, which fastai does not:
  a ``ProgressiveBalancedSampler``, or any sampler given a ``seed``, needs it.
"""

from __future__ import annotations

import numbers
from typing import Any

import torch
from torch import Tensor, nn
from torch.utils.data import BatchSampler, Sampler

from ..exceptions import InvalidParameterError, MissingDependencyError
from ._losses import AsymmetricLoss, FocalLoss, SoftmaxFocalLoss
from ._losses_counts import BalancedSoftmaxLoss, ClassBalancedLoss, LDAMLoss, LogitAdjustedLoss
from ._sampler_batch import BalancedBatchSampler, StratifiedBatchSampler

try:
    from fastai.callback.core import Callback
except ImportError as exc:  # pragma: no cover - exercised in an environment without fastai
    raise MissingDependencyError(
        "imbalance.torch.fastai requires fastai; install it with pip install fastai"
    ) from exc

__all__ = ["FlatLoss", "SetEpochCallback", "with_sampler"]

_SIGMOID = (FocalLoss, AsymmetricLoss, nn.BCEWithLogitsLoss)
_SOFTMAX = (
    SoftmaxFocalLoss,
    LDAMLoss,
    LogitAdjustedLoss,
    BalancedSoftmaxLoss,
    nn.CrossEntropyLoss,
)


def _is_sigmoid(loss: nn.Module, sigmoid: bool | None) -> bool:
    if sigmoid is not None:
        if not isinstance(sigmoid, bool):
            raise InvalidParameterError(
                f"The 'sigmoid' parameter of FlatLoss must be a bool or None. Got {sigmoid!r} "
                "instead."
            )
        return sigmoid
    if isinstance(loss, ClassBalancedLoss):
        return loss.loss_type != "softmax"
    if isinstance(loss, _SIGMOID):
        return True
    if isinstance(loss, _SOFTMAX):
        return False
    raise InvalidParameterError(
        f"FlatLoss cannot tell whether {type(loss).__name__} scores classes with a softmax or "
        "labels with a sigmoid; pass sigmoid=False (one class per row) or sigmoid=True "
        "(independent labels)."
    )


def _plain(x: Tensor) -> Tensor:
    """fastai hands over its ``TensorBase`` subclass; the losses get a plain tensor (a view)."""
    return x if type(x) is Tensor else x.as_subclass(Tensor)


class FlatLoss(nn.Module):
    """A loss module made into a fastai loss function: flattened, with probabilities out.

    fastai calls ``loss_func(output, target)`` with the class axis anywhere (``axis``) and
    targets of any shape (tabular targets are ``(N, 1)``, ``int8``), and reads
    ``loss_func.activation`` / ``loss_func.decodes`` in ``get_preds`` and ``predict``. This
    wrapper moves the class axis last, flattens to ``(rows, C)`` (and the targets to
    ``(rows,)`` class indices, or ``(rows, C)`` per-label targets), and then calls ``loss``:
    the value is the one ``loss`` gives on the flattened tensors. Its ``reduction`` is the
    wrapped loss's, so fastai's ``loss_not_reduced`` works.

    Parameters
    ----------
    loss : nn.Module
        One of our losses (``FocalLoss(...)``, ``SoftmaxFocalLoss(...)``,
        ``LogitAdjustedLoss.from_targets(y)``, ...) or ``nn.CrossEntropyLoss`` /
        ``nn.BCEWithLogitsLoss``.
    sigmoid : bool, default=None
        ``True``: independent labels (binary or multi-label), ``activation`` is a sigmoid and
        ``decodes`` thresholds at ``thresh``. ``False``: one class per row, ``activation`` is
        a softmax over ``axis`` and ``decodes`` the arg max. ``None`` reads it from the type of
        ``loss`` and refuses a loss it does not know.
    thresh : float in [0, 1], default=0.5
        Probability above which a label is decoded as present (``sigmoid`` only).
    axis : int, default=-1
        Class axis of the model's output.

    Attributes
    ----------
    loss : nn.Module
        The wrapped loss (its buffers follow ``.to(device)``).
    sigmoid : bool
        Resolved as described above.
    y_int : bool
        ``True`` when targets are class indices (fastai's flag for ``MixUp`` and the like).

    See Also
    --------
    with_sampler : our samplers in a fastai ``DataLoader``.

    Examples
    --------
    >>> import torch
    >>> from imbalance.torch import FocalLoss
    >>> from imbalance.torch.fastai import FlatLoss
    >>> loss_func = FlatLoss(FocalLoss(gamma=2.0))
    >>> logits = torch.tensor([[2.0, -1.0], [-3.0, 0.5]])
    >>> targets = torch.tensor([[1.0, 0.0], [0.0, 1.0]])
    >>> bool(loss_func(logits, targets) == FocalLoss(gamma=2.0)(logits, targets))
    True
    >>> loss_func.activation(logits).round(decimals=3)
    tensor([[0.8810, 0.2690],
            [0.0470, 0.6220]])
    >>> loss_func.decodes(loss_func.activation(logits))
    tensor([[ True, False],
            [False,  True]])
    """

    loss: nn.Module
    sigmoid: bool
    thresh: float
    axis: int

    def __init__(
        self,
        loss: nn.Module,
        *,
        sigmoid: bool | None = None,
        thresh: float = 0.5,
        axis: int = -1,
    ) -> None:
        super().__init__()
        if not isinstance(loss, nn.Module):
            raise InvalidParameterError(
                "The 'loss' parameter of FlatLoss must be a loss module instance, e.g. "
                f"FocalLoss(gamma=2.0). Got {loss!r} instead."
            )
        ok = isinstance(thresh, numbers.Real) and not isinstance(thresh, bool)
        if not ok or not 0.0 <= float(thresh) <= 1.0:
            raise InvalidParameterError(
                f"The 'thresh' parameter of FlatLoss must be a float in [0, 1]. Got {thresh!r} "
                "instead."
            )
        if isinstance(axis, bool) or not isinstance(axis, numbers.Integral):
            raise InvalidParameterError(
                f"The 'axis' parameter of FlatLoss must be an int. Got {axis!r} instead."
            )
        self.loss = loss
        self.sigmoid = _is_sigmoid(loss, sigmoid)
        self.thresh = float(thresh)
        self.axis = int(axis)

    @property
    def reduction(self) -> str:
        """The wrapped loss's ``reduction`` (fastai sets it to ``'none'`` for per-item losses)."""
        return str(self.loss.reduction)

    @reduction.setter
    def reduction(self, value: str) -> None:
        setattr(self.loss, "reduction", value)  # noqa: B010 (Module types attributes as tensors)

    @property
    def y_int(self) -> bool:
        return not self.sigmoid

    def forward(self, output: Tensor, target: Tensor) -> Tensor:
        """``loss`` on ``output`` and ``target`` flattened as described in the class docstring."""
        output, target = _plain(output), _plain(target)
        if output.dim() > 1:
            if target.dim() == output.dim():
                target = target.movedim(self.axis, -1)
            output = output.movedim(self.axis, -1)
        n_classes = output.shape[-1] if output.dim() > 1 else 1
        if self.sigmoid:
            if not target.is_floating_point():
                target = target.float()
            target = target.reshape(output.shape)
            if output.dim() > 2:
                output, target = output.reshape(-1, n_classes), target.reshape(-1, n_classes)
            return self.loss(output, target)
        if target.dtype in (torch.int8, torch.int16, torch.int32, torch.uint8):
            target = target.long()
        output = output.reshape(-1, n_classes)
        probabilities = target.is_floating_point() and target.numel() == output.numel()
        target = target.reshape(-1, n_classes) if probabilities else target.reshape(-1)
        return self.loss(output, target)

    def activation(self, x: Tensor) -> Tensor:
        """Probabilities from the model's output (what ``get_preds`` returns)."""
        return torch.sigmoid(x) if self.sigmoid else torch.softmax(x, dim=self.axis)

    def decodes(self, x: Tensor) -> Tensor:
        """Classes (arg max) or present labels (``> thresh``) from probabilities."""
        return x > self.thresh if self.sigmoid else x.argmax(dim=self.axis)

    def extra_repr(self) -> str:
        return f"sigmoid={self.sigmoid}, thresh={self.thresh}, axis={self.axis}"


def _batch_size(sampler: Any) -> int | None:
    """Rows per batch of a batch sampler; ``None`` for a per-sample sampler."""
    if isinstance(sampler, StratifiedBatchSampler | BatchSampler):
        return int(sampler.batch_size)
    if isinstance(sampler, BalancedBatchSampler):
        return int(sampler.n_classes * sampler.n_per_class)
    return None


class _SamplerIndices:
    """fastai's ``get_idxs``: one epoch of the sampler, batches laid end to end."""

    def __init__(self, sampler: Sampler[Any], batch_size: int | None) -> None:
        self.sampler = sampler
        self.batch_size = batch_size

    def __call__(self) -> list[int]:
        if self.batch_size is None:
            indices = list(self.sampler)
            if indices and not isinstance(indices[0], numbers.Integral):
                raise InvalidParameterError(
                    f"with_sampler got a {type(self.sampler).__name__} that yields "
                    f"{type(indices[0]).__name__} items, not indices; pass a per-sample sampler, "
                    "or one of imbalance.torch's batch samplers."
                )
            return indices
        batches = [list(batch) for batch in self.sampler]
        short = [i for i, b in enumerate(batches[:-1]) if len(b) != self.batch_size]
        if short:
            raise InvalidParameterError(
                f"with_sampler needs every batch but the last to hold {self.batch_size} rows "
                f"(fastai cuts batches by size); batch {short[0]} of "
                f"{type(self.sampler).__name__} holds {len(batches[short[0]])}."
            )
        return [int(i) for batch in batches for i in batch]


def with_sampler(dl: Any, sampler: Sampler[Any]) -> Any:
    """A copy of a fastai ``DataLoader`` that draws its indices from ``sampler``.

    The copy keeps ``dl``'s dataset, transforms and settings (so ``test_dl``, ``get_preds``
    and ``learn.predict`` still work) and iterates one epoch of ``sampler`` at every pass:
    ``len(sampler)`` rows for a per-sample sampler (``ClassBalancedSampler``,
    ``ProgressiveBalancedSampler``), or the batches of a batch sampler
    (``StratifiedBatchSampler``, ``BalancedBatchSampler``) with ``bs`` set to their size.
    fastai's own shuffling is turned off: the sampler decides the order. ``dl`` is not changed.

    Parameters
    ----------
    dl : fastai DataLoader
        Usually ``dls.train``; its dataset must be indexed in the order of the sampler's
        labels.
    sampler : Sampler
        One process's sampler (leave ``num_replicas`` unset). fastai does not call
        ``set_epoch``: without a ``seed`` the sampler draws a new epoch at every pass; with
        one (and for ``ProgressiveBalancedSampler``) add ``SetEpochCallback(sampler)`` to the
        learner.

    Returns
    -------
    DataLoader
        The same fastai class as ``dl``.

    Examples
    --------
    >>> import torch
    >>> from fastai.data.load import DataLoader
    >>> from imbalance.torch import ClassBalancedSampler
    >>> from imbalance.torch.fastai import with_sampler
    >>> labels = torch.tensor([0] * 90 + [1] * 10)
    >>> dl = DataLoader(list(zip(torch.randn(100), labels)), bs=20, shuffle=True)
    >>> balanced = with_sampler(dl, ClassBalancedSampler(labels, seed=0))
    >>> len(balanced), sum(int(y.sum()) for _, y in balanced)
    (5, 55)
    """
    if not isinstance(sampler, Sampler) or not hasattr(sampler, "__len__"):
        raise InvalidParameterError(
            "The 'sampler' parameter of with_sampler must be a torch.utils.data.Sampler with a "
            f"length, e.g. ClassBalancedSampler(labels). Got {sampler!r} instead."
        )
    if not callable(getattr(dl, "new", None)):
        raise InvalidParameterError(
            f"with_sampler needs a fastai DataLoader (it calls dl.new); got a "
            f"{type(dl).__name__}. For a torch DataLoader pass sampler= or batch_sampler= to it."
        )
    bs = _batch_size(sampler)
    n_rows = len(sampler) if bs is None else len(sampler) * bs
    kwargs: dict[str, Any] = {"get_idxs": _SamplerIndices(sampler, bs), "n": n_rows}
    if bs is not None:
        kwargs["bs"] = bs
    return dl.new(shuffle=False, **kwargs)


class SetEpochCallback(Callback):
    """Call ``sampler.set_epoch(epoch)`` before every epoch of a fastai ``Learner``.

    PyTorch Lightning and Accelerate call ``set_epoch`` on a DataLoader's sampler; fastai does
    not. Without it a ``ProgressiveBalancedSampler`` never moves from the data's proportions,
    and a sampler given a ``seed`` repeats the same draws every epoch.

    Parameters
    ----------
    sampler : Sampler
        Anything with ``set_epoch(epoch)``: the sampler given to :func:`with_sampler`.

    Examples
    --------
    >>> from imbalance.torch import ProgressiveBalancedSampler
    >>> from imbalance.torch.fastai import SetEpochCallback
    >>> sampler = ProgressiveBalancedSampler([0] * 8 + [1] * 2, epochs=2, seed=0)
    >>> callback = SetEpochCallback(sampler)   # Learner(..., cbs=callback)
    >>> callback.name
    'set_epoch'
    """

    def __init__(self, sampler: Any) -> None:
        if not callable(getattr(sampler, "set_epoch", None)):
            raise InvalidParameterError(
                "The 'sampler' parameter of SetEpochCallback must have a set_epoch method. "
                f"Got {sampler!r} instead."
            )
        self.sampler = sampler

    def before_epoch(self) -> None:
        self.sampler.set_epoch(self.epoch)
