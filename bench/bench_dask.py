"""Exact-count random resampling of a parquet data set: imbalance.dask against the anchors.

Each (implementation, method) runs in a fresh process that reads the parquet files, resamples
to exact class counts (``sampling_strategy="auto"``) and writes the result as parquet, so wall
time and peak memory (kernel VmHWM, see ``_measure.py``) cover the whole job. Each process
imports its libraries before the clock starts (``import_s`` reports that time apart: 2-3 s for
dask, distributed and imbalance, a fraction of a second for polars):

- ``dask``: ``imbalance.dask`` on a ``LocalCluster(processes=False)`` (one process, so its
  peak memory is this process's), ``to_parquet`` of the lazy result;
- ``pandas``: read everything, draw positions per class with numpy, ``iloc``, write;
- ``imblearn``: imbalanced-learn's sampler on the pandas frame, write;
- ``polars``: lazy scan, counts, per-class hash thresholds (``bottom_k``) for under-sampling,
  the minority's repeats drawn with ``sample`` for over-sampling, streaming engine, sink.

The three that write with pyarrow (``dask``, ``pandas``, ``imblearn``) pass the same writer
options, ``use_dictionary=["label"]``: pyarrow's default tries dictionary encoding on every
column, which on these random float features costs about five times the write itself (polars'
writer does not try it on such columns). ``--pyarrow-defaults`` writes with pyarrow's defaults
instead, to show what that choice is worth.

SMOTE at scale (``--smote``) measures, on one large minority class, the wall time and the
neighbour recall of the k-means blocks (the share of each row's true 5 nearest same-class
neighbours that lie in its block) for several ``block_size``.

    nice python bench/bench_dask.py --rows 2000000           # random samplers
    nice python bench/bench_dask.py --rows 100000000 --impls dask --data /big/dir  # 100 M
    nice python bench/bench_dask.py --smote --rows 40000     # SMOTE blocks: recall and time
"""

from __future__ import annotations

import argparse
import importlib
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from _measure import peak_extra_mib  # noqa: E402

IMPLS = ("dask", "pandas", "imblearn", "polars")
METHODS = ("under", "over")
PROPORTIONS = (0.90, 0.08, 0.02)
# Options of every pyarrow writer here (see the module docstring); None: pyarrow's defaults.
WRITE_OPTIONS: dict | None = {"use_dictionary": ["label"]}


