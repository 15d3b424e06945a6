"""Long-tailed MNIST-1D: CE against the imbalance-aware losses, balanced accuracy over seeds.

Data: the ``mnist1d`` package generates MNIST-1D from its templates in code (no download;
``pip install mnist1d``). From a balanced pool of 2,500 signals per digit we keep a training set
that decays exponentially, ``n_k = 2000 * 100 ** (-k / 9)`` for digit ``k`` (2,000 down to 20,
imbalance ratio 100, 4,957 signals in all), and a balanced test set of 500 per digit.

Model: a small 1-D CNN (three convolutions, 32 channels, then a linear classifier; about 10k
weights); for LDAM the classifier is cosine (normalised features and weights), as in Cao et
al. Training: SGD with momentum 0.9, weight decay 5e-4, learning rate 0.1 with a 5-epoch
linear warm-up and x0.1 at 80 % and 90 % of the epochs (the papers' schedule, shortened), batch
128. Deferred re-weighting (DRW) starts at 80 %, with beta = 0.9999, as in the paper.

Losses: cross-entropy; cross-entropy + post-hoc logit adjustment (tau = 1, same trained
models as CE); cross-entropy on the cosine classifier with s = 30 (``ce_cosine``: the control
that separates LDAM-DRW's loss from its classifier); softmax focal (gamma = 1, the LDAM paper's
choice); class-balanced softmax (beta = 0.9999); LDAM-DRW (max margin 0.5, s = 30);
logit-adjusted (tau = 1); balanced softmax.

    python bench/longtail_mnist1d.py                 # 3 seeds, 40 epochs: a few minutes on CPU
    python bench/longtail_mnist1d.py --epochs 10 --seeds 1   # smoke run

Reference ordering on CIFAR-10-LT (ratio 100, ResNet-32, top-1 error): CE 29.6 %, focal 29.6 %,
CB focal 25.4 %, LDAM-DRW 23.0 % (Cao et al. 2019), logit-adjusted loss 22.3 % (Menon et al.
2021). This benchmark reports whatever ordering appears here.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

import numpy as np
import torch
import torch.nn.functional as F
from torch import Tensor, nn

from imbalance.torch import (
    BalancedSoftmaxLoss,
    ClassBalancedLoss,
    LDAMLoss,
    LogitAdjustedLoss,
    PostHocLogitAdjustment,
    SoftmaxFocalLoss,
    drw_weights,
)

N_CLASSES, N_MAX, RATIO, N_TEST = 10, 2000, 100.0, 500
COSINE = ("ldam_drw", "ce_cosine")  # methods trained with the cosine classifier


def make_data(seed: int = 0) -> tuple[Tensor, Tensor, Tensor, Tensor, list[int]]:
    try:
        from mnist1d.data import get_dataset_args, make_dataset
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise SystemExit("this benchmark needs the mnist1d package: pip install mnist1d") from exc
    args = get_dataset_args()
    args.num_samples = N_CLASSES * (N_MAX + N_TEST)
    data = make_dataset(args)  # seeded by args.seed (42): the same signals on every machine
    x = np.concatenate([data["x"], data["x_test"]]).astype(np.float32)
    y = np.concatenate([data["y"], data["y_test"]]).astype(np.int64)
    rng = np.random.default_rng(seed)
    counts = [round(N_MAX * RATIO ** (-k / (N_CLASSES - 1))) for k in range(N_CLASSES)]
    train, test = [], []
    for k in range(N_CLASSES):
        rows = rng.permutation(np.flatnonzero(y == k))
        test.append(rows[:N_TEST])
        train.append(rows[N_TEST : N_TEST + counts[k]])
    tr, te = np.concatenate(train), np.concatenate(test)
    as_t = torch.from_numpy
    return as_t(x[tr]), as_t(y[tr]), as_t(x[te]), as_t(y[te]), counts


class CosineLinear(nn.Module):
    """Cosine similarities between normalised features and normalised class weights."""

    def __init__(self, n_in: int, n_out: int) -> None:
        super().__init__()
        self.weight = nn.Parameter(torch.empty(n_out, n_in).uniform_(-1, 1))

    def forward(self, h: Tensor) -> Tensor:
        return F.normalize(h, dim=1) @ F.normalize(self.weight, dim=1).T


def make_model(cosine: bool) -> nn.Module:
    head: nn.Module = CosineLinear(32 * 10, N_CLASSES) if cosine else nn.Linear(32 * 10, N_CLASSES)
    return nn.Sequential(
        nn.Unflatten(1, (1, 40)),
        nn.Conv1d(1, 32, 5, padding=2),
        nn.ReLU(),
        nn.Conv1d(32, 32, 3, stride=2, padding=1),
        nn.ReLU(),
        nn.Conv1d(32, 32, 3, stride=2, padding=1),
        nn.ReLU(),
        nn.Flatten(),
        head,
    )


def learning_rate(epoch: int, epochs: int, base: float = 0.1) -> float:
    if epoch < 5:
        return base * (epoch + 1) / 5
    return base * (0.01 if epoch >= 0.9 * epochs else 0.1 if epoch >= 0.8 * epochs else 1.0)


def train(
    method: str, counts: list[int], x: Tensor, y: Tensor, epochs: int, seed: int
) -> nn.Module:
    torch.manual_seed(seed)
    model = make_model(cosine=method in COSINE)
    criterion = make_criterion(method, counts)
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=5e-4)
    gen = torch.Generator().manual_seed(seed)
    drw_start = int(0.8 * epochs)
    for epoch in range(epochs):
        for group in opt.param_groups:
            group["lr"] = learning_rate(epoch, epochs)
        if method == "ldam_drw":
            criterion.weight = drw_weights(counts, epoch, start_epoch=drw_start, beta=0.9999)
        model.train()
        for idx in torch.randperm(len(y), generator=gen).split(128):
            loss = criterion(model(x[idx]), y[idx])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
    return model


class ScaledCrossEntropy(nn.Module):
    """Cross-entropy of ``scale * logits``: the control for LDAM's cosine classifier."""

    def __init__(self, scale: float) -> None:
        super().__init__()
        self.scale = scale

    def forward(self, logits: Tensor, target: Tensor) -> Tensor:
        return F.cross_entropy(self.scale * logits, target)


