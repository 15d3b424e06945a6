"""Using a fitted pipeline: transform, predict, score and inspect, with every sampler skipped.

Samplers run only when fitting (in :class:`~imbalance.pipeline.Pipeline`'s ``_fit_steps``);
everything here passes rows through the fitted transformers only, so validation and test rows
are never resampled.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import numpy as np
from sklearn.exceptions import NotFittedError as SklearnNotFittedError
from sklearn.utils import Bunch
from sklearn.utils.metadata_routing import process_routing
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_is_fitted

from .._routing import routing_enabled
from .._typing import ArrayLike, Target
from ..base import is_sampler
from ..exceptions import InvalidParameterError, NotFittedError
from ._steps import is_passthrough

__all__ = ["FittedPipeline", "StepParams", "can_inverse_transform", "final_has"]


def final_has(*names: str) -> Callable[[Any], bool]:
    """For ``available_if``: the last step has one of ``names`` (or, with "passthrough", is it)."""

    def check(self: FittedPipeline) -> bool:
        final = self.steps[-1][1]
        if is_passthrough(final):
            return "passthrough" in names
        return any(hasattr(final, n) for n in names)

    return check


def can_inverse_transform(self: FittedPipeline) -> bool:
    return all(hasattr(step, "inverse_transform") for _, step in self._transformers(final=True))


class StepParams:
    """The parameters of each step's method, from ``<step>__<param>`` or from metadata routing."""

    def __init__(self, routed: Bunch | None = None, plain: dict[str, dict[str, Any]] | None = None):
        self.routed = routed
        self.plain = plain or {}

    def get(self, name: str, callee: str) -> dict[str, Any]:
        if self.routed is None:  # without routing, a step's params go to its fitting method
            return {} if callee == "transform" else dict(self.plain.get(name, {}))
        try:
            return dict(self.routed[name][callee])
        except (KeyError, AttributeError):
            return {}


_P = TypeVar("_P", bound="FittedPipeline")


class FittedPipeline:
    """The methods of a fitted :class:`~imbalance.pipeline.Pipeline` (samplers skipped)."""

    steps: list[tuple[str, Any]]

    def _transformers(self, *, final: bool = False) -> Iterator[tuple[str, Any]]:
        """The steps that transform at prediction time: no sampler, no passthrough."""
        steps = self.steps if final else self.steps[:-1]
        for name, step in steps:
            if not (is_passthrough(step) or is_sampler(step)):
                yield name, step

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

    def _transform_rows(self, X: ArrayLike, routed: Bunch | None = None) -> Any:
        for name, step in self._transformers():
            X = step.transform(X, **StepParams(routed).get(name, "transform") if routed else {})
        return X

    def _delegate(self, method: str, X: ArrayLike, params: dict[str, Any], *, plain: bool) -> Any:
        """Transform X (samplers skipped) and call the last step's ``method``.

        ``plain``: without metadata routing, ``params`` go to the last step as they are;
        otherwise they need routing.
        """
        name, final = self.steps[-1]
        with self._fitted_or_warn():
            if routing_enabled():
                routed = process_routing(self, method, **params)
                Xt = self._transform_rows(X, routed)
                return getattr(final, method)(Xt, **StepParams(routed).get(name, method))
            if params and not plain:
                raise InvalidParameterError(
                    f"Pipeline.{method} got {sorted(params)}; extra arguments to {method} need "
                    "metadata routing: sklearn.set_config(enable_metadata_routing=True)."
                )
            return getattr(final, method)(self._transform_rows(X), **params)

    @available_if(final_has("predict"))
    def predict(self, X: ArrayLike, **params: object) -> Any:
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

    @available_if(final_has("predict_proba"))
    def predict_proba(self, X: ArrayLike, **params: object) -> Any:
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

    @available_if(final_has("predict_log_proba"))
    def predict_log_proba(self, X: ArrayLike, **params: object) -> Any:
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

    @available_if(final_has("decision_function"))
    def decision_function(self, X: ArrayLike, **params: object) -> Any:
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

    @available_if(final_has("score_samples"))
    def score_samples(self, X: ArrayLike) -> Any:
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

    @available_if(final_has("passthrough", "transform"))
    def transform(self, X: ArrayLike, **params: object) -> Any:
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

    @available_if(can_inverse_transform)
    def inverse_transform(self, X: ArrayLike, **params: object) -> Any:
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
                extra = StepParams(routed).get(name, "inverse_transform") if routed else {}
                X = step.inverse_transform(X, **extra)
            return X

    @available_if(final_has("score"))
    def score(
        self,
        X: ArrayLike,
        y: Target | None = None,
        sample_weight: ArrayLike | None = None,
        **params: object,
    ) -> float:
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
                return final.score(Xt, y, **StepParams(routed).get(name, "score"))
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

    def get_feature_names_out(self, input_features: ArrayLike | None = None) -> np.ndarray:
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

    def set_output(self: _P, *, transform: str | None = None) -> _P:
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
