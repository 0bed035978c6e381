"""Cone of influence: which variables a query depends on, and BMC on the reduced system.

The reduction must never change a verdict: a counterexample is found at the same depth
with the same full-state trace, and one that only the reduced system has (a frozen
variable would have blocked it) is not reported.
"""

from __future__ import annotations

import z3

from smtspec.cone import Dependencies, cone, restrict
from smtspec.encodings.parallel_raft import SPEC
from smtspec.engine import Options, bmc
from smtspec.scope import Scope
from smtspec.sorts import IntRange
from smtspec.system import Action, Effect, Invariant, StateVar, System
from smtspec.verdict import Verdict

import toy_spec

HISTORY = {"allLogs", "allEntries", "allSynced", "elections", "halfElections"}


def raft():
    return SPEC.build(SPEC.scope())


def test_history_sets_no_action_reads_are_outside_the_cone_of_lemma1():
    system = raft()
    keep = cone(system, [system.invariant("Lemma1")])
    assert {v.name for v in system.vars} - keep == HISTORY


def test_an_invariant_reading_a_history_set_keeps_it_and_what_feeds_it():
    system = raft()
    keep = cone(system, [system.invariant("Lemma3")])
    assert "halfElections" in keep and {"log", "sync", "currentTerm"} <= keep
    assert {"allLogs", "allEntries", "allSynced", "elections"}.isdisjoint(keep)


def test_typesafety_reads_everything_but_allsynced():
    system = raft()
    keep = cone(system, [system.invariant("TypeSafety")])
    assert {v.name for v in system.vars} - keep == {"allSynced"}


def test_the_next_conjunct_pulls_log_into_the_cone_of_alllogs():
    system = raft()
    deps = Dependencies(system)
    assert deps.next_adds["allLogs"] == {"log"}


def test_restricted_system_freezes_variables_and_drops_actions_that_change_none_of_the_cone():
    system = raft()
    deps = Dependencies(system)
    keep = frozenset({"currentTerm", "currentState", "votedFor", "messages"})  # closed: Timeout, UpdateTerm
    reduced = restrict(system, keep, deps)
    names = {a.name for a in reduced.next_actions}
    assert "ClientRequest" not in names  # changes log only
    assert {"Timeout", "UpdateTerm", "RequestVote"} <= names
    for a in reduced.next_actions:
        assert "log" in a.unchanged and "allLogs" in a.unchanged


def separated_counter(bound: int) -> System:
    """``x`` counts up; ``y`` counts up with it in 0..bound, so ``Both`` stops when y would leave it.

    ``Only`` changes only ``y``. The invariant ``x < 3`` reads x alone: y is outside its
    cone, so the reduced system lets ``Both`` go on past y's bound.
    """
    Y = IntRange(0, bound)

    def both(pre, p):
        return Effect(pre.x + 1 <= 7, updates={"x": pre.x + 1, "y": pre.y + 1})

    def only(pre, p):
        return Effect(pre.y + 1 <= bound, updates={"y": pre.y + 1})

    return System(
        spec="counter",
        scope=Scope.of(),
        vars=(StateVar("x", toy_spec.X), StateVar("y", Y)),
        actions=(Action("Both", (), (), both), Action("Only", (), ("x",), only)),
        invariants=(Invariant("XBelow3", lambda v: v.x < 3),),
        init=lambda v: z3.And(v.x == 0, v.y == 0),
    )


def test_a_counterexample_of_the_reduced_system_is_reported_with_the_full_state():
    system = separated_counter(bound=5)
    r = bmc(system, ["XBelow3"], 6)["XBelow3"]
    assert r.verdict is Verdict.REFUTED and r.bound == 3
    assert [s.action for s in r.trace.steps] == ["Both"] * 3
    # decoded from the full system: y counts with x instead of staying frozen at 0
    assert [(s["x"], s["y"]) for s in r.trace.states] == [(0, 0), (1, 1), (2, 2), (3, 3)]
    assert any("cone of influence: y frozen" in n for n in r.reductions)


def test_a_counterexample_only_the_reduced_system_has_is_not_reported():
    # y may not pass 2, so x stops at 2 in the full system; frozen y lets the reduced one go on
    system = separated_counter(bound=2)
    with_cone = bmc(system, ["XBelow3"], 6)["XBelow3"]
    without = bmc(system, ["XBelow3"], 6, Options(cone=False))["XBelow3"]
    assert without.verdict is Verdict.NO_VIOLATION
    assert with_cone.verdict is Verdict.NO_VIOLATION and with_cone.bound == 6
    assert not any("cone" in n for n in with_cone.reductions)  # the verdict came from the full system


def test_cone_and_no_cone_agree_on_the_toy_spec():
    system = toy_spec.build(with_stay=True)
    names = [i.name for i in system.invariants]
    a = bmc(system, names, 5)
    b = bmc(system, names, 5, Options(cone=False))
    assert {n: (r.verdict, r.bound) for n, r in a.items()} == {n: (r.verdict, r.bound) for n, r in b.items()}
