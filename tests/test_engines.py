"""The engine seam: every engine takes a Problem (plain data) and returns one Result per
invariant; a task (engine, problem) gives the same results in a worker process; what the
simulation engine refutes replays with the readable interpreter."""

from __future__ import annotations

import inspect

from smtspec.commands.verify import check_counterexamples
from smtspec.encodings.parallel_raft import SPEC
from smtspec.encodings.parallel_raft import interpreter as interp
from smtspec.engines import BMC, ENGINES, KInduction, Problem, Simulation, run_task
from smtspec.pool import pool_map
from smtspec.replay import replay
from smtspec.verdict import Cause, Method, Verdict

TWO = SPEC.scope({"servers": 2, "terms": 2, "indexes": 1, "values": 1})
SMALL = SPEC.scope({"servers": 2, "terms": 2, "indexes": 2, "values": 1})


def _digest(results: dict) -> dict:
    return {n: (r.verdict, r.method, r.bound, r.cause, r.trace.states if r.trace else None,
                r.stats.get("steps"), r.stats.get("distinct states")) for n, r in results.items()}


def test_every_engine_declares_its_method_and_runs_a_problem():
    for cls in ENGINES:
        assert isinstance(cls.method, Method)
        assert list(inspect.signature(cls.run).parameters)[:2] == ["self", "problem"]


def test_bmc_and_k_induction_through_the_seam_match_the_engine_functions():
    p = Problem("parallel-raft", SMALL, ("Lemma3",))
    r = BMC(3).run(p)["Lemma3"]
    assert r.verdict is Verdict.NO_VIOLATION and r.method == Method.BMC and r.covered == 3
    step = BMC(2, semantics="step").run(p)["Lemma3"]
    assert step.method == Method.BMC_STEP and step.covered == 2
    cti = KInduction(k=1, capacity_check=False).run(Problem("parallel-raft", SMALL, ("Lemma1",)))["Lemma1"]
    assert cti.verdict is Verdict.UNKNOWN and cti.cause is Cause.CTI and cti.trace.kind == "cti"


def test_a_budget_spent_is_an_unknown_with_cause_budget():
    r = BMC(40, budget=0.5).run(Problem("parallel-raft", SMALL, ("Lemma3",)))["Lemma3"]
    assert r.verdict is Verdict.UNKNOWN and r.cause is Cause.BUDGET and r.covered == r.bound - 1


def test_a_task_gives_the_same_results_in_a_worker_process():
    tasks = [(Simulation(steps=20_000, seed=3, max_length=80), Problem("parallel-raft", TWO, ("Lemma9", "Lemma1"))),
             (BMC(3), Problem("parallel-raft", SMALL, ("Lemma2",)))]
    here = sorted((_digest(run_task(t)) for t in tasks), key=repr)
    there = sorted((_digest(r) for r in pool_map(run_task, tasks, 2)), key=repr)  # in the order they finish
    assert here == there


def test_simulation_refutes_lemma9_with_a_trace_the_interpreter_replays():
    res = Simulation(steps=120_000, seed=0, max_length=80).run(Problem("parallel-raft", TWO, ("Lemma9", "Lemma1")))
    lemma9, lemma1 = res["Lemma9"], res["Lemma1"]
    assert lemma9.verdict is Verdict.REFUTED and lemma9.method == Method.GUIDED_SIMULATION
    assert lemma9.trace.kind == "counterexample" and lemma9.bound == lemma9.trace.length >= 17  # BMC: none up to 16
    assert replay(lemma9.trace, interp, TWO).ok and check_counterexamples(SPEC, TWO, [lemma9]) == []
    assert lemma1.verdict is Verdict.UNKNOWN and lemma1.cause is Cause.BUDGET and lemma1.stats["steps"] >= 120_000
