"""The numpy batching engine and balanced_batches: invariants, references, errors."""

from __future__ import annotations

import itertools
import math
import subprocess
import sys
from collections import Counter

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import chisquare
from sklearn.model_selection import StratifiedKFold

from imbalance._batching import (
    IidDraws,
    QuotaDraws,
    StratifiedBatches,
    apportion,
    class_distribution,
    entropy_key,
    group_labels,
    keyed_permutation,
    shard_chunks,
    shard_length,
)
from imbalance.batches import balanced_batches
from imbalance.exceptions import InvalidDataError, InvalidParameterError, SamplingStrategyError

FAST = settings(max_examples=40, deadline=None)


def _all_batches(plan):
    rows, ends = plan.take(np.arange(plan.n_units))
    return np.split(rows, ends[:-1])


# ---- keyed permutations ------------------------------------------------------------------


@FAST
@given(n=st.integers(1, 5000), key=st.integers(0, 2**64 - 1))
def test_keyed_permutation_is_a_bijection(n, key):
    perm = keyed_permutation(np.arange(n), n, np.uint64(key))
    assert np.array_equal(np.sort(perm), np.arange(n))


@FAST
@given(
    sizes=st.lists(st.integers(1, 300), min_size=1, max_size=6),
    seed=st.integers(0, 2**32 - 1),
)
def test_keyed_permutation_per_element_domains_equal_one_at_a_time(sizes, seed):
    keys = np.random.default_rng(seed).integers(0, 2**63, len(sizes)).astype(np.uint64)
    pos = np.concatenate([np.arange(n) for n in sizes])
    n = np.repeat(sizes, sizes)
    key = np.repeat(keys, sizes)
    mixed = keyed_permutation(pos[::-1], n[::-1], key[::-1])[::-1]
    one_by_one = np.concatenate(
        [keyed_permutation(np.arange(s), s, k) for s, k in zip(sizes, keys, strict=True)]
    )
    assert np.array_equal(mixed, one_by_one)


