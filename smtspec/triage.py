"""CTI triage: is a counterexample to induction's first state, on the variables that matter, reachable?

A CTI shows an invariant is not inductive; it does not say whether the invariant is false.
Its first state is projected on the variables that matter (those the violated invariants
read, and those a step of the CTI changes), and BMC from Init (depths 0..``depth``, one
incremental solver, no reduction) asks for a reachable state with those values.

- Not found within the depth: the CTI's first state is not reachable in that many steps (a
  projection is weaker than the state), so it is likely unreachable: a helper invariant
  excluding the projection should strengthen the proof. This is evidence, not a proof.
- Found: the reaching behaviour is a counterexample-kind trace. The CTI's steps are then
  applied, by the concrete interpreter, to the reached full state; if they apply and end in
  a state violating the invariant, the concatenated behaviour from Init is replayed
  (:func:`smtspec.replay.replay`) and only then reported as a refutation.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from typing import Any, Callable, Mapping, Sequence

import z3

from . import trace as traces
from .explain import reads
from .replay import replay
from .show import tla
from .solving import Solver
from .sorts import conj, disj
from .system import System
from .trace import Trace
from .unroll import SymState, arbitrary, initial, trans
from .values import same

Progress = Callable[[str], None]
VERDICTS = ("refuted", "reachable-projection", "likely-unreachable")


@dataclass(frozen=True)
class Triage:
    """The outcome of :func:`triage`.

    ``depth``: where the projection was reached, or the last depth fully searched without
    reaching it (-1: none). ``trace``: the refuting behaviour (verdict ``refuted``) or the
    behaviour reaching the projection (``reachable-projection``), else None.
    """

    verdict: str
    invariants: tuple[str, ...]
    depth: int
    focus: tuple[str, ...]
    projection: tuple[str, ...]  # "var = value", in TLA+ notation
    trace: Trace | None
    reason: str
    seconds: float


def _noop(_: str) -> None:
    pass


def focus_of(system: System, cti: Trace) -> tuple[str, ...]:
    """The variables that matter for a CTI: read by an invariant its last state violates (in an
    arbitrary state, so grow-only sets have slots to read), or changed by one of its steps."""
    cap = max(1, system.scope.as_dict().get("capacity", 1))
    u, _ = arbitrary(system, cap)  # untagged: explain.reads reads ``var@step`` constant names
    names: set[str] = set()
    for n in cti.violated:
        names |= reads(system.invariant(n), u, 0)
    for a, b in zip(cti.states, cti.states[1:]):
        names |= {v for v in cti.vars if not same(a[v], b[v]) and v not in system.next_vars}
    return tuple(v.name for v in system.vars if v.name in names)


def projection_lines(state: Mapping[str, Any], focus: Sequence[str]) -> tuple[str, ...]:
    return tuple(f"{v} = {tla(state[v])}" for v in focus)


def equals_on(system: System, s: SymState, state: Mapping[str, Any], focus: Sequence[str]) -> z3.BoolRef:
    """``s`` agrees with the concrete ``state`` on the variables of ``focus`` (sets compared as sets)."""
    cs = []
    for n in focus:
        var = system.var[n]
        if var.grow:
            gs = s.sets[n]
            elems = [var.sort.const(x) for x in state[n]]
            cs.append(gs.forall(lambda y: disj([var.sort.eq(y, e) for e in elems])))
            cs += [gs.member(e) for e in elems]
        else:
            cs.append(var.sort.eq(s.values[n], var.sort.const(state[n])))
    return conj(cs)


def _follow(interpreter, scope, start: Any, cti: Trace) -> tuple[list[Any], str | None]:
    """The CTI's steps applied to ``start`` by the interpreter: the states reached, or why not."""
    states = [start]
    for n, step in enumerate(cti.steps, start=1):
        cur = states[-1]
        try:
            succ = [nxt for a, p, nxt in interpreter.instances(cur, scope)
                    if a == step.action and all(same(step.params[k], v) for k, v in p.items() if k in step.params)]
        except Exception as e:  # a state the interpreter cannot step from
            return states, f"the interpreter cannot take CTI step {n} ({type(e).__name__}: {e})".splitlines()[0]
        if not succ:
            return states, f"CTI step {n} ({step.action}) is not enabled from the reached state"
        # the CTI's own successor when it is one of them (same parameters); else the first
        want = cti.states[n]
        states.append(next((x for x in succ if all(same(x[v], want[v]) for v in cti.vars)), succ[0]))
    return states, None


