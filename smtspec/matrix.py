"""The obligation matrix of 1-induction: Init × invariant and action × invariant.

For a set of invariants proved together (a target and its helpers), the inductive step of
:func:`engine.prove` with k=1 is one query: from an arbitrary state satisfying all of them
(and the assumptions), one step of Next, then a state violating one of them. Here it is
split into cells, one per pair:

- ``Init × I``: does Init imply ``I``? (the base case of 1-induction, BMC at depth 0);
- ``A × I``: from an arbitrary state satisfying ALL the invariants of the set (and the
  assumptions), does one step of action ``A`` keep ``I``?

The first state is the same as the engine's (``arbitrary(system, capacity)``, the scope's
capacity of grow-only sets unless given), and the step is ``unroll.trans`` restricted to
the one action (its ``actions`` argument: the same formula with only ``A``'s ``fire``
Boolean, which is then true). Since a step of Next is exactly one action's step, the step
query is unsatisfiable iff every ``A × I`` cell is, so the set is 1-inductive (what
``prove --k 1`` reports ``proved`` for all of it) iff every cell holds
(``tests/test_matrix.py`` checks the agreement). The assumption set of a cell is kept
whole on purpose: a cell that assumed less could fail where the step holds.

Each cell has a verdict (``holds`` / ``fails`` / ``unknown``), its seconds, and, when it
fails, its trace: an Init state violating ``I`` (a counterexample), or a CTI of one step
of ``A``. Every query has the per-query timeout of ``opts`` and, given a
:class:`cache.Cache`, is answered from it when its exact text was shown unsat before.
"""

from __future__ import annotations

import ctypes
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, Sequence

import z3

from . import trace as traces
from .engine import Options
from .scope import Scope
from .solving import Interrupted, Solver, is_interrupt
from .system import System
from .unroll import arbitrary, holds, initial, simple_path, trans
from .verdict import SCHEMA

if TYPE_CHECKING:
    from .cache import Cache

Progress = Callable[[str], None]
INIT = "Init"
HOLDS, FAILS, UNKNOWN = "holds", "fails", "unknown"


def _noop(_: str) -> None:
    pass


@dataclass(frozen=True)
class Cell:
    """One obligation: ``action`` (``"Init"`` for the Init row) keeps ``invariant``."""

    invariant: str
    action: str
    verdict: str  # holds / fails / unknown
    seconds: float
    reason: str = ""
    trace: traces.Trace | None = None
    cached: bool = False  # answered from the cache
    key: str | None = None  # the SHA-256 of the query (with a cache)

    def to_json(self) -> dict:
        return {"schema": SCHEMA, "invariant": self.invariant, "action": self.action, "verdict": self.verdict,
                "seconds": round(self.seconds, 3), "reason": self.reason or None, "cached": self.cached}


@dataclass
class Matrix:
    spec: str
    scope: Scope
    invariants: tuple[str, ...]
    actions: tuple[str, ...]  # Next's actions, in the spec's order (the columns after Init)
    assumptions: tuple[str, ...]
    capacity: int
    rows: list[Cell] = field(default_factory=list)  # invariant by invariant, Init then each action
    interrupted: bool = False

    @property
    def columns(self) -> tuple[str, ...]:
        return (INIT, *self.actions)

    def cell(self, invariant: str, action: str) -> Cell:
        for c in self.rows:
            if c.invariant == invariant and c.action == action:
                return c
        raise KeyError((invariant, action))

    @property
    def all_hold(self) -> bool:
        """Every obligation holds: the set is 1-inductive and holds in Init."""
        return not self.interrupted and len(self.rows) == len(self.invariants) * len(self.columns) \
            and all(c.verdict == HOLDS for c in self.rows)

    def to_json(self) -> list[dict]:
        return [{**c.to_json(), "spec": self.spec} for c in self.rows]


def obligations(system: System, names: Sequence[str], opts: Options = Options(), progress: Progress = _noop,
                assume: Sequence[str] = (), cache: "Cache | None" = None,
                capacity: int | None = None) -> Matrix:
    """Every Init × invariant and action × invariant obligation of 1-induction for ``names``."""
    cap = system.scope.as_dict().get("capacity", 0) if capacity is None else capacity
    invs = [system.invariant(n) for n in names]
    assumed = [system.invariant(a) for a in assume if a not in names]
    actions = system.next_actions
    m = Matrix(system.spec, system.scope, tuple(names), tuple(a.name for a in actions),
               tuple(a.name for a in assumed), cap)
    found: dict[tuple[str, str], Cell] = {}

    def solve(solver: Solver, label: str):
        t0 = time.perf_counter()
        ans = solver.check(label=label)
        return ans, time.perf_counter() - t0

    try:
        # Init × I: BMC at depth 0, each invariant on its own (as the base case)
        solver = Solver(opts.timeout, opts.seed, cache=cache)
        u, c0 = initial(system)
        solver.add(c0)
        for inv in invs:
            progress(f"matrix: Init ⇒ {inv.name}")
            with solver.scope():
                solver.add(z3.Not(holds(u, inv, 0)))
                ans, secs = solve(solver, f"matrix-Init-{inv.name}")
                tr = None
                if ans.status == "sat":
                    tr = traces.decode(solver.model(), u, kind="counterexample", invariants=(inv.name,),
                                       violated=(inv.name,))
                found[(inv.name, INIT)] = _cell(inv.name, INIT, ans, secs, tr, solver.last_key)
        # A × I: one solver per action, the invariant's negation in a scope
        for a in actions:
            solver = Solver(opts.timeout, opts.seed, cache=cache)
            u, c0 = arbitrary(system, cap)
            solver.add(c0)
            solver.add(trans(u, (a,)))
            solver.add(*[holds(u, x, 0) for x in assumed])
            solver.add(*[holds(u, x, 0) for x in invs])
            if opts.simple_path:
                solver.add(simple_path(u))
            for inv in invs:
                progress(f"matrix: {a.name} keeps {inv.name}")
                with solver.scope():
                    solver.add(z3.Not(holds(u, inv, 1)))
                    ans, secs = solve(solver, f"matrix-{a.name}-{inv.name}")
                    tr = None
                    if ans.status == "sat":
                        tr = traces.decode(solver.model(), u, kind="cti", invariants=tuple(names),
                                           violated=(inv.name,), assumptions=m.assumptions)
                    found[(inv.name, a.name)] = _cell(inv.name, a.name, ans, secs, tr, solver.last_key)
    except (Interrupted, KeyboardInterrupt, ctypes.ArgumentError) as stop:
        if not is_interrupt(stop):
            raise
        m.interrupted = True
    for inv in invs:
        for col in m.columns:
            c = found.get((inv.name, col))
            m.rows.append(c if c is not None else Cell(inv.name, col, UNKNOWN, 0.0, "interrupted"))
    return m


def _cell(inv: str, action: str, ans, seconds: float, tr, key: str | None) -> Cell:
    verdict = {"unsat": HOLDS, "sat": FAILS}.get(ans.status, UNKNOWN)
    reason = ans.reason if verdict == UNKNOWN else ""
    return Cell(inv, action, verdict, seconds, reason, tr, ans.cached, key)


__all__ = ["Cell", "INIT", "Matrix", "obligations"]
