"""Build imbalanced-learn's own test suite against ``imbalance`` and report what passes.

imbalanced-learn ships its tests inside its wheel; they are the specification of the behaviour
this library promises to its users. This script copies the test modules of the public API from
the installed ``imblearn`` package, points every ``from imblearn... import name`` at the
``imbalance`` module that exports the same public name (names we do not have become a
placeholder that fails the tests using it), runs pytest on the copy and prints a pass table
per module. Tests that imbalanced-learn's own helpers need (``imblearn.utils.testing``'s custom
estimators) still come from imbalanced-learn: they are fixtures, not the code under test.

Failures that are allowed (private attributes, exact wording, identical random draws, or a
difference listed in ``docs/migrating-from-imbalanced-learn.md``) are listed with their reason
in ``tools/imblearn_expected_failures.txt``; ``--check`` exits non-zero when any other test
fails or when a listed test passes (so that the list stays true).

Usage::

    python tools/port_imblearn_tests.py                 # build, run, print the table
    python tools/port_imblearn_tests.py --check         # ... and fail on unexpected results
    python tools/port_imblearn_tests.py -k smote -- -x  # pytest arguments after --
"""

from __future__ import annotations

import argparse
import ast
import importlib
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
EXPECTED = HERE / "imblearn_expected_failures.txt"

# Test modules of imbalanced-learn's public API, relative to the package. Left out, with the
# reason: keras/ and tensorflow/ (no such extras here), utils/tests/ (imbalanced-learn's private
# helpers: docstrings, deprecation, show_versions, min_dependencies), tests/test_common.py and
# tests/test_docstring_parameters.py (imbalanced-learn's own estimator list and docstring format;
# our contract runs scikit-learn's check_estimator over every estimator in tests/), the zenodo
# fetchers (downloads) and tests/test_exceptions.py (a private helper).
IN_SCOPE = (
    "over_sampling/tests/test_adasyn.py",
    "over_sampling/tests/test_common.py",
    "over_sampling/tests/test_random_over_sampler.py",
    "over_sampling/_smote/tests/test_borderline_smote.py",
    "over_sampling/_smote/tests/test_kmeans_smote.py",
    "over_sampling/_smote/tests/test_smote.py",
    "over_sampling/_smote/tests/test_smote_nc.py",
    "over_sampling/_smote/tests/test_smoten.py",
    "over_sampling/_smote/tests/test_svm_smote.py",
    "under_sampling/_prototype_generation/tests/test_cluster_centroids.py",
    "under_sampling/_prototype_selection/tests/test_allknn.py",
    "under_sampling/_prototype_selection/tests/test_condensed_nearest_neighbour.py",
    "under_sampling/_prototype_selection/tests/test_edited_nearest_neighbours.py",
    "under_sampling/_prototype_selection/tests/test_instance_hardness_threshold.py",
    "under_sampling/_prototype_selection/tests/test_nearmiss.py",
    "under_sampling/_prototype_selection/tests/test_neighbourhood_cleaning_rule.py",
    "under_sampling/_prototype_selection/tests/test_one_sided_selection.py",
    "under_sampling/_prototype_selection/tests/test_random_under_sampler.py",
    "under_sampling/_prototype_selection/tests/test_repeated_edited_nearest_neighbours.py",
    "under_sampling/_prototype_selection/tests/test_tomek_links.py",
    "combine/tests/test_smote_enn.py",
    "combine/tests/test_smote_tomek.py",
    "ensemble/tests/test_bagging.py",
    "ensemble/tests/test_easy_ensemble.py",
    "ensemble/tests/test_forest.py",
    "ensemble/tests/test_weight_boosting.py",
    "metrics/tests/test_classification.py",
    "metrics/tests/test_score_objects.py",
    "metrics/tests/test_pairwise.py",
    "datasets/tests/test_imbalance.py",
    "model_selection/tests/test_split.py",
    "tests/test_base.py",
    "tests/test_pipeline.py",
    "tests/test_public_functions.py",
)

# imbalanced-learn's test fixtures, imported from imbalanced-learn itself.
FIXTURE_MODULES = ("imblearn.utils.testing", "imblearn.utils._testing")

# Our public modules, searched in this order for a name imbalanced-learn exports.
OUR_MODULES = (
    "imbalance.samplers",
    "imbalance.base",
    "imbalance.ensemble",
    "imbalance.metrics",
    "imbalance.pipeline",
    "imbalance.datasets",
    "imbalance.model_selection",
    "imbalance.exceptions",
    "imbalance.utils",
    "imbalance.utils.estimator_checks",
    "imbalance.neighbors",
)

MISSING_HELPER = '''"""Placeholders for the names imbalanced-learn has and imbalance does not."""


class Missing:
    def __init__(self, name):
        self.name = name

    def _fail(self, *args, **kwargs):
        raise NotImplementedError(f"imbalance has no public {self.name}")

    __call__ = _fail

    def __getattr__(self, attr):
        self._fail()
'''


def our_names() -> dict[str, str]:
    """Public name -> the first of OUR_MODULES that exports it."""
    where: dict[str, str] = {}
    for module in OUR_MODULES:
        mod = importlib.import_module(module)
        for name in getattr(mod, "__all__", ()):
            where.setdefault(name, module)
    return where


