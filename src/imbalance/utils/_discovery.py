"""Find every public sampler of the package."""

from __future__ import annotations

import importlib
import inspect

from ..base import BaseSampler

__all__ = ["all_samplers"]

_NAMESPACES = ("imbalance.samplers",)


def all_samplers() -> list[tuple[str, type[BaseSampler]]]:
    """Every public sampler class, as ``(name, class)`` pairs sorted by name.

    Examples
    --------
    >>> from imbalance.utils import all_samplers
    >>> names = [name for name, _ in all_samplers()]
    >>> "RandomUnderSampler" in names and names == sorted(names)
    True
    """
    found: dict[str, type[BaseSampler]] = {}
    for namespace in _NAMESPACES:
        module = importlib.import_module(namespace)
        for name in getattr(module, "__all__", []):
            obj = getattr(module, name)
            if (
                inspect.isclass(obj)
                and issubclass(obj, BaseSampler)
                and not inspect.isabstract(obj)
            ):
                found[name] = obj
    return sorted(found.items())
