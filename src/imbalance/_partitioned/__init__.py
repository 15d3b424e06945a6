"""Engine-neutral parts of partitioned resampling, shared by the Dask and Spark extras.

``_kernels`` (per-partition numpy/pandas functions: label counts, hash-keyed draws),
``_plan`` (driver-side functions on the small summaries) and ``_select`` (the seed, row keys and
the per-partition selection) import neither engine, so that a seed gives the same rows on Dask
and on Spark: both engines call these very functions on their partitions.
"""
