"""Forward+backward time of each imbalance.torch loss, relative to BCE / cross-entropy.

Anchors, in the same run and process:

- ``bce`` / ``ce``: ``torch.nn.functional.binary_cross_entropy_with_logits`` / ``cross_entropy``.
- ``torchvision focal``: torchvision's published ``sigmoid_focal_loss`` formula (sigmoid,
  ``binary_cross_entropy_with_logits``, ``p_t``, ``(1 - p_t) ** gamma``, ``alpha_t``), written
  out here because torchvision cannot be imported beside this torch build; the same maths, op for
  op. ``torchvision focal, compiled`` is that formula under ``torch.compile``.
- ``naive softmax focal``: ``log_softmax``, gather, ``(1 - p) ** gamma`` through autograd.

``ours`` is the public function (fused path, compiled when it works here and the input is large);
``ours, eager kernels`` forces the fallback (``IMBALANCE_TORCH_COMPILE=0``). Before timing, our
focal losses are checked against the anchors' values and gradients.

    python bench/bench_losses.py                    # CPU: (65536, 28), (65536, 1000), (1048576, 1)
    python bench/bench_losses.py --quick            # smaller shapes, 3 repeats
    python bench/bench_losses.py --device cuda      # adds (1048576, 80); records the card

Goals (issue 5): on CPU, sigmoid and softmax focal <= 1.5x BCE / CE at (65536, 1000); on an H100,
<= 1.0 ms at (1048576, 80) float32, i.e. >= 10x torchvision's focal.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import statistics
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import torch
import torch.nn.functional as F

from imbalance.torch import _fused
from imbalance.torch import functional as LF

GAMMA, ALPHA = 2.0, 0.25
CPU_SHAPES = [(65536, 28), (65536, 1000), (1048576, 1)]
CUDA_SHAPES = [*CPU_SHAPES, (1048576, 80)]
QUICK_SHAPES = [(8192, 28), (8192, 1000), (131072, 1)]


@dataclass
class Case:
    name: str
    family: str  # "sigmoid" or "softmax"
    fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor]
    ours: bool = False


def torchvision_focal(x: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
    """torchvision.ops.sigmoid_focal_loss's formula, with reduction='mean'."""
    p = torch.sigmoid(x)
    ce = F.binary_cross_entropy_with_logits(x, t, reduction="none")
    p_t = p * t + (1 - p) * (1 - t)
    loss = ce * ((1 - p_t) ** GAMMA)
    alpha_t = ALPHA * t + (1 - ALPHA) * (1 - t)
    return (alpha_t * loss).mean()


