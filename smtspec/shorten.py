"""Shorter counterexamples with the solver: re-solve windows of a found trace.

Delta debugging (:mod:`refute`) removes steps one at a time; it cannot replace five steps
by two different ones. Here the solver does: for a window ``s_a .. s_b`` of a replayed
counterexample, BMC from the concrete state ``s_a`` asks for a path of fewer than
``b - a`` steps to a state that agrees with ``s_b`` on every variable the rest of the
trace can depend on: the plain variables of the invariant's cone of influence are equal,
and each grow-only set holds the elements the rest of the trace names in its steps (the
messages it reads). The window's steps are replaced by the solver's, and the whole new step sequence is replayed from Init by the concrete
interpreter (:func:`recorded.lift`): only a sequence that replays and still ends in a
violation is kept. So every result is a behaviour of the spec, whatever the windows did.
"""

from __future__ import annotations

import time
from typing import Callable

import z3

from . import recorded
from .cone import cone
from .solving import Solver
from .sorts import conj
from .system import System
from .trace import Trace, decode
from .unroll import concrete, trans


def _values_in(v) -> list:
    """Every value inside a parameter value (records, functions, tuples, sets), itself included."""
    from .values import FrozenMap

    out, todo = [], [v]
    while todo:
        x = todo.pop()
        out.append(x)
        if isinstance(x, FrozenMap):
            todo += list(x.values())
        elif isinstance(x, (tuple, frozenset)):
            todo += list(x)
    return out


def _agrees(system: System, s, target, names, needed: dict) -> z3.BoolRef:
    """Equal to ``target`` on the plain variables of ``names``; a grow-only set must hold the
    elements of ``needed`` (those the rest of the trace names in its steps)."""
    cs = []
    for n in names:
        var = system.var[n]
        if var.grow:
            cs += [s.sets[n].member(var.sort.const(x)) for x in needed.get(n, ())]
        else:
            cs.append(var.sort.eq(s.values[n], var.sort.const(target[n])))
    return conj(cs)


def _window(system: System, keep, start_state, target_state, max_steps: int, timeout: float, needed: dict):
    """The steps of a shortest path (< max_steps) from start_state to a state agreeing with
    target_state on ``keep`` (see :func:`_agrees`), or None."""
    solver = Solver(timeout)
    u = concrete(system, start_state)
    for j in range(1, max_steps):
        solver.add(trans(u))
        with solver.scope():
            solver.add(_agrees(system, u.states[-1], target_state, keep, needed))
            ans = solver.check(label=f"shorten-{j}")
            if ans.status == "sat":
                tr = decode(solver.model(), u, kind="cti", invariants=(), violated=())
                return tr.steps
            if ans.status != "unsat":
                return None
    return None


def shorten(system: System, interpreter, trace: Trace, invariant: str, window: int = 8,
            seconds: float = 60.0, query_timeout: float = 10.0,
            progress: Callable[[str], None] = lambda m: None) -> Trace:
    """A replayed counterexample no longer than ``trace`` (see the module docstring)."""
    deadline = time.perf_counter() + seconds
    keep = sorted(cone(system, [system.invariant(invariant)]))
    best = trace
    a = 0
    while a < best.length and time.perf_counter() < deadline:
        b = min(best.length, a + window)
        if b - a < 2:
            break
        progress(f"shorten {invariant}: window {a}..{b} of {best.length} steps")
        target = best.states[b]
        named = [x for st in best.steps[b:] for v in st.params.values() for x in _values_in(v)]
        needed = {v.name: [x for x in named if x in target[v.name]] for v in system.vars if v.grow}
        steps = _window(system, keep, best.states[a], target, b - a,
                        min(query_timeout, max(0.1, deadline - time.perf_counter())), needed)
        if steps is not None and len(steps) < b - a:
            cand = best.steps[:a] + tuple(steps) + best.steps[b:]
            lifted = recorded.lift(interpreter, trace.scope, cand, invariant)
            if lifted is not None:
                # cut at the first violating state: a prefix may already violate it
                inv = interpreter.INVARIANTS[invariant]
                cut = next(k for k, st in enumerate(lifted.states) if not inv(st, trace.scope))
                best = Trace(spec=trace.spec, kind="counterexample", invariants=trace.invariants,
                             violated=trace.violated, scope=trace.scope, assumptions=(), vars=trace.vars,
                             states=lifted.states[:cut + 1], steps=lifted.steps[:cut], extra=dict(trace.extra))
                continue  # try the same window start again on the shorter trace
        a += 1
    return best
