"""The `imbalance` command: every sub-command on bundled and messy data, one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from imbalance.cli import main


@pytest.fixture
def messy_csv(tmp_path):
    """Strings, categories, booleans and missing values, and a text target."""
    rng = np.random.default_rng(0)
    n = 240
    churn = rng.random(n) < 0.15
    frame = pd.DataFrame(
        {
            "tenure": np.where(rng.random(n) < 0.05, np.nan, rng.integers(1, 72, n) - 20 * churn),
            "plan": np.where(
                churn, rng.choice(["basic", "pro"], n), rng.choice(["basic", "pro", "team"], n)
            ),
            "region": np.where(rng.random(n) < 0.05, None, rng.choice(["north", "south"], n)),
            "autopay": rng.random(n) < 0.5,
            "charges": rng.normal(60, 15, n) + 10 * churn,
            "label": np.where(churn, "churn", "stay"),
        }
    )
    path = tmp_path / "customers.csv"
    frame.to_csv(path, index=False)
    return path


def _run(args, capsys):
    code = main([str(a) for a in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_compare_on_a_messy_csv_writes_every_report(messy_csv, tmp_path, capsys):
    html, js, md = tmp_path / "r.html", tmp_path / "r.json", tmp_path / "r.md"
    code, out, err = _run(
        [
            "compare",
            messy_csv,
            "--target",
            "label",
            "--strategies",
            "none,weights,rus,ros+prior",
            "--cv",
            "3",
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
    assert "Recommended:" in out and html.exists() and md.exists()
    data = json.loads(js.read_text())
    assert data["strategies"] == ["none", "weights", "rus", "ros+prior"]
    assert data["dataset"]["positive_label"] == "churn"
    assert html.read_text().count("<svg") == 4


def test_compare_without_data_runs_on_bundled_data_and_says_so(tmp_path, capsys):
    code, out, err = _run(
        ["compare", "--strategies", "none,weights", "--cv", "3", "--out", tmp_path / "r.html"],
        capsys,
    )
    assert code == 0, err
    assert "bundled data set car_vgood" in " ".join(out.split())


def test_the_readme_first_command_compares_the_default_strategies(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(
        tmp_path
    )  # `imbalance compare` with no argument writes ./imbalance-report.html
    code, out, err = _run(["compare", "--json", tmp_path / "r.json"], capsys)
    assert code == 0, err
    data = json.loads((tmp_path / "r.json").read_text())
    assert data["strategies"] == ["none", "none+threshold", "weights", "rus", "rus+prior", "ros"]
    rec = data["recommendation"]
    assert rec["strategy"] in data["strategies"] and 0.0 < rec["threshold"] < 1.0
    assert "AutoImbalanceClassifier" in " ".join(out.split())
    assert (tmp_path / "imbalance-report.html").exists()


def test_gradient_boosting_recommends_the_estimators_blend(tmp_path, capsys):
    js = tmp_path / "r.json"
    args = ["compare", "--dataset", "yeast4", "--model", "hgb", "--metric", "mcc"]
    code, out, err = _run(
        [
            *args,
            "--strategies",
            "none,smote,none|smote",
            "--cv",
            "3",
            "--json",
            js,
            "--out",
            tmp_path / "r.html",
        ],
        capsys,
    )
    assert code == 0, err
    data = json.loads(js.read_text())
    assert data["strategies"] == ["none", "smote", "none|smote"]
    assert data["recommendation"]["strategy"] == "none|smote"
    assert data["recommendation"]["estimator"] == "AutoImbalanceClassifier(model, metric='mcc')"
    assert "Recommended: none|smote" in " ".join(out.split())


@pytest.mark.parametrize("model", ["hgb", "rf"])
def test_other_models_handle_categories_and_missing_values(messy_csv, tmp_path, capsys, model):
    code, _, err = _run(
        [
            "compare",
            messy_csv,
            "--target",
            "label",
            "--model",
            model,
            "--strategies",
            "none,rus",
            "--cv",
            "3",
            "--out",
            tmp_path / "r.html",
        ],
        capsys,
    )
    assert code == 0, err
    assert {"hgb": "HistGradientBoosting", "rf": "RandomForest"}[model] in (
        tmp_path / "r.html"
    ).read_text()


def test_inspect_reports_counts_and_warnings(messy_csv, capsys):
    code, out, err = _run(["inspect", messy_csv, "--target", "label", "--json"], capsys)
    assert code == 0, err
    report = json.loads(out)
    assert dict(map(tuple, report["class_counts"]))["churn"] == int(
        (pd.read_csv(messy_csv)["label"] == "churn").sum()
    )
    joined = " ".join(report["warnings"])
    assert "'tenure' has" in joined and "missing values" in joined
    code, out, _ = _run(["inspect", messy_csv, "--target", "label"], capsys)
    assert code == 0 and "imbalance ratio" in out


def test_inspect_flags_a_leaking_column_and_tiny_classes(tmp_path, capsys):
    rng = np.random.default_rng(1)
    y = np.array(["no"] * 96 + ["yes"] * 4)
    frame = pd.DataFrame(
        {
            "x": rng.normal(size=100),
            "leak": (y == "yes") * 5.0 + rng.normal(0, 0.01, 100),
            "const": 1,
            "y": y,
        }
    )
    path = tmp_path / "leaky.csv"
    frame.to_csv(path, index=False)
    code, out, _ = _run(["inspect", path, "--target", "y", "--json"], capsys)
    warnings = " ".join(json.loads(out)["warnings"])
    assert code == 0
    assert "'leak' predicts the target" in warnings and "'x' predicts" not in warnings
    assert "'const' is constant" in warnings
    assert "too few for SMOTE" in warnings and "missing from some of 5 folds" in warnings


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_resample_writes_the_same_columns_and_types(messy_csv, tmp_path, capsys, suffix):
    src = messy_csv
    if suffix == ".parquet":
        src = tmp_path / "in.parquet"
        pd.read_csv(messy_csv).to_parquet(src, index=False)
    out_path = tmp_path / f"out{suffix}"
    code, out, err = _run(
        [
            "resample",
            src,
            "--target",
            "label",
            "--method",
            "rus",
            "--sampling-strategy",
            "0.5",
            "--out",
            out_path,
        ],
        capsys,
    )
    assert code == 0, err
    before = pd.read_parquet(src) if suffix == ".parquet" else pd.read_csv(src)
    after = pd.read_parquet(out_path) if suffix == ".parquet" else pd.read_csv(out_path)
    assert list(after.columns) == list(before.columns)
    assert (after.dtypes == before.dtypes).all()
    counts = after["label"].value_counts()
    assert (
        counts["stay"] == 2 * counts["churn"]
        and counts["churn"] == (before["label"] == "churn").sum()
    )
    assert "written to" in out


def test_resample_with_a_dict_strategy_in_json(messy_csv, tmp_path, capsys):
    out_path = tmp_path / "out.csv"
    code, _, err = _run(
        [
            "resample",
            messy_csv,
            "--target",
            "label",
            "--method",
            "ros",
            "--sampling-strategy",
            '{"churn": 100}',
            "--out",
            out_path,
        ],
        capsys,
    )
    assert code == 0, err
    assert (pd.read_csv(out_path)["label"] == "churn").sum() == 100


@pytest.mark.parametrize(
    ("setup", "args", "words"),
    [
        (
            "good",
            ["compare", "{path}", "--target", "nope", "--cv", "3"],
            ["InvalidDataError:", "no column 'nope'", "label"],
        ),
        ("single", ["compare", "{path}", "--target", "label"], ["one class", "stay"]),
        (
            "garbage",
            ["inspect", "{path}", "--target", "label"],
            ["InvalidDataError:", "cannot be read"],
        ),
        (
            "missing",
            ["compare", "{path}", "--target", "label"],
            ["InvalidDataError:", "no such file"],
        ),
        (
            "good",
            ["resample", "{path}", "--target", "label", "--method", "magic", "--out", "x.csv"],
            ["'magic' is not known"],
        ),
        ("good", ["compare", "{path}"], ["--target is required"]),
        (
            "good",
            ["compare", "{path}", "--target", "label", "--metric", "accuracy"],
            ["scoring='accuracy'"],
        ),
        ("na_target", ["compare", "{path}", "--target", "label"], ["missing value(s)", "'label'"]),
    ],
)
def test_bad_input_gives_one_line_errors(messy_csv, tmp_path, capsys, setup, args, words):
    path = tmp_path / "bad.csv"
    if setup == "good":
        path = messy_csv
    elif setup == "single":
        pd.DataFrame({"a": range(20), "label": ["stay"] * 20}).to_csv(path, index=False)
    elif setup == "garbage":
        path.write_bytes(b"\x00\xff\xfe binary \x00 garbage \xff" * 50)
    elif setup == "na_target":
        pd.DataFrame({"a": range(20), "label": ["x", None] * 10}).to_csv(path, index=False)
    elif setup == "missing":
        path = tmp_path / "absent.csv"
    code, _, err = _run([a.format(path=path) if isinstance(a, str) else a for a in args], capsys)
    assert code == 1
    assert len(err.strip().splitlines()) == 1, err
    for word in words:
        assert word in err, (word, err)


@pytest.mark.parametrize("command", [[], ["compare"], ["inspect"], ["resample"], ["datasets"]])
def test_help_for_every_command(command, capsys):
    with pytest.raises(SystemExit) as info:
        main([*command, "--help"])
    assert info.value.code == 0
    assert "usage: imbalance" in capsys.readouterr().out


def test_console_entry_point_lists_the_datasets():
    out = subprocess.run(
        [sys.executable, "-m", "imbalance.cli", "datasets"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "car_vgood" in out.stdout and "page_blocks0" in out.stdout
