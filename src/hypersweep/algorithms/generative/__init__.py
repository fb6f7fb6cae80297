"""``generative``: a meta-learned, history-conditioned generative optimizer (PyTorch, lazily imported).

A Transformer encodes the sweep's history; a conditional VAE proposes points likely to improve
on its best (``I = 1``) and an improvement scorer, conditioned on the same history, picks the
most promising among many proposals (decoder samples, uniform draws, perturbations of the best
points). The network is meta-trained across many tasks of the same search space
(``hypersweep meta-train``; see :mod:`hypersweep.algorithms.generative.training`) and loaded
from a ``checkpoint``; ``finetune_steps`` optionally adapts a copy to the current history at
every suggestion.

The meta-learned prior finds good regions within a few trials but cannot refine them: once
``gp_after`` trials are complete, a Gaussian process fitted on the current sweep scores the
network's proposals (and the points ``bo``'s acquisition search finds) by expected improvement,
with the network's score as a decaying piBO prior (:mod:`hypersweep.algorithms.generative.task_gp`).
Points live on the space's unit-hypercube encoding (``Space.to_unit``), so
the checkpoint's ``d`` must equal ``space.n_columns``.

``from_sweeps`` (instead of ``checkpoint``) names finished sweeps of the same store: the sweep
meta-trains on them once, when it is created, and stores the checkpoint's path with its options
(:mod:`hypersweep.algorithms.generative.sweeps`).

Without a checkpoint (documented fallback) the algorithm is ``random`` search: it asks a
:class:`~hypersweep.algorithms.random.RandomSearch` with the same seed and history, so it
suggests exactly what ``random`` would, never imports torch, and warns (``UserWarning``, also
logged) at its first suggestion: an untrained network proposes nothing useful, and training it
on the current sweep alone is the published per-task scheme that lost to random search. Setting
``finetune_steps > 0`` without a checkpoint opts into exactly that scheme (an untrained network
trained on the history at every suggestion), for experiments. Meta-train a checkpoint for real
use. The first ``n_initial`` suggestions are random draws in every case.

Determinism: every suggestion draws from ``self.rng(k)`` (``k`` trials seen) and seeds torch
from it, so a fresh instance told the history continues exactly; other seeds differ.
"""
from __future__ import annotations

import logging
import math
import os
import warnings
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from hypersweep.algorithms import register
from hypersweep.algorithms.base import Algorithm
from hypersweep.algorithms.creation import CreationContext
from hypersweep.algorithms.generative.sweeps import FROM_SWEEPS_RULE, parse_from_sweeps, resolve_from_sweeps
from hypersweep.algorithms.generative.task_gp import TaskGP, combined, prior_beta
from hypersweep.algorithms.gp.geometry import Geometry
from hypersweep.algorithms.history import Key, params_key
from hypersweep.algorithms.random import RandomSearch
from hypersweep.exceptions import AlgorithmError
from hypersweep.options import OptionSet, OptionValueError, custom, flag, integer, number
from hypersweep.records import Direction, Params, Trial, TrialState
from hypersweep.space import Space

logger = logging.getLogger(__name__)

_HOW_TO_TRAIN = ("meta-train one with 'hypersweep meta-train --data FILE --search-space NAME --out model.pt' "
                 "and set the option checkpoint: model.pt")
_TORCH_HINT = "pip install 'hypersweep[generative]' (torch >= 2.4; the CPU build is enough)"


@contextmanager
def _one_thread() -> Iterator[Any]:
    """torch with one intra-op thread (tiny networks run faster so); restores the setting."""
    try:
        import torch
    except ImportError:  # pragma: no cover - depends on the environment
        raise AlgorithmError(f"generative: needs PyTorch; {_TORCH_HINT}") from None
    from hypersweep.algorithms.generative.model import math_attention

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        with math_attention():
            yield torch
    finally:
        torch.set_num_threads(before)


