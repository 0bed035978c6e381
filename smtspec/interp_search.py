"""Any readable interpreter seen as a :class:`smtspec.guided.FastSystem`.

For a spec without a fast form (onos-config, the test toy) the guided search still runs,
on the interpreter's own states: an action's instances are its successors in the
interpreter's fixed order, every invariant is re-checked in every state, and the abstract
state is the state itself (novelty over concrete states). Slower, but the same search.
"""

from __future__ import annotations

from typing import Sequence

from .scope import Scope


class InterpreterSystem:
    """The adapter; ``interp`` is a module with initial_state, instances, INVARIANTS."""

    def __init__(self, interp, scope: Scope, actions: Sequence[str]):
        self.interp, self.scope = interp, scope
        self.actions = tuple(actions)
        self._last: tuple | None = None

    def _instances(self, st) -> dict[str, list]:
        if self._last is None or self._last[0] is not st:
            by: dict[str, list] = {}
            for a, p, nxt in self.interp.instances(st, self.scope):
                by.setdefault(a, []).append((p, nxt))
            self._last = (st, by)
        return self._last[1]

    def initial(self):
        return self.interp.initial_state(self.scope)

    def enum(self, action: str, st) -> list:
        """The distinct parameter records of the action's instances (arguments are parameters)."""
        out: list = []
        for p, _nxt in self._instances(st).get(action, []):
            if p not in out:
                out.append(p)
        return out

    def apply(self, action: str, st, args) -> list:
        return [nxt for p, nxt in self._instances(st).get(action, []) if p == args]

    def violated(self, st, names) -> list[str]:
        return [n for n in names if not self.interp.INVARIANTS[n](st, self.scope)]

    def changed(self, pre, post, names) -> list[str]:
        return list(names)

    def features(self, st):
        return st

    def to_rec(self, st):
        return st

    def params(self, action: str, args):
        return args
