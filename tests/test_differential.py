"""The Z3 transition relation against the independent concrete interpreter.

1. On states reached by seeded random walks, the set of successors Z3 admits (enumerated
   with blocking clauses) equals the set the interpreter computes.
2. At a tiny scope, BMC's shortest counterexample depth for each lemma equals the depth a
   breadth-first search with the interpreter finds (or both find none up to that depth).
"""

from __future__ import annotations

import os
import random

import pytest

from conftest import scaled
from smtspec.encodings.parallel_raft import SPEC
from smtspec.encodings.parallel_raft import interpreter as interp
from smtspec.engine import bmc
from smtspec import explore
from smtspec.verdict import Verdict

TINY = {"servers": 2, "terms": 2, "indexes": 2, "values": 1}
SMALL = {"servers": 3, "terms": 2, "indexes": 2, "values": 1}


z3_successors = explore.successors


def walk_states(scope, walks, length, seed):
    rng = random.Random(seed)
    seen = []
    for _ in range(walks):
        for _action, _params, nxt in interp.random_walk(scope, length, rng):
            seen.append(nxt)
    rng.shuffle(seen)
    return seen


@pytest.mark.slow
@pytest.mark.parametrize("bounds,seed", [(TINY, 1), (SMALL, 2)])
def test_z3_successors_equal_interpreter_successors_on_random_states(bounds, seed):
    scope = SPEC.scope(bounds)
    system = SPEC.build(scope)
    states = [interp.initial_state(scope)] + walk_states(scope, walks=6, length=25, seed=seed)[: scaled(8, 40)]
    for st in states:
        expected = interp.successors(st, scope)
        got = z3_successors(system, st)
        assert got == expected, f"{len(got - expected)} extra and {len(expected - got)} missing successors"


def bfs_first_violation(scope, names, max_depth):
    """Shortest depth at which each invariant fails, by breadth-first search with the interpreter."""
    checks = {n: (lambda st, n=n: interp.INVARIANTS[n](st, scope)) for n in names}
    return explore.first_failures(interp.initial_state(scope), lambda st: interp.successors(st, scope), checks, max_depth)


DEPTH = int(os.environ.get("SMTSPEC_DIFF_DEPTH", scaled(7, 10)))


@pytest.mark.slow
def test_bmc_depths_equal_breadth_first_search_depths_at_a_tiny_scope():
    scope = SPEC.scope(TINY)
    system = SPEC.build(scope)
    names = list(SPEC.invariant_names)
    expected = bfs_first_violation(scope, names, DEPTH)
    results = bmc(system, names, DEPTH)
    got = {n: r.bound for n, r in results.items() if r.verdict is Verdict.REFUTED}
    assert all(r.verdict in (Verdict.REFUTED, Verdict.NO_VIOLATION) for r in results.values())
    assert got == expected


# ---------------------------------------------------------------- arbitrary well-typed states
# The interpreter and the encoding must agree on every well-typed state, reachable or not.
# Random states with few distinct terms make guards such as `m.mterm = currentTerm[i]` and
# Merge's committed/largest-date choices fire often.


def random_entry(rng, scope):
    if rng.random() < 0.3:
        return interp.EMPTY_ENTRY
    t = rng.randint(0, scope.terms)
    return interp.Rec(term=t, date=rng.randint(t, scope.terms), value=f"v{rng.randint(1, scope.values)}",
                      committed=rng.random() < 0.4)


def random_log(rng, scope):
    return interp.Fn({n: random_entry(rng, scope) for n in range(scope.indexes)})


def random_message(rng, scope, servers):
    Rec, Fn = interp.Rec, interp.Fn
    kind = rng.choice(["RequestVoteRequest", "RequestVoteResponse", "RequestSyncRequest",
                       "RequestSyncResponse", "UpdateSyncRequest", "UpdateSyncResponse"])
    t = lambda: rng.randint(0, scope.terms)  # noqa: E731
    src, dst = rng.choice(servers), rng.choice(servers)
    if kind == "RequestVoteRequest":
        return Rec(mtype=kind, mterm=t(), msync=t(), msource=src, mdest="Nil")
    if kind == "RequestVoteResponse":
        mlog = frozenset((n, random_entry(rng, scope)) for n in range(scope.indexes) if rng.random() < 0.6)
        ep = (-1, -1) if rng.random() < 0.4 else (t(), rng.randint(-1, scope.indexes - 1))
        return Rec(mtype=kind, mterm=t(), mvoteGranted=rng.random() < 0.8, mlog=mlog, mend=ep, msource=src, mdest=dst)
    if kind == "RequestSyncRequest":
        if rng.random() < 0.3:
            return Rec(mtype=kind, mterm=t(), msync=t(), mstart=-1, mend=-1, mentries="Nil", msource=src, mdest="Nil")
        a = rng.randint(0, scope.indexes - 1)
        b = rng.randint(a, scope.indexes - 1)
        return Rec(mtype=kind, mterm=t(), msync=t(), mstart=a, mend=b,
                   mentries=Fn({n: random_entry(rng, scope) for n in range(a, b + 1)}), msource=src, mdest="Nil")
    if kind == "RequestSyncResponse":
        a = rng.randint(-1, scope.indexes - 1)
        return Rec(mtype=kind, mterm=t(), msyncGranted=rng.random() < 0.7, msync=t(), mstart=a,
                   mend=max(a, rng.randint(-1, scope.indexes - 1)), msource=src, mdest=dst)
    if kind == "UpdateSyncRequest":
        dest = frozenset(s for s in servers if rng.random() < 0.6)
        return Rec(mtype=kind, mterm=t(), msync=t(), msource=src, mdest=dest)
    return Rec(mtype=kind, mterm=t(), mupdateSyncGranted=rng.random() < 0.7, msync=t(), msource=src, mdest=dst)


