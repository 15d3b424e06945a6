"""`imbalance compare` on a continuous target: detection, --task, reports, one-line errors."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from imbalance.cli import main


def _run(args, capsys):
    code = main([str(a) for a in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def claims_csv(tmp_path):
    """A skewed float target (claim sizes) with a text column and a few missing features."""
    rng = np.random.default_rng(0)
    n = 120
    age = rng.integers(18, 80, n).astype(float)
    age[rng.random(n) < 0.05] = np.nan
    risk = rng.normal(size=n)
    frame = pd.DataFrame(
        {
            "age": age,
            "risk": risk,
            "region": rng.choice(["north", "south"], n),
            "claim": np.round(np.exp(1.2 * risk + 0.2 * rng.normal(size=n)) * 100, 2),
        }
    )
    path = tmp_path / "claims.csv"
    frame.to_csv(path, index=False)
    return path


def test_a_float_target_is_compared_as_regression_with_every_report(claims_csv, tmp_path, capsys):
    html, js, md = tmp_path / "r.html", tmp_path / "r.json", tmp_path / "r.md"
    code, out, err = _run(
        [
            "compare",
            claims_csv,
            "--target",
            "claim",
            "--model",
            "ridge",
            "--cv",
            "3",
            "--strategies",
            "none,density,ros,smoter",
            "--out",
            html,
            "--json",
            js,
            "--markdown",
            md,
        ],
        capsys,
    )
    assert code == 0, err
    flat = " ".join(out.split())
    assert "Continuous target" in flat and "ranked by SERA" in flat and "Recommended:" in flat
    data = json.loads(js.read_text())
    assert data["task"] == "regression"
    assert data["strategies"] == ["none", "density", "ros", "smoter"]
    assert data["recommendation"]["strategy"] in data["strategies"]
    assert data["settings"]["model"].endswith("Ridge")
    page = html.read_text()
    assert page.count("<svg") == 3 and "Target and its relevance" in page
    assert all(f"<td>{s}</td>" in page for s in data["strategies"])
    text = md.read_text()
    assert "SERA" in text and all(f"| {s}" in text for s in data["strategies"])


def test_integer_labels_with_three_values_stay_classification(tmp_path, capsys):
    rng = np.random.default_rng(1)
    path = tmp_path / "labels.csv"
    y = np.r_[np.zeros(60), np.ones(30), np.full(12, 2)].astype(int)
    pd.DataFrame({"x": rng.normal(size=y.size) + y, "label": y}).to_csv(path, index=False)
    js = tmp_path / "r.json"
    code, _, err = _run(
        [
            "compare",
            path,
            "--target",
            "label",
            "--strategies",
            "none,weights",
            "--cv",
            "3",
            "--out",
            tmp_path / "r.html",
            "--json",
            js,
        ],
        capsys,
    )
    assert code == 0, err
    data = json.loads(js.read_text())
    assert data["task"] == "classification"
    assert [c for c, _ in data["dataset"]["class_counts"]] == [0, 1, 2]


def test_task_overrides_the_detection(tmp_path, capsys):
    # 0..24 as counts: detected as regression (more than 20 values); --task classification
    # compares them as 25 classes, and --task regression takes a 3-valued integer target
    rng = np.random.default_rng(2)
    path = tmp_path / "counts.csv"
    y = np.repeat(np.arange(25), 4)
    pd.DataFrame({"x": y + rng.normal(size=y.size), "n": y}).to_csv(path, index=False)
    base = [
        "compare",
        path,
        "--target",
        "n",
        "--strategies",
        "none",
        "--cv",
        "3",
        "--out",
        tmp_path / "r.html",
        "--json",
        tmp_path / "r.json",
    ]
    code, _, err = _run(base, capsys)
    assert code == 0, err
    assert json.loads((tmp_path / "r.json").read_text())["task"] == "regression"
    code, _, err = _run([*base, "--task", "classification"], capsys)
    assert code == 0, err
    assert len(json.loads((tmp_path / "r.json").read_text())["dataset"]["class_counts"]) == 25
    small = tmp_path / "small.csv"
    pd.DataFrame({"x": rng.normal(size=60), "n": [0, 1, 5] * 20}).to_csv(small, index=False)
    code, out, err = _run(
        [
            "compare",
            small,
            "--target",
            "n",
            "--task",
            "regression",
            "--model",
            "ridge",
            "--strategies",
            "none,density",
            "--cv",
            "3",
            "--out",
            tmp_path / "s.html",
        ],
        capsys,
    )
    assert code == 0, err
    assert "--task regression" in " ".join(out.split())


def test_bundled_regression_data_by_name(tmp_path, capsys):
    js = tmp_path / "r.json"
    code, out, err = _run(
        [
            "compare",
            "--dataset",
            "engel",
            "--model",
            "ridge",
            "--strategies",
            "none,lds",
            "--cv",
            "3",
            "--out",
            tmp_path / "r.html",
            "--json",
            js,
        ],
        capsys,
    )
    assert code == 0, err
    assert "bundled data set engel" in " ".join(out.split())
    data = json.loads(js.read_text())
    assert data["dataset"]["name"] == "engel" and data["dataset"]["n_samples"] == 235
    code, out, _ = _run(["datasets"], capsys)
    assert code == 0 and "engel" in out and "continuous target (foodexp)" in out


@pytest.mark.parametrize(
    ("extra", "words"),
    [
        (["--model", "logistic"], ["'logistic' (a classifier)", "hgb, ridge, rf"]),
        (["--metric", "f1"], ["--metric f1 is for class labels", "sera"]),
        (["--strategies", "none,smote"], ["'smote' is not known", "smoter"]),
    ],
)
def test_regression_bad_choices_get_one_line_errors(claims_csv, tmp_path, capsys, extra, words):
    args = ["compare", claims_csv, "--target", "claim", "--cv", "3", "--out", tmp_path / "r.html"]
    code, _, err = _run([*args, *extra], capsys)
    assert code == 1
    assert len(err.strip().splitlines()) == 1, err
    for word in words:
        assert word in err, (word, err)


def test_regressor_for_labels_and_unknown_dataset_are_refused(tmp_path, capsys):
    code, _, err = _run(["compare", "--model", "ridge", "--out", tmp_path / "r.html"], capsys)
    assert code == 1 and "ridge is a regressor" in err
    code, _, err = _run(["compare", "--dataset", "nope", "--out", tmp_path / "r.html"], capsys)
    assert code == 1 and "'nope' is not a bundled data set" in err and "engel" in err
