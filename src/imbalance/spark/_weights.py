"""Class and per-row weights of a Spark label column, for MLlib's ``weightCol``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from .._numeric import check_class_weight
from .._weighting import Scheme, weights_from_counts
from ..exceptions import InvalidParameterError
from ._frames import as_spark_data, count_pass

__all__ = ["class_counts", "class_weights", "sample_weights"]


def class_counts(df: DataFrame, label: str) -> dict[Any, int]:
    """Number of rows of each class of a DataFrame's label column, in one job.

    Parameters
    ----------
    df : pyspark.sql.DataFrame
    label : str
        Name of the label column (integer, floating-point class codes, string or boolean).

    Returns
    -------
    class_counts : dict of {class_label: int}
        In sorted label order.

    See Also
    --------
    class_weights : weights from these counts.

    Examples
    --------
    >>> from imbalance.spark import class_counts
    >>> class_counts(spark.createDataFrame([(1,), (0,), (0,)], ["y"]), "y")
    {0: 2, 1: 1}
    """
    df, label = as_spark_data(df, label, None, "class_counts")
    classes, counts, _ = count_pass(df, label)
    return dict(zip(classes, counts.sum(axis=0).tolist(), strict=True))


def class_weights(
    df: DataFrame, label: str, *, scheme: Scheme = "balanced", beta: float = 0.999
) -> dict[Any, float]:
    """Weight of each class of a DataFrame's label column, from one counting job.

    The same weights as :func:`imbalance.weights.class_weights` on the collected labels.

    Parameters
    ----------
    df : pyspark.sql.DataFrame
    label : str
        Name of the label column.
    scheme : {"balanced", "inverse", "sqrt_inverse", "effective_number", "median_frequency"}
        How counts become weights (see :mod:`imbalance.weights`).
    beta : float in [0, 1), default=0.999
        Used by ``"effective_number"`` only.

    Returns
    -------
    class_weight : dict of {class_label: float}

    See Also
    --------
    sample_weights : the weights as a column, for ``weightCol``.

    Examples
    --------
    >>> from imbalance.spark import class_weights
    >>> class_weights(spark.createDataFrame([(0,)] * 9 + [(1,)], ["y"]), "y")
    {0: 0.5555555555555556, 1: 5.0}
    """
    counts = class_counts(df, label)
    values = weights_from_counts(list(counts.values()), scheme=scheme, beta=beta)
    return dict(zip(counts, values.tolist(), strict=True))


def sample_weights(
    df: DataFrame,
    label: str,
    *,
    scheme: Scheme = "balanced",
    beta: float = 0.999,
    class_weight: Mapping[Any, float] | None = None,
    output_col: str = "weight",
) -> DataFrame:
    """The DataFrame with a column of per-row weights (its class's weight), for ``weightCol``.

    One counting job (none when ``class_weight`` is given); the column itself is a lazy
    Spark expression (a literal map looked up by the label), no Python runs per row.

    Parameters
    ----------
    df : pyspark.sql.DataFrame
    label : str
        Name of the label column.
    scheme, beta
        As in :func:`class_weights`; ignored when ``class_weight`` is given.
    class_weight : dict of {class_label: float}, default=None
        Explicit weights, finite, ``>= 0`` and not all 0; a label without one gets null.
    output_col : str, default="weight"
        Name of the new column (it must not exist yet).

    Returns
    -------
    df_weighted : pyspark.sql.DataFrame
        ``df`` with ``output_col`` (double) appended.

    See Also
    --------
    imbalance.weights.sample_weights : the same for labels in memory.

    Examples
    --------
    >>> from imbalance.spark import sample_weights
    >>> df = spark.createDataFrame([("a",), ("a",), ("a",), ("b",)], ["y"])
    >>> [r.weight for r in sample_weights(df, "y", scheme="inverse").collect()]
    [1.3333333333333333, 1.3333333333333333, 1.3333333333333333, 4.0]
    """
    df, label = as_spark_data(df, label, None, "sample_weights")
    if output_col in df.columns:
        raise InvalidParameterError(
            f"output_col={output_col!r} of sample_weights is already a column of df; "
            "name another column."
        )
    if class_weight is not None:
        weights = check_class_weight(class_weight)
    else:
        weights = class_weights(df, label, scheme=scheme, beta=beta)
    kind = df.schema[label].dataType
    pairs = [x for c, w in weights.items() for x in (F.lit(c).cast(kind), F.lit(float(w)))]
    return df.withColumn(output_col, F.create_map(*pairs)[F.col(label)].cast("double"))
