"""Strategies to compare, from short names or objects, turned into estimators.

A strategy is a way of handling the imbalance around one model: ``"none"``, ``"weights"``
(balanced class weights), or a sampler (``"rus"``, ``"ros"``, ``"smote"``, ... or any object
with ``fit_resample``), optionally followed by ``+prior`` (probabilities corrected back to the
true class priors) or ``+threshold`` (decision threshold tuned by inner cross-validation on
the comparison's metric; binary targets only).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.base import clone
from sklearn.model_selection import StratifiedKFold, TunedThresholdClassifierCV
from sklearn.pipeline import Pipeline as SkPipeline

from .._typing import Estimator
from ..base import is_sampler
from ..calibration import PriorCorrectedClassifier
from ..exceptions import InvalidParameterError
from ..pipeline import ResampledClassifier

__all__ = ["SAMPLER_NAMES", "Strategy", "build_estimator", "parse_strategies", "sampler_class"]

# short name -> class name in imbalance.samplers (only those that exist are offered)
SAMPLER_NAMES = {
    "rus": "RandomUnderSampler",
    "ros": "RandomOverSampler",
    "smote": "SMOTE",
    "borderline": "BorderlineSMOTE",
    "adasyn": "ADASYN",
    "svmsmote": "SVMSMOTE",
    "kmeanssmote": "KMeansSMOTE",
    "smotenc": "SMOTENC",
    "tomek": "TomekLinks",
    "enn": "EditedNearestNeighbours",
    "ncr": "NeighbourhoodCleaningRule",
    "smoteenn": "SMOTEENN",
    "smotetomek": "SMOTETomek",
}
_BASES = ("none", "weights")
_SUFFIXES = ("prior", "threshold")


@dataclass(frozen=True)
class Strategy:
    """One way of handling the imbalance: a base and an optional after-step."""

    name: str
    base: str  # "none", "weights" or "sampler"
    sampler: Any = None
    after: str | None = None  # None, "prior" or "threshold"


def sampler_class(short: str) -> Any:
    """The sampler class behind a strategy's short name (``"smote"``, ``"rus"``, ...).

    Parameters
    ----------
    short : str
        A short name, lower case: ``rus``, ``ros``, ``smote``, ``borderline``, ``adasyn``,
        ``svmsmote``, ``kmeanssmote``, ``smotenc``, ``tomek``, ``enn``, ``ncr``, ``smoteenn``
        or ``smotetomek``.

    Returns
    -------
    cls : type
        The class in :mod:`imbalance.samplers`.

    Raises
    ------
    InvalidParameterError
        When ``short`` names no sampler; the message lists those offered.

    Examples
    --------
    >>> from imbalance.report import sampler_class
    >>> sampler_class("smote").__name__
    'SMOTE'
    """
    import imbalance.samplers as samplers

    cls_name = SAMPLER_NAMES.get(short)
    if cls_name is None or not hasattr(samplers, cls_name):
        offered = sorted(s for s, c in SAMPLER_NAMES.items() if hasattr(samplers, c))
        raise InvalidParameterError(
            f"strategy {short!r} is not known; use 'none', 'weights', one of {offered} "
            "or a sampler object, optionally with '+prior' or '+threshold'."
        )
    return getattr(samplers, cls_name)


def _parse_one(spec: Any, random_state: int | None) -> Strategy:
    if is_sampler(spec):
        return Strategy(type(spec).__name__, "sampler", spec)
    if not isinstance(spec, str):
        raise InvalidParameterError(
            f"a strategy must be a name or a sampler object; got {type(spec).__name__}."
        )
    base, _, after = spec.strip().lower().partition("+")
    if after and after not in _SUFFIXES:
        raise InvalidParameterError(
            f"strategy {spec!r}: the part after '+' must be 'prior' or 'threshold'."
        )
    if base in _BASES:
        return Strategy(spec.strip().lower(), base, None, after or None)
    cls = sampler_class(base)
    params = {"random_state": random_state} if "random_state" in cls().get_params() else {}
    return Strategy(spec.strip().lower(), "sampler", cls(**params), after or None)


def parse_strategies(specs: Any, random_state: int | None) -> list[Strategy]:
    """Strategies from names, sampler objects, or a dict {name: sampler or spec}."""
    if isinstance(specs, dict):
        parsed = []
        for name, spec in specs.items():
            strategy = _parse_one(spec, random_state)
            parsed.append(Strategy(str(name), strategy.base, strategy.sampler, strategy.after))
    else:
        parsed = [_parse_one(spec, random_state) for spec in specs]
    names = [s.name for s in parsed]
    if len(set(names)) != len(names) or not names:
        raise InvalidParameterError(f"strategy names must be unique and non-empty; got {names}.")
    return parsed


def _split_model(model: Estimator) -> tuple[list[tuple[str, Any]], Any]:
    """Preprocessing steps and the final classifier of a scikit-learn pipeline (or none)."""
    if isinstance(model, SkPipeline):
        return list(model.steps[:-1]), model.steps[-1][1]
    return [], model


def build_estimator(
    strategy: Strategy, model: Estimator, *, scoring: Any, n_classes: int, random_state: int | None
) -> Any:
    """The estimator that applies ``strategy`` around ``model``, resampling in fit only.

    Samplers go after the model's preprocessing (so they see numbers) and before its
    classifier, as a :class:`~imbalance.pipeline.ResampledClassifier`.
    """
    prep, clf = _split_model(clone(model))
    uniform = np.full(n_classes, 1.0 / n_classes)
    if strategy.base == "weights":
        if "class_weight" not in clf.get_params():
            raise InvalidParameterError(
                f"strategy 'weights' needs a classifier with a class_weight parameter; "
                f"{type(clf).__name__} has none. Use a sampler strategy instead."
            )
        clf.set_params(class_weight="balanced")
        if strategy.after == "prior":
            clf = PriorCorrectedClassifier(clf, training_priors=uniform)
    elif strategy.base == "sampler":
        clf = ResampledClassifier(
            clone(strategy.sampler), clf, prior_correction=strategy.after == "prior"
        )
    estimator = SkPipeline([*prep, ("classifier", clf)]) if prep else clf
    if strategy.after == "threshold":
        if n_classes != 2:
            raise InvalidParameterError(
                f"strategy {strategy.name!r}: threshold tuning needs two classes, "
                f"y has {n_classes}."
            )
        inner = StratifiedKFold(3, shuffle=True, random_state=random_state)
        estimator = TunedThresholdClassifierCV(
            estimator, scoring=scoring, cv=inner, random_state=random_state
        )
    return estimator
