"""Under-samplers: remove rows from the classes that have too many.

Random and prototype-selection samplers reach the counts of ``sampling_strategy``; cleaning
samplers (Tomek links, edited and condensed nearest neighbours, one-sided selection, the
neighbourhood cleaning rule) remove the rows that their rule finds.
"""

from ._cluster import ClusterCentroids
from ._cnn import CondensedNearestNeighbour
from ._enn import AllKNN, EditedNearestNeighbours, RepeatedEditedNearestNeighbours
from ._iht import InstanceHardnessThreshold
from ._ncr import NeighbourhoodCleaningRule
from ._nearmiss import NearMiss
from ._oss import OneSidedSelection
from ._random import RandomUnderSampler
from ._tomek import TomekLinks

__all__ = [
    "AllKNN",
    "ClusterCentroids",
    "CondensedNearestNeighbour",
    "EditedNearestNeighbours",
    "InstanceHardnessThreshold",
    "NearMiss",
    "NeighbourhoodCleaningRule",
    "OneSidedSelection",
    "RandomUnderSampler",
    "RepeatedEditedNearestNeighbours",
    "TomekLinks",
]
