"""AutoImbalanceClassifier: the strategy, the calibration and the threshold, chosen on the
training data alone."""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, MetaEstimatorMixin
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.validation import check_is_fitted

from .. import _containers
from .._typing import ArrayLike, Estimator, Label, Target
from .._validation import encode_target
from ..exceptions import InvalidDataError, InvalidParameterError
from ..metrics import THRESHOLD_METRICS, metric_from_counts
from ._candidates import (
    Strategy,
    StrategySpecs,
    adapt_neighbours,
    build_base,
    parse_strategies,
    split_model,
    with_sampler,
)
from ._fold_fits import (
    FoldOutput,
    apply_sigmoid,
    to_true_prior,
    training_counts,
)
from ._search import Blend, Candidate, ThresholdRule, cross_fit, members_of
from ._select import N_BOOT, Objective, select

__all__ = ["AutoImbalanceClassifier", "default_candidates"]

_DEPLOY = ("folds", "refit", "both")


def default_candidates(model: Estimator, X: ArrayLike) -> list[str]:
    """``none``, ``weights`` (when the classifier has ``class_weight``), ``ros`` and ``smote``
    (when the sampler will see numbers only); for ``HistGradientBoostingClassifier``, the
    blend ``none|smote`` alone (when SMOTE applies).

    Random under-sampling is not among them: it was the worst strategy with every model of
    the benchmark (docs/recommendation.md), and with gradient boosting on small training
    folds it leaves too few rows to split. Nor are class weights for
    ``HistGradientBoostingClassifier``: with weights it bins the features by weighted
    percentiles, 10 to 100 times slower than its own fit (random over-sampling plays the same
    part). Name either in ``strategies`` to try it. With gradient boosting, the mean of the
    plain model's and SMOTE's calibrated probabilities beat choosing among none, ROS and SMOTE
    on the 8 sets of the threshold study and the 33 of the benchmark (the choice follows the
    noise of inner folds with 10 to 30 minority rows; docs/recommendation.md).

    Examples
    --------
    >>> from sklearn.ensemble import HistGradientBoostingClassifier
    >>> from sklearn.linear_model import LogisticRegression
    >>> from imbalance.auto import default_candidates
    >>> default_candidates(LogisticRegression(), [[0.0, 1.0]])
    ['none', 'weights', 'ros', 'smote']
    >>> default_candidates(HistGradientBoostingClassifier(), [[0.0, 1.0]])
    ['none|smote']
    """
    prep, clf = split_model(model)
    numeric = bool(prep) or _all_numeric(X)
    if isinstance(clf, HistGradientBoostingClassifier) and numeric:
        return ["none|smote"]
    names = ["none"]
    if "class_weight" in clf.get_params() and not isinstance(clf, HistGradientBoostingClassifier):
        names.append("weights")
    names += ["ros"]
    if numeric:
        names.append("smote")
    return names


def _spec_name(spec: Any) -> str:
    return spec.strip().lower() if isinstance(spec, str) else type(spec).__name__


def _all_numeric(X: ArrayLike) -> bool:
    if _containers.is_frame(X):
        return len(_containers.numeric_column_positions(X)) == _containers.shape_2d(X)[1]
    return np.asarray(X).dtype.kind in "biuf"


