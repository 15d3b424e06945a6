"""Exact-count resampling of a Parquet data set on Spark: imbalance.spark against Spark's own
approximate ``sampleBy`` / ``sample`` and against imbalance.dask on the same files.

Data: ``--rows`` rows of 10 float64 features and an int64 label with 3 classes (90 / 8 / 2 %),
written once to Parquet by this script. Every cell is timed end to end: read the Parquet
files, resample, write the result as Parquet (``mode="overwrite"``). The Spark session
(``local[2]`` by default) and the Dask ``LocalCluster`` (one worker, two threads, in this
process) are started before the clocks, and a tiny resample starts Spark's Python workers
(each imports imbalance once: 5-15 s on a loaded machine, paid once per worker).
What each cell does:

- ``spark-ours``: ``imbalance.spark.RandomUnderSampler`` / ``RandomOverSampler``
  (``random_state=0``), exact ``target_counts_`` (one counting job at ``fit_resample``, the
  rest when the result is written);
- ``spark-sampleBy``: what tutorials show: ``groupBy(label).count()`` then
  ``sampleBy(label, fractions)`` for under-sampling, and ``filter`` + ``sample(True, f)`` of each
  smaller class ``union``-ed to the data for over-sampling (approximate counts);
- ``dask-ours``: ``imbalance.dask`` on the same files, ``to_parquet``.

After each cell the written rows are counted per class (not timed) and printed beside the
asked counts. Each cell gives its wall time and the CPU seconds of the whole process tree
(this Python, the JVM, Spark's Python workers, Dask's threads): on a shared machine the CPU
seconds are the steadier measure. ``--repeats`` runs every cell that many times, interleaved,
and the summary table takes each cell's best. ``--driver-memory`` caps the Spark driver (in
local mode the whole JVM); the Python driver's peak RSS (VmHWM) and the JVM's peak RSS
(sampled) are reported.

    nice python bench/bench_spark.py --rows 2000000
    python bench/bench_spark.py --rows 10000000 --data /tmp/imb-spark-10m --repeats 3
    nice python bench/bench_spark.py --rows 10000000 --data /tmp/imb-spark-10m
    nice python bench/bench_spark.py --rows 100000000 --impls spark-ours --driver-memory 3g
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

PROPORTIONS = (0.90, 0.08, 0.02)
IMPLS = ("spark-ours", "spark-sampleBy", "dask-ours")
N_FEATURES = 10


def make_parquet(folder: Path, n_rows: int, rows_per_file: int = 1_000_000) -> None:
    """``n_rows`` rows of 10 float features and a 3-class label, in files of 1 M rows."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder.mkdir(parents=True, exist_ok=True)
    if any(folder.glob("*.parquet")):
        return
    rng = np.random.default_rng(0)
    for i, start in enumerate(range(0, n_rows, rows_per_file)):
        n = min(rows_per_file, n_rows - start)
        cols = {f"f{j}": rng.normal(size=n) for j in range(N_FEATURES)}
        cols["label"] = rng.choice(3, size=n, p=PROPORTIONS).astype(np.int64)
        pq.write_table(pa.table(cols), folder / f"part-{i:04d}.parquet")


def peak_rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class TreeCpu:
    """CPU seconds of this process and every descendant (the JVM, Spark's Python workers),
    sampled every 0.2 s by a thread; a process that ends keeps the last time seen, so the
    total never goes back. The number to trust on a shared machine, where wall time is noisy."""

    def __init__(self) -> None:
        import threading

        import psutil

        self._psutil, self._me = psutil, psutil.Process()
        self._seen: dict[tuple[int, float], float] = {}
        self.jvm_peak_mib = 0.0
        self._lock = threading.Lock()
        threading.Thread(target=self._loop, daemon=True).start()

    def _sample(self) -> None:
        procs = [self._me, *self._me.children(recursive=True)]
        for p in procs:
            with contextlib.suppress(self._psutil.Error):
                t = p.cpu_times()
                if p.name() == "java":  # the Spark driver (in local mode, the executors too)
                    rss = p.memory_info().rss / 2**20
                    self.jvm_peak_mib = max(self.jvm_peak_mib, rss)
                with self._lock:
                    self._seen[(p.pid, p.create_time())] = float(t.user + t.system)

    def _loop(self) -> None:
        while True:
            self._sample()
            time.sleep(0.2)

    def total(self) -> float:
        self._sample()
        with self._lock:
            return sum(self._seen.values())


