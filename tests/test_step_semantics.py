"""Step-semantics BMC (smtspec/stepsem.py): sound, serialized, and no weaker than interleaving.

1. The independence derivation: what may share a step follows from read/write sets
   (per server, grow-only sets monotone or not), on small hand-made systems and on
   ParallelRaft-CE.
2. One step from concrete states: every post-state Z3 admits is reached by executing
   the fired instances one after the other with the concrete interpreter (Next's
   allLogs/allEntries conjunct included), and every interleaved successor is a step.
3. BMC: every counterexample serializes into an interleaved trace that the interpreter
   replays; at a tiny scope, the probes and lemmas violated agree with breadth-first
   search with the interpreter, each at a step depth no larger than its BFS depth.
"""

from __future__ import annotations

import math
import random
from dataclasses import replace

import pytest
import z3

import toy_spec
from smtspec import explore, stepsem
from smtspec.cli import main
from smtspec.commands.verify import check_counterexamples
from smtspec.evaluate import evaluators
from smtspec.encodings.parallel_raft import SPEC
from smtspec.encodings.parallel_raft import interpreter as interp
from smtspec.engine import Options, bmc
from smtspec.replay import replay
from smtspec.scope import Scope
from smtspec.sorts import Function, IntRange
from smtspec.system import Action, Effect, Invariant, Param, StateVar, System
from smtspec.trace import Step
from smtspec.unroll import concrete, equals_concrete
from smtspec.values import Rec
from smtspec.verdict import Verdict
from test_symmetry import probes, with_invariants

TINY = {"servers": 2, "terms": 1, "indexes": 1, "values": 1}


def raft(bounds=None):
    scope = SPEC.scope(bounds or {})
    return scope, SPEC.build(scope)


# ---------------------------------------------------------------- independence


def actors_system() -> System:
    """Two actors p0, p1; per-actor counters ``x``; a grow-only set ``seen`` of actor ids.

    ``Add(i)`` puts i in seen; ``Has(i)`` needs i in seen (monotone); ``NoneSeen(i)`` needs
    seen empty (an aggregate: adding breaks it); ``NotSeen(i)`` needs i not in seen;
    ``Bump(i)`` writes x[i]; ``PeekFirst(i)`` reads x[p0].
    """
    A = IntRange(0, 1)
    X = Function(A, IntRange(0, 3))

    def add(pre, p):
        return Effect(z3.BoolVal(True), adds={"seen": [(z3.BoolVal(True), p["i"])]})

    def has(pre, p):
        return Effect(pre.seen.member(p["i"]), updates={"x": X.store(pre.x, p["i"], X.range.const(2))})

    def none_seen(pre, p):
        return Effect(pre.seen.forall(lambda y: z3.BoolVal(False)), updates={"x": X.store(pre.x, p["i"], X.range.const(3))})

    def not_seen(pre, p):
        return Effect(z3.Not(pre.seen.member(p["i"])), updates={"x": X.store(pre.x, p["i"], X.range.const(1))})

    def bump(pre, p):
        old = X.select(pre.x, p["i"])
        return Effect(old + 1 <= 3, updates={"x": X.store(pre.x, p["i"], old + 1)})

    def peek(pre, p):
        return Effect(X.select(pre.x, 0) == 0, updates={"x": X.store(pre.x, p["i"], X.range.const(1))})

    i = Param("i", A)
    from smtspec.symmetry import Symmetry

    acts = (
        Action("Add", (i,), ("x",), add), Action("Has", (i,), ("seen",), has),
        Action("NoneSeen", (i,), ("seen",), none_seen), Action("NotSeen", (i,), ("seen",), not_seen),
        Action("Bump", (i,), ("seen",), bump), Action("PeekFirst", (i,), ("seen",), peek),
    )
    return System(spec="actors", scope=Scope.of(capacity=1), vars=(StateVar("x", X), StateVar("seen", A, grow=True)),
                  actions=acts, invariants=(Invariant("Small", lambda v: z3.BoolVal(True)),),
                  init=lambda v: z3.And(v.x[0] == 0, v.x[1] == 0), symmetry=Symmetry("Actor", "i"))


