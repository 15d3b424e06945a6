"""Collection rules: modules of an extra that is not installed are not collected.

The test extra installs every extra, so CI collects everything; a contributor without, say,
dask still gets a clean run of the rest.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import settings as _hypothesis_settings

_EXTRAS = {
    "torch": ["src/imbalance/torch", "tests/torch"],
    "dask": ["src/imbalance/dask", "tests/dask"],
    "distributed": ["src/imbalance/dask", "tests/dask"],
    "rich": ["src/imbalance/cli", "tests/test_cli.py"],
    "pyspark": ["src/imbalance/spark", "tests/spark"],
    "matplotlib": ["src/imbalance/report/_html.py", "tests/test_report.py", "tests/test_cli.py"],
    "fastai": ["src/imbalance/torch/fastai.py"],  # the integrations extra
}

collect_ignore = sorted(
    {
        path
        for module, paths in _EXTRAS.items()
        if importlib.util.find_spec(module) is None
        for path in paths
    }
)


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    """One local Spark session for the session's tests and doctests: two cores, two shuffle
    partitions, no UI, quiet logs, Python workers on this interpreter."""
    sql = pytest.importorskip("pyspark.sql")
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    session = (
        sql.SparkSession.builder.master("local[2]")
        .appName("imbalance-tests")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.default.parallelism", "2")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.memory", "1g")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(autouse=True)
def _spark_in_doctests(request: pytest.FixtureRequest) -> None:
    """The docstrings of imbalance.spark use ``spark``, as in PySpark's own examples."""
    if isinstance(request.node, pytest.DoctestItem) and request.node.name.startswith(
        "imbalance.spark"
    ):
        namespace = request.getfixturevalue("doctest_namespace")
        namespace["spark"] = request.getfixturevalue("spark")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under pytest-xdist (``-n auto --dist loadgroup``, as CI runs), every Spark test and doctest
    goes to one worker, so one JVM and one set of Python workers serve them all."""
    if not config.pluginmanager.hasplugin("xdist"):
        return
    for item in items:
        path = item.nodeid.replace("\\", "/")
        if path.startswith(("tests/spark/", "src/imbalance/spark/")):
            item.add_marker(pytest.mark.xdist_group("spark"))


# Property tests draw the same examples on every run (CI is a gate, not a fuzzing farm):
# HYPOTHESIS_PROFILE=explore draws new ones, to look for new counterexamples locally.
_hypothesis_settings.register_profile("ci", derandomize=True)
_hypothesis_settings.register_profile("explore", derandomize=False)
_hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
