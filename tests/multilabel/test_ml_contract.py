"""The multi-label sampler contract, over every multi-label sampler and every container.

The multi-label counterpart of ``imbalance.utils.estimator_checks``: two values back, kept rows
first (``X_res[:n] == X[sample_indices_]``), synthetic rows with their parents, counts that match
the output, inputs untouched, the same seed giving the same rows, and the caller's containers
(numpy, sparse, pandas, polars, lists; Y as an indicator or as label lists) given back.
"""

from __future__ import annotations

import inspect

import numpy as np
import pandas as pd
import polars as pl
import pytest
import scipy.sparse as sp
from multilabel_data import multilabel_set
from sklearn.base import clone
from sklearn.utils import get_tags

from imbalance.base import is_sampler
from imbalance.multilabel import MLROS, MLRUS, MLSMOTE, REMEDIAL

SAMPLERS = [
    MLROS(random_state=0),
    MLROS(percentage=60, random_state=0),
    MLRUS(random_state=0),
    MLRUS(protect_minority=False, random_state=0),
    REMEDIAL(),
    MLSMOTE(random_state=0),
    MLSMOTE(k_neighbors=2, label_generation="union", neighbors="exact", random_state=0),
]
IDS = [repr(s) for s in SAMPLERS]


def _fit(sampler, X, Y):
    s = clone(sampler)
    X_res, Y_res = s.fit_resample(X, Y)
    return s, X_res, Y_res


def _synthetic_count(s, X_res):
    return X_res.shape[0] - s.sample_indices_.size


def _relabelled(s):
    return getattr(s, "decoupled_", np.empty(0, dtype=int))


@pytest.mark.parametrize("sampler", SAMPLERS, ids=IDS)
def test_rows_parents_and_counts(sampler):
    X, Y = multilabel_set()
    s, X_res, Y_res = _fit(sampler, X, Y)
    kept = s.sample_indices_
    assert isinstance(Y_res, np.ndarray) and Y_res.dtype == Y.dtype
    assert X_res.shape[0] == Y_res.shape[0] and X_res.shape[1] == X.shape[1]
    np.testing.assert_array_equal(X_res[: kept.size], X[kept])
    same = np.ones(kept.size, dtype=bool)
    same[_relabelled(s)] = False
    np.testing.assert_array_equal(Y_res[: kept.size][same], Y[kept][same])
    n_new = _synthetic_count(s, X_res)
    if get_tags(s).sampler_tags.synthetic:
        assert s.synthetic_parents_.shape[0] == n_new
        assert s.synthetic_parents_.min(initial=0) >= 0
    else:
        assert n_new == 0 and not hasattr(s, "synthetic_parents_")
    assert s.target_counts_ == dict(enumerate(Y_res.sum(axis=0).tolist()))
    assert s.label_counts_ == dict(enumerate(Y.sum(axis=0).tolist()))
    assert set(np.unique(Y_res)) <= {0, 1}


@pytest.mark.parametrize("sampler", SAMPLERS, ids=IDS)
def test_order_of_rows(sampler):
    X, Y = multilabel_set()
    s, _, _ = _fit(sampler, X, Y)
    kept = s.sample_indices_
    if get_tags(s).sampler_tags.kind == "under":
        assert (np.diff(kept) > 0).all(), "kept rows are not in input order"
    else:
        np.testing.assert_array_equal(kept[: len(X)], np.arange(len(X)))


@pytest.mark.parametrize("sampler", SAMPLERS, ids=IDS)
def test_inputs_unchanged_and_deterministic(sampler):
    X, Y = multilabel_set()
    X0, Y0 = X.copy(), Y.copy()
    _, X1, Y1 = _fit(sampler, X, Y)
    _, X2, Y2 = _fit(sampler, X, Y)
    np.testing.assert_array_equal(X, X0)
    np.testing.assert_array_equal(Y, Y0)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(Y1, Y2)


def test_different_seeds_give_different_rows():
    X, Y = multilabel_set()
    for cls in (MLROS, MLRUS, MLSMOTE):
        _, A, _ = _fit(cls(random_state=0), X, Y)
        _, B, _ = _fit(cls(random_state=1), X, Y)
        assert A.shape != B.shape or not np.array_equal(A, B), cls.__name__


@pytest.mark.parametrize("sampler", SAMPLERS, ids=IDS)
def test_clone_params_and_tags(sampler):
    signature = inspect.signature(type(sampler).__init__)
    for name, p in signature.parameters.items():
        if name != "self":
            assert p.kind == p.KEYWORD_ONLY, f"parameter {name!r} is not keyword-only"
    assert repr(clone(sampler)) == repr(sampler)
    tags = get_tags(sampler)
    assert is_sampler(sampler)
    assert tags.target_tags.multi_output and not tags.target_tags.single_output


@pytest.mark.parametrize("sampler", SAMPLERS, ids=IDS)
def test_docstring_documents_every_fitted_attribute(sampler):
    X, Y = multilabel_set()
    import pandas as pd

    frame = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
    s, _, _ = _fit(sampler, frame, Y)
    fitted = [a for a in vars(s) if a.endswith("_") and not a.startswith("_")]
    doc = type(s).__doc__ or ""
    missing = [a for a in fitted if f"{a} :" not in doc]
    assert not missing, f"{type(s).__name__} does not document {missing}"
    sections = ["Attributes", "See Also", "References", "Examples"]
    if type(s)().get_params():  # numpydoc has no Parameters section for a class without any
        sections.append("Parameters")
    for section in sections:
        assert section in doc, section


