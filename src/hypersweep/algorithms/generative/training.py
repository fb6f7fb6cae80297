"""Meta-training, online fine-tuning and checkpoints of the generative optimizer (imports torch).

Episodes mimic a sweep in progress: from one task, a *context* of 1..``max_context`` observed
points (half the episodes draw it uniformly, half favour good points, like an optimizer's
trajectory) and ``n_query`` *queries* (half uniform, half favouring good points), each labelled
``I = 1`` when its response beats the best in the context. Responses enter the network only as
ranks and z-scores within the context, so tasks of any scale train together.
"""
from __future__ import annotations

import copy
import logging
import math
import os
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import torch

from hypersweep.algorithms.generative.model import (
    GenerativeModel,
    ModelConfig,
    history_features,
    math_attention,
)

logger = logging.getLogger(__name__)

FORMAT = "hypersweep-generative/1"
Task = tuple[np.ndarray, np.ndarray]  # X (n, d) in [0, 1], y (n,) maximized


def _pick(rng: np.random.Generator, scores: np.ndarray, k: int, bias: float) -> np.ndarray:
    """``k`` distinct indices, favouring high ``scores`` (in [0, 1]) with strength ``bias``."""
    keys = bias * scores + rng.gumbel(size=scores.shape[0])
    return np.argpartition(-keys, k - 1)[:k] if k < scores.shape[0] else np.arange(scores.shape[0])


def sample_episodes(
    tasks: Sequence[Task],
    ranks: Sequence[np.ndarray],
    rng: np.random.Generator,
    *,
    batch: int,
    max_context: int,
    n_query: int,
) -> dict[str, torch.Tensor]:
    """A batch of episodes drawn from ``tasks`` (``ranks``: each task's y ranks in [0, 1])."""
    d = tasks[0][0].shape[1]
    sizes = rng.integers(1, max_context + 1, size=batch)
    n_max = int(sizes.max())
    X = np.zeros((batch, n_max, d), dtype=np.float32)
    y = np.zeros((batch, n_max), dtype=np.float32)
    mask = np.zeros((batch, n_max), dtype=bool)
    Q = np.zeros((batch, n_query, d), dtype=np.float32)
    flag = np.zeros((batch, n_query), dtype=np.float32)
    for b in range(batch):
        t = int(rng.integers(len(tasks)))
        tx, ty = tasks[t]
        n = tx.shape[0]
        k = int(min(sizes[b], n - 1))
        bias = float(rng.uniform(0.0, 8.0)) if rng.random() < 0.5 else 0.0
        ctx = _pick(rng, ranks[t], k, bias)
        rest = np.setdiff1d(np.arange(n), ctx)
        half = n_query // 2
        uniform = rng.choice(rest, size=n_query - half, replace=rest.size < n_query - half)
        good = rest[_pick(rng, ranks[t][rest], min(half, rest.size), float(rng.uniform(2.0, 12.0)))]
        good = rng.choice(good, size=half, replace=good.size < half) if good.size else uniform[:half]
        q = np.concatenate([uniform, good])
        X[b, :k], y[b, :k], mask[b, :k] = tx[ctx], ty[ctx], True
        Q[b], flag[b] = tx[q], (ty[q] > ty[ctx].max()).astype(np.float32)
    Xt, yt, mt = torch.from_numpy(X), torch.from_numpy(y), torch.from_numpy(mask)
    return {"X": Xt, "feats": history_features(yt, mt), "mask": mt,
            "Q": torch.from_numpy(Q), "flag": torch.from_numpy(flag)}


def _ranks(y: np.ndarray) -> np.ndarray:
    order = np.argsort(np.argsort(y, kind="stable"), kind="stable")
    return order / max(1, len(y) - 1)


