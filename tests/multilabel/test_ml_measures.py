"""Multi-label measures by hand and by definition, over every form of Y; bad Y refused clearly."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pandas as pd
import polars as pl
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from imbalance.multilabel import (
    cvir,
    irlbl,
    label_cardinality,
    label_combination_count,
    label_density,
    max_ir,
    mean_ir,
    multilabel_summary,
    scumble,
    scumble_per_sample,
)

indicators = st.builds(
    lambda n, p, seed: _with_every_label(np.random.default_rng(seed).random((n, len(p))) < p),
    st.integers(1, 50),
    st.lists(st.floats(0.01, 0.9), min_size=1, max_size=8),
    st.integers(0, 2**31 - 1),
)


def _with_every_label(Y):
    Y = Y.copy()
    Y[np.arange(Y.shape[1]) % Y.shape[0], np.arange(Y.shape[1])] = True
    return Y.astype(np.int64)


def _definitions(Y):
    """The measures computed straight from Charte et al.'s formulas, row by row."""
    counts = Y.sum(axis=0)
    ir = counts.max() / counts
    per_row = []
    for row in Y.astype(bool):
        values = ir[row]
        if values.size < 2:
            per_row.append(0.0)
        else:
            geometric = np.prod(values) ** (1 / values.size)
            per_row.append(1 - geometric / values.mean())
    sd = np.sqrt(((ir - ir.mean()) ** 2).sum() / (ir.size - 1)) if ir.size > 1 else 0.0
    return ir, ir.mean(), ir.max(), sd / ir.mean(), np.array(per_row)


@settings(max_examples=80, deadline=None)
@given(Y=indicators)
def test_measures_follow_their_definitions(Y):
    ir, mean, largest, cv, per_row = _definitions(Y)
    np.testing.assert_allclose(irlbl(Y), ir)
    assert mean_ir(Y) == pytest.approx(mean)
    assert max_ir(Y) == pytest.approx(largest)
    assert cvir(Y) == pytest.approx(cv, abs=1e-12)
    np.testing.assert_allclose(scumble_per_sample(Y), per_row, atol=1e-12)
    assert scumble(Y) == pytest.approx(per_row.mean(), abs=1e-12)
    assert label_cardinality(Y) == pytest.approx(Y.sum(axis=1).mean())
    assert label_density(Y) == pytest.approx(Y.mean())
    assert label_combination_count(Y) == len({tuple(r) for r in Y.tolist()})
    assert irlbl(Y).min() == 1.0 and 1.0 <= mean_ir(Y) <= max_ir(Y)
    assert ((scumble_per_sample(Y) >= 0) & (scumble_per_sample(Y) < 1)).all()


@settings(max_examples=40, deadline=None)
@given(Y=indicators, seed=st.integers(0, 1000))
def test_measures_ignore_row_order(Y, seed):
    shuffled = Y[np.random.default_rng(seed).permutation(len(Y))]
    for measure in (mean_ir, max_ir, cvir, scumble, label_cardinality, label_combination_count):
        assert measure(shuffled) == pytest.approx(measure(Y))


def test_hand_computed_values():
    Y = [[1, 1, 0], [1, 0, 1], [1, 0, 0], [1, 1, 0]]  # counts 4, 2, 1
    assert irlbl(Y).tolist() == [1.0, 2.0, 4.0]
    assert mean_ir(Y) == pytest.approx(7 / 3)
    assert max_ir(Y) == 4.0
    # row 0: IR 1 and 2 -> 1 - sqrt(2) / 1.5; row 1: IR 1 and 4 -> 1 - 2 / 2.5
    np.testing.assert_allclose(
        scumble_per_sample(Y), [1 - np.sqrt(2) / 1.5, 0.2, 0.0, 1 - np.sqrt(2) / 1.5]
    )
    assert label_combination_count(Y) == 3
    assert label_density(Y) == pytest.approx(7 / 12)


