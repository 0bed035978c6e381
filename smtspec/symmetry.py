"""Symmetry breaking for BMC over a fully symmetric set of model values (e.g. ``Server``).

When Init, every action of Next, the state constraint and the checked invariants are all
unchanged by any permutation of a sort's elements, a behaviour violates an invariant
exactly when each of its renamings does. BMC may then look only at behaviours in a
canonical form. The form used here: number the elements in the order in which they first
act (as the action parameter the specification names, ``i`` for ParallelRaft-CE); the
acting element of a step is at most one above the largest that acted before. Every
behaviour has a renaming in this form (rename the k-th element to act to the k-th
element of the sort, the others in any order), of the same length, so the shortest
counterexample depth is unchanged.

A specification declares its symmetry (:class:`Symmetry` on the System) and which
invariants are symmetric (``Invariant.symmetric``); the engine applies the constraint only
when every invariant of the query is. The declaration is checked in the tests by running
the concrete interpreter on renamed states.
"""

from __future__ import annotations

from dataclasses import dataclass

import z3

from .sorts import disj
from .unroll import Unrolling


@dataclass(frozen=True)
class Symmetry:
    """The elements of ``sort`` (encoded ``0..n-1``) are interchangeable; ``param`` names the actor."""

    sort: str  # the TLA+ name of the symmetric set, e.g. "Server"
    param: str  # the action parameter holding the element that acts, e.g. "i"

    def describe(self) -> str:
        return f"symmetry of {self.sort}: only behaviours whose acting {self.param} values first appear in order"


def canonical_order(u: Unrolling, sym: Symmetry) -> z3.BoolRef:
    """The constraint on the last step of ``u``: its actor is at most one above every earlier actor."""
    system = u.system
    acting = [a.name for a in system.next_actions if any(p.name == sym.param for p in a.params)]
    steps = u.steps
    t = len(steps) - 1

    def uses(step) -> z3.BoolRef:
        return disj([step.fire[n] for n in acting if n in step.fire])

    highest = z3.BitVecVal(-1, steps[t].params[sym.param].size())
    for step in steps[:t]:
        p = step.params[sym.param]
        highest = z3.If(z3.And(uses(step), p > highest), p, highest)
    last = steps[t].params[sym.param]
    return z3.Implies(uses(steps[t]), last <= highest + 1)