class AutoImbalanceClassifier(MetaEstimatorMixin, ClassifierMixin, BaseEstimator):
    """Handle the imbalance the way that works on *this* data, with honest probabilities.

    ``fit`` cross-validates the candidate strategies (doing nothing, class weights, random
    over-sampling, SMOTE) on the training data it is given, maps each one's out-of-fold
    probabilities back to the true class priors (prior correction; a sigmoid fitted out of fold
    for cleaning samplers, where the priors do not describe the shift) and chooses a decision
    threshold for ``metric`` on them. It keeps the candidate whose decisions score best among
    those whose probabilities are no worse than the plain model's (Brier score no higher,
    average precision no lower, out of fold), so it never buys decisions with probabilities.
    After the first fold only the plain model and the most promising other candidate go on
    (successive halving). With ``HistGradientBoostingClassifier`` the default candidate is the
    blend ``none|smote``: the mean of the plain model's and SMOTE's calibrated probabilities,
    which beat choosing between them on the measured data (docs/recommendation.md). The
    deployed model averages the chosen candidate refitted on all the rows (weight 1/2) and its
    fold models (1/2 between them), which produced the out-of-fold probabilities the threshold
    was chosen on. Nothing but the training data is used, so the estimator nests in
    cross-validation. docs/recommendation.md gives the measurements behind each choice.

    Parameters
    ----------
    estimator : classifier, default=None
        The model (with ``predict_proba``). A scikit-learn Pipeline's preprocessing runs before
        the sampler. Default: standard scaling and logistic regression.
    metric : {"mcc", "f1", "fbeta", "balanced_accuracy", "g_mean", "cost"}, default="mcc"
        What the decisions (``predict``) should maximise; ``"cost"`` minimises the mean cost of
        ``cost_matrix``.
    beta : float, default=1.0
        The weight of recall in ``"fbeta"``.
    cost_matrix : array-like of shape (2, 2), default=None
        ``[[C_tn, C_fp], [C_fn, C_tp]]`` (rows: true class, columns: decision), for
        ``metric="cost"``.
    pos_label : label, default=None
        The class a positive decision means; default the rarest class.
    strategies : "auto" or list, default="auto"
        Candidates, as in :func:`~imbalance.report.compare_strategies` (names or sampler
        objects; ``+prior`` and ``+threshold`` are implied), and blends: names joined by ``|``
        (``"none|smote"``), a candidate whose probabilities are the mean of its members'
        calibrated ones (each member fitted once, also when it is a candidate itself).
        ``"auto"``: :func:`default_candidates`.
    cv : int, default=4
        Inner stratified folds (lowered to the size of the rarest class when it is smaller).
        Four keeps the fit within about 15 times the model's own (each candidate that goes on
        is fitted once per fold, on three quarters of the rows).
    threshold : "auto", "empirical" or float, default="auto"
        ``"auto"``: the median over 30 bootstrap resamples of the argmax of the metric over
        expected counts (half the labels, half the calibrated probabilities; the labels alone
        for balanced accuracy and G-mean);
        ``"empirical"``: the argmax over the labels alone (``TunedThresholdClassifierCV``'s
        rule); a float: that threshold.
    deploy : {"both", "folds", "refit"}, default="both"
        What ``predict_proba`` averages: the refitted model and the fold models (half each),
        the fold models only (no refit: the fastest fit), or the refitted model only.
    n_jobs : int, default=None
        Folds run in parallel with joblib (each fold fits every surviving candidate).
    random_state : int or None, default=None
        Seeds the folds, the samplers and (where it has one) the classifier.

    Attributes
    ----------
    classes_ : ndarray of shape (2,)
    pos_label_ : label
        The positive class.
    strategy_ : str
        The chosen candidate.
    calibration_ : {"prior", "sigmoid"}
        How its probabilities are mapped back to the true priors (for a blend whose members
        differ, both joined by ``/``).
    threshold_ : float
        ``predict`` says ``pos_label_`` when ``predict_proba[:, pos] >= threshold_``.
    estimators_ : list of classifiers
        The deployed models (preprocessing included): the chosen candidate (each member of a
        blend) fitted on each training fold and/or on all the rows, as ``deploy`` says;
        ``predict_proba`` averages their calibrated probabilities.
    cv_results_ : dict of {str: dict}
        Per candidate: ``threshold``, ``value`` (the metric out of fold at that threshold),
        ``brier``, ``average_precision``, ``n_scored`` (rows scored: fewer when dropped early),
        ``fit_seconds`` and ``dropped`` (False, or why).
    reason_ : str
        Why the chosen candidate won.
    notes_ : list of str
        Adaptations made on the way (SMOTE's k lowered, folds lowered, a candidate left out).
    n_features_in_ : int

    See Also
    --------
    imbalance.report.compare_strategies : the same candidates, cross-validated and reported.
    imbalance.calibration.PriorCorrectedClassifier : prior correction alone.

    Examples
    --------
    >>> from imbalance.auto import AutoImbalanceClassifier
    >>> from imbalance.datasets import load_yeast4
    >>> X, y = load_yeast4(return_X_y=True)
    >>> model = AutoImbalanceClassifier(metric="mcc", random_state=0).fit(X, y)
    >>> model.strategy_ in model.cv_results_
    True
    >>> bool(((model.predict_proba(X)[:, 1] >= model.threshold_) == (model.predict(X) == 1)).all())
    True
    """

    def __init__(
        self,
        estimator: Estimator | None = None,
        *,
        metric: str = "mcc",
        beta: float = 1.0,
        cost_matrix: ArrayLike | None = None,
        pos_label: Label | None = None,
        strategies: str | StrategySpecs = "auto",
        cv: int = 4,
        threshold: str | float = "auto",
        deploy: str = "both",
        n_jobs: int | None = None,
        random_state: int | None = None,
    ) -> None:
        self.estimator = estimator
        self.metric = metric
        self.beta = beta
        self.cost_matrix = cost_matrix
        self.pos_label = pos_label
        self.strategies = strategies
        self.cv = cv
        self.threshold = threshold
        self.deploy = deploy
        self.n_jobs = n_jobs
        self.random_state = random_state

    # ------------------------------------------------------------------ checks

    def _objective(self) -> Objective:
        if self.metric not in THRESHOLD_METRICS:
            raise InvalidParameterError(
                f"metric={self.metric!r} is not known; use one of {', '.join(THRESHOLD_METRICS)}."
            )
        metric_from_counts(self.metric, 1, 0, 0, 1, beta=self.beta, cost_matrix=self.cost_matrix)
        return Objective(self.metric, float(self.beta), self.cost_matrix)

    def _rule(self) -> ThresholdRule:
        seed = self.random_state if isinstance(self.random_state, int) else 0
        if self.threshold == "auto":
            return ThresholdRule(None, N_BOOT, seed)
        if self.threshold == "empirical":
            return ThresholdRule(1.0, 0, seed)
        is_number = isinstance(self.threshold, int | float) and not isinstance(self.threshold, bool)
        if is_number and 0.0 <= float(self.threshold) <= 1.0:
            return ThresholdRule(None, 0, seed, fixed=float(self.threshold))
        raise InvalidParameterError(
            f"threshold={self.threshold!r} must be 'auto', 'empirical' or a probability in [0, 1]."
        )

    def _model(self, X: ArrayLike) -> Estimator:
        model = self.estimator
        if model is None:
            model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
        _, clf = split_model(model)
        if not hasattr(clf, "predict_proba"):
            raise InvalidParameterError(
                f"AutoImbalanceClassifier calibrates probabilities, but {type(clf).__name__} "
                "has no predict_proba. Use a classifier that has one (or wrap it: "
                "CalibratedClassifierCV(estimator))."
            )
        if self.random_state is not None and "random_state" in clf.get_params():
            from sklearn.base import clone

            model = clone(model)
            _, clf = split_model(model)
            clf.set_params(random_state=self.random_state)
        return model

    def _target(self, y: Target, n_samples: int) -> tuple[np.ndarray, Label, np.ndarray]:
        labels = _containers.target_to_numpy(_containers.as_supported(y, name="y"))
        if labels.ndim != 1 or len(labels) != n_samples:
            raise InvalidDataError(
                f"y must hold one label per row of X ({n_samples}); got shape {labels.shape}."
            )
        target = encode_target(labels)
        if len(target.classes) != 2:
            raise InvalidDataError(
                f"AutoImbalanceClassifier decides with a threshold on P(positive) and needs two "
                f"classes; y has {len(target.classes)} ({target.classes[:5]!r}). Use "
                "imbalance.report.compare_strategies for several classes."
            )
        classes = np.asarray(target.classes)
        if self.pos_label is None:
            positive = classes[int(np.argmin(target.counts))]
        elif self.pos_label in target.classes:
            positive = classes[target.classes.index(self.pos_label)]
        else:
            raise InvalidParameterError(
                f"pos_label={self.pos_label!r} is not a class of y ({target.classes!r})."
            )
        return labels, positive, classes

    # ------------------------------------------------------------------ fit

    def fit(self, X: ArrayLike, y: Target) -> AutoImbalanceClassifier:
        """Choose the strategy, the calibration and the threshold; refit the choice.

        Parameters
        ----------
        X : {array-like, DataFrame} of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
            Two classes.

        Returns
        -------
        self : AutoImbalanceClassifier
        """
        objective, rule = self._objective(), self._rule()
        X = _containers.as_supported(X)
        n_samples = _containers.shape_2d(X)[0]
        labels, positive, classes = self._target(y, n_samples)
        y01 = (labels == positive).astype(np.int64)
        model = self._model(X)
        self.notes_: list[str] = []
        folds = self._folds(y01)
        candidates = self._candidates(model, X, y01, folds)
        oof = cross_fit(
            candidates, model, X, labels, positive, folds, objective, rule, n_jobs=self.n_jobs
        )
        self.notes_ += [
            f"{name} left out: {entry['dropped']}"
            for name, entry in oof.items()
            if str(entry["dropped"]).startswith("failed")
        ]
        scores = [oof[c.name]["score"] for c in candidates if not oof[c.name]["dropped"]]
        chosen, self.reason_ = select(scores, objective)
        self.strategy_ = chosen.name
        candidate = next(c for c in candidates if c.name == chosen.name)
        self._deploy(candidate, oof, model, X, labels, positive)
        self.threshold_ = chosen.threshold
        self.classes_, self.pos_label_ = classes, positive
        self.cv_results_ = {
            c.name: {
                **(oof[c.name]["score"].as_dict() if "score" in oof[c.name] else {}),
                "calibration": oof[c.name].get("calibration"),
                "fit_seconds": oof[c.name]["fit_seconds"],
                "dropped": oof[c.name]["dropped"],
            }
            for c in candidates
        }
        self.n_features_in_ = _containers.shape_2d(X)[1]
        return self

    def _folds(self, y01: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
        n_min = int(min(y01.sum(), len(y01) - y01.sum()))
        if n_min < 2:
            raise InvalidDataError(
                f"the rarest class has {n_min} row(s); choosing a strategy needs at least 2 "
                "(one to train on, one to check)."
            )
        if not isinstance(self.cv, int) or self.cv < 2:
            raise InvalidParameterError(f"cv={self.cv!r} must be an integer >= 2.")
        cv = self.cv
        if n_min < cv:
            self.notes_.append(f"cv lowered from {cv} to {n_min}: the rarest class has {n_min}.")
            cv = n_min
        splitter = StratifiedKFold(cv, shuffle=True, random_state=self.random_state)
        return list(splitter.split(np.zeros(len(y01)), y01))

    def _candidates(
        self,
        model: Estimator,
        X: ArrayLike,
        y01: np.ndarray,
        folds: list[tuple[np.ndarray, np.ndarray]],
    ) -> list[Candidate]:
        names = default_candidates(model, X) if self.strategies == "auto" else self.strategies
        n_min_train = int(min(y01[train].sum() for train, _ in folds))
        n_min_train = min(n_min_train, int(min(len(tr) - y01[tr].sum() for tr, _ in folds)))
        specs = list(names.items()) if isinstance(names, dict) else [(None, n) for n in names]
        given = [str(k) if k is not None else _spec_name(v) for k, v in specs]
        if not specs or len(set(given)) != len(given):
            raise InvalidParameterError(
                f"strategy names must be unique and non-empty; got {given}."
            )
        out: list[Candidate] = []
        for key, spec in specs:
            if isinstance(spec, str) and "|" in spec:
                members: dict[str, Strategy] = {}
                for part in spec.split("|"):
                    one = self._one(part.strip(), None, n_min_train)
                    if one is not None:
                        members.setdefault(one.name, one)
                kept = tuple(members.values())
                if len(kept) > 1:
                    out.append(Blend(key or "|".join(members), kept))
                elif kept:
                    out.append(kept[0])
                continue
            one = self._one(spec, key, n_min_train)
            if one is not None:
                out.append(one)
        unique: list[Candidate] = []
        for c in out:
            if c.name not in [u.name for u in unique]:
                unique.append(c)
        if not unique:
            raise InvalidDataError("no candidate strategy is left: " + " ".join(self.notes_))
        return unique

    def _one(self, spec: str | Any, key: str | None, n_min_train: int) -> Strategy | None:
        """One strategy from its spec (``+prior`` and ``+threshold`` implied), its sampler's
        neighbours fitted to the training folds; None when it cannot apply (with a note)."""
        parsed = parse_strategies({key: spec} if key is not None else [spec], self.random_state)
        s = parsed[0]
        if s.after == "threshold" or s.after == "prior":
            s = Strategy(s.name.partition("+")[0], s.base, s.sampler, None)
        if s.base == "sampler":
            sampler, note = adapt_neighbours(s.sampler, n_min_train)
            if note:
                self.notes_.append(note)
            if sampler is None:
                return None
            s = with_sampler(s, sampler)
        return s

    def _deploy(
        self,
        candidate: Candidate,
        state: dict[str, dict[str, Any]],
        model: Estimator,
        X: ArrayLike,
        labels: np.ndarray,
        positive: Label,
    ) -> None:
        """The deployed models of the chosen candidate (of each member of a blend, each member
        weighing the same), with the priors or sigmoid that calibrate each."""
        if self.deploy not in _DEPLOY:
            raise InvalidParameterError(
                f"deploy={self.deploy!r} must be one of {', '.join(map(repr, _DEPLOY))}."
            )
        share = {"folds": 0.0, "refit": 1.0, "both": 0.5}[self.deploy]
        parts = members_of(candidate)
        members: list[tuple[Any, float, float, float, Any]] = []
        for strategy in parts:
            entry = state[strategy.name]
            fits: list[FoldOutput] = entry["fits"]
            weight = (1 - share) / len(fits) / len(parts)
            if weight > 0:
                sigmoid = entry["map"]
                members += [(f.model, *f.positive(positive)[1:], weight, sigmoid) for f in fits]
            if share > 0:
                est = build_base(strategy, model).fit(X, labels)
                seen, given = training_counts(est, labels)
                p_seen = seen[positive] / sum(seen.values())
                p_given = given[positive] / sum(given.values())
                members.append((est, p_seen, p_given, share / len(parts), entry["map"]))
            for fit in fits:
                fit.model = None
        self.estimators_ = [m[0] for m in members]
        self._members = [m[1:] for m in members]
        self.calibration_ = state[candidate.name]["calibration"]

    # ------------------------------------------------------------------ predict

    def predict_proba(self, X: ArrayLike) -> np.ndarray:
        """Calibrated class probabilities (columns in the order of ``classes_``): the weighted
        mean over the deployed models of their probabilities mapped back to the true priors."""
        check_is_fitted(self, "estimators_")
        p = np.zeros(_containers.n_rows(X))
        for est, (train_prior, true_prior, w, sigmoid) in zip(
            self.estimators_, self._members, strict=True
        ):
            raw = np.asarray(est.predict_proba(X), dtype=np.float64)
            col = int(np.flatnonzero(np.asarray(est.classes_) == self.pos_label_)[0])
            if sigmoid is None:
                p += w * to_true_prior(raw[:, col], train_prior, true_prior)
            else:
                p += w * apply_sigmoid(raw[:, col], *sigmoid)
        pos = int(np.flatnonzero(self.classes_ == self.pos_label_)[0])
        out = np.empty((len(p), 2))
        out[:, pos], out[:, 1 - pos] = p, 1.0 - p
        return out

    def predict(self, X: ArrayLike) -> np.ndarray:
        """``pos_label_`` where its calibrated probability reaches ``threshold_``."""
        proba = self.predict_proba(X)
        pos = int(np.flatnonzero(self.classes_ == self.pos_label_)[0])
        return self.classes_[np.where(proba[:, pos] >= self.threshold_, pos, 1 - pos)]
