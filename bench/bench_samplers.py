"""Benchmark: imbalance.torch samplers against WeightedRandomSampler and torchsampler.

Each case runs in a fresh process: build the sampler from int8 labels (98 % / 2 %), then draw
one epoch (``collections.deque(iter(sampler), maxlen=0)``, the cheapest consumer). Reported,
best of ``--repeats`` fresh processes for cases under 20 s (the machine is shared): construction
seconds (for WeightedRandomSampler this includes the per-sample weights its users
must compute), epoch seconds, and the peak resident memory above the level with the labels
loaded (kernel VmHWM, so torch's and pandas' allocations count).

torchsampler 0.1.2 imports torchvision at module level, which cannot be installed beside this
torch; its algorithm (pandas ``value_counts`` weights, ``torch.multinomial`` over all samples,
a Python generator over the drawn tensor) is reproduced here, and when torchsampler itself is
installed its real code is loaded with a stub ``torchvision`` and checked to draw the very same
indices as the reproduction.

Usage::

    nice python bench/bench_samplers.py                # N = 1e6, 1e7, and 1e8 for ours
    nice python bench/bench_samplers.py --sizes 1e6 --big 0
    nice python bench/bench_samplers.py --sizes 1e7 --methods ours weighted
"""

from __future__ import annotations

import argparse
import collections
import json
import platform
import subprocess
import sys
import time
import types
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _measure import _status_kib

TORCH_LIMIT = 2**24
METHODS = {
    "ours: ClassBalancedSampler": "ours",
    "ours: ClassBalancedSampler(replacement=False)": "ours_quota",
    "ours: StratifiedBatchSampler(batch_size=256)": "ours_stratified",
    "torch: WeightedRandomSampler": "weighted",
    "torchsampler: ImbalancedDatasetSampler": "torchsampler",
}
ANCHORS = ("weighted", "torchsampler")


def make_labels(n: int, seed: int = 0) -> np.ndarray:
    """int8 labels, about 2 % of them 1."""
    rng = np.random.default_rng(seed)
    return (rng.integers(0, 50, size=n, dtype=np.int8) == 0).astype(np.int8)


class TorchsamplerAlgorithm:
    """torchsampler 0.1.2's ImbalancedDatasetSampler, step for step, without torchvision."""

    def __init__(self, labels: Any, num_samples: int | None = None) -> None:
        import pandas as pd
        import torch

        self.indices = list(range(len(labels)))
        self.num_samples = len(self.indices) if num_samples is None else num_samples
        frame = pd.DataFrame()
        frame["label"] = labels
        frame.index = self.indices
        frame = frame.sort_index()
        per_label = frame["label"].value_counts()
        self.weights = torch.DoubleTensor((1.0 / per_label[frame["label"]]).to_list())

    def __iter__(self) -> Any:
        import torch

        drawn = torch.multinomial(self.weights, self.num_samples, replacement=True)
        return (self.indices[i] for i in drawn)

    def __len__(self) -> int:
        return self.num_samples


def real_torchsampler() -> Any:
    """torchsampler's class, loaded with a stub torchvision when the real one is missing."""
    try:
        import torchvision  # noqa: F401
    except ImportError:
        stub = types.ModuleType("torchvision")
        kinds = ("MNIST", "ImageFolder", "DatasetFolder")
        stub.datasets = types.SimpleNamespace(**{k: type(k, (), {}) for k in kinds})  # type: ignore[attr-defined]
        sys.modules["torchvision"] = stub
    from torchsampler import ImbalancedDatasetSampler

    return ImbalancedDatasetSampler


def build(method: str, labels: np.ndarray) -> Any:
    import torch

    from imbalance.torch import ClassBalancedSampler, StratifiedBatchSampler

    if method == "ours":
        return ClassBalancedSampler(labels, seed=0)
    if method == "ours_quota":
        return ClassBalancedSampler(labels, replacement=False, seed=0)
    if method == "ours_stratified":
        return StratifiedBatchSampler(labels, 256, seed=0)
    if method == "weighted":
        weights = torch.from_numpy(1.0 / np.bincount(labels)[labels])
        return torch.utils.data.WeightedRandomSampler(weights, labels.size)
    return TorchsamplerAlgorithm(labels)