def train(
    model: GenerativeModel,
    tasks: Sequence[Task],
    *,
    steps: int,
    seed: int,
    batch: int = 64,
    lr: float = 1e-3,
    max_context: int = 60,
    n_query: int = 32,
    time_limit: float | None = None,
    on_step: Callable[[int, float], None] | None = None,
) -> dict[str, Any]:
    """Train ``model`` in place on episodes from ``tasks``; returns a summary of the run.

    ``on_step(done, bce)`` is called after every step (progress displays)."""
    rng = np.random.default_rng(seed)
    torch.manual_seed(int(rng.integers(2**62)))
    ranks = [_ranks(ty) for _, ty in tasks]
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    schedule = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda s: 0.5 * (1 + math.cos(math.pi * s / max(1, steps))))
    start, done, recent = time.process_time(), 0, []
    model.train()
    for step in range(steps):
        episodes = sample_episodes(tasks, ranks, rng, batch=batch, max_context=max_context, n_query=n_query)
        with math_attention():
            loss, parts = model.loss(episodes)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        schedule.step()
        done = step + 1
        recent.append(parts["bce"])
        if on_step is not None:
            on_step(done, float(parts["bce"]))
        if done % 200 == 0:
            logger.info("generative: step %d/%d bce %.4f recon %.4f", done, steps, np.mean(recent[-200:]), parts["recon"])
        if time_limit is not None and time.process_time() - start > time_limit:
            logger.warning("generative: stopped after %d steps (time limit %.0fs)", done, time_limit)
            break
    model.eval()
    return {"steps": done, "cpu_seconds": time.process_time() - start, "bce": float(np.mean(recent[-200:]))}


def finetune(model: GenerativeModel, X: np.ndarray, y: np.ndarray, *, steps: int, seed: int) -> GenerativeModel:
    """A copy of ``model`` trained ``steps`` steps on episodes from one history (the current sweep)."""
    tuned = copy.deepcopy(model)
    n = X.shape[0]
    if steps <= 0 or n < 3:
        return tuned
    train(tuned, [(X.astype(np.float32), y.astype(np.float32))], steps=steps, seed=seed, batch=16,
          lr=5e-4, max_context=n - 1, n_query=8)
    return tuned


def load_hpob_tasks(data: Mapping[str, Any], search_space: str) -> dict[str, Task]:
    """``{dataset: (X, y)}`` of one search space of an HPO-B-format meta-dataset (y maximized)."""
    if search_space not in data:
        raise KeyError(f"search space {search_space!r} is not in the file; it has {', '.join(data)}")
    out = {}
    for name, task in data[search_space].items():
        X = np.asarray(task["X"], dtype=np.float32)
        y = np.asarray(task["y"], dtype=np.float32).reshape(-1)
        if X.shape[0] >= 3 and np.ptp(y) > 0:
            out[name] = (X, y)
    return out


def meta_train(
    tasks: Mapping[str, Task], *, steps: int = 2000, seed: int = 0, time_limit: float | None = 900.0, **kwargs: Any
) -> tuple[GenerativeModel, dict[str, Any]]:
    """Build and meta-train the default model on ``tasks``; returns it and a summary."""
    items = list(tasks.values())
    if not items:
        raise ValueError("meta-train: no usable task (each needs >= 3 rows and varying y)")
    d = int(items[0][0].shape[1])
    torch.manual_seed(seed)
    model = GenerativeModel(ModelConfig(d=d))
    summary = train(model, items, steps=steps, seed=seed, time_limit=time_limit, **kwargs)
    summary.update({"tasks": sorted(tasks), "d": d})
    return model, summary


def save_checkpoint(model: GenerativeModel, path: str | os.PathLike[str], info: Mapping[str, Any] | None = None) -> Path:
    """Write ``model`` (its config and weights) to ``path``."""
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    torch.save({"format": FORMAT, "config": model.config.to_dict(), "state": model.state_dict(),
                "info": dict(info or {})}, out)
    return out


_CACHE: dict[tuple[str, float], tuple[ModelConfig, dict[str, torch.Tensor]]] = {}


def load_checkpoint(path: str | os.PathLike[str]) -> GenerativeModel:
    """The model saved at ``path`` (weights cached per file and modification time)."""
    p = Path(path).resolve()
    key = (str(p), p.stat().st_mtime)
    if key not in _CACHE:
        blob = torch.load(p, map_location="cpu", weights_only=True)
        if not isinstance(blob, dict) or blob.get("format") != FORMAT:
            raise ValueError(f"checkpoint {p}: not a {FORMAT} file")
        _CACHE[key] = (ModelConfig(**blob["config"]), blob["state"])
    config, state = _CACHE[key]
    model = GenerativeModel(config)
    model.load_state_dict(state)
    model.eval()
    return model


__all__ = ["finetune", "load_checkpoint", "load_hpob_tasks", "meta_train", "sample_episodes", "save_checkpoint", "train"]
