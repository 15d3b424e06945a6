"""The documented end-to-end example runs (small) and gives sensible scores."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "protein_atlas_multilabel.py"


@pytest.mark.slow
def test_protein_atlas_example_runs_end_to_end(capsys):
    pytest.importorskip("torch")
    spec = importlib.util.spec_from_file_location("protein_atlas_multilabel", EXAMPLE)
    assert spec is not None and spec.loader is not None
    example = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(example)
    results = example.main(["--rows", "4000", "--epochs", "60"])
    out = capsys.readouterr().out
    line = next(s for s in out.splitlines() if "present in both parts" in s)
    kept, total = line.rsplit(" ", 1)[1].split("/")
    assert kept == total and int(total) >= 24
    assert set(results) == {"BCE", "BCE + pos_weight", "focal + pos_weight", "ML-ROS + BCE"}
    for macro, micro in results.values():
        assert 0.0 < macro <= micro <= 1.0
    assert results["focal + pos_weight"][0] > results["BCE"][0]
