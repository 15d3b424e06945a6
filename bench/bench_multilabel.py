"""Multi-label: stratified splits (time and quality) and the resamplers' time, in one run.

Splitters: ``imbalance.multilabel.MultilabelStratifiedKFold`` (first and second order) against
scikit-learn's ``KFold`` (the floor: no stratification) and, when it is installed, the
``iterative-stratification`` package (``pip install iterative-stratification``; a benchmark
reference only, never a dependency), on long-tailed label sets:

- 100k rows x 28 labels with the label frequencies of the Human Protein Atlas competition
  (Nucleoplasm 41 % ... Rods & rings 0.04 %);
- 1M rows x 100 labels with Zipf-like frequencies (40 % ... 0.25 %).

Quality is measured on the test folds by ``stratification_quality``: Sechidis et al.'s label
distribution (LD), the mean and maximum absolute deviation of each label's share in a fold
from its share overall, the same for label pairs, and the (label, fold) pairs left without a
positive row. Resamplers: ML-ROS, ML-RUS, REMEDIAL and MLSMOTE on 50k rows.

    nice python bench/bench_multilabel.py                  # every case (a few minutes)
    nice python bench/bench_multilabel.py --quick          # 10x fewer rows
    nice python bench/bench_multilabel.py --no-reference   # skip iterative-stratification
"""

from __future__ import annotations

import argparse
import importlib.util
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from _measure import median_seconds  # noqa: E402

HPA_COUNTS = np.array(
    [12885, 1254, 3621, 1561, 1858, 2513, 1008, 2822, 53, 45, 28, 1093, 688, 537,
     1066, 21, 530, 210, 902, 1482, 172, 3777, 802, 2965, 322, 8228, 328, 11]
)  # fmt: skip


def labels(n: int, frequencies: np.ndarray, seed: int = 0, min_count: int = 1) -> sp.csr_matrix:
    """Independent labels of the given frequencies (at least ``min_count`` rows each), built one
    column at a time (sparse)."""
    rng = np.random.default_rng(seed)
    rows, cols = [], []
    for j, p in enumerate(frequencies):
        hit = np.flatnonzero(rng.random(n) < p)
        if hit.size < min_count:
            hit = np.union1d(hit, rng.choice(n, min_count, replace=False))[:min_count]
        rows.append(hit)
        cols.append(np.full(hit.size, j))
    r, c = np.concatenate(rows), np.concatenate(cols)
    return sp.csr_matrix((np.ones(r.size, dtype=np.int8), (r, c)), shape=(n, frequencies.size))


