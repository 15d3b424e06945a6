"""What a pipeline step is, how it is named and checked, and the fitting of one step.

The functions fitting one step are module-level so that ``joblib.Memory`` can cache them.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sklearn.exceptions import UnsetMetadataPassedError
from sklearn.utils.metadata_routing import MetadataRequest, MetadataRouter, MethodMapping

from .._routing import fit_resample_requests
from .._typing import ArrayLike, Estimator, Sampler, Step, Target, Transformer
from ..base import is_sampler
from ..exceptions import InvalidParameterError

# Callers of a pipeline that fit its steps; each fits an intermediate step the same way.
FIT_CALLERS = ("fit", "fit_transform", "fit_predict")
# Callers of a pipeline that only transform through its intermediate steps.
PREDICT_CALLERS = (
    "predict",
    "predict_proba",
    "predict_log_proba",
    "decision_function",
    "score",
    "transform",
)


def is_passthrough(step: object) -> bool:
    """``None`` and ``"passthrough"`` steps do nothing."""
    return step is None or (isinstance(step, str) and step == "passthrough")


def contains_sampler(step: object) -> bool:
    """A step that is, or is a pipeline holding at any depth, a sampler."""
    if is_sampler(step):
        return True
    inner = getattr(step, "steps", None)
    if not isinstance(inner, list | tuple):
        return False
    return any(contains_sampler(s) for s in _step_objects(inner))


def _step_objects(steps: Sequence[Any]) -> Iterator[Any]:
    for item in steps:
        if isinstance(item, tuple) and len(item) == 2:
            yield item[1]


def check_names(names: list[str], reserved: Sequence[str]) -> None:
    """Step names are unique, not a parameter of the pipeline, and free of ``__``."""
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise InvalidParameterError(
            f"Pipeline step names must be unique; {duplicates} appear more than once in "
            f"{names}. Rename the steps, or build the pipeline with make_pipeline."
        )
    clashing = sorted(set(names) & set(reserved))
    if clashing:
        raise InvalidParameterError(
            f"Pipeline step names {clashing} conflict with constructor arguments of Pipeline "
            f"({sorted(reserved)}); rename those steps."
        )
    with_dunder = [n for n in names if "__" in n]
    if with_dunder:
        raise InvalidParameterError(
            f"Pipeline step names must not contain '__' (it separates a step from its "
            f"parameters); got {with_dunder}."
        )


def check_intermediate(name: str, step: Step) -> None:
    """Every step but the last is a transformer or a sampler (not both), or passthrough."""
    if is_passthrough(step):
        return
    transformer = hasattr(step, "fit") and hasattr(step, "transform")
    sampler = is_sampler(step)
    kind = type(step).__name__
    if transformer and sampler:
        raise InvalidParameterError(
            f"Pipeline step {name!r} ({kind}) is both a sampler and a transformer. All "
            "intermediate steps should implement fit and transform or fit_resample (but not "
            "both), so that it is clear whether they change the rows; wrap it as one or the other."
        )
    if not (transformer or sampler):
        raise InvalidParameterError(
            f"Pipeline step {name!r} ({kind}) is neither a sampler nor a transformer. All "
            "intermediate steps should implement fit and transform or fit_resample, or be the "
            "string 'passthrough'."
        )
    if transformer and contains_sampler(step):
        raise InvalidParameterError(
            f"Pipeline step {name!r} is a pipeline holding a sampler; as an intermediate step "
            "its rows would no longer match y. Put its steps in the outer pipeline instead."
        )


def check_last(name: str, step: Step) -> None:
    if is_passthrough(step) or hasattr(step, "fit") or is_sampler(step):
        return
    raise InvalidParameterError(
        f"Last step of Pipeline should implement fit or be the string 'passthrough'; step "
        f"{name!r} is a {type(step).__name__}, which has no fit method."
    )


def name_steps(estimators: Sequence[Any]) -> list[tuple[str, Any]]:
    """Lower-cased class names, numbered ``-1``, ``-2`` ... where they repeat."""
    names = [
        type(e).__name__.lower() if not is_passthrough(e) else "passthrough" for e in estimators
    ]
    totals = {n: names.count(n) for n in names}
    seen: dict[str, int] = {}
    named = []
    for name, est in zip(names, estimators, strict=True):
        if totals[name] > 1:
            seen[name] = seen.get(name, 0) + 1
            name = f"{name}-{seen[name]}"
        named.append((name, est))
    return named


# -- fitting one step (cacheable) ---------------------------------------------------------------
def fit_transform_one(
    step: Transformer, X: ArrayLike, y: Target | None, params: dict[str, Any]
) -> tuple[Any, Any]:
    """Fit a transformer and transform X; returns ``(Xt, fitted_step)``."""
    if hasattr(step, "fit_transform"):
        return step.fit_transform(X, y, **params), step
    return step.fit(X, y, **params).transform(X), step


def fit_resample_one(
    step: Sampler, X: ArrayLike, y: Target, params: dict[str, Any]
) -> tuple[Any, Any, Any]:
    """Resample with a sampler; returns ``(X_res, y_res, fitted_step)``."""
    X_res, y_res = step.fit_resample(X, y, **params)
    return X_res, y_res, step


@contextmanager
def logged(owner: str, message: str | None) -> Iterator[None]:
    """Print ``[owner] ..... message, total=  0.1s`` when the block ends (if message)."""
    start = time.perf_counter()
    yield
    if message is None:
        return
    elapsed = time.perf_counter() - start
    took = f"{elapsed / 60:4.1f}min" if elapsed > 60 else f"{elapsed:6.1f}s"
    head, tail = f"[{owner}] ", f" {message}, total={took}"
    print(head + "." * max(70 - len(head) - len(tail), 0) + tail, flush=True)


# -- metadata routing ---------------------------------------------------------------------------
def sampler_request(name: str, sampler: Estimator) -> MetadataRequest:
    """A sampler's ``fit_resample`` requests, reported as ``fit`` requests for routing.

    scikit-learn routes only to its own list of methods; the pipeline routes ``fit`` metadata
    to this stand-in and passes what it receives to ``fit_resample``.
    """
    request = MetadataRequest(owner=name)
    for param, alias in fit_resample_requests(sampler).items():
        request.fit.add_request(param=param, alias=alias)
    return request


def sampler_mapping() -> MethodMapping:
    mapping = MethodMapping()
    for caller in FIT_CALLERS:
        mapping.add(caller=caller, callee="fit")
    return mapping


def transformer_mapping(step: Estimator) -> MethodMapping:
    mapping = MethodMapping()
    for caller in FIT_CALLERS:
        if hasattr(step, "fit_transform"):
            mapping.add(caller=caller, callee="fit_transform")
        else:
            mapping.add(caller=caller, callee="fit").add(caller=caller, callee="transform")
    for caller in PREDICT_CALLERS:
        mapping.add(caller=caller, callee="transform")
    return mapping.add(caller="inverse_transform", callee="inverse_transform")


def final_mapping(step: Estimator) -> MethodMapping:
    mapping = MethodMapping().add(caller="fit", callee="fit")
    if hasattr(step, "fit_transform"):
        mapping.add(caller="fit_transform", callee="fit_transform")
    else:
        mapping.add(caller="fit_transform", callee="fit").add(
            caller="fit_transform", callee="transform"
        )
    for method in (*PREDICT_CALLERS, "fit_predict", "inverse_transform"):
        mapping.add(caller=method, callee=method)
    return mapping


def check_sampler_requests(steps: list[tuple[str, Any]], params: dict[str, Any]) -> None:
    """Metadata a sampler takes but has not been told about: say which setter to call."""
    for name, step in steps:
        if not is_sampler(step):
            continue
        unset = sorted(
            p for p, alias in fit_resample_requests(step).items() if alias is None and p in params
        )
        if unset:
            raise UnsetMetadataPassedError(
                message=(
                    f"{unset} are passed to Pipeline, and the sampler step {name!r} takes "
                    "them in fit_resample, but it was not told whether to use them. Call "
                    f"{name}.set_fit_resample_request({unset[0]}=True) (or False)."
                ),
                unrequested_params={p: params[p] for p in unset},
                routed_params={},
            )


def metadata_router(owner: object, steps: list[tuple[str, Any]]) -> MetadataRouter:
    """How a pipeline routes metadata: samplers by their ``fit_resample`` requests."""
    router = MetadataRouter(owner=owner)
    for name, step in steps[:-1]:
        if is_passthrough(step):
            continue
        if is_sampler(step):
            router.add(
                method_mapping=sampler_mapping(),
                **{name: sampler_request(name, step)},
            )
        else:
            router.add(method_mapping=transformer_mapping(step), **{name: step})
    name, final = steps[-1]
    if is_sampler(final):
        router.add(
            method_mapping=sampler_mapping(),
            **{name: sampler_request(name, final)},
        )
    elif not is_passthrough(final):
        router.add(method_mapping=final_mapping(final), **{name: final})
    return router
