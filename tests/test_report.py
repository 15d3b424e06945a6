"""compare_strategies: what the result holds, no leakage, and every rendering of it."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest
from _browser import load
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
from imbalance.report._curves import calibration_bins, confusion_counts
from imbalance.report._html import _calibration_caption, _confusion_tables
from imbalance.report._result import ComparisonResult, recommend
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


@pytest.fixture(scope="module")
def report_html(result):
    return render_html(result)


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
    assert data["task"] == "classification"  # as the regression result says "regression"
    assert data["summary"]["rus"]["brier"]["mean"] == pytest.approx(
        result.summary()["rus"]["brier"]["mean"]
    )
    frame = result.to_frame()
    assert frame.shape[0] == 15 and {"strategy", "fold", "brier"} <= set(frame.columns)
    assert list(result.summary_frame().index) == result.strategies


def test_renderings_show_what_the_result_holds(result, report_html):
    markdown = render_markdown(result)
    html = report_html
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


def test_calibration_points_and_confusion_matrices_of_a_comparison(result, report_html):
    # yeast4: 51 positives, so five calibration bins of about ten positives for every strategy
    for name in result.strategies:
        cal = result.curves[name]["calibration"]
        assert len(cal["prob_pred"]) == len(cal["prob_true"]) == 5, name
        assert sum(cal["n_positives"]) == 51 and min(cal["n_positives"]) >= 10
        assert sum(cal["n_rows"]) == 1484
    matrices = result.confusion_matrices()
    assert list(matrices) == result.strategies
    for matrix in matrices.values():
        assert [sum(row) for row in matrix] == [1433, 51], "every row once, by true class"
    for record in result.folds:  # the decisions the fold's metrics were computed from
        (tn, fp), (fn, tp) = record["confusion"]
        balanced = (tn / (tn + fp) + tp / (tp + fn)) / 2
        assert balanced == pytest.approx(record["balanced_accuracy"]), record["strategy"]
    assert report_html.count('<table class="confusion">') == len(result.strategies)


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
def test_html_report_renders_in_headless_chromium(result, report_html, tmp_path):
    page = tmp_path / "report.html"
    page.write_text(report_html, encoding="utf-8")
    shown = load(page.as_uri(), tmp_path / "profile", budget_ms=2000)
    assert shown.dom.count("<svg") == 4
    assert shown.dom.count('<table class="confusion">') == len(result.strategies)
    assert "Recommended:" in shown.text and "Decisions at the threshold" in shown.text
    assert not shown.console, shown.console


def _scores_with_positives(n_positives, ratio=25, seed=0):
    """Skewed scores for ``ratio`` negatives per positive; positives drawn where scores are high."""
    rng = np.random.default_rng(seed)
    n = (ratio + 1) * n_positives
    p = rng.beta(0.5, 8.0, size=n)
    y = np.zeros(n, dtype=bool)
    y[rng.choice(n, n_positives, replace=False, p=p / p.sum())] = True
    return y, p


@pytest.mark.parametrize(
    ("n_positives", "n_points"), [(5, 1), (20, 2), (51, 5), (65, 6), (199, 19), (1000, 20)]
)
def test_calibration_bins_adapt_to_the_number_of_positives(n_positives, n_points):
    y, p = _scores_with_positives(n_positives, seed=n_positives)
    bins = calibration_bins(y, p)
    assert len(bins["prob_pred"]) == len(bins["prob_true"]) == n_points
    assert sum(bins["n_positives"]) == n_positives and sum(bins["n_rows"]) == len(y)
    assert min(bins["n_positives"]) >= min(10, n_positives)
    assert max(bins["n_positives"]) - min(bins["n_positives"]) <= 1, "equal shares of positives"
    assert np.all(np.diff(bins["prob_pred"]) > 0)


def test_calibration_bins_give_more_usable_points_than_deciles_with_65_positives():
    y, p = _scores_with_positives(65, seed=65)
    # The previous report's bins: ten quantiles of the predictions. Most hold almost no positive.
    edges = np.quantile(p, np.linspace(0, 1, 11))
    deciles = np.bincount(np.clip(np.searchsorted(edges[1:-1], p, side="right"), 0, 9)[y])
    assert np.sum(deciles >= 10) <= 3
    bins = calibration_bins(y, p)
    assert len(bins["prob_pred"]) == 6 and min(bins["n_positives"]) >= 10


def test_calibration_bins_equal_a_direct_computation():
    p = np.linspace(0.0, 0.9, 30)
    y = np.zeros(30, dtype=int)
    y[[2, 5, 7, 11, 12, 14, 17, 20, 21, 22, 25, 26, 27, 28, 29]] = 1  # 15 positives
    bins = calibration_bins(y, p, min_positives=5)
    # 3 bins of 5 positives, each closing on its 5th positive (rows 0-12, 13-22, 23-29)
    assert bins["n_rows"] == [13, 10, 7] and bins["n_positives"] == [5, 5, 5]
    assert bins["prob_pred"] == pytest.approx([p[:13].mean(), p[13:23].mean(), p[23:].mean()])
    assert bins["prob_true"] == pytest.approx([5 / 13, 5 / 10, 5 / 7])


def test_calibration_bins_keep_tied_probabilities_together():
    rng = np.random.default_rng(3)
    p = rng.choice([0.05, 0.2, 0.5, 0.9], size=3000, p=[0.7, 0.15, 0.1, 0.05])
    y = rng.random(3000) < p
    bins = calibration_bins(y, p)
    values = np.array([0.05, 0.2, 0.5, 0.9])
    for mean, freq in zip(bins["prob_pred"], bins["prob_true"], strict=True):
        value = values[np.argmin(np.abs(values - mean))]
        assert mean == pytest.approx(value), "a bin mixes two tied groups"
        assert freq == pytest.approx(y[p == value].mean())


def test_calibration_bins_refuse_bad_input():
    with pytest.raises(InvalidDataError, match="NaN or infinite"):
        calibration_bins([0, 1, 1], [0.1, np.nan, 0.8])
    with pytest.raises(InvalidDataError, match="one value per row"):
        calibration_bins([0, 1, 1], [0.1, 0.8])
    with pytest.raises(InvalidParameterError, match="min_positives=0"):
        calibration_bins([0, 1], [0.1, 0.8], min_positives=0)


def _fold(strategy, fold, confusion, threshold=0.5):
    metrics = dict.fromkeys(
        ("balanced_accuracy", "average_precision", "roc_auc", "g_mean", "f1", "mcc", "brier"),
        0.5,
    )
    return {
        "strategy": strategy,
        "fold": fold,
        **metrics,
        "threshold": threshold,
        "fit_seconds": 0.1,
        "predict_seconds": 0.01,
        "confusion": confusion,
    }


def _hand_made_result():
    folds = [
        _fold("none", 0, [[70, 2], [4, 1]]),
        _fold("none", 1, [[69, 3], [3, 2]]),
        _fold("rus+threshold", 0, [[61, 11], [1, 4]], threshold=0.3),
        _fold("rus+threshold", 1, [[58, 14], [0, 5]], threshold=0.4),
    ]
    curve = {
        "pr": {"precision": [0.1, 1.0], "recall": [1.0, 0.0]},
        "calibration": {
            "prob_pred": [0.02, 0.4],
            "prob_true": [0.01, 0.5],
            "n_rows": [140, 14],
            "n_positives": [5, 5],
        },
    }
    result = ComparisonResult(
        dataset={
            "name": "hand-made",
            "n_samples": 154,
            "n_features": 3,
            "class_counts": [["common", 144], ["rare", 10]],
            "positive_label": "rare",
            "imbalance_ratio": 14.4,
        },
        metric="balanced_accuracy",
        strategies=["none", "rus+threshold"],
        folds=folds,
        curves={"none": curve, "rus+threshold": curve},
        settings={"model": "LogisticRegression", "cv": 2, "random_state": 0},
    )
    result.recommendation = recommend(result)
    return result


def test_confusion_counts_and_their_sum_over_folds():
    assert confusion_counts(["a", "b", "b", "c"], ["a", "c", "b", "c"], ["c", "b", "a"]) == [
        [1, 0, 0],
        [1, 1, 0],
        [0, 0, 1],
    ]
    pooled = _hand_made_result().confusion_matrices()
    assert pooled == {"none": [[139, 5], [7, 3]], "rus+threshold": [[119, 25], [1, 9]]}
    for matrix in pooled.values():  # every row of the data set counted once
        assert [sum(row) for row in matrix] == [144, 10]


def test_html_report_shows_a_confusion_matrix_per_strategy_at_its_threshold():
    result = _hand_made_result()
    page = _confusion_tables(result)  # render_html draws the plots too (seconds); see above
    assert page.count('<table class="confusion">') == 2
    assert "<caption>none (threshold 0.50)</caption>" in page
    assert "<caption>rus+threshold (threshold 0.35)</caption>" in page
    tables = re.findall(r'<table class="confusion">.*?</table>', page, flags=re.S)
    cells = [[int(n) for n in re.findall(r"<td[^>]*>(\d+)</td>", t)] for t in tables]
    assert cells == [[139, 5, 7, 3], [119, 25, 1, 9]]
    assert "<th>true rare</th>" in tables[0] and "<th>predicted rare</th>" in tables[0]
    assert "holding 5 to 5 positives" in _calibration_caption(result)
