"""What every multi-fidelity algorithm shares: options, trial meta, new configurations."""
from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import Any, ClassVar

from hypersweep.algorithms.base import Algorithm
from hypersweep.algorithms.history import Key, check_n, new_pending, params_key
from hypersweep.algorithms.multifidelity.options import DEFAULT_RESOURCE
from hypersweep.algorithms.multifidelity.rungs import Slot, SlotKey, collect_slots
from hypersweep.exceptions import AlgorithmError
from hypersweep.options import OptionSet
from hypersweep.records import Direction, Params, Suggestion, Trial
from hypersweep.space import Space

#: draws tried per new configuration before accepting one already seen (tiny discrete spaces)
_ATTEMPTS = 32


class BudgetedAlgorithm(Algorithm):
    """Base of successive halving, Hyperband, ASHA, BOHB and BOHB-GP.

    Each suggestion carries ``meta`` with ``schedule`` (the subclass's tag), ``budget``, its
    place in the schedule and, for a promoted configuration, ``parent`` (the trial it was
    promoted from), ``parent_budget`` and ``resume``. ``params`` get the budget under
    ``resource.name`` (cast to the resource's type). Trials tagged with ``schedule`` or one of
    ``legacy_schedules`` (tags stored by earlier versions of the same algorithm) are its own.

    Options are keywords checked by the subclass's ``OPTIONS`` (which start with
    :data:`~.options.SHARED_OPTIONS`); subclasses read their own from ``self.options``.
    """

    OPTIONS: ClassVar[OptionSet]
    schedule: ClassVar[str]
    legacy_schedules: ClassVar[tuple[str, ...]] = ()
    key_fields: ClassVar[tuple[str, ...]]

    def __init__(
        self,
        space: Space,
        *,
        direction: Direction | str = Direction.MINIMIZE,
        seed: int = 0,
        **options: Any,
    ) -> None:
        super().__init__(space, direction=direction, seed=seed, **options)
        self.max_iter: float = self.options["max_iter"]
        self.eta: float = self.options["eta"]
        self.resource = self.options["resource"] or DEFAULT_RESOURCE
        if self.resource.name in space.names:
            raise AlgorithmError(
                f"{self.name}.resource.name: {self.resource.name!r} is also a matrix parameter; "
                "give the budget its own name, e.g. resource: {name: budget}"
            )
        self.resume: bool = self.options["resume"]
        self._waiting = False

    def settings(self) -> dict[str, Any]:
        """The options that differ from their defaults, the resource as its JSON block."""
        out = super().settings()
        if out.get("resource") is not None:
            out["resource"] = {"name": self.resource.name, "type": self.resource.type}
        return out

    @property
    def waiting(self) -> bool:
        return self._waiting

    def ask(self, n: int = 1, *, pending: Sequence[Trial] = ()) -> list[Params]:
        """Params (the budget included under ``resource.name``) of ``suggest``."""
        return [s.params for s in self.suggest(n, pending=pending)]

    def suggest(self, n: int = 1, *, pending: Sequence[Trial] = ()) -> list[Suggestion]:
        n = check_n(n)
        if n == 0:
            return []
        running = new_pending(self._finished, pending)
        slots = collect_slots(
            [*self.finished, *running],
            schedules=(self.schedule, *self.legacy_schedules),
            key_fields=self.key_fields,
            resource=self.resource.name,  # type: ignore[union-attr]
            direction=self.direction,
        )
        names = self.space.names
        seen = {params_key(slot.params, names) for slot in slots.values()}
        seen.update(params_key(self._config_of(t.params), names) for t in running)
        return self._plan(n, slots, seen, running)

    def _plan(self, n: int, slots: dict[SlotKey, Slot], seen: set[Key], running: list[Trial]) -> list[Suggestion]:
        """Up to ``n`` suggestions from the current slots; sets ``self._waiting``."""
        raise NotImplementedError

    # -- building blocks for subclasses ------------------------------------------------------------
    def _owns(self, meta: Mapping[str, Any]) -> bool:
        """Whether a trial with this ``meta`` was written by this algorithm's schedule."""
        return meta.get("schedule") in (self.schedule, *self.legacy_schedules)

    def _config_of(self, params: Mapping[str, Any]) -> Params:
        return {k: v for k, v in params.items() if k != self.resource.name}  # type: ignore[union-attr]

    def _new_configs(self, keys: Sequence[tuple[int, ...]], seen: set[Key], running: list[Trial]) -> list[Params]:
        """Fresh configurations for the new slots ``keys`` (random draws; the BOHBs use a model).

        Slot ``key`` draws from ``self.rng(*key)``, so the same history gives the same
        configurations; a draw already seen is redrawn a few times.
        """
        return [self._random_config(self.rng(*key), seen) for key in keys]

    def _random_config(self, rng: Any, seen: set[Key]) -> Params:
        names = self.space.names
        first: Params | None = None
        for _ in range(_ATTEMPTS):
            params = self.space.sample(rng)
            if first is None:
                first = params
            key = params_key(params, names)
            if key not in seen:
                seen.add(key)
                return params
        return first  # type: ignore[return-value]

    def _suggestion(
        self, config: Params, budget: float, place: Mapping[str, Hashable], parent: tuple[int, float] | None = None
    ) -> Suggestion:
        """A suggestion at ``budget``; ``parent`` is (trial id, its budget) for a promotion."""
        meta: dict[str, Any] = {"schedule": self.schedule, **place, "budget": float(budget)}
        if parent is not None:
            meta.update(parent=parent[0], parent_budget=float(parent[1]), resume=self.resume)
        params = {**config, self.resource.name: self.resource.cast(budget)}  # type: ignore[union-attr]
        return Suggestion(params, meta)
