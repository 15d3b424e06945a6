"""Shared by the benchmarks: time a call and its peak extra resident memory, in this process.

Peak memory is read from the kernel (VmHWM after resetting it through /proc/self/clear_refs), so
it counts every allocation (numpy, pandas, Arrow, polars' Rust allocator), not only Python's.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def _status_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"{field} not found in /proc/self/status")


def peak_extra_mib(func: Callable[[], Any]) -> float:
    """Peak resident memory above the level before the call, in MiB (result kept alive)."""
    gc.collect()
    Path("/proc/self/clear_refs").write_text("5")  # reset VmHWM to the current RSS
    before = _status_kib("VmRSS")
    result = func()
    peak = _status_kib("VmHWM")
    del result
    return (peak - before) / 1024


def median_seconds(func: Callable[[], Any], repeats: int = 5) -> float:
    func()  # warm-up
    times = []
    for _ in range(repeats):
        gc.collect()
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    times.sort()
    return times[len(times) // 2]
