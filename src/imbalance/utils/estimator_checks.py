"""Contract checks that any sampler (ours or a third party's) can run.

Which checks apply depends only on the sampler's tags (``get_tags(s).sampler_tags``), never on
its class name. Use them in a test suite::

    from imbalance.utils.estimator_checks import parametrize_with_sampler_checks

    @parametrize_with_sampler_checks([MySampler(), MyOtherSampler(k=3)])
    def test_contract(sampler, check):
        check(sampler)

or all at once with :func:`check_sampler`. Each check clones the sampler first, so the
instance passed is left unfitted.
"""

from __future__ import annotations

import copy
import importlib.util
import inspect
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.base import clone
from sklearn.utils import get_tags

from .._typing import ArrayLike, Estimator, Target
from ..base import SamplerTags

__all__ = [
    "check_sampler",
    "iter_sampler_checks",
    "make_check_data",
    "parametrize_with_sampler_checks",
]

Check = Callable[[Any], None]


def make_check_data(
    counts: tuple[int, ...] = (60, 25, 15), n_features: int = 4, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """A small, reproducible, imbalanced data set: one Gaussian blob per class."""
    rng = np.random.default_rng(seed)
    X = np.concatenate(
        [rng.normal(1.5 * k, 1.0, size=(n, n_features)) for k, n in enumerate(counts)]
    )
    y = np.repeat(np.arange(len(counts)), counts)
    order = rng.permutation(len(y))
    return X[order], y[order]


def _tags(sampler: Estimator) -> SamplerTags:
    """Our tags; for a sampler that declares none (or another library's), only what is safe:
    no promise of exact counts, row order or provenance."""
    tags = getattr(get_tags(sampler), "sampler_tags", None)
    if isinstance(tags, SamplerTags):
        return tags
    return SamplerTags(kind="combine", keeps_rows=False, reads_features=True, exact_counts=False)


def _fit(sampler: Estimator, X: ArrayLike, y: Target) -> tuple[Any, Any, Any]:
    s = clone(sampler)
    if "random_state" in s.get_params():
        s.set_params(random_state=0)
    out = s.fit_resample(X, y)
    return s, out[0], out[1]


def check_returns_pair(sampler: Estimator) -> None:
    """fit_resample returns exactly (X_res, y_res) with matching lengths."""
    X, y = make_check_data()
    s = clone(sampler)
    out = s.fit_resample(X, y)
    assert isinstance(out, tuple) and len(out) == 2, f"expected 2 values, got {type(out)}"
    assert out[0].shape[0] == out[1].shape[0], "X_res and y_res differ in length"
    assert out[0].shape[1] == X.shape[1], "the number of columns changed"


def check_target_counts(sampler: Estimator) -> None:
    """Output class counts equal target_counts_ (for samplers that promise exact counts)."""
    X, y = make_check_data()
    s, _, y_res = _fit(sampler, X, y)
    counts = dict(Counter(y_res.tolist()))
    if _tags(s).exact_counts:
        assert counts == {c: n for c, n in s.target_counts_.items() if n}, (
            counts,
            s.target_counts_,
        )
    else:
        for cls, n in counts.items():
            assert n <= max(s.target_counts_[cls], Counter(y.tolist())[cls]), (cls, n)


def check_sample_indices(sampler: Estimator) -> None:
    """Non-synthetic output rows are the rows of X at sample_indices_, in output order."""
    X, y = make_check_data()
    s, X_res, y_res = _fit(sampler, X, y)
    idx = s.sample_indices_
    assert idx.ndim == 1 and np.issubdtype(idx.dtype, np.integer)
    np.testing.assert_array_equal(X_res[: idx.size], X[idx])
    np.testing.assert_array_equal(y_res[: idx.size], y[idx])
    n_synthetic = X_res.shape[0] - idx.size
    if _tags(s).synthetic:
        parents = s.synthetic_parents_
        assert parents.shape[0] == n_synthetic, (parents.shape, n_synthetic)
        np.testing.assert_array_equal(y_res[idx.size :], y[parents[:, 0]])
    else:
        assert n_synthetic == 0, f"{n_synthetic} rows are not in sample_indices_"


def check_rows_subset_or_superset(sampler: Estimator) -> None:
    """Under-samplers keep input order; over-samplers output every original row first."""
    X, y = make_check_data()
    s, _, _ = _fit(sampler, X, y)
    idx = s.sample_indices_
    kind = _tags(s).kind
    if kind in ("under", "clean"):
        assert (np.diff(idx) >= 0).all(), "kept rows are not in input order"
    if kind == "over":
        np.testing.assert_array_equal(idx[: len(y)], np.arange(len(y)))


def check_inputs_unchanged(sampler: Estimator) -> None:
    """The caller's X and y are never modified."""
    X, y = make_check_data()
    X_copy, y_copy = X.copy(), y.copy()
    _fit(sampler, X, y)
    np.testing.assert_array_equal(X, X_copy)
    np.testing.assert_array_equal(y, y_copy)


def check_deterministic(sampler: Estimator) -> None:
    """The same random_state gives the same output."""
    X, y = make_check_data()
    _, X1, y1 = _fit(sampler, X, y)
    _, X2, y2 = _fit(sampler, X, y)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)


