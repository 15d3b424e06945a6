"""The package boundary: light import, lazy subpackages, public names as documented."""

from __future__ import annotations

import importlib
import re
import subprocess
import sys
from pathlib import Path

import pytest

import imbalance

ROOT = Path(__file__).resolve().parents[1]
EXTRAS = (
    "torch",
    "dask",
    "distributed",
    "pyspark",
    "matplotlib",
    "rich",
    "polars",
    "imblearn",
    "faiss",
)
CORE_MODULES = (
    "imbalance.samplers",
    "imbalance.pipeline",
    "imbalance.weights",
    "imbalance.model_selection",
    "imbalance.datasets",
    "imbalance.metrics",
    "imbalance.calibration",
    "imbalance.thresholds",
    "imbalance.report",
    "imbalance.cli",
    "imbalance.utils.estimator_checks",
    "imbalance.batches",
    "imbalance.multilabel",
    "imbalance.ensemble",
    "imbalance.neighbors",
)


def test_import_imbalance_imports_no_extra():
    code = f"import sys, imbalance; print(sorted(m for m in {EXTRAS!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout


def test_core_modules_import_with_every_extra_missing():
    # scikit-learn itself imports rich (and pandas) when they are installed, so instead of
    # looking at sys.modules, make the extras impossible to import and import our modules.
    code = (
        "import importlib, importlib.abc, sys\n"
        "class Block(importlib.abc.MetaPathFinder):\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        f"        if name.split('.')[0] in {EXTRAS!r}: raise ImportError('blocked ' + name)\n"
        "sys.meta_path.insert(0, Block())\n"
        f"for m in {CORE_MODULES!r}: importlib.import_module(m)\n"
        "print('ok')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip() == "ok", out.stderr[-2000:]


def test_subpackages_load_lazily():
    assert imbalance.samplers.RandomOverSampler.__name__ == "RandomOverSampler"
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        imbalance.nope  # noqa: B018
    assert "samplers" in dir(imbalance)


def test_version_lives_in_one_place():
    from imbalance._version import __version__

    assert imbalance.__version__ == __version__
    assert "version" not in (ROOT / "pyproject.toml").read_text().split("[project]")[1].split(
        "\n["
    )[0].replace('dynamic = ["version"]', "")


def _documented_names():
    text = (ROOT / "docs" / "api.md").read_text()
    sections = re.findall(r"^## `([\w.]+)`\n(.*?)(?=^## |\Z)", text, flags=re.M | re.S)
    return {
        module: sorted(re.findall(r"^- `(\w+)`", body, flags=re.M)) for module, body in sections
    }


def test_all_matches_the_api_reference():
    documented = _documented_names()
    assert documented, "docs/api.md lists no module"
    for module, names in documented.items():
        try:
            mod = importlib.import_module(module)
        except ImportError as exc:  # an extra that is not installed here
            pytest.skip(f"{module}: {exc}")
        assert sorted(mod.__all__) == names, f"{module}: __all__ and docs/api.md differ"
        for name in names:
            assert getattr(mod, name) is not None


def test_private_names_of_other_libraries_are_never_imported():
    pattern = re.compile(
        r"^\s*(from|import)\s+(sklearn|imblearn|torch|numpy|scipy|narwhals|pandas|polars)\S*\._",
        re.M,
    )
    offenders = [
        str(p.relative_to(ROOT))
        for p in (ROOT / "src").rglob("*.py")
        if pattern.search(p.read_text())
    ]
    assert not offenders, offenders


def test_imbalanced_learn_is_never_imported_by_the_package():
    offenders = [
        str(p.relative_to(ROOT))
        for p in (ROOT / "src").rglob("*.py")
        if re.search(r"^\s*(from|import)\s+imblearn", p.read_text(), flags=re.M)
    ]
    assert not offenders, offenders


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    command = next(
        line for line in readme.splitlines() if "pytest" in line and "pip install" in line
    )
    assert command.strip() in (ROOT / ".ci" / "run").read_text()
