"""Symmetry breaking over servers: the declaration is checked, and BMC depths do not change.

``Symmetry("Server", "i")`` claims that Init, every action of Next and every ParallelRaft-CE
invariant are unchanged by renaming servers. The first tests check that claim with the
concrete interpreter on renamed states; the others check that BMC under the canonical
order finds every counterexample at the depth a breadth-first search finds it, and that
an invariant naming one server turns symmetry breaking off.
"""

from __future__ import annotations

import itertools
import random

import pytest
import z3

from conftest import scaled
from smtspec import explore
from smtspec.encodings.parallel_raft import SPEC
from smtspec.encodings.parallel_raft import interpreter as interp
from smtspec.engine import Options, bmc
from smtspec.sorts import conj
from smtspec.system import Invariant
from smtspec.values import Fn, Rec, Seq
from smtspec.verdict import Verdict

TINY = {"servers": 2, "terms": 2, "indexes": 2, "values": 1}
SMALL = {"servers": 3, "terms": 2, "indexes": 2, "values": 1}


def rename(value, sigma: dict):
    """A concrete value with every server name replaced by its image under ``sigma``."""
    if isinstance(value, str):
        return sigma.get(value, value)
    if isinstance(value, Rec):
        return Rec({k: rename(v, sigma) for k, v in value.items()})
    if isinstance(value, Fn):
        return Fn({rename(k, sigma): rename(v, sigma) for k, v in value.items()})
    if isinstance(value, Seq):
        return Seq(rename(v, sigma) for v in value)
    if isinstance(value, tuple):
        return tuple(rename(v, sigma) for v in value)
    if isinstance(value, frozenset):
        return frozenset(rename(v, sigma) for v in value)
    return value


def permutations(scope):
    servers = [f"s{k}" for k in range(1, scope.servers + 1)]
    return [dict(zip(servers, p)) for p in itertools.permutations(servers)]


def walk_states(scope, walks, length, seed):
    rng = random.Random(seed)
    return [nxt for _ in range(walks) for _a, _p, nxt in interp.random_walk(scope, length, rng)]


def test_renaming_servers_leaves_init_unchanged():
    scope = SPEC.scope(SMALL)
    init = interp.initial_state(scope)
    assert all(rename(init, sigma) == init for sigma in permutations(scope))


@pytest.mark.parametrize("name", SPEC.invariant_names)
def test_every_lemma_has_the_same_value_on_renamed_states(name):
    scope = SPEC.scope(SMALL)
    check = interp.INVARIANTS[name]
    for st in walk_states(scope, walks=3, length=scaled(25, 60), seed=7):
        for sigma in permutations(scope):
            assert check(rename(st, sigma), scope) == check(st, scope)


def test_successors_of_a_renamed_state_are_the_renamed_successors():
    scope = SPEC.scope(SMALL)
    states = walk_states(scope, walks=3, length=20, seed=3)[:: 3][: scaled(6, 30)]
    for st in states:
        succ = interp.successors(st, scope)
        for sigma in permutations(scope)[1:]:
            assert interp.successors(rename(st, sigma), scope) == {rename(t, sigma) for t in succ}


def test_every_action_of_next_has_the_acting_server_as_parameter_i():
    system = SPEC.build(SPEC.scope())
    assert system.symmetry.param == "i"
    assert all(any(p.name == "i" for p in a.params) for a in system.next_actions)


# -------------------------------------------------------- probes violated at known depths
# Symmetric state predicates that reachable states break at various depths, written twice:
# over the Z3 schema and over concrete states.


