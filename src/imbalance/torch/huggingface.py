"""Hugging Face ``transformers.Trainer`` adapter: our losses as ``compute_loss_func``.

The Trainer calls ``compute_loss_func(outputs, labels, num_items_in_batch=...)`` and then
treats the result as already normalised over the whole accumulated batch: it does *not*
divide it by ``gradient_accumulation_steps`` (and multiplies it by the number of processes
when ``average_tokens_across_devices``). A loss module's plain ``'mean'`` handed over as is
therefore takes steps ``gradient_accumulation_steps`` times too large. :class:`TrainerLoss`
sums the loss over the batch and divides by ``num_items_in_batch`` instead, which is what the
Trainer expects. It imports nothing from transformers.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol, cast

from torch import Tensor, nn

from ..exceptions import InvalidParameterError

__all__ = ["TrainerLoss"]


class _LossModule(Protocol):
    reduction: str

    def __call__(self, logits: Tensor, target: Tensor) -> Tensor: ...


def _logits(outputs: Any) -> Tensor:
    if isinstance(outputs, Mapping):
        if "logits" not in outputs:
            raise InvalidParameterError(
                "TrainerLoss needs the model's outputs to hold 'logits'; got the keys "
                f"{sorted(outputs)}. Use a model that returns logits (e.g. "
                "AutoModelForSequenceClassification)."
            )
        return outputs["logits"]
    if isinstance(outputs, Tensor):
        return outputs
    return outputs[0]


class TrainerLoss:
    """A loss module as ``Trainer(compute_loss_func=...)``, scaled for gradient accumulation.

    With ``num_items_in_batch`` (training: the Trainer counts the labels that are not ``-100``
    over the whole accumulated batch, on every process) the loss is ``loss`` with
    ``reduction='sum'`` divided by it: the mean over the accumulated batch, as the Trainer's
    own losses compute it, so gradient accumulation and several processes change nothing.
    Without it (evaluation) it is ``loss`` as configured. Logits of shape ``(N, T, C)`` with
    labels ``(N, T)`` (token classification) are flattened to ``(N * T, C)`` and ``(N * T,)``.

    Parameters
    ----------
    loss : nn.Module
        A loss with a ``reduction`` attribute taking ``(logits, labels)``: ``FocalLoss`` for
        multi-label float labels, ``SoftmaxFocalLoss``, ``LogitAdjustedLoss``,
        ``ClassBalancedLoss``, ... or ``nn.CrossEntropyLoss``. Its ``reduction`` is set to
        ``'sum'`` for the duration of a call and then restored.

    Attributes
    ----------
    loss : nn.Module
        As given.

    Notes
    -----
    With class weights, dividing by the number of labels (not by the sum of their weights,
    as ``reduction='mean'`` does) lets the weights scale the loss: the same convention as the
    Trainer's ``num_items_in_batch``.

    Examples
    --------
    >>> import torch
    >>> from imbalance.torch import SoftmaxFocalLoss
    >>> from imbalance.torch.huggingface import TrainerLoss
    >>> compute_loss = TrainerLoss(SoftmaxFocalLoss(gamma=2.0))
    >>> logits, labels = torch.tensor([[2.0, 0.0], [0.0, 1.0]]), torch.tensor([0, 1])
    >>> whole = compute_loss({"logits": logits}, labels, num_items_in_batch=2)
    >>> halves = [compute_loss({"logits": logits[i:i + 1]}, labels[i:i + 1], num_items_in_batch=2)
    ...           for i in (0, 1)]
    >>> torch.allclose(whole, halves[0] + halves[1])
    True
    >>> torch.allclose(compute_loss({"logits": logits}, labels), whole)
    True
    """

    def __init__(self, loss: nn.Module) -> None:
        if not isinstance(loss, nn.Module) or not isinstance(getattr(loss, "reduction", None), str):
            raise InvalidParameterError(
                "The 'loss' parameter of TrainerLoss must be a loss module with a 'reduction' "
                f"attribute, e.g. SoftmaxFocalLoss(gamma=2.0). Got {loss!r} instead."
            )
        self.loss: _LossModule = cast(_LossModule, loss)

    def __call__(
        self, outputs: Any, labels: Tensor, num_items_in_batch: Tensor | int | None = None
    ) -> Tensor:
        """The loss of ``outputs['logits']`` against ``labels``; see the class docstring."""
        if labels is None:
            raise InvalidParameterError(
                "TrainerLoss got labels=None: the batches need a 'labels' entry (the Trainer "
                "passes it to compute_loss_func)."
            )
        logits = _logits(outputs)
        if logits.dim() > 2 and labels.dim() == logits.dim() - 1:
            logits, labels = logits.reshape(-1, logits.shape[-1]), labels.reshape(-1)
        if num_items_in_batch is None:
            return self.loss(logits, labels)
        reduction = self.loss.reduction
        self.loss.reduction = "sum"
        try:
            total = self.loss(logits, labels)
        finally:
            self.loss.reduction = reduction
        return total / num_items_in_batch

    def __repr__(self) -> str:
        return f"TrainerLoss({self.loss!r})"
