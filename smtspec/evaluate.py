"""An invariant of a system evaluated on one concrete state by the solver: for invariants the
concrete interpreter does not know (``--with-tla`` texts, proof helpers), so a replay can still
check a trace's claim about them. The steps of the trace are checked by the interpreter."""

from __future__ import annotations

from typing import Any, Callable

import z3

from .system import System
from .unroll import concrete, holds


def evaluator(system: System, name: str) -> Callable[[Any, Any], bool]:
    """``(state, scope) -> bool``: does ``name`` hold in the state (decided by Z3 on the state's
    constants: the formula has no free variable left, so the answer is exact)."""
    inv = system.invariant(name)

    def ev(state: Any, _scope: Any = None) -> bool:
        s = z3.Solver()
        s.add(z3.Not(holds(concrete(system, state), inv, 0)))
        r = s.check()
        if r == z3.unknown:
            raise RuntimeError(f"the solver could not evaluate {name} on a concrete state")
        return r == z3.unsat

    return ev


def evaluators(system: System, names) -> dict[str, Callable[[Any, Any], bool]]:
    return {n: evaluator(system, n) for n in names if n in {i.name for i in system.invariants}}