def make_criterion(method: str, counts: list[int]) -> nn.Module:
    makers: dict[str, Callable[[], nn.Module]] = {
        "ce": nn.CrossEntropyLoss,
        "ce_cosine": lambda: ScaledCrossEntropy(30.0),
        "focal": lambda: SoftmaxFocalLoss(gamma=1.0),
        "class_balanced": lambda: ClassBalancedLoss(counts, beta=0.9999),
        "ldam_drw": lambda: LDAMLoss(counts, max_margin=0.5, scale=30.0),
        "logit_adjusted": lambda: LogitAdjustedLoss(counts, tau=1.0),
        "balanced_softmax": lambda: BalancedSoftmaxLoss(counts),
    }
    return makers[method]()


def balanced_accuracy(logits: Tensor, y: Tensor) -> float:
    pred = logits.argmax(dim=1)
    return float(np.mean([(pred[y == k] == k).float().mean().item() for k in range(N_CLASSES)]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=40)
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    start = time.perf_counter()
    x_tr, y_tr, x_te, y_te, counts = make_data()
    print(
        f"# long-tailed MNIST-1D: train counts {counts} (ratio {counts[0] / counts[-1]:.0f}), "
        f"test {N_TEST} per class; {args.epochs} epochs, {args.seeds} seeds; torch "
        f"{torch.__version__}, {args.threads} thread(s); "
        f"data in {time.perf_counter() - start:.1f} s"
    )
    methods = [
        "ce",
        "ce_cosine",
        "focal",
        "class_balanced",
        "ldam_drw",
        "logit_adjusted",
        "balanced_softmax",
    ]
    scores: dict[str, list[float]] = {m: [] for m in methods}
    scores["ce + post-hoc adjustment"] = []
    for seed in range(args.seeds):
        for method in methods:
            model = train(method, counts, x_tr, y_tr, args.epochs, seed).eval()
            with torch.no_grad():
                logits = model(x_te)
            scores[method].append(balanced_accuracy(logits, y_te))
            if method == "ce":
                adjusted = PostHocLogitAdjustment(counts, tau=1.0)(logits)
                scores["ce + post-hoc adjustment"].append(balanced_accuracy(adjusted, y_te))
        print(f"# seed {seed} done at {time.perf_counter() - start:.0f} s", flush=True)
    print("| loss | balanced accuracy, mean ± sd | error | per seed |")
    print("|---|---|---|---|")
    for name, vals in sorted(scores.items(), key=lambda kv: -statistics.mean(kv[1])):
        mean = statistics.mean(vals)
        sd = statistics.stdev(vals) if len(vals) > 1 else 0.0
        per_seed = ", ".join(f"{v:.3f}" for v in vals)
        print(
            f"| {name} | {100 * mean:.1f} % ± {100 * sd:.1f} | {100 * (1 - mean):.1f} % | "
            f"{per_seed} |"
        )
    print(f"# total {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