_CHECKPOINT_RULE = "must be a file written by 'hypersweep meta-train'"


def _checkpoint(value: Any, field: str) -> str:
    """A path to a file written by ``hypersweep meta-train``."""
    if not isinstance(value, (str, os.PathLike)) or not Path(value).is_file():
        raise OptionValueError(_CHECKPOINT_RULE)
    return str(value)


@register
class GenerativeSearch(Algorithm):
    """Meta-learned generative optimizer (see the module docstring).

    Args:
        space: any search space (encoded to ``[0, 1]^d``, ``d = space.n_columns``).
        checkpoint: path written by ``hypersweep meta-train``; None: random search (see above).
        from_sweeps: names of finished sweeps of the same store and space to meta-train on when
            the sweep is created (not with ``checkpoint``); stored resolved as
            ``{"sweeps": [...], "checkpoint": path}``.
        meta_train_steps: training steps of ``from_sweeps``.
        n_candidates: proposals drawn from the decoder per suggestion (as many again come from
            uniform draws and perturbations of the best points).
        n_initial: random suggestions before the model is used (at least 1).
        finetune_steps: online fine-tuning steps on the history per suggestion (default 0).
        gp_after: completed trials from which a GP on the current sweep scores candidates by
            expected improvement, times the network's prior (at least 2; a value above the
            sweep's length keeps the network alone in charge).
        prior_weight: piBO weight of the network's prior once the GP scores: the prior's
            exponent is ``prior_weight * gp_after / n`` after ``n`` trials (0: EI alone).
        decoder: False replaces the decoder's proposals by as many perturbations of the best
            points and uniform draws (the ablation that shows what the decoder adds).

    ``sources`` lists where each suggestion came from, in order: ``"decoder"``, ``"perturbed"``,
    ``"uniform"``, ``"gp-search"`` (``bo``'s acquisition search) or ``"random"`` (before the model).

    Example:
        >>> import hypersweep.space as sp
        >>> algo = GenerativeSearch(sp.Space({"x": sp.uniform(0, 1)}), seed=0)
        >>> len(algo.ask(2))
        2
    """

    name: ClassVar[str] = "generative"
    OPTIONS: ClassVar[OptionSet] = OptionSet(
        "generative",
        custom("checkpoint", None, _checkpoint, rule=f"{_CHECKPOINT_RULE} or null", optional=True),
        custom("from_sweeps", None, parse_from_sweeps, rule=FROM_SWEEPS_RULE, optional=True),
        integer("meta_train_steps", 2000, minimum=1),
        integer("n_candidates", 512, minimum=1),
        integer("n_initial", 5, minimum=1),
        integer("finetune_steps", 0, minimum=0),
        integer("gp_after", 10, minimum=2),
        number("prior_weight", 0.3, minimum=0.0),
        flag("decoder", True),
    )

    def __init__(
        self,
        space: Space,
        *,
        direction: Direction | str = Direction.MINIMIZE,
        seed: int = 0,
        **options: Any,
    ) -> None:
        super().__init__(space, direction=direction, seed=seed, **options)
        self.from_sweeps: list[str] | dict[str, Any] | None = self.options["from_sweeps"]
        if self.from_sweeps is not None and self.options["checkpoint"] is not None:
            raise AlgorithmError(
                "generative.from_sweeps: give from_sweeps or checkpoint, not both; from_sweeps meta-trains "
                "the sweep's own checkpoint when the sweep is created"
            )
        self.checkpoint: str | None = (
            self.from_sweeps["checkpoint"] if isinstance(self.from_sweeps, Mapping) else self.options["checkpoint"]
        )
        self.n_candidates: int = self.options["n_candidates"]
        self.n_initial: int = self.options["n_initial"]
        self.finetune_steps: int = self.options["finetune_steps"]
        self.gp_after: int = self.options["gp_after"]
        self.prior_weight: float = self.options["prior_weight"]
        self.decoder: bool = self.options["decoder"]
        self.sources: list[str] = []
        self._base: Any = None
        self._geometry: Geometry | None = None
        self._warned = False
        #: without a model the suggestions are random search's, from the same seed and history
        self._fallback = None if self._uses_model else RandomSearch(space, direction=direction, seed=seed)

    @property
    def budget(self) -> int | None:
        """None; without a model, random search's (the grid size on a discrete space)."""
        return None if self._fallback is None else self._fallback.budget

    def _on_tell(self, new: list[Trial]) -> None:
        if self._fallback is not None:
            self._fallback.tell(new)

    def resolve_options(self, given: Mapping[str, Any], context: CreationContext) -> dict[str, Any]:
        """With ``from_sweeps``: meta-train when the sweep is created (the stored sweep's
        checkpoint when continued) and run with that checkpoint; the options to store."""
        if not isinstance(self.from_sweeps, list):
            return dict(given)
        resolved = resolve_from_sweeps(self.from_sweeps, self.space, self.seed, self.options["meta_train_steps"], context)
        if isinstance(resolved, Mapping):
            self.from_sweeps = self.options["from_sweeps"] = parse_from_sweeps(resolved, "generative.from_sweeps")
            self.checkpoint, self._fallback, self._base = resolved["checkpoint"], None, None
        return {**given, "from_sweeps": resolved}

    def _warn_without_checkpoint(self) -> None:
        """Warn once per instance when no meta-trained checkpoint is set (a warning and a log line);
        refuse ``from_sweeps`` not yet trained (an algorithm made outside a sweep)."""
        if isinstance(self.from_sweeps, list):
            raise AlgorithmError(
                "generative.from_sweeps: only a sweep with a store meta-trains on its sweeps (when it is created); "
                "alone, meta-train with 'hypersweep meta-train --from-sweeps' and set checkpoint"
            )
        if self.checkpoint is not None or self._warned:
            return
        self._warned = True
        what = ("fine-tunes an untrained network on this sweep alone (experimental)" if self.finetune_steps
                else "suggests what random search would")
        message = f"generative: no checkpoint, so it {what}; {_HOW_TO_TRAIN}"
        logger.warning(message)
        warnings.warn(message, UserWarning, stacklevel=4)

    @property
    def _uses_model(self) -> bool:
        return self.checkpoint is not None or self.finetune_steps > 0

    # -- history ------------------------------------------------------------------------------
    def _observed(self) -> tuple[np.ndarray, np.ndarray]:
        """Completed trials as unit points ``(n, d)`` and responses ``(n,)`` to maximize."""
        done = [t for t in self.finished if t.state is TrialState.COMPLETED
                and t.value is not None and math.isfinite(float(t.value))]
        d = self.space.n_columns
        if not done:
            return np.empty((0, d)), np.empty(0)
        X = self.space.to_unit_many([t.params for t in done])
        y = np.array([float(t.value) for t in done])  # type: ignore[arg-type]
        return X, (y if self.direction is Direction.MAXIMIZE else -y)

    def _model(self, torch: Any, X: np.ndarray, y: np.ndarray, seed: int) -> Any:
        from hypersweep.algorithms.generative import training
        from hypersweep.algorithms.generative.model import GenerativeModel, ModelConfig

        if self._base is None:
            if self.checkpoint is None:
                torch.manual_seed(self.seed)
                self._base = GenerativeModel(ModelConfig(d=self.space.n_columns)).eval()
            else:
                self._base = training.load_checkpoint(self.checkpoint)
            if self._base.config.d != self.space.n_columns:
                raise AlgorithmError(
                    f"generative.checkpoint: trained for d={self._base.config.d} unit columns but the space has "
                    f"{self.space.n_columns}; meta-train on this search space's encoding"
                )
        if self.finetune_steps and X.shape[0] >= 3:
            return training.finetune(self._base, X, y, steps=self.finetune_steps, seed=seed)
        return self._base

    def scores(self, candidates: np.ndarray, seed: int = 0) -> np.ndarray:
        """Improvement logits of unit points ``(m, d)`` given the history told so far, ``(m,)``."""
        X, y = self._observed()
        with _one_thread() as torch:
            model = self._model(torch, X, y, seed)
            return self._score(torch, model, X, y, candidates)

    @staticmethod
    def _context(torch: Any, model: Any, X: np.ndarray, y: np.ndarray) -> tuple[Any, Any, Any]:
        from hypersweep.algorithms.generative.model import history_features

        Xt = torch.as_tensor(X, dtype=torch.float32).unsqueeze(0)
        yt = torch.as_tensor(y, dtype=torch.float32).unsqueeze(0)
        mask = torch.ones_like(yt, dtype=torch.bool)
        tokens, pooled = model.encode_history(Xt, history_features(yt, mask), mask)
        return tokens, pooled, mask

    def _score(self, torch: Any, model: Any, X: np.ndarray, y: np.ndarray, C: np.ndarray) -> np.ndarray:
        with torch.no_grad():
            tokens, pooled, mask = self._context(torch, model, X, y)
            Q = torch.as_tensor(C, dtype=torch.float32).unsqueeze(0)
            return model.score(Q, tokens, pooled, mask)[0].double().numpy()

    # -- suggestions ----------------------------------------------------------------------------
    def _proposals(
        self, torch: Any, model: Any, X: np.ndarray, y: np.ndarray, rng: np.random.Generator
    ) -> tuple[np.ndarray, list[str]]:
        """Candidates (decoder samples, perturbed best points, uniform draws) and their sources."""
        gen = torch.Generator().manual_seed(int(rng.integers(2**62)))
        d, m = X.shape[1], self.n_candidates
        with torch.no_grad():
            _, pooled, _ = self._context(torch, model, X, y)
            z = torch.randn((1, m, model.config.latent), generator=gen)
            decoded = model.decode(z, torch.ones((1, m)), pooled)[0].double().numpy()
        best = X[np.argsort(-y, kind="stable")[: min(5, len(y))]]
        n_local = m // 2 if self.decoder else m // 2 + m // 2
        n_uniform = m - m // 2 if self.decoder else 2 * m - n_local
        local = best[rng.integers(len(best), size=n_local)] + rng.normal(0.0, 0.05, size=(n_local, d))
        uniform = rng.random((n_uniform, d))
        parts = [decoded, local, uniform] if self.decoder else [local, uniform]
        sources = (["decoder"] * m if self.decoder else []) + ["perturbed"] * n_local + ["uniform"] * n_uniform
        return np.clip(np.vstack(parts), 0.0, 1.0), sources

    def _ask(self, n: int, waiting: list[Trial], n_seen: int) -> list[Params]:
        """Up to ``n`` suggestions, distinct from each other and from ``waiting``."""
        self._warn_without_checkpoint()
        if self._fallback is not None:
            drawn = self._fallback.ask(n, pending=waiting)
            self.sources += ["random"] * len(drawn)
            return drawn
        names = self.space.names
        rng = self.rng(n_seen)
        hard: set[Key] = {params_key(t.params, names) for t in waiting}
        soft: set[Key] = {params_key(t.params, names) for t in self._finished.values()}
        X, y = self._observed()
        out: list[Params] = []
        if self._uses_model and len(y) >= self.n_initial and np.ptp(y) > 0:
            with _one_thread() as torch:
                model = self._model(torch, X, y, int(rng.integers(2**31)))
                C, sources = self._proposals(torch, model, X, y, rng)
                C = self._geometry_().snap(C)
                logits = self._score(torch, model, X, y, C)
                if len(y) >= self.gp_after:
                    out = self._ask_with_gp(torch, model, X, y, C, sources, logits, n, waiting, rng, hard, soft)
                else:
                    order = np.argsort(-logits, kind="stable")[: max(64, 8 * n)]
                    picked = self._fresh(C[order], n, hard, soft)
                    self.sources += [sources[order[i]] for i, _ in picked]
                    out = [params for _, params in picked]
        extra = self._random(n - len(out), rng, hard, soft)
        self.sources += ["random"] * len(extra)
        return out + extra

    def _geometry_(self) -> Geometry:
        if self._geometry is None:
            self._geometry = Geometry(self.space)
        return self._geometry

    def _fresh(self, C: np.ndarray, n: int, hard: set[Key], soft: set[Key]) -> list[tuple[int, Params]]:
        """The first ``n`` rows of ``C`` (best first) whose params are neither pending nor seen,
        with their row indices."""
        names, out = self.space.names, []
        for row, params in enumerate(self.space.from_unit_many(C)):
            key = params_key(params, names)
            if key not in hard and key not in soft:
                out.append((row, params))
                hard.add(key)
                if len(out) == n:
                    break
        return out

    def _ask_with_gp(
        self, torch: Any, model: Any, X: np.ndarray, y: np.ndarray, C: np.ndarray, sources: list[str],
        logits: np.ndarray, n: int, waiting: Sequence[Trial], rng: np.random.Generator, hard: set[Key],
        soft: set[Key],
    ) -> list[Params]:
        """Proposals and ``bo``'s search points ranked by GP expected improvement x the network's prior."""
        geometry = self._geometry_()
        gp = TaskGP(X, y, rng)
        for trial in waiting:
            gp.believe(self.space.to_unit(trial.params))
        beta = prior_beta(self.prior_weight, self.gp_after, len(y))
        first = combined(gp.log_ei(C), logits, beta)
        starts = C[np.argsort(-first, kind="stable")[:8]]
        S = gp.search(geometry, starts, rng)[:512]
        pool = np.vstack([C, S])
        pool_sources = sources + ["gp-search"] * len(S)
        prior = np.concatenate([logits, self._score(torch, model, X, y, S)])
        out: list[Params] = []
        for _ in range(n):
            order = np.argsort(-combined(gp.log_ei(pool), prior, beta), kind="stable")[:64]
            pick = self._fresh(pool[order], 1, hard, soft)
            if not pick:
                break
            row, params = pick[0]
            out.append(params)
            self.sources.append(pool_sources[order[row]])
            gp.believe(self.space.to_unit(params))
        return out

    def _random(self, n: int, rng: np.random.Generator, hard: set[Key], soft: set[Key]) -> list[Params]:
        """Random draws avoiding ``hard`` keys, and ``soft`` ones while the space allows."""
        names, out = self.space.names, []
        for _ in range(n):
            pick = fallback = None
            for _attempt in range(64):
                params = self.space.sample(rng)
                key = params_key(params, names)
                if key in hard:
                    continue
                if key not in soft:
                    pick = params
                    break
                fallback = fallback or params
            chosen = pick if pick is not None else fallback
            if chosen is None:
                break
            out.append(chosen)
            hard.add(params_key(chosen, names))
        return out

    def choose_among(self, candidates: Sequence[Params]) -> int:
        """HPO-B's discrete protocol: the candidate with the highest improvement score."""
        self._warn_without_checkpoint()
        rng = self.rng(len(self._finished), 1)
        _, y = self._observed()
        if not self._uses_model or len(y) < self.n_initial or np.ptp(y) == 0:
            return int(rng.integers(len(candidates)))
        C = self.space.to_unit_many(list(candidates))
        score = self.scores(C, seed=int(rng.integers(2**31)))
        if len(y) >= self.gp_after:
            X, _ = self._observed()
            gp = TaskGP(X, y, rng)
            score = combined(gp.log_ei(C), score, prior_beta(self.prior_weight, self.gp_after, len(y)))
        return int(np.argmax(score))


__all__ = ["GenerativeSearch"]
