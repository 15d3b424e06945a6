"""# The protein-atlas workflow: 28 labels, one at 0.04 %, hundreds of label combinations

The Human Protein Atlas image competition (Kaggle, 2018) asked for the subcellular locations of
proteins in 31,072 images, 28 labels, several per image: Nucleoplasm on 41 % of the images,
Rods & rings on 11 of them. This script runs the workflow on a synthetic stand-in with the same
label frequencies (see ``make_protein_atlas_like``):

1. look at the imbalance (``multilabel_summary``);
2. split with iterative stratification, and see what a random split would have lost;
3. train a linear model in PyTorch four ways: plain BCE, BCE with ``pos_weight``, focal loss with
   ``pos_weight`` (``imbalance.torch.FocalLoss``), and BCE after ML-ROS on the training part;
4. evaluate per-label F1 and the macro / micro averages on the untouched test part.

Run: ``python examples/protein_atlas_multilabel.py [--rows 20000] [--epochs 200]``
"""

from __future__ import annotations

import argparse
from typing import Any

import numpy as np
from sklearn.metrics import f1_score
from sklearn.model_selection import KFold, train_test_split

from imbalance.multilabel import (
    MLROS,
    MultilabelStratifiedKFold,
    label_pos_weight,
    multilabel_summary,
    multilabel_train_test_split,
    stratification_quality,
)

LOCATIONS = [
    "Nucleoplasm", "Nuclear membrane", "Nucleoli", "Nucleoli fibrillar center",
    "Nuclear speckles", "Nuclear bodies", "Endoplasmic reticulum", "Golgi apparatus",
    "Peroxisomes", "Endosomes", "Lysosomes", "Intermediate filaments", "Actin filaments",
    "Focal adhesion sites", "Microtubules", "Microtubule ends", "Cytokinetic bridge",
    "Mitotic spindle", "Microtubule organizing center", "Centrosome", "Lipid droplets",
    "Plasma membrane", "Cell junctions", "Mitochondria", "Aggresome", "Cytosol",
    "Cytoplasmic bodies", "Rods & rings",
]  # fmt: skip
# Images per location in the competition's training set (31,072 images), as widely reported.
COUNTS = np.array(
    [12885, 1254, 3621, 1561, 1858, 2513, 1008, 2822, 53, 45, 28, 1093, 688, 537,
     1066, 21, 530, 210, 902, 1482, 172, 3777, 802, 2965, 322, 8228, 328, 11]
)  # fmt: skip


