"""The SMOTE family and its neighbour engine, ours against imbalanced-learn, in one run.

Data: ``make_classification(n_features=20, weights=[0.95], flip_y=0)``. Everything runs on one
thread (``threadpoolctl`` limits BLAS/OpenMP to 1, ``n_jobs=1``) unless a row says ``n_jobs=2``.

Sections:

1. k nearest neighbours of the minority class (the SMOTE search): scikit-learn brute force
   (float64, what imbalanced-learn uses) against ``imbalance.neighbors`` exact (with faiss,
   and without it: numpy's blocked float32 search) / approximate (with its recall) / torch on
   the CPU.
2. SMOTE: imbalanced-learn, ours exact (with and without faiss), ours approximate, ours exact
   with ``n_jobs=2``; the synthetic rows' mean and covariance are compared with
   imbalanced-learn's (largest gap, in standard errors).
3. BorderlineSMOTE and ADASYN (whole-data searches): imbalanced-learn, ours exact (with and
   without faiss), approximate.
4. Peak memory of SMOTE relative to the size of the output X: allocations traced by
   ``tracemalloc`` (numpy reports its buffers there), and the resident-set peak for reference
   (the latter reads 0 when freed memory from earlier sections is reused).

    nice python bench/bench_smote.py                                  # 1M rows, 300k rows
    nice python bench/bench_smote.py --smote-rows 200000 --border-rows 100000 --quick

Goals (issue 3): SMOTE 1M x 20 exact >= 2x and approximate >= 10x faster than imbalanced-learn;
BorderlineSMOTE / ADASYN at 300k >= 5x exact, >= 20x approximate; peak extra memory <= 1.2x the
output size.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import importlib.util
import platform
import time
import tracemalloc
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
from _measure import peak_extra_mib
from imblearn.over_sampling import ADASYN as ImbADASYN
from imblearn.over_sampling import SMOTE as ImbSMOTE
from imblearn.over_sampling import BorderlineSMOTE as ImbBorderline
from sklearn.datasets import make_classification
from sklearn.neighbors import NearestNeighbors
from threadpoolctl import threadpool_limits

from imbalance.neighbors import NeighborIndex
from imbalance.samplers import ADASYN, SMOTE, BorderlineSMOTE


def timed(func: Callable[[], Any]) -> tuple[float, Any]:
    gc.collect()
    start = time.perf_counter()
    out = func()
    return time.perf_counter() - start, out


@contextlib.contextmanager
def without_faiss() -> Iterator[None]:
    """Hide faiss from the engine, as on an install without the 'approximate' extra."""
    real = importlib.util.find_spec
    importlib.util.find_spec = lambda name, *a: None if name == "faiss" else real(name, *a)
    try:
        yield
    finally:
        importlib.util.find_spec = real


def data(n: int) -> tuple[np.ndarray, np.ndarray]:
    return make_classification(n_samples=n, n_features=20, weights=[0.95], flip_y=0, random_state=0)


def gap_in_standard_errors(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """Largest |difference| of means and of covariances, in standard errors."""
    se_mean = np.sqrt(a.var(axis=0) / len(a) + b.var(axis=0) / len(b))
    mean_gap = float(np.max(np.abs(a.mean(axis=0) - b.mean(axis=0)) / se_mean))
    ca, cb = np.cov(a.T), np.cov(b.T)
    var = np.diag(ca)
    se_cov = np.sqrt((np.outer(var, var) + ca**2) * 2.0 / min(len(a), len(b)))
    return mean_gap, float(np.max(np.abs(ca - cb) / se_cov))


def recall(found: np.ndarray, truth: np.ndarray) -> float:
    hits = sum(len(set(f) & set(t)) for f, t in zip(found, truth, strict=True))
    return hits / truth.size


def row(name: str, seconds: float, anchor: float | None = None, note: str = "") -> None:
    speed = f"{anchor / seconds:6.1f}x" if anchor else "   1.0x"
    print(f"| {name:<44} | {seconds:8.2f} | {speed} | {note} |", flush=True)


def header(title: str) -> None:
    print(f"\n{title}\n\n| what | seconds | speed-up | note |\n|---|---|---|---|", flush=True)


def bench_neighbours(X_min: np.ndarray, quick: bool) -> None:
    header(f"k = 5 neighbours of {len(X_min)} minority rows x {X_min.shape[1]} features")
    t_sk, (_, truth) = timed(
        lambda: NearestNeighbors(n_neighbors=5, algorithm="brute").fit(X_min).kneighbors()
    )
    row("scikit-learn brute float64 (imbalanced-learn)", t_sk)
    for backend in ("exact", "exact no faiss", "approximate", "torch"):
        if quick and backend == "torch":
            continue
        hide = without_faiss() if backend == "exact no faiss" else contextlib.nullcontext()
        index = NeighborIndex(backend=backend.split()[0], n_jobs=1, random_state=0)
        with hide:
            t, found = timed(lambda index=index: index.fit(X_min).kneighbors(n_neighbors=5))
        row(
            f"imbalance {backend} ({index.algorithm_})",
            t,
            t_sk,
            f"recall {recall(found, truth):.4f}",
        )


def bench_smote(X: np.ndarray, y: np.ndarray) -> None:
    header(f"SMOTE on {len(y)} x {X.shape[1]} ({int((y == 1).sum())} minority rows)")
    t_imb, (X_imb, _) = timed(lambda: ImbSMOTE(random_state=0).fit_resample(X, y))
    row("imbalanced-learn SMOTE", t_imb)
    new_imb = X_imb[len(y) :]
    del X_imb
    for name, kwargs in (
        ("exact", {"neighbors": "exact", "n_jobs": 1}),
        ("exact no faiss", {"neighbors": "exact", "n_jobs": 1}),
        ("approximate", {"neighbors": "approximate", "n_jobs": 1}),
    ):
        hide = without_faiss() if name == "exact no faiss" else contextlib.nullcontext()
        with hide:
            t, (X_res, _) = timed(
                lambda kwargs=kwargs: SMOTE(random_state=0, **kwargs).fit_resample(X, y)
            )
        mean_gap, cov_gap = gap_in_standard_errors(X_res[len(y) :], new_imb)
        row(
            f"imbalance SMOTE {name}",
            t,
            t_imb,
            f"gap: mean {mean_gap:.1f} se, cov {cov_gap:.1f} se",
        )
        del X_res
    with threadpool_limits(limits=2):
        t2, _ = timed(lambda: SMOTE(random_state=0, neighbors="exact", n_jobs=2).fit_resample(X, y))
    row("imbalance SMOTE exact, n_jobs=2", t2, t_imb)


def bench_whole_data(X: np.ndarray, y: np.ndarray, backends: tuple[str, ...]) -> None:
    header(f"Whole-data searches on {len(y)} x {X.shape[1]} ({int((y == 1).sum())} minority rows)")
    for ours_cls, imb_cls in ((BorderlineSMOTE, ImbBorderline), (ADASYN, ImbADASYN)):
        name = ours_cls.__name__
        t_imb, _ = timed(lambda imb_cls=imb_cls: imb_cls(random_state=0).fit_resample(X, y))
        row(f"imbalanced-learn {name}", t_imb)
        for backend in backends:
            sampler = ours_cls(random_state=0, neighbors=backend.split()[0], n_jobs=1)
            hide = without_faiss() if backend == "exact no faiss" else contextlib.nullcontext()
            with hide:
                t, _ = timed(lambda sampler=sampler: sampler.fit_resample(X, y))
            row(f"imbalance {name} {backend}", t, t_imb)
        with threadpool_limits(limits=2):
            sampler = ours_cls(random_state=0, neighbors="exact", n_jobs=2)
            t, _ = timed(lambda sampler=sampler: sampler.fit_resample(X, y))
        row(f"imbalance {name} exact, n_jobs=2", t, t_imb)


def peak_traced_mib(func: Callable[[], Any]) -> float:
    """Peak of the memory allocated during the call (numpy buffers included), in MiB."""
    gc.collect()
    tracemalloc.start()
    result = func()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    del result
    return peak / 2**20


def bench_memory(X: np.ndarray, y: np.ndarray) -> None:
    out_mib = (2 * int((y == 0).sum())) * X.shape[1] * X.itemsize / 2**20
    print(f"\nPeak memory allocated by SMOTE, output X included ({out_mib:.0f} MiB)\n")
    print("| what | peak traced MiB | x output | peak extra RSS MiB |\n|---|---|---|---|")
    for name, func in (
        ("imbalanced-learn SMOTE", lambda: ImbSMOTE(random_state=0).fit_resample(X, y)),
        (
            "imbalance SMOTE exact",
            lambda: SMOTE(random_state=0, neighbors="exact").fit_resample(X, y),
        ),
    ):
        traced = peak_traced_mib(func)
        rss = peak_extra_mib(func)
        print(f"| {name} | {traced:.0f} | {traced / out_mib:.2f} | {rss:.0f} |", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--smote-rows", type=int, default=1_000_000)
    parser.add_argument("--border-rows", type=int, default=300_000)
    parser.add_argument("--quick", action="store_true", help="skip the torch row")
    args = parser.parse_args()
    print(
        f"machine: {platform.processor() or platform.machine()}, python {platform.python_version()}"
    )
    X, y = data(args.smote_rows)
    with threadpool_limits(limits=1):
        bench_neighbours(X[y == 1], args.quick)
        bench_smote(X, y)
    bench_memory(X, y)
    del X, y
    X, y = data(args.border_rows)
    with threadpool_limits(limits=1):
        bench_whole_data(X, y, ("exact", "exact no faiss", "approximate"))


if __name__ == "__main__":
    main()
