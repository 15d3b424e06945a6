"""k nearest neighbours: one engine, one signature, several backends.

Every neighbour-based method of the package asks this module, and no other place computes
distances. Distances are Euclidean; neighbours come sorted by distance, ties broken by the
smaller row position, and a query that is itself an indexed row never counts itself (another
row equal to it does, at distance 0).

Backends
--------
``"exact"``
    The true k nearest neighbours. Candidates come from scikit-learn's public
    :class:`~sklearn.neighbors.NearestNeighbors` for few dense features (a k-d tree) and for
    sparse data (its float64 brute force). Dense data with more features is searched by brute
    force in float32: with faiss's flat index when the optional ``faiss`` package is installed
    (``pip install "imbalance[approximate]"``), otherwise with numpy matrix products in tiles
    (rows grouped into cells, so that each query's first tile gives it a tight threshold and
    later tiles are rarely inspected). Both measured 1.3-2x faster than scikit-learn's
    float64 brute force on 20 features (``bench/RESULTS-smote.md``). A search of all rows
    among themselves (2,048 rows or more, on one thread: ``n_jobs=1``, or None with at most
    two cores) is the numpy tiles' either way: they compute each pair once for both rows,
    1.5-3x faster than faiss
    (``bench/RESULTS-regression.md``). Every candidate distance
    is then recomputed in float64 from the row differences; a query whose candidate list
    cannot be proven complete under a rigorous rounding-error bound is searched again with
    four times as many candidates, and if still not proven, in float64 over all rows. The
    result is therefore the same whatever the internals, ``n_jobs`` or the block sizes: it
    equals sorting all rows by float64 distance.
``"approximate"``
    Inverted lists (IVF) from the optional ``faiss`` package (``pip install
    "imbalance[approximate]"``): the rows are split into about ``4 * sqrt(n)`` k-means cells and
    each query scans the rows of its nearest cells only. The number of cells scanned is
    calibrated for each number of neighbours asked: the fewest with which a sample of up to
    512 of the queries finds at least 99.5 % of its true neighbours (found by brute force), and
    ``NeighborIndex.recall_`` reports the recall so calibrated. Reproducible for a given
    ``random_state`` and ``n_jobs``. Where scanning cells would cost about as much as brute
    force (few rows, few queries, or data so spread that such a recall needs most cells: 20
    dimensions of noise), faiss's flat float32 brute force answers instead, checked in float64
    as for ``"exact"``: the exact result (recall 1). Values beyond float32's range are always
    searched exactly in float64.
``"torch"``
    Chunked squared distances and ``topk`` in PyTorch, on CUDA when available and on the CPU
    otherwise, followed by the same float64 check as ``"exact"``: the results equal
    ``"exact"``. PyTorch is imported on first use only.
``"auto"``
    ``"torch"`` when PyTorch is already imported, CUDA is available and the index holds at
    least 20,000 rows; ``"exact"`` otherwise. It never picks ``"approximate"``, which changes
    results and must be asked for. The choice is recorded in ``NeighborIndex.backend_``.

Layout
------
``_index``: :class:`NeighborIndex` (checks, power-of-two scaling, centring, a searcher, the
float64 proof of ``_refine``), :func:`kneighbors`, :func:`mean_distance`. Searchers share one
interface (``_common.Searcher``: ``search`` returns ``Candidates``, and changes nothing a caller
reads): ``_exact`` (scikit-learn, faiss flat), ``_blocked`` (numpy tiles), ``_ivf``
(approximate), ``_torch``. ``_checks`` holds the input checks and the scaling.

For the package's samplers (importable here, not public: not in ``__all__``): ``_entry``
(:func:`neighbor_index` and :func:`search` take the features, the user's neighbours parameter,
a count or an estimator with ``kneighbors``, the backend and ``n_jobs``, and own the thread
rule :func:`search_jobs`), ``_medians`` (:func:`median_distances`, SMOGN's safe distance),
``_lists`` (:func:`alive_neighbours`, for samplers that remove rows
in rounds) and ``_tables`` (distances given per column by tables: the value difference
metric).
"""

from ._blocked import nearest_centre
from ._common import BACKENDS, BLOCK_CELLS, Backend
from ._entry import (
    EstimatorIndex,
    KNeighborsEstimator,
    NeighborSpec,
    Neighbours,
    is_estimator,
    n_neighbors_of,
    neighbor_index,
    search,
    search_jobs,
)
from ._index import NeighborIndex, kneighbors, mean_distance
from ._lists import AliveNeighbours, EstimatorLists, NeighbourLists, alive_neighbours
from ._medians import median_distances
from ._tables import table_distances, table_kneighbors, table_voters

__all__ = ["BACKENDS", "Backend", "NeighborIndex", "kneighbors", "mean_distance"]

# Internal entries for the package's samplers and engines (see "Layout" above): importable
# from here so that no sampler imports a private module of this package, never public.
_INTERNAL = (
    AliveNeighbours,
    BLOCK_CELLS,
    EstimatorIndex,
    EstimatorLists,
    KNeighborsEstimator,
    NeighbourLists,
    Neighbours,
    NeighborSpec,
    alive_neighbours,
    is_estimator,
    n_neighbors_of,
    median_distances,
    nearest_centre,
    neighbor_index,
    search,
    search_jobs,
    table_distances,
    table_kneighbors,
    table_voters,
)
