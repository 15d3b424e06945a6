"""SMOTE on Dask collections: gather a class that fits in memory, or split it into k-means blocks.

SMOTE makes each synthetic row from two rows of the same class, so a class can be synthesised
from its own rows alone. Each grown class is handled in one of two ways:

*Gathered* (``block_size=None``, or a class of at most ``block_size`` rows): the class's rows
are brought to the driver and :class:`imbalance.samplers.SMOTE` synthesises them, so the
synthetic rows are those of the in-memory SMOTE on the whole data with the same seed.

*Blocks* (a class larger than ``block_size``): k-means centres fitted on a hash sample of the
class split it into ``ceil(n / block_size)`` blocks; the blocks are shuffled into partitions
and each is synthesised where it lives, neighbours searched within the block only. Each block's
share of the new rows is proportional to its size (largest remainders), so the class still gets
exactly its target count. What is lost is neighbour recall: a row near a block's border has
some of its true nearest neighbours in another block.
"""

from __future__ import annotations

import math
from typing import Any, ClassVar

import dask
import dask.dataframe as dd
import numpy as np
import pandas as pd
from dask.dataframe.utils import make_meta
from sklearn.cluster import KMeans

from .. import _containers
from .._param_validation import SAMPLING_STRATEGY_CONSTRAINT, Interval, Options
from .._partitioned._kernels import label_codes, mix64
from .._partitioned._select import PartitionedTarget, offsets_of, partition_keys
from .._partitioned._synthesis import spare_class, synthesise
from .._typing import Backend, Label, NeighborSpec, RandomState, SamplingStrategy, Target
from ..base import SamplerTags
from ..exceptions import InvalidDataError
from ..neighbors import BACKENDS, nearest_centre
from ..samplers import SMOTE as InMemorySMOTE
from ._base import PartitionedSampler
from ._collections import (
    Partitioned,
    append,
)

__all__ = ["SMOTE"]

_BLOCK = "__imbalance_block__"
_KEY = "__imbalance_key__"
_LABEL = "__imbalance_label__"
# Rows of each class sampled to fit the k-means centres: this many per block, at least _SAMPLE_MIN.
_SAMPLE_PER_BLOCK = 200
_SAMPLE_MIN = 10_000