def spark_session(cores: int, driver_memory: str) -> Any:
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    spark = (
        SparkSession.builder.master(f"local[{cores}]")
        .config("spark.driver.memory", driver_memory)
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", str(2 * cores))
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def spark_ours(spark: Any, data: Path, out: Path, method: str) -> dict[Any, int]:
    import imbalance.spark as isp

    cls = isp.RandomUnderSampler if method == "under" else isp.RandomOverSampler
    sampler = cls(random_state=0)
    df_res, _ = sampler.fit_resample(spark.read.parquet(str(data)), "label")
    df_res.write.mode("overwrite").parquet(str(out))
    return dict(sampler.target_counts_)


def spark_sample_by(spark: Any, data: Path, out: Path, method: str) -> dict[Any, int]:
    from pyspark.sql import functions as F

    df = spark.read.parquet(str(data))
    counts = {r["label"]: r["count"] for r in df.groupBy("label").count().collect()}
    if method == "under":
        low = min(counts.values())
        res = df.sampleBy("label", {c: low / n for c, n in counts.items()}, seed=0)
        asked = dict.fromkeys(counts, low)
    else:
        high = max(counts.values())
        res = df
        for c, n in counts.items():
            if n < high:
                extra = df.filter(F.col("label") == c).sample(True, (high - n) / n, seed=0)
                res = res.union(extra)
        asked = dict.fromkeys(counts, high)
    res.write.mode("overwrite").parquet(str(out))
    return asked


def dask_ours(client: Any, data: Path, out: Path, method: str) -> dict[Any, int]:
    import dask.dataframe as dd

    import imbalance.dask as idk

    cls = idk.RandomUnderSampler if method == "under" else idk.RandomOverSampler
    sampler = cls(random_state=0)
    X_res, _ = sampler.fit_resample(dd.read_parquet(str(data)), "label")
    X_res.to_parquet(str(out), write_index=False, overwrite=True)
    return dict(sampler.target_counts_)


def warm_up(spark: Any) -> None:
    """Start the Python workers (and their imports of imbalance) before any clock."""
    import imbalance.spark as isp

    tiny = spark.range(1000).selectExpr("id", "CAST(id % 10 = 0 AS INT) AS label")
    for cls in (isp.RandomUnderSampler, isp.RandomOverSampler):
        cls(random_state=0).fit_resample(tiny, "label")[0].count()


def written_counts(spark: Any, out: Path) -> dict[Any, int]:
    df = spark.read.parquet(str(out))
    return {r["label"]: int(r["count"]) for r in df.groupBy("label").count().collect()}


def print_summary(best: dict[tuple[str, str], tuple[float, float]], rows: int) -> None:
    """Best wall and CPU seconds of each cell, and our Spark's ratios to the anchors."""
    print(
        f"\n| {rows:,} rows | ours on Spark | Spark sampleBy/sample | ours on Dask "
        "| ours / Spark's | ours Spark / Dask |"
    )
    print("|---|---|---|---|---|---|")
    for method in sorted({m for _, m in best}, reverse=True):
        ours = best.get(("spark-ours", method))
        spark = best.get(("spark-sampleBy", method))
        dask = best.get(("dask-ours", method))

        def cell(v: tuple[float, float] | None) -> str:
            return "-" if v is None else f"{v[0]:.2f} s wall, {v[1]:.2f} CPU-s"

        def ratio(a: tuple[float, float] | None, b: tuple[float, float] | None) -> str:
            if a is None or b is None:
                return "-"
            return f"{a[0] / b[0]:.2f}x wall, {a[1] / b[1]:.2f}x CPU"

        print(
            f"| {method} | {cell(ours)} | {cell(spark)} | {cell(dask)} "
            f"| {ratio(ours, spark)} | {ratio(ours, dask)} |"
        )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=2_000_000)
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument("--impls", default=",".join(IMPLS))
    parser.add_argument("--methods", default="under,over")
    parser.add_argument("--cores", type=int, default=2)
    parser.add_argument("--driver-memory", default="2g")
    parser.add_argument("--repeats", type=int, default=1, help="interleaved runs of each cell")
    args = parser.parse_args(argv)
    data = args.data or Path(tempfile.gettempdir()) / f"imbalance-spark-{args.rows}"
    t = time.perf_counter()
    make_parquet(data, args.rows)
    print(f"data {data} ({args.rows} rows) ready in {time.perf_counter() - t:.1f}s", flush=True)
    spark = spark_session(args.cores, args.driver_memory)
    impls = args.impls.split(",")
    client = None
    if "dask-ours" in impls:
        from distributed import Client, LocalCluster

        client = Client(
            LocalCluster(
                n_workers=1,
                threads_per_worker=args.cores,
                processes=False,
                dashboard_address=":0",
            )
        )
    warm_up(spark)
    best: dict[tuple[str, str], tuple[float, float]] = {}
    clock = TreeCpu()
    with tempfile.TemporaryDirectory() as tmp:
        for method in args.methods.split(","):
            for repeat in range(args.repeats):
                for impl in impls:
                    out = Path(tmp) / f"{impl}-{method}"
                    t, cpu = time.perf_counter(), clock.total()
                    if impl == "spark-ours":
                        asked = spark_ours(spark, data, out, method)
                    elif impl == "spark-sampleBy":
                        asked = spark_sample_by(spark, data, out, method)
                    else:
                        asked = dask_ours(client, data, out, method)
                    wall, cpu = time.perf_counter() - t, clock.total() - cpu
                    got = written_counts(spark, out)
                    old = best.get((impl, method), (np.inf, np.inf))
                    best[(impl, method)] = (min(old[0], wall), min(old[1], cpu))
                    row = {
                        "impl": impl,
                        "method": method,
                        "repeat": repeat,
                        "rows": args.rows,
                        "wall_s": round(wall, 2),
                        "cpu_s": round(cpu, 2),
                        "asked": {int(k): int(v) for k, v in sorted(asked.items())},
                        "got": {int(k): int(v) for k, v in sorted(got.items())},
                        "python_peak_mib": round(peak_rss_mib()),
                        "jvm_peak_rss_mib": round(clock.jvm_peak_mib),
                        "load": round(os.getloadavg()[0], 2),
                    }
                    print(json.dumps(row), flush=True)
    print_summary(best, args.rows)
    if client is not None:
        client.close()
    spark.stop()


if __name__ == "__main__":
    main()
