"""Metadata routing (scikit-learn's SLEP6) for ``fit_resample``, with public scikit-learn API only.

scikit-learn routes metadata to a fixed list of methods, which has no ``fit_resample``.
:class:`FitResampleRequestMixin` gives a sampler ``set_fit_resample_request`` and reports its
requests as a ``fit_resample`` entry of ``get_metadata_routing()``, the place where
imbalanced-learn's samplers report theirs; :func:`fit_resample_requests` reads that entry from
either, so a pipeline can route metadata to both.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from sklearn import get_config

from ._typing import Estimator
from .exceptions import InvalidParameterError

__all__ = ["FitResampleRequestMixin", "fit_resample_requests", "routing_enabled"]

_NOT_METADATA = {"self", "X", "y"}


def routing_enabled() -> bool:
    """Whether scikit-learn's metadata routing is switched on (``set_config``)."""
    return bool(get_config().get("enable_metadata_routing", False))


def _metadata_params(method: Callable[..., object]) -> list[str]:
    """The names of a method's metadata: its parameters other than X, y, *args and **kwargs."""
    kinds = (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
    return [
        p.name
        for p in inspect.signature(method).parameters.values()
        if p.name not in _NOT_METADATA and p.kind not in kinds
    ]


def fit_resample_requests(sampler: Estimator) -> dict[str, Any]:
    """What metadata a sampler's ``fit_resample`` asks for: ``{param: True/False/None/alias}``.

    Read from ``get_metadata_routing().fit_resample`` (ours and imbalanced-learn's samplers);
    a sampler without one asks for nothing.
    """
    getter = getattr(sampler, "get_metadata_routing", None)
    if getter is None:
        return {}
    method = getattr(getter(), "fit_resample", None)
    requests = getattr(method, "requests", None)
    return dict(requests) if requests else {}


class FitResampleRequestMixin:
    """``set_fit_resample_request`` for a sampler, as scikit-learn offers ``set_fit_request``.

    Mix in before ``BaseEstimator``. The requests survive ``clone`` and appear as the
    ``fit_resample`` entry of ``get_metadata_routing()``.
    """

    fit_resample: Callable[..., tuple[Any, Any]]  # the sampler's, read for its metadata names

    def set_fit_resample_request(self, **requests: bool | str | None) -> Any:
        """Say which metadata ``fit_resample`` takes when metadata routing is enabled.

        Parameters
        ----------
        **requests : bool, str or None
            For each metadata parameter of ``fit_resample``: ``True`` (pass it), ``False``
            (never pass it), ``None`` (raise if it is given) or a str (an alias to pass
            under this name).

        Returns
        -------
        self : object
            The sampler.
        """
        if not routing_enabled():
            raise RuntimeError(
                "set_fit_resample_request is only available when metadata routing is enabled; "
                "enable it with sklearn.set_config(enable_metadata_routing=True)."
            )
        known = _metadata_params(type(self).fit_resample)
        unknown = sorted(set(requests) - set(known))
        if unknown:
            raise InvalidParameterError(
                f"{type(self).__name__}.fit_resample takes no metadata {unknown}; it takes "
                f"{known}. Request only those."
            )
        for param, alias in requests.items():
            if not (alias is None or isinstance(alias, bool | str)):
                raise InvalidParameterError(
                    f"The request for {param!r} must be True, False, None or a str alias; "
                    f"got {alias!r}."
                )
        stored = dict(getattr(self, "_fit_resample_request", {}))
        stored.update(requests)
        self._fit_resample_request = stored
        return self

    def get_metadata_routing(self) -> Any:
        """scikit-learn's metadata request of this sampler, with a ``fit_resample`` entry.

        Returns
        -------
        routing : MetadataRequest
        """
        routing = super().get_metadata_routing()  # type: ignore[misc]
        method = type(routing.fit)(owner=routing.owner, method="fit_resample")
        stored = getattr(self, "_fit_resample_request", {})
        for param in _metadata_params(type(self).fit_resample):
            method.add_request(param=param, alias=stored.get(param))
        routing.fit_resample = method
        return routing

    def __sklearn_clone__(self) -> Any:
        new = super().__sklearn_clone__()  # type: ignore[misc]
        if hasattr(self, "_fit_resample_request"):
            new._fit_resample_request = dict(self._fit_resample_request)
        return new