def test_independence_follows_read_and_write_sets_per_actor():
    p = stepsem.plan(actors_system())
    assert [s.name for s in p.slots] == ["i=0", "i=1"]
    ok = p.independent
    assert ok(0, "Add", 1, "Add")  # both only add to a grow-only set
    assert ok(0, "Add", 1, "Has")  # a monotone reader may follow an addition
    assert not ok(0, "Add", 1, "NoneSeen")  # an aggregate reader may not
    assert not ok(0, "Add", 1, "NotSeen")  # a negated membership is not monotone
    assert ok(0, "NoneSeen", 1, "Add")  # the reader first, then the addition: fine
    assert ok(0, "Bump", 1, "Bump")  # x[0] and x[1] are different locations
    assert not ok(0, "Bump", 1, "PeekFirst")  # PeekFirst(1) reads x[0], which Bump(0) writes
    assert ok(0, "PeekFirst", 1, "Bump")  # Bump(1) writes x[1] only
    assert p.access[(0, "Has")].monotone == {"seen"} and ("seen", -1) not in p.access[(0, "Has")].reads
    assert p.access[(0, "Bump")].writes == {("x", 0)}


def test_parallel_raft_independence_per_server_and_for_aggregate_readers():
    _, system = raft()
    p = stepsem.plan(system)
    assert [s.name for s in p.slots] == ["i=s1", "i=s2", "i=s3"]
    ok = p.independent
    # different servers, only adding to grow-only sets (messages; Next's allLogs/allEntries)
    assert ok(0, "RequestVote", 1, "RequestVote") and ok(0, "RequestSync", 2, "RequestVote")
    # `m \in messages` is monotone: a request may be handled right after it is sent
    assert ok(0, "RequestVote", 1, "HandleRequestVoteRequest")
    # BecomeLeaderCandidate aggregates every vote response: never after an action adding messages
    for adder in ("RequestVote", "HandleRequestVoteRequest", "HandleRequestSyncRequest", "UpdateSync"):
        assert not ok(0, adder, 1, "BecomeLeaderCandidate"), adder
    assert ok(0, "BecomeLeaderCandidate", 1, "RequestVote")
    # BecomeLeader records the logs of its voters: not after another server's log changes
    assert not ok(0, "ClientRequest", 1, "BecomeLeader")
    assert ok(0, "Timeout", 1, "Timeout")
    assert p.access[(1, "Timeout")].writes <= {(x, pos) for (x, pos) in p.access[(1, "Timeout")].writes
                                               if x in ("currentState", "currentTerm", "votedFor")}
    assert "messages" in p.access[(0, "BecomeLeaderCandidate")].reads | {x for x, _ in p.access[(0, "BecomeLeaderCandidate")].reads}
    assert p.access[(0, "HandleRequestVoteRequest")].monotone == {"messages"}
    assert {"allLogs", "allEntries"} <= p.access[(0, "Restart")].adds  # Next's conjunct: every instance adds


def test_the_polarity_check_sees_negations():
    a, b = z3.Bools("a b")
    pol = stepsem._polarities(z3.And(z3.Or(a, b), z3.Implies(b, a)), {"a", "b"})
    assert pol == {"a": {1}, "b": {1, -1}}
    assert stepsem._polarities(z3.If(a, b, z3.BoolVal(False)), {"a", "b"}) == {"a": {0}, "b": {1}}


# ---------------------------------------------------------------- one step from concrete states


def step_successors(system, p, state, limit=400):
    """Every post-state of one step from ``state``, each with one serialized witness (a Trace)."""
    u = concrete(system, state)
    s = z3.Solver()
    s.add(stepsem.trans(u, p))
    out = {}
    while s.check() == z3.sat:
        m = s.model()
        tr = stepsem.decode(m, u, p, kind="counterexample", invariants=(), violated=())
        out[tr.states[-1]] = tr
        assert len(out) <= limit, "too many step successors"
        s.add(z3.Not(equals_concrete(system, u.states[1], tr.states[-1])))
    return out


