"""ClusterCentroids: imbalanced-learn's centroids and rows, soft and hard voting, containers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from imblearn.under_sampling import ClusterCentroids as ImbClusterCentroids
from scipy.spatial.distance import cdist
from sklearn.cluster import KMeans, MiniBatchKMeans
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression

from imbalance.exceptions import InvalidParameterError
from imbalance.pipeline import ResampledClassifier, resample_sample_weight
from imbalance.samplers import ClusterCentroids
from imbalance.samplers.under._cluster import default_clusterer


def _data(n=600, weights=(0.7, 0.2, 0.1), seed=0):
    return make_classification(
        n_samples=n,
        n_features=4,
        n_informative=3,
        n_redundant=0,
        n_classes=len(weights),
        weights=list(weights),
        random_state=seed,
    )


def _rows(a):
    return a[np.lexsort(a.T[::-1])]


def test_soft_output_equals_imbalanced_learn_with_the_same_clustering():
    X, y = _data(seed=1)
    kmeans = KMeans(n_clusters=2, random_state=0, n_init=1)
    X_ours, y_ours = ClusterCentroids(estimator=kmeans, voting="soft").fit_resample(X, y)
    X_ref, y_ref = ImbClusterCentroids(estimator=kmeans, voting="soft").fit_resample(X, y)
    for cls in (0, 1, 2):
        np.testing.assert_allclose(_rows(X_ours[y_ours == cls]), _rows(X_ref[y_ref == cls]))


def test_hard_output_equals_imbalanced_learn_up_to_distance_ties():
    X, y = _data(seed=1)
    kmeans = KMeans(n_clusters=2, random_state=0, n_init=1)
    cc = ClusterCentroids(estimator=kmeans, voting="hard")
    cc.fit_resample(X, y)
    X_ref, y_ref = ImbClusterCentroids(estimator=kmeans, voting="hard").fit_resample(X, y)
    for cls, model in cc.estimators_.items():
        members = np.flatnonzero(y == cls)
        d = cdist(model.cluster_centers_, X[members])
        # rows within rounding of the nearest: a centroid of two rows is their midpoint
        ties = [members[row <= row.min() * (1 + 1e-12)] for row in d]
        ours = cc.sample_indices_[y[cc.sample_indices_] == cls]
        assert len(ours) == len(ties) and all(np.isin(t, ours).any() for t in ties)
        for theirs, tied in zip(X_ref[y_ref == cls], ties, strict=True):
            assert (X[tied] == theirs).all(axis=1).any()


def test_soft_voting_gives_centroids_with_their_nearest_rows_as_parents():
    X, y = _data(seed=2)
    cc = ClusterCentroids(random_state=0)
    X_res, y_res = cc.fit_resample(X, y)
    n_kept = cc.sample_indices_.size
    assert (y[cc.sample_indices_] == 2).all() and n_kept == (y == 2).sum()
    assert cc.target_counts_ == {0: n_kept, 1: n_kept, 2: n_kept}
    parents = cc.synthetic_parents_[:, 0]
    np.testing.assert_array_equal(y_res[n_kept:], y[parents])
    for cls, model in cc.estimators_.items():
        centres = np.asarray(model.cluster_centers_)
        np.testing.assert_allclose(_rows(X_res[n_kept:][y_res[n_kept:] == cls]), _rows(centres))
    w = np.arange(len(y), dtype=float)
    np.testing.assert_array_equal(
        resample_sample_weight(cc, w, len(y_res)), np.concatenate([w[cc.sample_indices_], parents])
    )


def test_hard_voting_keeps_real_rows_in_input_order():
    X, y = _data(seed=3)
    cc = ClusterCentroids(voting="hard", random_state=0)
    X_res, y_res = cc.fit_resample(X, y)
    assert (np.diff(cc.sample_indices_) >= 0).all()
    np.testing.assert_array_equal(X_res, X[cc.sample_indices_])
    assert {c: int((y_res == c).sum()) for c in (0, 1, 2)} == cc.target_counts_
    assert not hasattr(cc, "synthetic_parents_")


def test_frames_keep_types_and_get_new_labels_for_centroids():
    X, y = _data(seed=4, weights=(0.8, 0.2))
    df = pd.DataFrame(X, columns=list("abcd"))
    df["count"] = (np.abs(X[:, 0]) * 10).astype(np.int64)
    df["colour"] = pd.Categorical(np.where(X[:, 1] > 0, "red", "blue"))
    df.index = df.index + 1000
    cc = ClusterCentroids(random_state=0)
    X_res, y_res = cc.fit_resample(df, pd.Series(y, index=df.index))
    n_kept = cc.sample_indices_.size
    assert (X_res.dtypes == df.dtypes).all()
    assert X_res.index[:n_kept].equals(df.index[cc.sample_indices_])
    assert not X_res.index[n_kept:].isin(df.index).any()
    parents = cc.synthetic_parents_[:, 0]
    assert (X_res["colour"].to_numpy()[n_kept:] == df["colour"].to_numpy()[parents]).all()
    assert X_res.index.equals(y_res.index)


def test_sparse_input_gives_sparse_centroids():
    X, y = _data(seed=5)
    dense = ClusterCentroids(random_state=0).fit_resample(X, y)[0]
    for fmt in ("csr", "csc"):
        X_res, _ = ClusterCentroids(random_state=0).fit_resample(sp.csr_matrix(X).asformat(fmt), y)
        assert X_res.format == fmt
        np.testing.assert_allclose(X_res.toarray(), dense)


def test_large_classes_are_clustered_by_mini_batches():
    assert isinstance(default_clusterer(1_000, 100, 0), KMeans)
    big = default_clusterer(100_000, 10_000, 0)
    assert isinstance(big, MiniBatchKMeans) and big.n_clusters == 10_000


def test_a_clusterer_without_n_clusters_is_refused():
    X, y = _data(n=200)
    with pytest.raises(InvalidParameterError, match=r"n_clusters parameter.*LogisticRegression"):
        ClusterCentroids(estimator=LogisticRegression()).fit_resample(X, y)


def test_model_trained_on_centroids():
    X, y = _data(seed=6)
    model = ResampledClassifier(ClusterCentroids(random_state=0), LogisticRegression())
    model.fit(X, y, sample_weight=np.ones(len(y)))
    assert model.training_class_counts_ == {0: 60.0, 1: 60.0, 2: 60.0}
