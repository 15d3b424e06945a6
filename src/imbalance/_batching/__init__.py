"""The numpy sampling engine behind :func:`imbalance.batches.balanced_batches` and the samplers
of :mod:`imbalance.torch` (an overview is in :mod:`imbalance.batches`). It never imports torch.

- ``_labels``: rows grouped by class (:class:`LabelGroups`, :func:`group_labels`);
- ``_permutation``: keyed hashing, and permutations computed position by position from a key
  (a Feistel network with cycle walking, an exact hashed sort for small classes);
- ``_distribution``: class probabilities per draw, quotas, alias tables;
- ``_draws``: per-draw plans, with replacement (two-stage) and without (exact quotas);
- ``_batch_plans``: per-batch plans, stratified and P x K;
- ``_epochs``: a replica's share of an epoch, and the epochs ``balanced_batches`` yields.
"""

from ._batch_plans import (
    PKBatches,
    StratifiedBatches,
    StratifiedLayout,
    check_min_per_class,
    stratified_layout,
)
from ._distribution import (
    POWER_NAMES,
    alias_table,
    apportion,
    check_num_samples,
    class_distribution,
)
from ._draws import DRAW_BLOCK, IidDraws, QuotaDraws
from ._epochs import (
    EpochBatches,
    draw_epochs,
    shard_chunks,
    shard_length,
    stratified_epochs,
    yield_batches,
)
from ._labels import LabelGroups, group_labels
from ._permutation import cyclic_members, derive_key, entropy_key, keyed_permutation

__all__ = [
    "DRAW_BLOCK",
    "POWER_NAMES",
    "EpochBatches",
    "IidDraws",
    "LabelGroups",
    "PKBatches",
    "QuotaDraws",
    "StratifiedBatches",
    "StratifiedLayout",
    "alias_table",
    "apportion",
    "check_min_per_class",
    "check_num_samples",
    "class_distribution",
    "cyclic_members",
    "derive_key",
    "draw_epochs",
    "entropy_key",
    "group_labels",
    "keyed_permutation",
    "shard_chunks",
    "shard_length",
    "stratified_epochs",
    "stratified_layout",
    "yield_batches",
]