@pytest.mark.parametrize("seed", [1, 2])
def test_each_step_is_the_serialized_execution_of_its_instances(seed):
    scope, system = raft(TINY)
    p = stepsem.plan(system)
    rng = random.Random(seed)
    states = [interp.initial_state(scope)]
    for _ in range(2):
        states += [nxt for _a, _p, nxt in interp.random_walk(scope, 6, rng)][2::3]
    multi = 0
    for st in states[:5]:
        succ = step_successors(system, p, st)
        assert set(interp.successors(st, scope)) <= set(succ)  # one instance per step: every interleaved step
        for post, tr in succ.items():
            assert tr.states[0] == st
            assert serialized_ok(tr, scope), tr.steps  # each serialized step is a step of the interpreter
            multi += len(tr.steps) > 1
    assert multi > 0  # some steps do fire several instances


def serialized_ok(tr, scope) -> bool:
    """Each serialized step of ``tr`` is a step of the interpreter (parameters it names agree)."""
    return replay(replace(tr, kind="cti", invariants=(), violated=()), interp, scope).ok


def forced_steps(system, p, st, first, second, limit=12, extra=None):
    """Up to ``limit`` steps from ``st`` firing ``first`` in slot 0 and ``second`` in slot 1 (distinct posts)."""
    u = concrete(system, st)
    s = z3.Solver()
    s.add(stepsem.trans(u, p), u.steps[0].fire[0][first], u.steps[0].fire[1][second])
    s.add(*[z3.Not(f) for slot in u.steps[0].fire[2:] for f in slot.values()])  # the other slots stay idle
    if extra is not None:
        s.add(extra(u.steps[0]))
    out = []
    while len(out) < limit and s.check() == z3.sat:
        tr = stepsem.decode(s.model(), u, p, kind="counterexample", invariants=(), violated=())
        out.append(tr)
        s.add(z3.Not(equals_concrete(system, u.states[1], tr.states[-1])))
    return out


def leader_and_candidate(scope, leader="s1", candidate="s2"):
    """A Leader with a free log slot, and a LeaderCandidate whose sync the leader acked."""
    st = interp.initial_state(scope)
    return (st.set("currentTerm", interp.Fn({"s1": 1, "s2": 1}))
              .set("currentState", interp.Fn({leader: "Leader", candidate: "LeaderCandidate"}))
              .set("syncTrack", st["syncTrack"].set(candidate, interp.Fn({"s1": 1, "s2": 1}))))


def candidate_and_leader(scope):
    return leader_and_candidate(scope, leader="s2", candidate="s1")


def candidate_with_two_votes(scope):
    """Three servers: s2 a Candidate holding granted votes of s1 and s2; s1, whose log now has an
    entry of term 0, can answer s2's request again, and that answer would change s2's merge."""
    st = interp.initial_state(scope)
    req = Rec(mtype="RequestVoteRequest", mterm=1, msync=0, msource="s2", mdest="Nil")
    votes = frozenset(Rec(mtype="RequestVoteResponse", mterm=1, mvoteGranted=True, mlog=frozenset(), mend=(-1, -1),
                          msource=q, mdest="s2") for q in ("s1", "s2"))
    entry = Rec(term=0, date=0, value="v1", committed=False)
    return (st.set("currentTerm", interp.Fn({"s1": 1, "s2": 1, "s3": 1}))
              .set("currentState", st["currentState"].set("s2", "Candidate"))
              .set("votedFor", interp.Fn({"s1": "s2", "s2": "s2", "s3": "Nil"}))
              .set("log", st["log"].set("s1", interp.Fn({0: entry})))
              .set("messages", frozenset({req}) | votes))


def merges_s1(step):
    return step.params[1]["P"][0]  # BecomeLeaderCandidate(s2) reads the responses of a quorum P with s1


