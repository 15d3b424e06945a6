"""Combinations: an over-sampler followed by a cleaning sampler, composed (not subclassed).

The implementations; every sampler is public in :mod:`imbalance.samplers` only.
"""
