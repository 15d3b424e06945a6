"""Time ``compare_strategies`` (what ``imbalance compare`` runs) in two versions of the package,
and check that they give the same results.

The same call in both: the bundled ``car_vgood`` set (the README's first command) and the larger
bundled ``page_blocks0`` (5,472 rows), default strategies, default model, 5 folds. On a shared
machine the load drifts, so the two versions run in turn (A B A B ...), each in a fresh process
with its source folder first on ``sys.path``; each side keeps its fastest run. The per-fold
metrics of every strategy are compared (the recommendation is not: it changed on purpose)::

    mkdir -p /tmp/before && git archive <commit> src | tar -x -C /tmp/before
    nice python bench/bench_compare.py --ab /tmp/before/src src --rounds 3
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from typing import Any

METRICS = ("balanced_accuracy", "average_precision", "roc_auc", "g_mean", "f1", "mcc", "brier")
CHILD = """
import json, sys, time
sys.path.insert(0, {src!r})
from imbalance.datasets import load_dataset
from imbalance.report import compare_strategies
bunch = load_dataset({name!r}, as_frame=True)
start = time.perf_counter()
result = compare_strategies(bunch.data, bunch.target, n_jobs={n_jobs!r})
seconds = time.perf_counter() - start
folds = [{{k: r[k] for k in {keys!r}}} for r in result.folds]
print(json.dumps({{"seconds": seconds, "folds": folds, "rec": result.recommendation["strategy"]}}))
"""


def run_once(src: str, name: str, n_jobs: int | None) -> dict[str, Any]:
    keys = ["strategy", "fold", "threshold", *METRICS]
    code = CHILD.format(src=src, name=name, n_jobs=n_jobs, keys=keys)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def largest_difference(a: list[dict[str, Any]], b: list[dict[str, Any]]) -> float:
    """The largest absolute difference of any metric or threshold, fold by fold."""
    assert [(r["strategy"], r["fold"]) for r in a] == [(r["strategy"], r["fold"]) for r in b]
    return max(abs(float(x[k]) - float(y[k])) for x, y in zip(a, b, strict=True) for k in METRICS)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--ab", nargs=2, metavar=("SRC_A", "SRC_B"), required=True)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--datasets", nargs="+", default=["car_vgood", "page_blocks0"])
    parser.add_argument("--n-jobs", type=int, default=None)
    args = parser.parse_args()
    start = time.perf_counter()
    print("| data set | before (s) | after (s) | speed-up | largest metric difference |")
    print("|---|---|---|---|---|")
    for name in args.datasets:
        best: dict[str, float] = {}
        runs: dict[str, dict[str, Any]] = {}
        for _ in range(args.rounds):
            for side, src in zip("ab", args.ab, strict=True):
                out = run_once(src, name, args.n_jobs)
                best[side] = min(best.get(side, float("inf")), out["seconds"])
                runs[side] = out
        diff = largest_difference(runs["a"]["folds"], runs["b"]["folds"])
        print(
            f"| {name} | {best['a']:.2f} | {best['b']:.2f} | {best['a'] / best['b']:.1f}x "
            f"| {diff:.1e} |",
            flush=True,
        )
    print(f"\n{args.rounds} round(s), fastest of each side; {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
