"""Compare ways of handling the imbalance, and report the result (data first, rendering apart)."""

from ._compare import DEFAULT_STRATEGIES, compare_strategies, default_strategies
from ._html import render_html
from ._metrics import METRICS
from ._models import MODELS, make_model
from ._render import render_markdown, render_terminal
from ._result import ComparisonResult

__all__ = [
    "DEFAULT_STRATEGIES",
    "METRICS",
    "MODELS",
    "ComparisonResult",
    "compare_strategies",
    "default_strategies",
    "make_model",
    "render_html",
    "render_markdown",
    "render_terminal",
]