def make_parquet(folder: Path, n_rows: int, n_files: int = 20) -> None:
    """``n_rows`` rows of 8 float features and a 3-class label, in ``n_files`` files.

    Files hold at most 1 M rows (more files for more rows: 100 files at 100 M rows).
    """
    import pandas as pd

    rng = np.random.default_rng(0)
    n_files = max(n_files, -(-n_rows // 1_000_000))
    per = n_rows // n_files
    for i in range(n_files):
        size = per if i < n_files - 1 else n_rows - per * (n_files - 1)
        cols = {f"f{j}": rng.normal(size=size).astype(np.float32) for j in range(8)}
        cols["label"] = rng.choice(3, size=size, p=PROPORTIONS).astype(np.int8)
        pd.DataFrame(cols).to_parquet(folder / f"part-{i:03d}.parquet", index=False)


def _pandas_positions(y: np.ndarray, method: str) -> np.ndarray:
    rng = np.random.default_rng(0)
    counts = np.bincount(y)
    goal = counts.max() if method == "over" else counts.min()
    parts = []
    for c, n in enumerate(counts):
        members = np.flatnonzero(y == c)
        if method == "under":
            parts.append(members[rng.choice(n, goal, replace=False, shuffle=False)])
        else:
            parts.append(np.concatenate([members, members[rng.integers(0, n, goal - n)]]))
    out = np.concatenate(parts)
    return np.sort(out) if method == "under" else out


def run_dask(src: Path, out: Path, method: str) -> dict:
    import dask.dataframe as dd
    from distributed import Client, LocalCluster

    from imbalance.dask import RandomOverSampler, RandomUnderSampler

    with (
        LocalCluster(
            n_workers=1, threads_per_worker=2, processes=False, dashboard_address=":0"
        ) as c,
        Client(c),
    ):
        ddf = dd.read_parquet(str(src))
        cls = RandomOverSampler if method == "over" else RandomUnderSampler
        sampler = cls(random_state=0)
        X_res, _ = sampler.fit_resample(ddf, "label")
        X_res.to_parquet(str(out), write_index=False, **(WRITE_OPTIONS or {}))
        return {str(k): v for k, v in sampler.target_counts_.items()}


def run_pandas(src: Path, out: Path, method: str) -> dict:
    import pandas as pd

    df = pd.read_parquet(src)
    res = df.iloc[_pandas_positions(df["label"].to_numpy(), method)]
    res.to_parquet(out / "out.parquet", index=False, **(WRITE_OPTIONS or {}))
    return {str(k): int(v) for k, v in res["label"].value_counts().sort_index().items()}


def run_imblearn(src: Path, out: Path, method: str) -> dict:
    import pandas as pd
    from imblearn.over_sampling import RandomOverSampler
    from imblearn.under_sampling import RandomUnderSampler

    df = pd.read_parquet(src)
    cls = RandomOverSampler if method == "over" else RandomUnderSampler
    X_res, y_res = cls(random_state=0).fit_resample(df.drop(columns="label"), df["label"])
    X_res.assign(label=y_res).to_parquet(out / "out.parquet", index=False, **(WRITE_OPTIONS or {}))
    return {str(k): int(v) for k, v in y_res.value_counts().sort_index().items()}


def run_polars(src: Path, out: Path, method: str) -> dict:
    import polars as pl

    lf = pl.scan_parquet(str(src / "*.parquet"))
    counts = dict(lf.group_by("label").len().collect().iter_rows())
    goal = max(counts.values()) if method == "over" else min(counts.values())
    if method == "under":
        hashed = lf.with_columns(h=pl.int_range(pl.len(), dtype=pl.UInt64).hash(0))
        cuts = {
            c: hashed.filter(pl.col("label") == c)
            .select(pl.col("h").bottom_k(goal).max())
            .collect(engine="streaming")
            .item()
            for c in counts
        }
        keep = pl.any_horizontal(
            [(pl.col("label") == c) & (pl.col("h") <= cut) for c, cut in cuts.items()]
        )
        result = hashed.filter(keep).drop("h")
    else:
        extra = [
            lf.filter(pl.col("label") == c)
            .collect(engine="streaming")
            .sample(goal - n, with_replacement=True, seed=0)
            .lazy()
            for c, n in counts.items()
            if goal > n
        ]
        result = pl.concat([lf, *extra])
    result.sink_parquet(out / "out.parquet")
    got = pl.scan_parquet(out / "out.parquet").group_by("label").len().collect()
    return {str(k): int(v) for k, v in sorted(got.iter_rows())}


# Imported before the clock starts (their time is reported apart, as ``import_s``).
MODULES = {
    "dask": ("dask.dataframe", "distributed", "pyarrow.parquet", "imbalance.dask"),
    "pandas": ("pandas", "pyarrow.parquet"),
    "imblearn": ("pandas", "pyarrow.parquet", "imblearn.over_sampling", "imblearn.under_sampling"),
    "polars": ("polars",),
}


def one(impl: str, method: str, src: str) -> None:
    func = {"dask": run_dask, "pandas": run_pandas, "imblearn": run_imblearn, "polars": run_polars}[
        impl
    ]
    start = time.perf_counter()
    for module in MODULES[impl]:
        importlib.import_module(module)
    import_s = round(time.perf_counter() - start, 2)
    with tempfile.TemporaryDirectory() as tmp:
        box: dict = {}

        def call() -> None:
            start = time.perf_counter()
            box["counts"] = func(Path(src), Path(tmp) / "out", method)
            box["seconds"] = time.perf_counter() - start

        (Path(tmp) / "out").mkdir()
        box["peak_mib"] = peak_extra_mib(call)
    print(json.dumps({"impl": impl, "method": method, **box, "import_s": import_s}))


def smote_recall(n_minority: int, block_sizes: list[int | None]) -> None:
    """Time and neighbour recall of the Dask SMOTE's blocks on one large minority class."""
    import dask.dataframe as dd
    import pandas as pd
    from distributed import Client, LocalCluster

    from imbalance.dask import SMOTE
    from imbalance.neighbors import kneighbors

    rng = np.random.default_rng(0)
    d = 8
    centers = rng.normal(scale=4.0, size=(20, d))
    minority = centers[rng.integers(0, 20, n_minority)] + rng.normal(size=(n_minority, d))
    majority = rng.normal(scale=6.0, size=(4 * n_minority, d))
    X = np.vstack([majority, minority])
    df = pd.DataFrame(X, columns=[f"f{j}" for j in range(d)]).assign(
        label=np.r_[np.zeros(len(majority), int), np.ones(n_minority, int)]
    )
    queries = rng.choice(n_minority, size=min(n_minority, 5000), replace=False)
    true_nn = kneighbors(minority, 5, rows=queries)
    with (
        LocalCluster(
            n_workers=1, threads_per_worker=2, processes=False, dashboard_address=":0"
        ) as c,
        Client(c),
    ):
        ddf = dd.from_pandas(df, npartitions=16)
        for size in block_sizes:
            sampler = SMOTE(random_state=0, block_size=size)
            start = time.perf_counter()
            X_res, _ = sampler.fit_resample(ddf, "label")
            n_out = len(X_res.compute())
            seconds = time.perf_counter() - start
            if size is None or 1 not in sampler.block_centers_:
                recall, n_blocks = 1.0, 1
            else:
                cents = sampler.block_centers_[1]
                block = np.argmin(((minority[:, None, :] - cents[None]) ** 2).sum(-1), axis=1)
                recall = float((block[true_nn] == block[queries][:, None]).mean())
                n_blocks = len(cents)
            print(
                json.dumps(
                    {
                        "block_size": size,
                        "blocks": n_blocks,
                        "recall@5": round(recall, 4),
                        "seconds": round(seconds, 2),
                        "rows_out": n_out,
                    }
                )
            )


def _run_one(src: str, impl: str, method: str, extra: list[str]) -> dict:
    cmd = [sys.executable, __file__, *extra, "--one", impl, method, src]
    out = subprocess.run(cmd, capture_output=True, text=True)
    if out.returncode == 0:
        return json.loads(out.stdout.strip().splitlines()[-1])
    return {"impl": impl, "method": method, "error": out.stderr.strip().splitlines()[-1:]}


def _run_all(src: str, impls: list[str], extra: list[str], repeat: int) -> None:
    """Every (method, impl) ``repeat`` times, the implementations interleaved in each round
    (so that a busy spell of the machine falls on all of them); then the medians."""
    runs: dict[tuple[str, str], list[dict]] = {}
    for method in METHODS:
        for _ in range(repeat):
            for impl in impls:
                result = _run_one(src, impl, method, extra)
                runs.setdefault((method, impl), []).append(result)
                print(json.dumps(result), flush=True)
    if repeat == 1:
        return
    for (method, impl), results in runs.items():
        ok = [r for r in results if "seconds" in r]
        if ok:
            summary = {
                "impl": impl,
                "method": method,
                "median_seconds": float(np.median([r["seconds"] for r in ok])),
                "median_peak_mib": float(np.median([r["peak_mib"] for r in ok])),
                "runs": len(ok),
            }
            print("# median", json.dumps(summary), flush=True)


def main() -> None:
    global WRITE_OPTIONS
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--smote", action="store_true")
    parser.add_argument("--one", nargs=3, metavar=("IMPL", "METHOD", "SRC"), help=argparse.SUPPRESS)
    parser.add_argument("--impls", default=",".join(IMPLS))
    parser.add_argument(
        "--pyarrow-defaults", action="store_true", help="write with pyarrow's default options"
    )
    parser.add_argument(
        "--data", help="folder for the parquet input, kept and reused (default: a temp dir)"
    )
    parser.add_argument(
        "--repeat", type=int, default=1, help="runs of each cell (medians printed at the end)"
    )
    args = parser.parse_args()
    extra = ["--pyarrow-defaults"] if args.pyarrow_defaults else []
    if args.pyarrow_defaults:
        WRITE_OPTIONS = None
    if args.one:
        one(*args.one)
        return
    if args.smote:
        n = args.rows
        smote_recall(n, [None, n // 2, n // 4, n // 8])
        return
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(args.data or tmp)
        if not any(src.glob("*.parquet")):
            src.mkdir(parents=True, exist_ok=True)
            start = time.perf_counter()
            make_parquet(src, args.rows)
            print(
                f"# {args.rows:,} rows written in {time.perf_counter() - start:.1f} s", flush=True
            )
        _run_all(str(src), args.impls.split(","), extra, args.repeat)


if __name__ == "__main__":
    main()
