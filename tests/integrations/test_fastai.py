"""fastai 2.8: our losses as fastai loss functions, our samplers in fastai DataLoaders.

Tabular data (fastai's tabular and data-core paths need no torchvision, which has no working
build for the CPU torch pin). Each test trains a tiny Learner for one epoch (two where epochs
matter) and checks values: losses against plain torch, the classes of every batch drawn, and the
probabilities of ``get_preds`` / ``predict``. The regions between ``--8<--`` markers are included
in docs/torch-samplers.md and docs/torch-losses.md.
"""
# ruff: noqa: E402

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

pytest.importorskip("fastai.tabular.all")
torch = pytest.importorskip("torch")

import pandas as pd
import torch.nn.functional as F
from fastai.callback.core import Callback
from fastai.data.core import Datasets
from fastai.data.transforms import Categorize, IndexSplitter
from fastai.learner import Learner
from fasttransform import ItemTransform, Pipeline

pytestmark = [
    # fastai builds tensors from pandas 3's read-only (copy-on-write) arrays; PyTorch warns
    # once per process. Not ours, and harmless: fastai never writes to them.
    pytest.mark.filterwarnings("ignore:The given NumPy array is not writable:UserWarning"),
]

# --8<-- [start:fastai]
from fastai.tabular.all import Normalize, TabularDataLoaders, tabular_learner

from imbalance.torch import ClassBalancedSampler, SoftmaxFocalLoss
from imbalance.torch.fastai import FlatLoss, SetEpochCallback, with_sampler
from imbalance.weights import class_weights


def balanced_learner(df: pd.DataFrame, valid_idx: list[int]) -> Learner:
    dls = TabularDataLoaders.from_df(
        df, y_names="label", cont_names=["a", "b", "c", "d"], procs=[Normalize],
        valid_idx=valid_idx, bs=30,
    )  # fmt: skip
    # Category codes of the training rows, in the order of dls.train_ds: the sampler's labels.
    train_codes = dls.train_ds.y.to_numpy()
    # Class weights from the training rows only; codes 0, 1, ... follow fastai's vocab.
    alpha = list(class_weights(train_codes).values())
    # Every class equally often, a new draw at every epoch (SetEpochCallback: fastai does not
    # call set_epoch, which a seeded or progressive sampler needs).
    sampler = ClassBalancedSampler(train_codes, seed=0)
    dls.train = with_sampler(dls.train, sampler)
    loss_func = FlatLoss(SoftmaxFocalLoss(gamma=2.0, alpha=alpha))
    return tabular_learner(dls, layers=[16], loss_func=loss_func, cbs=SetEpochCallback(sampler))


# learn = balanced_learner(df, valid_idx); learn.fit_one_cycle(1, 1e-2)
# probs, _ = learn.get_preds()      # class probabilities (softmax), rows sum to 1
# row, code, probs = learn.predict(df.iloc[0])
# --8<-- [end:fastai]

# --8<-- [start:fastai-multilabel]
from fastai.tabular.all import MultiCategoryBlock

from imbalance.torch import FocalLoss
from imbalance.weights import pos_weight


def multilabel_learner(df: pd.DataFrame, labels: list[str], valid_idx: list[int]) -> Learner:
    dls = TabularDataLoaders.from_df(
        df, y_names=labels, y_block=MultiCategoryBlock(encoded=True, vocab=labels),
        cont_names=["a", "b", "c", "d"], procs=[Normalize], valid_idx=valid_idx, bs=30,
    )  # fmt: skip
    # Positives against negatives per label, from the training rows only.
    weights = pos_weight(dls.train_ds.ys[labels].to_numpy())
    # FlatLoss: sigmoid probabilities from get_preds / predict, labels decoded above thresh.
    loss_func = FlatLoss(FocalLoss(gamma=2.0, pos_weight=weights), thresh=0.5)
    return tabular_learner(dls, layers=[16], loss_func=loss_func)


# --8<-- [end:fastai-multilabel]


FEATURES = ["a", "b", "c", "d"]
COUNTS = {"common": 240, "middle": 45, "rare": 15}


