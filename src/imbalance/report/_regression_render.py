"""Render a RegressionComparisonResult as Markdown, a terminal table (rich) or HTML."""

from __future__ import annotations

import html
import math
from typing import Any

from ._regression_plots import regression_figures
from ._regression_result import RegressionComparisonResult
from ._style import _CSS, _WIDE

__all__ = ["regression_html", "regression_markdown", "regression_terminal"]

_COLUMNS = ("sera", "few_mae", "medium_mae", "many_mae", "mae", "fit_seconds")
_SPREAD = ("sera", "few_mae")  # the terminal shows ± for the ranking columns only
_LABELS = {
    "sera": "SERA",
    "few_mae": "few-shot MAE",
    "medium_mae": "medium MAE",
    "many_mae": "many MAE",
    "mae": "MAE",
    "fit_seconds": "fit s",
}


def _cell(stats: dict[str, float], key: str, *, spread: bool = True) -> str:
    if not math.isfinite(stats["mean"]):
        return "–"
    if key == "fit_seconds":
        return f"{stats['mean']:.2f}"
    if not spread:
        return f"{stats['mean']:.4g}"
    return f"{stats['mean']:.4g} ±{stats['std']:.2g}"


def _dataset_line(result: RegressionComparisonResult) -> str:
    d, t = result.dataset, result.dataset["target"]
    return (
        f"{d['name']}: {d['n_samples']} rows, {d['n_features']} feature"
        f"{'' if d['n_features'] == 1 else 's'}, continuous target "
        f"from {t['min']:.4g} to {t['max']:.4g} (median {t['median']:.4g}, {t['n_distinct']} "
        f"distinct values), {t['n_rare']} rare rows (relevance >= 0.5)"
    )


def _method_line(result: RegressionComparisonResult) -> str:
    s = result.settings
    return (
        f"Model: {s['model']}; {s['cv']}-fold cross-validation stratified on the binned target "
        f"(seed {s['random_state']}); weights and samplers act on training folds only. "
        f"Relevance: {s['relevance']}. Regions: {s['regions']}. Ranked by SERA (lower is "
        "better), near-ties by few-shot MAE."
    )


def regression_markdown(result: RegressionComparisonResult) -> str:
    """A Markdown report: data set, recommendation, the table of every strategy, notes."""
    summary = result.summary()
    rec = result.recommendation
    lines = [
        f"# Strategies for a skewed target compared on {result.dataset['name']}",
        "",
        _dataset_line(result) + ".",
        _method_line(result),
        "",
        f"**Recommended: {rec['strategy']}** — {rec['reason']}",
        "",
        "| strategy | " + " | ".join(_LABELS[c] for c in _COLUMNS) + " |",
        "|---|" + "---|" * len(_COLUMNS),
    ]
    for name in result.strategies:
        mark = " ★" if name == rec["strategy"] else ""
        cells = " | ".join(_cell(summary[name][c], c) for c in _COLUMNS)
        lines.append(f"| {name}{mark} | {cells} |")
    if result.notes:
        lines += ["", *[f"- note: {note}" for note in result.notes]]
    return "\n".join(lines) + "\n"


def regression_terminal(result: RegressionComparisonResult, console: Any = None) -> None:
    """Print the comparison as a rich table with the recommendation."""
    from rich.console import Console
    from rich.table import Table

    console = console or Console()
    summary = result.summary()
    table = Table(
        title=f"Strategies for a skewed target on {result.dataset['name']}", title_justify="left"
    )
    table.add_column("strategy")
    for c in _COLUMNS:
        table.add_column(_LABELS[c], justify="right")
    best = result.recommendation["strategy"]
    for name in result.strategies:
        style = "bold green" if name == best else None
        cells = [_cell(summary[name][c], c, spread=c in _SPREAD) for c in _COLUMNS]
        table.add_row(name, *cells, style=style)
    console.print(_dataset_line(result), markup=False, highlight=False)
    console.print(table)
    console.print(f"[bold]Recommended:[/bold] {best} — {result.recommendation['reason']}")
    console.print("(± is the standard deviation over folds; lower is better everywhere.)")


def regression_html(result: RegressionComparisonResult) -> str:
    """The report as one self-contained HTML document (needs matplotlib)."""
    summary = result.summary()
    rec = result.recommendation
    esc = html.escape
    head = "".join(f"<th>{esc(_LABELS[c])}</th>" for c in _COLUMNS)
    rows = []
    for name in result.strategies:
        cls = ' class="best"' if name == rec["strategy"] else ""
        cells = "".join(f"<td>{esc(_cell(summary[name][c], c))}</td>" for c in _COLUMNS)
        rows.append(f"<tr{cls}><td>{esc(name)}</td>{cells}</tr>")
    plots = "".join(
        f"<figure{_WIDE if wide else ''}>{svg}<figcaption>{esc(caption)}</figcaption></figure>"
        for caption, svg, wide in regression_figures(result)
    )
    notes = "".join(f"<li>{esc(note)}</li>" for note in result.notes)
    notes_block = f"<h2>Notes</h2>\n<ul>{notes}</ul>\n" if notes else ""
    name = esc(result.dataset["name"])
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Strategies for a skewed target: {name}</title>
<style>{_CSS}</style></head>
<body>
<h1>Strategies for a skewed target compared on {name}</h1>
<p>{esc(_dataset_line(result))}.</p>
<p class="rec"><strong>Recommended: {esc(rec["strategy"])}</strong> — {esc(rec["reason"])}</p>
<h2>Strategies</h2>
<table><thead><tr><th>strategy</th>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>
<p class="muted">{esc(_method_line(result))}</p>
<h2>Plots</h2>
<div class="plots">{plots}</div>
{notes_block}</body></html>
"""
