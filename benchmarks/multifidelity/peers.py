"""Multi-fidelity peers on an epoch-fidelity problem: Optuna pruners, DEHB, SMAC3 Hyperband.

Every adapter runs sequentially until ``budget`` epochs are spent and books each finished trial
in a :class:`~benchmarks.multifidelity.simulate.Ledger`:

- **Optuna** (``optuna-hb``, ``optuna-sh``): ``TPESampler(seed)`` with ``HyperbandPruner`` or
  ``SuccessiveHalvingPruner`` (min resource 1, max 52, reduction factor 3). A trial reports its
  value after each epoch (``trial.report`` / ``should_prune``) and costs the epochs it ran; only
  unpruned trials (trained to the last epoch) count as full-fidelity results.
- **DEHB** (``dehb``, PyPI ``dehb``) and **SMAC3** (``smac-hb``: ``HyperbandFacade``, random
  configurations; ``smac-mf``: ``MultiFidelityFacade``, random forest) through ask / tell, the
  fidelity ``f`` trained as ``ceil(f)`` epochs from scratch (neither continues a lower budget).

All peers are imported lazily; :func:`missing` says what a peer lacks here. The space is the
neutral unit view (:class:`~benchmarks.peers.unit_space.UnitSpace`) for DEHB and
SMAC3, and :class:`~benchmarks.peers.optuna_space.OptunaSpace` for Optuna.
"""
from __future__ import annotations

import importlib.util
import logging
import math
import tempfile
import time
import warnings
from collections.abc import Callable
from typing import Any

from benchmarks.multifidelity.simulate import Ledger
from benchmarks.peers.smac_peer import configspace_of
from benchmarks.peers.unit_space import UnitSpace

#: the modules each peer needs
REQUIRES: dict[str, tuple[str, ...]] = {
    "optuna-hb": ("optuna",),
    "optuna-sh": ("optuna",),
    "dehb": ("dehb", "ConfigSpace"),
    "smac-hb": ("smac", "ConfigSpace"),
    "smac-mf": ("smac", "ConfigSpace"),
}
PEERS = tuple(REQUIRES)
ETA = 3


def missing(name: str) -> list[str]:
    """Modules peer ``name`` needs that are not installed here (empty: it can run)."""
    return [m for m in REQUIRES[name] if importlib.util.find_spec(m) is None]


def run_peer(name: str, problem: Any, seed: int, budget: float, full_epoch: int) -> tuple[Ledger, float]:
    """Run peer ``name`` on ``problem`` until ``budget`` epochs are spent: (ledger, CPU seconds of the peer)."""
    runners: dict[str, Callable[..., tuple[Ledger, float]]] = {
        "optuna-hb": _optuna, "optuna-sh": _optuna, "dehb": _dehb, "smac-hb": _smac, "smac-mf": _smac,
    }
    if name not in runners:
        raise ValueError(f"peer: unknown name {name!r}; choose one of {', '.join(PEERS)}")
    return runners[name](name, problem, seed, budget, full_epoch)


def _optuna(name: str, problem: Any, seed: int, budget: float, full_epoch: int) -> tuple[Ledger, float]:
    import optuna

    from benchmarks.peers.optuna_space import OptunaSpace

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    if name == "optuna-hb":
        pruner: Any = optuna.pruners.HyperbandPruner(min_resource=1, max_resource=full_epoch, reduction_factor=ETA)
    else:
        pruner = optuna.pruners.SuccessiveHalvingPruner(min_resource=1, reduction_factor=ETA)
    mapping = OptunaSpace(problem.space)
    study = optuna.create_study(sampler=optuna.samplers.TPESampler(seed=seed), pruner=pruner)
    ledger, cpu = Ledger(full_epoch), 0.0
    while ledger.spent < budget:
        c0 = time.process_time()
        trial = study.ask(mapping.distributions)
        cpu += time.process_time() - c0
        curve = problem.curve(mapping.decode(trial.params), full_epoch)
        ran = full_epoch
        for epoch in range(1, full_epoch + 1):
            c0 = time.process_time()
            trial.report(float(curve[epoch - 1]), epoch)
            prune = trial.should_prune()
            cpu += time.process_time() - c0
            if prune:
                ran = epoch
                break
        c0 = time.process_time()
        if ran < full_epoch:
            study.tell(trial, state=optuna.trial.TrialState.PRUNED)
        else:
            study.tell(trial, float(curve[-1]))
        cpu += time.process_time() - c0
        ledger.add(ran, ran, float(curve[ran - 1]))
    return ledger, cpu


def _epochs(fidelity: float, full_epoch: int) -> int:
    return min(full_epoch, max(1, math.ceil(float(fidelity) - 1e-9)))


def _dehb(name: str, problem: Any, seed: int, budget: float, full_epoch: int) -> tuple[Ledger, float]:
    from dehb import DEHB
    from loguru import logger

    mapping = UnitSpace(problem.space)
    ledger, cpu = Ledger(full_epoch), 0.0
    logger.remove()  # DEHB logs every step through loguru to stdout
    with tempfile.TemporaryDirectory(prefix="hs-bench-dehb-") as tmp, warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # DEHB 0.1.2 on ConfigSpace 1.x
        opt = DEHB(cs=configspace_of(mapping, seed), min_fidelity=1, max_fidelity=full_epoch, eta=ETA, n_workers=1,
                   seed=seed, output_path=tmp, save_freq="end", log_level="ERROR")
        logger.remove()
        while ledger.spent < budget:
            c0 = time.process_time()
            job = opt.ask()
            cpu += time.process_time() - c0
            epochs = _epochs(job["fidelity"], full_epoch)
            value = problem.evaluate_at(mapping.decode(dict(job["config"])), epochs)
            c0 = time.process_time()
            opt.tell(job, {"fitness": value, "cost": float(epochs)})
            cpu += time.process_time() - c0
            ledger.add(epochs, epochs, value)
    return ledger, cpu


def _smac(name: str, problem: Any, seed: int, budget: float, full_epoch: int) -> tuple[Ledger, float]:
    from smac import HyperbandFacade, MultiFidelityFacade, Scenario
    from smac.runhistory.dataclasses import TrialValue

    facade_cls = HyperbandFacade if name == "smac-hb" else MultiFidelityFacade
    mapping = UnitSpace(problem.space)
    ledger, cpu = Ledger(full_epoch), 0.0
    logging.getLogger("smac").setLevel(logging.ERROR)
    with tempfile.TemporaryDirectory(prefix="hs-bench-smac-") as tmp, warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Loky-backed parallel loops")
        scenario = Scenario(configspace_of(mapping, seed), deterministic=True, n_trials=10**6, min_budget=1,
                            max_budget=full_epoch, seed=seed, output_directory=tmp)
        facade = facade_cls(scenario, lambda config, seed=0, budget=1: 0.0,
                            intensifier=facade_cls.get_intensifier(scenario, eta=ETA),
                            overwrite=True, logging_level=40)
        while ledger.spent < budget:
            c0 = time.process_time()
            info = facade.ask()
            cpu += time.process_time() - c0
            epochs = _epochs(info.budget, full_epoch)
            value = problem.evaluate_at(mapping.decode(dict(info.config)), epochs)
            c0 = time.process_time()
            facade.tell(info, TrialValue(cost=value))
            cpu += time.process_time() - c0
            ledger.add(epochs, epochs, value)
    return ledger, cpu
