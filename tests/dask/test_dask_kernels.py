"""The engine-neutral parts: kernels and driver steps run without Dask, as a Spark adapter would."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from imbalance._partitioned._kernels import (
    anchor_counts,
    arrivals,
    count_labels,
    label_codes,
    multiplicity,
    row_keys,
    window_summary,
)
from imbalance._partitioned._plan import find_cuts, merge_counts, plan_draws, quotas
from imbalance.exceptions import InvalidDataError


def _resample(partitions, target, *, kind, replacement=False, seed=0, z=10.0):
    """The whole algorithm on a list of pandas label partitions, with no engine at all."""
    classes, counts = merge_counts([count_labels(p) for p in partitions])
    class_counts = dict(zip(classes, counts.sum(axis=0).tolist(), strict=True))
    draws = plan_draws(class_counts, target, kind=kind, replacement=replacement, z=z)
    offsets = np.concatenate([[0], np.cumsum([len(p) for p in partitions])[:-1]])
    keys = [
        row_keys(np.arange(o, o + len(p), dtype=np.uint64), seed)
        for o, p in zip(offsets, partitions, strict=True)
    ]
    codes = [pd.Index(classes).get_indexer(p) for p in partitions]
    rounds = 0
    while True:
        rounds += 1
        summaries = [window_summary(k, c, draws) for k, c in zip(keys, codes, strict=True)]
        cuts, retry = find_cuts(classes, draws, summaries)
        if retry == draws:
            break
        draws = retry
    m = [multiplicity(k, c, draws, cuts) for k, c in zip(keys, codes, strict=True)]
    q = quotas(counts, draws, cuts, summaries)
    return m, q, classes, rounds


def test_exact_counts_and_quotas_without_any_engine():
    parts = [
        pd.Series(np.repeat([0, 1, 2], [40, 7, 3])),
        pd.Series([], dtype=np.int64),
        pd.Series(np.repeat([0, 1], [55, 9])),
    ]
    m, q, _, _ = _resample(parts, {0: 10, 1: 16, 2: 3}, kind="under")
    per_part = [
        np.bincount(pd.Index([0, 1, 2]).get_indexer(p), weights=mm, minlength=3)
        for p, mm in zip(parts, m, strict=True)
    ]
    np.testing.assert_array_equal(np.array(per_part), q)
    assert q.sum(axis=0).tolist() == [10, 16, 3]


def test_a_window_that_misses_is_widened_until_exact():
    parts = [pd.Series(np.repeat([0, 1], [500, 40])), pd.Series(np.repeat([0, 1], [300, 60]))]
    for kind, target, repl in (
        ("under", {0: 123, 1: 100}, False),
        ("over", {0: 800, 1: 555}, False),
        ("under", {0: 77, 1: 30}, True),
    ):
        m, q, _, rounds = _resample(parts, target, kind=kind, replacement=repl, z=1e-9)
        assert rounds > 1
        assert q.sum(axis=0).tolist() == [
            target[0] - (800 if kind == "over" else 0),
            target[1] - (100 if kind == "over" else 0),
        ]
        assert sum(int(x.sum()) for x in m) == q.sum()


def test_windows_bring_back_few_candidates():
    labels = pd.Series(np.repeat([0, 1], [200_000, 5_000]))
    draws = plan_draws({0: 200_000, 1: 5_000}, {0: 50_000, 1: 5_000}, kind="under")
    keys = row_keys(np.arange(len(labels), dtype=np.uint64), 3)
    (summary, _) = window_summary(keys, labels.to_numpy(), draws)
    assert summary is not None and len(summary.keys) < 20 * np.sqrt(50_000)


def test_draws_with_replacement_follow_the_multinomial():
    # 6 rows, 30 draws, 400 seeds: each row's count is Binomial(30, 1/6)
    parts = [pd.Series(np.repeat([0, 1], [6, 40]))]
    counts = np.array(
        [_resample(parts, {0: 36, 1: 40}, kind="over", seed=s)[0][0][:6] for s in range(400)]
    )
    assert (counts.sum(axis=1) == 30).all()
    observed = np.bincount(counts.ravel(), minlength=31)[:31]
    expected = stats.binom.pmf(np.arange(31), 30, 1 / 6) * counts.size
    keep = expected > 5
    chi2 = ((observed[keep] - expected[keep]) ** 2 / expected[keep]).sum()
    assert stats.chi2.sf(chi2, keep.sum() - 1) > 1e-3
    # and a subset is uniform: every row kept with probability t / n
    kept = np.array(
        [_resample(parts, {0: 6, 1: 10}, kind="under", seed=s)[0][0][6:] for s in range(400)]
    )
    assert abs(kept.mean() - 10 / 40) < 0.02


def test_mixed_label_types_are_an_error():
    with pytest.raises(InvalidDataError, match="mixes label types"):
        merge_counts([count_labels(pd.Series([1, 2])), count_labels(pd.Series(["a"]))])


# --------------------------------------------------------------------------------------------
# The anchored Poisson process of draws with replacement


def _chi2_pvalue(observed: np.ndarray, expected: np.ndarray) -> float:
    keep = expected > 5
    chi2 = ((observed[keep] - expected[keep]) ** 2 / expected[keep]).sum()
    return float(stats.chi2.sf(chi2, keep.sum() - 1))


@pytest.mark.parametrize("mean", [3.7, 250.0])
def test_counts_at_the_anchor_are_poisson(mean):
    keys = row_keys(np.arange(20_000, dtype=np.uint64), 11)
    counts = anchor_counts(keys, mean)
    support = np.arange(int(mean + 8 * np.sqrt(mean)) + 10)
    observed = np.bincount(counts, minlength=len(support))[: len(support)]
    assert _chi2_pvalue(observed, stats.poisson.pmf(support, mean) * len(keys)) > 1e-3


def test_a_rows_arrivals_do_not_depend_on_the_window():
    keys = row_keys(np.arange(300, dtype=np.uint64), 5)
    anchor = 20.0
    every = arrivals(keys, anchor, 0.0, 40.0)  # all arrivals up to 40, those before A included
    assert (every.below == 0).all()
    np.testing.assert_array_equal(
        np.bincount(every.rows[every.times < anchor], minlength=300), anchor_counts(keys, anchor)
    )
    whole = set(zip(every.rows.tolist(), every.times.tolist(), every.numbers.tolist(), strict=True))
    for lo, hi in [(0.5, 3.0), (19.0, 21.0), (20.0, 20.5), (23.0, 31.0), (39.0, 40.0)]:
        got = arrivals(keys, anchor, lo, hi)
        inside = set(zip(got.rows.tolist(), got.times.tolist(), got.numbers.tolist(), strict=True))
        assert inside == {a for a in whole if lo <= a[1] <= hi}
        np.testing.assert_array_equal(
            got.below, np.bincount(every.rows[every.times < lo], minlength=300)
        )


def test_draws_far_from_zero_follow_the_multinomial_whatever_the_window():
    # 2 000 draws among 4 rows: the anchor is far above zero. A window wide enough to reach
    # below the anchor draws the very same rows, and each row's count is Binomial(2000, 1/4).
    parts = [pd.Series(np.repeat([0, 1], [2, 5])), pd.Series(np.repeat([0, 1], [2, 3]))]
    target = {0: 2004, 1: 8}
    draws = plan_draws({0: 4, 1: 8}, target, kind="over")
    assert draws[0].anchor > 0
    counts = []
    for seed in range(300):
        m, _, _, _ = _resample(parts, target, kind="over", seed=seed)
        if seed < 20:
            wide, _, _, _ = _resample(parts, target, kind="over", seed=seed, z=200.0)
            for a, b in zip(m, wide, strict=True):
                np.testing.assert_array_equal(a, b)
        counts.append(np.concatenate([m[0][:2], m[1][:2]]))
    counts = np.array(counts)
    assert (counts.sum(axis=1) == 2000).all()
    edges = stats.binom.ppf(np.linspace(0, 1, 9)[1:-1], 2000, 0.25)
    observed = np.bincount(np.searchsorted(edges, counts.ravel(), side="right"), minlength=8)
    cdf = stats.binom.cdf(np.concatenate([edges, [2000]]), 2000, 0.25)
    expected = np.diff(np.concatenate([[0.0], cdf])) * counts.size
    assert _chi2_pvalue(observed, expected) > 1e-3


# --------------------------------------------------------------------------------------------
# Labels: the fast paths agree with the general one


@pytest.mark.parametrize(
    "labels",
    [
        pd.Series(np.array([3, 0, 3, 7, 0], dtype=np.int8)),
        pd.Series([-2, 5, -2, 5, 9]),
        pd.Series([2**40, 3, 2**40]),
        pd.Series([0.5, 1.5, 0.5]),
        pd.Series([True, False, True]),
        np.array([4, 1, 4], dtype=np.uint64),
        pd.Series(["b", "a", "b"]),
    ],
)
def test_label_counts_and_codes_agree_with_sorting(labels):
    counted = count_labels(labels)
    values, counts = np.unique(np.asarray(labels), return_counts=True)
    assert counted.values.tolist() == values.tolist()
    assert counted.counts.tolist() == counts.tolist()
    classes = values.tolist()
    codes = label_codes(labels, classes)
    assert [classes[c] for c in codes] == np.asarray(labels).tolist()


def test_a_label_that_was_not_counted_is_an_error():
    with pytest.raises(InvalidDataError, match="label 9 was not counted"):
        label_codes(pd.Series([1, 9, 1]), [1, 2])
    with pytest.raises(InvalidDataError, match=r"label 2\.5 was not counted"):
        label_codes(pd.Series([1.0, 2.5]), [1.0, 2.0])
