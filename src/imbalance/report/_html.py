"""A self-contained HTML report: inline CSS, plots embedded as SVG, no network, no script."""

from __future__ import annotations

import html
import io
from typing import TYPE_CHECKING, Any

from ._render import _LABELS, _cell, _columns, _dataset_line
from ._result import ComparisonResult
from ._style import _CSS, _WIDE

if TYPE_CHECKING:
    from ._regression_result import RegressionComparisonResult

__all__ = ["render_html"]


def _svg(fig: Any) -> str:
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    text = buffer.getvalue()
    return text[text.index("<svg") :]


def _figures(result: ComparisonResult) -> list[tuple[str, str, bool]]:
    """(caption, inline SVG, full width) for each plot."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    summary = result.summary()
    figures = []
    fig, ax = plt.subplots(figsize=(5, 3))
    labels = [str(label) for label, _ in result.dataset["class_counts"]]
    ax.bar(labels, [n for _, n in result.dataset["class_counts"]], color="#607d8b")
    ax.set_ylabel("rows")
    ax.set_title("Class distribution")
    figures.append(("Class distribution of the data set.", _svg(fig), False))
    plt.close(fig)

    fig, ax = plt.subplots(figsize=(5, 4))
    for name in result.strategies:
        pr = result.curves[name]["pr"]
        ax.plot(pr["recall"], pr["precision"], label=name, lw=1.2)
    ax.set(
        xlabel="recall",
        ylabel="precision",
        title="Precision-recall (out-of-fold)",
        xlim=(0, 1),
        ylim=(0, 1.02),
    )
    ax.legend(fontsize=7)
    figures.append(
        ("Precision-recall curves of the positive class, pooled over folds.", _svg(fig), False)
    )
    plt.close(fig)

    fig, ax = plt.subplots(figsize=(5, 4))
    ax.plot([0, 1], [0, 1], color="#999", ls="--", lw=1)
    for name in result.strategies:
        cal = result.curves[name]["calibration"]
        ax.plot(cal["prob_pred"], cal["prob_true"], marker="o", ms=3, label=name, lw=1.2)
    ax.set(
        xlabel="predicted probability",
        ylabel="observed frequency",
        title="Calibration (out-of-fold)",
    )
    ax.legend(fontsize=7)
    figures.append((_calibration_caption(result), _svg(fig), False))
    plt.close(fig)

    metrics = [result.metric, "average_precision", "brier"]
    metrics = list(dict.fromkeys(metrics))
    fig, axes = plt.subplots(1, len(metrics), figsize=(4 * len(metrics), 3.2), sharey=True)
    for ax, metric in zip(axes, metrics, strict=True):
        means = [summary[s][metric]["mean"] for s in result.strategies]
        stds = [summary[s][metric]["std"] for s in result.strategies]
        ax.barh(result.strategies, means, xerr=stds, color="#90a4ae", ecolor="#37474f", capsize=3)
        ax.set_title(_LABELS[metric])
        ax.invert_yaxis()
    figures.append(("Mean and standard deviation over folds.", _svg(fig), True))
    plt.close(fig)
    return figures


def _calibration_caption(result: ComparisonResult) -> str:
    caption = "Calibration curves: on the diagonal, probabilities mean what they say."
    per_bin = [
        n
        for name in result.strategies
        for n in result.curves[name]["calibration"].get("n_positives", [])
    ]
    if per_bin:
        caption += (
            f" Each point is a bin of rows holding {min(per_bin)} to {max(per_bin)} positives,"
            " so every observed frequency rests on about as many of them."
        )
    return caption


def _confusion_tables(result: ComparisonResult) -> str:
    """One table per strategy: counts at its threshold, pooled over the validation folds."""
    matrices = result.confusion_matrices()
    if not matrices:
        return ""
    esc = html.escape
    labels = [esc(str(label)) for label, _ in result.dataset["class_counts"]]
    thresholds = {s: stats["threshold"]["mean"] for s, stats in result.summary().items()}
    tables = []
    for name in result.strategies:
        if name not in matrices:
            continue
        head = "".join(f"<th>predicted {label}</th>" for label in labels)
        rows = []
        for label, row in zip(labels, matrices[name], strict=True):
            total = sum(row) or 1
            cells = "".join(
                f'<td title="{100 * n / total:.1f} % of true {label}">{n}</td>' for n in row
            )
            rows.append(f"<tr><th>true {label}</th>{cells}</tr>")
        caption = f"{esc(name)} (threshold {thresholds[name]:.2f})"
        tables.append(
            f'<table class="confusion"><caption>{caption}</caption>'
            f"<thead><tr><th></th>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        )
    return (
        "<h2>Decisions at the threshold</h2>\n"
        '<p class="muted">Confusion matrices of the out-of-fold predictions, every row counted '
        "once: rows are the true classes, columns the predicted ones, at each strategy's "
        "threshold (0.5, or the mean of the tuned ones).</p>\n"
        f'<div class="confusions">{"".join(tables)}</div>'
    )


def render_html(result: ComparisonResult | RegressionComparisonResult) -> str:
    """The report as one HTML document (needs matplotlib, from the cli extra).

    A :class:`RegressionComparisonResult` gets the target's histogram with its relevance,
    errors by region and predictions against the truth.
    """
    if not isinstance(result, ComparisonResult):
        from ._regression_render import regression_html

        return regression_html(result)
    summary = result.summary()
    cols = _columns(result)
    rec = result.recommendation
    esc = html.escape
    head = "".join(f"<th>{esc(_LABELS[c])}</th>" for c in cols)
    rows = []
    for name in result.strategies:
        cls = ' class="best"' if name == rec["strategy"] else ""
        cells = "".join(f"<td>{esc(_cell(summary[name][c], c))}</td>" for c in cols)
        rows.append(f"<tr{cls}><td>{esc(name)}</td>{cells}</tr>")
    plots = "".join(
        f"<figure{_WIDE if wide else ''}>{svg}<figcaption>{esc(caption)}</figcaption></figure>"
        for caption, svg, wide in _figures(result)
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Imbalance strategies: {esc(result.dataset["name"])}</title>
<style>{_CSS}</style></head>
<body>
<h1>Imbalance strategies compared on {esc(result.dataset["name"])}</h1>
<p>{esc(_dataset_line(result))}.</p>
<p class="rec"><strong>Recommended: {esc(rec["strategy"])}</strong> — {esc(rec["reason"])}</p>
<h2>Strategies</h2>
<table><thead><tr><th>strategy</th>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>
<p class="muted">Model: {esc(result.settings["model"])}; {result.settings["cv"]}-fold stratified
cross-validation (seed {esc(str(result.settings["random_state"]))}); samplers and weights act on
training folds only. Ranked by {esc(_LABELS[result.metric])}; thresholds are 0.5 unless tuned.</p>
<h2>Plots</h2>
<div class="plots">{plots}</div>
{_confusion_tables(result)}
</body></html>
"""
