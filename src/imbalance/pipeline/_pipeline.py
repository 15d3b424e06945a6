"""A pipeline whose steps may be samplers: samplers change the rows when fitting, never after."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, clone
from sklearn.exceptions import NotFittedError as SklearnNotFittedError
from sklearn.exceptions import UnsetMetadataPassedError
from sklearn.utils import Bunch, get_tags
from sklearn.utils.metadata_routing import MetadataRouter, process_routing
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_is_fitted, check_memory, has_fit_parameter

from .._containers import n_rows
from .._param_validation import validate_params
from .._routing import fit_resample_requests, routing_enabled
from .._validation import check_sample_weight
from ..base import is_sampler
from ..exceptions import InvalidParameterError, NotFittedError
from . import _steps
from ._steps import is_passthrough
from ._weights import RowTracker, check_per_row_params

__all__ = ["Pipeline", "make_pipeline"]

_OWN_PARAMS = ("steps", "transform_input", "memory", "verbose")


def _final_has(*names: str) -> Callable[[Any], bool]:
    """For ``available_if``: the last step has one of ``names`` (or, with "passthrough", is it)."""

    def check(self: Any) -> bool:
        final = self.steps[-1][1]
        if is_passthrough(final):
            return "passthrough" in names
        return any(hasattr(final, n) for n in names)

    return check


def _can_inverse_transform(self: Any) -> bool:
    return all(hasattr(step, "inverse_transform") for _, step in self._transformers(final=True))


class _StepParams:
    """The parameters of each step's method, from ``<step>__<param>`` or from metadata routing."""

    def __init__(self, routed: Any = None, plain: dict[str, dict[str, Any]] | None = None):
        self.routed = routed
        self.plain = plain or {}

    def get(self, name: str, callee: str) -> dict[str, Any]:
        if self.routed is None:  # without routing, a step's params go to its fitting method
            return {} if callee == "transform" else dict(self.plain.get(name, {}))
        try:
            return dict(self.routed[name][callee])
        except (KeyError, AttributeError):
            return {}