def check_string_labels(sampler: Estimator) -> None:
    """String labels work and come back as the same labels."""
    X, y = make_check_data()
    names = np.array(["common", "middle", "rare"], dtype=object)
    _, _, y_num = _fit(sampler, X, y)
    renamed = clone(sampler)
    strategy = renamed.get_params().get("sampling_strategy")
    if isinstance(strategy, Mapping):
        renamed.set_params(sampling_strategy={names[k]: v for k, v in strategy.items()})
    _, _, y_str = _fit(renamed, X, names[y])
    np.testing.assert_array_equal(y_str, names[y_num])


def check_length_mismatch(sampler: Estimator) -> None:
    """X and y of different lengths raise ValueError naming both lengths."""
    X, y = make_check_data()
    try:
        clone(sampler).fit_resample(X, y[:-1])
    except ValueError as exc:
        assert str(len(y)) in str(exc) and str(len(y) - 1) in str(exc), str(exc)
    else:
        raise AssertionError("X and y of different lengths were accepted")


def check_single_class(sampler: Estimator) -> None:
    """A y with one class raises ValueError that says so."""
    X, _ = make_check_data()
    try:
        clone(sampler).fit_resample(X, np.zeros(len(X), dtype=int))
    except ValueError as exc:
        assert "class" in str(exc), str(exc)
    else:
        raise AssertionError("a single-class y was accepted")


def check_float32_kept(sampler: Estimator) -> None:
    """A float32 X stays float32."""
    X, y = make_check_data()
    _, X_res, _ = _fit(sampler, X.astype(np.float32), y)
    assert X_res.dtype == np.float32, X_res.dtype


def check_sparse_kept(sampler: Estimator) -> None:
    """CSR stays CSR, CSC stays CSC, with the same rows as the dense result."""
    X, y = make_check_data()
    _, X_dense, _ = _fit(sampler, X, y)
    for fmt in ("csr", "csc"):
        _, X_sparse, _ = _fit(sampler, sp.csr_matrix(X).asformat(fmt), y)
        assert X_sparse.format == fmt, X_sparse.format
        np.testing.assert_allclose(X_sparse.toarray(), X_dense)


def check_nan_passes_through(sampler: Estimator) -> None:
    """A sampler that does not read X carries NaN through untouched."""
    X, y = make_check_data()
    X = X.copy()
    X[::7, 1] = np.nan
    s, X_res, _ = _fit(sampler, X, y)
    idx = s.sample_indices_
    np.testing.assert_array_equal(np.isnan(X_res[: idx.size]), np.isnan(X[idx]))


