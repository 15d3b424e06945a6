"""The dask extra's boundary: a polite error without Dask, public names as documented."""

from __future__ import annotations

import importlib
import sys

import pytest

import imbalance.dask
from imbalance.exceptions import MissingDependencyError


def test_missing_dask_raises_missing_dependency_error_with_the_pip_command(monkeypatch):
    for name in [
        m for m in sys.modules if m == "dask" or m.startswith(("dask.", "imbalance.dask"))
    ]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "dask", None)  # what Python does for a missing package
    with pytest.raises(MissingDependencyError) as info:
        importlib.import_module("imbalance.dask")
    assert str(info.value) == (
        'imbalance.dask requires Dask; install it with pip install "imbalance[dask]"'
    )
    assert isinstance(info.value, ImportError)


def test_public_names():
    assert sorted(imbalance.dask.__all__) == [
        "RandomOverSampler",
        "RandomUnderSampler",
        "SMOTE",
        "class_counts",
        "class_weights",
        "iter_partitions",
        "sample_weights",
        "strategy_weights",
    ]
    from sklearn.base import clone

    from imbalance.base import is_sampler

    sampler = imbalance.dask.RandomUnderSampler(sampling_strategy=0.5, row_id="id")
    assert is_sampler(sampler) and clone(sampler).get_params() == sampler.get_params()
