"""The ``smac:`` block of a sweep file: every option, its default and its rule.

Options:
    n_initial_trials: trials from the initial design before the forest is used.
    initial_design: ``sobol`` (scrambled Sobol points) or ``random``.
    n_trees, max_features, min_samples_split, min_samples_leaf, max_depth, bootstrap: the
        forest. Defaults follow SMAC3's HPO facade (all features, split 2, leaf 1), with the
        depth capped to bound the cost of growing and querying trees on long sweeps.
    log_y: model ``log(cost - min cost + delta)`` instead of the cost.
    acquisition_function: ``ei``, or ``log_ei`` (SMAC's EI in cost space for a log model;
        needs ``log_y: true``).
    xi: EI's exploration margin (in model units).
    random_fraction: probability that a suggestion is a uniform random point (SMAC's HPO
        facade interleaves 0.2; by default exploration is left to EI over random candidates).
    n_random_candidates: random points scored per suggestion.
    n_local_starts: local searches per suggestion (from the best trials and the best random
        candidates).
    max_local_steps: moves per local search.
    n_neighbours: Gaussian steps tried per continuous parameter in each local-search move.
    refit_interval: grow new trees every this many completed trials; None: every trial up to
        100 completed trials, then each time their number grows by 10% (110, 121, 133, ...).
    liar: what a pending trial pretends to have scored (constant liar, in model units):
        ``best`` (default), ``mean`` or ``worst`` completed value, or ``believer`` (the forest's
        own mean there); docs/design_notes.md compares them with several workers.
"""
from __future__ import annotations

from hypersweep.options import OptionSet, choice, flag, integer, number

OPTIONS = OptionSet(
    "smac",
    integer("n_initial_trials", 10, minimum=0),
    choice("initial_design", "sobol", ("sobol", "random")),
    integer("n_trees", 10, minimum=1),
    number("max_features", 1.0, minimum=0.0, maximum=1.0, open_low=True),
    integer("min_samples_split", 2, minimum=2),
    integer("min_samples_leaf", 1, minimum=1),
    integer("max_depth", 12, minimum=1, optional=True),
    flag("bootstrap", True),
    flag("log_y", False),
    choice("acquisition_function", "ei", ("ei", "log_ei")),
    number("xi", 0.0, minimum=0.0),
    number("random_fraction", 0.0, minimum=0.0, maximum=1.0, open_high=True),
    integer("n_random_candidates", 500, minimum=1),
    integer("n_local_starts", 10, minimum=1),
    integer("max_local_steps", 8, minimum=0),
    integer("n_neighbours", 2, minimum=1),
    integer("refit_interval", None, minimum=1, optional=True),
    choice("liar", "best", ("believer", "worst", "mean", "best")),
)

__all__ = ["OPTIONS"]
