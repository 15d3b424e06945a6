"""Compare ways of handling the imbalance, and report the result (data first, rendering apart)."""

from ..auto._candidates import sampler_class
from ._compare import DEFAULT_STRATEGIES, compare_strategies, default_strategies
from ._html import render_html
from ._metrics import METRICS
from ._models import MODELS, make_model
from ._render import render_markdown, render_terminal
from ._result import ComparisonResult, dumps_json

__all__ = [
    "DEFAULT_STRATEGIES",
    "METRICS",
    "MODELS",
    "ComparisonResult",
    "compare_strategies",
    "default_strategies",
    "dumps_json",
    "make_model",
    "render_html",
    "render_markdown",
    "render_terminal",
    "sampler_class",
]
