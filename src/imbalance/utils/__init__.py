"""Utilities for users and for authors of samplers: contract checks and discovery."""

from ._discovery import all_samplers

__all__ = ["all_samplers"]
