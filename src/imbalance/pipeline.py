"""Composition that cannot leak: samplers run when fitting, never when predicting.

Two ways to put a sampler in front of a model:

- :class:`ResampledClassifier` ``(sampler, estimator)``, a meta-estimator that works as the last
  step of scikit-learn's own ``Pipeline``, in ``cross_validate``, ``GridSearchCV`` (over
  ``sampler__*`` and ``estimator__*``) and ``TunedThresholdClassifierCV``;
- :class:`Pipeline` / :func:`make_pipeline`, a pipeline whose steps may be samplers.

``sample_weight`` passed to ``fit`` travels with its rows through every sampler: a kept or
repeated row keeps its weight, and a synthetic row takes the weight of the row it was made
from (its first parent, ``synthetic_parents_[:, 0]``).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, MetaEstimatorMixin, clone
from sklearn.utils import Bunch, get_tags
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_is_fitted, has_fit_parameter

from ._containers import as_supported, n_rows, target_to_numpy
from ._validation import check_sample_weight, encode_target
from .base import is_sampler
from .calibration import correct_priors
from .exceptions import InvalidDataError, InvalidParameterError

__all__ = ["Pipeline", "ResampledClassifier", "make_pipeline", "resample_sample_weight"]


def resample_sample_weight(sampler: Any, sample_weight: Any, n_resampled: int) -> np.ndarray:
    """The weights of a fitted sampler's output rows, taken from the weights of its input rows.

    Kept and repeated rows keep their weight; synthetic rows take the weight of their first
    parent. Needs a sampler that exposes ``sample_indices_``.
    """
    indices = getattr(sampler, "sample_indices_", None)
    if indices is None:
        raise InvalidParameterError(
            f"sample_weight cannot follow the rows of {type(sampler).__name__}: it does not "
            "expose sample_indices_. Use a sampler from imbalance.samplers, or drop sample_weight."
        )
    w = np.asarray(sample_weight, dtype=np.float64)
    parents = getattr(sampler, "synthetic_parents_", None)
    rows = indices if parents is None else np.concatenate([indices, parents[:, 0]])
    if rows.shape[0] != n_resampled:
        raise InvalidDataError(
            f"{type(sampler).__name__} returned {n_resampled} rows but accounts for "
            f"{rows.shape[0]} in sample_indices_ and synthetic_parents_; weights cannot follow."
        )
    return w[rows]


def _class_totals(y: Any, weights: np.ndarray | None = None) -> dict[Any, float]:
    target = encode_target(target_to_numpy(y))
    if weights is None:
        return dict(zip(target.classes, target.counts.tolist(), strict=True))
    totals = np.bincount(target.codes, weights=weights, minlength=len(target.classes))
    return dict(zip(target.classes, totals.tolist(), strict=True))


def _check_per_row_params(params: dict[str, Any], n_samples: int, where: str) -> None:
    for name, value in params.items():
        if (
            hasattr(value, "__len__")
            and not isinstance(value, str | dict)
            and len(value) == n_samples
        ):
            raise InvalidParameterError(
                f"fit parameter {name!r} holds one value per row, but {where} changes the rows, so "
                "it would no longer line up. Pass per-row weights as sample_weight (they are "
                "resampled with their rows); other per-row parameters are not supported."
            )


def _estimator_has(name: str) -> Any:
    def check(self: Any) -> bool:
        fitted = getattr(self, "estimator_", None)
        return hasattr(fitted if fitted is not None else self.estimator, name)

    return check


def _uncorrected_estimator_has(name: str) -> Any:
    def check(self: Any) -> bool:
        return not self.prior_correction and bool(_estimator_has(name)(self))

    return check


class ResampledClassifier(MetaEstimatorMixin, ClassifierMixin, BaseEstimator):
    """A classifier trained on resampled data; predictions use the rows as given.

    ``fit`` clones ``sampler`` and ``estimator``, resamples ``(X, y)`` (and ``sample_weight``)
    with the sampler, and fits the estimator on the result. ``predict``, ``predict_proba``,
    ``predict_log_proba``, ``decision_function`` and ``score`` go straight to the fitted
    estimator: rows being predicted or scored are never resampled, so cross-validation with
    this object cannot leak.

    Parameters
    ----------
    sampler : sampler object
        Anything with ``fit_resample`` (ours or imbalanced-learn's).
    estimator : classifier object
        The model trained on the resampled rows.
    prior_correction : bool, default=False
        Map ``predict_proba`` back to the class proportions of the data given to ``fit``
        (Saerens et al., 2002), from the proportions the estimator was trained on
        (``training_class_counts_``); ``predict`` then picks the most probable class under the
        true priors, and ``decision_function`` is not offered. Resampling shifts probabilities
        towards the rare class; this undoes the shift while keeping what resampling gave the
        model.

    Attributes
    ----------
    sampler_ : sampler object
        The fitted clone of ``sampler`` (``sampler_.target_counts_`` gives the training counts).
    estimator_ : classifier object
        The fitted clone of ``estimator``.
    class_counts_ : dict of {class_label: int}
        Number of rows of each class in the data given to ``fit``.
    training_class_counts_ : dict of {class_label: float}
        Number of rows of each class the estimator was trained on (weighted by
        ``sample_weight`` when given): equal to ``sampler_.target_counts_`` for samplers that
        reach their counts exactly.
    classes_ : ndarray of shape (n_classes,)
        Class labels, from the fitted estimator.
    n_features_in_ : int
        Number of features seen at fit.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of the features seen at fit, when X had string column names.

    See Also
    --------
    Pipeline : a pipeline whose steps may be samplers.
    imbalance.model_selection.resampled_splits : the same rule for hand-written training loops.

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.model_selection import cross_val_score
    >>> from imbalance.datasets import make_imbalance
    >>> from imbalance.pipeline import ResampledClassifier
    >>> from imbalance.samplers import RandomUnderSampler
    >>> from sklearn.datasets import make_classification
    >>> X, y = make_classification(n_samples=600, random_state=0)
    >>> X, y = make_imbalance(X, y, sampling_strategy={1: 60}, random_state=0)
    >>> model = ResampledClassifier(RandomUnderSampler(random_state=0), LogisticRegression())
    >>> scores = cross_val_score(model, X, y, cv=3, scoring="balanced_accuracy")
    >>> len(scores)
    3
    """

    def __init__(self, sampler: Any, estimator: Any, *, prior_correction: bool = False) -> None:
        self.sampler = sampler
        self.estimator = estimator
        self.prior_correction = prior_correction

    def fit(
        self, X: Any, y: Any, sample_weight: Any = None, **fit_params: Any
    ) -> ResampledClassifier:
        """Resample ``(X, y)`` and fit the estimator on the result.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
        sample_weight : array-like of shape (n_samples,), default=None
            Resampled with the rows, then passed to the estimator's ``fit``.
        **fit_params : dict
            Passed to the estimator's ``fit`` as they are (not per-row values).

        Returns
        -------
        self : ResampledClassifier
        """
        if not is_sampler(self.sampler):
            raise InvalidParameterError(
                f"sampler must have a fit_resample method; got {type(self.sampler).__name__}."
            )
        if not hasattr(self.estimator, "fit"):
            raise InvalidParameterError(
                f"estimator must have a fit method; got {type(self.estimator).__name__}."
            )
        X, y = as_supported(X), as_supported(y)
        n_samples = n_rows(X)
        _check_per_row_params(fit_params, n_samples, f"the sampler {type(self.sampler).__name__}")
        w = None if sample_weight is None else check_sample_weight(sample_weight, n_samples)
        self.sampler_ = clone(self.sampler)
        X_res, y_res = self.sampler_.fit_resample(X, y)
        w_res = None if w is None else resample_sample_weight(self.sampler_, w, n_rows(y_res))
        if w_res is not None:
            fit_params["sample_weight"] = w_res
        self.estimator_ = clone(self.estimator).fit(X_res, y_res, **fit_params)
        self.class_counts_ = _class_totals(y)
        self.training_class_counts_ = _class_totals(y_res, w_res)
        for attr in ("n_features_in_", "feature_names_in_"):
            source = self.sampler_ if hasattr(self.sampler_, attr) else self.estimator_
            if hasattr(source, attr):
                setattr(self, attr, getattr(source, attr))
        return self

    @property
    def classes_(self) -> np.ndarray:
        check_is_fitted(self, "estimator_")
        return self.estimator_.classes_

    @available_if(_estimator_has("predict"))
    def predict(self, X: Any) -> Any:
        """Predicted class of each row of X (rows are not resampled)."""
        check_is_fitted(self, "estimator_")
        if self.prior_correction:
            return self.classes_[np.argmax(self.predict_proba(X), axis=1)]
        return self.estimator_.predict(X)

    @available_if(_estimator_has("predict_proba"))
    def predict_proba(self, X: Any) -> Any:
        """Class probabilities of each row of X (under the true priors with prior_correction)."""
        check_is_fitted(self, "estimator_")
        proba = self.estimator_.predict_proba(X)
        if not self.prior_correction:
            return proba
        classes = self.estimator_.classes_.tolist()
        return correct_priors(
            proba,
            training_priors=self.training_class_counts_,
            true_priors=self.class_counts_,
            classes=classes,
        )

    @available_if(_estimator_has("predict_log_proba"))
    def predict_log_proba(self, X: Any) -> Any:
        """Log class probabilities of each row of X."""
        check_is_fitted(self, "estimator_")
        if not self.prior_correction:
            return self.estimator_.predict_log_proba(X)
        with np.errstate(divide="ignore"):
            return np.log(self.predict_proba(X))

    @available_if(_uncorrected_estimator_has("decision_function"))
    def decision_function(self, X: Any) -> Any:
        """Decision scores of each row of X."""
        check_is_fitted(self, "estimator_")
        return self.estimator_.decision_function(X)

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        inner = get_tags(self.estimator)
        tags.input_tags.sparse = inner.input_tags.sparse
        tags.input_tags.allow_nan = inner.input_tags.allow_nan
        tags.input_tags.categorical = inner.input_tags.categorical
        tags.input_tags.string = inner.input_tags.string
        return tags


class Pipeline(BaseEstimator):
    """A sequence of steps, any of which may be a sampler; samplers run at fit only.

    When fitting, each sampler step replaces ``(X, y)`` (and ``sample_weight``) by its resampled
    output before the next step; each transformer step is fitted and transforms X; the last step
    is fitted. When predicting, transforming or scoring, sampler steps are skipped, so the rows
    passed are the rows scored. Steps may be ``"passthrough"`` or ``None``.

    Parameters
    ----------
    steps : list of (str, estimator) tuples
        Step names must be unique and contain no double underscore.

    Attributes
    ----------
    named_steps : Bunch
        The steps by name.
    classes_ : ndarray of shape (n_classes,)
        The classes of the last step, when it is a classifier.

    See Also
    --------
    make_pipeline : build a Pipeline with step names chosen for you.
    ResampledClassifier : a sampler and a classifier as one estimator.

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

    def __init__(self, steps: list[tuple[str, Any]]) -> None:
        self.steps = steps

    # -- structure -------------------------------------------------------------------------
    def _validate_steps(self) -> None:
        names = [name for name, _ in self.steps]
        if len(set(names)) != len(names) or any("__" in n for n in names):
            raise InvalidParameterError(
                f"Pipeline step names must be unique and contain no '__'; got {names!r}."
            )
        for name, step in self.steps[:-1]:
            if step in (None, "passthrough") or is_sampler(step):
                continue
            if not (hasattr(step, "fit") and hasattr(step, "transform")):
                raise InvalidParameterError(
                    f"Pipeline step {name!r} ({type(step).__name__}) is neither a sampler nor a "
                    "transformer; every step but the last needs fit_resample or fit + transform."
                )

    @property
    def named_steps(self) -> Bunch:
        return Bunch(**dict(self.steps))

    @property
    def _final(self) -> Any:
        return self.steps[-1][1]

    def __len__(self) -> int:
        return len(self.steps)

    def __getitem__(self, key: int | str | slice) -> Any:
        if isinstance(key, slice):
            return Pipeline(self.steps[key])
        if isinstance(key, str):
            return self.named_steps[key]
        return self.steps[key][1]

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        params: dict[str, Any] = {"steps": self.steps}
        if not deep:
            return params
        for name, step in self.steps:
            params[name] = step
            if hasattr(step, "get_params"):
                params.update({f"{name}__{k}": v for k, v in step.get_params(deep=True).items()})
        return params

    def set_params(self, **params: Any) -> Pipeline:
        if "steps" in params:
            self.steps = params.pop("steps")
        names = [name for name, _ in self.steps]
        nested: dict[str, dict[str, Any]] = {}
        for key, value in params.items():
            name, _, sub = key.partition("__")
            if name not in names:
                raise InvalidParameterError(
                    f"Pipeline has no step {name!r} (from parameter {key!r}); steps are {names!r}."
                )
            if sub:
                nested.setdefault(name, {})[sub] = value
            else:
                self.steps = [(n, value if n == name else s) for n, s in self.steps]
        for name, sub_params in nested.items():
            self.named_steps[name].set_params(**sub_params)
        return self

    # -- fitting: the only place samplers run ---------------------------------------------
    def _fit_steps(
        self, X: Any, y: Any, sample_weight: Any, params: dict[str, Any]
    ) -> tuple[Any, Any, Any]:
        self._validate_steps()
        X, y = as_supported(X), as_supported(y)
        step_params = _split_params(params, [name for name, _ in self.steps])
        n_samples = n_rows(X)
        w = None if sample_weight is None else check_sample_weight(sample_weight, n_samples)
        sampler_seen: str | None = None
        last = len(self.steps) - 1
        for position, (name, step) in enumerate(self.steps):
            if sampler_seen is not None:
                _check_per_row_params(
                    step_params[name], n_samples, f"the sampler step {sampler_seen!r}"
                )
            if position == last or step in (None, "passthrough"):
                continue
            if is_sampler(step):  # samplers change the training rows, at fit only
                X, y = step.fit_resample(X, y, **step_params[name])
                if w is not None:
                    w = resample_sample_weight(step, w, n_rows(y))
                sampler_seen = name
            else:
                X = _fit_transform(step, X, y, w, step_params[name])
        return X, y, (w, step_params[self.steps[-1][0]])

    def fit(self, X: Any, y: Any = None, sample_weight: Any = None, **params: Any) -> Pipeline:
        """Fit every step in turn; samplers resample ``X``, ``y`` and ``sample_weight``.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
        sample_weight : array-like of shape (n_samples,), default=None
            Follows the rows through samplers; given to every step whose ``fit`` takes it.
        **params : dict
            ``<step>__<parameter>`` values passed to that step's ``fit`` (or ``fit_resample``).

        Returns
        -------
        self : Pipeline
        """
        X, y, (w, last_params) = self._fit_steps(X, y, sample_weight, params)
        final = self._final
        if final not in (None, "passthrough"):
            if is_sampler(final):
                final.fit_resample(X, y, **last_params)
            else:
                if w is not None and has_fit_parameter(final, "sample_weight"):
                    last_params = {**last_params, "sample_weight": w}
                final.fit(X, y, **last_params)
        return self

    @available_if(lambda self: is_sampler(self._final))
    def fit_resample(self, X: Any, y: Any, **params: Any) -> tuple[Any, Any]:
        """Fit the transformers and resample with every sampler, the last step included."""
        X, y, (_, last_params) = self._fit_steps(X, y, None, params)
        return self._final.fit_resample(X, y, **last_params)

    # -- prediction: samplers are skipped ----------------------------------------------------
    def _transform_for_prediction(self, X: Any) -> Any:
        for _, step in self.steps[:-1]:
            if step in (None, "passthrough") or is_sampler(step):
                continue  # rows being predicted are never resampled
            X = step.transform(X)
        return X

    def _final_has(name: str) -> Any:
        return lambda self: hasattr(self._final, name)

    @available_if(_final_has("predict"))
    def predict(self, X: Any, **params: Any) -> Any:
        """Transform X with the fitted transformers (samplers skipped) and predict."""
        return self._final.predict(self._transform_for_prediction(X), **params)

    @available_if(_final_has("predict_proba"))
    def predict_proba(self, X: Any, **params: Any) -> Any:
        """Transform X (samplers skipped) and return the last step's probabilities."""
        return self._final.predict_proba(self._transform_for_prediction(X), **params)

    @available_if(_final_has("predict_log_proba"))
    def predict_log_proba(self, X: Any, **params: Any) -> Any:
        """Transform X (samplers skipped) and return the last step's log probabilities."""
        return self._final.predict_log_proba(self._transform_for_prediction(X), **params)

    @available_if(_final_has("decision_function"))
    def decision_function(self, X: Any) -> Any:
        """Transform X (samplers skipped) and return the last step's decision scores."""
        return self._final.decision_function(self._transform_for_prediction(X))

    @available_if(_final_has("transform"))
    def transform(self, X: Any) -> Any:
        """Apply every transformer, the last step included (samplers skipped)."""
        return self._final.transform(self._transform_for_prediction(X))

    @available_if(_final_has("score"))
    def score(self, X: Any, y: Any = None, sample_weight: Any = None) -> float:
        """Score the last step on X as given (samplers skipped)."""
        extra = {} if sample_weight is None else {"sample_weight": sample_weight}
        return float(self._final.score(self._transform_for_prediction(X), y, **extra))

    @property
    def classes_(self) -> np.ndarray:
        return self._final.classes_

    @property
    def n_features_in_(self) -> int:
        first = next(s for _, s in self.steps if s not in (None, "passthrough"))
        return int(first.n_features_in_)

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        final = self._final
        if final not in (None, "passthrough") and not is_sampler(final):
            inner = get_tags(final)
            tags.estimator_type = inner.estimator_type
            tags.classifier_tags = inner.classifier_tags
            tags.regressor_tags = inner.regressor_tags
            tags.target_tags.required = inner.target_tags.required
        return tags


def _split_params(params: dict[str, Any], names: Sequence[str]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {name: {} for name in names}
    for key, value in params.items():
        name, sep, sub = key.partition("__")
        if not sep or name not in out:
            raise InvalidParameterError(
                f"Pipeline.fit got {key!r}; fit parameters are named <step>__<parameter> with a "
                f"step among {list(names)!r}, or sample_weight."
            )
        out[name][sub] = value
    return out


def _fit_transform(step: Any, X: Any, y: Any, w: Any, params: dict[str, Any]) -> Any:
    if w is not None and has_fit_parameter(step, "sample_weight"):
        params = {**params, "sample_weight": w}
    if hasattr(step, "fit_transform"):
        return step.fit_transform(X, y, **params)
    return step.fit(X, y, **params).transform(X)


def _name_steps(estimators: Sequence[Any]) -> Iterator[tuple[str, Any]]:
    names = [
        type(e).__name__.lower() if e not in (None, "passthrough") else "passthrough"
        for e in estimators
    ]
    totals = {n: names.count(n) for n in names}
    seen: dict[str, int] = {}
    for name, est in zip(names, estimators, strict=True):
        if totals[name] > 1:
            seen[name] = seen.get(name, 0) + 1
            name = f"{name}-{seen[name]}"
        yield name, est


def make_pipeline(*steps: Any) -> Pipeline:
    """A :class:`Pipeline` whose step names are the lower-cased class names.

    Examples
    --------
    >>> from sklearn.tree import DecisionTreeClassifier
    >>> from imbalance.pipeline import make_pipeline
    >>> from imbalance.samplers import RandomUnderSampler
    >>> make_pipeline(RandomUnderSampler(), DecisionTreeClassifier()).steps[0][0]
    'randomundersampler'
    """
    return Pipeline(list(_name_steps(steps)))