@pytest.mark.parametrize("sampler", SAMPLERS, ids=IDS)
def test_label_lists_give_the_same_rows(sampler):
    X, Y = multilabel_set()
    # label lists number their labels in sorted order: these names sort like the columns
    names = np.array(["a:nucleus", "b:cytosol", "c:golgi", "d:mito", "e:rods"], dtype=object)
    sets = [tuple(names[j] for j in np.flatnonzero(row)) for row in Y]
    _, X_ind, Y_ind = _fit(sampler, X, Y)
    s, X_set, Y_set = _fit(sampler, X, sets)
    assert isinstance(Y_set, list) and all(isinstance(r, tuple) for r in Y_set)
    np.testing.assert_array_equal(X_set, X_ind)
    assert list(s.labels_) == list(names)
    assert [sorted(r) for r in Y_set] == [list(names[np.flatnonzero(r)]) for r in Y_ind]
    assert s.target_counts_ == dict(zip(names, Y_ind.sum(axis=0).tolist(), strict=True))


@pytest.mark.parametrize("sampler", SAMPLERS, ids=IDS)
def test_pandas_round_trip(sampler):
    X, Y = multilabel_set()
    index = pd.Index(np.arange(len(X)) * 10 + 3, name="image")
    df = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])], index=index)
    Yf = pd.DataFrame(Y.astype(bool), columns=[f"L{j}" for j in range(Y.shape[1])], index=index)
    Yf["L4"] = Yf["L4"].astype("Int8")
    s, df_res, Y_res = _fit(sampler, df, Yf)
    _, X_np, Y_np = _fit(sampler, X, Y)
    assert isinstance(df_res, pd.DataFrame) and isinstance(Y_res, pd.DataFrame)
    assert list(Y_res.columns) == list(Yf.columns) and (Y_res.dtypes == Yf.dtypes).all()
    assert list(s.labels_) == list(Yf.columns)
    np.testing.assert_allclose(df_res.to_numpy(), X_np)
    np.testing.assert_array_equal(Y_res.to_numpy(dtype=int), Y_np)
    kept = s.sample_indices_
    assert df_res.index[: kept.size].equals(index[kept])
    assert df_res.index.equals(Y_res.index)
    assert not df_res.index[kept.size :].isin(index).any(), "synthetic labels collide"
    sets = pd.Series([list(np.flatnonzero(r)) for r in Y], index=index, name="labels")
    _, _, Y_series = _fit(sampler, df, sets)
    assert isinstance(Y_series, pd.Series) and Y_series.index.equals(df_res.index)
    assert [sorted(v) for v in Y_series] == [list(np.flatnonzero(r)) for r in Y_np]


@pytest.mark.parametrize("sampler", SAMPLERS, ids=IDS)
def test_polars_sparse_and_list_round_trips(sampler):
    X, Y = multilabel_set()
    _, X_np, Y_np = _fit(sampler, X, Y)
    df = pl.DataFrame({f"f{i}": X[:, i] for i in range(X.shape[1])})
    Yf = pl.DataFrame({f"L{j}": Y[:, j].astype(np.int8) for j in range(Y.shape[1])})
    _, df_res, Y_res = _fit(sampler, df, Yf)
    assert isinstance(df_res, pl.DataFrame) and isinstance(Y_res, pl.DataFrame)
    assert Y_res.schema == Yf.schema
    np.testing.assert_allclose(df_res.to_numpy(), X_np)
    np.testing.assert_array_equal(Y_res.to_numpy(), Y_np)
    sets = pl.Series("labels", [np.flatnonzero(r).tolist() for r in Y])
    _, _, Y_pl = _fit(sampler, df, sets)
    assert isinstance(Y_pl, pl.Series) and Y_pl.to_list() == [
        np.flatnonzero(r).tolist() for r in Y_np
    ]
    for fmt in ("csr", "csc"):
        _, X_sp, Y_sp = _fit(
            sampler, sp.csr_matrix(X).asformat(fmt), sp.csr_matrix(Y).asformat(fmt)
        )
        assert X_sp.format == fmt and Y_sp.format == fmt
        np.testing.assert_allclose(X_sp.toarray(), X_np)
        np.testing.assert_array_equal(Y_sp.toarray(), Y_np)
    _, X_list, Y_list = _fit(sampler, X.tolist(), Y.tolist())
    assert isinstance(X_list, list) and isinstance(Y_list, list)
    np.testing.assert_allclose(np.asarray(X_list), X_np)
    assert Y_list == Y_np.tolist()
    _, X32, _ = _fit(sampler, X.astype(np.float32), Y.astype(bool))
    assert X32.dtype == np.float32


@pytest.mark.parametrize("sampler", SAMPLERS, ids=IDS)
def test_bad_input_is_refused_in_the_users_terms(sampler):
    X, Y = multilabel_set()
    with pytest.raises(ValueError, match=r"X has 120 rows, Y has 119"):
        clone(sampler).fit_resample(X, Y[:-1])
    bad = Y.copy()
    bad[3, 2] = 2
    with pytest.raises(ValueError, match=r"only 0 and 1.*value 2 at row 3, label 2"):
        clone(sampler).fit_resample(X, bad)
    empty = Y.copy()
    empty[:, 1] = 0
    with pytest.raises(ValueError, match=r"label 1 of Y has no positive row"):
        clone(sampler).fit_resample(X, empty)
    with pytest.raises(ValueError, match=r"must be multi-label.*shape \(120,\)"):
        clone(sampler).fit_resample(X, Y[:, 0])
    frame = pd.DataFrame(empty, columns=[f"L{j}" for j in range(Y.shape[1])])
    with pytest.raises(ValueError, match=r"label 'L1' \(column 1\) of Y has no positive row"):
        clone(sampler).fit_resample(X, frame)
