"""Successor sets of a concrete state under the Z3 transition relation.

Used to cross-check the encoding against a concrete interpreter and against logged
transitions: the pre-state is fixed, one step is unrolled, and post-states are
enumerated with blocking clauses (each found state is excluded as a whole, sets compared
as sets).
"""

from __future__ import annotations

from typing import Callable, Mapping

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


def first_failures(initial, successors: Callable, checks: Mapping[str, Callable], max_depth: int) -> dict[str, int]:
    """Breadth-first search with a concrete interpreter: for each named check, the smallest
    depth <= ``max_depth`` at which some reachable state fails it (absent when none does)."""
    frontier = {initial}
    seen = set(frontier)
    found: dict[str, int] = {}
    for depth in range(max_depth + 1):
        for name, ok in checks.items():
            if name not in found and any(not ok(st) for st in frontier):
                found[name] = depth
        if depth == max_depth:
            break
        nxt = set()
        for st in frontier:
            for t in successors(st):
                if t not in seen:
                    seen.add(t)
                    nxt.add(t)
        frontier = nxt
    return found
