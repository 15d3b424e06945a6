"""Random under-sampling: keep a random subset of each class, in input order."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import numpy as np

from ..._param_validation import SAMPLING_STRATEGY_CONSTRAINT
from ..._typing import ArrayLike, RandomState, SamplingStrategy
from ..._validation import EncodedTarget
from ...base import BaseSampler, Resampled, SamplerTags

__all__ = ["RandomUnderSampler", "draw_subset"]


class RandomUnderSampler(BaseSampler):
    """Under-sample by keeping a random subset of the rows of each class.

    Kept rows come out in input order (all classes interleaved as in X), so for pandas
    ``X_res`` equals ``X.iloc[sample_indices_]`` with the original index labels. The sampler
    never reads X, so NaN, strings and any dtype pass through untouched.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default="auto"
        Final class counts. A float (two classes only) is the wanted ratio of minority to
        majority rows (``1/3`` keeps three majority rows per minority row); ``"majority"``,
        ``"not minority"``, ``"not majority"``, ``"all"`` or ``"auto"`` (= ``"not minority"``)
        name the classes shrunk to the minority's size; a dict gives the final count of each
        class it names; a callable receives ``y`` and returns such a dict. Same meanings as
        imbalanced-learn.
    random_state : int, RandomState instance, Generator or None, default=None
        Seed of the draws. The same seed gives the same rows whatever the container.
    replacement : bool, default=False
        Draw with replacement (a row may come out several times, still in input order).

    Attributes
    ----------
    target_counts_ : dict of {class_label: int}
        Number of rows of each class after resampling.
    sampling_strategy_ : dict of {class_label: int}
        Rows kept of each class the strategy targets (imbalanced-learn's meaning).
    class_counts_ : dict of {class_label: int}
        Number of rows of each class before resampling.
    classes_ : ndarray of shape (n_classes,)
        Class labels, sorted.
    sample_indices_ : ndarray of shape (n_samples_new,)
        Positions in X of the output rows, in output order.
    n_features_in_ : int
        Number of columns of X.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Column names of X, when X is a DataFrame with string column names.

    See Also
    --------
    RandomOverSampler : the over-sampling counterpart.
    imbalance.weights.class_weights : weights instead of dropped rows.

    Examples
    --------
    >>> import numpy as np
    >>> from imbalance.samplers import RandomUnderSampler
    >>> X = np.arange(24).reshape(12, 2)
    >>> y = np.array([0] * 10 + [1] * 2)
    >>> rus = RandomUnderSampler(sampling_strategy=1 / 3, random_state=0)
    >>> X_res, y_res = rus.fit_resample(X, y)
    >>> rus.target_counts_
    {0: 6, 1: 2}
    >>> bool((rus.sample_indices_ == np.sort(rus.sample_indices_)).all())
    True
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "sampling_strategy": SAMPLING_STRATEGY_CONSTRAINT,
        "random_state": ["random_state"],
        "replacement": ["boolean"],
    }
    _sampler_tags = SamplerTags(kind="under")
    _sampling_kind = "under"

    def __init__(
        self,
        *,
        sampling_strategy: SamplingStrategy = "auto",
        random_state: RandomState = None,
        replacement: bool = False,
    ) -> None:
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.replacement = replacement

    def _fit_resample(
        self, X: ArrayLike, target: EncodedTarget, rng: np.random.Generator
    ) -> Resampled:
        indices = draw_subset(target, self.target_counts_, rng, replacement=self.replacement)
        return Resampled(indices=indices)


def draw_subset(
    target: EncodedTarget,
    target_counts: Mapping[Any, int],
    rng: np.random.Generator,
    *,
    replacement: bool = False,
) -> np.ndarray:
    """Sorted positions of the rows to keep so that each class has its target count.

    Without replacement, a class keeping ``t`` of its ``n`` rows costs one draw of ``t``
    positions (numpy's Generator, no permutation of the whole class) and a sort of them; the
    classes' sorted parts are then merged (a stable sort of sorted runs).
    """
    parts = []
    for members, cls, have in zip(
        target.all_members(), target.classes, target.counts.tolist(), strict=True
    ):
        want = target_counts[cls]
        if replacement:
            parts.append(np.sort(members[rng.integers(0, have, size=want)]))
        elif want == have:
            parts.append(members)
        else:
            parts.append(
                members[np.sort(rng.choice(have, size=want, replace=False, shuffle=False))]
            )
    return np.sort(np.concatenate(parts), kind="stable")
