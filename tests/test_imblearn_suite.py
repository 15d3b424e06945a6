"""imbalanced-learn's own tests, pointed at imbalance: everything passes except the failures
listed with their reasons in tools/imblearn_expected_failures.txt."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_imbalanced_learns_own_suite_passes_but_for_the_listed_differences(tmp_path):
    pytest.importorskip("imblearn")
    tool = ROOT / "tools" / "port_imblearn_tests.py"
    run = subprocess.run(
        [sys.executable, str(tool), "--check", "--out", str(tmp_path / "suite")],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    report = run.stdout[-6000:]
    assert run.returncode == 0, report
    assert "| **all** |" in run.stdout
    passed = int(run.stdout.split("| **all** | ")[1].split(" |")[0])
    assert passed >= 600, report
