"""A tiny system for engine tests, independent of any protocol.

``x`` starts at 0 and ``Inc2`` adds 2 while ``x + 2 <= 7``, recording the old value in the
grow-only set ``seen``; ``Stay`` stutters (only when ``with_stay``). So ``x`` is always
even, ``x = 6`` is reached in exactly 3 steps, and ``x # 7`` is true but needs 4-induction
(the odd chain 1, 3, 5, 7 has three predecessors), or never with ``Stay`` unless
``--simple-path`` is used.
"""

from __future__ import annotations

import z3

from smtspec.scope import Scope
from smtspec.sorts import IntRange
from smtspec.system import Action, Effect, Invariant, Param, StateVar, System

X = IntRange(0, 7)


def build(with_stay: bool = False, capacity: int = 2) -> System:
    def inc2(pre, p):
        return Effect(pre.x + 2 <= 7, updates={"x": pre.x + 2}, adds={"seen": [(z3.BoolVal(True), pre.x)]})

    def stay(pre, p):
        return Effect(z3.BoolVal(True))

    actions = [Action("Inc2", (), (), inc2)]
    if with_stay:
        actions.append(Action("Stay", (), ("x", "seen"), stay))
    return System(
        spec="toy",
        scope=Scope.of(capacity=capacity),
        vars=(StateVar("x", X), StateVar("seen", X, grow=True)),
        actions=tuple(actions),
        invariants=(
            Invariant("AtMostFour", lambda v: v.x <= 4),
            Invariant("NotSeven", lambda v: v.x != 7),
            Invariant("Even", lambda v: v.x % 2 == 0),
            Invariant("SeenBelowX", lambda v: v.seen.forall(lambda s: s < v.x)),
        ),
        init=lambda v: v.x == 0,
    )


def build_with_param() -> System:
    """``Set(n)`` sets x to any n in 0..7 below 5: a parameterised action for trace tests."""

    def set_(pre, p):
        return Effect(p["n"] < 5, updates={"x": p["n"]}, adds={"seen": [(z3.BoolVal(True), p["n"])]})

    return System(
        spec="toy-param",
        scope=Scope.of(capacity=1),
        vars=(StateVar("x", X), StateVar("seen", X, grow=True)),
        actions=(Action("Set", (Param("n", X),), (), set_),),
        invariants=(Invariant("NotFour", lambda v: v.x != 4),),
        init=lambda v: v.x == 0,
    )
