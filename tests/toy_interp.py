"""A concrete interpreter of tests/toy_spec.py (with Stay), written separately, for simulation tests."""

from __future__ import annotations

import sys

from smtspec.values import Rec


def load():
    return sys.modules[__name__]


def initial_state(scope):
    return Rec(x=0, seen=frozenset())


def instances(state, scope):
    if state["x"] + 2 <= 7:
        yield "Inc2", Rec(), Rec(x=state["x"] + 2, seen=state["seen"] | {state["x"]})
    yield "Stay", Rec(), state


INVARIANTS = {"AtMostFour": lambda s, scope: s["x"] <= 4, "Even": lambda s, scope: s["x"] % 2 == 0}
