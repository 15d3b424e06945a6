"""Random over- and under-sampling: ours against imbalanced-learn and the floor, in one run.

The floor is the least work that does the job: draw the row positions with numpy's Generator
(per class) and take them (`np.take` for numpy, `df.iloc` / `take` for pandas, `gather` for
polars). Each (case, implementation) runs in a fresh process so that peak memory is its own.

    python bench/bench_random.py                 # 1M rows; prints a table, appends to RESULTS.md
    python bench/bench_random.py --rows 200000   # quicker
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
from datetime import date
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from _measure import median_seconds, peak_extra_mib  # noqa: E402

CONTAINERS = ("numpy", "pandas-numeric", "pandas-mixed", "polars-mixed")
IMPLS = ("floor", "imbalance", "imblearn")
METHODS = ("over", "under")


def make_data(container: str, n_rows: int) -> tuple[object, object]:
    rng = np.random.default_rng(0)
    y = (rng.random(n_rows) < 0.05).astype(np.int64)  # 5 % minority
    if container == "numpy":
        return rng.normal(size=(n_rows, 20)), y
    import pandas as pd

    cols: dict[str, object] = {f"f{i}": rng.normal(size=n_rows) for i in range(10)}
    if container == "pandas-numeric":
        cols.update({f"g{i}": rng.normal(size=n_rows) for i in range(10)})
        return pd.DataFrame(cols), pd.Series(y, name="label")
    cols.update(
        {
            "i32": rng.integers(0, 1000, n_rows).astype(np.int32),
            "i8": rng.integers(-5, 5, n_rows).astype(np.int8),
            "flag": rng.random(n_rows) > 0.5,
            "nullable": pd.array(rng.integers(0, 9, n_rows), dtype="Int64"),
            "cat": pd.Categorical.from_codes(rng.integers(0, 4, n_rows), ["a", "b", "c", "d"]),
            "text": pd.array(
                np.array(["x", "yy", "zzz"])[rng.integers(0, 3, n_rows)], dtype="string"
            ),
            "when": pd.Timestamp("2024-01-01", tz="UTC")
            + pd.to_timedelta(rng.integers(0, 10**6, n_rows), unit="s"),
        }
    )
    frame = pd.DataFrame(cols)
    if container == "pandas-mixed":
        return frame, pd.Series(y, name="label")
    import polars as pl

    return pl.from_pandas(frame), pl.Series("label", y)


def floor_indices(y: np.ndarray, method: str, rng: np.random.Generator) -> np.ndarray:
    minority = np.flatnonzero(y == 1)
    majority = np.flatnonzero(y == 0)
    if method == "over":
        extra = minority[rng.integers(0, minority.size, majority.size - minority.size)]
        return np.concatenate([np.arange(y.size), extra])
    keep = majority[rng.choice(majority.size, minority.size, replace=False, shuffle=False)]
    return np.sort(np.concatenate([minority, keep]))


def make_call(container: str, impl: str, method: str, X: object, y: object):
    if impl == "floor":
        y_np = np.asarray(y)

        def call():
            idx = floor_indices(y_np, method, np.random.default_rng(0))
            if container == "numpy":
                return np.take(X, idx, axis=0), np.take(y_np, idx)
            if container.startswith("polars"):
                return X[idx], y[idx]
            return X.take(idx), y.take(idx)

        return call
    if impl == "imbalance":
        from imbalance.samplers import RandomOverSampler, RandomUnderSampler
    else:
        from imblearn.over_sampling import RandomOverSampler
        from imblearn.under_sampling import RandomUnderSampler
    cls = RandomOverSampler if method == "over" else RandomUnderSampler
    return lambda: cls(random_state=0).fit_resample(X, y)


def run_one(container: str, impl: str, method: str, n_rows: int) -> dict[str, object]:
    X, y = make_data(container, n_rows)
    call = make_call(container, impl, method, X, y)
    try:
        # load every module on a small slice first, then measure memory on a fresh heap,
        # then time (allocators keep freed pages, so memory must come before repeated runs)
        small_X, small_y = make_data(container, 2000)
        make_call(container, impl, method, small_X, small_y)()
        memory = peak_extra_mib(call)
        seconds = median_seconds(call, repeats=5)
    except Exception as exc:  # imbalanced-learn crashes on polars: report it, do not hide it
        return {"error": f"{type(exc).__name__}: {str(exc)[:80]}"}
    return {"seconds": seconds, "peak_extra_mib": memory}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--one", nargs=3, metavar=("CONTAINER", "IMPL", "METHOD"))
    parser.add_argument("--no-record", action="store_true")
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(*args.one, n_rows=args.rows)))
        return
    rows = []
    for method in METHODS:
        for container in CONTAINERS:
            results = {}
            for impl in IMPLS:
                out = subprocess.run(
                    [
                        sys.executable,
                        __file__,
                        "--rows",
                        str(args.rows),
                        "--one",
                        container,
                        impl,
                        method,
                    ],
                    capture_output=True,
                    text=True,
                    check=True,
                )
                results[impl] = json.loads(out.stdout.strip().splitlines()[-1])
            rows.append(format_row(method, container, results))
            print(rows[-1], flush=True)
    table = "\n".join([HEADER, *rows])
    if not args.no_record:
        record(table, args.rows)


HEADER = (
    "| method | container | floor s | ours s | imblearn s | ours/floor time | imblearn/ours time "
    "| floor MiB | ours MiB | imblearn MiB | ours/floor memory |\n"
    "|---|---|---|---|---|---|---|---|---|---|---|"
)


def format_row(method: str, container: str, r: dict[str, dict[str, object]]) -> str:
    def s(impl: str) -> str:
        return f"{r[impl]['seconds']:.4f}" if "seconds" in r[impl] else "crash"

    def m(impl: str) -> str:
        return f"{r[impl]['peak_extra_mib']:.0f}" if "seconds" in r[impl] else "—"

    floor, ours, ref = r["floor"], r["imbalance"], r["imblearn"]
    t_ratio = f"{ours['seconds'] / floor['seconds']:.2f}"
    vs_ref = f"{ref['seconds'] / ours['seconds']:.1f}×" if "seconds" in ref else ref["error"]
    small = max(floor["peak_extra_mib"], ours["peak_extra_mib"]) < 8  # below what RSS resolves
    m_ratio = "≤ 8 MiB both" if small else f"{ours['peak_extra_mib'] / floor['peak_extra_mib']:.2f}"
    return (
        f"| {method} | {container} | {s('floor')} | {s('imbalance')} | {s('imblearn')} | {t_ratio} "
        f"| {vs_ref} | {m('floor')} | {m('imbalance')} | {m('imblearn')} | {m_ratio} |"
    )


def record(table: str, n_rows: int) -> None:
    import imblearn

    import imbalance

    path = HERE / "RESULTS.md"
    text = path.read_text() if path.exists() else "# Benchmark results\n"
    text += (
        f"\n## Random samplers, {n_rows:,} rows, 5 % minority ({date.today()})\n\n"
        f"Command: `python bench/bench_random.py --rows {n_rows}`. "
        f"Machine: {platform.processor() or platform.machine()}, "
        f"Python {platform.python_version()}, imbalance {imbalance.__version__}, imbalanced-learn "
        f"{imblearn.__version__}. Median of 5 runs after a warm-up; peak extra resident memory "
        "of one call, each case in a fresh process. numpy: 20 float64 columns; pandas-mixed and "
        "polars-mixed: 10 float64, int32, int8, bool, nullable Int64, category, string and "
        "tz-aware datetime columns.\n\n" + table + "\n"
    )
    path.write_text(text)


if __name__ == "__main__":
    main()
