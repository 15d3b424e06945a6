"""Compare ways of handling the imbalance (class labels or a skewed continuous target), and
report the result (data first, rendering apart)."""

from ..auto._candidates import sampler_class
from ._compare import DEFAULT_STRATEGIES, compare_strategies, default_strategies
from ._compare_regression import (
    DEFAULT_REGRESSION_STRATEGIES,
    REGRESSION_STRATEGIES,
    compare_regression_strategies,
)
from ._html import render_html
from ._metrics import METRICS
from ._models import MODELS, make_model
from ._regression_models import REGRESSION_MODELS, detect_task, make_regression_model
from ._regression_result import RegressionComparisonResult
from ._render import render_markdown, render_terminal
from ._result import ComparisonResult, dumps_json

__all__ = [
    "DEFAULT_REGRESSION_STRATEGIES",
    "DEFAULT_STRATEGIES",
    "METRICS",
    "MODELS",
    "REGRESSION_MODELS",
    "REGRESSION_STRATEGIES",
    "ComparisonResult",
    "RegressionComparisonResult",
    "compare_regression_strategies",
    "compare_strategies",
    "default_strategies",
    "detect_task",
    "dumps_json",
    "make_model",
    "make_regression_model",
    "render_html",
    "render_markdown",
    "render_terminal",
    "sampler_class",
]
