"""The picture of a multi-objective sweep: its Pareto front and its hypervolume over trials."""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from hypersweep.best import front_reference, hypervolume_history, pareto_front
from hypersweep.records import Objectives, Trial, TrialState


def plot_pareto(trials: Sequence[Trial], objectives: Objectives, path: str | Path, *, title: str | None = None) -> Path:
    """Left: every completed trial on the first two metrics (infeasible ones as crosses), the
    front highlighted; right: the hypervolume of the feasible front after each trial (from
    each metric's ``reference``, else the worst value seen plus a tenth of the range)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    metrics = objectives.metrics
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.5), dpi=120)
    completed = [t for t in trials if t.state is TrialState.COMPLETED and all(m.name in t.metrics for m in metrics[:2])]
    front = pareto_front(trials, objectives)
    if len(metrics) >= 2 and completed:
        x_name, y_name = metrics[0].name, metrics[1].name
        feasible = [t for t in completed if t.feasible is not False]
        infeasible = [t for t in completed if t.feasible is False]
        left.scatter([t.metrics[x_name] for t in feasible], [t.metrics[y_name] for t in feasible], s=14, alpha=0.45,
                     color="C0", label="feasible trials")
        if infeasible:
            left.scatter([t.metrics[x_name] for t in infeasible], [t.metrics[y_name] for t in infeasible], s=18,
                         marker="x", color="C3", alpha=0.7, label="infeasible trials")
        ordered = sorted(front, key=lambda t: t.metrics[x_name])
        left.plot([t.metrics[x_name] for t in ordered], [t.metrics[y_name] for t in ordered], "o-", color="C1",
                  label=f"Pareto front ({len(front)})")
        left.set_xlabel(f"{x_name} ({metrics[0].direction.value})")
        left.set_ylabel(f"{y_name} ({metrics[1].direction.value})")
        left.legend(loc="best", fontsize=8)
    else:
        left.text(0.5, 0.5, "no completed trial with two metrics", transform=left.transAxes, ha="center", va="center")
    reference = front_reference(trials, objectives)
    if reference is not None:
        history = hypervolume_history(trials, objectives, reference)
        right.step([i for i, _ in history], [v for _, v in history], where="post", color="C2")
        right.set_ylabel("hypervolume of the feasible front")
    right.set_xlabel("trial")
    for ax in (left, right):
        ax.grid(alpha=0.3)
    fig.suptitle(title or "Pareto front and hypervolume")
    fig.tight_layout()
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out)
    plt.close(fig)
    return out


def front_table(trials: Sequence[Trial], objectives: Objectives) -> tuple[list[Trial], float | None]:
    """The front (by the first metric) and its hypervolume from ``front_reference`` (None: no result)."""
    front = sorted(pareto_front(trials, objectives), key=lambda t: (t.metrics[objectives.metrics[0].name], t.id))
    reference = front_reference(trials, objectives)
    if reference is None:
        return front, None
    history = hypervolume_history(trials, objectives, reference)
    return front, history[-1][1] if history else 0.0
