"""Golden verdicts: a table of (spec, invariants, scope, method, bound) -> verdict.

A change to the engine or an encoding that flips one of these must be deliberate: update
the table in the same commit and say why. Fast rows run in every test run.
"""

from __future__ import annotations

import pytest

from smtspec import engine, registry
from smtspec.verdict import Verdict

TINY = {"servers": 2, "terms": 2, "indexes": 2, "values": 1}
DEFAULT: dict = {}

GOLDEN = [
    # spec, invariants, scope, method, bound, expected verdict of every listed invariant
    ("parallel-raft", ("TypeSafety",), DEFAULT, "prove", 1, Verdict.PROVED),
    ("parallel-raft", ("Lemma1",), DEFAULT, "prove", 1, Verdict.UNKNOWN),
    ("parallel-raft", ("Lemma7",), TINY, "prove", 1, Verdict.UNKNOWN),
    ("parallel-raft", registry.get("parallel-raft").invariant_names, TINY, "bmc", 4, Verdict.NO_VIOLATION),
]


@pytest.mark.parametrize("spec,names,bounds,method,bound,expected", GOLDEN,
                         ids=[f"{g[0]}:{'+'.join(g[1]) if len(g[1]) < 3 else 'all'}:{g[3]}{g[4]}" for g in GOLDEN])
def test_golden_verdict(spec, names, bounds, method, bound, expected):
    info = registry.get(spec)
    system = info.build(info.scope(bounds))
    if method == "prove":
        res = engine.prove(system, list(names), bound)
    else:
        res = engine.bmc(system, list(names), bound)
    assert {n: r.verdict for n, r in res.items()} == {n: expected for n in names}
    for r in res.values():
        assert r.scope == system.scope
        if r.verdict in (Verdict.REFUTED, Verdict.UNKNOWN):
            assert r.trace is not None


def test_lemma2_and_lemma6_state_the_same_property():
    """MODELING: the seed's Lemma2 and Lemma6 are the same; Z3 finds no state telling them apart."""
    import z3

    from smtspec.unroll import arbitrary, holds

    system = registry.get("parallel-raft").build(registry.get("parallel-raft").scope())
    u, c0 = arbitrary(system, 0)
    s = z3.Solver()
    s.add(c0, holds(u, system.invariant("Lemma2"), 0) != holds(u, system.invariant("Lemma6"), 0))
    assert s.check() == z3.unsat


def test_commit_entry_is_dead_code_and_no_action_leaves_the_scope():
    from smtspec.coverage import one_step_queries

    system = registry.get("parallel-raft").build(registry.get("parallel-raft").scope(TINY))
    for action in system.actions:
        changes, leaves = one_step_queries(system, action, None)
        assert leaves is False, action.name
        assert changes is (action.name != "CommitEntry"), action.name


@pytest.mark.parametrize("spec", registry.spec_names())
def test_spec_info_names_are_those_of_the_built_system(spec):
    info = registry.get(spec)
    system = info.build(info.scope())
    assert info.invariant_names == tuple(i.name for i in system.invariants)
    assert info.action_names == tuple(a.name for a in system.next_actions)
