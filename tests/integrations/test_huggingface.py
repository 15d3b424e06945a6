"""Hugging Face transformers 5: our losses and samplers in ``transformers.Trainer``.

A one-layer BERT built from a config (no weights downloaded) classifies random token
sequences. The tests check the loss against plain torch, that gradient accumulation gives the
steps of one large batch (which a bare ``compute_loss_func`` gets wrong), and that the Trainer
iterates our sampler's epochs, ``set_epoch`` included. The ``--8<--`` region is included in
docs/torch-losses.md.
"""
# ruff: noqa: E402

from __future__ import annotations

import os
from typing import Any

import numpy as np
import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # the model is built from a config: no downloads
pytest.importorskip("transformers")
pytest.importorskip("accelerate")
torch = pytest.importorskip("torch")

# --8<-- [start:huggingface]
from torch.utils.data import Sampler
from transformers import Trainer, TrainingArguments

from imbalance.torch import ClassBalancedSampler, SoftmaxFocalLoss
from imbalance.torch.huggingface import TrainerLoss


class SampledTrainer(Trainer):
    """A Trainer that draws its training rows with a sampler of ours."""

    def __init__(self, *args: Any, train_sampler: Sampler[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.train_sampler = train_sampler

    def _get_train_sampler(self, train_dataset: Any = None) -> Sampler[int]:
        return self.train_sampler


def balanced_trainer(model: Any, args: TrainingArguments, train: Any, labels: Any) -> Trainer:
    # One process: leave num_replicas unset, Accelerate shares the batches between processes.
    return SampledTrainer(
        model=model, args=args, train_dataset=train,
        train_sampler=ClassBalancedSampler(labels),
        # The focal loss, summed and divided by the labels of the accumulated batch.
        compute_loss_func=TrainerLoss(SoftmaxFocalLoss(gamma=2.0)),
    )  # fmt: skip


# --8<-- [end:huggingface]

import torch.nn.functional as F
from torch.utils.data import Dataset
from transformers import BertConfig, BertForSequenceClassification

COUNTS = [240, 45, 15]
LABELS = np.repeat(np.arange(3), COUNTS)


class Tokens(Dataset[dict[str, torch.Tensor]]):
    """300 random sequences of 8 tokens; remembers which rows were read, in order."""

    def __init__(self) -> None:
        generator = torch.Generator().manual_seed(0)
        self.input_ids = torch.randint(1, 50, (300, 8), generator=generator)
        self.read: list[int] = []

    def __len__(self) -> int:
        return 300

    def __getitem__(self, i: int) -> dict[str, torch.Tensor]:
        self.read.append(int(i))
        return {"input_ids": self.input_ids[i], "labels": torch.tensor(LABELS[i])}


def tiny_bert(seed: int = 0) -> BertForSequenceClassification:
    torch.manual_seed(seed)
    config = BertConfig(
        vocab_size=50, hidden_size=16, num_hidden_layers=1, num_attention_heads=2,
        intermediate_size=32, max_position_embeddings=16, num_labels=3,
        hidden_dropout_prob=0.0, attention_probs_dropout_prob=0.0,
    )  # fmt: skip
    return BertForSequenceClassification(config)


def arguments(path: Any, **kwargs: Any) -> TrainingArguments:
    settings: dict[str, Any] = dict(
        output_dir=str(path), per_device_train_batch_size=30, num_train_epochs=1,
        learning_rate=0.1, optim="sgd", lr_scheduler_type="constant", report_to=[],
        save_strategy="no", logging_strategy="no", disable_tqdm=True, use_cpu=True, seed=0,
    )  # fmt: skip
    return TrainingArguments(**{**settings, **kwargs})


def plain_focal(logits: torch.Tensor, labels: torch.Tensor, gamma: float) -> torch.Tensor:
    log_p = F.log_softmax(logits, dim=-1).gather(1, labels[:, None]).squeeze(1)
    return ((1 - log_p.exp()) ** gamma * -log_p).mean()


def test_recipe_trains_with_the_focal_loss_and_the_sampler(tmp_path):
    data = Tokens()
    model = tiny_bert()
    trainer = balanced_trainer(model, arguments(tmp_path), data, LABELS)
    before = [p.detach().clone() for p in model.parameters()]
    trainer.train()
    assert any(not torch.equal(a, b) for a, b in zip(before, model.parameters(), strict=True))
    # The rows read are one epoch of ClassBalancedSampler: 300 draws, about 100 per class.
    assert len(data.read) == 300
    counts = np.bincount(LABELS[data.read], minlength=3)
    assert counts.min() > 70, counts  # natural: 240 / 45 / 15
    # The loss the Trainer computes is the plain softmax focal loss of the logits.
    batch = {"input_ids": data.input_ids[:30], "labels": torch.as_tensor(LABELS[:30])}
    model.eval()
    with torch.no_grad():
        loss = trainer.compute_loss(model, dict(batch))
        logits = model(input_ids=batch["input_ids"]).logits
    torch.testing.assert_close(loss, plain_focal(logits, batch["labels"], 2.0))
    # Predictions are logits; probabilities are their softmax.
    data.read.clear()
    out = trainer.predict(data)
    probs = torch.softmax(torch.as_tensor(out.predictions), dim=-1)
    torch.testing.assert_close(probs.sum(dim=1), torch.ones(300))
    np.testing.assert_array_equal(out.label_ids, LABELS)


def _train(path: Any, compute_loss_func: Any, **kwargs: Any) -> list[torch.Tensor]:
    model = tiny_bert()
    trainer = Trainer(
        model=model, args=arguments(path, **kwargs), train_dataset=Tokens(),
        compute_loss_func=compute_loss_func,
    )  # fmt: skip
    trainer.train()
    return [p.detach().clone() for p in model.parameters()]


@pytest.mark.slow
def test_gradient_accumulation_matches_one_large_batch(tmp_path):
    loss = TrainerLoss(SoftmaxFocalLoss(gamma=2.0, alpha=[0.5, 2.0, 4.0]))
    large = _train(tmp_path, loss)
    accumulated = _train(
        tmp_path, loss, per_device_train_batch_size=15, gradient_accumulation_steps=2
    )
    for a, b in zip(large, accumulated, strict=True):
        torch.testing.assert_close(a, b, rtol=1e-4, atol=1e-5)
    # A bare loss module is a per-batch mean, which the Trainer does not divide by the
    # accumulation steps: twice the step, a different model.
    bare = SoftmaxFocalLoss(gamma=2.0, alpha=[0.5, 2.0, 4.0])
    wrong = _train(
        tmp_path,
        lambda outputs, labels, num_items_in_batch=None: bare(outputs["logits"], labels),
        per_device_train_batch_size=15,
        gradient_accumulation_steps=2,
    )
    assert max(float((a - b).abs().max()) for a, b in zip(large, wrong, strict=True)) > 1e-3


def test_progressive_sampler_follows_the_trainer_epochs(tmp_path):
    from imbalance.torch import ProgressiveBalancedSampler

    data = Tokens()
    sampler = ProgressiveBalancedSampler(LABELS, epochs=1, seed=0)
    trainer = SampledTrainer(
        model=tiny_bert(), args=arguments(tmp_path, num_train_epochs=2), train_dataset=data,
        train_sampler=sampler, compute_loss_func=TrainerLoss(SoftmaxFocalLoss()),
    )  # fmt: skip
    trainer.train()
    probe = ProgressiveBalancedSampler(LABELS, epochs=1, seed=0)
    epochs = []
    for epoch in (0, 1):
        probe.set_epoch(epoch)
        epochs.append(list(probe))
    assert data.read == epochs[0] + epochs[1]  # the Trainer called set_epoch(1)
    rare = [float(np.mean(LABELS[e] == 2)) for e in epochs]
    assert rare[0] < 0.12 and rare[1] > 0.25, rare


def test_trainer_loss_refuses_what_it_cannot_scale():
    from imbalance.exceptions import InvalidParameterError

    with pytest.raises(InvalidParameterError, match="'reduction' attribute"):
        TrainerLoss(F.cross_entropy)  # type: ignore[arg-type]
    loss = TrainerLoss(SoftmaxFocalLoss())
    with pytest.raises(InvalidParameterError, match="hold 'logits'"):
        loss({"loss": torch.tensor(0.0)}, torch.tensor([0]))
    with pytest.raises(InvalidParameterError, match="labels=None"):
        loss({"logits": torch.zeros(1, 2)}, None)  # type: ignore[arg-type]
    # Token classification: (N, T, C) logits, (N, T) labels with -100 left out.
    logits, labels = torch.randn(2, 3, 4), torch.tensor([[0, 1, -100], [3, -100, 2]])
    expected = F.cross_entropy(logits.reshape(-1, 4), labels.reshape(-1), reduction="sum") / 4
    torch.testing.assert_close(
        TrainerLoss(SoftmaxFocalLoss(gamma=0.0))({"logits": logits}, labels, 4), expected
    )
    assert loss.loss.reduction == "mean"
