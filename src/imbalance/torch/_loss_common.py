"""Checks and small tensor helpers shared by the losses.

Everything here is cheap Python or a single tensor pass: parameter checks run before any maths
(so a wrong ``reduction`` fails fast, whatever the shapes), and nothing forces a device sync.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from typing import Any

import numpy as np
import torch
from torch import Tensor

from .._typing import ArrayLike, Reduction, Target
from ..exceptions import InvalidDataError, InvalidParameterError

REDUCTIONS = ("none", "mean", "sum")


def check_reduction(reduction: Any, owner: str) -> None:
    """Raise unless ``reduction`` is one of ``'none'``, ``'mean'``, ``'sum'``."""
    if not (isinstance(reduction, str) and reduction in REDUCTIONS):
        raise InvalidParameterError(
            f"The 'reduction' parameter of {owner} must be 'none', 'mean' or 'sum'. "
            f"Got {reduction!r} instead."
        )


def check_real(
    value: Any,
    name: str,
    owner: str,
    *,
    low: float = 0.0,
    high: float = math.inf,
    low_open: bool = False,
    high_open: bool = False,
) -> float:
    """A finite real number between ``low`` and ``high`` (bounds closed unless ``*_open``)."""
    ok = isinstance(value, numbers.Real) and not isinstance(value, bool) and math.isfinite(value)
    if ok:
        ok = (value > low if low_open else value >= low) and (
            value < high if high_open else value <= high
        )
    if not ok:
        left = "(" if low_open else "["
        right = ")" if high_open or math.isinf(high) else "]"
        raise InvalidParameterError(
            f"The {name!r} parameter of {owner} must be a float in the range "
            f"{left}{_fmt(low)}, {_fmt(high)}{right}. Got {value!r} instead."
        )
    return float(value)


def check_int(value: Any, name: str, owner: str) -> int:
    """An integer (``bool`` excluded)."""
    if not isinstance(value, numbers.Integral) or isinstance(value, bool):
        raise InvalidParameterError(
            f"The {name!r} parameter of {owner} must be an int. Got {value!r} instead."
        )
    return int(value)


def _fmt(x: float) -> str:
    if math.isinf(x):
        return "inf"
    return str(int(x)) if float(x).is_integer() else repr(x)


def opmath_dtype(dtype: torch.dtype) -> torch.dtype:
    """The dtype the maths runs in: float32 for half types, the input dtype otherwise."""
    return torch.float32 if dtype in (torch.float16, torch.bfloat16) else dtype


def check_logits(logits: Any, owner: str) -> None:
    if not isinstance(logits, Tensor) or not logits.is_floating_point():
        got = logits.dtype if isinstance(logits, Tensor) else type(logits).__name__
        raise InvalidDataError(
            f"{owner} needs floating-point logits (a torch.Tensor of float16, bfloat16, float32 "
            f"or float64); got {got}. Pass the raw model outputs, not probabilities or labels."
        )


def as_class_tensor(
    values: ArrayLike, name: str, owner: str, *, n_classes: int | None, like: Tensor
) -> Tensor:
    """Per-class values (sequence, ndarray or tensor) as a 1-D tensor on ``like``'s device.

    The dtype is ``opmath_dtype(like.dtype)``. When ``n_classes`` is given, the length must match.
    """
    dtype = opmath_dtype(like.dtype)
    if isinstance(values, Tensor):
        tensor = values.to(device=like.device, dtype=dtype)
    else:
        try:
            tensor = torch.as_tensor(
                np.asarray(values, dtype=np.float64), dtype=dtype, device=like.device
            )
        except (TypeError, ValueError) as exc:
            raise InvalidParameterError(
                f"The {name!r} parameter of {owner} must be a sequence of numbers, one per class. "
                f"Got {values!r} instead."
            ) from exc
    if tensor.ndim != 1 or (n_classes is not None and tensor.shape[0] != n_classes):
        expected = f"({n_classes},)" if n_classes is not None else "(n_classes,)"
        raise InvalidParameterError(
            f"The {name!r} parameter of {owner} must have shape {expected}, one value per class "
            f"(logits have {n_classes} classes along dim 1); got shape {tuple(tensor.shape)}."
        )
    return tensor


def check_class_weights(a: Tensor, name: str, owner: str, upper: float | None = None) -> Tensor:
    """Per-class weights of a loss: finite, ``>= 0`` (``<= upper``) and, without ``upper``,
    not all 0 (``'mean'`` divides by the weights of the targets). Checked where that costs no
    device sync (CPU tensors outside torch.compile), as :func:`check_target_range`."""
    if a.device.type == "cpu" and a.numel() and not torch.compiler.is_compiling():
        bad = ~torch.isfinite(a) | (a < 0) | ((a > upper) if upper is not None else False)
        if bool(bad.any()):
            where = int(bad.nonzero()[0, 0])
            allowed = f"in [0, {upper:g}]" if upper is not None else "finite and >= 0"
            raise InvalidParameterError(
                f"The {name!r} parameter of {owner} must hold values {allowed}; class {where} "
                f"has {a[where].item()!r}."
            )
        if upper is None and not bool((a > 0).any()):
            raise InvalidParameterError(
                f"The {name!r} parameter of {owner} is 0 for every class, so every target "
                "weighs 0 and 'mean' is 0 / 0; give at least one class a positive weight."
            )
    return a


def check_counts(class_counts: ArrayLike, owner: str) -> np.ndarray:
    """``class_counts`` as a float64 array of positive finite counts."""
    if isinstance(class_counts, Tensor):
        class_counts = class_counts.detach().cpu().numpy()
    try:
        counts = np.asarray(class_counts, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise InvalidParameterError(
            f"The 'class_counts' parameter of {owner} must be a sequence of positive counts, one "
            f"per class. Got {class_counts!r} instead."
        ) from exc
    if counts.ndim != 1 or counts.size == 0:
        raise InvalidParameterError(
            f"The 'class_counts' parameter of {owner} must be 1-D with one count per class; got "
            f"shape {counts.shape}. Use {owner}.from_targets(y) to count the classes of y."
        )
    bad = np.flatnonzero(~np.isfinite(counts) | (counts <= 0))
    if bad.size:
        raise InvalidParameterError(
            f"The 'class_counts' parameter of {owner} must hold positive counts; class "
            f"{int(bad[0])} has {float(counts[bad[0]])!r}. Drop or merge empty classes, or add a "
            "pseudo-count (e.g. counts + 1)."
        )
    return counts


def counts_from_targets(y: Target, n_classes: int | None, owner: str) -> np.ndarray:
    """Rows per class of integer labels, or positives per column of a 0/1 indicator.

    ``y`` may be a tensor, a numpy array or a list: 1-D class indices ``0 .. C-1`` (the columns of
    the logits), or a 2-D indicator of shape ``(n_samples, C)`` (one-hot or multi-label).
    """
    arr = y.detach().cpu().numpy() if isinstance(y, Tensor) else np.asarray(y)
    if arr.ndim == 2 and arr.shape[1] > 1:
        if not np.isin(arr, (0, 1)).all():
            raise InvalidDataError(
                f"{owner}.from_targets got a 2-D y of shape {arr.shape} with values other than 0 "
                "and 1; pass class indices (1-D) or a 0/1 indicator (n_samples, n_classes)."
            )
        counts = arr.sum(axis=0).astype(np.float64)
        if n_classes is not None and n_classes != counts.size:
            raise InvalidParameterError(
                f"n_classes={n_classes} does not match the {counts.size} columns of the indicator "
                f"y given to {owner}.from_targets; leave n_classes=None."
            )
        return counts
    labels = arr.reshape(-1) if arr.ndim == 2 else arr
    if labels.ndim != 1 or labels.dtype.kind not in "iub":
        raise InvalidDataError(
            f"{owner}.from_targets needs integer class indices 0 .. C-1 (the columns of the "
            f"logits) or a 0/1 indicator; got an array of dtype {labels.dtype} and shape "
            f"{arr.shape}. Encode string labels first, e.g. with sklearn's LabelEncoder."
        )
    if labels.size and labels.min() < 0:
        raise InvalidDataError(
            f"{owner}.from_targets needs class indices >= 0; y holds {int(labels.min())}. Drop "
            "ignored rows (e.g. -100) before counting."
        )
    size = 0 if labels.size == 0 else int(labels.max()) + 1
    if n_classes is not None and size > n_classes:
        raise InvalidDataError(
            f"y holds class index {size - 1} but n_classes={n_classes} given to "
            f"{owner}.from_targets; raise n_classes or check the labels."
        )
    return np.bincount(labels.astype(np.intp), minlength=n_classes or size).astype(np.float64)


def class_view(values: Tensor, ndim: int) -> Tensor:
    """A ``(C,)`` tensor viewed as ``(1, C, 1, ..., 1)`` to broadcast over ``(N, C, *)`` logits."""
    return values.view((1, -1) + (1,) * (ndim - 2)) if ndim >= 2 else values


def split_target(logits: Tensor, target: Tensor, owner: str, ignore_index: int) -> bool:
    """The one target check of the softmax losses; ``True`` for class indices.

    Class indices have the logits' shape without the class dimension (dim 1), an integer dtype
    and values in ``[0, C)`` or ``ignore_index``; per-class targets (probabilities, indicators)
    have the logits' exact shape, a real or bool dtype and values in ``[0, 1]``. The values are
    checked by :func:`check_target_range`.
    """
    if not isinstance(target, Tensor):
        raise InvalidDataError(
            f"{owner} needs target as a torch.Tensor; got {type(target).__name__}. "
            "Use torch.as_tensor(target)."
        )
    if target.shape == logits.shape and logits.ndim >= 1:
        check_probability_target(target, owner)
        return False
    index_shape = logits.shape[:1] + logits.shape[2:] if logits.ndim >= 2 else torch.Size([])
    if target.shape != index_shape:
        raise InvalidDataError(
            f"{owner} got logits of shape {tuple(logits.shape)} and target of shape "
            f"{tuple(target.shape)}; target must be class indices of shape {tuple(index_shape)} "
            f"or per-class values of shape {tuple(logits.shape)}."
        )
    if target.is_floating_point() or target.is_complex() or target.dtype == torch.bool:
        raise InvalidDataError(
            f"{owner} got target of shape {tuple(target.shape)} and dtype {target.dtype}: class "
            "indices must be an integer tensor (use target.long())."
        )
    n_classes = logits.shape[1] if logits.ndim >= 2 else logits.shape[0]
    kept = target[target != ignore_index] if _checkable(target) else target[:0]
    check_target_range(
        kept,
        owner,
        low=0,
        high=n_classes - 1,
        what=f"class indices in [0, {n_classes}) (the {n_classes} classes of the logits)",
        fix=f"Check the labels, or mark rows to skip with ignore_index={ignore_index}.",
        label="class index ",
    )
    return True


def check_probability_target(target: Tensor, owner: str) -> None:
    """The one target check of the per-element losses: real or bool, values in ``[0, 1]``."""
    if target.is_complex():
        raise InvalidDataError(
            f"{owner} needs a real target (probabilities or 0/1 labels); got dtype "
            f"{target.dtype}. Pass target.real or target.abs()."
        )
    check_target_range(
        target,
        owner,
        low=0,
        high=1,
        what="target values in [0, 1] (0/1 labels or probabilities)",
        fix="Rescale soft targets to [0, 1], and mark unknown labels with mask= instead of "
        "NaN or -1.",
    )


def _checkable(values: Tensor) -> bool:
    """Whether a value check is free of a device sync: a CPU tensor outside torch.compile."""
    return values.device.type == "cpu" and values.numel() > 0 and not torch.compiler.is_compiling()


def check_target_range(
    values: Tensor,
    owner: str,
    *,
    low: float,
    high: float,
    what: str,
    fix: str,
    name: str = "the target",
    label: str = "",
) -> None:
    """Raise unless ``low <= values <= high`` (NaN fails): one ``aminmax`` pass.

    The value checks of every loss input go through here. They run on CPU tensors only: on
    an accelerator reading the result back would cost a device sync per call, so there the
    values are trusted (out-of-range class indices then fail in torch's own kernels). Inside
    :func:`torch.compile` they are skipped too.
    """
    if values.dtype == torch.bool or not _checkable(values):
        return
    lo_t, hi_t = torch.aminmax(values.detach())
    lo, hi = lo_t.item(), hi_t.item()
    if lo >= low and hi <= high and math.isfinite(lo) and math.isfinite(hi):
        return
    bad = lo if not (lo >= low and math.isfinite(lo)) else hi
    raise InvalidDataError(f"{owner} needs {what}; {name} holds {label}{bad!r}. {fix}")


def check_element_weight(weight: Tensor, owner: str, name: str = "weight") -> None:
    """Per-element or per-label weights of a loss: finite and ``>= 0`` (see above)."""
    check_target_range(
        weight,
        owner,
        low=0,
        high=math.inf,
        what=f"{name} finite and >= 0",
        fix="Give elements to skip weight 0, or leave them out with mask=.",
        name=name,
    )


def check_batched(logits: Tensor, owner: str) -> None:
    if logits.ndim < 2:
        raise InvalidDataError(
            f"{owner} needs logits of shape (N, C, *) with the classes along dim 1; got shape "
            f"{tuple(logits.shape)}. Use logits.unsqueeze(0) for a single sample."
        )


def apply_scale(loss: Tensor, scale: Tensor | None) -> Tensor:
    return loss if scale is None else loss.sum() * scale


def reduction_scale(reduction: Reduction, count: Tensor, dtype: torch.dtype) -> Tensor | None:
    """The factor that turns the summed loss into the reduction (``None`` for ``'none'``)."""
    if reduction == "none":
        return None
    if reduction == "sum":
        return torch.ones((), dtype=dtype, device=count.device)
    return 1.0 / count.to(dtype)


def elementwise_scale(logits: Tensor, m: Tensor | None, reduction: Reduction) -> Tensor | None:
    acc = opmath_dtype(logits.dtype)
    if reduction != "mean" or m is None:
        count = torch.tensor(float(logits.numel()), dtype=acc, device=logits.device)
        return reduction_scale(reduction, count, acc)
    return reduction_scale(reduction, m.expand(logits.shape).sum(), acc)


def check_same_shape(logits: Tensor, target: Any, owner: str) -> None:
    if not isinstance(target, Tensor) or target.shape != logits.shape:
        got = tuple(target.shape) if isinstance(target, Tensor) else type(target).__name__
        raise InvalidDataError(
            f"{owner} needs target with the shape of logits {tuple(logits.shape)}; got {got}. "
            "For class indices of a multi-class problem use softmax_focal_loss."
        )


def check_mask(mask: Tensor, logits: Tensor, owner: str) -> Tensor:
    if not isinstance(mask, Tensor) or mask.dtype != torch.bool:
        got = mask.dtype if isinstance(mask, Tensor) else type(mask).__name__
        raise InvalidDataError(
            f"{owner} needs mask as a bool Tensor (True = keep the element); got {got}. "
            "Use mask.bool()."
        )
    try:
        torch.broadcast_shapes(mask.shape, logits.shape)
    except RuntimeError as exc:
        raise InvalidDataError(
            f"{owner} got mask of shape {tuple(mask.shape)} that does not broadcast to the "
            f"logits' shape {tuple(logits.shape)}."
        ) from exc
    return mask.to(logits.device)


Counts = Sequence[float] | np.ndarray | Tensor


def counts_for(class_counts: Counts, logits: Tensor, owner: str) -> np.ndarray:
    """``class_counts`` checked, with one count per class of the logits."""
    counts = check_counts(class_counts, owner)
    n_classes = logits.shape[1] if logits.ndim >= 2 else logits.shape[0]
    if counts.size != n_classes:
        raise InvalidParameterError(
            f"The 'class_counts' parameter of {owner} has {counts.size} classes but the logits "
            f"have {n_classes} (dim {1 if logits.ndim >= 2 else 0}); give one count per class."
        )
    return counts


def check_n_classes(per_class: Tensor, logits: Tensor, owner: str) -> None:
    """The classes of a per-class buffer and of the logits (dim 1, or dim 0 if 1-D) agree."""
    n_classes = logits.shape[1] if logits.ndim >= 2 else logits.shape[0]
    if per_class.shape[0] != n_classes:
        raise InvalidDataError(
            f"{owner} was built for {per_class.shape[0]} classes but the logits have "
            f"{n_classes} (dim {1 if logits.ndim >= 2 else 0}); build it from counts of the "
            "same classes as the model's outputs."
        )