def timed(func: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    out = func()
    return time.perf_counter() - start, out


def splitters(reference: bool) -> dict[str, Callable[[Any, Any], list[np.ndarray]]]:
    from sklearn.model_selection import KFold

    from imbalance.multilabel import MultilabelStratifiedKFold

    def run(cv: Any, dense: bool = False) -> Callable[[Any, Any], list[np.ndarray]]:
        def split(X: Any, Y: Any) -> list[np.ndarray]:
            return [t for _, t in cv.split(X, Y.toarray() if dense else Y)]

        return split

    out = {
        "KFold (no stratification)": run(KFold(5, shuffle=True, random_state=0)),
        "imbalance, order 1": run(MultilabelStratifiedKFold(5, shuffle=True, random_state=0)),
        "imbalance, order 2": run(
            MultilabelStratifiedKFold(5, order=2, shuffle=True, random_state=0)
        ),
    }
    if reference and importlib.util.find_spec("iterstrat") is not None:
        from iterstrat.ml_stratifiers import MultilabelStratifiedKFold as Reference

        out["iterative-stratification 0.1.9"] = run(
            Reference(n_splits=5, shuffle=True, random_state=0), dense=True
        )
    return out


def split_case(name: str, Y: sp.csr_matrix, reference: bool, pairs: bool) -> list[str]:
    from imbalance.multilabel import stratification_quality

    X = np.zeros((Y.shape[0], 1), dtype=np.int8)
    counts = np.asarray(Y.sum(axis=0)).ravel()
    print(
        f"\n### {name}: {Y.shape[0]:,} rows x {Y.shape[1]} labels, "
        f"label counts {counts.max():,} ... {counts.min():,}",
        flush=True,
    )
    lines = [
        "| splitter | time (s) | LD | mean abs dev | max abs dev | (label, fold) holes "
        + ("| pair mean abs dev | (pair, fold) holes |" if pairs else "|"),
        "|---|---:|---:|---:|---:|---:|" + ("---:|---:|" if pairs else ""),
    ]
    print("\n".join(lines), flush=True)
    for label, split in splitters(reference).items():
        seconds, parts = timed(lambda split=split: split(X, Y))
        q = stratification_quality(Y, parts)
        row = (
            f"| {label} | {seconds:.2f} | {q['label_distribution']:.2e} | "
            f"{q['mean_abs_deviation']:.2e} | {q['max_abs_deviation']:.2e} | "
            f"{q['zero_positive_parts']:.0f} |"
        )
        if pairs:
            q2 = stratification_quality(Y, parts, order=2)
            row += f" {q2['mean_abs_deviation']:.2e} | {q2['zero_positive_parts']:.0f} |"
        print(row, flush=True)
        lines.append(row)
    return lines


def resampler_case(n: int) -> list[str]:
    from imbalance.multilabel import MLROS, MLRUS, MLSMOTE, REMEDIAL, mean_ir, scumble

    rng = np.random.default_rng(0)
    cases = {
        "HPA-28": labels(n, HPA_COUNTS / 31072, min_count=2).toarray(),
        "Zipf-20": labels(n, 0.5 * np.arange(1, 21) ** -1.0, min_count=2).toarray(),
    }
    lines = [
        "| labels | sampler | time (s) | rows out | MeanIR before -> after "
        "| SCUMBLE before -> after |",
        "|---|---|---:|---:|---|---|",
    ]
    print(f"\n### resamplers: {n:,} rows x 32 float features (median of 3 runs)", flush=True)
    print("\n".join(lines), flush=True)
    for data_name, Y in cases.items():
        X = rng.normal(size=(n, 32)) + Y[:, :32].astype(float).sum(axis=1, keepdims=True)
        for sampler in (
            MLROS(random_state=0),
            MLRUS(random_state=0),
            REMEDIAL(),
            MLSMOTE(neighbors="exact", random_state=0),
        ):
            call = lambda s=sampler, X=X, Y=Y: s.fit_resample(X, Y)  # noqa: E731
            seconds = median_seconds(call, repeats=3)
            _, Y_res = sampler.fit_resample(X, Y)
            row = (
                f"| {data_name} | {type(sampler).__name__} | {seconds:.3f} | {len(Y_res):,} | "
                f"{mean_ir(Y):.1f} -> {mean_ir(Y_res):.1f} | "
                f"{scumble(Y):.3f} -> {scumble(Y_res):.3f} |"
            )
            print(row, flush=True)
            lines.append(row)
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10x fewer rows in every case")
    parser.add_argument(
        "--no-reference", action="store_true", help="skip the iterative-stratification package"
    )
    args = parser.parse_args(argv)
    scale = 10 if args.quick else 1
    reference = not args.no_reference
    print(
        f"python {platform.python_version()}, numpy {np.__version__}, "
        f"{platform.machine()}, {platform.processor() or 'cpu'}"
    )
    split_case("HPA-28", labels(100_000 // scale, HPA_COUNTS / 31072), reference, pairs=True)
    zipf = 0.4 * np.arange(1, 101) ** -1.2
    split_case("Zipf-100", labels(1_000_000 // scale, zipf), reference, pairs=False)
    resampler_case(50_000 // scale)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
