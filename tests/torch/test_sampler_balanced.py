"""ClassBalancedSampler and ProgressiveBalancedSampler: distributions, references, errors."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from scipy.stats import chi2_contingency, chisquare

torch = pytest.importorskip("torch")

from torch.utils.data import WeightedRandomSampler  # noqa: E402

from imbalance.exceptions import (  # noqa: E402
    InvalidDataError,
    InvalidParameterError,
    SamplingStrategyError,
)
from imbalance.torch import ClassBalancedSampler, ProgressiveBalancedSampler  # noqa: E402

COUNTS = [6000, 900, 100]
LABELS = np.repeat([0, 1, 2], COUNTS)


def _class_counts(sampler, labels=LABELS):
    return np.bincount(labels[np.fromiter(sampler, dtype=np.int64)], minlength=3)


@pytest.mark.parametrize(
    ("kwargs", "weights"),
    [
        ({}, [1, 1, 1]),
        ({"strategy": "sqrt"}, np.sqrt(COUNTS)),
        ({"strategy": "natural"}, COUNTS),
        ({"power": 0.3}, np.power(COUNTS, 0.7)),
        ({"strategy": {1: 3000, 2: 6000}}, [6000, 3000, 6000]),
        ({"strategy": "minority"}, [6000, 900, 6000]),
    ],
)
def test_classes_are_drawn_in_the_asked_proportions(kwargs, weights):
    sampler = ClassBalancedSampler(LABELS, num_samples=60_000, seed=1, **kwargs)
    expected = np.asarray(weights, dtype=float) / np.sum(weights)
    np.testing.assert_allclose(list(sampler.class_probabilities.values()), expected)
    drawn = _class_counts(sampler)
    assert drawn.sum() == 60_000
    assert chisquare(drawn, expected * 60_000).pvalue > 1e-4


def test_natural_proportions_are_rejected_when_balanced_is_asked():
    balanced = _class_counts(ClassBalancedSampler(LABELS, num_samples=30_000, seed=2))
    assert chisquare(balanced, np.array(COUNTS) / sum(COUNTS) * 30_000).pvalue < 1e-10


def test_members_of_a_class_are_drawn_uniformly():
    rows = np.fromiter(ClassBalancedSampler(LABELS, num_samples=90_000, seed=3), dtype=np.int64)
    rare = np.bincount(rows[LABELS[rows] == 2] - 6900, minlength=100)
    assert chisquare(rare).pvalue > 1e-4


def test_same_distribution_as_weighted_random_sampler():
    weights = 1.0 / np.array(COUNTS)[LABELS]
    reference = WeightedRandomSampler(
        torch.as_tensor(weights), 40_000, generator=torch.Generator().manual_seed(0)
    )
    theirs = np.bincount(LABELS[list(reference)], minlength=3)
    ours = _class_counts(ClassBalancedSampler(LABELS, num_samples=40_000, seed=0))
    assert chi2_contingency(np.stack([ours, theirs])).pvalue > 1e-4
    # and per sample: the frequency of each row is its weight's share
    rows = np.fromiter(ClassBalancedSampler(LABELS, num_samples=300_000, seed=4), np.int64)
    per_row = np.bincount(rows, minlength=LABELS.size)
    grouped = np.bincount(LABELS, weights=per_row)
    assert chisquare(grouped, [100_000] * 3).pvalue > 1e-4
    assert chisquare(per_row[LABELS == 2]).pvalue > 1e-4


def test_without_replacement_fills_exact_quotas_before_repeating():
    sampler = ClassBalancedSampler(LABELS, replacement=False, seed=0)
    rows = np.fromiter(sampler, dtype=np.int64)
    assert len(sampler) == rows.size == LABELS.size
    assert np.bincount(LABELS[rows]).tolist() == [2334, 2333, 2333]
    per_row = np.bincount(rows, minlength=LABELS.size)
    assert set(per_row[LABELS == 0].tolist()) == {0, 1}
    assert set(per_row[LABELS == 1].tolist()) == {2, 3}
    assert set(per_row[LABELS == 2].tolist()) == {23, 24}


def test_without_replacement_under_sampling_strategy_is_a_new_subset_each_epoch():
    sampler = ClassBalancedSampler(LABELS, strategy="auto", replacement=False, seed=0)
    assert len(sampler) == 300
    first = np.fromiter(sampler, np.int64)
    sampler.set_epoch(1)
    second = np.fromiter(sampler, np.int64)
    for rows in (first, second):
        assert np.bincount(LABELS[rows]).tolist() == [100, 100, 100]
        assert np.unique(rows).size == 300
    assert set(first[LABELS[first] == 0]) != set(second[LABELS[second] == 0])


def test_num_samples_defaults():
    assert len(ClassBalancedSampler(LABELS)) == 7000
    assert len(ClassBalancedSampler(LABELS, strategy="auto")) == 18_000
    assert len(ClassBalancedSampler(LABELS, strategy="auto", replacement=False)) == 300
    assert len(ClassBalancedSampler(LABELS, num_samples=12)) == 12


def test_seed_and_epoch_decide_the_draws():
    def draws(seed, epoch):
        sampler = ClassBalancedSampler(LABELS, seed=seed)
        sampler.set_epoch(epoch)
        return list(sampler)

    assert draws(0, 0) == draws(0, 0)
    assert draws(0, 1) != draws(0, 0)
    assert draws(0, 1) != draws(1, 0)
    sampler = ClassBalancedSampler(LABELS, seed=5)
    assert list(sampler) == list(sampler)


def test_generator_gives_a_new_epoch_per_iteration_and_replays_from_its_state():
    a = ClassBalancedSampler(LABELS, generator=torch.Generator().manual_seed(9))
    b = ClassBalancedSampler(LABELS, generator=torch.Generator().manual_seed(9))
    first, second = list(a), list(a)
    assert first != second
    assert list(b) == first and list(b) == second


def test_no_generator_follows_torch_manual_seed():
    sampler = ClassBalancedSampler(LABELS)
    torch.manual_seed(123)
    first = list(sampler)
    torch.manual_seed(123)
    assert list(sampler) == first


def test_draws_reach_past_2_to_the_24_samples():
    n = 2**24 + 4000
    labels = np.zeros(n, dtype=np.int8)
    labels[-2000:] = 1
    sampler = ClassBalancedSampler(torch.from_numpy(labels), seed=0)
    assert len(sampler) == n
    head = np.fromiter(itertools.islice(iter(sampler), 20_000), dtype=np.int64)
    tail = head[labels[head] == 1]
    assert 9_000 < tail.size < 11_000
    assert tail.min() >= n - 2000
    assert np.unique(tail).size > 1900


def test_multilabel_rows_count_as_their_rarest_label():
    rng = np.random.default_rng(0)
    indicator = np.zeros((3000, 3), dtype=np.int64)
    indicator[:, 0] = 1
    indicator[rng.choice(3000, 300, replace=False), 1] = 1
    indicator[rng.choice(3000, 30, replace=False), 2] = 1
    sampler = ClassBalancedSampler(torch.as_tensor(indicator), num_samples=30_000, seed=0)
    groups = np.where(indicator[:, 2] == 1, 2, np.where(indicator[:, 1] == 1, 1, 0))
    assert sampler.class_counts == {k: int((groups == k).sum()) for k in range(3)}
    drawn = np.bincount(groups[list(sampler)], minlength=3)
    assert chisquare(drawn).pvalue > 1e-4
    with pytest.raises(InvalidParameterError, match="multi-label indicator does not define"):
        ClassBalancedSampler(indicator, strategy={0: 5})


def test_labels_from_lists_series_and_datasets():
    pd = pytest.importorskip("pandas")
    ds = torch.utils.data.TensorDataset(torch.zeros(4), torch.tensor([1, 0, 1, 1]))
    for labels in ([1, 0, 1, 1], pd.Series(["b", "a", "b", "b"]), ds):
        sampler = ClassBalancedSampler(labels, seed=0)
        assert sorted(sampler.class_counts.values()) == [1, 3]


def test_errors_name_what_was_wrong():
    with pytest.raises(InvalidDataError, match=r"fractional values.*per-class or per-sample"):
        ClassBalancedSampler(torch.tensor([0.9, 0.1]))
    with pytest.raises(InvalidDataError, match="got no labels"):
        ClassBalancedSampler([])
    with pytest.raises(InvalidDataError, match=r"shape \(2, 2, 2\)"):
        ClassBalancedSampler(np.zeros((2, 2, 2), dtype=int))
    with pytest.raises(InvalidParameterError, match=r"'power'.*\[0, inf\).*Got -0.5"):
        ClassBalancedSampler(LABELS, power=-0.5)
    with pytest.raises(InvalidParameterError, match=r"'num_samples'.*Got 0"):
        ClassBalancedSampler(LABELS, num_samples=0)
    with pytest.raises(InvalidParameterError, match=r"'replacement'.*Got 'no'"):
        ClassBalancedSampler(LABELS, replacement="no")
    with pytest.raises(InvalidParameterError, match=r"'generator'.*Got 3"):
        ClassBalancedSampler(LABELS, generator=3)
    with pytest.raises(InvalidParameterError, match=r"'seed'.*\[0, 2\*\*63\).*Got -1"):
        ClassBalancedSampler(LABELS, seed=-1)
    with pytest.raises(InvalidParameterError, match="both seed=1 and a generator"):
        ClassBalancedSampler(LABELS, seed=1, generator=torch.Generator())
    with pytest.raises(SamplingStrategyError, match="only adds rows"):
        ClassBalancedSampler(LABELS, strategy={0: 10})
    with pytest.raises(SamplingStrategyError, match=r"names class.*7 that y does not hold"):
        ClassBalancedSampler(LABELS, strategy={7: 10})
    with pytest.raises(InvalidParameterError, match="asks for no sample of any class"):
        ClassBalancedSampler(LABELS, strategy={0: 0, 1: 0, 2: 0}, replacement=False)
    with pytest.raises(InvalidParameterError, match=r"set_epoch.*got -1"):
        ClassBalancedSampler(LABELS).set_epoch(-1)
    with pytest.raises(InvalidParameterError, match="pass the labels themselves"):
        ClassBalancedSampler(lambda: LABELS)


# ---- progressive -------------------------------------------------------------------------


def test_progressive_moves_from_natural_to_target():
    sampler = ProgressiveBalancedSampler(LABELS, epochs=4, seed=0)
    natural = np.array(COUNTS) / sum(COUNTS)
    for epoch, a in [(0, 0.0), (1, 0.25), (4, 1.0), (9, 1.0)]:
        sampler.set_epoch(epoch)
        assert sampler.progress() == a
        expected = (1 - a) * natural + a / 3
        np.testing.assert_allclose(list(sampler.class_probabilities.values()), expected)
    sampler.set_epoch(2)
    drawn = _class_counts(sampler)
    assert chisquare(drawn, ((natural + 1 / 3) / 2) * len(sampler)).pvalue > 1e-4


def test_progressive_schedules():
    def make(schedule):
        return ProgressiveBalancedSampler(LABELS, epochs=10, schedule=schedule)

    assert make("cosine").progress(5) == pytest.approx(0.5)
    assert make("cosine").progress(1) < 0.1
    assert [make("step").progress(e) for e in (0, 9, 10)] == [0.0, 0.0, 1.0]
    assert make(lambda e: 0.1 * (e % 2)).progress(3) == pytest.approx(0.1)
    with pytest.raises(InvalidParameterError, match="returned 2 for epoch 0"):
        make(lambda e: 2).progress(0)
    with pytest.raises(InvalidParameterError, match=r"'schedule'.*Got 'exp'"):
        make("exp")
    with pytest.raises(InvalidParameterError, match=r"'epochs'.*Got 0"):
        ProgressiveBalancedSampler(LABELS, epochs=0)


def test_progressive_target_can_be_square_root_without_replacement():
    sampler = ProgressiveBalancedSampler(
        LABELS, epochs=2, strategy="sqrt", replacement=False, seed=0
    )
    sampler.set_epoch(2)
    target = np.sqrt(COUNTS) / np.sqrt(COUNTS).sum()
    drawn = _class_counts(sampler)
    assert np.all(np.abs(drawn - target * LABELS.size) <= 1)