def rewrite(source: str, names: dict[str, str], missing: Counter[str]) -> str:
    """Point the ``imblearn`` imports of a test module at ``imbalance``."""
    tree = ast.parse(source)
    lines = source.splitlines(keepends=True)
    edits: list[tuple[int, int, str]] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.ImportFrom) or not (node.module or "").startswith("imblearn"):
            continue
        if node.module in FIXTURE_MODULES:
            continue
        indent = lines[node.lineno - 1][: node.col_offset]
        new: list[str] = []
        for alias in node.names:
            local = alias.asname or alias.name
            module = names.get(alias.name)
            if module is None:
                missing[f"{node.module}.{alias.name}"] += 1
                new.append(f"{indent}{local} = _imbalance_missing.Missing({alias.name!r})\n")
            else:
                new.append(f"{indent}from {module} import {alias.name} as {local}\n")
        edits.append((node.lineno - 1, node.end_lineno or node.lineno, "".join(new)))
    for start, end, text in sorted(edits, reverse=True):
        lines[start:end] = [text]
    header = "import _imbalance_missing  # noqa: F401\n"
    return header + "".join(lines)


def build(out: Path, only: str | None = None) -> Counter[str]:
    import imblearn

    root = Path(imblearn.__file__).parent
    names = our_names()
    missing: Counter[str] = Counter()
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    (out / "_imbalance_missing.py").write_text(MISSING_HELPER)
    (out / "pytest.ini").write_text(
        "[pytest]\naddopts = -p no:cacheprovider --import-mode=importlib"
        " --continue-on-collection-errors\nfilterwarnings =\n    ignore\n"
    )
    (out / "conftest.py").write_text(f"import sys\nsys.path.insert(0, {str(out)!r})\n")
    for rel in IN_SCOPE:
        if only and only not in rel:
            continue
        src = root / rel
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(rewrite(src.read_text(), names, missing))
    return missing


def run(out: Path, pytest_args: list[str]) -> Path:
    report = out / "junit.xml"
    cmd = [sys.executable, "-m", "pytest", str(out), "-q", f"--junitxml={report}", *pytest_args]
    subprocess.run(cmd, cwd=out, check=False)
    return report


def outcomes(report: Path) -> dict[str, str]:
    """Test id -> passed / failed / skipped."""
    result: dict[str, str] = {}
    for case in ET.parse(report).getroot().iter("testcase"):
        test_id = f"{case.get('classname')}::{case.get('name')}"
        status = "passed"
        for child in case:
            if child.tag in ("failure", "error"):
                status = "failed"
            elif child.tag == "skipped":
                status = "skipped"
        result[test_id] = status
    return result


def table(results: dict[str, str]) -> str:
    per: dict[str, Counter[str]] = defaultdict(Counter)
    for test_id, status in results.items():
        per[test_id.split("::")[0]][status] += 1
    rows = ["| module | passed | failed | skipped |", "|---|---|---|---|"]
    total: Counter[str] = Counter()
    for module in sorted(per):
        c = per[module]
        total.update(c)
        rows.append(f"| {module} | {c['passed']} | {c['failed']} | {c['skipped']} |")
    rows.append(f"| **all** | {total['passed']} | {total['failed']} | {total['skipped']} |")
    return "\n".join(rows)


def expected_failures() -> dict[str, str]:
    """Test id (or id prefix ending in ``*``) -> reason, from the expectations file."""
    found: dict[str, str] = {}
    if EXPECTED.exists():
        for line in EXPECTED.read_text().splitlines():
            if line.strip() and not line.startswith("#"):
                test_id, _, reason = line.partition(" # ")
                found[test_id.strip()] = reason.strip()
    return found


def is_expected(test_id: str, expected: dict[str, str]) -> bool:
    return any(
        test_id == key or (key.endswith("*") and test_id.startswith(key[:-1])) for key in expected
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE.parent / "build" / "imblearn-tests")
    parser.add_argument("--only", help="build only the test modules whose path holds this")
    parser.add_argument("--check", action="store_true", help="fail on unexpected results")
    parser.add_argument("--failures", action="store_true", help="list the failing tests")
    parser.add_argument("pytest_args", nargs="*", help="passed to pytest (after --)")
    args = parser.parse_args(argv)
    args.out = args.out.resolve()
    missing = build(args.out, args.only)
    results = outcomes(run(args.out, args.pytest_args))
    print(table(results))
    if missing:
        print("\nnames imbalanced-learn has and imbalance does not (imports):")
        for name, n in missing.most_common():
            print(f"  {name} ({n})")
    expected = expected_failures()
    failed = sorted(t for t, s in results.items() if s == "failed")
    unexpected = [t for t in failed if not is_expected(t, expected)]
    if args.only:  # a partial run says nothing of the tests it did not build
        expected = {t: r for t, r in expected.items() if t in results}
    fixed = [
        t
        for t, s in results.items()
        if s == "passed" and is_expected(t, expected) and t in expected
    ]
    if args.failures or args.check:
        print(f"\nunexpected failures ({len(unexpected)}):")
        print("\n".join(f"  {t}" for t in unexpected))
        print(f"expected failures that pass now ({len(fixed)}):")
        print("\n".join(f"  {t}" for t in fixed))
    return 1 if args.check and (unexpected or fixed) else 0


if __name__ == "__main__":
    sys.exit(main())