def naive_softmax_focal(x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    log_p = F.log_softmax(x, dim=1).gather(1, y.unsqueeze(1)).squeeze(1)
    return (-((1 - log_p.exp()) ** GAMMA) * log_p).mean()


@contextlib.contextmanager
def eager_kernels() -> Iterator[None]:
    old = os.environ.get("IMBALANCE_TORCH_COMPILE")
    os.environ["IMBALANCE_TORCH_COMPILE"] = "0"
    try:
        yield
    finally:
        if old is None:
            del os.environ["IMBALANCE_TORCH_COMPILE"]
        else:
            os.environ["IMBALANCE_TORCH_COMPILE"] = old


def with_eager(fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor]) -> Callable:
    def run(x: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
        with eager_kernels():
            return fn(x, t)

    return run


def cases(n_classes: int, counts: list[int], compile_anchor: bool) -> list[Case]:
    sig_focal = lambda x, t: LF.sigmoid_focal_loss(x, t, alpha=ALPHA, gamma=GAMMA)  # noqa: E731
    out = [
        Case("bce", "sigmoid", F.binary_cross_entropy_with_logits),
        Case("torchvision focal", "sigmoid", torchvision_focal),
    ]
    if compile_anchor:
        out.append(Case("torchvision focal, compiled", "sigmoid", torch.compile(torchvision_focal)))
    out += [
        Case("ours: sigmoid_focal_loss", "sigmoid", sig_focal, ours=True),
        Case("ours: sigmoid_focal_loss, eager kernels", "sigmoid", with_eager(sig_focal)),
        Case("ours: asymmetric_loss", "sigmoid", LF.asymmetric_loss, ours=True),
    ]
    if n_classes < 2:
        return out
    soft_focal = lambda x, y: LF.softmax_focal_loss(x, y, gamma=GAMMA)  # noqa: E731
    return [
        *out,
        Case("ce", "softmax", F.cross_entropy),
        Case("naive softmax focal", "softmax", naive_softmax_focal),
        Case("ours: softmax_focal_loss", "softmax", soft_focal, ours=True),
        Case("ours: softmax_focal_loss, eager kernels", "softmax", with_eager(soft_focal)),
        Case(
            "ours: class_balanced_loss",
            "softmax",
            lambda x, y: LF.class_balanced_loss(x, y, class_counts=counts),
            ours=True,
        ),
        Case(
            "ours: ldam_loss",
            "softmax",
            lambda x, y: LF.ldam_loss(x, y, class_counts=counts, scale=1.0),
            ours=True,
        ),
        Case(
            "ours: logit_adjusted_loss",
            "softmax",
            lambda x, y: LF.logit_adjusted_loss(x, y, class_counts=counts),
            ours=True,
        ),
        Case(
            "ours: balanced_softmax_loss",
            "softmax",
            lambda x, y: LF.balanced_softmax_loss(x, y, class_counts=counts),
            ours=True,
        ),
    ]


def sync(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def fwd_bwd(case: Case, x: torch.Tensor, target: torch.Tensor) -> float:
    x.grad = None
    sync(x.device)
    start = time.perf_counter()
    case.fn(x, target).backward()
    sync(x.device)
    return time.perf_counter() - start


def check_against_anchors(x: torch.Tensor, multi: torch.Tensor, labels: torch.Tensor) -> str:
    """Largest relative difference of our focal losses (loss, gradient) from the anchors."""
    worst = 0.0
    pairs = [
        (
            lambda v: LF.sigmoid_focal_loss(v, multi, alpha=ALPHA, gamma=GAMMA),
            lambda v: torchvision_focal(v, multi),
        ),
    ]
    if x.shape[1] > 1:
        pairs.append(
            (
                lambda v: LF.softmax_focal_loss(v, labels, gamma=GAMMA),
                lambda v: naive_softmax_focal(v, labels),
            )
        )
    for ours, anchor in pairs:
        results = []
        for fn in (ours, anchor):
            v = x.detach().clone().requires_grad_()
            loss = fn(v)
            loss.backward()
            results.append((loss.detach(), v.grad))
            del v
        (l_o, g_o), (l_a, g_a) = results
        worst = max(
            worst,
            ((l_o - l_a).abs() / l_a.abs()).item(),
            ((g_o - g_a).abs().max() / g_a.abs().max()).item(),
        )
    return f"{worst:.1e}"


def describe(device: torch.device) -> str:
    if device.type == "cuda":
        return f"CUDA: {torch.cuda.get_device_name(device)}"
    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError), open("/proc/cpuinfo") as info:
        for line in info:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return f"CPU: {cpu}, {torch.get_num_threads()} threads"


def path_taken(numel: int, device: torch.device) -> str:
    failed = any(k.endswith(device.type) for k in _fused._failed)
    compiled = _fused.wants_compiled(numel, device) and _fused._compiled and not failed
    return "compiled" if compiled else "eager kernels"


def run_shape(
    shape: tuple[int, int], device: torch.device, repeats: int, compile_anchor: bool
) -> list[str]:
    n, c = shape
    gen = torch.Generator().manual_seed(0)
    x = (2 * torch.randn(n, c, generator=gen)).to(device).requires_grad_()
    multi = (torch.rand(n, c, generator=gen) < 0.05).float().to(device)
    labels = torch.randint(0, max(c, 1), (n,), generator=gen).to(device)
    counts = [max(1, int(1000 * 0.9**k)) for k in range(c)]
    all_cases = cases(c, counts, compile_anchor)
    warm = {}
    for case in all_cases:  # warm-up: includes any compilation
        start = time.perf_counter()
        fwd_bwd(case, x, multi if case.family == "sigmoid" else labels)
        warm[case.name] = time.perf_counter() - start
    times: dict[str, list[float]] = {case.name: [] for case in all_cases}
    for _ in range(repeats):  # interleaved, so drifts in machine load hit every case alike
        for case in all_cases:
            times[case.name].append(fwd_bwd(case, x, multi if case.family == "sigmoid" else labels))
    med = {name: statistics.median(ts) for name, ts in times.items()}
    rows = []
    for case in all_cases:
        base = med["bce" if case.family == "sigmoid" else "ce"]
        path = path_taken(x.numel(), device) if case.ours else ""
        rows.append(
            f"| {n} x {c} | {case.name} | {med[case.name] * 1e3:.2f} | "
            f"{med[case.name] / base:.2f} | {warm[case.name]:.1f} | {path} |"
        )
    rows.append(
        f"| {n} x {c} | check: ours vs anchors, max relative difference | "
        f"{check_against_anchors(x, multi, labels)} | | | |"
    )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    parser.add_argument("--repeats", type=int, default=None)
    parser.add_argument("--quick", action="store_true", help="small shapes, 3 repeats")
    parser.add_argument(
        "--threads",
        type=int,
        default=None,
        help="torch.set_num_threads (CPU); default: torch's choice",
    )
    parser.add_argument(
        "--no-compile-anchor",
        action="store_true",
        help="skip torchvision's formula under torch.compile",
    )
    args = parser.parse_args()
    device = torch.device(args.device)
    if args.threads:
        torch.set_num_threads(args.threads)
    shapes = QUICK_SHAPES if args.quick else (CUDA_SHAPES if device.type == "cuda" else CPU_SHAPES)
    repeats = args.repeats or (3 if args.quick else (30 if device.type == "cuda" else 5))
    print(
        f"# bench_losses: {describe(device)}; torch {torch.__version__}; float32; "
        f"gamma={GAMMA}, alpha={ALPHA}; median of {repeats} forward+backward runs"
    )
    print(
        "# 'torchvision focal' re-implements torchvision.ops.sigmoid_focal_loss's formula "
        "(torchvision cannot be imported beside this torch build)."
    )
    print("| shape | loss | ms | x BCE / CE | warm-up s | our path |")
    print("|---|---|---|---|---|---|")
    for shape in shapes:
        for row in run_shape(shape, device, repeats, not args.no_compile_anchor):
            print(row, flush=True)


if __name__ == "__main__":
    main()
