"""Cleaning and prototype under-samplers, ours against imbalanced-learn, in one run.

Data: ``make_classification(n_features=20, n_informative=10, weights=[0.9], flip_y=0.01)``,
float64 as generated (what users pass), the same array for both libraries. Ours runs with
``n_jobs=-1`` (both cores) and, for the exact backend, also ``n_jobs=1`` (on a machine shared
with other jobs, two OpenMP threads can be slower than one); imbalanced-learn with its defaults
(scikit-learn's neighbour search uses every core through OpenMP anyway).

Sections (each prints a Markdown table row):

1. TomekLinks: imbalanced-learn; ours exact (the fast link search); ours approximate (faiss
   inverted lists, or brute force where they would not pay), with the share of
   imbalanced-learn's removed rows that it also removes.
2. EditedNearestNeighbours: the same three.
3. ClusterCentroids: ours at ``--rows``; imbalanced-learn at ``--cc-imblearn-rows`` (its k-means
   with as many clusters as minority rows takes minutes at 100k).
4. SMOTEENN (``--smoteenn``): imbalanced-learn against ours exact and approximate.
5. ``--million``: TomekLinks, EditedNearestNeighbours and SMOTEENN on 1M rows with the
   approximate backend (ours only); ``--million-exact`` also runs TomekLinks and ENN exact and
   reports the share of their removed rows that the approximate runs remove.

    nice python bench/bench_cleaning.py                       # 100k rows, sections 1-3
    nice python bench/bench_cleaning.py --rows 30000 --smoteenn
    nice python bench/bench_cleaning.py --skip-imblearn --million

Goals (issue 4): TomekLinks and ENN at 100k x 20 exact >= 3x and approximate >= 20x faster than
imbalanced-learn with >= 98 % of the same rows removed; 1M x 20 approximate TomekLinks, ENN and
SMOTEENN <= 60 s each; ClusterCentroids at 100k <= 10 s.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import time
from collections.abc import Callable
from typing import Any

import numpy as np
from imblearn.combine import SMOTEENN as ImbSMOTEENN
from imblearn.under_sampling import ClusterCentroids as ImbClusterCentroids
from imblearn.under_sampling import EditedNearestNeighbours as ImbENN
from imblearn.under_sampling import TomekLinks as ImbTomekLinks
from sklearn.datasets import make_classification

from imbalance.samplers import SMOTEENN, ClusterCentroids, EditedNearestNeighbours, TomekLinks


def data(n: int) -> tuple[np.ndarray, np.ndarray]:
    return make_classification(
        n_samples=n,
        n_features=20,
        n_informative=10,
        weights=[0.9],
        flip_y=0.01,
        random_state=0,
    )


def timed(func: Callable[[], Any]) -> tuple[float, Any]:
    gc.collect()
    start = time.perf_counter()
    out = func()
    return time.perf_counter() - start, out


def removed(sampler: Any, n: int) -> np.ndarray:
    return np.setdiff1d(np.arange(n), sampler.sample_indices_)


def row(name: str, n: int, impl: str, seconds: float, ref: float | None, extra: str = "") -> None:
    speedup = f"{ref / seconds:.1f}x" if ref else ""
    print(f"| {name} | {n:,} | {impl} | {seconds:.1f} | {speedup} | {extra} |", flush=True)


def cleaning_section(
    name: str, ours: Callable[..., Any], theirs: Any, X: np.ndarray, y: np.ndarray, skip: bool
) -> None:
    n = len(y)
    ref_time, ref_removed = None, None
    if not skip:
        ref_time, _ = timed(lambda: theirs.fit_resample(X, y))
        ref_removed = removed(theirs, n)
        row(name, n, "imbalanced-learn", ref_time, None, f"removed {ref_removed.size:,}")
    for backend, jobs in (("exact", -1), ("exact", 1), ("approximate", -1)):
        sampler = ours(neighbors=backend, n_jobs=jobs)
        seconds, _ = timed(lambda s=sampler: s.fit_resample(X, y))
        mine = removed(sampler, n)
        note = f"removed {mine.size:,}"
        if ref_removed is not None:
            same = np.isin(ref_removed, mine).mean() if ref_removed.size else 1.0
            extra = np.setdiff1d(mine, ref_removed).size
            note += f"; {100 * same:.2f} % of imbalanced-learn's removed rows, {extra} others"
        row(name, n, f"ours {backend}, n_jobs={jobs}", seconds, ref_time, note)


def cluster_section(rows: int, imb_rows: int, skip: bool) -> None:
    X, y = data(rows)
    seconds, _ = timed(lambda: ClusterCentroids(random_state=0).fit_resample(X, y))
    row("ClusterCentroids", rows, "ours (mini-batch k-means)", seconds, None, "soft voting")
    if skip:
        return
    Xs, ys = data(imb_rows)
    ref, _ = timed(lambda: ImbClusterCentroids(random_state=0).fit_resample(Xs, ys))
    row("ClusterCentroids", imb_rows, "imbalanced-learn (k-means)", ref, None, "soft voting")
    mine, _ = timed(lambda: ClusterCentroids(random_state=0).fit_resample(Xs, ys))
    row("ClusterCentroids", imb_rows, "ours", mine, ref, "soft voting")


def smoteenn_section(X: np.ndarray, y: np.ndarray, skip: bool) -> None:
    n = len(y)
    ref = None
    if not skip:
        ref, out = timed(lambda: ImbSMOTEENN(random_state=0).fit_resample(X, y))
        row("SMOTEENN", n, "imbalanced-learn", ref, None, f"output {len(out[1]):,} rows")
    for backend in ("exact", "approximate"):
        sampler = SMOTEENN(random_state=0, neighbors=backend, n_jobs=-1)
        seconds, out = timed(lambda s=sampler: s.fit_resample(X, y))
        row("SMOTEENN", n, f"ours {backend}", seconds, ref, f"output {len(out[1]):,} rows")


def million_section(rows: int, exact: bool) -> None:
    X, y = data(rows)
    for name, make in (
        ("TomekLinks", TomekLinks),
        ("EditedNearestNeighbours", EditedNearestNeighbours),
        ("SMOTEENN", lambda **kw: SMOTEENN(random_state=0, **kw)),
    ):
        sampler = make(neighbors="approximate", n_jobs=-1)
        seconds, out = timed(lambda s=sampler: s.fit_resample(X, y))
        note = f"output {len(out[1]):,} rows"
        if exact and name != "SMOTEENN":
            reference = make(neighbors="exact", n_jobs=-1)
            ref_seconds, _ = timed(lambda s=reference: s.fit_resample(X, y))
            ref_removed, mine = removed(reference, rows), removed(sampler, rows)
            row(name, rows, "ours exact", ref_seconds, None, f"removed {ref_removed.size:,}")
            same = np.isin(ref_removed, mine).mean() if ref_removed.size else 1.0
            extra = np.setdiff1d(mine, ref_removed).size
            share = f"{100 * same:.2f} % of exact's removed rows"
            note = f"removed {mine.size:,}; {share}, {extra} others"
        row(name, rows, "ours approximate", seconds, None, note)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--cc-imblearn-rows", type=int, default=20_000)
    parser.add_argument("--smoteenn", action="store_true")
    parser.add_argument("--million", action="store_true")
    parser.add_argument("--million-rows", type=int, default=1_000_000)
    parser.add_argument("--million-exact", action="store_true")
    parser.add_argument("--skip-imblearn", action="store_true")
    parser.add_argument("--sections", default="tomek,enn,cc")
    args = parser.parse_args()
    sections = set(args.sections.split(","))
    print(f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores")
    print("\n| sampler | rows | implementation | seconds | speed-up | notes |")
    print("|---|---|---|---|---|---|")
    X, y = data(args.rows)
    skip = args.skip_imblearn
    if "tomek" in sections:
        cleaning_section("TomekLinks", TomekLinks, ImbTomekLinks(), X, y, skip)
    if "enn" in sections:
        cleaning_section("EditedNearestNeighbours", EditedNearestNeighbours, ImbENN(), X, y, skip)
    if "cc" in sections:
        cluster_section(args.rows, args.cc_imblearn_rows, skip)
    if args.smoteenn:
        smoteenn_section(X, y, skip)
    if args.million:
        million_section(args.million_rows, args.million_exact)


if __name__ == "__main__":
    main()
