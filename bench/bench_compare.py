"""Time ``compare_strategies`` (what ``imbalance compare`` runs) in two versions of the package,
and check that they give the same results.

The same call in both: the bundled ``car_vgood`` set (the README's first command) and the larger
bundled ``page_blocks0`` (5,472 rows), default strategies, default model, 5 folds. On a shared
machine the load drifts, so the two versions run in turn (A B A B ...), each in a fresh process
with its source folder first on ``sys.path``; each side keeps its fastest run, by the wall clock
and by the process's CPU time (which a loaded machine disturbs less). The per-fold metrics of
every strategy are compared; the recommendations are shown (they changed on purpose). On a
loaded machine the version before spends much of its time in BLAS / OpenMP threads waiting
for cores (its CPU time more than doubles); ``--threads 1`` gives both sides one thread, the
fair comparison there::

    mkdir -p /tmp/before && git archive 613d01d src | tar -x -C /tmp/before  # before a4c1ec8
    nice python bench/bench_compare.py --ab /tmp/before/src src --rounds 3 [--threads 1]
"""

from __future__ import annotations

import argparse
import json
import os
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
start, cpu = time.perf_counter(), time.process_time()
result = compare_strategies(bunch.data, bunch.target, n_jobs={n_jobs!r})
seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
folds = [{{k: r[k] for k in {keys!r}}} for r in result.folds]
rec = result.recommendation["strategy"]
print(json.dumps({{"seconds": seconds, "cpu": cpu, "folds": folds, "rec": rec}}))
"""


THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def run_once(src: str, name: str, n_jobs: int | None, threads: int | None) -> dict[str, Any]:
    keys = ["strategy", "fold", "threshold", *METRICS]
    code = CHILD.format(src=src, name=name, n_jobs=n_jobs, keys=keys)
    env = dict(os.environ)
    if threads is not None:
        env.update(dict.fromkeys(THREAD_VARIABLES, str(threads)))
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
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
    parser.add_argument(
        "--threads",
        type=int,
        default=None,
        help="BLAS / OpenMP threads of both sides (default: the libraries' own choice)",
    )
    args = parser.parse_args()
    start = time.perf_counter()
    print(
        "| data set | before (s) | after (s) | speed-up | before, CPU (s) | after, CPU (s) "
        "| speed-up, CPU | largest metric difference | recommendation before / after |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for name in args.datasets:
        best: dict[tuple[str, str], float] = {}
        runs: dict[str, dict[str, Any]] = {}
        for _ in range(args.rounds):
            for side, src in zip("ab", args.ab, strict=True):
                out = run_once(src, name, args.n_jobs, args.threads)
                for clock in ("seconds", "cpu"):
                    best[side, clock] = min(best.get((side, clock), float("inf")), out[clock])
                runs[side] = out
        diff = largest_difference(runs["a"]["folds"], runs["b"]["folds"])
        wall = [best["a", "seconds"], best["b", "seconds"]]
        cpu = [best["a", "cpu"], best["b", "cpu"]]
        print(
            f"| {name} | {wall[0]:.2f} | {wall[1]:.2f} | {wall[0] / wall[1]:.1f}x "
            f"| {cpu[0]:.2f} | {cpu[1]:.2f} | {cpu[0] / cpu[1]:.1f}x | {diff:.1e} "
            f"| {runs['a']['rec']} / {runs['b']['rec']} |",
            flush=True,
        )
    print(f"\n{args.rounds} round(s), fastest of each side; {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
