"""The fast ParallelRaft-CE form equals the readable interpreter, state by state.

For every state visited (random walks of the interpreter, deep walks of the fast form,
and the election-poised states among them), both sides must produce the same set of
(action, parameters, successor) triples, and every invariant must have the same value.
"""

from __future__ import annotations

import random

import pytest

from smtspec.encodings.parallel_raft import fastconv, fastinv, fastsim
from smtspec.encodings.parallel_raft import interpreter as ref
from smtspec.scope import Scope

SCOPES = [
    Scope.of(servers=3, terms=3, indexes=2, values=2),
    Scope.of(servers=2, terms=2, indexes=3, values=1),
    Scope.of(servers=3, terms=2, indexes=1, values=1),
]
POISED = ("BecomeLeaderCandidate", "BecomeLeader", "UpdateSync", "HandleUpdateSyncRequest")


def same_successors(M: fastsim.Model, st: fastsim.FState, scope: Scope) -> None:
    rec = fastconv.to_rec(M, st)
    assert fastconv.from_rec(M, rec) == st
    got = {(a, fastconv.params_rec(M, a, args), fastconv.to_rec(M, nxt)) for a, args, nxt in fastsim.instances(M, st)}
    want = set(ref.instances(rec, scope))
    assert got == want, (sorted((a, str(p)) for a, p, _ in got ^ want))[:4]
    for name, (fn, _reads) in fastinv.INVARIANTS.items():
        assert fn(M, st) == ref.INVARIANTS[name](rec, scope), name


@pytest.mark.parametrize("scope", SCOPES, ids=str)
def test_init_is_the_interpreters_init(scope):
    M = fastsim.Model(scope)
    assert fastconv.to_rec(M, M.initial()) == ref.initial_state(scope)


@pytest.mark.parametrize("scope", SCOPES, ids=str)
def test_successors_and_invariants_agree_on_random_walks_of_the_interpreter(scope):
    M, rng = fastsim.Model(scope), random.Random(11)
    for _walk in range(12):
        rec = ref.initial_state(scope)
        for _ in range(25):
            same_successors(M, fastconv.from_rec(M, rec), scope)
            options = list(ref.instances(rec, scope))
            rec = rng.choice(options)[2]


def test_successors_agree_on_deep_and_election_poised_states():
    scope = SCOPES[0]
    M, rng = fastsim.Model(scope), random.Random(5)
    fs = fastsim.load(scope)
    deep = poised = 0
    for _walk in range(6):
        st = M.initial()
        for depth in range(160):
            enabled = {a for a in fastsim.ACTION_NAMES if fs.enum(a, st)}
            is_poised = bool(enabled & set(POISED))
            if (depth >= 60 and depth % 10 == 0) or (is_poised and rng.random() < 0.3):
                same_successors(M, st, scope)
                deep += depth >= 60
                poised += is_poised
            # a walk biased away from Restart, so that it keeps building history
            a = rng.choice(sorted(enabled - {"Restart"}) or ["Restart"])
            args = rng.choice(fs.enum(a, st))
            st = rng.choice(fs.apply(a, st, args))
    assert deep >= 30 and poised >= 30


def test_incremental_checks_skip_only_invariants_whose_variables_did_not_change():
    scope = SCOPES[0]
    fs = fastsim.load(scope)
    st = fs.initial()
    nxt = fs.apply("Timeout", st, (0,))[0]
    changed = set(fs.changed(st, nxt, list(fastinv.INVARIANTS)))
    assert {"Lemma1", "Lemma2", "TypeSafety"} <= changed and "Lemma8" not in changed and "Lemma9" not in changed
    assert fs.changed(st, st, list(fastinv.INVARIANTS)) == []


def test_the_incremental_check_after_a_step_equals_evaluating_every_invariant():
    scope = SCOPES[0]
    M, rng, fs = fastsim.Model(scope), random.Random(8), fastsim.load(scope)
    names = list(fastinv.INVARIANTS)
    compared = 0
    for _walk in range(30):
        st = M.initial()
        for _ in range(80):
            options = list(fastsim.instances(M, st))
            _a, _args, nxt = rng.choice(options)
            if not fastinv.violated(M, st, names):  # the contract: the pre-state satisfies them
                assert sorted(fs.violated_by_step(st, nxt, names)) == sorted(fastinv.violated(M, nxt, names))
                compared += 1
            st = nxt
    assert compared > 1000


def test_the_incremental_check_reports_a_conjunct_or_invariant_the_step_made_false():
    scope = SCOPES[0]
    M, fs = fastsim.Model(scope), fastsim.load(scope)
    pre = M.initial()
    names = list(fastinv.INVARIANTS)
    bad_track = pre._replace(syncTrack=((0, -1, 0),) + pre.syncTrack[1:])  # TypeSafety: syncTrack in Nat
    assert fs.violated_by_step(pre, bad_track, names) == ["TypeSafety"]
    log = ((1, 1, 0, False), fastsim.EMPTY)
    other = ((1, 1, 1, False), fastsim.EMPTY)
    conflict = pre._replace(log=(log, other, pre.log[2]), sync=(1, 1, 0), currentTerm=(1, 1, 0))
    # index 0 holds term 1 with value v1 at s1 and v2 at s2: Lemma8 alone is false
    assert fs.violated_by_step(pre, conflict, names) == ["Lemma8"]
    assert fs.violated_by_step(conflict, conflict, names) == []  # nothing changed: nothing re-evaluated


def test_interpreter_parameters_name_exactly_one_fast_instance():
    scope = SCOPES[0]
    fs, rng = fastsim.load(scope), random.Random(3)
    st, seen = fs.initial(), 0
    for _ in range(120):
        options = list(fastsim.instances(fs.model, st))
        for a, args, _nxt in options:
            assert fs.args(a, fs.params(a, args)) == args
            seen += 1
        st = rng.choice(options)[2]
    assert seen > 1000