@pytest.mark.parametrize("bounds,make,first,second,allowed,extra", [
    # BecomeLeader(s2) records its voters' logs: after ClientRequest(s1) changes s1's log it would record a stale one
    (TINY, leader_and_candidate, "ClientRequest", "BecomeLeader", False, None),
    # the other way round in slot order: s1's election reads s2's log before s2 appends to it
    (TINY, candidate_and_leader, "BecomeLeader", "ClientRequest", True, None),
    # BecomeLeaderCandidate(s2) merges every vote response: not after s1 answers in the same step
    ({"servers": 3, "terms": 1, "indexes": 1, "values": 1}, candidate_with_two_votes,
     "HandleRequestVoteRequest", "BecomeLeaderCandidate", False, merges_s1),
    # an old request handled while another server sends: independent
    ({"servers": 3, "terms": 1, "indexes": 1, "values": 1}, candidate_with_two_votes,
     "HandleRequestVoteRequest", "HandleRequestVoteRequest", True, None),
], ids=["log-then-election", "election-then-log", "vote-then-merge", "two-votes"])
def test_forced_pairs_are_serialized_executions_or_refused(bounds, make, first, second, allowed, extra):
    scope, system = raft(bounds)
    p = stepsem.plan(system)
    st = make(scope)
    # each instance alone is enabled in st, so only independence decides
    assert interp.step(st, scope, first, {"i": "s1"}) and interp.step(st, scope, second, {"i": "s2"})
    steps = forced_steps(system, p, st, first, second, extra=extra)
    for tr in steps:
        assert [x.action for x in tr.steps] == [first, second]
        assert serialized_ok(tr, scope), tr.steps
    assert bool(steps) == allowed


def two_instance_step(system, p, st, first, second):
    u = concrete(system, st)
    s = z3.Solver()
    s.add(stepsem.trans(u, p), u.steps[0].fire[0][first], u.steps[0].fire[1][second])
    assert s.check() == z3.sat
    return stepsem.decode(s.model(), u, p, kind="counterexample", invariants=(), violated=())


@pytest.mark.parametrize("leader", ["s1", "s2"])
def test_a_step_adds_the_logs_of_every_intermediate_state_and_no_others(leader):
    # the leader appends to its log in its slot; the other server times out in its own
    scope, system = raft(TINY)
    p = stepsem.plan(system)
    st = interp.initial_state(scope)
    st = st.set("currentState", st["currentState"].set(leader, "Leader"))
    order = ["ClientRequest", "Timeout"] if leader == "s1" else ["Timeout", "ClientRequest"]
    tr = two_instance_step(system, p, st, *order)
    assert [x.action for x in tr.steps] == order
    assert serialized_ok(tr, scope)
    # Next adds the PRE-state logs of each of the two interleaved steps: states 0 and 1
    assert tr.states[2]["allLogs"] == frozenset(st["log"].values()) | frozenset(tr.states[1]["log"].values())
    appended = tr.states[2]["log"][leader]
    assert appended != st["log"][leader]
    # s1 appends first: its new log is the pre-state of s2's step; s2 appends last: no step has it as pre-state
    assert (appended in tr.states[2]["allLogs"]) == (leader == "s1")


# ---------------------------------------------------------------- BMC


def test_toy_step_bmc_finds_the_same_shortest_counterexample():
    r = bmc(toy_spec.build(), ["AtMostFour", "Even"], 5, Options(semantics="step"))
    assert r["AtMostFour"].verdict is Verdict.REFUTED and r["AtMostFour"].bound == 3
    assert r["AtMostFour"].method == "bmc-step" and [st["x"] for st in r["AtMostFour"].trace.states] == [0, 2, 4, 6]
    assert r["Even"].verdict is Verdict.NO_VIOLATION and r["Even"].covered == 5
    assert "covers every interleaved behaviour of at most 5 actions" in r["Even"].summary()


def test_unknown_semantics_is_refused():
    with pytest.raises(ValueError, match="semantics"):
        bmc(toy_spec.build(), ["Even"], 1, Options(semantics="parallel"))


STEP_DEPTH = 4


@pytest.fixture(scope="module")
def tiny_run():
    scope, system = raft(TINY)
    invs, concrete_probes = probes(system)
    with_invariants(system, invs)
    names = [i.name for i in invs] + list(SPEC.invariant_names)
    checks = {n: (lambda st, n=n: interp.INVARIANTS[n](st, scope)) for n in SPEC.invariant_names}
    checks.update({n: (lambda st, f=f: f(st)) for n, f in concrete_probes.items()})
    slots = stepsem.plan(system).slots
    horizon = len(slots) * STEP_DEPTH  # the most actions STEP_DEPTH steps can hold
    expected = explore.first_failures(interp.initial_state(scope), lambda st: interp.successors(st, scope),
                                      checks, horizon)
    results = bmc(system, names, STEP_DEPTH, Options(semantics="step"))
    return scope, system, results, expected, len(slots)