class Pipeline(BaseEstimator):
    """A sequence of steps, any of which may be a sampler; samplers run at fit only.

    When fitting, each sampler step replaces ``(X, y)`` by its resampled output before the next
    step, and ``sample_weight`` follows its rows; each transformer step is fitted and transforms
    X; the last step is fitted. When predicting, transforming or scoring, sampler steps are
    skipped, so the rows passed are the rows scored. Steps may be ``"passthrough"`` or ``None``.
    It offers imbalanced-learn's ``Pipeline`` interface (itself scikit-learn's).

    Parameters
    ----------
    steps : list of (str, estimator) tuples
        Every step but the last is a transformer (``fit`` + ``transform``), a sampler
        (``fit_resample``) or passthrough; the last may be any estimator, a sampler or
        passthrough. Step names must be unique and contain no double underscore.
    transform_input : list of str, default=None
        Names of ``fit`` metadata (for instance a validation set ``X_val``) that the steps
        before a step transform before it receives them. Needs metadata routing.
    memory : str or object with a ``cache`` method, default=None
        Cache fitted transformers and samplers with joblib (a path or a ``joblib.Memory``).
        Steps are then cloned before fitting: use ``named_steps`` to reach the fitted ones.
    verbose : bool, default=False
        Print the time each step takes to fit.

    Attributes
    ----------
    named_steps : Bunch
        The steps by name.
    classes_ : ndarray of shape (n_classes,)
        The classes of the last step, when it is a classifier.
    n_features_in_ : int
        Number of features seen by the first step at fit.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Column names seen by the first step at fit, when X had string column names.

    See Also
    --------
    make_pipeline : build a Pipeline with step names chosen for you.
    ResampledClassifier : a sampler and a classifier as one estimator.

    Notes
    -----
    ``fit(X, y, sample_weight=w)`` gives ``w`` to every step whose ``fit`` takes it, resampled
    with the rows by each sampler before it (a synthetic row takes its first parent's weight).
    With metadata routing enabled, ``sample_weight`` goes to the steps that request it, and
    still follows the rows. Metadata for a sampler is requested with
    ``set_fit_resample_request``.

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.preprocessing import StandardScaler
    >>> from imbalance.pipeline import make_pipeline
    >>> from imbalance.samplers import RandomOverSampler
    >>> ros = RandomOverSampler(random_state=0)
    >>> pipe = make_pipeline(StandardScaler(), ros, LogisticRegression())
    >>> [name for name, _ in pipe.steps]
    ['standardscaler', 'randomoversampler', 'logisticregression']
    """

    def __init__(
        self,
        steps: list[tuple[str, Any]],
        *,
        transform_input: list[str] | None = None,
        memory: Any = None,
        verbose: bool = False,
    ) -> None:
        self.steps = steps
        self.transform_input = transform_input
        self.memory = memory
        self.verbose = verbose

    # -- parameters and structure ---------------------------------------------------------------
    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """The pipeline's parameters; with ``deep``, also each step and its parameters.

        Parameters
        ----------
        deep : bool, default=True
            Add ``<step>`` and ``<step>__<parameter>`` entries.

        Returns
        -------
        params : dict
        """
        params: dict[str, Any] = super().get_params(deep=False)
        if not deep:
            return params
        for name, step in self.steps:
            params[name] = step
            if hasattr(step, "get_params") and not isinstance(step, type):
                for key, value in step.get_params(deep=True).items():
                    params[f"{name}__{key}"] = value
        return params

    def set_params(self, **params: Any) -> Pipeline:
        """Set parameters, replace steps by name, or set ``<step>__<parameter>``.

        Parameters
        ----------
        **params : dict
            ``steps``, ``memory``, ``verbose``, ``transform_input``, a step name (to replace
            that step) or ``<step>__<parameter>``.

        Returns
        -------
        self : Pipeline
        """
        if "steps" in params:
            self.steps = params.pop("steps")
        names = [name for name, _ in self.steps]
        nested: dict[str, dict[str, Any]] = {}
        for key, value in params.items():
            head, sep, sub = key.partition("__")
            if not sep and head in names:
                self.steps = [(n, value if n == head else s) for n, s in self.steps]
            elif not sep and head in _OWN_PARAMS:
                setattr(self, head, value)
            elif sep and head in names:
                nested.setdefault(head, {})[sub] = value
            else:
                raise InvalidParameterError(
                    f"Invalid parameter {key!r} for Pipeline: it has no step or parameter "
                    f"{head!r}. Steps are {names}; parameters are {list(_OWN_PARAMS)}."
                )
        for name, sub_params in nested.items():
            step = self.named_steps[name]
            if not hasattr(step, "set_params"):
                raise InvalidParameterError(
                    f"Invalid parameter for Pipeline step {name!r}: {step!r} has no parameters "
                    f"to set (got {sorted(sub_params)})."
                )
            step.set_params(**sub_params)
        return self

    @property
    def named_steps(self) -> Bunch:
        """The steps by name (a ``Bunch``: ``pipe.named_steps.scaler``)."""
        return Bunch(**dict(self.steps))

    @property
    def _final_estimator(self) -> Any:
        final = self.steps[-1][1]
        return "passthrough" if final is None else final

    def __len__(self) -> int:
        return len(self.steps)

    def __getitem__(self, key: int | str | slice) -> Any:
        """A step by position or name, or a sub-pipeline (sharing the steps) by slice."""
        if isinstance(key, slice):
            if key.step not in (None, 1):
                raise InvalidParameterError(
                    f"Pipeline slicing takes consecutive steps only; got step {key.step}."
                )
            return Pipeline(self.steps[key], memory=self.memory, verbose=self.verbose)
        if isinstance(key, str):
            return self.named_steps[key]
        return self.steps[key][1]

    def _check_params(self) -> None:
        steps = self.steps
        if not isinstance(steps, list | tuple) or not all(
            isinstance(s, list | tuple) and len(s) == 2 and isinstance(s[0], str) for s in steps
        ):
            raise InvalidParameterError(
                "The 'steps' parameter of Pipeline must be a list of (name, estimator) tuples. "
                f"Got {steps!r} instead."
            )
        if not steps:
            raise InvalidParameterError(
                "The 'steps' parameter of Pipeline must hold at least one step. Got [] instead."
            )
        memory = self.memory
        if not (memory is None or isinstance(memory, str) or hasattr(memory, "cache")):
            raise InvalidParameterError(
                "The 'memory' parameter of Pipeline must be a str, an object with a cache method "
                f"(joblib.Memory) or None. Got {memory!r} instead."
            )
        ti = self.transform_input
        if not (ti is None or (isinstance(ti, list) and all(isinstance(t, str) for t in ti))):
            raise InvalidParameterError(
                "The 'transform_input' parameter of Pipeline must be a list of str or None. "
                f"Got {ti!r} instead."
            )
        validate_params("Pipeline", {"verbose": ["boolean"]}, {"verbose": self.verbose})

    def _validate_steps(self) -> None:
        self._check_params()
        _steps.check_names([name for name, _ in self.steps], _OWN_PARAMS)
        for name, step in self.steps[:-1]:
            _steps.check_intermediate(name, step)
        _steps.check_last(*self.steps[-1])

    def _transformers(self, *, final: bool = False) -> Iterator[tuple[str, Any]]:
        """The steps that transform at prediction time: no sampler, no passthrough."""
        steps = self.steps if final else self.steps[:-1]
        for name, step in steps:
            if not (is_passthrough(step) or is_sampler(step)):
                yield name, step

    def _log_message(self, idx: int) -> str | None:
        if not self.verbose:
            return None
        return f"(step {idx + 1} of {len(self.steps)}) Processing {self.steps[idx][0]}"

    # -- fitting: the only place samplers run -----------------------------------------------------
    def _step_params(self, caller: str, params: dict[str, Any]) -> _StepParams:
        if routing_enabled():
            self._check_sampler_requests(params)
            return _StepParams(routed=process_routing(self, caller, **params))
        if self.transform_input is not None:
            raise InvalidParameterError(
                "The `transform_input` parameter can only be set if metadata routing is "
                "enabled; enable it with sklearn.set_config(enable_metadata_routing=True), or "
                "set transform_input=None."
            )
        names = [name for name, _ in self.steps]
        plain: dict[str, dict[str, Any]] = {name: {} for name in names}
        for key, value in params.items():
            head, sep, sub = key.partition("__")
            if not sep:
                raise InvalidParameterError(
                    f"Pipeline.{caller} does not accept the {key} parameter. Pass parameters to "
                    f"a step as <step>__<parameter>, e.g. {names[-1]}__{key}=..., or enable "
                    "metadata routing."
                )
            if head not in plain:
                raise InvalidParameterError(
                    f"Pipeline.{caller} got {key!r}, but there is no step {head!r}; steps are "
                    f"{names}."
                )
            plain[head][sub] = value
        return _StepParams(plain=plain)

    def _check_sampler_requests(self, params: dict[str, Any]) -> None:
        """Metadata a sampler takes but has not been told about: say which setter to call."""
        for name, step in self.steps:
            if not is_sampler(step):
                continue
            unset = sorted(
                p
                for p, alias in fit_resample_requests(step).items()
                if alias is None and p in params
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

    def _fit_steps(
        self, caller: str, X: Any, y: Any, sample_weight: Any, params: dict[str, Any]
    ) -> tuple[Any, Any, _StepParams, Callable[..., dict[str, Any]]]:
        """Fit every step but the last; returns the data for the last step and its params."""
        self._validate_steps()
        n_samples = None if X is None else n_rows(X)
        weight = None
        if sample_weight is not None:
            if routing_enabled():
                params = {**params, "sample_weight": sample_weight}
            else:
                weight = check_sample_weight(sample_weight, n_rows(X))
        step_params = self._step_params(caller, params)
        tracker = RowTracker()
        memory = check_memory(self.memory)

        def params_for(idx: int, callee: str, step: Any) -> dict[str, Any]:
            p = self._transform_inputs(idx, step_params.get(self.steps[idx][0], callee))
            wants_weight = not is_sampler(step) and callee != "transform"
            if weight is not None and "sample_weight" not in p and wants_weight:
                p.update(_weight_if_taken(step, weight))
            return _follow_rows(p, tracker, n_samples)

        for idx, (name, step) in enumerate(self.steps[:-1]):
            with _steps.logged("Pipeline", self._log_message(idx)):
                if is_passthrough(step):
                    continue
                to_fit = step if memory.location is None else clone(step)
                if is_sampler(step):
                    fit_resample = memory.cache(_steps.fit_resample_one)
                    X, y, fitted = fit_resample(to_fit, X, y, params_for(idx, "fit", step))
                    tracker.after(name, fitted, n_rows(y))
                else:
                    callee = "fit_transform" if hasattr(step, "fit_transform") else "fit"
                    fit_transform = memory.cache(_steps.fit_transform_one)
                    X, fitted = fit_transform(to_fit, X, y, params_for(idx, callee, step))
                if fitted is not step:
                    self.steps = list(self.steps)
                    self.steps[idx] = (name, fitted)
        last = len(self.steps) - 1
        return X, y, step_params, lambda callee: params_for(last, callee, self.steps[-1][1])

    def _transform_inputs(self, idx: int, params: dict[str, Any]) -> dict[str, Any]:
        if not self.transform_input or idx == 0:
            return params
        wanted = set(self.transform_input)
        return {k: self._transform_through(idx, v) if k in wanted else v for k, v in params.items()}

    def _transform_through(self, idx: int, value: Any) -> Any:
        if isinstance(value, tuple):
            return tuple(self._transform_through(idx, v) for v in value)
        for _, step in self.steps[:idx]:
            if not (is_passthrough(step) or is_sampler(step)):
                value = step.transform(value)
        return value

    def fit(self, X: Any, y: Any = None, sample_weight: Any = None, **params: Any) -> Pipeline:
        """Fit every step in turn; samplers resample ``X``, ``y`` and ``sample_weight``.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
            Training rows.
        y : array-like of shape (n_samples,), default=None
            Training targets.
        sample_weight : array-like of shape (n_samples,), default=None
            Follows the rows through samplers; given to every step whose ``fit`` takes it
            (with metadata routing: to the steps that request it).
        **params : dict
            ``<step>__<parameter>`` values for that step's ``fit`` (or ``fit_resample``); with
            metadata routing, metadata routed to the steps that request it.

        Returns
        -------
        self : Pipeline
        """
        X, y, _, final_params = self._fit_steps("fit", X, y, sample_weight, params)
        final = self.steps[-1][1]
        with _steps.logged("Pipeline", self._log_message(len(self.steps) - 1)):
            if is_sampler(final):
                final.fit_resample(X, y, **final_params("fit"))
            elif not is_passthrough(final):
                final.fit(X, y, **final_params("fit"))
        return self

    @available_if(_final_has("passthrough", "transform", "fit_transform"))
    def fit_transform(self, X: Any, y: Any = None, sample_weight: Any = None, **params: Any) -> Any:
        """Fit every step and return the last step's transform of the (resampled) training rows.

        Parameters
        ----------
        X, y, sample_weight, **params
            As for :meth:`fit`.

        Returns
        -------
        Xt : array-like of shape (n_samples_resampled, n_features_out)
        """
        X, y, _, final_params = self._fit_steps("fit_transform", X, y, sample_weight, params)
        final = self.steps[-1][1]
        with _steps.logged("Pipeline", self._log_message(len(self.steps) - 1)):
            if is_passthrough(final):
                return X
            if hasattr(final, "fit_transform"):
                return final.fit_transform(X, y, **final_params("fit_transform"))
            fitted = final.fit(X, y, **final_params("fit"))
            return fitted.transform(X, **final_params("transform"))

    @available_if(_final_has("fit_predict"))
    def fit_predict(self, X: Any, y: Any = None, sample_weight: Any = None, **params: Any) -> Any:
        """Fit every step and return the last step's ``fit_predict`` on the training rows.

        Parameters
        ----------
        X, y, sample_weight, **params
            As for :meth:`fit`.

        Returns
        -------
        y_pred : ndarray of shape (n_samples_resampled,)
        """
        X, y, _, final_params = self._fit_steps("fit_predict", X, y, sample_weight, params)
        with _steps.logged("Pipeline", self._log_message(len(self.steps) - 1)):
            return self.steps[-1][1].fit_predict(X, y, **final_params("fit_predict"))

    @available_if(lambda self: is_passthrough(self.steps[-1][1]) or is_sampler(self.steps[-1][1]))
    def fit_resample(
        self, X: Any, y: Any = None, sample_weight: Any = None, **params: Any
    ) -> tuple[Any, Any]:
        """Fit the transformers and resample with every sampler, the last step included.

        Parameters
        ----------
        X, y, sample_weight, **params
            As for :meth:`fit`; metadata is routed as for ``fit``.

        Returns
        -------
        X_resampled, y_resampled : the rows after the last step
        """
        X, y, _, final_params = self._fit_steps("fit", X, y, sample_weight, params)
        final = self.steps[-1][1]
        with _steps.logged("Pipeline", self._log_message(len(self.steps) - 1)):
            if is_passthrough(final):
                return X, y
            X_res, y_res = final.fit_resample(X, y, **final_params("fit"))
        return X_res, y_res

    # -- prediction: samplers are skipped ---------------------------------------------------------
    @contextmanager
    def _fitted_or_warn(self) -> Iterator[None]:
        try:
            yield
        except SklearnNotFittedError as exc:
            if isinstance(exc, NotFittedError) and str(exc).startswith("This Pipeline"):
                raise
            raise NotFittedError(
                f"This Pipeline instance is not fitted yet ({exc}). Call fit before using it."
            ) from exc
        if not self.__sklearn_is_fitted__():
            warnings.warn(
                "This Pipeline instance is not fitted yet. Call 'fit' before transform, "
                "predict and the like; a later release will raise an error here, as "
                "imbalanced-learn 0.15 will.",
                FutureWarning,
                stacklevel=3,
            )

    def _transform_rows(self, X: Any, routed: Any = None) -> Any:
        for name, step in self._transformers():
            X = step.transform(X, **_StepParams(routed).get(name, "transform") if routed else {})
        return X

    def _delegate(self, method: str, X: Any, params: dict[str, Any], *, plain: bool) -> Any:
        """Transform X (samplers skipped) and call the last step's ``method``.

        ``plain``: without metadata routing, ``params`` go to the last step as they are;
        otherwise they need routing.
        """
        name, final = self.steps[-1]
        with self._fitted_or_warn():
            if routing_enabled():
                routed = process_routing(self, method, **params)
                Xt = self._transform_rows(X, routed)
                return getattr(final, method)(Xt, **_StepParams(routed).get(name, method))
            if params and not plain:
                raise InvalidParameterError(
                    f"Pipeline.{method} got {sorted(params)}; extra arguments to {method} need "
                    "metadata routing: sklearn.set_config(enable_metadata_routing=True)."
                )
            return getattr(final, method)(self._transform_rows(X), **params)

    @available_if(_final_has("predict"))
    def predict(self, X: Any, **params: Any) -> Any:
        """Transform X with the fitted transformers (samplers skipped) and predict.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        **params : dict
            Passed to the last step's ``predict`` (with routing: routed).

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
        """
        return self._delegate("predict", X, params, plain=True)

    @available_if(_final_has("predict_proba"))
    def predict_proba(self, X: Any, **params: Any) -> Any:
        """Transform X (samplers skipped) and return the last step's probabilities.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        **params : dict
            Passed to the last step's ``predict_proba`` (with routing: routed).

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
        """
        return self._delegate("predict_proba", X, params, plain=True)

    @available_if(_final_has("predict_log_proba"))
    def predict_log_proba(self, X: Any, **params: Any) -> Any:
        """Transform X (samplers skipped) and return the last step's log probabilities.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        **params : dict
            Passed to the last step's ``predict_log_proba`` (with routing: routed).

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
        """
        return self._delegate("predict_log_proba", X, params, plain=True)

    @available_if(_final_has("decision_function"))
    def decision_function(self, X: Any, **params: Any) -> Any:
        """Transform X (samplers skipped) and return the last step's decision scores.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        **params : dict
            Metadata, routed (needs metadata routing).

        Returns
        -------
        scores : ndarray of shape (n_samples,) or (n_samples, n_classes)
        """
        return self._delegate("decision_function", X, params, plain=False)

    @available_if(_final_has("score_samples"))
    def score_samples(self, X: Any) -> Any:
        """Transform X (samplers skipped) and return the last step's ``score_samples``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        scores : ndarray of shape (n_samples,)
        """
        with self._fitted_or_warn():
            return self.steps[-1][1].score_samples(self._transform_rows(X))

    @available_if(_final_has("passthrough", "transform"))
    def transform(self, X: Any, **params: Any) -> Any:
        """Apply every transformer, the last step included (samplers skipped).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        **params : dict
            Metadata, routed (needs metadata routing).

        Returns
        -------
        Xt : array-like of shape (n_samples, n_features_out)
        """
        if is_passthrough(self.steps[-1][1]):
            with self._fitted_or_warn():
                if params and not routing_enabled():
                    raise InvalidParameterError(
                        f"Pipeline.transform got {sorted(params)}; extra arguments need "
                        "metadata routing: sklearn.set_config(enable_metadata_routing=True)."
                    )
                routed = process_routing(self, "transform", **params) if params else None
                return self._transform_rows(X, routed)
        return self._delegate("transform", X, params, plain=False)

    @available_if(_can_inverse_transform)
    def inverse_transform(self, X: Any, **params: Any) -> Any:
        """Undo every transformer in reverse order (samplers skipped: they add no columns).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features_out)
        **params : dict
            Metadata, routed (needs metadata routing).

        Returns
        -------
        X_original : array-like of shape (n_samples, n_features)
        """
        with self._fitted_or_warn():
            routed = None
            if params:
                if not routing_enabled():
                    raise InvalidParameterError(
                        f"Pipeline.inverse_transform got {sorted(params)}; extra arguments "
                        "need metadata routing: sklearn.set_config(enable_metadata_routing=True)."
                    )
                routed = process_routing(self, "inverse_transform", **params)
            for name, step in reversed(list(self._transformers(final=True))):
                extra = _StepParams(routed).get(name, "inverse_transform") if routed else {}
                X = step.inverse_transform(X, **extra)
            return X

    @available_if(_final_has("score"))
    def score(self, X: Any, y: Any = None, sample_weight: Any = None, **params: Any) -> float:
        """Score the last step on X as given (samplers skipped).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,), default=None
        sample_weight : array-like of shape (n_samples,), default=None
            Passed to the last step's ``score`` when given (with routing: routed).
        **params : dict
            Metadata, routed (needs metadata routing).

        Returns
        -------
        score : float
        """
        name, final = self.steps[-1]
        with self._fitted_or_warn():
            if routing_enabled():
                if sample_weight is not None:
                    params = {**params, "sample_weight": sample_weight}
                routed = process_routing(self, "score", **params)
                Xt = self._transform_rows(X, routed)
                return final.score(Xt, y, **_StepParams(routed).get(name, "score"))
            if params:
                raise InvalidParameterError(
                    f"Pipeline.score got {sorted(params)}; extra arguments need metadata "
                    "routing: sklearn.set_config(enable_metadata_routing=True)."
                )
            extra = {} if sample_weight is None else {"sample_weight": sample_weight}
            return final.score(self._transform_rows(X), y, **extra)

    # -- inspection -------------------------------------------------------------------------------
    @property
    def classes_(self) -> np.ndarray:
        """The classes of the last step."""
        return self.steps[-1][1].classes_

    def _first_step(self, attr: str) -> Any:
        for _, step in self.steps:
            if not is_passthrough(step):
                return getattr(step, attr)
        raise AttributeError(
            f"'Pipeline' object has no attribute {attr!r}: every step is passthrough"
        )

    @property
    def n_features_in_(self) -> int:
        """Number of features seen by the first step at fit."""
        return int(self._first_step("n_features_in_"))

    @property
    def feature_names_in_(self) -> np.ndarray:
        """Column names seen by the first step at fit."""
        return self._first_step("feature_names_in_")

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        """Names of the output columns, through every transformer (samplers keep columns).

        Parameters
        ----------
        input_features : array-like of str or None, default=None
            Names of the input columns.

        Returns
        -------
        feature_names_out : ndarray of str objects
        """
        names = input_features
        seen = False
        for name, step in self._transformers(final=True):
            if not hasattr(step, "get_feature_names_out"):
                raise AttributeError(
                    f"Estimator {name} does not provide get_feature_names_out. Did you mean "
                    "to call pipeline[:-1].get_feature_names_out()?"
                )
            names, seen = step.get_feature_names_out(names), True
        if not seen:
            return self._first_step("get_feature_names_out")(names)
        return np.asarray(names, dtype=object)

    def set_output(self, *, transform: str | None = None) -> Pipeline:
        """Set the output container of every transformer (samplers keep their input's).

        Parameters
        ----------
        transform : {"default", "pandas", "polars"} or None, default=None
            As scikit-learn's ``set_output``; ``None`` leaves it unchanged.

        Returns
        -------
        self : Pipeline
        """
        for name, step in self.steps:
            if is_passthrough(step) or is_sampler(step):
                continue
            transforms = hasattr(step, "transform") or (
                hasattr(step, "fit_transform") and transform is not None
            )
            if not transforms:
                continue
            if not hasattr(step, "set_output"):
                raise InvalidParameterError(
                    f"Cannot set the output of Pipeline step {name!r}: {type(step).__name__} has "
                    "no set_output method."
                )
            step.set_output(transform=transform)
        return self

    def __sklearn_is_fitted__(self) -> bool:
        """Whether the last step that is not passthrough is fitted (an empty one is)."""
        for _, step in reversed(self.steps):
            if is_passthrough(step):
                continue
            try:
                check_is_fitted(step)
            except SklearnNotFittedError:
                return False
            return True
        return True

    def get_metadata_routing(self) -> MetadataRouter:
        """How metadata is routed to the steps (scikit-learn's metadata routing).

        Samplers receive, through ``fit``, ``fit_transform``, ``fit_predict`` and
        ``fit_resample``, the metadata requested with ``set_fit_resample_request``.

        Returns
        -------
        routing : MetadataRouter
        """
        router = MetadataRouter(owner=self)
        for name, step in self.steps[:-1]:
            if is_passthrough(step):
                continue
            if is_sampler(step):
                router.add(
                    method_mapping=_steps.sampler_mapping(),
                    **{name: _steps.sampler_request(name, step)},
                )
            else:
                router.add(method_mapping=_steps.transformer_mapping(step), **{name: step})
        name, final = self.steps[-1]
        if is_sampler(final):
            router.add(
                method_mapping=_steps.sampler_mapping(),
                **{name: _steps.sampler_request(name, final)},
            )
        elif not is_passthrough(final):
            router.add(method_mapping=_steps.final_mapping(final), **{name: final})
        return router

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        try:
            first = next(s for _, s in self.steps if not is_passthrough(s))
            tags.input_tags.pairwise = get_tags(first).input_tags.pairwise
            tags.input_tags.sparse = all(
                get_tags(s).input_tags.sparse for _, s in self.steps if not is_passthrough(s)
            )
        except (StopIteration, TypeError, ValueError, AttributeError):
            pass
        final = self.steps[-1][1] if self.steps else None
        if final is not None and not is_passthrough(final) and not is_sampler(final):
            try:
                inner = get_tags(final)
            except (TypeError, ValueError, AttributeError):
                return tags
            tags.estimator_type = inner.estimator_type
            tags.classifier_tags = inner.classifier_tags
            tags.regressor_tags = inner.regressor_tags
            tags.transformer_tags = inner.transformer_tags
            tags.target_tags.required = inner.target_tags.required
        return tags


def _weight_if_taken(step: Any, weight: Any) -> dict[str, Any]:
    return {"sample_weight": weight} if has_fit_parameter(step, "sample_weight") else {}


def _follow_rows(params: dict[str, Any], tracker: RowTracker, n_samples: int | None) -> Any:
    """After a sampler: resample ``sample_weight`` with the rows, refuse other per-row values."""
    if tracker.sampler is None:
        return params
    if n_samples is not None:
        others = {k: v for k, v in params.items() if k != "sample_weight"}
        check_per_row_params(others, n_samples, f"the sampler step {tracker.sampler!r}")
    if params.get("sample_weight") is not None:
        params = {**params, "sample_weight": tracker.take(params["sample_weight"])}
    return params


def make_pipeline(
    *steps: Any, memory: Any = None, transform_input: list[str] | None = None, verbose: bool = False
) -> Pipeline:
    """A :class:`Pipeline` whose step names are the lower-cased class names.

    Parameters
    ----------
    *steps : estimators, samplers, "passthrough" or None
        The steps, in order.
    memory : str or object with a ``cache`` method, default=None
        As :class:`Pipeline`'s.
    transform_input : list of str, default=None
        As :class:`Pipeline`'s.
    verbose : bool, default=False
        As :class:`Pipeline`'s.

    Returns
    -------
    pipeline : Pipeline

    Examples
    --------
    >>> from sklearn.tree import DecisionTreeClassifier
    >>> from imbalance.pipeline import make_pipeline
    >>> from imbalance.samplers import RandomUnderSampler
    >>> make_pipeline(RandomUnderSampler(), DecisionTreeClassifier()).steps[0][0]
    'randomundersampler'
    """
    return Pipeline(
        _steps.name_steps(steps), memory=memory, transform_input=transform_input, verbose=verbose
    )