@pytest.fixture(scope="module")
def table() -> tuple[pd.DataFrame, list[int]]:
    """300 rows at 80 / 15 / 5 %; the last 60 rows (a stratified fifth) are the validation."""
    rng = np.random.default_rng(0)
    label = np.repeat(list(COUNTS), list(COUNTS.values()))
    df = pd.DataFrame(rng.normal(size=(300, 4)), columns=FEATURES)
    df["label"] = label
    order = np.concatenate([np.flatnonzero(label == c) for c in COUNTS])
    valid = np.concatenate([order[label[order] == c][: n // 5] for c, n in COUNTS.items()])
    df = pd.concat([df.drop(index=valid), df.loc[valid]]).reset_index(drop=True)
    return df, list(range(240, 300))


class RecordBatches(Callback):  # type: ignore[misc]
    """The targets of every training batch, per epoch."""

    def before_fit(self) -> None:
        self.targets: dict[int, list[torch.Tensor]] = {}

    def after_batch(self) -> None:
        if self.training:
            self.targets.setdefault(self.epoch, []).append(self.yb[0].detach().clone())


def fit(learn: Learner, epochs: int = 1) -> RecordBatches:
    record = RecordBatches()
    with learn.no_bar(), learn.no_logging():
        learn.fit(epochs, 1e-2, cbs=record)
    return record


def drawn(sampler: Any, epoch: int) -> list[Any]:
    """What one process draws at ``epoch`` (sampler given a seed)."""
    sampler.set_epoch(epoch)
    return list(sampler)


def plain_softmax_focal(
    logits: torch.Tensor, target: torch.Tensor, alpha: torch.Tensor, gamma: float
) -> torch.Tensor:
    log_p = F.log_softmax(logits.float(), dim=-1).gather(1, target[:, None]).squeeze(1)
    per_row = alpha[target] * (1 - log_p.exp()) ** gamma * -log_p
    return per_row.sum() / alpha[target].sum()


def plain_sigmoid_focal(
    logits: torch.Tensor, target: torch.Tensor, pos: torch.Tensor, gamma: float
) -> torch.Tensor:
    """Per element."""
    p = torch.sigmoid(logits)
    loss = -pos * target * (1 - p) ** gamma * F.logsigmoid(logits)
    return loss - (1 - target) * p**gamma * F.logsigmoid(-logits)


def test_recipe_balanced_sampler_focal_loss_and_probabilities(table):
    df, valid_idx = table
    learn = balanced_learner(df, valid_idx)
    sampler = learn.set_epoch.sampler
    record = fit(learn)
    codes = np.asarray(learn.dls.train_ds.y)
    # The batches are the sampler's epoch 0, in order: about a third of the rows per class.
    seen = torch.cat(record.targets[0]).view(-1).numpy()
    expected = codes[drawn(sampler, 0)]
    np.testing.assert_array_equal(seen, expected)
    assert len(record.targets[0]) == len(sampler) // 30 == 8
    counts = np.bincount(seen, minlength=3)
    assert counts.min() >= 60 and counts.max() <= 100, counts  # natural: 192 / 36 / 12
    # The loss of a batch is the softmax focal loss of plain torch, vocab-aligned weights.
    cats, conts, y = learn.dls.valid.one_batch()
    learn.model.eval()
    with torch.no_grad():
        out = learn.model(cats, conts)
    w = class_weights(df["label"].iloc[: len(codes)])
    alpha = torch.tensor([w[v] for v in learn.dls.vocab])
    assert alpha[2] > alpha[1] > alpha[0]
    expected_loss = plain_softmax_focal(out, y.view(-1).long(), alpha, 2.0)
    torch.testing.assert_close(learn.loss_func(out, y), expected_loss)
    # get_preds: softmax probabilities of the raw outputs, decoded to the arg max.
    with learn.no_bar():
        probs, _, decoded = learn.get_preds(with_decoded=True)
        raw, _ = learn.get_preds(act=lambda x: x)
        _, code, one = learn.predict(df.iloc[valid_idx[0]])
    torch.testing.assert_close(probs, torch.softmax(raw, dim=-1))
    torch.testing.assert_close(probs.sum(dim=1), torch.ones(60))
    assert torch.equal(decoded, probs.argmax(dim=1))
    torch.testing.assert_close(one, probs[0])
    assert int(code) == int(probs[0].argmax())


def test_weighted_cross_entropy_from_imbalance_weights(table):
    from fastai.losses import CrossEntropyLossFlat

    df, valid_idx = table
    dls = TabularDataLoaders.from_df(
        df, y_names="label", cont_names=FEATURES, procs=[Normalize], valid_idx=valid_idx, bs=30
    )
    weights = class_weights(df.loc[dls.train_ds.items.index, "label"], scheme="balanced")
    w = torch.tensor([weights[c] for c in dls.vocab], dtype=torch.float32)
    torch.testing.assert_close(w, torch.tensor([240 / (3 * 192), 240 / (3 * 36), 240 / (3 * 12)]))
    learn = tabular_learner(dls, layers=[16], loss_func=CrossEntropyLossFlat(weight=w))
    before = [p.detach().clone() for p in learn.model.parameters()]
    record = fit(learn)
    assert sum(len(b) for b in record.targets[0]) == 240  # fastai's shuffle: every row once
    assert any(not torch.equal(a, b) for a, b in zip(before, learn.model.parameters(), strict=True))
    cats, conts, y = learn.dls.valid.one_batch()
    with torch.no_grad():
        out = learn.model.eval()(cats, conts)
    torch.testing.assert_close(learn.loss_func(out, y), F.cross_entropy(out, y.view(-1).long(), w))


def test_focal_loss_multilabel(table):
    df, valid_idx = table
    rng = np.random.default_rng(1)
    labels = ["nucleus", "cytosol", "rods"]
    rates = np.array([0.4, 0.15, 0.05])
    positive = (rng.random((300, 3)) < rates).astype(np.int64)
    df = df.assign(**{name: positive[:, j] for j, name in enumerate(labels)})
    df.loc[0, "rods"] = 1  # every label has a positive row in the training part
    learn = multilabel_learner(df, labels, valid_idx)
    pos = learn.loss_func.loss.pos_weight
    train = df.iloc[:240][labels].to_numpy()
    torch.testing.assert_close(
        pos, torch.tensor((240 - train.sum(0)) / train.sum(0), dtype=torch.float32)
    )
    assert learn.loss_func.sigmoid and not learn.loss_func.y_int
    fit(learn)
    cats, conts, y = learn.dls.valid.one_batch()
    with torch.no_grad():
        out = learn.model.eval()(cats, conts)
    assert y.shape == out.shape == (30, 3)
    expected = plain_sigmoid_focal(out, y.float(), pos, 2.0).mean()
    torch.testing.assert_close(learn.loss_func(out, y), expected)
    with learn.no_bar():
        probs, targets, decoded = learn.get_preds(with_decoded=True)
        raw, _ = learn.get_preds(act=lambda x: x)
        _, present, one = learn.predict(df.iloc[valid_idx[0]][FEATURES])  # no targets
    torch.testing.assert_close(probs, torch.sigmoid(raw))
    assert torch.equal(decoded, probs > 0.5)
    torch.testing.assert_close(one, probs[0])
    assert torch.equal(present, probs[0] > 0.5)
    # Per-row losses (fastai sets reduction="none", then averages each row's labels).
    with learn.no_bar():
        *_, losses = learn.get_preds(with_loss=True)
    per_row = plain_sigmoid_focal(raw, targets.float(), pos, 2.0).mean(dim=1)
    torch.testing.assert_close(losses, per_row)
    assert learn.loss_func.reduction == "mean"  # restored


def test_stratified_batches_in_a_fastai_dataloader(table):
    from imbalance.torch import StratifiedBatchSampler

    df, valid_idx = table
    dls = TabularDataLoaders.from_df(
        df, y_names="label", cont_names=FEATURES, procs=[Normalize], valid_idx=valid_idx, bs=64
    )
    codes = dls.train_ds.y.to_numpy()
    sampler = StratifiedBatchSampler(codes, batch_size=30, seed=0)
    dls.train = with_sampler(dls.train, sampler)
    assert dls.train.bs == 30 and len(dls.train) == 8
    learn = tabular_learner(dls, layers=[16], loss_func=FlatLoss(SoftmaxFocalLoss(gamma=1.0)))
    record = fit(learn)
    batches = [b.view(-1).numpy() for b in record.targets[0]]
    # 192 / 36 / 12 rows: every batch of 30 holds exactly 24 / 4.5 / 1.5 -> 24, 4 or 5, 1 or 2.
    assert len(batches) == 8
    for batch in batches:
        counts = np.bincount(batch, minlength=3)
        assert counts[0] == 24 and counts[1] in (4, 5) and counts[2] in (1, 2), counts
    assert np.bincount(np.concatenate(batches)).tolist() == [192, 36, 12]  # every row once
    expected = [codes[b] for b in drawn(sampler, 0)]
    assert all(np.array_equal(a, b) for a, b in zip(batches, expected, strict=True))


def test_progressive_sampler_moves_with_set_epoch_callback(table):
    from imbalance.torch import ProgressiveBalancedSampler

    df, valid_idx = table
    dls = TabularDataLoaders.from_df(
        df, y_names="label", cont_names=FEATURES, procs=[Normalize], valid_idx=valid_idx, bs=30
    )
    codes = dls.train_ds.y.to_numpy()
    sampler = ProgressiveBalancedSampler(codes, epochs=1, seed=0)
    dls.train = with_sampler(dls.train, sampler)
    learn = tabular_learner(
        dls, layers=[16], loss_func=FlatLoss(SoftmaxFocalLoss()), cbs=SetEpochCallback(sampler)
    )
    record = fit(learn, epochs=2)
    seen = {e: torch.cat(t).view(-1).numpy() for e, t in record.targets.items()}
    probe = ProgressiveBalancedSampler(codes, epochs=1, seed=0)
    for epoch in (0, 1):
        np.testing.assert_array_equal(seen[epoch], codes[drawn(probe, epoch)])
    rare_share = [float(np.mean(seen[e] == 2)) for e in (0, 1)]
    assert rare_share[0] < 0.15 < 0.2 < rare_share[1], rare_share  # 5 % -> a third


def test_with_sampler_refuses_what_fastai_cannot_batch():
    from fastai.data.load import DataLoader as FastaiDataLoader
    from torch.utils.data import BatchSampler
    from torch.utils.data import DataLoader as TorchDataLoader

    from imbalance.exceptions import InvalidParameterError
    from imbalance.torch import BalancedBatchSampler, StratifiedBatchSampler

    labels = torch.tensor([0] * 8 + [1] * 2)
    with pytest.raises(InvalidParameterError, match="needs a fastai DataLoader"):
        with_sampler(TorchDataLoader(range(10)), ClassBalancedSampler(labels))
    with pytest.raises(InvalidParameterError, match=r"must be a torch\.utils\.data\.Sampler"):
        with_sampler(object(), [0, 1, 2])
    with pytest.raises(InvalidParameterError, match="sigmoid=False"):
        FlatLoss(torch.nn.MSELoss())
    dl = FastaiDataLoader(list(zip(torch.randn(10), labels, strict=True)), bs=4)
    batched = with_sampler(dl, BatchSampler(range(10), batch_size=3, drop_last=False))
    assert batched.bs == 3 and [len(b[1]) for b in batched] == [3, 3, 3, 1]
    # A batch sampler of another kind is read as a per-sample one, and refused when iterated.
    lists = with_sampler(dl, Pairs())
    with pytest.raises(InvalidParameterError, match="yields list items, not indices"):
        list(lists)
    stratified = with_sampler(dl, StratifiedBatchSampler(labels, batch_size=5, seed=0))
    assert stratified.bs == 5 and [b[1].tolist().count(1) for b in stratified] == [1, 1]
    pk = with_sampler(dl, BalancedBatchSampler(labels, n_classes=2, n_per_class=2, seed=0))
    assert pk.bs == 4 and all(sorted(b[1].tolist()) == [0, 0, 1, 1] for b in pk)
    assert dl.bs == 4 and dl.get_idxs() == list(range(10))  # dl itself unchanged


class Pairs(torch.utils.data.Sampler):  # type: ignore[type-arg]
    def __iter__(self) -> Any:
        return iter([[0, 1], [2, 3]])

    def __len__(self) -> int:
        return 2


class Jitter(ItemTransform):  # type: ignore[misc]
    """A random item transform for training only (``split_idx=0``), as fastai's are."""

    split_idx = 0

    def encodes(self, item):  # type: ignore[no-untyped-def]  (fastai dispatches on annotations)
        x, label = item
        return x + torch.randn_like(x), label


def test_oversampled_dataset_with_fastai_item_transforms():
    from imbalance.torch import OversampledDataset

    X = torch.randn(300, 4)
    y = np.repeat(["common", "rare"], [270, 30])
    splits = IndexSplitter(range(0, 300, 5))(range(300))  # 216 + 24 training rows
    tfms = [[X.__getitem__], [y.__getitem__, Categorize()]]
    dsets = Datasets(range(300), tfms=tfms, splits=splits)
    train_labels = y[np.asarray(splits[0])]
    dls = dsets.dataloaders(bs=48)
    item_tfms = [Jitter()]
    # --8<-- [start:fastai-oversample]
    # fastai's random item transforms act only when called with split_idx=0 (training); on
    # their own they return the item unchanged: a training Pipeline applies them to the copies.
    augment = Pipeline(item_tfms, split_idx=0)
    grown = OversampledDataset(dls.train_ds, labels=train_labels, transform=augment)
    dls.train = dls.train.new(dataset=grown, shuffle=True)
    # --8<-- [end:fastai-oversample]
    item = dsets.train[0]
    assert torch.equal(Jitter()(item)[0], item[0])  # the trap the Pipeline avoids
    assert grown.target_counts == {"common": 216, "rare": 216}
    n = len(dsets.train)
    copies = [grown[i] for i in range(n, len(grown))]
    sources = [dsets.train[int(s)] for s in grown.copy_sources]
    assert all(int(c[1]) == 1 and int(s[1]) == 1 for c, s in zip(copies, sources, strict=True))
    assert not any(torch.equal(c[0], s[0]) for c, s in zip(copies, sources, strict=True))
    assert all(torch.equal(grown[i][0], dsets.train[i][0]) for i in (0, 100, n - 1))
    model = torch.nn.Linear(4, 2)
    learn = Learner(dls, model, loss_func=FlatLoss(torch.nn.CrossEntropyLoss()))
    record = fit(learn)
    seen = torch.cat(record.targets[0]).numpy()
    assert len(seen) == 432 and np.bincount(seen).tolist() == [216, 216]
