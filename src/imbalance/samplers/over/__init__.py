"""Over-samplers: add rows to the classes that need them.

The implementations; every sampler is public in :mod:`imbalance.samplers` only.
"""
