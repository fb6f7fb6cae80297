"""Render history series to PNG with matplotlib's non-interactive backend."""
from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from hypersweep.records import Metric
from hypersweep.viz.history import HistorySeries


def plot_history(
    series: Mapping[str, HistorySeries],
    metric: Metric,
    path: str | Path,
    *,
    title: str | None = None,
) -> Path:
    """Draw each sweep's trial values (dots; pruned ones as hollow marks at their last report)
    and best-so-far (step line) into one PNG; a sweep without any value says so in the plot.

    ``series`` maps a label (the sweep name) to its data; several labels overlay sweeps.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 4.5), dpi=120)
    empty = [label for label, data in series.items() if not data.has_values]
    for index, (label, data) in enumerate(series.items()):
        color = f"C{index % 10}"
        if not data.has_values:
            continue
        ax.scatter(data.ids, data.values, s=14, alpha=0.45, color=color, label=f"{label}: trials")
        if data.pruned_ids:
            ax.scatter(data.pruned_ids, data.pruned_values, s=18, facecolors="none", edgecolors=color, alpha=0.7,
                       label=f"{label}: pruned (last report)")
        if data.best_ids:
            ax.step(data.best_ids, data.best, where="post", color=color, linewidth=2, label=f"{label}: best so far")
        if data.failed_ids:
            ax.plot(data.failed_ids, [_bottom(data)] * len(data.failed_ids), "x", color=color, alpha=0.7,
                    label=f"{label}: failed")
    if empty:
        ax.text(0.5, 0.5, "\n".join(f"{label}: no completed trial" for label in empty), transform=ax.transAxes,
                ha="center", va="center")
    ax.set_xlabel("trial")
    ax.set_ylabel(f"{metric.name} ({metric.direction.value})")
    ax.set_title(title or "Optimization history")
    ax.grid(alpha=0.3)
    if ax.get_legend_handles_labels()[0]:
        ax.legend(loc="best", fontsize=8)
    fig.tight_layout()
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out)
    plt.close(fig)
    return out


def _bottom(data: HistorySeries) -> float:
    return min(data.values + data.pruned_values)
