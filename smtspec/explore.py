"""Successor sets of a concrete state under the Z3 transition relation.

Used to cross-check the encoding against a concrete interpreter and against logged
transitions: the pre-state is fixed, one step is unrolled, and post-states are
enumerated with blocking clauses (each found state is excluded as a whole, sets compared
as sets).
"""

from __future__ import annotations

from typing import Mapping

import z3

from .system import Action, System
from .trace import decode_state
from .unroll import concrete, equals_concrete, trans


class TooManySuccessors(RuntimeError):
    """The enumeration passed its limit."""


def successors(system: System, state, actions: tuple[Action, ...] | None = None,
               params: Mapping | None = None, extra=None, limit: int = 5000) -> set:
    """Every post-state of one step from ``state`` (optionally: only ``actions``, parameters
    fixed to ``params``, and ``extra(post_symbolic_state)`` added as a constraint)."""
    u = concrete(system, state)
    s = z3.Solver()
    s.add(trans(u, actions))
    sorts = system.param_sorts()
    for k, v in (params or {}).items():
        s.add(sorts[k].eq(u.steps[0].params[k], sorts[k].const(v)))
    post = u.states[1]
    if extra is not None:
        s.add(extra(post))
    out: set = set()
    while s.check() == z3.sat:
        m = s.model()
        nxt = decode_state(system, post, lambda t: m.eval(t, model_completion=True))
        out.add(nxt)
        if len(out) > limit:
            raise TooManySuccessors(f"more than {limit} successors")
        s.add(z3.Not(equals_concrete(system, post, nxt)))
    return out
