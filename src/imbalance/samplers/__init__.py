"""Samplers: ``fit_resample(X, y) -> (X_res, y_res)`` in the caller's own containers.

Every sampler is public here, and only here: the sub-packages ``over`` (add rows), ``under``
(remove rows) and ``combine`` (one after the other) hold the implementations.
"""

from ._function import FunctionSampler
from .combine._smote_enn import SMOTEENN
from .combine._smote_tomek import SMOTETomek
from .over._adasyn import ADASYN
from .over._borderline import BorderlineSMOTE
from .over._kmeans import KMeansSMOTE
from .over._random import RandomOverSampler
from .over._smote import SMOTE
from .over._smote_nc import SMOTENC
from .over._smoten import SMOTEN
from .over._svm import SVMSMOTE
from .under._allknn import AllKNN
from .under._cluster import ClusterCentroids
from .under._cnn import CondensedNearestNeighbour
from .under._enn import EditedNearestNeighbours
from .under._iht import InstanceHardnessThreshold
from .under._ncr import NeighbourhoodCleaningRule
from .under._nearmiss import NearMiss
from .under._oss import OneSidedSelection
from .under._random import RandomUnderSampler
from .under._renn import RepeatedEditedNearestNeighbours
from .under._tomek import TomekLinks

__all__ = [
    "ADASYN",
    "SMOTE",
    "SMOTEENN",
    "SMOTEN",
    "SMOTENC",
    "SVMSMOTE",
    "AllKNN",
    "BorderlineSMOTE",
    "ClusterCentroids",
    "CondensedNearestNeighbour",
    "EditedNearestNeighbours",
    "FunctionSampler",
    "InstanceHardnessThreshold",
    "KMeansSMOTE",
    "NearMiss",
    "NeighbourhoodCleaningRule",
    "OneSidedSelection",
    "RandomOverSampler",
    "RandomUnderSampler",
    "RepeatedEditedNearestNeighbours",
    "SMOTETomek",
    "TomekLinks",
]
