"""Ways of handling the imbalance around one model, from short names or objects.

A strategy is ``"none"``, ``"weights"`` (balanced class weights), or a sampler (``"rus"``,
``"ros"``, ``"smote"``, ... or any object with ``fit_resample``), optionally followed by ``+prior``
(probabilities corrected back to the true class priors) or ``+threshold`` (decision threshold
tuned by inner cross-validation). The comparison (:mod:`imbalance.report`) and
:class:`~imbalance.auto.AutoImbalanceClassifier` share this vocabulary.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, TypeAlias

from sklearn.base import clone
from sklearn.pipeline import Pipeline as SkPipeline
from sklearn.utils import get_tags

from .._typing import Estimator, Sampler
from ..base import is_sampler
from ..exceptions import InvalidParameterError
from ..pipeline import ResampledClassifier

__all__ = [
    "SAMPLER_NAMES",
    "Strategy",
    "adapt_neighbours",
    "build_base",
    "calibration_kind",
    "parse_strategies",
    "sampler_class",
    "split_model",
]

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
StrategySpecs: TypeAlias = Sequence[str | Sampler] | Mapping[str, str | Sampler]
"""Strategies as given: names and sampler objects, or a dict {name: either}."""
_SUFFIXES = ("prior", "threshold")


@dataclass(frozen=True)
class Strategy:
    """One way of handling the imbalance: a base and an optional after-step."""

    name: str
    base: str  # "none", "weights" or "sampler"
    sampler: Sampler | None = None
    after: str | None = None  # None, "prior" or "threshold"

    @property
    def fit_key(self) -> str:
        """Strategies with the same key share their fitted models (the after-step is applied
        to the fitted model's probabilities)."""
        if self.base == "sampler":
            return f"sampler:{self.sampler!r}"
        return self.base


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


def _parse_one(spec: str | Sampler, random_state: int | None) -> Strategy:
    if not isinstance(spec, str) and is_sampler(spec):
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


def parse_strategies(specs: StrategySpecs, random_state: int | None) -> list[Strategy]:
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


def split_model(model: Estimator) -> tuple[list[tuple[str, Any]], Any]:
    """Preprocessing steps and the final classifier of a scikit-learn pipeline (or none)."""
    if isinstance(model, SkPipeline):
        return list(model.steps[:-1]), model.steps[-1][1]
    return [], model


def calibration_kind(strategy: Strategy) -> str:
    """``"prior"`` when Bayes' rule maps the strategy's probabilities back to the true priors
    (no change, class weights, samplers that reach known counts by drawing rows without regard
    to where they lie); ``"sigmoid"`` otherwise (cleaning samplers remove rows near the boundary,
    so the training priors do not describe the shift; a logistic map fitted on out-of-fold
    scores replaces the correction)."""
    if strategy.base != "sampler":
        return "prior"
    tags = getattr(get_tags(strategy.sampler), "sampler_tags", None)
    if tags is not None and tags.exact_counts and tags.kind in ("over", "under"):
        return "prior"
    return "sigmoid"


def adapt_neighbours(sampler: Sampler | None, n_minority: int) -> tuple[Sampler | None, str | None]:
    """A clone of ``sampler`` whose neighbour counts fit ``n_minority`` rows, and a note.

    SMOTE-family samplers need more rows of a class than neighbours (``k_neighbors`` or
    ADASYN's ``n_neighbors``); inner training folds of a small minority hold few. The count is
    lowered to ``n_minority - 1``; with fewer than 2 rows there is nothing to interpolate and
    ``None`` comes back (leave the strategy out).
    """
    tags = None if sampler is None else getattr(get_tags(sampler), "sampler_tags", None)
    if sampler is None or tags is None or not tags.synthetic:
        return sampler, None
    params = sampler.get_params(deep=False)
    if tags.kind == "combine" and "smote" in params:
        import imbalance.samplers as samplers

        inner = params["smote"] or samplers.SMOTE(
            sampling_strategy=params.get("sampling_strategy", "auto"),
            random_state=params.get("random_state"),
        )
        adapted, note = adapt_neighbours(inner, n_minority)
        if adapted is None or note is None:
            return (None if adapted is None else sampler), note
        return clone(sampler).set_params(smote=adapted), note
    key = "k_neighbors" if "k_neighbors" in params else "n_neighbors"
    k = params.get(key)
    if not isinstance(k, int) or k < n_minority:
        return sampler, None
    if n_minority < 2:
        return None, (
            f"{type(sampler).__name__} left out: training folds hold {n_minority} row(s) of the "
            "rarest class, too few to interpolate between."
        )
    note = (
        f"{type(sampler).__name__}: {key} lowered from {k} to {n_minority - 1}, as training "
        f"folds hold {n_minority} rows of the rarest class."
    )
    return clone(sampler).set_params(**{key: n_minority - 1}), note


def build_base(strategy: Strategy, model: Estimator) -> Any:
    """The estimator that applies ``strategy``'s base around ``model`` (no after-step).

    Samplers go after the model's preprocessing (so they see numbers) and before its
    classifier, as a :class:`~imbalance.pipeline.ResampledClassifier`; ``"weights"`` sets
    ``class_weight="balanced"`` on the classifier.
    """
    prep, clf = split_model(clone(model))
    if strategy.base == "weights":
        if "class_weight" not in clf.get_params():
            raise InvalidParameterError(
                f"strategy 'weights' needs a classifier with a class_weight parameter; "
                f"{type(clf).__name__} has none. Use a sampler strategy instead."
            )
        clf.set_params(class_weight="balanced")
    elif strategy.base == "sampler":
        clf = ResampledClassifier(clone(strategy.sampler), clf)
    return SkPipeline([*prep, ("classifier", clf)]) if prep else clf


def with_sampler(strategy: Strategy, sampler: Sampler) -> Strategy:
    """The same strategy with another sampler object (an adapted clone)."""
    return replace(strategy, sampler=sampler)
