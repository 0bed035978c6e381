"""``smtspec list``: the specifications, their invariants, the actions of Next and the default scope."""

from __future__ import annotations

from dataclasses import dataclass

from .. import registry
from ..system import SpecInfo, System
from ..verdict import SCHEMA


@dataclass(frozen=True)
class ListOptions:
    spec: str | None = None


@dataclass
class ListReport:
    specs: list[tuple[SpecInfo, System]]  # each spec with its system at the default scope

    def exit_code(self) -> int:
        return 0

    def to_json(self) -> list[dict]:
        out = []
        for info, system in self.specs:
            out.append({
                "schema": SCHEMA,
                "spec": info.name,
                "title": info.title,
                "bounds": {b.name: {"default": b.default, "low": b.low, "high": b.high, "meaning": b.meaning}
                           for b in info.bounds},
                "scope": system.scope.as_dict(),
                "invariants": [i.name for i in system.invariants],
                "actions": [a.name for a in system.next_actions],
                "not_in_next": [a.name for a in system.actions if not a.in_next],
                "symmetry": None if system.symmetry is None else {
                    "sort": system.symmetry.sort, "param": system.symmetry.param,
                    "invariants": [i.name for i in system.invariants if i.symmetric]},
            })
        return out


def run(opts: ListOptions) -> ListReport:
    infos = [registry.get(opts.spec)] if opts.spec is not None else list(registry.available().values())
    return ListReport([(info, info.build(info.scope())) for info in infos])
