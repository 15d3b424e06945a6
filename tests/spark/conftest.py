"""Spark tests: skipped only where pyspark is absent; the ``spark`` session fixture (local[2])
lives in the root conftest.py, where the doctests of imbalance.spark find it too."""

from __future__ import annotations

import pytest

pytest.importorskip("pyspark.sql")
