"""An HPO-B method module for hypersweep's generative optimizer (HPO-B's documented layout).

HPO-B calls ``observe_and_suggest(X_obs, y_obs, X_pen=None)``: with ``X_pen`` (discrete protocol)
the answer is an index into ``X_pen``; without it (continuous protocol) a ``(1, d)`` point in
``[0, 1]^d``. This class forwards the call to :class:`hypersweep.hpob.HPOBMethod`, which runs the
registered ``generative`` algorithm on the unit hypercube with a meta-trained checkpoint
(``hypersweep meta-train --data meta-train-dataset.json --search-space ID --out CKPT``).
"""
from __future__ import annotations

from typing import Any

from hypersweep.hpob import HPOBMethod


class GenerativeOptimizer:
    """HPO-B method: the generative optimizer with ``checkpoint``, seeded by ``seed``."""

    def __init__(self, checkpoint: str, seed: int = 0, **options: Any) -> None:
        self.method = HPOBMethod("generative", seed=seed, checkpoint=checkpoint, **options)

    def observe_and_suggest(self, X_obs: Any, y_obs: Any, X_pen: Any = None) -> Any:
        return self.method.observe_and_suggest(X_obs, y_obs, X_pen)
