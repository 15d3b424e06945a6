"""Render a ComparisonResult as Markdown or as a terminal table (rich)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._result import ComparisonResult

if TYPE_CHECKING:
    from ._regression_result import RegressionComparisonResult

__all__ = ["render_markdown", "render_terminal"]

_COLUMNS = ("average_precision", "roc_auc", "brier", "threshold", "fit_seconds")
_LABELS = {
    "balanced_accuracy": "balanced acc.",
    "average_precision": "avg. precision",
    "roc_auc": "ROC-AUC",
    "g_mean": "G-mean",
    "f1": "F1",
    "mcc": "MCC",
    "brier": "Brier",
    "threshold": "thr.",
    "fit_seconds": "fit s",
}


def _columns(result: ComparisonResult) -> list[str]:
    return [result.metric, *[c for c in _COLUMNS if c != result.metric]]


def _cell(stats: dict[str, float], key: str) -> str:
    if key in ("fit_seconds", "threshold"):
        return f"{stats['mean']:.2f}"
    return f"{stats['mean']:.3f} ±{stats['std']:.2f}"


def _dataset_line(result: ComparisonResult) -> str:
    d = result.dataset
    counts = ", ".join(f"{label}: {n}" for label, n in d["class_counts"])
    return (
        f"{d['name']}: {d['n_samples']} rows, {d['n_features']} features, classes {{{counts}}}, "
        f"imbalance ratio {d['imbalance_ratio']:.1f}, positive class {d['positive_label']!r}"
    )


def render_markdown(result: ComparisonResult | RegressionComparisonResult) -> str:
    """A Markdown report: data set, recommendation, and the table of every strategy.

    A :class:`RegressionComparisonResult` gets its own table (SERA and errors by region).

    Examples
    --------
    >>> from imbalance.datasets import load_yeast4
    >>> from imbalance.report import compare_strategies, render_markdown
    >>> X, y = load_yeast4(return_X_y=True)
    >>> text = render_markdown(compare_strategies(X, y, strategies=["none", "weights"], cv=3))
    >>> text.splitlines()[0]
    '# Imbalance strategies compared on data'
    """
    if not isinstance(result, ComparisonResult):
        from ._regression_render import regression_markdown

        return regression_markdown(result)
    summary = result.summary()
    cols = _columns(result)
    rec = result.recommendation
    lines = [
        f"# Imbalance strategies compared on {result.dataset['name']}",
        "",
        _dataset_line(result) + ".",
        f"Model: {result.settings['model']}; {result.settings['cv']}-fold stratified "
        f"cross-validation, resampling inside training folds only.",
        "",
        f"**Recommended: {rec['strategy']}** — {rec['reason']}",
        "",
        "| strategy | " + " | ".join(_LABELS[c] for c in cols) + " |",
        "|---|" + "---|" * len(cols),
    ]
    for name in result.strategies:
        mark = " ★" if name == rec["strategy"] else ""
        cells = " | ".join(_cell(summary[name][c], c) for c in cols)
        lines.append(f"| {name}{mark} | {cells} |")
    return "\n".join(lines) + "\n"


def render_terminal(
    result: ComparisonResult | RegressionComparisonResult, console: Any = None
) -> None:
    """Print the comparison as a rich table with the recommendation (needs the cli extra)."""
    if not isinstance(result, ComparisonResult):
        from ._regression_render import regression_terminal

        return regression_terminal(result, console)
    from rich.console import Console
    from rich.table import Table

    console = console or Console()
    summary = result.summary()
    cols = _columns(result)
    table = Table(title=f"Imbalance strategies on {result.dataset['name']}", title_justify="left")
    table.add_column("strategy")
    for c in cols:
        table.add_column(_LABELS[c], justify="right")
    best = result.recommendation["strategy"]
    for name in result.strategies:
        style = "bold green" if name == best else None
        table.add_row(name, *[_cell(summary[name][c], c) for c in cols], style=style)
    console.print(_dataset_line(result))
    console.print(table)
    console.print(f"[bold]Recommended:[/bold] {best} — {result.recommendation['reason']}")
