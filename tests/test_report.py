"""compare_strategies: what the result holds, no leakage, and every rendering of it."""

from __future__ import annotations

import json
import shutil
import subprocess

import numpy as np
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin

from imbalance.datasets import load_yeast4
from imbalance.exceptions import InvalidDataError, InvalidParameterError
from imbalance.report import (
    compare_strategies,
    default_strategies,
    render_html,
    render_markdown,
    render_terminal,
)
from imbalance.samplers import RandomUnderSampler


@pytest.fixture(scope="module")
def result():
    X, y = load_yeast4(return_X_y=True)
    return compare_strategies(
        X,
        y,
        strategies=["none", "none+threshold", "weights", "rus", "rus+prior"],
        cv=3,
        dataset_name="yeast4",
    )


def test_result_holds_every_strategy_fold_and_metric(result):
    assert result.strategies == ["none", "none+threshold", "weights", "rus", "rus+prior"]
    assert len(result.folds) == 5 * 3
    for record in result.folds:
        for metric in (
            "balanced_accuracy",
            "average_precision",
            "roc_auc",
            "g_mean",
            "f1",
            "brier",
        ):
            assert 0.0 <= record[metric] <= 1.0, (record["strategy"], metric)
        assert -1.0 <= record["mcc"] <= 1.0 and record["fit_seconds"] > 0
    thresholds = [r["threshold"] for r in result.folds if r["strategy"] == "none+threshold"]
    assert all(t != 0.5 for t in thresholds), "tuned thresholds move away from 0.5"
    assert result.dataset["class_counts"] == [[0, 1433], [1, 51]]
    assert result.dataset["positive_label"] == 1
    assert result.recommendation["strategy"] in result.strategies
    assert result.metric in result.recommendation["reason"]


def test_prior_correction_restores_calibration_and_resampling_damages_it(result):
    summary = result.summary()
    brier = {name: summary[name]["brier"]["mean"] for name in result.strategies}
    assert brier["rus"] > 2 * brier["none"], "under-sampling moves probabilities"
    assert brier["rus+prior"] < 0.5 * brier["rus"], "prior correction moves them back"
    assert summary["rus"]["roc_auc"]["mean"] == pytest.approx(
        summary["rus+prior"]["roc_auc"]["mean"]
    )


def test_curves_and_serialisation(result):
    for name in result.strategies:
        pr, cal = result.curves[name]["pr"], result.curves[name]["calibration"]
        assert len(pr["precision"]) == len(pr["recall"]) <= 200
        assert len(cal["prob_pred"]) == len(cal["prob_true"]) > 0
    data = json.loads(result.to_json())
    assert data["summary"]["rus"]["brier"]["mean"] == pytest.approx(
        result.summary()["rus"]["brier"]["mean"]
    )
    frame = result.to_frame()
    assert frame.shape[0] == 15 and {"strategy", "fold", "brier"} <= set(frame.columns)
    assert list(result.summary_frame().index) == result.strategies


def test_renderings_show_what_the_result_holds(result):
    markdown = render_markdown(result)
    html = render_html(result)
    for name in result.strategies:
        assert f"| {name}" in markdown and f"<td>{name}</td>" in html
    assert f"**Recommended: {result.recommendation['strategy']}**" in markdown
    assert html.count("<svg") == 4 and "<script" not in html
    for remote in ('src="http', "href='http", 'href="http', "url(http", "@import"):
        assert remote not in html, f"the report fetches something: {remote}"
    from rich.console import Console

    console = Console(record=True, width=140)
    render_terminal(result, console)
    text = console.export_text()
    assert "Recommended:" in text and all(name in text for name in result.strategies)


class IdSpy(ClassifierMixin, BaseEstimator):
    """Fails if it is asked to predict a row it was trained on, or a row twice."""

    def fit(self, X, y):
        self.classes_ = np.unique(y)
        self.seen_ = set(np.asarray(X)[:, 0].astype(int).tolist())
        return self

    def predict_proba(self, X):
        ids = np.asarray(X)[:, 0].astype(int)
        assert not self.seen_ & set(ids.tolist()), "a validation row was trained on"
        assert len(set(ids.tolist())) == len(ids), "validation rows were resampled"
        p = (ids % 7) / 7.0
        return np.column_stack([1 - p, p])

    def predict(self, X):
        return self.classes_[(self.predict_proba(X)[:, 1] >= 0.5).astype(int)]


def test_no_validation_row_reaches_training():
    rng = np.random.default_rng(0)
    n = 300
    y = (rng.random(n) < 0.1).astype(int)
    X = np.column_stack([np.arange(n), rng.normal(size=n)])
    res = compare_strategies(
        X,
        y,
        strategies=["none", "ros", "rus+prior", RandomUnderSampler(random_state=1)],
        estimator=IdSpy(),
        cv=4,
    )
    assert len(res.folds) == 16


def test_default_strategies_follow_the_column_types():
    X, _ = load_yeast4(return_X_y=True)
    assert "smote" in default_strategies(X)
    mixed = np.array([["a", 1.0], ["b", 2.0]], dtype=object)
    assert "smote" not in default_strategies(mixed)


def test_bad_requests_are_explained():
    X, y = load_yeast4(return_X_y=True)
    with pytest.raises(InvalidParameterError, match="'magic' is not known"):
        compare_strategies(X, y, strategies=["magic"])
    with pytest.raises(InvalidParameterError, match="'prior' or 'threshold'"):
        compare_strategies(X, y, strategies=["rus+calibrated"])
    with pytest.raises(InvalidDataError, match="class 1 has 2 row"):
        compare_strategies(X[:100], np.r_[np.zeros(98, int), [1, 1]], cv=5)
    with pytest.raises(InvalidParameterError, match="scoring='accuracy'"):
        compare_strategies(X, y, scoring="accuracy")


@pytest.mark.slow
@pytest.mark.skipif(
    shutil.which("chromium") is None, reason="needs Debian's chromium (.ci/run installs it)"
)
def test_html_report_renders_in_headless_chromium(result, tmp_path):
    page = tmp_path / "report.html"
    page.write_text(render_html(result), encoding="utf-8")
    out = subprocess.run(
        [
            "chromium",
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--enable-logging=stderr",
            "--v=0",
            "--virtual-time-budget=2000",
            "--dump-dom",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert out.stdout.count("<svg") == 4
    assert "Recommended:" in out.stdout
    console = [line for line in out.stderr.splitlines() if "CONSOLE" in line]
    assert not console, console
