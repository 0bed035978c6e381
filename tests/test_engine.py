"""The engine on a toy system whose answers are known by hand."""

from __future__ import annotations

import pytest
import z3

import toy_spec
from smtspec.engine import Options, bmc, bmc_query, prove
from smtspec.system import Action, Effect
from smtspec.unroll import EncodingError, arbitrary, initial, simple_path, trans, unroll
from smtspec.verdict import Verdict


def test_unroll_k_adds_exactly_k_steps_and_k_plus_one_states():
    u, _ = initial(toy_spec.build())
    unroll(u, 4)
    assert len(u.steps) == 4
    assert len(u.states) == 5
    assert u.depth == 4


def test_init_then_three_steps_reaches_six_and_no_further():
    system = toy_spec.build()
    u, c0 = initial(system)
    s = z3.Solver()
    s.add(c0, unroll(u, 3), u.states[3].values["x"] == 6)
    assert s.check() == z3.sat
    s2 = z3.Solver()
    s2.add(c0, unroll(initial(system)[0], 0))
    u2, c2 = initial(system)
    s2.add(c2, unroll(u2, 2), u2.states[2].values["x"] == 6)
    assert s2.check() == z3.unsat


def test_grow_only_set_is_exact_from_init():
    system = toy_spec.build()
    u, c0 = initial(system)
    s = z3.Solver()
    s.add(c0, unroll(u, 2))
    assert s.check() == z3.sat
    m = s.model()
    seen = u.states[2].sets["seen"]
    members = {m.eval(x, model_completion=True).as_signed_long() for p, x in seen.slots if z3.is_true(m.eval(p, model_completion=True))}
    assert members == {0, 2}


def test_bmc_finds_the_shortest_counterexample():
    r = bmc(toy_spec.build(), ["AtMostFour"], 10)["AtMostFour"]
    assert r.verdict is Verdict.REFUTED
    assert r.bound == 3
    assert [st["x"] for st in r.trace.states] == [0, 2, 4, 6]
    assert [s.action for s in r.trace.steps] == ["Inc2"] * 3


def test_bmc_without_violation_reports_the_depth_covered():
    r = bmc(toy_spec.build(), ["Even"], 5)["Even"]
    assert r.verdict is Verdict.NO_VIOLATION
    assert r.bound == 5


@pytest.mark.parametrize("k,expected", [(1, Verdict.UNKNOWN), (3, Verdict.UNKNOWN), (4, Verdict.PROVED)])
def test_not_seven_needs_exactly_four_induction(k, expected):
    r = prove(toy_spec.build(), ["NotSeven"], k)["NotSeven"]
    assert r.verdict is expected
    if expected is Verdict.UNKNOWN:
        assert r.trace.kind == "cti"
        assert r.trace.length == k
        assert r.trace.states[-1]["x"] == 7
        assert all(st["x"] != 7 for st in r.trace.states[:-1])


def test_stuttering_defeats_induction_unless_the_path_is_simple():
    system = toy_spec.build(with_stay=True)
    assert prove(system, ["NotSeven"], 6)["NotSeven"].verdict is Verdict.UNKNOWN
    assert prove(system, ["NotSeven"], 4, opts=Options(simple_path=True))["NotSeven"].verdict is Verdict.PROVED


def test_assumption_makes_step_inductive_and_is_listed():
    r = prove(toy_spec.build(), ["NotSeven"], 1, assume=["Even"])["NotSeven"]
    assert r.verdict is Verdict.PROVED
    assert r.assumptions == ("Even",)


def test_two_invariants_are_proved_as_a_conjunction():
    res = prove(toy_spec.build(), ["Even", "NotSeven"], 1)
    assert res["Even"].verdict is Verdict.PROVED and res["NotSeven"].verdict is Verdict.PROVED
    assert res["NotSeven"].together == ("Even",) and res["NotSeven"].assumptions == ()


def test_proving_two_invariants_drops_the_failing_one_and_proves_the_rest():
    res = prove(toy_spec.build(), ["SeenBelowX", "NotSeven"], 1)
    assert res["SeenBelowX"].verdict is Verdict.PROVED
    assert res["NotSeven"].verdict is Verdict.UNKNOWN
    assert res["NotSeven"].trace.violated == ("NotSeven",)


