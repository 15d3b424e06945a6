"""Blends in a comparison: a row whose probabilities are the mean of its members' probabilities,
each mapped back to the true class priors, as :class:`~imbalance.auto.AutoImbalanceClassifier`
blends them (``"none|smote"``, its default for gradient boosting). The members are fitted like
any strategy, once, shared with a row of the same strategy; a blend adds no fit."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from ..auto._candidates import calibration_kind, parse_strategies
from ..auto._fold_fits import FoldOutput
from ..auto._search import Blend
from ..exceptions import InvalidParameterError

__all__ = ["blend_output", "split_blends"]


def split_blends(
    specs: Sequence[Any] | Mapping[str, Any], random_state: int | None
) -> tuple[list[Any] | dict[str, Any], list[Blend], list[str | None]]:
    """(the specs that are not blends, the blends, and per spec given, in order: the blend's
    name, or None for a spec that is not a blend)."""
    items = list(specs.items()) if isinstance(specs, Mapping) else [(None, s) for s in specs]
    plain: list[tuple[str | None, Any]] = []
    blends: list[Blend] = []
    order: list[str | None] = []
    for name, spec in items:
        if isinstance(spec, str) and "|" in spec:
            blend = _parse_blend(spec, random_state)
            blends.append(Blend(str(name) if name is not None else blend.name, blend.members))
            order.append(blends[-1].name)
        else:
            plain.append((name, spec))
            order.append(None)  # named once parsed
    rest: list[Any] | dict[str, Any]
    if isinstance(specs, Mapping):
        rest = {str(name): spec for name, spec in plain}
    else:
        rest = [spec for _, spec in plain]
    return rest, blends, order


def _parse_blend(spec: str, random_state: int | None) -> Blend:
    names = [part.strip().lower() for part in spec.split("|")]
    if len(names) < 2 or "" in names or len(set(names)) != len(names):
        raise InvalidParameterError(
            f"strategy {spec!r}: a blend joins two or more different strategies with '|' "
            "(for example 'none|smote')."
        )
    members = parse_strategies(names, random_state)
    for m in members:
        if m.after is not None or calibration_kind(m) != "prior":
            raise InvalidParameterError(
                f"strategy {spec!r}: blend member {m.name!r} must be 'none', 'weights' or an "
                "over- or under-sampler that reaches known class counts, without '+prior' or "
                "'+threshold' (the blend maps each member back to the true priors itself)."
            )
    return Blend("|".join(names), tuple(members))


def blend_output(members: list[FoldOutput]) -> tuple[np.ndarray, np.ndarray]:
    """(probabilities, decisions) of a blend on one fold: the mean of the members'
    probabilities corrected to the training fold's priors, and the most probable class."""
    proba = np.mean([out.corrected() for out in members], axis=0)
    classes = members[0].classes
    return proba, classes[np.argmax(proba, axis=1)]
