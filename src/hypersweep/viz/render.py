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
    """Draw each sweep's trial values (dots) and best-so-far (step line) into one PNG.

    ``series`` maps a label (the sweep name) to its data; several labels overlay sweeps.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 4.5), dpi=120)
    for index, (label, data) in enumerate(series.items()):
        color = f"C{index % 10}"
        ax.scatter(data.ids, data.values, s=14, alpha=0.45, color=color, label=f"{label}: trials")
        ax.step(data.ids, data.best, where="post", color=color, linewidth=2, label=f"{label}: best so far")
        if data.failed_ids:
            ax.plot(
                data.failed_ids,
                [_bottom(data)] * len(data.failed_ids),
                "x",
                color=color,
                alpha=0.7,
                label=f"{label}: failed",
            )
    ax.set_xlabel("trial")
    ax.set_ylabel(f"{metric.name} ({metric.direction.value})")
    ax.set_title(title or "Optimization history")
    ax.grid(alpha=0.3)
    ax.legend(loc="best", fontsize=8)
    fig.tight_layout()
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out)
    plt.close(fig)
    return out


def _bottom(data: HistorySeries) -> float:
    return min(data.values) if data.values else 0.0
