"""BMC from the states a simulation reached: exhaustive search of the last steps.

A deep violation often needs a long, generic history (elections, syncs) and then a few
specific steps. Guided simulation builds such histories but samples the last steps;
BMC from Init is exhaustive but cannot get that deep. Here BMC starts at concrete states
the search reached (the deepest state of each milestone, :mod:`guided`) and checks every
behaviour of up to ``depth`` more steps from each. A violation found this way is the
search's path followed by the solver's steps; the whole trace, from Init, is replayed
by the concrete interpreter before it is reported, so it is a behaviour of the spec.
"No violation" from here says nothing about other states: this is a search, not a proof.
The full system is unrolled (no cone, no symmetry: the start state is not symmetric).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Sequence

import z3

from .solving import Solver
from .system import System
from .trace import Trace, decode
from .unroll import concrete, holds, trans


@dataclass(frozen=True)
class Suffix:
    invariant: str
    steps: tuple
    states: tuple


def bmc_from(system: System, start_state, names: Sequence[str], depth: int, deadline: float,
             query_timeout: float = 20.0) -> list[Suffix]:
    """Per invariant of ``names``, a shortest violating continuation of at most ``depth`` steps
    from ``start_state`` (an interpreter state), for those that have one within the time."""
    solver = Solver(query_timeout)
    u = concrete(system, start_state)
    invs = {n: system.invariant(n) for n in names}
    open_ = [n for n in names if z3.is_true(z3.simplify(holds(u, invs[n], 0)))]
    found = []
    for t in range(1, depth + 1):
        if not open_ or time.perf_counter() > deadline:
            break
        solver.add(trans(u))
        for n in list(open_):
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                break
            solver.set_timeout(min(query_timeout, remaining))
            with solver.scope():
                solver.add(z3.Not(holds(u, invs[n], t)))
                ans = solver.check(label=f"frontier-{n}-{t}")
                if ans.status == "sat":
                    tr: Trace = decode(solver.model(), u, kind="cti", invariants=(n,), violated=(n,))
                    found.append(Suffix(n, tr.steps, tr.states))
                    open_.remove(n)
    return found
