"""`hypersweep meta-train --data META_TRAIN.json --search-space ID --out CKPT`: meta-train ``generative``."""
from __future__ import annotations

import json

import click

from hypersweep.cli.common import one_line_errors


@click.command("meta-train")
@click.option("--data", required=True, type=click.Path(exists=True, dir_okay=False),
              help="HPO-B-format meta-train file (space -> dataset -> {X, y}).")
@click.option("--search-space", "search_space", required=True, help="Search space id in the file.")
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="Checkpoint to write.")
@click.option("--steps", default=2000, show_default=True, type=click.IntRange(1), help="Training steps.")
@click.option("--seed", default=0, show_default=True, type=int, help="Seed of the training.")
@click.option("--time-limit", default=900.0, show_default=True, type=float, help="CPU seconds before stopping early.")
@click.option("--threads", default=1, show_default=True, type=click.IntRange(1), help="torch intra-op threads.")
@one_line_errors
def meta_train_command(data: str, search_space: str, out: str, steps: int, seed: int, time_limit: float,
                       threads: int) -> None:
    """Meta-train the generative optimizer on every task of one search space and save a checkpoint."""
    try:
        import torch
    except ImportError:
        raise click.ClickException("meta-train needs PyTorch: pip install 'hypersweep[generative]'") from None
    from hypersweep.algorithms.generative.training import (
        load_hpob_tasks,
        meta_train,
        save_checkpoint,
    )

    torch.set_num_threads(threads)
    with open(data, "rb") as fh:
        content = json.load(fh)
    try:
        tasks = load_hpob_tasks(content, search_space)
    except KeyError as exc:
        raise click.ClickException(f"--search-space: {exc.args[0]}") from None
    click.echo(f"meta-training on {len(tasks)} tasks of {search_space!r} for up to {steps} steps")
    model, info = meta_train(tasks, steps=steps, seed=seed, time_limit=time_limit)
    info.update({"search_space": search_space, "data": str(data), "seed": seed})
    path = save_checkpoint(model, out, info)
    click.echo(f"wrote {path} ({info['steps']} steps, {info['cpu_seconds']:.0f} CPU s, final bce {info['bce']:.3f})")
