"""sampling_strategy: every imbalanced-learn form, same meaning, checked against its resolver."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from imbalance._strategy import STRATEGY_NAMES, resolve_sampling_strategy
from imbalance.exceptions import InvalidParameterError, SamplingStrategyError

imblearn_utils = pytest.importorskip("imblearn.utils")


def _oracle(strategy, y, kind):
    """imbalanced-learn's answer, as final counts of every class (or the exception it raises)."""
    counts = dict(zip(*np.unique(y, return_counts=True), strict=True))
    sampling_type = {"over": "over-sampling", "under": "under-sampling"}[kind]
    asked = imblearn_utils.check_sampling_strategy(strategy, y, sampling_type)
    final = {int(c): int(n) for c, n in counts.items()}
    for cls, n in asked.items():
        final[int(cls)] = final[int(cls)] + int(n) if kind == "over" else int(n)
    return final


def _ours(strategy, y, kind):
    classes, counts = np.unique(y, return_counts=True)
    return resolve_sampling_strategy(
        strategy, dict(zip(classes.tolist(), counts.tolist(), strict=True)), kind=kind, labels=y
    )


counts_st = st.lists(st.integers(1, 40), min_size=2, max_size=5)


def _y(counts):
    return np.repeat(np.arange(len(counts)), counts)  # sorted, so first-seen order == label order


@settings(max_examples=150, deadline=None)
@given(
    counts=counts_st, name=st.sampled_from(STRATEGY_NAMES), kind=st.sampled_from(["over", "under"])
)
def test_named_strategies_match_imbalanced_learn(counts, name, kind):
    _compare(name, _y(counts), kind)


@settings(max_examples=150, deadline=None)
@given(
    counts=st.lists(st.integers(1, 60), min_size=2, max_size=2),
    ratio=st.floats(0.01, 1.0),
    kind=st.sampled_from(["over", "under"]),
)
def test_float_strategies_match_imbalanced_learn(counts, ratio, kind):
    _compare(ratio, _y(counts), kind)


@settings(max_examples=150, deadline=None)
@given(data=st.data(), counts=counts_st, kind=st.sampled_from(["over", "under"]))
def test_dict_and_callable_strategies_match_imbalanced_learn(data, counts, kind):
    y = _y(counts)
    chosen = data.draw(st.lists(st.integers(0, len(counts) - 1), unique=True, min_size=1))
    asked = {c: data.draw(st.integers(0, 80)) for c in chosen}
    _compare(asked, y, kind)
    _compare(lambda labels: dict(asked), y, kind)


def _compare(strategy, y, kind):
    try:
        expected = _oracle(strategy, y, kind)
    except ValueError:
        if _is_no_op_ratio(strategy, y, kind):
            # Deliberate difference: imbalanced-learn refuses a ratio the data already has
            # (zero rows to add); we accept it and change nothing.
            counts = np.bincount(y).tolist()
            assert list(_ours(strategy, y, kind).values()) == counts
            return
        with pytest.raises(ValueError):
            _ours(strategy, y, kind)
        return
    assert _ours(strategy, y, kind) == expected


def _is_no_op_ratio(strategy, y, kind):
    if kind != "over" or not isinstance(strategy, float):
        return False
    counts = np.bincount(y)
    return int(counts.max() * strategy) == counts.min() and len(counts) == 2


def test_target_counts_cover_every_class_and_keep_untouched_ones():
    out = resolve_sampling_strategy("minority", {"a": 10, "b": 5, "c": 7}, kind="over")
    assert out == {"a": 10, "b": 10, "c": 7}


def test_ties_break_by_label_order_not_by_row_order():
    from imbalance._validation import encode_target

    y = np.array([2] * 5 + [0] * 5 + [1] * 9)
    for order in (y, y[::-1], np.random.default_rng(0).permutation(y)):
        counts = encode_target(order).class_counts
        assert resolve_sampling_strategy("minority", counts, kind="over") == {0: 9, 1: 9, 2: 5}


def test_callable_receives_the_labels():
    y = np.array([0, 0, 0, 1])
    seen = []
    resolve_sampling_strategy(
        lambda labels: seen.append(labels) or {1: 3}, {0: 3, 1: 1}, kind="over", labels=y
    )
    np.testing.assert_array_equal(seen[0], y)


@pytest.mark.parametrize(
    ("strategy", "counts", "kind", "error", "words"),
    [
        ("sometimes", {0: 5, 1: 2}, "over", InvalidParameterError, ["'sometimes'", "'auto'"]),
        ({7: 3}, {0: 5, 1: 2}, "over", SamplingStrategyError, ["7", "0, 1"]),
        ({1: -2}, {0: 5, 1: 2}, "under", SamplingStrategyError, ["-2", "class 1", "non-negative"]),
        ({1: 2.5}, {0: 5, 1: 2}, "over", SamplingStrategyError, ["2.5", "class 1", "integers"]),
        (
            {1: 1},
            {0: 5, 1: 2},
            "over",
            SamplingStrategyError,
            ["asks 1", "class 1", "has 2", "under-sampler"],
        ),
        (
            {0: 9},
            {0: 5, 1: 2},
            "under",
            SamplingStrategyError,
            ["asks 9", "class 0", "has 5", "over-sampler"],
        ),
        (0.5, {0: 5, 1: 2, 2: 3}, "over", SamplingStrategyError, ["0.5", "two classes", "dict"]),
        (0.1, {0: 50, 1: 20}, "over", SamplingStrategyError, ["class 1", "from 20 to 5", ">= 0.4"]),
        (0.2, {0: 50, 1: 20}, "under", SamplingStrategyError, ["class 0", "from 50 to 100"]),
        (1.5, {0: 50, 1: 20}, "under", InvalidParameterError, ["1.5", "(0, 1]"]),
        ("majority", {0: 5, 1: 2}, "over", SamplingStrategyError, ["'majority'", "over-sampling"]),
        (
            "minority",
            {0: 5, 1: 2},
            "under",
            SamplingStrategyError,
            ["'minority'", "under-sampling"],
        ),
        ("auto", {0: 5}, "over", SamplingStrategyError, ["one class", "0"]),
        (lambda y: [1, 2], {0: 5, 1: 2}, "over", InvalidParameterError, ["dict", "list"]),
        (object(), {0: 5, 1: 2}, "over", InvalidParameterError, ["sampling_strategy", "object"]),
    ],
)
def test_bad_strategies_say_what_was_asked_and_what_the_data_holds(
    strategy, counts, kind, error, words
):
    with pytest.raises(error) as info:
        resolve_sampling_strategy(strategy, counts, kind=kind, labels=np.zeros(1))
    assert isinstance(info.value, ValueError)
    for word in words:
        assert word in str(info.value), (word, str(info.value))