def make_protein_atlas_like(
    n_rows: int, n_features: int = 64, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Labels with the competition's frequencies, and features that depend on the labels.

    ``sklearn.datasets.make_multilabel_classification`` draws its label frequencies at random
    and cannot be given them, so the generative idea is kept (labels first, then features given
    the labels) with the frequencies set: each label is the top share of a latent score, and
    the scores share four factors, so locations co-occur. Every image gets at least one label.
    The features are a noisy sum of one random prototype per label present.
    """
    rng = np.random.default_rng(seed)
    share = COUNTS / 31072
    scores = rng.normal(size=(n_rows, 4)) @ rng.normal(0, 0.7, size=(4, 28))
    scores += rng.normal(size=(n_rows, 28))
    cut = [np.quantile(scores[:, j], 1 - share[j]) for j in range(28)]
    margin = scores - np.asarray(cut)
    Y = (margin > 0).astype(np.int64)
    empty = Y.sum(axis=1) == 0
    Y[np.flatnonzero(empty), np.argmax(margin[empty] / share, axis=1)] = 1
    prototypes = rng.normal(size=(28, n_features))
    X = Y @ prototypes + rng.normal(scale=2.5, size=(n_rows, n_features))
    return X.astype(np.float32), Y


def inspect(Y: np.ndarray) -> None:
    s = multilabel_summary(Y)
    print(
        f"{s['n_samples']:,} images, {s['n_labels']} labels, {s['cardinality']:.2f} per image, "
        f"{s['n_label_combinations']} label combinations"
    )
    print(
        f"MeanIR {s['mean_ir']:.1f}, MaxIR {s['max_ir']:.0f}, CVIR {s['cvir']:.2f}, "
        f"SCUMBLE {s['scumble']:.3f}"
    )
    rare = sorted(s["labels"], key=lambda entry: entry["count"])[:4]
    print("rarest:", ", ".join(f"{LOCATIONS[e['label']]} ({e['count']})" for e in rare))


def compare_splits(X: np.ndarray, Y: np.ndarray) -> None:
    """What a random split and plain KFold lose, that iterative stratification keeps."""
    _, _, _, Y_test = train_test_split(X, Y, test_size=0.2, random_state=0)
    lost = [LOCATIONS[j] for j in np.flatnonzero(Y_test.sum(axis=0) == 0)]
    print(f"random 80/20 split: {len(lost)} label(s) absent from the test part {lost}")
    parts = {
        "KFold": [t for _, t in KFold(5, shuffle=True, random_state=0).split(X)],
        "MultilabelStratifiedKFold": [
            t for _, t in MultilabelStratifiedKFold(5, shuffle=True, random_state=0).split(X, Y)
        ],
    }
    for name, folds in parts.items():
        q = stratification_quality(Y, folds)
        print(
            f"{name:>26}: (label, fold) pairs without a positive {q['zero_positive_parts']:.0f}, "
            f"mean relative deviation of label shares {q['mean_relative_deviation']:.2f}"
        )


def train(X: np.ndarray, Y: np.ndarray, criterion: Any, epochs: int, seed: int = 0) -> Any:
    """A linear model (one logistic output per label), full batch, Adam."""
    import torch

    torch.manual_seed(seed)
    torch.set_num_threads(1)  # a model this small trains fastest on one thread
    model = torch.nn.Linear(X.shape[1], Y.shape[1])
    optimiser = torch.optim.Adam(model.parameters(), lr=0.05)
    inputs, targets = torch.as_tensor(X), torch.as_tensor(Y, dtype=torch.float32)
    for _ in range(epochs):
        optimiser.zero_grad()
        criterion(model(inputs), targets).backward()
        optimiser.step()
    return model


def evaluate(model: Any, X: np.ndarray, Y: np.ndarray) -> np.ndarray:
    import torch

    with torch.no_grad():
        predicted = (model(torch.as_tensor(X)) > 0).numpy().astype(int)
    return np.asarray(f1_score(Y, predicted, average=None, zero_division=0.0))


def main(argv: list[str] | None = None) -> dict[str, tuple[float, float]]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0].lstrip("# "))
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--epochs", type=int, default=200)
    args = parser.parse_args(argv)
    try:
        import torch
    except ImportError:  # pragma: no cover - the example needs the torch extra
        raise SystemExit('This example trains in PyTorch: pip install "imbalance[torch]"') from None
    from imbalance.torch import FocalLoss

    X, Y = make_protein_atlas_like(args.rows)
    print("== 1. the imbalance")
    inspect(Y)
    print("\n== 2. the split")
    compare_splits(X, Y)
    X_train, X_test, Y_train, Y_test = multilabel_train_test_split(
        X, Y, stratify=Y, test_size=0.2, random_state=0
    )
    enough = Y.sum(axis=0) >= 5  # one image per 20 % of the data
    kept = (Y_train.sum(axis=0) > 0) & (Y_test.sum(axis=0) > 0)
    print(
        f"iterative stratification 80/20: labels with 5+ images present in both parts: "
        f"{int(kept[enough].sum())}/{int(enough.sum())}"
    )

    print("\n== 3. training, 4. per-label F1 on the test part")
    weight = torch.as_tensor(label_pos_weight(Y_train, beta=0.999), dtype=torch.float32)
    X_ros, Y_ros = MLROS(percentage=25, random_state=0).fit_resample(X_train, Y_train)
    runs = {
        "BCE": (X_train, Y_train, torch.nn.BCEWithLogitsLoss()),
        "BCE + pos_weight": (X_train, Y_train, torch.nn.BCEWithLogitsLoss(pos_weight=weight)),
        "focal + pos_weight": (X_train, Y_train, FocalLoss(gamma=2.0, pos_weight=weight)),
        "ML-ROS + BCE": (X_ros, Y_ros, torch.nn.BCEWithLogitsLoss()),
    }
    rare = np.argsort(Y.sum(axis=0))[:6]
    print(f"{'':>20} {'macro F1':>8} {'micro F1':>8}   " + " ".join(f"{j:>5}" for j in rare))
    results = {}
    for name, (X_fit, Y_fit, criterion) in runs.items():
        model = train(X_fit, Y_fit, criterion, args.epochs)
        per_label = evaluate(model, X_test, Y_test)
        with torch.no_grad():
            predicted = (model(torch.as_tensor(X_test)) > 0).numpy().astype(int)
        micro = float(f1_score(Y_test, predicted, average="micro", zero_division=0.0))
        results[name] = (float(per_label.mean()), micro)
        print(
            f"{name:>20} {per_label.mean():8.3f} {micro:8.3f}   "
            + " ".join(f"{per_label[j]:5.2f}" for j in rare)
        )
    print("(columns on the right: F1 of the six rarest labels, by label number)")
    return results


if __name__ == "__main__":
    main()
