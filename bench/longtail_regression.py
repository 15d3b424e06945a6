"""Long-tailed regression: MSE against LDS, LDS + FDS and Balanced MSE, few-shot MAE over seeds.

Data (synthetic, offline, in the DIR papers' protocol: a long-tailed training set, a balanced
test set). The target ``y`` lies in [0, 100) (think of an age); the input is a noisy reading
of it, ``x = phi(y) + noise`` with ``phi`` 16 smooth random waves of ``y`` and Gaussian noise
of sd 0.8, so ``y`` is not exactly recoverable from ``x`` and the training label distribution
shapes the predictions (the setting Balanced MSE addresses). Training targets follow a
truncated exponential density (scale 15); the test set has 20 rows per unit bin (2,000 rows).
Regions as in Yang et al.: 100 bins of width 1, many-shot > 100 training rows, few-shot < 20
(the training rows set them, so they move with the training size). Reported: MAE
per region and the mean signed error (prediction - target) on the few-shot rows, on the test rows
and on the training rows.

Model: an MLP 16 -> 64 -> 64 (ReLU; the feature layer) -> 1, Adam (lr 1e-3), targets divided
by 100 inside the network. Methods:

- ``mse``: plain MSE;
- ``lds``: MSE weighted by ``imbalance.regression.lds_weights`` (100 bins, gaussian kernel,
  ks = 5, sigma = 1, square-root inverse: the paper's defaults);
- ``lds_fds``: the same, with ``imbalance.torch.FeatureDistributionSmoothing`` on the 64
  features (100 bins, ks = 5, sigma = 1, momentum 0.9, updates from epoch 0, calibration from
  epoch 1);
- ``bmc`` and ``gai``: ``imbalance.torch.BalancedMSELoss`` (noise sigma learnt from 8 years,
  the paper's starting value for ages, with its own Adam group at lr 1e-2; GAI with an
  8-component mixture of the training targets).

Two settings (``--setting``), the same tail shape, test set, regions and methods:

- ``small`` (the default): 8,000 training rows, 30 epochs of batch 128 (1,875 steps). Regions:
  25 bins many-shot, 24-25 medium, 50-51 few-shot (expected counts; the top half of the range,
  under 1 row per bin above 90). The few-shot error is mostly variance: the region holds ~300
  rows spread over 50 bins, many nearly empty.
- ``large``: 100,000 training rows, 10 epochs of batch 256 (3,910 steps; 1,000,000 rows seen
  per model against 240,000). Expected regions: 63 bins many-shot, 24 medium, 13 few-shot
  (bins 87-99, 9 to 20 rows each, ~180 rows): every few-shot bin is covered, so the few-shot
  error should be mostly the pull towards the frequent labels (bias), the regime Balanced MSE
  is built for. The one hyper-parameter changed besides rows and epochs is the batch size, 256 as in
  the papers' IMDB-WIKI-DIR code (for every method): BMC estimates the label distribution from
  the batch's targets, so it gets twice as many per step. Settings fixed before the first run.

    nice python bench/longtail_regression.py          # 3 seeds, 30 epochs: a few minutes
    nice python bench/longtail_regression.py --setting large     # 3 seeds: a few minutes
    nice python bench/longtail_regression.py --epochs 5 --seeds 1   # smoke run
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np
import torch
from torch import Tensor, nn

from imbalance.regression import lds_weights, region_errors, shot_regions
from imbalance.torch import (
    BalancedMSELoss,
    FeatureDistributionSmoothing,
    WeightedMSELoss,
)

SCALE, PER_BIN, D, NOISE = 15.0, 20, 16, 0.8
EDGES = np.arange(0.0, 101.0)  # 100 bins of width 1
METHODS = ("mse", "lds", "lds_fds", "bmc", "gai")
# setting -> (training rows, epochs, batch size); fixed before the large setting was first run
SETTINGS = {"small": (8000, 30, 128), "large": (100_000, 10, 256)}


def make_data(seed: int, n_train: int) -> tuple[Tensor, Tensor, Tensor, Tensor]:
    """Train rows with a long-tailed target, test rows with a uniform one."""
    rng = np.random.default_rng(seed)
    freq = rng.uniform(0.2, 1.0, D)
    phase = rng.uniform(0, 2 * np.pi, D)
    u = rng.uniform(size=n_train)  # truncated exponential on [0, 100) by inversion
    y_train = -SCALE * np.log1p(-u * (1 - np.exp(-100 / SCALE)))
    y_test = np.repeat(EDGES[:-1], PER_BIN) + rng.uniform(size=100 * PER_BIN)

    def reading(y: np.ndarray) -> np.ndarray:
        clean = np.sin(2 * np.pi * freq * y[:, None] / 100 + phase)
        return clean + NOISE * rng.normal(size=clean.shape)

    as_t = lambda a: torch.as_tensor(a, dtype=torch.float32)  # noqa: E731
    return as_t(reading(y_train)), as_t(y_train), as_t(reading(y_test)), as_t(y_test)


class Net(nn.Module):
    def __init__(self, fds: FeatureDistributionSmoothing | None) -> None:
        super().__init__()
        self.body = nn.Sequential(nn.Linear(D, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU())
        self.head = nn.Linear(64, 1)
        self.fds = fds

    def forward(self, x: Tensor, y: Tensor | None = None, epoch: int | None = None) -> Tensor:
        z = self.body(x)
        if self.fds is not None and y is not None:
            if self.training:
                self.fds.update(z.detach(), y, epoch)
            z = self.fds(z, y, epoch)
        return 100.0 * self.head(z).squeeze(1)


def train(
    method: str, x: Tensor, y: Tensor, epochs: int, seed: int, batch: int
) -> tuple[Net, float]:
    """The trained model and, for Balanced MSE, the learnt noise sigma (else NaN)."""
    torch.manual_seed(seed)
    fds = None
    if method == "lds_fds":
        fds = FeatureDistributionSmoothing(64, EDGES, ks=5, sigma=1.0)
    model = Net(fds)
    with torch.no_grad():
        model.head.bias.fill_(float(y.mean()) / 100)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    weight = None
    criterion: nn.Module = WeightedMSELoss()
    if method in ("lds", "lds_fds"):
        w = lds_weights(y.numpy(), bins=EDGES, ks=5, sigma=1.0)
        weight = torch.as_tensor(w, dtype=torch.float32)
    elif method in ("bmc", "gai"):
        criterion = BalancedMSELoss.from_targets(
            y, method=method, init_noise_sigma=8.0, n_components=8
        )
        opt.add_param_group({"params": criterion.parameters(), "lr": 1e-2})
    gen = torch.Generator().manual_seed(seed)
    for epoch in range(epochs):
        model.train()
        for idx in torch.randperm(len(y), generator=gen).split(batch):
            pred = model(x[idx], y[idx], epoch)
            if isinstance(criterion, BalancedMSELoss):
                loss = criterion(pred, y[idx])
            else:
                loss = criterion(pred, y[idx], None if weight is None else weight[idx])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
    sigma = float("nan")
    if isinstance(criterion, BalancedMSELoss):
        sigma = abs(float(criterion.noise_sigma.detach()))
    return model.eval(), sigma


def evaluate(model: Net, x: Tensor, y: Tensor, y_train: Tensor) -> dict[str, float]:
    with torch.no_grad():
        pred = model(x).numpy()
    errs = region_errors(y.numpy(), pred, y_train=y_train.numpy(), bins=EDGES, many=100, few=20)
    out = {region: errs[region]["mae"] for region in ("all", "many", "medium", "few")}
    few = shot_regions(y_train.numpy(), y.numpy(), bins=EDGES, many=100, few=20) == "few"
    out["few bias"] = float((pred - y.numpy())[few].mean())  # mean signed error
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--setting", choices=tuple(SETTINGS), default="small")
    parser.add_argument("--epochs", type=int, default=None, help="default: the setting's")
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    n_train, epochs, batch = SETTINGS[args.setting]
    epochs = epochs if args.epochs is None else args.epochs
    torch.set_num_threads(args.threads)
    start = time.perf_counter()
    scores: dict[str, list[dict[str, float]]] = {m: [] for m in METHODS}
    fitted: dict[str, list[dict[str, float]]] = {m: [] for m in METHODS}  # on training rows
    sigmas: dict[str, list[float]] = {"bmc": [], "gai": []}
    for seed in range(args.seeds):
        x_tr, y_tr, x_te, y_te = make_data(seed, n_train)
        if seed == 0:
            counts = np.histogram(y_tr.numpy(), EDGES)[0]
            print(
                f"# train rows {len(y_tr)}; bins with > 100 rows: {(counts > 100).sum()}, "
                f"20..100: {((counts >= 20) & (counts <= 100)).sum()}, < 20: "
                f"{(counts < 20).sum()}; test rows {len(y_te)}; {epochs} epochs of batch "
                f"{batch}; torch "
                f"{torch.__version__}, {args.threads} thread(s)"
            )
        for method in METHODS:
            model, sigma = train(method, x_tr, y_tr, epochs, seed, batch)
            scores[method].append(evaluate(model, x_te, y_te, y_tr))
            fitted[method].append(evaluate(model, x_tr, y_tr, y_tr))
            if method in sigmas:
                sigmas[method].append(sigma)
        print(f"# seed {seed} done at {time.perf_counter() - start:.0f} s", flush=True)
    for title, table in (("test rows (balanced)", scores), ("training rows", fitted)):
        print(f"\nMAE on the {title}, mean ± sd over {args.seeds} seed(s)\n")
        print("| method | all | many-shot | medium-shot | few-shot | few-shot signed error |")
        print("|---|---|---|---|---|---|")
        for method in METHODS:
            cells = []
            for region in ("all", "many", "medium", "few", "few bias"):
                vals = [s[region] for s in table[method]]
                sd = statistics.stdev(vals) if len(vals) > 1 else 0.0
                cells.append(f"{statistics.mean(vals):.2f} ± {sd:.2f}")
            print(f"| {method} | " + " | ".join(cells) + " |")
    print("\n# few-shot MAE (signed error) on the test rows, seed by seed")
    for method in METHODS:
        cells = [f"{s['few']:.2f} ({s['few bias']:+.2f})" for s in scores[method]]
        print(f"# {method}: {', '.join(cells)}")
    for method, vals in sigmas.items():
        print(f"\n# {method}: learnt noise sigma {', '.join(f'{v:.2f}' for v in vals)}", end="")
    print(f"\n# total {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
