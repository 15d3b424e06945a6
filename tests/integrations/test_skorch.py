"""skorch 1.4: our losses as skorch criteria, tuned by GridSearchCV, inside ResampledClassifier.

Our losses take plain keyword arguments, so ``criterion__gamma=...`` routes and grid-searches
like any skorch parameter, and class weights from ``imbalance.weights`` route as
``criterion__weight``. skorch turns outputs into probabilities only for its own criteria
(``CrossEntropyLoss``, ``BCEWithLogitsLoss``): with ours, pass ``predict_nonlinearity``, or
``predict_proba`` returns logits (and the binary classifier thresholds them at 0.5). The
``--8<--`` region is included in docs/torch-losses.md.
"""
# ruff: noqa: E402

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

pytest.importorskip("skorch")
torch = pytest.importorskip("torch")

# --8<-- [start:skorch]
from functools import partial

from sklearn.model_selection import GridSearchCV
from skorch import NeuralNetBinaryClassifier, NeuralNetClassifier
from torch import nn

from imbalance.pipeline import ResampledClassifier
from imbalance.samplers import RandomUnderSampler
from imbalance.torch import FocalLoss, SoftmaxFocalLoss
from imbalance.weights import class_weights


class MLP(nn.Module):
    def __init__(self, n_features: int = 4, n_outputs: int = 3) -> None:
        super().__init__()
        self.layers = nn.Sequential(nn.Linear(n_features, 16), nn.ReLU(), nn.Linear(16, n_outputs))

    def forward(self, X: torch.Tensor) -> torch.Tensor:
        return self.layers(X).squeeze(-1)  # (N, C) logits; (N,) for one output


settings: dict[str, Any] = dict(max_epochs=1, lr=0.1, batch_size=32, train_split=None, verbose=0)
# Softmax losses: the focal loss is tuned like any skorch parameter.
net = NeuralNetClassifier(
    MLP, criterion=SoftmaxFocalLoss, criterion__gamma=2.0,
    predict_nonlinearity=partial(torch.softmax, dim=-1),  # our losses take logits
    **settings,
)  # fmt: skip
search = GridSearchCV(net, {"criterion__gamma": [0.0, 2.0]}, cv=3, scoring="balanced_accuracy")
# Or trained on an under-sample of each training fold (validation rows are never resampled).
resampled = ResampledClassifier(RandomUnderSampler(random_state=0), net)


def weighted_net(y_train: Any) -> NeuralNetClassifier:
    # Class weights of the training labels, in the order of their classes (0, 1, 2).
    weight = torch.tensor(list(class_weights(y_train).values()), dtype=torch.float32)
    return NeuralNetClassifier(
        MLP, criterion=nn.CrossEntropyLoss, criterion__weight=weight, **settings
    )


def sigmoid_2d(logits: torch.Tensor) -> torch.Tensor:
    """Probabilities of class 0 and class 1, as NeuralNetBinaryClassifier expects."""
    p = torch.sigmoid(logits)
    return torch.stack([1 - p, p], dim=-1)


# Binary targets with the sigmoid focal loss: one logit per row.
binary = NeuralNetBinaryClassifier(
    MLP, module__n_outputs=1, criterion=FocalLoss, criterion__gamma=2.0,
    criterion__alpha=0.75, predict_nonlinearity=sigmoid_2d, **settings,
)  # fmt: skip
# --8<-- [end:skorch]

import torch.nn.functional as F
from sklearn.base import clone
from sklearn.datasets import make_classification


@pytest.fixture(scope="module")
def data() -> tuple[np.ndarray, np.ndarray]:
    X, y = make_classification(
        n_samples=300, n_features=4, n_informative=3, n_redundant=0, n_classes=3,
        weights=[0.8, 0.15, 0.05], random_state=0,
    )  # fmt: skip
    return X.astype(np.float32), y.astype(np.int64)


def test_grid_search_routes_gamma_to_the_focal_loss(data):
    X, y = data
    torch.manual_seed(0)
    found = GridSearchCV(
        net, {"criterion__gamma": [0.0, 2.0]}, cv=3, scoring="balanced_accuracy"
    ).fit(X, y)
    assert len(found.cv_results_["params"]) == 2
    best = found.best_estimator_
    assert isinstance(best.criterion_, SoftmaxFocalLoss)
    assert best.criterion_.gamma == found.best_params_["criterion__gamma"]
    logits = best.forward(X[:50])
    target = torch.as_tensor(y[:50])
    # gamma=0 is cross-entropy; the loss skorch computes is our module's, on the logits.
    zero = clone(net).set_params(criterion__gamma=0.0).initialize()
    torch.testing.assert_close(zero.get_loss(logits, target), F.cross_entropy(logits, target))
    proba = best.predict_proba(X[:50])
    np.testing.assert_allclose(proba, torch.softmax(logits, dim=-1).numpy(), rtol=1e-6)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-6)
    np.testing.assert_array_equal(best.predict(X[:50]), proba.argmax(axis=1))


def test_resampled_classifier_trains_the_net_on_balanced_rows(data):
    X, y = data
    torch.manual_seed(0)
    model = resampled.fit(X, y)
    minority = np.bincount(y).min()
    assert model.training_class_counts_ == {0: minority, 1: minority, 2: minority}
    history = model.estimator_.history
    assert sum(b["train_batch_size"] for b in history[-1]["batches"]) == 3 * minority
    proba = model.predict_proba(X)
    assert proba.shape == (300, 3)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-6)
    assert model.estimator_.criterion_.gamma == 2.0
    # The same object inside a grid search: the focal loss parameter through the meta-estimator.
    grid = GridSearchCV(resampled, {"estimator__criterion__gamma": [0.5, 1.0]}, cv=2)
    grid.fit(X, y)
    assert grid.best_estimator_.estimator_.criterion_.gamma in (0.5, 1.0)


def test_class_weights_route_as_criterion_weight(data):
    X, y = data
    torch.manual_seed(0)
    model = weighted_net(y).fit(X, y)
    counts = np.bincount(y)
    expected = torch.tensor(len(y) / (3 * counts), dtype=torch.float32)
    torch.testing.assert_close(model.criterion_.weight, expected)
    logits = model.forward(X)
    torch.testing.assert_close(
        model.get_loss(logits, torch.as_tensor(y)),
        F.cross_entropy(logits, torch.as_tensor(y), weight=expected),
    )
    clone_weight = GridSearchCV(model, {"lr": [0.1]}, cv=2).fit(X, y).best_estimator_
    torch.testing.assert_close(clone_weight.criterion_.weight, expected)


def test_binary_focal_loss_probabilities(data):
    X, y = data
    y_binary = (y == 2).astype(np.float32)
    torch.manual_seed(0)
    model = GridSearchCV(binary, {"criterion__gamma": [1.0, 2.0]}, cv=2).fit(X, y_binary)
    best = model.best_estimator_
    logits = best.forward(X)
    assert logits.shape == (300,)
    expected = FocalLoss(gamma=best.criterion_.gamma, alpha=0.75)(logits, torch.as_tensor(y_binary))
    torch.testing.assert_close(best.get_loss(logits, torch.as_tensor(y_binary)), expected)
    proba = best.predict_proba(X)
    np.testing.assert_allclose(proba[:, 1], torch.sigmoid(logits).numpy(), rtol=1e-6)
    np.testing.assert_array_equal(best.predict(X), (proba[:, 1] > 0.5).astype(np.uint8))
