"""# The practitioner's workflow, done right

A rare class (here: malignant tumours made rare, 1 in 11, from scikit-learn's bundled breast
cancer data), a pandas DataFrame, and three ways to handle the imbalance, each evaluated with
cross-validation in which validation rows are never resampled:

1. a hand-written fold loop (the shape a PyTorch or fastai loop takes), under-sampling the
   common class to 3:1 inside the training part only;
2. the same as one scikit-learn estimator, ``ResampledClassifier``, in ``cross_validate``;
3. no resampling at all: class weights from ``imbalance.weights``.

Run: ``python examples/quickstart.py``
"""

from __future__ import annotations

import pandas as pd
from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score, balanced_accuracy_score
from sklearn.model_selection import StratifiedKFold, cross_validate
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from imbalance.datasets import make_imbalance
from imbalance.model_selection import resampled_splits
from imbalance.pipeline import ResampledClassifier
from imbalance.samplers import RandomOverSampler, RandomUnderSampler
from imbalance.weights import class_weights


def load() -> tuple[pd.DataFrame, pd.Series]:
    frame = load_breast_cancer(as_frame=True).frame
    frame["malignant"] = (frame.pop("target") == 0).astype(int)
    X, y = frame.drop(columns="malignant"), frame["malignant"]
    # keep 32 of the 212 malignant rows: 357 benign to 32 malignant, about 11:1
    return make_imbalance(X, y, sampling_strategy={1: 32}, random_state=42)


def main() -> None:
    X, y = load()
    print(f"{len(y)} rows, class counts {y.value_counts().sort_index().to_dict()}")
    cv = StratifiedKFold(n_splits=5, shuffle=True, random_state=42)
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))

    # 1. A hand-written loop: resample the training part of each fold, never the validation part.
    under = RandomUnderSampler(sampling_strategy=1 / 3, random_state=42)  # 3 common : 1 rare
    ap, bacc = [], []
    for X_train, y_train, X_val, y_val in resampled_splits(cv, X, y, under):
        assert not X_train.index.isin(X_val.index).any(), "a validation row leaked into training"
        model.fit(X_train, y_train)
        ap.append(average_precision_score(y_val, model.predict_proba(X_val)[:, 1]))
        bacc.append(balanced_accuracy_score(y_val, model.predict(X_val)))
    report("under-sampled 3:1, hand-written folds", ap, bacc)

    # 2. The same rule as one estimator, usable anywhere scikit-learn takes a classifier.
    scoring = ["average_precision", "balanced_accuracy"]
    for name, sampler in [
        ("under-sampled 3:1, ResampledClassifier", under),
        ("over-sampled 1:1, ResampledClassifier", RandomOverSampler(random_state=42)),
    ]:
        scores = cross_validate(ResampledClassifier(sampler, model), X, y, cv=cv, scoring=scoring)
        report(name, scores["test_average_precision"], scores["test_balanced_accuracy"])

    # 3. Weights instead of resampling: every row is used, the rare class counts more.
    weights = class_weights(y, scheme="balanced")
    print(f"class weights (balanced): { {k: round(v, 2) for k, v in weights.items()} }")
    weighted = make_pipeline(
        StandardScaler(), LogisticRegression(max_iter=1000, class_weight=weights)
    )
    scores = cross_validate(weighted, X, y, cv=cv, scoring=scoring)
    report(
        "class weights, no resampling",
        scores["test_average_precision"],
        scores["test_balanced_accuracy"],
    )

    plain = cross_validate(model, X, y, cv=cv, scoring=scoring)
    report("nothing done", plain["test_average_precision"], plain["test_balanced_accuracy"])


def report(name: str, ap: object, bacc: object) -> None:
    ap_s, bacc_s = pd.Series(ap), pd.Series(bacc)
    print(
        f"{name:<42} average precision {ap_s.mean():.3f} ± {ap_s.std():.3f}   "
        f"balanced accuracy {bacc_s.mean():.3f} ± {bacc_s.std():.3f}"
    )


if __name__ == "__main__":
    main()
