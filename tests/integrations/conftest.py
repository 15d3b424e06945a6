"""Integration tests: real training with fastai, Lightning, skorch and transformers.

The frameworks come from the ``integrations`` extra (see ``.ci/run``). Locally a missing one
skips its test module (``pytest.importorskip``); with ``IMBALANCE_CI=1``, as in CI, a missing
framework fails the run instead, so that CI can never pass by skipping these tests.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent


def _in_ci() -> bool:
    return os.environ.get("IMBALANCE_CI") == "1"


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(collector: pytest.Collector) -> Any:
    report = yield
    path = getattr(collector, "path", None)
    if _in_ci() and report.skipped and path is not None and HERE in Path(path).parents:
        reason = report.longrepr[-1] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = (
            f"{collector.nodeid} was skipped ({reason}), but IMBALANCE_CI=1 requires every "
            'integration framework: pip install -e ".[integrations]" (see .ci/run).'
        )
    return report


@pytest.fixture(autouse=True)
def _one_torch_thread() -> Any:
    """These models are tiny: one intra-op thread is several times faster than two (no
    spinning worker threads, which a busy 2-core machine makes very slow), and leaves the other
    core to the other process of the DDP tests."""
    try:
        import torch
    except ImportError:
        yield
        return
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(threads)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under pytest-xdist (``--dist loadgroup``, as CI runs) these tests and the adapters'
    doctests share one worker, so that only one process imports fastai, Lightning, skorch and
    transformers (several seconds each)."""
    if not config.pluginmanager.hasplugin("xdist"):
        return
    adapters = ("src/imbalance/torch/fastai.py", "src/imbalance/torch/huggingface.py")
    for item in items:
        path = item.nodeid.replace("\\", "/")
        if path.startswith(("tests/integrations/", *adapters)):
            item.add_marker(pytest.mark.xdist_group("integrations"))