def random_state(rng, scope):
    Rec, Fn = interp.Rec, interp.Fn
    servers = [f"s{k}" for k in range(1, scope.servers + 1)]
    base = interp.initial_state(scope)
    ct = {s: rng.randint(0, scope.terms) for s in servers}
    sync = {s: rng.randint(0, ct[s]) for s in servers}
    logs = {s: random_log(rng, scope) for s in servers}
    msgs = frozenset(random_message(rng, scope, servers) for _ in range(rng.randint(1, 4)))
    quorum = frozenset(servers[: scope.servers // 2 + 1])
    half = frozenset(
        Rec(eterm=rng.randint(1, scope.terms), eleaderCandidate=rng.choice(servers), esync=0, evotes=quorum,
            elog=random_log(rng, scope)) for _ in range(rng.randint(0, 1))
    )
    return base.set("currentTerm", Fn(ct)).set("sync", Fn(sync)).set("log", Fn(logs)).set("messages", msgs).set(
        "currentState", Fn({s: rng.choice(["Follower", "Candidate", "Leader", "LeaderCandidate"]) for s in servers})
    ).set("votedFor", Fn({s: rng.choice(servers + ["Nil"]) for s in servers})).set(
        "endPoint", Fn({s: Fn({t: ((-1, -1) if rng.random() < 0.5 else (rng.randint(0, scope.terms), rng.randint(-1, scope.indexes - 1)))
                              for t in range(scope.terms + 1)}) for s in servers})
    ).set("syncTrack", Fn({s: Fn({r: rng.randint(0, scope.terms) for r in servers}) for s in servers})).set(
        "halfElections", half
    )


def election_ready_state(rng, scope):
    """A random state where server i is a Candidate holding granted vote responses from every
    server (so BecomeLeaderCandidate's merge runs), or a LeaderCandidate with sync responses
    from every server (so UpdateSync and BecomeLeader run)."""
    Rec = interp.Rec
    st = random_state(rng, scope)
    servers = sorted(st["currentTerm"])
    i = rng.choice(servers)
    t = st["currentTerm"][i]
    if rng.random() < 0.6:
        msgs = frozenset(
            Rec(mtype="RequestVoteResponse", mterm=t, mvoteGranted=rng.random() < 0.9,
                mlog=frozenset((n, random_entry(rng, scope)) for n in range(scope.indexes) if rng.random() < 0.7),
                mend=(-1, -1) if rng.random() < 0.3 else (rng.randint(0, 1), rng.randint(-1, scope.indexes - 1)),
                msource=src, mdest=i)
            for src in servers
        )
        return st.set("messages", msgs).set("currentState", st["currentState"].set(i, "Candidate"))
    sync_i = st["sync"][i]
    msgs = frozenset(
        Rec(mtype="RequestSyncResponse", mterm=t, msyncGranted=True, msync=sync_i, mstart=0, mend=0,
            msource=src, mdest=i)
        for src in servers
    )
    track = st["syncTrack"].set(i, interp.Fn({r: (t if rng.random() < 0.7 else 0) for r in servers}))
    return st.set("messages", msgs).set("currentState", st["currentState"].set(i, "LeaderCandidate")).set("syncTrack", track)


@pytest.mark.slow
@pytest.mark.parametrize(
    "make,bounds,seed,count",
    [
        (random_state, TINY, 11, scaled(25, 100)),
        (random_state, SMALL, 12, scaled(10, 40)),
        (election_ready_state, TINY, 13, scaled(25, 100)),
        (election_ready_state, SMALL, 14, scaled(10, 40)),
    ],
    ids=["typed-tiny", "typed-small", "election-tiny", "election-small"],
)
def test_z3_successors_equal_interpreter_successors_on_arbitrary_typed_states(make, bounds, seed, count):
    scope = SPEC.scope(bounds)
    system = SPEC.build(scope)
    rng = random.Random(seed)
    for n in range(count):
        st = make(rng, scope)
        expected = interp.successors(st, scope)
        got = z3_successors(system, st)
        assert got == expected, f"state {n}: {len(got - expected)} extra and {len(expected - got)} missing successors"
