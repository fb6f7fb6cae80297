"""`hypersweep meta-train`: meta-train ``generative`` on an HPO-B-format file or on finished sweeps.

* ``--data META_TRAIN.json --search-space ID --out CKPT``: every task of one search space;
* ``--from-sweeps NAME... --storage URL -o CKPT``: each named sweep of the store is one task
  (they must share one search space; see :mod:`hypersweep.algorithms.generative.sweeps`).
"""
from __future__ import annotations

import json
from typing import Any

import click

from hypersweep.cli.common import DEFAULT_STORAGE, one_line_errors, open_store
from hypersweep.exceptions import SpecError
from hypersweep.runner.progress import step_bar


@click.command("meta-train")
@click.argument("names", nargs=-1)
@click.option("--from-sweeps", "from_sweeps", is_flag=True,
              help="Meta-train on the finished sweeps NAME... of --storage (one task each, one shared space).")
@click.option("--storage", default=DEFAULT_STORAGE, show_default=True, envvar="HYPERSWEEP_STORAGE",
              help="Store holding the sweeps of --from-sweeps (SQLite file or SQLAlchemy URL).")
@click.option("--data", type=click.Path(exists=True, dir_okay=False),
              help="HPO-B-format meta-train file (space -> dataset -> {X, y}).")
@click.option("--search-space", "search_space", help="Search space id in the --data file.")
@click.option("--out", "-o", required=True, type=click.Path(dir_okay=False), help="Checkpoint to write.")
@click.option("--steps", default=2000, show_default=True, type=click.IntRange(1), help="Training steps.")
@click.option("--seed", default=0, show_default=True, type=int, help="Seed of the training.")
@click.option("--time-limit", default=900.0, show_default=True, type=float, help="CPU seconds before stopping early.")
@click.option("--threads", default=1, show_default=True, type=click.IntRange(1), help="torch intra-op threads.")
@one_line_errors
def meta_train_command(names: tuple[str, ...], from_sweeps: bool, storage: str, data: str | None,
                       search_space: str | None, out: str, steps: int, seed: int, time_limit: float,
                       threads: int) -> None:
    """Meta-train the generative optimizer on many tasks of one search space and save a checkpoint.

    Use it in a sweep with `algorithm: generative` and the option `checkpoint: CKPT`.
    """
    if from_sweeps == (data is not None):
        raise click.UsageError("give either --from-sweeps NAME... --storage URL or --data FILE --search-space ID")
    if names and not from_sweeps:
        raise click.UsageError(f"unexpected argument {names[0]!r}; sweep names follow --from-sweeps")
    tasks, info = _sweep_tasks(storage, names) if from_sweeps else _file_tasks(str(data), search_space)
    try:
        import torch
    except ImportError:
        raise click.ClickException("meta-train needs PyTorch: pip install 'hypersweep[generative]'") from None
    from hypersweep.algorithms.generative.training import meta_train, save_checkpoint

    torch.set_num_threads(threads)
    click.echo(f"meta-training on {len(tasks)} tasks of {info['search_space']} for up to {steps} steps")
    bar = step_bar(steps, "meta-training")
    try:
        model, summary = meta_train(tasks, steps=steps, seed=seed, time_limit=time_limit,
                                    on_step=lambda done, bce: bar.update(1))
    finally:
        bar.close()
    summary.update(info, seed=seed)
    path = save_checkpoint(model, out, summary)
    click.echo(f"wrote {path} ({summary['steps']} steps, {summary['cpu_seconds']:.0f} CPU s, "
               f"final bce {summary['bce']:.3f})")


def _file_tasks(data: str, search_space: str | None) -> tuple[dict[str, Any], dict[str, Any]]:
    from hypersweep.algorithms.generative.training import load_hpob_tasks

    if not search_space:
        raise click.UsageError("--data needs --search-space ID (a search space id in the file)")
    with open(data, "rb") as fh:
        content = json.load(fh)
    try:
        tasks = load_hpob_tasks(content, search_space)
    except KeyError as exc:
        raise SpecError(f"--search-space: {exc.args[0]}") from None
    return tasks, {"search_space": search_space, "data": data}


def _sweep_tasks(storage: str, names: tuple[str, ...]) -> tuple[dict[str, Any], dict[str, Any]]:
    from hypersweep.algorithms.generative.sweeps import tasks_from_sweeps

    with open_store(storage) as store:
        space, tasks = tasks_from_sweeps(store, names)
    first = next(iter(tasks))
    label = f"the space of sweep {first}" + (f" and {len(tasks) - 1} others" if len(tasks) > 1 else "")
    return tasks, {"search_space": label, "sweeps": list(tasks), "space": space.to_matrix()}
