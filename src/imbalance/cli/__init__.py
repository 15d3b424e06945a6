"""The `imbalance` command line (the cli extra: rich and matplotlib, plus pandas for tables)."""

from ._main import build_parser, main

__all__ = ["build_parser", "main"]