def test_step_counterexamples_serialize_into_traces_the_interpreter_replays(tiny_run):
    scope, system, results, _, _ = tiny_run
    refuted = [r for r in results.values() if r.verdict is Verdict.REFUTED]
    assert refuted and any(r.trace.length > r.bound for r in refuted)  # some step fired several actions
    for r in refuted:  # the probes are no invariants of the interpreter: the solver evaluates them
        rep = replay(r.trace, interp, scope, evaluators(system, [r.invariant]))
        assert rep.ok, (r.invariant, rep.problems)
        assert sum(r.trace.extra["actions_per_step"]) == r.trace.length and len(r.trace.extra["actions_per_step"]) == r.bound
        assert all(interp.INVARIANTS.get(r.invariant, lambda s, sc: True)(st, scope) for st in r.trace.states[:-1])
    # the command line's own replay check passes them (and would flag a broken one)
    assert check_counterexamples(SPEC, scope, refuted, system) == []
    bad = refuted[0]  # ClientRequest needs a leader: never enabled in Init
    broken = replace(bad, trace=replace(bad.trace, steps=(Step("ClientRequest", Rec(i="s1", v="v1")),) + bad.trace.steps[1:]))
    assert len(check_counterexamples(SPEC, scope, [broken], system)) == 1


def test_step_bmc_agrees_with_breadth_first_search_at_a_tiny_scope(tiny_run):
    scope, system, results, expected, slots = tiny_run
    assert {"NoCandidate", "NoTwoVotedServers", "NoLeaderCandidate", "NoHalfElection"} <= set(expected)
    assert all(r.verdict in (Verdict.REFUTED, Verdict.NO_VIOLATION) for r in results.values())
    found = {n: r for n, r in results.items() if r.verdict is Verdict.REFUTED}
    # everything BFS finds within STEP_DEPTH actions, step BMC finds, no deeper in steps
    for n, d in expected.items():
        if d <= STEP_DEPTH:
            assert n in found and found[n].bound <= d, n
    for n, r in found.items():
        b = expected[n]  # a step counterexample is a real behaviour: BFS sees it, no longer than it
        assert b <= r.trace.length <= slots * r.bound
        assert math.ceil(b / slots) <= r.bound <= b  # at most one action per slot per step
    # no violation claimed where BFS finds one within the covered interleaved depth
    for n, r in results.items():
        if r.verdict is Verdict.NO_VIOLATION:
            assert expected.get(n, math.inf) > r.covered
    # at this scope every probe BFS reaches within slots * STEP_DEPTH actions is reached within STEP_DEPTH steps
    assert set(found) == set(expected)
    assert found["NoLeaderCandidate"].bound < expected["NoLeaderCandidate"]


def test_cli_semantics_flag(capsys, tmp_path):
    small = ["--servers", "2", "--terms", "1", "--indexes", "1", "--values", "1"]
    code = main(["bmc", "Lemma3", "--semantics", "step", "--depth", "2", *small, "--json", "--trace", str(tmp_path)])
    out, err = capsys.readouterr()
    import json

    j = json.loads(out.splitlines()[0])
    assert code == 0 and j["method"] == "bmc-step" and j["semantics"] == "step" and j["covered_depth"] == 2
    assert "covers every interleaved behaviour of at most 2 actions" in j["covers"]
    assert any(x.startswith("step semantics:") for x in j["reductions"])
    assert any("no symmetry breaking" in x for x in j["reductions"])
    code = main(["bmc", "Lemma3", "--semantics", "step", "--depth", "1", *small, "--trace", str(tmp_path)])
    out, _ = capsys.readouterr()
    assert code == 0 and "no violation within 1 steps of step semantics: covers every interleaved behaviour" in out
    code = main(["bmc", "Lemma3", "--semantics", "sideways", *small])
    out, err = capsys.readouterr()
    assert code == 2 and err.count("\n") == 1 and "--semantics must be interleaving or step" in err
    code = main(["bmc", "Lemma3", "--depth", "1", *small, "--json", "--trace", str(tmp_path)])
    out, _ = capsys.readouterr()
    j = json.loads(out.splitlines()[0])
    assert code == 0 and j["method"] == "bmc" and "semantics" not in j  # the default is unchanged
