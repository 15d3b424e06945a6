"""Data sets: real imbalanced data bundled with the package, and make_imbalance."""

from ._bundled import (
    DatasetInfo,
    list_datasets,
    load_abalone19,
    load_car_vgood,
    load_dataset,
    load_page_blocks0,
    load_yeast4,
)
from ._make_imbalance import make_imbalance

__all__ = [
    "DatasetInfo",
    "list_datasets",
    "load_abalone19",
    "load_car_vgood",
    "load_dataset",
    "load_page_blocks0",
    "load_yeast4",
    "make_imbalance",
]
