"""Resampling inside the training part only: a split helper and an MLlib Estimator wrapper."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pyspark.ml import Estimator, Model
from pyspark.ml.param import Param
from pyspark.sql import DataFrame
from sklearn.base import clone

from .._typing import Sampler
from ..base import is_sampler
from ..exceptions import InvalidParameterError

__all__ = ["ResampledEstimator", "resampled_split"]


def _check_sampler(sampler: Sampler, owner: str) -> None:
    if not is_sampler(sampler):
        raise InvalidParameterError(
            f"sampler of {owner} must have a fit_resample method (an imbalance.spark sampler); "
            f"got {type(sampler).__name__}."
        )


def resampled_split(
    df: DataFrame,
    label: str,
    sampler: Sampler,
    *,
    weights: Sequence[float] = (0.8, 0.2),
    seed: int | None = None,
) -> tuple[DataFrame, DataFrame]:
    """``randomSplit`` into training and test parts, resampling the training part only.

    A fresh clone of ``sampler`` resamples the first part; the second comes back untouched.
    Cache or checkpoint ``df`` first when its source is not deterministic: ``randomSplit``
    and the resampled result each read it.

    Parameters
    ----------
    df : pyspark.sql.DataFrame
    label : str
        Name of the label column.
    sampler : imbalance.spark sampler
        Cloned, never fitted in place.
    weights : sequence of two floats, default=(0.8, 0.2)
        Relative sizes of the training and test parts (``DataFrame.randomSplit``).
    seed : int or None, default=None
        Seed of ``randomSplit``.

    Returns
    -------
    train_resampled : pyspark.sql.DataFrame
        The training part, resampled (lazy).
    test : pyspark.sql.DataFrame
        The test part, exactly as split.

    See Also
    --------
    ResampledEstimator : the same guarantee inside ``Pipeline`` and ``CrossValidator``.
    imbalance.model_selection.resampled_splits : folds of data in memory.

    Examples
    --------
    >>> from imbalance.spark import RandomUnderSampler, resampled_split
    >>> df = spark.createDataFrame([(i, int(i % 10 == 0)) for i in range(200)], ["x", "y"])
    >>> train, test = resampled_split(df, "y", RandomUnderSampler(random_state=0), seed=1)
    >>> counts = {r.y: r["count"] for r in train.groupBy("y").count().collect()}
    >>> counts[0] == counts[1]
    True
    """
    _check_sampler(sampler, "resampled_split")
    if len(weights) != 2:
        raise InvalidParameterError(
            f"weights of resampled_split must hold two numbers (train, test); got {weights!r}."
        )
    train, test = df.randomSplit(list(weights), seed)
    train_res, _ = clone(sampler).fit_resample(train, label)
    return train_res, test


class ResampledEstimator(Estimator):
    """An MLlib Estimator that resamples the data it is fitted on, then fits ``estimator``.

    ``fit(df)`` runs a fresh clone of ``sampler`` on ``df`` and fits ``estimator`` on the
    result; the fitted model is ``estimator``'s own model, so ``transform`` (on test or
    validation rows) never resamples. Inside ``CrossValidator`` or ``TrainValidationSplit``
    each training fold is resampled and each validation fold is scored untouched; a
    ``ParamGridBuilder`` grid over the inner estimator's parameters applies to it, as in a
    ``Pipeline``. (Saving with ``write()`` is not supported: save the fitted model instead.)

    Parameters
    ----------
    estimator : pyspark.ml.Estimator
        What to fit on the resampled rows (e.g. ``LogisticRegression``).
    sampler : imbalance.spark sampler
        ``RandomUnderSampler``, ``RandomOverSampler`` or ``SMOTE``.
    labelCol : str or None, default=None
        Label column; ``None`` takes ``estimator.getLabelCol()``.

    Examples
    --------
    >>> from pyspark.ml.classification import LogisticRegression
    >>> from pyspark.ml.feature import VectorAssembler
    >>> from imbalance.spark import RandomOverSampler, ResampledEstimator
    >>> rows = [(float(i), float(i >= 45)) for i in range(50)]
    >>> df = VectorAssembler(inputCols=["x"], outputCol="features").transform(
    ...     spark.createDataFrame(rows, ["x", "label"]))
    >>> est = ResampledEstimator(LogisticRegression(), RandomOverSampler(random_state=0))
    >>> model = est.fit(df)
    >>> est.sampler_.target_counts_
    {0.0: 45, 1.0: 45}
    """

    def __init__(self, estimator: Estimator, sampler: Sampler, labelCol: str | None = None) -> None:
        super().__init__()
        _check_sampler(sampler, "ResampledEstimator")
        self.estimator = estimator
        self.sampler = sampler
        self.labelCol = labelCol

    def _label(self) -> str:
        if self.labelCol is not None:
            return self.labelCol
        getter = getattr(self.estimator, "getLabelCol", None)
        if getter is None:
            raise InvalidParameterError(
                f"ResampledEstimator cannot tell the label column: {type(self.estimator).__name__}"
                " has no getLabelCol(); pass labelCol."
            )
        return str(getter())

    def _fit(self, dataset: DataFrame) -> Model:
        self.sampler_ = clone(self.sampler)
        resampled, _ = self.sampler_.fit_resample(dataset, self._label())
        return self.estimator.fit(resampled)

    def copy(self, extra: dict[Param, Any] | None = None) -> ResampledEstimator:
        """A copy whose inner estimator takes the parameters of ``extra`` meant for it."""
        that = ResampledEstimator(
            self.estimator.copy(extra), clone(self.sampler), labelCol=self.labelCol
        )
        return that
