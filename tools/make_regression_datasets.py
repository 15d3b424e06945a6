"""Rebuild src/imbalance/regression/data/*.csv.gz from the data files that statsmodels ships.

Run once by a developer (never at run time):

    pip download --no-deps statsmodels -d /tmp/sm
    python -m zipfile -e /tmp/sm/statsmodels-*.whl /tmp/sm/x
    python tools/make_regression_datasets.py /tmp/sm/x/statsmodels/datasets

Only data sets that statsmodels marks as public domain are taken. The target is moved to the
last column; column names are kept.
"""

from __future__ import annotations

import csv
import gzip
import sys
from pathlib import Path

TARGET = Path(__file__).resolve().parents[1] / "src" / "imbalance" / "regression" / "data"
# name: (file inside statsmodels/datasets, target column)
DATASETS = {
    "randhie": ("randhie/randhie.csv", "mdvis"),
    "grunfeld": ("grunfeld/grunfeld.csv", "invest"),
    "engel": ("engel/engel.csv", "foodexp"),
}


def convert(source: Path, name: str, path: str, target: str) -> None:
    with (source / path).open(newline="") as fh:
        rows = list(csv.reader(fh))
    header, body = rows[0], [r for r in rows[1:] if r]
    t = header.index(target)
    order = [i for i in range(len(header)) if i != t] + [t]
    out = TARGET / f"{name}.csv.gz"
    with gzip.GzipFile(out, "wb", mtime=0) as raw, open_text(raw) as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow([header[i] for i in order])
        writer.writerows([[row[i] for i in order] for row in body])
    print(out.name, len(body), "rows")


def open_text(raw: gzip.GzipFile) -> object:
    import io

    return io.TextIOWrapper(raw, encoding="utf-8", newline="")


if __name__ == "__main__":
    src = Path(sys.argv[1])
    for name, (path, target) in DATASETS.items():
        convert(src, name, path, target)
