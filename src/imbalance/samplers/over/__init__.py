"""Over-samplers: add rows to the classes that need them."""

from ._adasyn import ADASYN
from ._borderline import BorderlineSMOTE
from ._kmeans import KMeansSMOTE
from ._random import RandomOverSampler
from ._smote import SMOTE
from ._smote_nc import SMOTENC
from ._smoten import SMOTEN
from ._svm import SVMSMOTE

__all__ = [
    "ADASYN",
    "SMOTE",
    "SMOTEN",
    "SMOTENC",
    "SVMSMOTE",
    "BorderlineSMOTE",
    "KMeansSMOTE",
    "RandomOverSampler",
]
