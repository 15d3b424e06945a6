"""Collection rules: modules of an extra that is not installed are not collected.

The test extra installs every extra, so CI collects everything; a contributor without, say,
dask still gets a clean run of the rest.
"""

from __future__ import annotations

import importlib.util

_EXTRAS = {
    "torch": ["src/imbalance/torch", "tests/torch"],
    "dask": ["src/imbalance/dask", "tests/dask"],
    "distributed": ["src/imbalance/dask", "tests/dask"],
    "rich": ["src/imbalance/cli", "tests/test_cli.py"],
    "matplotlib": ["src/imbalance/report/_html.py", "tests/test_report.py", "tests/test_cli.py"],
}

collect_ignore = sorted(
    {
        path
        for module, paths in _EXTRAS.items()
        if importlib.util.find_spec(module) is None
        for path in paths
    }
)
