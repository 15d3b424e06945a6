"""What a regression report draws: the target's histogram with its relevance, errors by
region, predictions against the truth (data here, matplotlib figures as inline SVG)."""

from __future__ import annotations

import io
import math
import warnings
from typing import TYPE_CHECKING, Any

import numpy as np

from .._typing import FloatArray
from ..regression import RelevanceWarning, relevance

if TYPE_CHECKING:
    from ._regression_result import RegressionComparisonResult

__all__ = ["plot_data", "regression_figures"]

_REGIONS = (
    ("few_mae", "few-shot"),
    ("medium_mae", "medium-shot"),
    ("many_mae", "many-shot"),
    ("mae", "all rows"),
)
_RARE = 0.5  # the samplers' default threshold: rows this relevant are "rare"


def plot_data(y: FloatArray, points: FloatArray) -> dict[str, Any]:
    """Histogram of ``y`` and the relevance curve of ``points`` over its range; ``rare_mask``
    (phi of each row >= 0.5) for the caller, not for the report."""
    n_bins = int(min(50, max(10, round(math.sqrt(y.size)))))
    counts, edges = np.histogram(y, bins=n_bins)
    x = np.linspace(float(y.min()), float(y.max()), 200)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RelevanceWarning)  # said once, by the samplers' notes
        phi_x = relevance(x, control_points=points)
        phi_y = relevance(y, control_points=points)
    rare = phi_y >= _RARE
    return {
        "target": {
            "edges": edges.tolist(),
            "counts": counts.tolist(),
            "phi_x": x.tolist(),
            "phi_y": phi_x.tolist(),
            "control_points": np.asarray(points).tolist(),
            "n_rare": int(rare.sum()),
        },
        "rare_mask": rare,
    }


def _svg(fig: Any) -> str:
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    text = buffer.getvalue()
    return text[text.index("<svg") :]


def regression_figures(result: RegressionComparisonResult) -> list[tuple[str, str, bool]]:
    """(caption, inline SVG, full width) for each plot of a regression report."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    figures = []
    for draw in (_target_figure, _region_figure, _prediction_figure):
        fig, caption, wide = draw(result, plt)
        figures.append((caption, _svg(fig), wide))
        plt.close(fig)
    return figures


def _target_figure(result: RegressionComparisonResult, plt: Any) -> tuple[Any, str, bool]:
    target = result.plots["target"]
    edges, counts = np.asarray(target["edges"]), np.asarray(target["counts"])
    fig, ax = plt.subplots(figsize=(5.5, 3.4))
    ax.bar(edges[:-1], counts, width=np.diff(edges), align="edge", color="#90a4ae")
    ax.set(xlabel="target", ylabel="rows", title="Target and its relevance")
    twin = ax.twinx()
    twin.plot(target["phi_x"], target["phi_y"], color="#c62828", lw=1.5)
    twin.axhline(_RARE, color="#c62828", ls=":", lw=0.8)
    twin.set_ylim(-0.02, 1.05)
    twin.set_ylabel("relevance phi", color="#c62828")
    caption = (
        f"Histogram of the target (all {result.dataset['n_samples']} rows) and the relevance "
        f"phi (red; {result.dataset['target']['n_rare']} rows have phi >= 0.5, the rare ones)."
    )
    return fig, caption, False


def _region_figure(result: RegressionComparisonResult, plt: Any) -> tuple[Any, str, bool]:
    summary = result.summary()
    fig, ax = plt.subplots(figsize=(6.5, 3.4))
    width = 0.8 / max(len(result.strategies), 1)
    x = np.arange(len(_REGIONS))
    for i, name in enumerate(result.strategies):
        means = [summary[name][key]["mean"] for key, _ in _REGIONS]
        stds = [summary[name][key]["std"] for key, _ in _REGIONS]
        ax.bar(
            x + i * width,
            means,
            width,
            yerr=stds,
            label=name,
            capsize=2,
            error_kw={"elinewidth": 0.8},
        )
    ax.set_xticks(x + 0.4 - width / 2, [label for _, label in _REGIONS])
    ax.set(ylabel="MAE", title="Error by region (mean ± sd over folds)")
    ax.legend(fontsize=7, ncol=2)
    caption = (
        "Mean absolute error in each shot region of the training target (10 equal-width bins: "
        "few-shot bins hold under 2 % of the training rows, many-shot over 10 %)."
    )
    return fig, caption, False


def _prediction_figure(result: RegressionComparisonResult, plt: Any) -> tuple[Any, str, bool]:
    data = result.plots["predictions"]
    truth = np.asarray(data["y_true"], dtype=np.float64)
    n = len(result.strategies)
    cols = min(n, 4)
    rows = (n + cols - 1) // cols
    fig, axes = plt.subplots(
        rows, cols, figsize=(3 * cols, 2.8 * rows), sharex=True, sharey=True, squeeze=False
    )
    low, high = float(truth.min()), float(truth.max())
    rare = np.asarray(data["rare"], dtype=bool)
    for ax, name in zip(axes.ravel(), result.strategies, strict=False):
        pred = np.asarray(data["pred"][name], dtype=np.float64)
        ax.plot([low, high], [low, high], color="#999", ls="--", lw=0.8)
        ax.scatter(truth[~rare], pred[~rare], s=4, alpha=0.5, color="#546e7a", rasterized=True)
        ax.scatter(truth[rare], pred[rare], s=5, alpha=0.7, color="#c62828", rasterized=True)
        ax.set_title(name, fontsize=9)
        ax.xaxis.set_tick_params(labelbottom=True)
    for ax in axes.ravel()[n:]:
        ax.set_visible(False)
    fig.supxlabel("true value")
    fig.supylabel("out-of-fold prediction")
    caption = (
        f"Out-of-fold predictions against the truth ({len(truth)} rows: the rare ones in red, "
        "the others evenly spaced over the target); on the diagonal, predictions are right."
    )
    return fig, caption, True