def triage(system: System, cti: Trace, depth: int, budget: float, progress: Progress = _noop, *,
           interpreter: Any = None, interp_scope: Any = None, focus: Sequence[str] | None = None,
           timeout: float | None = None,
           extra_invariants: Mapping[str, Callable] | None = None) -> Triage:
    """Triage ``cti`` (kind ``cti``) of ``system``; see the module docstring.

    ``interpreter`` (with ``interp_scope``, the scope it takes) is needed for a ``refuted``
    verdict; without one a reached projection stays ``reachable-projection``.
    ``extra_invariants`` evaluates invariants the interpreter does not know (``--with-tla``).
    """
    start = time.perf_counter()
    if cti.kind != "cti":
        raise ValueError(f"not a CTI: the trace is a {cti.kind}")
    if not cti.violated:
        raise ValueError("the CTI names no violated invariant")
    invs = cti.violated
    names = tuple(focus) if focus is not None else focus_of(system, cti)
    first = cti.states[0]
    lines = projection_lines(first, names)

    def done(verdict: str, d: int, reason: str, tr: Trace | None = None) -> Triage:
        return Triage(verdict, invs, d, names, lines, tr, reason, time.perf_counter() - start)

    solver = Solver(timeout)
    u, c0 = initial(system, tag="triage.")
    solver.add(c0)
    found = None
    searched = -1
    stop = ""
    for d in range(depth + 1):
        if d > 0:
            progress(f"triage: building step {d}/{depth}")
            solver.add(trans(u))
        remaining = budget - (time.perf_counter() - start)
        if remaining <= 0:
            stop = f"budget of {budget:g} s spent at depth {d}"
            break
        solver.set_timeout(remaining if timeout is None else min(timeout, remaining))
        progress(f"triage: projection at depth {d}/{depth}")
        with solver.scope():
            solver.add(equals_on(system, u.states[d], first, names))
            ans = solver.check(label=f"triage-{d}")
            if ans.status == "sat":
                found = (d, solver.model())
                break
        if ans.status == "unknown":
            stop = f"{ans.reason} at depth {d}"
            break
        searched = d
    if found is None:
        upto = f"not reached within depth {searched}" if searched >= 0 else "not reached: no depth searched"
        why = f" ({stop})" if stop else ""
        return done("likely-unreachable", searched,
                    f"{upto}{why}: likely unreachable, strengthen (a helper must exclude the projection)")

    d, model = found
    # the reaching behaviour, cut at depth d (the unrolling is exactly d steps long here)
    reach = traces.decode(model, u, kind="counterexample", invariants=(), violated=())
    reached = reach.states[-1]
    if interpreter is None:
        return done("reachable-projection", d, f"projection reached at depth {d}; no interpreter to replay the CTI's "
                    "steps from it", reach)
    states, blocked = _follow(interpreter, interp_scope, reached, cti)
    if blocked is not None:
        return done("reachable-projection", d, f"projection reached at depth {d}; {blocked}", reach)
    evals = {**(extra_invariants or {}), **interpreter.INVARIANTS}
    unknown = [n for n in invs if n not in evals]
    if unknown:
        return done("reachable-projection", d, f"projection reached at depth {d}; cannot evaluate "
                    f"{', '.join(unknown)} concretely", reach)
    broken = tuple(n for n in invs if not evals[n](states[-1], interp_scope))
    if not broken:
        return done("reachable-projection", d, f"projection reached at depth {d}; the CTI's steps apply from "
                    f"the reached state but end in a state satisfying {', '.join(invs)}", reach)
    whole = replace(reach, invariants=broken, violated=broken, states=reach.states + tuple(states[1:]),
                    steps=reach.steps + cti.steps)
    rep = replay(whole, interpreter, interp_scope, extra_invariants)
    if not rep.ok:
        return done("reachable-projection", d, f"projection reached at depth {d}; the behaviour through the CTI "
                    f"does not replay ({rep.problems[0]})", reach)
    return done("refuted", d, f"projection reached at depth {d}, and the CTI's {cti.length} step(s) from it violate "
                f"{', '.join(broken)}: a behaviour of {whole.length} steps from Init, replayed", rep.trace or whole)


__all__ = ["Triage", "VERDICTS", "equals_on", "focus_of", "projection_lines", "triage"]
