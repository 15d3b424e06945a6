"""Time every sampler family through its public shell, to compare two versions of the package.

The one-template change (issue 13) moved every sampler onto one ``fit_resample`` shell; this
script times one call per family at a medium size, so that two versions of the package can be
compared on the same machine. On a shared machine the load drifts by several times within
minutes, so ``--ab`` runs the two versions in turn, case by case (A B A B ...), each in a fresh
process with the given source folder first on ``sys.path``, and keeps each side's fastest run::

    git worktree add /tmp/before <commit>
    python bench/bench_contract.py --ab /tmp/before/src src --rounds 3

Speed only; results are checked by the test suite.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
from sklearn.datasets import make_classification


def _data(n: int, d: int, weights: tuple[float, ...], seed: int = 0) -> tuple[Any, Any]:
    return make_classification(
        n_samples=n,
        n_features=d,
        n_informative=min(d, 10),
        n_redundant=0,
        n_classes=len(weights),
        weights=list(weights),
        class_sep=1.0,
        random_state=seed,
    )


def cases() -> dict[str, Callable[[], Callable[[], Any]]]:
    """Name -> a setup returning the call to time."""
    import imbalance.samplers as s

    def on(sampler: Any, X: Any, y: Any) -> Callable[[], Any]:
        return lambda: sampler.fit_resample(X, y)

    def frame(n: int, d: int) -> tuple[Any, Any]:
        X, y = _data(n, d, (0.9, 0.1))
        return pd.DataFrame(X, columns=[f"f{i}" for i in range(d)]), pd.Series(y)

    def mixed(n: int) -> tuple[Any, Any]:
        X, y = _data(n, 6, (0.9, 0.1))
        df = pd.DataFrame(X[:, :4], columns=list("abcd"))
        df["c1"] = pd.Categorical(np.where(X[:, 4] > 0, "x", "y"))
        df["c2"] = pd.Categorical((np.abs(X[:, 5]) * 3).astype(int).astype(str))
        return df, y

    def categorical(n: int) -> tuple[Any, Any]:
        X, y = _data(n, 4, (0.9, 0.1))
        return (np.abs(X) * 2).astype(int).astype(str), y

    return {
        "RandomUnderSampler 1M x 20 numpy": lambda: on(
            s.RandomUnderSampler(random_state=0), *_data(1_000_000, 20, (0.9, 0.1))
        ),
        "RandomOverSampler 1M x 20 pandas": lambda: on(
            s.RandomOverSampler(random_state=0), *frame(1_000_000, 20)
        ),
        "SMOTE 200k x 20": lambda: on(s.SMOTE(random_state=0), *_data(200_000, 20, (0.9, 0.1))),
        "BorderlineSMOTE 100k x 20": lambda: on(
            s.BorderlineSMOTE(random_state=0), *_data(100_000, 20, (0.9, 0.1))
        ),
        "ADASYN 100k x 20": lambda: on(s.ADASYN(random_state=0), *_data(100_000, 20, (0.9, 0.1))),
        "SMOTENC 50k x 6 (2 categories)": lambda: on(
            s.SMOTENC(categorical_features=["c1", "c2"], random_state=0), *mixed(50_000)
        ),
        "SMOTEN 20k x 4": lambda: on(s.SMOTEN(random_state=0), *categorical(20_000)),
        "TomekLinks 100k x 10": lambda: on(s.TomekLinks(), *_data(100_000, 10, (0.9, 0.1))),
        "EditedNearestNeighbours 100k x 10": lambda: on(
            s.EditedNearestNeighbours(), *_data(100_000, 10, (0.9, 0.1))
        ),
        "SMOTEENN 30k x 10": lambda: on(s.SMOTEENN(random_state=0), *_data(30_000, 10, (0.9, 0.1))),
        "NearMiss 100k x 10": lambda: on(s.NearMiss(), *_data(100_000, 10, (0.9, 0.1))),
    }


def one_case(name: str, repeats: int) -> float:
    """Fastest of ``repeats`` timed calls of one case (after a warm-up call)."""
    call = cases()[name]()
    call()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return min(times)


def ab(src_a: str, src_b: str, rounds: int, repeats: int) -> dict[str, tuple[float, float]]:
    """Each case in fresh processes, A and B in turn, fastest of all runs per side."""
    import os
    import subprocess
    import sys

    best: dict[str, tuple[float, float]] = {}
    for name in cases():
        runs: dict[str, list[float]] = {src_a: [], src_b: []}
        for _ in range(rounds):
            for src in (src_a, src_b):
                env = {**os.environ, "PYTHONPATH": os.path.abspath(src)}
                out = subprocess.run(
                    [sys.executable, __file__, "--case", name, "--repeats", str(repeats)],
                    env=env,
                    capture_output=True,
                    text=True,
                    check=True,
                )
                runs[src].append(float(out.stdout.strip().splitlines()[-1]))
        best[name] = (min(runs[src_a]), min(runs[src_b]))
        a, b = best[name]
        print(f"| {name} | {a:.3f} | {b:.3f} | {b / a:.2f} |", flush=True)
    return best


def run(repeats: int) -> dict[str, float]:
    results: dict[str, float] = {}
    for name, setup in cases().items():
        call = setup()
        call()  # warm-up (imports, caches)
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            call()
            times.append(time.perf_counter() - start)
        results[name] = statistics.median(times)
        print(f"{name:40s} {results[name]:8.3f} s", flush=True)
    return results


def compare(before: dict[str, float], after: dict[str, float]) -> str:
    rows = ["| case | before (s) | after (s) | after / before |", "|---|---|---|---|"]
    for name in before:
        if name in after:
            b, a = before[name], after[name]
            rows.append(f"| {name} | {b:.3f} | {a:.3f} | {a / b:.2f} |")
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--out", help="write the medians as JSON")
    parser.add_argument("--compare", nargs=2, metavar=("BEFORE", "AFTER"))
    parser.add_argument("--ab", nargs=2, metavar=("SRC_A", "SRC_B"))
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--case", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.case:
        print(one_case(args.case, args.repeats))
        return
    if args.ab:
        print("| case | A (s) | B (s) | B / A |\n|---|---|---|---|", flush=True)
        ab(args.ab[0], args.ab[1], args.rounds, args.repeats)
        return
    if args.compare:
        with open(args.compare[0]) as f0, open(args.compare[1]) as f1:
            print(compare(json.load(f0), json.load(f1)))
        return
    results = run(args.repeats)
    if args.out:
        with open(args.out, "w") as f:
            json.dump(results, f, indent=1)


if __name__ == "__main__":
    main()