def probes(system, *, symmetric: bool = True):
    s = system.context
    n = system.scope.servers
    state = s.state.const
    empty = s.entry.const(s.entry.default())
    z = {
        "NoCandidate": lambda v: conj([v.currentState[i] != state("Candidate") for i in range(n)]),
        "NoLeaderCandidate": lambda v: conj([v.currentState[i] != state("LeaderCandidate") for i in range(n)]),
        "NoLeader": lambda v: conj([v.currentState[i] != state("Leader") for i in range(n)]),
        "TermsBelow2": lambda v: conj([v.currentTerm[i] < 2 for i in range(n)]),
        "NoHalfElection": lambda v: v.halfElections.forall(lambda e: z3.BoolVal(False)),
        "LogsEmpty": lambda v: conj([s.entry.eq(e, empty) for i in range(n) for e in v.log[i]]),
        "NoTwoVotedServers": lambda v: z3.Not(z3.Or([
            z3.And(v.votedFor[a] != s.server_or_nil.const("Nil"), v.votedFor[b] != s.server_or_nil.const("Nil"))
            for a in range(n) for b in range(a + 1, n)])),
    }
    concrete = {
        "NoCandidate": lambda st: all(x != "Candidate" for x in st.currentState.values()),
        "NoLeaderCandidate": lambda st: all(x != "LeaderCandidate" for x in st.currentState.values()),
        "NoLeader": lambda st: all(x != "Leader" for x in st.currentState.values()),
        "TermsBelow2": lambda st: all(t < 2 for t in st.currentTerm.values()),
        "NoHalfElection": lambda st: not st.halfElections,
        "LogsEmpty": lambda st: all(e == interp.EMPTY_ENTRY for lg in st.log.values() for e in lg.values()),
        "NoTwoVotedServers": lambda st: sum(x != "Nil" for x in st.votedFor.values()) < 2,
    }
    invs = tuple(Invariant(k, f, symmetric=symmetric) for k, f in z.items())
    return invs, concrete


def with_invariants(system, invs):
    system.invariants = tuple(system.invariants) + tuple(invs)
    return system


DEPTH = scaled(6, 9)


@pytest.mark.slow
def test_bmc_under_symmetry_finds_each_probe_at_its_breadth_first_depth():
    scope = SPEC.scope(TINY)
    system = SPEC.build(scope)
    invs, concrete = probes(system)
    with_invariants(system, invs)
    names = [i.name for i in invs]
    expected = explore.first_failures(interp.initial_state(scope), lambda st: interp.successors(st, scope),
                                      concrete, DEPTH)
    assert len(expected) >= 5  # the probes do fail within the depth
    got = bmc(system, names, DEPTH)
    assert all(any("symmetry of Server" in n for n in r.reductions) for r in got.values())
    assert {n: r.bound for n, r in got.items() if r.verdict is Verdict.REFUTED} == expected
    plain = bmc(system, names, DEPTH, Options(cone=False, symmetry=False))
    assert {n: r.bound for n, r in plain.items() if r.verdict is Verdict.REFUTED} == expected


def test_an_invariant_naming_one_server_turns_symmetry_breaking_off():
    scope = SPEC.scope(SMALL)
    system = SPEC.build(scope)
    # s3 is never a candidate: false after one Timeout of s3
    s3_follows = Invariant("S3NeverCandidate", lambda v: v.currentState[2] != system.context.state.const("Candidate"))
    with_invariants(system, [s3_follows])
    r = bmc(system, ["S3NeverCandidate"], 2)["S3NeverCandidate"]
    assert r.verdict is Verdict.REFUTED and r.bound == 1
    assert any("no symmetry breaking: S3NeverCandidate not declared symmetric" in n for n in r.reductions)


def test_a_wrong_symmetry_declaration_would_hide_a_counterexample():
    # what the declaration guards against: s3 cannot be the first server to act
    scope = SPEC.scope(SMALL)
    system = SPEC.build(scope)
    wrong = Invariant("S3NeverCandidate", lambda v: v.currentState[2] != system.context.state.const("Candidate"),
                      symmetric=True)
    with_invariants(system, [wrong])
    r = bmc(system, ["S3NeverCandidate"], 3)["S3NeverCandidate"]
    assert r.verdict is Verdict.REFUTED and r.bound == 3  # after s1 and s2 acted; the truth is 1