class SMOTE(PartitionedSampler):
    """SMOTE for Dask collections: synthetic rows appended as new partitions.

    Counts the classes in one pass and resolves ``sampling_strategy`` like the in-memory
    samplers. A grown class that fits in memory (all of them when ``block_size`` is None) is
    gathered and synthesised by :class:`imbalance.samplers.SMOTE`: its synthetic rows
    equal those of the in-memory SMOTE on the whole data with the same int ``random_state``.
    A larger class is split into k-means blocks of about ``block_size`` rows, synthesised
    block by block on the workers (neighbours within the block), each block receiving a share
    of the new rows proportional to its size; the class count is still exact.

    The output is lazy: X's partitions, then the synthetic partitions (one for the gathered
    classes, then one per block). pandas synthetic rows get index labels that cannot collide
    (``max + 1`` onwards for an integer index, ``"synthetic_<i>"`` otherwise). For an int
    ``random_state`` the result does not depend on the partitioning of X.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default="auto"
        Final class counts, with the same meanings as :class:`RandomOverSampler`.
    random_state : int, RandomState instance, Generator or None, default=None
        Seed of the synthesis (and of the blocks' k-means).
    k_neighbors : int or estimator, default=5
        Nearest same-class neighbours among which partners are drawn (see
        :class:`imbalance.samplers.SMOTE`).
    neighbors : {"auto", "exact", "approximate", "torch"}, default="auto"
        Backend of the neighbour search.
    n_jobs : int or None, default=None
        Threads of each neighbour search.
    block_size : int or None, default=None
        Largest class gathered whole; a larger class is split into blocks of about this many
        rows. ``None`` gathers every grown class (it must fit in the driver's memory).

    Attributes
    ----------
    target_counts_ : dict of {class_label: int}
        Number of rows of each class after resampling.
    class_counts_ : dict of {class_label: int}
        Number of rows of each class before resampling.
    classes_ : ndarray of shape (n_classes,)
        Class labels, sorted.
    block_centers_ : dict of {class_label: ndarray of shape (n_blocks, n_numeric)}
        k-means centres of each class split into blocks (rows go to the nearest centre).
    block_counts_ : dict of {class_label: ndarray of shape (n_blocks,)}
        Rows of each block, for the classes split into blocks.
    seed_ : int
        The seed used.
    n_features_in_ : int
        Number of columns of X.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Column names of X, when X is a DataFrame with string column names.

    See Also
    --------
    imbalance.samplers.SMOTE : the in-memory SMOTE used on each gathered class or block.
    RandomOverSampler : repeats instead of synthetic rows, without gathering anything.

    References
    ----------
    .. [1] N. V. Chawla, K. W. Bowyer, L. O. Hall and W. P. Kegelmeyer, "SMOTE: Synthetic
       Minority Over-sampling Technique", Journal of Artificial Intelligence Research, 16,
       321-357, 2002.

    Examples
    --------
    >>> import dask.dataframe as dd
    >>> import numpy as np
    >>> import pandas as pd
    >>> from imbalance.dask import SMOTE
    >>> rng = np.random.default_rng(0)
    >>> df = pd.DataFrame({"a": rng.normal(size=60), "b": rng.normal(size=60)})
    >>> df["label"] = [0] * 50 + [1] * 10
    >>> ddf = dd.from_pandas(df, npartitions=3)
    >>> X_res, y_res = SMOTE(random_state=0).fit_resample(ddf, "label")
    >>> y_res.value_counts().compute().sort_index().to_dict()
    {0: 50, 1: 50}
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "sampling_strategy": SAMPLING_STRATEGY_CONSTRAINT,
        "random_state": ["random_state"],
        "k_neighbors": [Interval("int", 1, None), "estimator"],
        "neighbors": [Options(BACKENDS)],
        "n_jobs": [None, Interval("int", -1, -1), Interval("int", 1, None)],
        "block_size": [None, Interval("int", 2, None)],
    }
    _sampler_tags = SamplerTags(kind="over", synthetic=True, reads_features=True, keeps_rows=True)

    def __init__(
        self,
        *,
        sampling_strategy: SamplingStrategy = "auto",
        random_state: RandomState = None,
        k_neighbors: NeighborSpec = 5,
        neighbors: Backend = "auto",
        n_jobs: int | None = None,
        block_size: int | None = None,
    ) -> None:
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.k_neighbors = k_neighbors
        self.neighbors = neighbors
        self.n_jobs = n_jobs
        self.block_size = block_size

    def _fit_resample(
        self, X: Partitioned, target: PartitionedTarget, rng: np.random.Generator
    ) -> tuple[Any, Any]:
        """Append synthetic rows to the Dask collection, lazily."""
        self.block_centers_: dict[Any, np.ndarray] = {}
        self.block_counts_: dict[Any, np.ndarray] = {}
        classes = target.classes
        grown = [c for c in classes if self.target_counts_[c] > self.class_counts_[c]]
        if not grown:
            return X.split(X.X) if X.frame else (X.X, X.y)
        job = _Job(self, X, classes, offsets_of(target.counts))
        small = self.block_size is None
        whole = [c for c in grown if small or self.class_counts_[c] <= self.block_size]
        parts = [job.gathered(whole)] if whole else []
        parts += [job.blocks(c) for c in grown if c not in whole]
        return job.assemble(parts)

    def local(self, seed: int) -> InMemorySMOTE:
        """The in-memory SMOTE configured like this one, with ``seed``."""
        return InMemorySMOTE(
            random_state=seed,
            k_neighbors=self.k_neighbors,
            neighbors=self.neighbors,
            n_jobs=self.n_jobs,
        )


def _split(total: int, weights: np.ndarray) -> np.ndarray:
    """``total`` split into integers proportional to ``weights`` (largest remainders win)."""
    share = weights / weights.sum() * total
    out = np.floor(share).astype(np.int64)
    short = total - int(out.sum())
    order = np.lexsort((np.arange(len(share)), -(share - out)))
    out[order[:short]] += 1
    return out


def _index_base(X: Any) -> tuple[str, Any]:
    """Where synthetic index labels start: ("int", max + 1) or ("str", an unused prefix)."""
    meta = make_meta(X)
    if pd.api.types.is_integer_dtype(meta.index.dtype):
        if X.known_divisions:
            return "int", int(X.divisions[-1]) + 1
        top = X.index.max().compute()
        return "int", 0 if pd.isna(top) else int(top) + 1
    prefix = "synthetic_"
    as_text = X.index.to_series().astype(str)
    while bool(as_text.str.startswith(prefix).any().compute()):
        prefix = "_" + prefix
    return "str", prefix


def _labels(base: tuple[str, Any] | None, start: int, n: int) -> pd.Index:
    if base is None or base[0] == "int":
        first = 0 if base is None else base[1]
        return pd.RangeIndex(first + start, first + start + n)
    return pd.Index([f"{base[1]}{i}" for i in range(start, start + n)], dtype=object)


def _features_frame(
    block: pd.DataFrame | np.ndarray, columns: list[Any], target: str | None
) -> pd.DataFrame:
    """One partition's rows as a pandas frame of the features (the label column left out)."""
    if isinstance(block, pd.DataFrame):
        return block.drop(columns=[target]) if target is not None else block
    return pd.DataFrame(np.asarray(block), columns=columns)