def test_every_form_of_y_gives_the_same_measures():
    rng = np.random.default_rng(0)
    Y = _with_every_label(rng.random((40, 4)) < [0.6, 0.3, 0.1, 0.05])
    names = np.array(["a", "b", "c", "d"], dtype=object)
    sets = [list(names[np.flatnonzero(r)]) for r in Y]
    forms = [
        Y, Y.astype(bool), Y.astype(np.float32), sp.csr_matrix(Y), sp.csc_array(Y),
        pd.DataFrame(Y, columns=names), pl.DataFrame(Y, schema=list(names)), Y.tolist(), sets,
        [set(s) for s in sets], pd.Series(sets), pl.Series(sets),
        np.array([np.array(s) for s in sets], dtype=object),
    ]  # fmt: skip
    expected = multilabel_summary(Y)
    for form in forms:
        summary = multilabel_summary(form)
        for key in ("mean_ir", "max_ir", "cvir", "scumble", "cardinality", "n_label_combinations"):
            assert summary[key] == pytest.approx(expected[key]), (type(form), key)


def test_summary_is_plain_data_naming_the_labels():
    Y = pd.DataFrame({"nucleus": [1, 1, 1, 0], "rods": [0, 1, 0, 0]})
    s = multilabel_summary(Y)
    assert json.loads(json.dumps(s)) == s
    assert [entry["label"] for entry in s["labels"]] == ["nucleus", "rods"]
    assert s["labels"][1] == {
        "label": "rods",
        "count": 1,
        "frequency": 0.25,
        "irlbl": 3.0,
        "scumble": pytest.approx(1 - np.sqrt(3) / 2),
        "minority": True,
    }
    assert (s["n_samples"], s["n_labels"], s["n_unlabelled"]) == (4, 2, 1)


@pytest.mark.parametrize(
    ("Y", "message"),
    [
        (np.array([[0, 1], [2, 0]]), r"only 0 and 1.*value 2 at row 1, label 0"),
        (np.array([[0.0, 1.0], [np.nan, 0.0]]), r"missing value \(NaN\) at row 1, label 0"),
        (sp.csr_matrix(np.array([[0, 3], [1, 0]])), r"value 3 at row 0, label 1"),
        (np.array([[1, 0], [1, 0]]), r"label 1 of Y has no positive row.*Y\[:, Y.sum"),
        (pd.DataFrame({"a": [1, 1], "b": [0, 0]}), r"label 'b' \(column 1\) of Y has no"),
        (np.array([1, 0, 1]), r"must be multi-label.*shape \(3,\).*\[\[label\] for label in y\]"),
        (["a", "b"], r"list of single labels \(first 'a'\).*\[\[label\] for label in y\]"),
        ([["a"], "bc"], r"row 1 is 'bc'.*a string is not a label list"),
        ([["a"], [None]], r"missing label \(None or NaN\)"),
        ([["a"], [1]], r"mixes label types.*int, str"),
        ([[], []], r"no label at all"),
        ([], r"empty \(0 rows\)"),
        (np.zeros((3, 0)), r"no label column"),
        (np.array([["x", "y"]]), r"values are not numbers"),
        (None, r"Y is None"),
    ],
)
def test_bad_y_is_refused_with_the_way_out(Y, message):
    with pytest.raises(ValueError, match=message):
        mean_ir(Y)


def _extras_after(modules):
    code = (
        f"import sys, {modules};"
        "print(sorted(m for m in ('torch', 'dask', 'rich', 'matplotlib', 'polars', 'imblearn',"
        " 'iterstrat') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(json.loads(out.stdout.replace("'", '"')))


def test_importing_the_subpackage_imports_no_extra():
    # scikit-learn >= 1.9 imports rich itself (sklearn.callback) when it is installed
    by_sklearn = _extras_after("sklearn.model_selection, sklearn.neighbors")
    ours = _extras_after("imbalance.multilabel, imbalance.model_selection, imbalance.weights")
    assert ours <= by_sklearn, ours - by_sklearn


@pytest.mark.parametrize(
    "frame",
    [
        pd.DataFrame({"a": [1, 1, 0], "b": pd.array([0, None, 1], dtype="Int8")}),
        pl.DataFrame({"a": [1, 1, 0], "b": [0, None, 1]}),
    ],
)
def test_missing_labels_in_a_frame_are_named(frame):
    with pytest.raises(ValueError, match=r"column 'b' has 1 missing label\(s\), first at row 1"):
        mean_ir(frame)