@pytest.mark.parametrize("n", [3, 4])
def test_small_domain_permutations_are_uniform(n):
    keys = np.arange(12000, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    cols = [keyed_permutation(np.full(keys.size, t), n, keys) for t in range(n)]
    code = np.zeros(keys.size, dtype=np.int64)
    for col in cols:
        code = code * n + col
    counts = Counter(code.tolist())
    assert len(counts) == math.factorial(n)
    assert chisquare(list(counts.values())).pvalue > 1e-3


@pytest.mark.parametrize("n", [100, 1000])
def test_large_domain_positions_and_pairs_are_uniform(n):
    keys = np.arange(40000, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15) + np.uint64(7)
    first = keyed_permutation(np.zeros(keys.size, dtype=np.int64), n, keys)
    second = keyed_permutation(np.ones(keys.size, dtype=np.int64), n, keys)
    bins = 20
    assert chisquare(np.bincount(first * bins // n, minlength=bins)).pvalue > 1e-3
    size = np.bincount(np.arange(n) * bins // n, minlength=bins).astype(float)
    expected = (np.outer(size, size) - np.diag(size)) / (n * (n - 1)) * keys.size
    observed = np.bincount((first * bins // n) * bins + second * bins // n, minlength=bins**2)
    assert chisquare(observed, expected.ravel()).pvalue > 1e-3


# ---- grouping labels ---------------------------------------------------------------------


LABEL_ARRAYS = st.one_of(
    st.lists(st.integers(-3, 3), min_size=1, max_size=200).map(lambda v: np.array(v, np.int8)),
    st.lists(st.integers(0, 2**40), min_size=1, max_size=50).map(np.array),
    st.lists(st.booleans(), min_size=1, max_size=50).map(np.array),
    st.lists(st.sampled_from("abc"), min_size=1, max_size=50).map(lambda v: np.array(v, object)),
    st.lists(st.integers(0, 400), min_size=1, max_size=2000).map(np.array),
)


@FAST
@given(labels=LABEL_ARRAYS)
def test_group_labels_groups_every_row_under_its_class_in_order(labels):
    groups = group_labels(labels, owner="test")
    classes, counts = np.unique(labels, return_counts=True)
    assert groups.classes == classes.tolist()
    assert groups.counts.tolist() == counts.tolist()
    for k, label in enumerate(groups.classes):
        rows = groups.order[groups.offsets[k] : groups.offsets[k + 1]]
        assert np.array_equal(rows, np.flatnonzero(labels == label))


def test_group_labels_keeps_labels_compact_past_2_to_the_24():
    n = 2**24 + 1000
    labels = np.zeros(n, dtype=np.int8)
    labels[-500:] = 1
    groups = group_labels(labels, owner="test")
    assert groups.order.dtype == np.int32
    assert groups.order[groups.offsets[1] :].tolist() == list(range(n - 500, n))


def test_multilabel_rows_are_grouped_under_their_rarest_label():
    indicator = np.array([[1, 1, 0], [1, 0, 0], [1, 0, 1], [0, 0, 0], [1, 1, 0]])
    groups = group_labels(indicator, owner="test", multilabel=True)
    # label 2 has 1 positive row, label 1 has 2, label 0 has 4; the empty row forms group -1.
    assert groups.class_counts == {0: 1, 1: 2, 2: 1, -1: 1}
    assert groups.order.tolist() == [1, 0, 4, 2, 3]


def test_one_hot_labels_are_read_as_classes():
    groups = group_labels(np.eye(3, dtype=int)[[0, 2, 2, 1]], owner="test")
    assert groups.class_counts == {0: 1, 1: 1, 2: 2}


# ---- apportioning and class distributions ------------------------------------------------


@FAST
@given(
    total=st.integers(0, 10**9),
    weights=st.lists(st.floats(0, 1e6), min_size=1, max_size=30).filter(lambda w: sum(w) > 0),
)
def test_apportion_sums_to_total_within_one_of_the_ideal(total, weights):
    probs = np.array(weights) / np.sum(weights)
    counts = apportion(total, probs)
    assert counts.sum() == total
    assert np.all(np.abs(counts - total * probs) < 1 + 1e-6 * total)


def test_powers_give_proportions_of_count_to_one_minus_power():
    groups = group_labels(np.repeat([0, 1, 2], [900, 90, 10]), owner="test")
    for strategy, exponent in (("balanced", 0.0), ("sqrt", 0.5), ("natural", 1.0)):
        probs, default = class_distribution(groups, strategy, None, replacement=True, owner="t")
        expected = np.array([900, 90, 10]) ** exponent
        np.testing.assert_allclose(probs, expected / expected.sum())
        assert default == 1000
    probs, _ = class_distribution(groups, "balanced", 0.25, replacement=True, owner="t")
    np.testing.assert_allclose(
        probs, [900**0.75, 90**0.75, 10**0.75] / np.sum([900**0.75, 90**0.75, 10**0.75])
    )


def test_sampling_strategies_resolve_to_their_counts():
    groups = group_labels(np.repeat([0, 1], [90, 10]), owner="test")
    probs, total = class_distribution(groups, "auto", None, replacement=True, owner="t")
    assert total == 180 and probs.tolist() == [0.5, 0.5]
    probs, total = class_distribution(groups, "auto", None, replacement=False, owner="t")
    assert total == 20 and probs.tolist() == [0.5, 0.5]
    probs, total = class_distribution(groups, 0.5, None, replacement=True, owner="t")
    assert total == 135
    probs, total = class_distribution(groups, {0: 30}, None, replacement=False, owner="t")
    assert total == 40 and probs.tolist() == [0.75, 0.25]


# ---- draws -------------------------------------------------------------------------------


def test_iid_draws_follow_the_class_and_member_distributions():
    labels = np.repeat([0, 1, 2], [5000, 300, 40])
    groups = group_labels(labels, owner="test")
    probs = np.array([0.5, 0.3, 0.2])
    rows = IidDraws(groups, probs, (11, 0)).take(np.arange(200_000))
    assert chisquare(np.bincount(labels[rows]), probs * rows.size).pvalue > 1e-4
    rare = np.bincount(rows[labels[rows] == 2] - 5300, minlength=40)
    assert chisquare(rare).pvalue > 1e-4


def test_iid_draws_depend_on_the_unit_only():
    groups = group_labels(np.repeat([0, 1], [700, 300]), owner="test")
    plan = IidDraws(groups, np.array([0.5, 0.5]), (3, 1))
    whole = plan.take(np.arange(150_000))
    pieces = np.concatenate(
        [plan.take(np.arange(a, b)) for a, b in [(0, 70_000), (70_000, 150_000)]]
    )
    scattered = IidDraws(groups, np.array([0.5, 0.5]), (3, 1)).take(np.array([149_999, 5, 65_536]))
    assert np.array_equal(whole, pieces)
    assert scattered.tolist() == whole[[149_999, 5, 65_536]].tolist()


@FAST
@given(
    counts=st.lists(st.integers(1, 60), min_size=2, max_size=5),
    total=st.integers(1, 400),
    seed=st.integers(0, 2**31),
)
def test_quota_draws_fill_exact_quotas_without_early_repeats(counts, total, seed):
    labels = np.repeat(np.arange(len(counts)), counts)
    groups = group_labels(labels, owner="test")
    quotas = apportion(total, np.full(len(counts), 1 / len(counts)))
    rows = QuotaDraws(groups, quotas, (seed, 0)).take(np.arange(total))
    assert np.bincount(labels[rows], minlength=len(counts)).tolist() == quotas.tolist()
    per_row = np.bincount(rows, minlength=labels.size)
    for k in range(len(counts)):
        mine = per_row[labels == k]
        assert mine.max() - mine.min() <= 1
        assert mine.sum() == quotas[k]


# ---- stratified batches ------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(
    counts=st.lists(st.integers(1, 300), min_size=1, max_size=6),
    batch_size=st.integers(1, 70),
    drop_last=st.booleans(),
    seed=st.integers(0, 2**31),
)
def test_stratified_batches_hold_every_class_within_one_of_its_share(
    counts, batch_size, drop_last, seed
):
    labels = np.repeat(np.arange(len(counts)), counts)
    groups = group_labels(labels, owner="test")
    plan = StratifiedBatches(groups, batch_size, 0, drop_last, (seed, 0))
    batches = _all_batches(plan)
    n = labels.size
    assert plan.n_units == (n // batch_size if drop_last else -(-n // batch_size))
    for batch in batches:
        share = np.bincount(labels[batch], minlength=len(counts))
        ideal = np.array(counts) * len(batch) / n
        assert np.all(np.abs(share - ideal) <= 1 + 1e-9), (share, ideal)
    seen = np.bincount(np.concatenate(batches), minlength=n) if batches else np.zeros(n)
    assert seen.max(initial=0) <= 1
    if not drop_last:
        assert seen.min() == 1
    assert all(len(b) == batch_size for b in batches[: n // batch_size])


@settings(max_examples=60, deadline=None)
@given(
    counts=st.lists(st.integers(1, 300), min_size=2, max_size=5),
    min_per_class=st.integers(1, 4),
    extra=st.integers(0, 40),
    seed=st.integers(0, 2**31),
)
def test_min_per_class_reaches_every_batch_and_keeps_the_rest_proportional(
    counts, min_per_class, extra, seed
):
    labels = np.repeat(np.arange(len(counts)), counts)
    groups = group_labels(labels, owner="test")
    batch_size = min_per_class * len(counts) + extra
    plan = StratifiedBatches(groups, batch_size, min_per_class, False, (seed, 0))
    batches = _all_batches(plan)
    boosted = plan.layout.boosted
    seen = np.bincount(np.concatenate(batches), minlength=labels.size)
    for batch in batches:
        share = np.bincount(labels[batch], minlength=len(counts))
        assert np.all(share >= min_per_class) or batch is batches[-1]
        assert np.all(share[boosted] == min_per_class)
    regular = ~boosted[labels]
    assert np.all(seen[regular] == 1)
    assert np.all(seen[~regular] >= 1)


def test_stratified_allocation_matches_stratified_k_fold():
    labels = np.repeat([0, 1, 2], [700, 230, 70])
    groups = group_labels(labels, owner="test")
    batches = _all_batches(StratifiedBatches(groups, 100, 0, False, (0, 0)))
    ours = np.array([np.bincount(labels[b], minlength=3) for b in batches])
    folds = StratifiedKFold(n_splits=10, shuffle=True, random_state=0).split(labels, labels)
    theirs = np.array([np.bincount(labels[test], minlength=3) for _, test in folds])
    for k in range(3):
        assert sorted(ours[:, k]) == sorted(theirs[:, k])


def test_stratified_batches_differ_between_epochs_and_repeat_within_one():
    groups = group_labels(np.repeat([0, 1], [80, 20]), owner="test")
    first = _all_batches(StratifiedBatches(groups, 10, 0, False, (5, 0)))
    again = _all_batches(StratifiedBatches(groups, 10, 0, False, (5, 0)))
    later = _all_batches(StratifiedBatches(groups, 10, 0, False, (5, 1)))
    assert all(np.array_equal(a, b) for a, b in zip(first, again, strict=True))
    assert not all(np.array_equal(a, b) for a, b in zip(first, later, strict=True))


# ---- shares ------------------------------------------------------------------------------


@FAST
@given(
    n_units=st.integers(1, 3000),
    replicas=st.integers(1, 9),
    drop_last=st.booleans(),
    chunk=st.integers(1, 700),
)
def test_shards_are_equal_contiguous_and_pad_from_the_start(n_units, replicas, drop_last, chunk):
    length = shard_length(n_units, replicas, drop_last)
    shares = [
        np.concatenate(
            [np.empty(0, np.int64), *shard_chunks(n_units, replicas, r, drop_last, chunk)]
        )
        for r in range(replicas)
    ]
    assert all(s.size == length for s in shares)
    flat = np.concatenate(shares)
    assert np.array_equal(flat, np.arange(replicas * length) % n_units)


# ---- balanced_batches --------------------------------------------------------------------


def _data(n=200, minority=20):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(n, 3))
    y = np.array([0] * (n - minority) + [1] * minority)
    return X, y


def _rows(X, Xs):
    """Positions in X of the rows of Xs (the rows of X are distinct)."""
    where = {tuple(row): i for i, row in enumerate(X.tolist())}
    return [where[tuple(row)] for row in np.asarray(Xs).tolist()]


def test_balanced_batches_are_balanced_and_keep_rows_paired():
    X, y = _data()
    batches = balanced_batches(X, y, batch_size=50, random_state=0)
    assert batches.steps_per_epoch == 4
    seen = list(batches)
    assert len(seen) == 4
    Xs, ys = np.concatenate([b[0] for b in seen]), np.concatenate([b[1] for b in seen])
    rows = _rows(X, Xs)
    assert np.array_equal(y[rows], ys)
    assert 60 < ys.sum() < 140


def test_balanced_batches_is_repeatable_and_new_each_epoch():
    X, y = _data()
    one = [yb for _, yb in balanced_batches(X, y, batch_size=32, random_state=7, epochs=2)]
    two = [yb for _, yb in balanced_batches(X, y, batch_size=32, random_state=7, epochs=2)]
    assert all(np.array_equal(a, b) for a, b in zip(one, two, strict=True))
    steps = balanced_batches(X, y, batch_size=32).steps_per_epoch
    first, second = np.concatenate(one[:steps]), np.concatenate(one[steps:])
    assert not np.array_equal(first, second)


def test_balanced_batches_endless_when_epochs_is_none():
    X, y = _data()
    stream = balanced_batches(X, y, batch_size=64, epochs=None, random_state=0)
    assert len(list(itertools.islice(stream, 50))) == 50


@pytest.mark.parametrize("strategy", ["auto", 0.5, {0: 40}, "not minority"])
def test_balanced_batches_without_replacement_matches_random_under_sampler(strategy):
    RandomUnderSampler = pytest.importorskip("imblearn.under_sampling").RandomUnderSampler

    X, y = _data()
    _, y_ref = RandomUnderSampler(sampling_strategy=strategy, random_state=0).fit_resample(X, y)
    batches = balanced_batches(
        X, y, batch_size=16, strategy=strategy, replacement=False, random_state=0
    )
    Xs = np.concatenate([xb for xb, _ in batches])
    rows = _rows(X, Xs)
    assert Counter(y[rows].tolist()) == Counter(y_ref.tolist())
    assert len(set(rows)) == len(rows)


def test_balanced_batches_stratified_mode_visits_every_row_once():
    X, y = _data()
    ys, Xs = [], []
    for xb, yb in balanced_batches(X, y, batch_size=20, mode="stratified", random_state=1):
        assert yb.sum() == 2
        Xs.append(xb)
        ys.append(yb)
    rows = sorted(_rows(X, np.concatenate(Xs)))
    assert rows == list(range(len(y)))


def test_balanced_batches_keeps_containers_and_weights():
    pd = pytest.importorskip("pandas")
    pl = pytest.importorskip("polars")
    X, y = _data(60, 6)
    w = np.arange(60, dtype=float)
    frame = pd.DataFrame(X, index=np.arange(100, 160), columns=list("abc"))
    series = pd.Series(y, index=frame.index, name="y")
    xb, yb, wb = next(balanced_batches(frame, series, batch_size=8, sample_weight=w))
    assert isinstance(xb, pd.DataFrame) and isinstance(yb, pd.Series)
    assert (xb.index == yb.index).all()
    np.testing.assert_array_equal(wb, xb.index.to_numpy() - 100.0)
    xb, yb = next(balanced_batches(pl.DataFrame(X), pl.Series(y), batch_size=8))
    assert isinstance(xb, pl.DataFrame) and isinstance(yb, pl.Series) and xb.height == 8
    xb, yb = next(balanced_batches(sp.csr_matrix(X), y.tolist(), batch_size=8))
    assert sp.issparse(xb) and xb.shape == (8, 3) and isinstance(yb, list)


def test_balanced_batches_errors_name_the_parameter():
    X, y = _data()
    with pytest.raises(InvalidDataError, match="X has 200 rows, y has 199"):
        balanced_batches(X, y[:-1])
    with pytest.raises(InvalidParameterError, match=r"'batch_size'.*Got 0"):
        balanced_batches(X, y, batch_size=0)
    with pytest.raises(InvalidParameterError, match=r"'mode'.*'random'"):
        balanced_batches(X, y, mode="random")
    with pytest.raises(InvalidParameterError, match="batch_size=4 cannot hold min_per_class=3"):
        balanced_batches(X, y, batch_size=4, mode="stratified", min_per_class=3)
    with pytest.raises(InvalidParameterError, match="'balance' of balanced_batches is not"):
        balanced_batches(X, y, strategy="balance")
    with pytest.raises(InvalidParameterError, match=r"power=0.5 and strategy='sqrt'"):
        balanced_batches(X, y, strategy="sqrt", power=0.5)
    with pytest.raises(InvalidParameterError, match=r"'power'.*Got -1"):
        balanced_batches(X, y, power=-1)
    with pytest.raises(InvalidParameterError, match=r"'epochs'.*Got 0"):
        balanced_batches(X, y, epochs=0)
    with pytest.raises(SamplingStrategyError, match="reads strategy as a sampling_strategy"):
        balanced_batches(X, y, strategy={1: 5})
    with pytest.raises(InvalidDataError, match=r"fractional values \(e.g. 0.9\)"):
        balanced_batches(X[:2], np.array([0.9, 0.1]))


def test_batches_module_does_not_import_torch():
    code = "import sys, imbalance.batches; print('torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_entropy_keys_differ_by_stream_and_pair():
    assert entropy_key((0, 1), 0) != entropy_key((1, 0), 0)
    assert entropy_key((0, 1), 0) != entropy_key((0, 1), 1)