def _class_rows(
    block: pd.DataFrame | np.ndarray,
    labels: Target,
    classes: list[Any],
    wanted: list[int],
    columns: list[Any],
    target: str | None,
) -> tuple[pd.DataFrame, np.ndarray]:
    codes = label_codes(labels, classes)
    mask = np.isin(codes, wanted)
    frame = _features_frame(block, columns, target)
    return frame.iloc[np.flatnonzero(mask)], np.asarray(classes, dtype=object)[codes[mask]]


class _Job:
    """One ``fit_resample`` of the Dask SMOTE: gathers, blocks and the assembled output."""

    def __init__(self, sampler: SMOTE, data: Partitioned, classes: list[Any], offsets: np.ndarray):
        self.sampler, self.data, self.classes, self.offsets = sampler, data, classes, offsets
        self.target = data.target
        if data.frame:
            self.columns = [c for c in data.X.columns if c != data.target]
        else:
            self.columns = list(range(int(data.X.shape[1])))
        self.base = _index_base(data.X) if data.frame else None
        self.start = 0

    def _blocks(self) -> list[tuple[Any, Any, int]]:
        pairs = self.data.with_labels()
        return [(xb, yb, off) for (xb, yb), off in zip(pairs, self.offsets.tolist(), strict=True)]

    def _meta(self) -> pd.DataFrame:
        if self.data.frame:
            meta = make_meta(self.data.X)
            frame = meta.drop(columns=[self.target]) if self.target is not None else meta
        else:
            frame = pd.DataFrame(
                np.empty((0, len(self.columns)), self.data.X.dtype), columns=self.columns
            )
        y_meta = make_meta(self.data.y)
        labels = y_meta.array if self.data.frame else np.empty(0, dtype=self.data.y.dtype)
        return frame.assign(**{_LABEL: pd.Series(labels, index=frame.index)})

    def _finish(self, X_syn: pd.DataFrame, y_syn: np.ndarray) -> pd.DataFrame:
        out = X_syn.copy()
        out.index = _labels(self.base, self.start, len(out))
        out[_LABEL] = pd.Series(y_syn, index=out.index).astype(self._meta()[_LABEL].dtype)
        self.start += len(out)
        return out

    def gathered(self, grown: list[Any]) -> tuple[Any, list[int]]:
        """Synthetic rows of the classes gathered whole, as one partition."""
        wanted = [self.classes.index(c) for c in grown]
        tasks = [
            dask.delayed(_class_rows)(xb, yb, self.classes, wanted, self.columns, self.target)
            for xb, yb, _ in self._blocks()
        ]
        pieces = dask.compute(*tasks)
        X_loc = pd.concat([p[0] for p in pieces])
        y_loc = np.concatenate([p[1] for p in pieces])
        goals = {c: self.sampler.target_counts_[c] for c in grown}
        spare = spare_class(self.classes, grown)
        local = self.sampler.local(self.sampler.seed_)
        X_syn, y_syn = synthesise(local, X_loc, y_loc, goals, spare)
        out = self._finish(X_syn, y_syn)
        return dd.from_pandas(out, npartitions=1, sort=False), [len(out)]

    def _centers(self, code: int, n_blocks: int) -> np.ndarray:
        n = self.sampler.class_counts_[self.classes[code]]
        frac = min(1.0, max(_SAMPLE_MIN, _SAMPLE_PER_BLOCK * n_blocks) / n)
        tasks = [
            dask.delayed(_sample_rows)(xb, yb, off, self, code, frac)
            for xb, yb, off in self._blocks()
        ]
        F = np.concatenate(dask.compute(*tasks))
        km = KMeans(
            n_clusters=min(n_blocks, len(F)), n_init=1, random_state=self.sampler.seed_ % 2**32
        )
        return np.asarray(km.fit(F).cluster_centers_)

    def numeric(self, frame: pd.DataFrame) -> np.ndarray:
        columns = _containers.numeric_column_positions(frame)
        if not columns:
            raise InvalidDataError(
                "SMOTE interpolates numeric columns, but X has none. Encode the features as "
                "numbers first."
            )
        return np.asarray(_containers.numeric_values(frame, columns), dtype=np.float64)

    def blocks(self, cls: Label) -> tuple[Any, list[int]]:
        """Synthetic rows of a class split into k-means blocks, one partition per block."""
        code = self.classes.index(cls)
        n = self.sampler.class_counts_[cls]
        n_blocks = math.ceil(n / int(self.sampler.block_size or n))
        centers = self._centers(code, n_blocks)
        meta = self._meta().assign(**{_KEY: np.uint64(0), _BLOCK: np.int64(0)})
        rows = dd.from_delayed(
            [
                dask.delayed(_block_rows)(xb, yb, off, self, code, centers)
                for xb, yb, off in self._blocks()
            ],
            meta=meta,
            verify_meta=False,
        )
        sizes = rows[_BLOCK].value_counts().compute().reindex(range(len(centers)), fill_value=0)
        sizes_arr = sizes.to_numpy(dtype=np.int64)
        spec = self.sampler.k_neighbors
        k = int(spec) if isinstance(spec, int) else 5
        usable = sizes_arr > k
        if not usable.any():
            raise InvalidDataError(
                f"SMOTE split class {cls!r} into {len(centers)} blocks of at most "
                f"{sizes_arr.max()} rows, none larger than k_neighbors={k}. Raise block_size."
            )
        quota = np.zeros(len(centers), dtype=np.int64)
        quota[usable] = _split(
            self.sampler.target_counts_[cls] - n, sizes_arr[usable].astype(float)
        )
        self.sampler.block_centers_[cls] = centers
        self.sampler.block_counts_[cls] = sizes_arr
        starts = self.start + np.concatenate([[0], np.cumsum(quota)[:-1]])
        self.start += int(quota.sum())
        by_block = rows.set_index(_BLOCK, divisions=tuple(range(len(centers) + 1)))
        spare = spare_class(self.classes, [cls])
        out = by_block.map_partitions(
            _synthesise_block, self, cls, code, spare, quota, starts, meta=self._meta()
        )
        return out, quota.tolist()

    def assemble(self, parts: list[tuple[Any, list[int]]]) -> tuple[Any, Any]:
        synthetic = dd.concat([p[0] for p in parts]) if len(parts) > 1 else parts[0][0]
        lengths = [n for p in parts for n in p[1]]
        y_new = synthetic[_LABEL]
        if self.data.frame:
            full = synthetic.rename(columns={_LABEL: self.target})[list(self.data.X.columns)]
            return append(self.data, full)
        X_arr = synthetic[self.columns].to_dask_array(lengths=lengths).astype(self.data.X.dtype)
        y_arr = y_new.to_dask_array(lengths=lengths).astype(self.data.y.dtype)
        return append(self.data, X_arr, y_arr)


