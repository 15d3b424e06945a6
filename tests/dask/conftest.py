"""A Dask cluster for the tests: threads in this process, started once for the session."""

from __future__ import annotations

import pytest

pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="session")
def client():
    """A LocalCluster with one worker of two threads (processes=False: no start-up of processes;
    the one test that needs separate processes starts its own cluster)."""
    with (
        distributed.LocalCluster(
            n_workers=1, threads_per_worker=2, processes=False, dashboard_address=":0"
        ) as cluster,
        distributed.Client(cluster) as c,
    ):
        yield c
