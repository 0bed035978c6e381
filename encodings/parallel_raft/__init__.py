"""ParallelRaft-CE (seed 000): schema, actions and invariants in Z3, and a concrete interpreter.

``SPEC`` is what the command line and the engine see: bounds, names and a builder of the
:class:`~smtspec.system.System` at a scope.
"""

from __future__ import annotations

import z3

from smtspec.sorts import ival

from smtspec.scope import Scope
from smtspec.sorts import conj
from smtspec.symmetry import Symmetry
from smtspec.system import Narrowing, SpecInfo, System, View

from .actions import RaftActions
from .invariants import build_invariants
from .schema import BOUNDS, SPEC_NAME, Schema
from .templates import candidate_name, candidates, excluded, template

NARROWINGS = (
    "Term = 0..T and Index = 0..I-1 (the seed has Nat); Timeout(i) is enabled only while "
    "currentTerm[i]+1 <= T and ClientRequest(i, v) only while logTail+1 <= I-1 (the seed's own "
    "guards `currentTerm[i]+1 \\in Term` and `nextIndex \\in Nat` with the bounded sets).",
    "CHOOSE (Merge's committed entry, the largest-date entry, the largest-date end point) is a "
    "nondeterministic choice among all qualifying candidates: every TLC behaviour and possibly more.",
    "Next's `\\E i, j \\in Server : RequestSync(i)` and `... UpdateSync(i)`: j is unused and omitted.",
    "sync, msync and esync range over 0..T: TypeSafety allows -1, which no action produces.",
    "An UpdateSyncRequest's mdest is a set; `m.mdest = i` and `m.mdest = Nil` are FALSE for it (TLC).",
    "Each message kind is typed by its constructor in the seed: requests of RequestVote and RequestSync "
    "carry mdest = Nil, responses a server, an UpdateSyncRequest a set of servers; a RequestSyncRequest's "
    "mentries is Nil exactly when mstart = -1, else a function over mstart..mend (arbitrary messages of "
    "an induction query are so typed).",
    "Induction: each grow-only set starts with at most `capacity` arbitrary elements; an arbitrary "
    "election's evoterLog holds at most N logs.",
    "Grow-only sets are exact in BMC: empty at Init, every element any step adds is kept.",
)


def build(scope: Scope) -> System:
    """The ParallelRaft-CE system at ``scope``."""
    s = Schema(scope)
    idx = s.index.elements()
    empty = s.entry.const(s.entry.default())

    def init(v: View) -> z3.BoolRef:
        cs = []
        for i in range(scope.servers):
            cs += [v.currentTerm[i] == 0, v.sync[i] == 0, v.currentState[i] == s.state.const("Follower")]
            cs += [v.votedFor[i] == s.server_or_nil.const("Nil")]
            cs += [s.end_point.eq(ep, (ival(-1), ival(-1))) for ep in v.endPoint[i]]
            cs += [x == 0 for x in v.syncTrack[i]]
            cs += [s.entry.eq(e, empty) for e in v.log[i]]
        return conj(cs)

    def next_adds(v: View):
        # allLogs' = allLogs \cup {log[i] : i \in Server};
        # allEntries' = allEntries \cup UNION {{<<n, log[i][n]>> : n \in Index} : i \in Server}
        true = z3.BoolVal(True)
        return {
            "allLogs": [(true, v.log[i]) for i in range(scope.servers)],
            "allEntries": [(true, (ival(n), v.log[i][n])) for i in range(scope.servers) for n in idx],
        }

    return System(
        spec=SPEC_NAME,
        scope=scope,
        vars=s.variables,
        actions=RaftActions(s).all(),
        invariants=build_invariants(s),
        init=init,
        next_adds=next_adds,
        next_vars=("allLogs", "allEntries"),
        narrowings=tuple(Narrowing(t) for t in NARROWINGS),
        context=s,
        templates=template,
        candidates=candidates,
        candidate_name=candidate_name,
        excluded=excluded,
        # Init, every action of Next and Quorums treat servers alike (CHOOSE is a free choice),
        # and every action has its acting server as parameter i (tests/test_symmetry.py)
        symmetry=Symmetry("Server", "i"),
    )


def _interpreter():
    from . import interpreter

    return interpreter


def _fast(scope: Scope):
    from . import fastsim

    return fastsim.load(scope)


def _small_scopes(scope: Scope) -> list[Scope]:
    """Scopes below ``scope``, smallest first: two servers (any two-server behaviour is one of
    three servers whose third stays idle, since {s1, s2} is a quorum of both), then the same
    servers with terms from 2, indexes from 1, values from 1. A behaviour found there is
    replayed (its steps, from Init) at ``scope``, and counts there only if it replays."""
    d = scope.as_dict()
    terms = sorted({min(2, d["terms"]), d["terms"]})
    indexes = sorted({1, min(2, d["indexes"]), d["indexes"]})
    values = sorted({1, d["values"]})
    out = [scope.replace(terms=t, indexes=i, values=v) for t in terms for i in indexes for v in values]
    smaller = sorted(set(out) - {scope}, key=lambda s: (s.terms + s.indexes + s.values, s.terms, s.indexes))
    two = [scope.replace(servers=2, terms=min(2, d["terms"]), indexes=1, values=1)] if d["servers"] == 3 else []
    return two + smaller


INVARIANT_NAMES = (
    "Lemma1", "Lemma2", "Lemma3", "Lemma4", "Lemma5", "Lemma6", "Lemma7", "Lemma8", "Lemma9",
    "Lemma10", "Lemma11", "Lemma12", "Lemma13", "syncCompleteness", "TypeSafety",
)
ACTION_NAMES = (
    "Restart", "Timeout", "UpdateTerm", "RequestVote", "HandleRequestVoteRequest",
    "BecomeLeaderCandidate", "BecomeLeader", "ClientRequest", "RequestSync",
    "HandleRequestSyncRequest", "HandleRequestSyncResponse", "UpdateSync",
    "HandleUpdateSyncRequest", "HandleUpdateSyncResponse",
)

SPEC = SpecInfo(
    name=SPEC_NAME,
    title="ParallelRaft-CE",
    source="seeds/000_ba7def4aa963ccd6.txt",
    bounds=BOUNDS,
    build=build,
    invariant_names=INVARIANT_NAMES,
    action_names=ACTION_NAMES,
    interpreter=_interpreter,
    fast=_fast,
    small_scopes=_small_scopes,
)