def _sample_rows(
    block: pd.DataFrame | np.ndarray, labels: Target, offset: int, job: _Job, code: int, frac: float
) -> np.ndarray:
    """Numeric features of the class's rows whose key falls in the first ``frac`` of keys."""
    codes = label_codes(labels, job.classes)
    keys = partition_keys(len(codes), None, offset, job.sampler.seed_)
    rows = np.flatnonzero(
        (codes == code) & (keys <= np.uint64(min(2**64 - 1, int(frac * 2.0**64))))
    )
    return job.numeric(_features_frame(block, job.columns, job.target).iloc[rows])


def _block_of(F: np.ndarray, centers: np.ndarray) -> np.ndarray:
    """The block of each row: its nearest k-means centre, found by the neighbour engine."""
    return nearest_centre(F, centers).astype(np.int64, copy=False)


def _block_rows(
    block: pd.DataFrame | np.ndarray,
    labels: Target,
    offset: int,
    job: _Job,
    code: int,
    centers: np.ndarray,
) -> pd.DataFrame:
    """The class's rows of one partition with their key and nearest k-means centre."""
    codes = label_codes(labels, job.classes)
    rows = np.flatnonzero(codes == code)
    keys = partition_keys(len(codes), None, offset, job.sampler.seed_)[rows]
    frame = _features_frame(block, job.columns, job.target).iloc[rows]
    label_values = (
        np.asarray(labels)[rows]
        if not isinstance(labels, pd.Series)
        else labels.iloc[rows].to_numpy()
    )
    return frame.assign(
        **{_LABEL: label_values, _KEY: keys, _BLOCK: _block_of(job.numeric(frame), centers)}
    )