def check_pandas_round_trip(sampler: Estimator) -> None:
    """pandas in, pandas out: index labels of kept rows, columns and dtypes preserved."""
    import pandas as pd

    X, y = make_check_data()
    index = pd.Index(np.arange(len(y)) * 10 + 7, name="row")
    df = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])], index=index)
    ys = pd.Series(y, index=index, name="target")
    s, df_res, y_res = _fit(sampler, df, ys)
    _, X_res, _ = _fit(sampler, X, y)
    assert isinstance(df_res, pd.DataFrame) and isinstance(y_res, pd.Series)
    assert list(df_res.columns) == list(df.columns) and (df_res.dtypes == df.dtypes).all()
    np.testing.assert_allclose(df_res.to_numpy(), X_res)
    kept = s.sample_indices_
    assert df_res.index[: kept.size].equals(index[kept])
    assert df_res.index.equals(y_res.index), "X_res and y_res indexes differ"
    assert not df_res.index[kept.size :].isin(index).any(), "synthetic labels collide"


def check_polars_round_trip(sampler: Estimator) -> None:
    """polars in, polars out, with the same values as numpy."""
    import polars as pl

    X, y = make_check_data()
    df = pl.DataFrame({f"f{i}": X[:, i] for i in range(X.shape[1])})
    _, df_res, y_res = _fit(sampler, df, pl.Series("target", y))
    _, X_res, y_np = _fit(sampler, X, y)
    assert isinstance(df_res, pl.DataFrame) and isinstance(y_res, pl.Series)
    np.testing.assert_allclose(df_res.to_numpy(), X_res)
    np.testing.assert_array_equal(y_res.to_numpy(), y_np)


def check_list_round_trip(sampler: Estimator) -> None:
    """Lists in, lists out."""
    X, y = make_check_data()
    _, X_res, y_res = _fit(sampler, X.tolist(), y.tolist())
    _, X_np, y_np = _fit(sampler, X, y)
    assert isinstance(X_res, list) and isinstance(y_res, list)
    np.testing.assert_allclose(np.asarray(X_res), X_np)
    assert y_res == y_np.tolist()


def check_clone_and_params(sampler: Estimator) -> None:
    """Constructor parameters are keyword-only and stored verbatim (clone round-trips).

    A sampler may list in ``_positional_params`` the leading parameters imbalanced-learn takes
    positionally (``SMOTENC(categorical_features)``), so that its users' calls keep working.
    """
    params = sampler.get_params(deep=False)
    signature = inspect.signature(type(sampler).__init__)
    positional = getattr(type(sampler), "_positional_params", ())
    for name, p in signature.parameters.items():
        if name != "self" and p.kind not in (p.VAR_KEYWORD, p.VAR_POSITIONAL):
            ok = p.kind == p.KEYWORD_ONLY or name in positional
            assert ok, f"parameter {name!r} is not keyword-only"
    cloned = clone(sampler)
    assert cloned.get_params(deep=False).keys() == params.keys()
    assert repr(cloned) == repr(sampler)


def iter_sampler_checks(sampler: Estimator) -> Iterator[Check]:
    """Yield the checks that apply to ``sampler``, chosen from its tags."""
    tags = _tags(sampler)
    yield check_clone_and_params
    yield check_returns_pair
    if isinstance(getattr(get_tags(sampler), "sampler_tags", None), SamplerTags):
        yield check_target_counts
    yield check_inputs_unchanged
    yield check_length_mismatch
    yield check_single_class
    yield check_string_labels
    yield check_float32_kept
    yield check_sparse_kept
    yield check_list_round_trip
    if "random_state" in sampler.get_params():
        yield check_deterministic
    if tags.keeps_rows:
        yield check_sample_indices
        yield check_rows_subset_or_superset
    if not tags.reads_features:
        yield check_nan_passes_through
    if importlib.util.find_spec("pandas") is not None:
        yield check_pandas_round_trip
    if importlib.util.find_spec("polars") is not None:
        yield check_polars_round_trip


def check_sampler(sampler: Estimator) -> None:
    """Run every applicable check on ``sampler``; the first failure raises."""
    for check in iter_sampler_checks(sampler):
        check(copy.deepcopy(sampler))


def parametrize_with_sampler_checks(samplers: Iterable[Any]) -> Any:
    """A ``pytest.mark.parametrize`` over (sampler, check) pairs, with readable ids."""
    import pytest

    cases = [(s, c) for s in samplers for c in iter_sampler_checks(s)]
    ids = [f"{s!r}-{c.__name__}" for s, c in cases]
    return pytest.mark.parametrize(("sampler", "check"), cases, ids=ids)
