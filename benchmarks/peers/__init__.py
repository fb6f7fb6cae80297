"""Optimizers the harness can run: hypersweep algorithms and peers, behind one interface.

Peers by name (each imports its library lazily, so hypersweep works without them):

- ``random``: independent random search from ``Space.sample`` (the baseline);
- ``optuna-tpe``: Optuna ``TPESampler()`` with defaults;
- ``optuna-tpe-mv``: Optuna ``TPESampler(multivariate=True)``;
- ``optuna-gp``: Optuna ``GPSampler()`` (needs torch);
- ``optuna-tpe@sqlite``, ...: the same on a fresh SQLite file per run (for overhead studies);
- ``hyperopt-tpe``: Hyperopt's TPE with defaults;
- ``smac3``: SMAC3's HPO facade with defaults;
- ``ax``: Ax's ``Client`` with its default generation strategy (Sobol, then BoTorch);
- ``hebo``: HEBO with its defaults.

``pip install -r benchmarks/requirements-peers.txt`` installs every one of them but HEBO, which
pins an old numpy (``benchmarks/requirements-hebo.txt`` says how to add it).

hypersweep algorithms are named ``hypersweep:<registered name>`` (``@sqlite`` for SQLite;
``bo:target_transform=standardize`` runs ``bo`` with that option, for ablations).
New peers plug in with :func:`register_peer`.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from benchmarks.peers.ax_peer import AxClient
from benchmarks.peers.base import Optimizer, Trace, ask_tell_loop
from benchmarks.peers.hebo_peer import HEBOOptimizer
from benchmarks.peers.hyperopt_peer import HyperoptTPE
from benchmarks.peers.hypersweep_peer import HypersweepOptimizer
from benchmarks.peers.optuna_peer import (
    OptunaOptimizer,
    SamplerFactory,
    gp,
    tpe,
    tpe_multivariate,
)
from benchmarks.peers.random_search import RandomSearch
from benchmarks.peers.smac_peer import SMAC3HPO

_PEERS: dict[str, Callable[[], Optimizer]] = {}
DEFAULT_PEERS = ("random", "optuna-tpe")


def register_peer(name: str, factory: Callable[[], Optimizer]) -> None:
    """Make ``factory()`` available as peer ``name``."""
    _PEERS[name] = factory


def _optuna(label: str, sampler: SamplerFactory, storage: str, extra: tuple[str, ...] = ()) -> Callable[[], Optimizer]:
    suffix = "" if storage == "memory" else f"@{storage}"
    return lambda: OptunaOptimizer(f"{label}{suffix}", sampler, storage=storage, extra_requires=extra)


register_peer("random", RandomSearch)
register_peer("hyperopt-tpe", HyperoptTPE)
register_peer("smac3", SMAC3HPO)
register_peer("ax", AxClient)
register_peer("hebo", HEBOOptimizer)
for _storage in ("memory", "sqlite"):
    _sfx = "" if _storage == "memory" else f"@{_storage}"
    register_peer(f"optuna-tpe{_sfx}", _optuna("optuna:tpe", tpe, _storage))
    register_peer(f"optuna-tpe-mv{_sfx}", _optuna("optuna:tpe-mv", tpe_multivariate, _storage))
    register_peer(f"optuna-gp{_sfx}", _optuna("optuna:gp", gp, _storage, ("torch",)))


def peer_names() -> list[str]:
    """Registered peer names."""
    return list(_PEERS)


def make_peer(name: str) -> Optimizer:
    """The peer called ``name``.

    Raises:
        ValueError: naming the unknown peer and the known ones.
    """
    if name not in _PEERS:
        raise ValueError(f"--peers: unknown peer {name!r}; choose from {', '.join(_PEERS)}")
    return _PEERS[name]()


def parse_algorithm_spec(spec: str) -> tuple[str, str, dict[str, Any]]:
    """``NAME[@STORAGE][:KEY=VALUE]...`` -> ``(name, storage, options)``.

    Options are top-level algorithm options; a value reads as JSON when it can (numbers,
    true/false), else as a string: ``bo:target_transform=standardize:n_initial_trials=5``
    (``,`` already separates algorithms on the command line).

    Raises:
        ValueError: naming the spec and the part that is not ``KEY=VALUE``.
    """
    head, _, tail = spec.partition(":")
    name, _, storage = head.partition("@")
    options: dict[str, Any] = {}
    for part in filter(None, tail.split(":")):
        key, eq, raw = part.partition("=")
        if not eq or not key.strip():
            raise ValueError(f"--algorithms: {spec!r}: expected KEY=VALUE after ':', got {part!r}")
        try:
            options[key.strip()] = json.loads(raw)
        except json.JSONDecodeError:
            options[key.strip()] = raw.strip()
    return name, storage or "memory", options


def make_algorithm(spec: str) -> HypersweepOptimizer:
    """A hypersweep algorithm from ``name``, ``name@sqlite`` and/or ``name:key=value:...``
    (checked against the registry at run time); options show in the label."""
    name, storage, options = parse_algorithm_spec(spec)
    suffix = "" if storage == "memory" else f"@{storage}"
    tail = spec.partition(":")[2]
    label = f"hypersweep:{name}{suffix}" + (f":{tail}" if options else "")
    return HypersweepOptimizer(name, options=options, storage=storage, label=label)


def hypersweep_algorithms() -> list[str]:
    """Registered hypersweep algorithm names ([] when the algorithm registry cannot load)."""
    try:
        from hypersweep.algorithms import available
    except ImportError:
        return []
    return available()


__all__ = [
    "DEFAULT_PEERS",
    "AxClient",
    "HEBOOptimizer",
    "SMAC3HPO",
    "HyperoptTPE",
    "HypersweepOptimizer",
    "Optimizer",
    "OptunaOptimizer",
    "RandomSearch",
    "Trace",
    "ask_tell_loop",
    "hypersweep_algorithms",
    "make_algorithm",
    "make_peer",
    "parse_algorithm_spec",
    "peer_names",
    "register_peer",
]