def _synthesise_block(
    part: pd.DataFrame,
    job: _Job,
    cls: Label,
    code: int,
    spare: Label,
    quota: np.ndarray,
    starts: np.ndarray,
) -> pd.DataFrame:
    """Synthetic rows of the block(s) in one partition (rows ordered by key, not by arrival)."""
    pieces = []
    for b in np.unique(part.index.to_numpy()).tolist():
        if quota[b] == 0:
            continue
        rows = part.loc[[b]].sort_values(_KEY, kind="stable")
        X_blk = rows.drop(columns=[_KEY, _LABEL]).reset_index(drop=True)
        y_blk = rows[_LABEL].to_numpy()
        seed = int(
            mix64(np.array([job.sampler.seed_ ^ (code << 32) ^ b], dtype=np.uint64))[0]
            >> np.uint64(33)
        )
        X_syn, y_syn = synthesise(
            job.sampler.local(seed), X_blk, y_blk, {cls: len(rows) + int(quota[b])}, spare
        )
        out = X_syn.copy()
        out.index = _labels(job.base, int(starts[b]), len(out))
        out[_LABEL] = pd.Series(y_syn, index=out.index).astype(job._meta()[_LABEL].dtype)
        pieces.append(out)
    return pd.concat(pieces) if pieces else job._meta()
