"""Under-samplers: remove rows from the classes that have too many.

Random and prototype-selection samplers reach the counts of ``sampling_strategy``; cleaning
samplers (Tomek links, edited and condensed nearest neighbours, one-sided selection, the
neighbourhood cleaning rule) remove the rows that their rule finds.

The implementations; every sampler is public in :mod:`imbalance.samplers` only.
"""
