"""Classification quality of SMOTEENN, SMOTETomek and the balanced ensembles: ours against
imbalanced-learn, on the real data sets and protocol of ``bench/quality.py``.

For each data set, 5-fold stratified CV with the folds of ``quality.py``; the training fold is
standardised. SMOTEENN and SMOTETomek resample it and a logistic regression and a gradient
boosting (50 trees) are fitted, as in ``quality.py``; each balanced ensemble is fitted on it
directly (BalancedRandomForest 100 trees, BalancedBagging 10 trees, EasyEnsemble 10 x AdaBoost
50, RUSBoost 50 stumps... the libraries' defaults). The untouched test fold gives PR-AUC and
G-mean at 0.5. The goal (issue 4) is agreement of the means within 0.01; the last column is the
noise floor, imbalanced-learn against itself with another seed.

    nice python bench/quality_cleaning.py                  # 14 data sets, seed 0
    nice python bench/quality_cleaning.py --datasets yeast4 pima --seeds 0 1
    nice python bench/quality_cleaning.py --methods RUSBoost SMOTEENN --seeds 0 1 2 3
"""

from __future__ import annotations

import argparse
import time
import warnings
from collections import defaultdict
from typing import Any

import numpy as np
from imblearn import combine as imb_combine
from imblearn import ensemble as imb_ensemble
from quality import DATASETS, MODELS, g_mean, load
from sklearn.metrics import average_precision_score
from sklearn.model_selection import StratifiedKFold
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

from imbalance import ensemble
from imbalance.samplers import SMOTEENN, SMOTETomek

SAMPLERS = {
    "SMOTEENN": (SMOTEENN, imb_combine.SMOTEENN),
    "SMOTETomek": (SMOTETomek, imb_combine.SMOTETomek),
}
ENSEMBLES = {
    "BalancedRandomForest": (
        ensemble.BalancedRandomForestClassifier,
        imb_ensemble.BalancedRandomForestClassifier,
    ),
    "BalancedBagging": (
        ensemble.BalancedBaggingClassifier,
        imb_ensemble.BalancedBaggingClassifier,
    ),
    "EasyEnsemble": (ensemble.EasyEnsembleClassifier, imb_ensemble.EasyEnsembleClassifier),
    "RUSBoost": (ensemble.RUSBoostClassifier, imb_ensemble.RUSBoostClassifier),
}


def _scores(y_test: np.ndarray, proba: np.ndarray) -> tuple[float, float]:
    return average_precision_score(y_test, proba), g_mean(y_test, proba >= 0.5)


def evaluate(X: np.ndarray, y: np.ndarray, make: Any, seed: int, kind: str) -> dict[str, Any]:
    """Mean (PR-AUC, G-mean) over the folds, per model (samplers) or for the ensemble."""
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=seed)
    scores: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for train, test in folds.split(X, y):
        scaler = StandardScaler().fit(X[train])
        X_train, X_test = scaler.transform(X[train]), scaler.transform(X[test])
        if kind == "sampler":
            X_res, y_res = make(random_state=seed).fit_resample(X_train, y[train])
            for name, model in MODELS.items():
                proba = model().fit(X_res, y_res).predict_proba(X_test)[:, 1]
                scores[name].append(_scores(y[test], proba))
        else:
            clf = make(random_state=seed).fit(X_train, y[train])
            scores["ensemble"].append(_scores(y[test], clf.predict_proba(X_test)[:, 1]))
    return {name: tuple(np.mean(v, axis=0)) for name, v in scores.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    parser.add_argument("--datasets", nargs="+", default=list(DATASETS))
    parser.add_argument("--methods", nargs="+", default=[*SAMPLERS, *ENSEMBLES])
    args = parser.parse_args()
    warnings.filterwarnings("ignore")
    start = time.perf_counter()
    results: dict[tuple[str, str, str], dict[str, list[float]]] = defaultdict(
        lambda: defaultdict(list)
    )
    failures: list[str] = []
    cases = [(n, c, "sampler") for n, c in SAMPLERS.items() if n in args.methods]
    cases += [(n, c, "ensemble") for n, c in ENSEMBLES.items() if n in args.methods]
    with threadpool_limits(limits=1):
        for dataset in args.datasets:
            X, y = load(dataset)
            print(f"{dataset}: {X.shape[0]} x {X.shape[1]}, minority {y.sum()}", flush=True)
            for seed in args.seeds:
                for name, (ours_cls, imb_cls), kind in cases:
                    try:
                        theirs = evaluate(X, y, imb_cls, seed, kind)
                    except (RuntimeError, ValueError) as exc:
                        failures.append(f"{dataset} seed {seed} imbalanced-learn {name}: {exc}")
                        continue
                    try:
                        ours = evaluate(X, y, ours_cls, seed, kind)
                        again = evaluate(X, y, imb_cls, seed + 1000, kind)
                    except (RuntimeError, ValueError) as exc:
                        failures.append(f"{dataset} seed {seed} ours or other seed {name}: {exc}")
                        continue
                    for model in ours:
                        for m, metric in enumerate(("PR-AUC", "G-mean")):
                            cell = results[(name, model, metric)]
                            cell["ours"].append(ours[model][m])
                            cell["imblearn"].append(theirs[model][m])
                            cell["again"].append(again[model][m])
    print(
        "\n| method | model | metric | imbalanced-learn | ours | difference | within 0.01 "
        "| imbalanced-learn, other seed: difference |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for (name, model, metric), cell in results.items():
        a, b = np.mean(cell["imblearn"]), np.mean(cell["ours"])
        floor = np.mean(cell["again"]) - a
        ok = "yes" if abs(b - a) <= 0.01 else "no"
        print(
            f"| {name} | {model} | {metric} | {a:.4f} | {b:.4f} | {b - a:+.4f} | {ok} "
            f"| {floor:+.4f} |"
        )
    print(
        f"\n{len(args.datasets)} data sets x {len(args.seeds)} seed(s) x 5 folds, "
        f"{time.perf_counter() - start:.0f} s"
    )
    for line in failures:
        print("skipped:", line)


if __name__ == "__main__":
    main()
