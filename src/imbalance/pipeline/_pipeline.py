"""A pipeline whose steps may be samplers: samplers change the rows when fitting, never after."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sklearn.base import BaseEstimator, clone
from sklearn.utils import Bunch, get_tags
from sklearn.utils.metadata_routing import MetadataRouter, process_routing
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_memory

from .._containers import n_rows
from .._param_validation import validate_params
from .._routing import routing_enabled
from .._typing import ArrayLike, Estimator, Step, Target
from .._validation import check_sample_weight
from ..base import ResamplesThroughSteps, is_sampler
from ..exceptions import InvalidParameterError
from . import _steps
from ._fitted import FittedPipeline, StepParams, final_has
from ._steps import is_passthrough
from ._weights import RowTracker, follow_rows, weight_if_taken

__all__ = ["Pipeline", "make_pipeline"]

_OWN_PARAMS = ("steps", "transform_input", "memory", "verbose")


class Pipeline(ResamplesThroughSteps, FittedPipeline, BaseEstimator):
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
        memory: str | object | None = None,
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

    def _log_message(self, idx: int) -> str | None:
        if not self.verbose:
            return None
        return f"(step {idx + 1} of {len(self.steps)}) Processing {self.steps[idx][0]}"

    # -- fitting: the only place samplers run -----------------------------------------------------
    def _step_params(self, caller: str, params: dict[str, Any]) -> StepParams:
        if routing_enabled():
            _steps.check_sampler_requests(self.steps, params)
            return StepParams(routed=process_routing(self, caller, **params))
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
        return StepParams(plain=plain)

    def _fit_steps(
        self,
        caller: str,
        X: ArrayLike,
        y: Target | None,
        sample_weight: ArrayLike | None,
        params: dict[str, Any],
    ) -> tuple[Any, Any, StepParams, Callable[..., dict[str, Any]]]:
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

        def params_for(idx: int, callee: str, step: Estimator) -> dict[str, Any]:
            p = self._transform_inputs(idx, step_params.get(self.steps[idx][0], callee))
            wants_weight = not is_sampler(step) and callee != "transform"
            if weight is not None and "sample_weight" not in p and wants_weight:
                p.update(weight_if_taken(step, weight))
            return follow_rows(p, tracker, n_samples)

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

    def _transform_through(self, idx: int, value: object) -> Any:
        if isinstance(value, tuple):
            return tuple(self._transform_through(idx, v) for v in value)
        for _, step in self.steps[:idx]:
            if not (is_passthrough(step) or is_sampler(step)):
                value = step.transform(value)
        return value

    def fit(
        self,
        X: ArrayLike,
        y: Target | None = None,
        sample_weight: ArrayLike | None = None,
        **params: object,
    ) -> Pipeline:
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

    @available_if(final_has("passthrough", "transform", "fit_transform"))
    def fit_transform(
        self,
        X: ArrayLike,
        y: Target | None = None,
        sample_weight: ArrayLike | None = None,
        **params: object,
    ) -> Any:
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

    @available_if(final_has("fit_predict"))
    def fit_predict(
        self,
        X: ArrayLike,
        y: Target | None = None,
        sample_weight: ArrayLike | None = None,
        **params: object,
    ) -> Any:
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

    def _ends_in_sampler(self) -> bool:
        final = self.steps[-1][1]
        return is_passthrough(final) or is_sampler(final)

    def _fit_resample_steps(
        self,
        X: ArrayLike,
        y: Target | None,
        sample_weight: ArrayLike | None,
        params: dict[str, Any],
    ) -> tuple[Any, Any]:
        X, y, _, final_params = self._fit_steps("fit", X, y, sample_weight, params)
        final = self.steps[-1][1]
        with _steps.logged("Pipeline", self._log_message(len(self.steps) - 1)):
            if is_passthrough(final):
                return X, y
            X_res, y_res = final.fit_resample(X, y, **final_params("fit"))
        return X_res, y_res

    def get_metadata_routing(self) -> MetadataRouter:
        """How metadata is routed to the steps (scikit-learn's metadata routing).

        Samplers receive, through ``fit``, ``fit_transform``, ``fit_predict`` and
        ``fit_resample``, the metadata requested with ``set_fit_resample_request``.

        Returns
        -------
        routing : MetadataRouter
        """
        return _steps.metadata_router(self, self.steps)

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


def make_pipeline(
    *steps: Step,
    memory: str | object | None = None,
    transform_input: list[str] | None = None,
    verbose: bool = False,
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
