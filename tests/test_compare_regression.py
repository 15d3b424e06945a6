"""compare_regression_strategies: the numbers of a hand-written loop, leakage, errors, reports."""

from __future__ import annotations

import json
import math
from typing import ClassVar

import numpy as np
import pandas as pd
import pytest
from sklearn.base import BaseEstimator
from sklearn.linear_model import Ridge
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from imbalance.exceptions import DataTypeError, InvalidDataError, InvalidParameterError
from imbalance.regression import (
    BinnedStratifiedKFold,
    RandomOverSampler,
    control_points,
    density_weights,
    region_errors,
    relevance,
    sera,
)
from imbalance.report import (
    RegressionComparisonResult,
    compare_regression_strategies,
    detect_task,
    make_regression_model,
    render_html,
    render_markdown,
)
from imbalance.report._regression_result import recommend_regression


def _data(n: int = 150, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """A skewed target with a long upper tail (box-plot outliers in every training fold)."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 3))
    y = np.exp(X[:, 0] + 0.3 * rng.normal(size=n)) * 10
    return X, y


def _hand_loop(X, y, strategy, cv, seed):
    """The comparison of one strategy written out: scaling + ridge, fold-wise phi."""
    rows = []
    for train, val in BinnedStratifiedKFold(cv, shuffle=True, random_state=seed).split(X, y):
        scaler = StandardScaler().fit(X[train])
        X_tr, X_va, y_tr, y_va = (
            scaler.transform(X[train]),
            scaler.transform(X[val]),
            y[train],
            y[val],
        )
        points = control_points(y_tr)
        if strategy == "density":
            model = Ridge().fit(X_tr, y_tr, sample_weight=density_weights(y_tr))
        elif strategy == "ros":
            sampler = RandomOverSampler(random_state=seed, control_points=points)
            model = Ridge().fit(*sampler.fit_resample(X_tr, y_tr))
        else:
            model = Ridge().fit(X_tr, y_tr)
        pred = model.predict(X_va)
        n = len(y_tr)
        errs = region_errors(y_va, pred, y_train=y_tr, bins=10, many=n // 10, few=n // 50)
        rows.append(
            {
                "sera": sera(y_va, pred, relevance=relevance(y_va, control_points=points)),
                "few_mae": errs["few"]["mae"],
                "medium_mae": errs["medium"]["mae"],
                "many_mae": errs["many"]["mae"],
                "mae": errs["all"]["mae"],
            }
        )
    return rows


@pytest.fixture(scope="module")
def ridge_result():
    X, y = _data()
    model = make_pipeline(StandardScaler(), Ridge())
    result = compare_regression_strategies(
        X, y, model=model, strategies=["none", "density", "ros"], cv=3, random_state=0
    )
    return X, y, result


@pytest.mark.parametrize("strategy", ["none", "density", "ros"])
def test_numbers_equal_a_hand_written_cross_validation(ridge_result, strategy):
    X, y, result = ridge_result
    expected = _hand_loop(X, y, strategy, cv=3, seed=0)
    got = sorted((r for r in result.folds if r["strategy"] == strategy), key=lambda r: r["fold"])
    assert len(got) == 3
    for want, have in zip(expected, got, strict=True):
        for key, value in want.items():
            if math.isnan(value):
                assert math.isnan(have[key]), key
            else:
                assert have[key] == pytest.approx(value, rel=1e-12, abs=1e-12), key
    summary = result.summary()[strategy]["sera"]
    assert summary["mean"] == pytest.approx(np.mean([r["sera"] for r in expected]), rel=1e-12)


class _Spy(BaseEstimator):
    """A sampler that records the rows it is given and returns them unchanged."""

    seen: ClassVar[list[np.ndarray]] = []

    def __init__(self, *, control_points=None):
        self.control_points = control_points

    def fit_resample(self, X, y):
        _Spy.seen.append(np.asarray(X)[:, 0].astype(int).copy())
        return X, y


def test_samplers_see_the_training_rows_of_each_fold_and_nothing_else():
    X, y = _data(90)
    X = np.column_stack([np.arange(len(y)), X])  # column 0: the row's id
    _Spy.seen.clear()
    compare_regression_strategies(
        X, y, model=Ridge(), strategies={"none": "none", "spy": _Spy()}, cv=3, random_state=4
    )
    folds = list(BinnedStratifiedKFold(3, shuffle=True, random_state=4).split(X, y))
    assert len(_Spy.seen) == 3
    for ids, (train, val) in zip(_Spy.seen, folds, strict=True):
        assert sorted(ids.tolist()) == sorted(train.tolist())
        assert not set(ids.tolist()) & set(val.tolist())


@pytest.mark.parametrize(
    ("y", "task"),
    [
        ([0, 1, 2] * 10, "classification"),
        (np.arange(30) * 1.5, "regression"),
        ([0.5, 1.0, 2.0], "regression"),
        (list(range(50)), "regression"),
        ([1.0, 2.0, 3.0] * 10, "classification"),
        (["a", "b"] * 20, "classification"),
        ([True, False] * 20, "classification"),
        (pd.Series(np.linspace(0, 1, 40)), "regression"),
    ],
)
def test_detect_task(y, task):
    assert detect_task(y) == task


@pytest.mark.parametrize(
    ("y", "error", "words"),
    [
        (np.r_[np.nan, np.arange(59.0)], InvalidDataError, ["missing or infinite", "row 0"]),
        (np.full(60, 3.0), InvalidDataError, ["constant", "3.0"]),
        (np.array(["a", "b"] * 30), DataTypeError, ["numeric target", "compare_strategies"]),
    ],
)
def test_bad_targets_get_clear_errors(y, error, words):
    X = np.random.default_rng(0).normal(size=(60, 2))
    with pytest.raises(error) as info:
        compare_regression_strategies(X, y, cv=3)
    for word in words:
        assert word in str(info.value)


def test_an_unknown_strategy_or_model_is_named_with_the_choices():
    X, y = _data(60)
    with pytest.raises(InvalidParameterError, match=r"'smote' is not known.*smoter"):
        compare_regression_strategies(X, y, strategies=["none", "smote"], cv=3)
    with pytest.raises(InvalidParameterError, match=r"'logistic' \(a classifier\).*hgb"):
        make_regression_model(X, "logistic")
    with pytest.raises(InvalidParameterError, match="cv must be an int >= 2"):
        compare_regression_strategies(X, y, cv=1)


class _Broken(BaseEstimator):
    def fit_resample(self, X, y):
        raise InvalidDataError("too few rare rows for k_neighbors=5")


def test_a_strategy_that_fails_on_a_fold_is_left_out_with_a_note():
    X, y = _data(60)
    result = compare_regression_strategies(
        X, y, model=Ridge(), strategies={"none": "none", "broken": _Broken()}, cv=3
    )
    assert result.strategies == ["none"]
    assert any("broken left out" in n and "k_neighbors=5" in n for n in result.notes)
    with pytest.raises(InvalidDataError, match="no strategy could be fitted"):
        compare_regression_strategies(X, y, model=Ridge(), strategies={"b": _Broken()}, cv=3)


def test_interpolating_samplers_leave_the_default_set_for_categorical_features():
    X, y = _data(90)
    frame = pd.DataFrame(X, columns=["a", "b", "c"]).assign(kind=["p", "q", "r"] * 30)
    result = compare_regression_strategies(
        frame, y, model=make_regression_model(frame, "ridge"), cv=3
    )
    assert result.strategies == ["none", "density", "lds", "ros", "rus"]
    assert any("smoter and smogn are not in the default set" in n for n in result.notes)


def _fake(sera_by_strategy, few_by_strategy):
    folds = [
        {
            "strategy": s,
            "fold": k,
            "sera": v,
            "few_mae": few_by_strategy[s],
            "medium_mae": 1.0,
            "many_mae": 1.0,
            "mae": 1.0,
            "rmse": 1.0,
            "fit_seconds": 0.1,
            "predict_seconds": 0.0,
        }
        for s, values in sera_by_strategy.items()
        for k, v in enumerate(values)
    ]
    return RegressionComparisonResult(
        dataset={},
        metric="sera",
        strategies=list(sera_by_strategy),
        folds=folds,
        plots={},
        settings={},
    )


def test_near_ties_go_to_the_lower_few_shot_error_and_noise_is_said():
    # b has the lowest SERA, c is within one standard error with a lower few-shot MAE; the
    # gains over none are smaller than their spread over folds
    result = _fake(
        {"none": [10.0, 12.0, 8.0], "b": [9.0, 13.0, 5.0], "c": [9.5, 12.5, 6.0]},
        {"none": 5.0, "b": 4.0, "c": 3.0},
    )
    rec = recommend_regression(result)
    assert rec["strategy"] == "c" and rec["best_sera"] == "b"
    assert rec["beats_none"] == []
    assert "No strategy lowers SERA below none's by more than the fold spread" in rec["reason"]


def test_a_clear_gain_over_none_is_said():
    result = _fake({"none": [10.0, 12.0, 8.0], "b": [5.0, 6.5, 4.0]}, {"none": 5.0, "b": 4.0})
    rec = recommend_regression(result)
    assert rec["strategy"] == "b" and rec["beats_none"] == ["b"]
    assert "beats none by 4.833 SERA per fold" in rec["reason"]


def test_reports_hold_the_strategies_and_the_figures(ridge_result):
    _, y, result = ridge_result
    text = render_markdown(result)
    assert "| none |" in text and "| density" in text and "| ros" in text
    assert result.recommendation["strategy"] in text
    page = render_html(result)
    assert page.count("<svg") == 3 and "relevance phi" in page and "Error by region" in page
    data = json.loads(result.to_json())
    assert data["task"] == "regression" and data["strategies"] == ["none", "density", "ros"]
    assert len(data["plots"]["predictions"]["y_true"]) == len(y)
    assert set(data["summary"]["ros"]) >= {"sera", "few_mae", "medium_mae", "many_mae", "mae"}
    target = data["plots"]["target"]
    assert sum(target["counts"]) == len(y) and max(target["phi_y"]) == pytest.approx(1.0)


@pytest.mark.slow
def test_html_report_renders_in_headless_chromium(ridge_result, tmp_path):
    from _browser import load

    _, _, result = ridge_result
    page = tmp_path / "report.html"
    page.write_text(render_html(result), encoding="utf-8")
    shown = load(page.as_uri(), tmp_path / "profile", budget_ms=2000)
    assert shown.dom.count("<svg") == 3
    assert "Recommended:" in shown.text and "Mean absolute error in each shot region" in shown.text
    assert not shown.console, shown.console