def minority_share(method: str, sampler: Any, labels: np.ndarray, draws: int = 200_000) -> float:
    """Share of the minority class among the first draws (a check that the sampler balances)."""
    import itertools

    head = list(itertools.islice(iter(sampler), draws // 256 if "stratified" in method else draws))
    rows = (
        np.fromiter(itertools.chain.from_iterable(head), np.int64)
        if head and isinstance(head[0], list)
        else np.asarray([int(i) for i in head])
    )
    return float(labels[rows].mean())


def run_case(method: str, n: int) -> dict[str, Any]:
    """One measurement, in this (fresh) process (imports done before the clock starts)."""
    import pandas  # noqa: F401  (torchsampler's dependency)
    import torch

    import imbalance.torch  # noqa: F401

    torch.manual_seed(0)
    labels = make_labels(n)
    Path("/proc/self/clear_refs").write_text("5")
    before = _status_kib("VmRSS")
    start = time.perf_counter()
    sampler = build(method, labels)
    built = time.perf_counter()
    collections.deque(iter(sampler), maxlen=0)
    done = time.perf_counter()
    peak = _status_kib("VmHWM")
    share = minority_share(method, sampler, labels, 100_000)
    return {
        "construct_s": built - start,
        "epoch_s": done - built,
        "peak_extra_mib": (peak - before) / 1024,
        "minority_share": share,
        "len": len(sampler),
    }


def verify_reproduction(n: int = 20_000) -> str:
    try:
        real = real_torchsampler()
    except ImportError as exc:
        return f"torchsampler is not installed ({exc}); the reproduction was not compared."
    import torch

    labels = make_labels(n, seed=1)
    torch.manual_seed(3)
    theirs = list(real(range(n), labels=labels.tolist()))
    torch.manual_seed(3)
    ours = list(TorchsamplerAlgorithm(labels.tolist()))
    same = theirs == ours
    return (
        f"torchsampler's own code (torchvision stubbed) and the reproduction drew "
        f"{'the same' if same else 'DIFFERENT'} {n} indices from the same torch seed."
    )


def weighted_limit() -> str:
    import torch

    weights = torch.ones(TORCH_LIMIT + 1, dtype=torch.float64)
    sampler = torch.utils.data.WeightedRandomSampler(weights, 10)
    try:
        next(iter(sampler))
    except RuntimeError as exc:
        return f"WeightedRandomSampler, N = 2**24 + 1: RuntimeError: {str(exc).splitlines()[0]}"
    return "WeightedRandomSampler, N = 2**24 + 1: no error"


def in_child(method: str, n: int, timeout: float) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--case", method, str(n)]
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return {"error": f"over {timeout:.0f} s"}
    if out.returncode != 0:
        return {"error": out.stderr.strip().splitlines()[-1] if out.stderr else "failed"}
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def best_of(method: str, n: int, timeout: float, repeats: int) -> dict[str, Any]:
    """The fastest of ``repeats`` fresh-process runs (one run for cases over 20 s)."""
    best = in_child(method, n, timeout)
    for _ in range(repeats - 1):
        if "error" in best or best["construct_s"] + best["epoch_s"] > 20:
            break
        again = in_child(method, n, timeout)
        if "error" not in again:
            for key in ("construct_s", "epoch_s"):
                best[key] = min(best[key], again[key])
    return best


def table(rows: list[tuple[str, int, dict[str, Any]]]) -> str:
    lines = [
        "| sampler | N | construct s | one epoch s | peak extra MiB | minority share | len |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, n, r in rows:
        if "error" in r:
            lines.append(f"| {name} | {n:.0e} | — | — | — | {r['error']} | — |")
            continue
        lines.append(
            f"| {name} | {n:.0e} | {r['construct_s']:.2f} | {r['epoch_s']:.2f} | "
            f"{r['peak_extra_mib']:.0f} | {r['minority_share']:.3f} | {r['len']} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="*", type=float, default=[1e6, 1e7])
    parser.add_argument("--big", type=float, default=1e8, help="N for ours only; 0 skips")
    parser.add_argument("--timeout", type=float, default=600)
    parser.add_argument("--repeats", type=int, default=3, help="best of, for cases under 20 s")
    parser.add_argument(
        "--methods", nargs="*", default=list(METHODS.values()), choices=list(METHODS.values())
    )
    parser.add_argument("--case", nargs=2, metavar=("METHOD", "N"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.case:
        print(json.dumps(run_case(args.case[0], int(args.case[1]))))
        return 0
    import torch

    import imbalance

    print(
        f"Machine: {platform.machine()}, Python {platform.python_version()}, torch "
        f"{torch.__version__}, numpy {np.__version__}, imbalance {imbalance.__version__}; "
        f"labels int8, 2 % minority; each case in a fresh process.\n"
    )
    rows = []
    chosen = {name: method for name, method in METHODS.items() if method in args.methods}
    for n in [int(s) for s in args.sizes]:
        for name, method in chosen.items():
            rows.append((name, n, best_of(method, n, args.timeout, args.repeats)))
            print(table(rows[-1:]).splitlines()[-1], flush=True)
    if args.big:
        n = int(args.big)
        for name, method in chosen.items():
            result = (
                {"error": "skipped: torch.multinomial stops at 2**24 categories"}
                if method in ANCHORS
                else best_of(method, n, args.timeout, args.repeats)
            )
            rows.append((name, n, result))
            print(table(rows[-1:]).splitlines()[-1], flush=True)
    print()
    print(table(rows))
    print()
    print(weighted_limit())
    print(verify_reproduction())
    return 0


if __name__ == "__main__":
    sys.exit(main())