def test_refuted_in_base_case_gives_refuted_with_trace():
    r = prove(toy_spec.build(), ["AtMostFour"], 5)["AtMostFour"]
    assert r.verdict is Verdict.REFUTED
    assert r.trace.length == 3


def test_capacity_bounds_arbitrary_grow_sets():
    system = toy_spec.build(capacity=2)
    u, c0 = arbitrary(system, 2)
    assert len(u.states[0].sets["seen"].slots) == 2
    s = z3.Solver()
    p = [p for p, _ in u.states[0].sets["seen"].slots]
    s.add(c0, *p)
    xs = [x for _, x in u.states[0].sets["seen"].slots]
    s.add(xs[0] != xs[1])
    assert s.check() == z3.sat


def test_simple_path_forbids_repeated_states():
    system = toy_spec.build(with_stay=True)
    u, c0 = initial(system)
    s = z3.Solver()
    s.add(c0, unroll(u, 2), simple_path(u), u.steps[0].fire["Stay"])
    assert s.check() == z3.unsat


def test_action_that_forgets_a_variable_is_an_encoding_error():
    system = toy_spec.build()
    bad = Action("Forget", (), (), lambda pre, p: Effect(z3.BoolVal(True)))
    u, _ = initial(system)
    with pytest.raises(EncodingError, match="neither updates nor leaves unchanged: seen, x"):
        trans(u, (bad,))


def test_assigned_and_unchanged_variable_keeps_the_literal_conjunction():
    system = toy_spec.build()
    both = Action("Both", (), ("x",), lambda pre, p: Effect(z3.BoolVal(True), updates={"x": pre.x + 1}, adds={"seen": []}))
    u, c0 = initial(system)
    s = z3.Solver()
    s.add(c0, trans(u, (both,)))
    assert s.check() == z3.unsat  # x' = x + 1 /\ x' = x cannot hold


def test_cti_explanation_names_the_failing_values():
    r = prove(toy_spec.build(), ["NotSeven"], 1)["NotSeven"]
    assert r.explanation == ("fails where x = 7",)
    assert r.focus == ("x", "seen")  # x is read; seen is changed by the step


def test_counterexample_explanation_shows_a_failing_set_element():
    r = prove(toy_spec.build(), ["SeenBelowX"], 1)["SeenBelowX"]
    assert r.verdict is Verdict.PROVED
    bad = bmc(toy_spec.build_with_param(), ["NotFour"], 2)["NotFour"]
    assert bad.explanation == ("fails where x = 4",)


def test_budget_stops_bmc_and_says_which_depths_were_covered():
    from smtspec.encodings.parallel_raft import SPEC

    # depth 30 of ParallelRaft-CE takes far longer than one second
    r = bmc(SPEC.build(SPEC.scope()), ["Lemma3"], 30, Options(budget=1.0))["Lemma3"]
    assert r.verdict is Verdict.UNKNOWN
    assert r.reason.startswith("budget of 1 s spent at depth ")
    assert r.covered == r.bound - 1 and r.bound > 1
    assert f"no violation up to depth {r.covered}" in r.reason


def test_covered_depth_of_a_counterexample_is_one_below_it():
    r = bmc(toy_spec.build(), ["AtMostFour"], 10)["AtMostFour"]
    assert r.covered == 2 and r.to_json()["covered_depth"] == 2


def test_observe_sees_every_depth_with_solver_figures():
    seen = {}
    bmc(toy_spec.build(), ["Even"], 4, observe=lambda d, fig: seen.setdefault(d, fig))
    assert sorted(seen) == [0, 1, 2, 3, 4]
    assert all(fig["elapsed"] >= fig["seconds"] >= 0 and "queries" in fig["stats"] for fig in seen.values())


def test_the_standalone_bmc_query_is_first_satisfiable_at_the_counterexample_depth():
    # bmc_query is what benchmarks hand to other solvers: it must ask what bmc asks
    system = toy_spec.build(with_stay=True)
    found = bmc(system, ["AtMostFour"], 6)["AtMostFour"]
    assert found.verdict is Verdict.REFUTED
    for d in range(found.bound + 1):
        s = z3.Solver()
        s.add(*bmc_query(system, "AtMostFour", d))
        assert s.check() == (z3.sat if d == found.bound else z3.unsat), d
