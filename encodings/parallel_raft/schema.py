"""ParallelRaft-CE state schema at one scope: the sorts of every variable and message field.

Declared once; frames, trace printing and JSON all derive from it. Each sort is the
seed's ``TypeSafety`` type bounded by the scope, except where a comment says otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import z3

from smtspec.scope import Bound, Scope
from smtspec.sorts import BoolSort, BoundedSet, Enum, Function, IntRange, NilOr, PairSet, PartialFunction, Record, Subset, Tuple, Union
from smtspec.system import StateVar

SPEC_NAME = "parallel-raft"

BOUNDS = (
    Bound("servers", 3, 1, 5, "Server = {s1..sN}"),
    Bound("terms", 3, 1, 8, "Term = 0..T; Timeout(i) needs currentTerm[i]+1 <= T"),
    Bound("indexes", 3, 1, 6, "Index = 0..I-1; ClientRequest needs logTail+1 <= I-1"),
    Bound("values", 2, 1, 4, "Value = {v1..vV}"),
    Bound("capacity", 3, 0, 12, "induction: at most C arbitrary elements per grow-only set"),
)

STATES = ("Follower", "Candidate", "Leader", "LeaderCandidate")
MESSAGE_KINDS = (
    "RequestVoteRequest",
    "RequestVoteResponse",
    "RequestSyncRequest",
    "RequestSyncResponse",
    "UpdateSyncRequest",
    "UpdateSyncResponse",
)
NIL = "Nil"

# The seed's variable tuples, expanded in UNCHANGED lists.
SERVER_VARS_T = ("currentTerm", "currentState", "votedFor", "sync", "endPoint")
LEADER_VARS_T = ("syncTrack",)
ELECTION_VARS_T = ("halfElections", "elections")


@dataclass(frozen=True)
class Schema:
    """All sorts of the specification at one scope."""

    scope: Scope

    @cached_property
    def server(self) -> Enum:
        return Enum("Server", tuple(f"s{k}" for k in range(1, self.scope.servers + 1)))

    @cached_property
    def server_or_nil(self) -> Enum:
        # Same positions as `server` for s1..sN, so a Server and a Server-or-Nil compare as Z3 ints.
        return Enum("Server∪{Nil}", self.server.names + (NIL,), fallback=NIL)

    @cached_property
    def value(self) -> Enum:
        return Enum("Value", tuple(f"v{k}" for k in range(1, self.scope.values + 1)))

    @cached_property
    def value_or_nil(self) -> Enum:
        return Enum("Value∪{Nil}", self.value.names + (NIL,), fallback=NIL)

    @cached_property
    def state(self) -> Enum:
        return Enum("State", STATES)

    @cached_property
    def term(self) -> IntRange:
        """Term = 0..T. Also the sort of ``sync`` and every ``msync``/``esync``: TypeSafety allows
        ``sync = -1``, which no action produces and which would make ``endPoint[i][sync[i]]``
        undefined, so the domain starts at 0 (see the scope's notes)."""
        return IntRange(0, self.scope.terms)

    @cached_property
    def term_or_none(self) -> IntRange:
        return IntRange(-1, self.scope.terms)

    @cached_property
    def index(self) -> IntRange:
        return IntRange(0, self.scope.indexes - 1)

    @cached_property
    def index_or_none(self) -> IntRange:
        return IntRange(-1, self.scope.indexes - 1)

    @cached_property
    def entry(self) -> Record:
        """``Entries``: [term : Term \\cup {-1}, date : Term \\cup {-1}, value : Value \\cup {Nil}, committed : BOOLEAN]."""
        return Record(
            "Entry",
            (
                ("term", self.term_or_none),
                ("date", self.term_or_none),
                ("value", self.value_or_nil),
                ("committed", BoolSort()),
            ),
        )

    @cached_property
    def log(self) -> Function:
        return Function(self.index, self.entry)

    @cached_property
    def end_point(self) -> Tuple:
        """``<<date, index>>`` as the actions write it (TypeSafety's record shape is not used)."""
        return Tuple((self.term_or_none, self.index_or_none))

    @cached_property
    def servers(self) -> Subset:
        return Subset(self.server)

    @cached_property
    def pairs(self) -> PairSet:
        """A set of ``<<n, entry>>`` pairs that is a partial function Index -> Entry (mlog, s[3])."""
        return PairSet(self.index, self.entry)

    @cached_property
    def message(self) -> Union:
        t, idx, srv = self.term, self.index_or_none, self.server
        dest = self.server_or_nil
        entries = NilOr(PartialFunction(self.index, self.entry))

        nil = dest.const(NIL)

        def broadcast(f: dict) -> z3.BoolRef:
            # the requests of RequestVote and RequestSync are sent with mdest |-> Nil
            return f["mdest"] == nil

        def addressed(f: dict) -> z3.BoolRef:
            # responses go to j = m.msource, a server
            return f["mdest"] != nil

        def slice_typed(f: dict) -> z3.BoolRef:
            # mentries is Nil exactly when mstart = -1, else a function over mstart..mend.
            nil_entries, fn = f["mentries"]
            present = [p for p, _ in fn]
            return z3.And(
                broadcast(f),
                nil_entries == (f["mstart"] == -1),
                *[p == z3.And(f["mstart"] <= n, n <= f["mend"]) for n, p in zip(self.index.elements(), present)],
            )

        return Union(
            "Message",
            "mtype",
            (
                Record("RequestVoteRequest", (("mterm", t), ("msync", t), ("msource", srv), ("mdest", dest)),
                       constraint=broadcast),
                Record(
                    "RequestVoteResponse",
                    (
                        ("mterm", t),
                        ("mvoteGranted", BoolSort()),
                        ("mlog", self.pairs),
                        ("mend", self.end_point),
                        ("msource", srv),
                        ("mdest", dest),
                    ),
                    constraint=addressed,
                ),
                Record(
                    "RequestSyncRequest",
                    (
                        ("mterm", t),
                        ("msync", t),
                        ("mstart", idx),
                        ("mend", idx),
                        ("mentries", entries),
                        ("msource", srv),
                        ("mdest", dest),
                    ),
                    constraint=slice_typed,
                ),
                Record(
                    "RequestSyncResponse",
                    (
                        ("mterm", t),
                        ("msyncGranted", BoolSort()),
                        ("msync", t),
                        ("mstart", idx),
                        ("mend", idx),
                        ("msource", srv),
                        ("mdest", dest),
                    ),
                    constraint=addressed,
                ),
                Record("UpdateSyncRequest", (("mterm", t), ("msync", t), ("msource", srv), ("mdest", self.servers))),
                Record(
                    "UpdateSyncResponse",
                    (("mterm", t), ("mupdateSyncGranted", BoolSort()), ("msync", t), ("msource", srv), ("mdest", dest)),
                    constraint=addressed,
                ),
            ),
        )

    @cached_property
    def half_election(self) -> Record:
        return Record(
            "HalfElection",
            (
                ("eterm", self.term),
                ("eleaderCandidate", self.server),
                ("esync", self.term),
                ("evotes", self.servers),
                ("elog", self.log),
            ),
        )

    @cached_property
    def election(self) -> Record:
        # evoterLog = {log[k] : k \in Q} has at most N logs; arbitrary elections keep that bound.
        return Record(
            "Election",
            (
                ("eterm", self.term),
                ("esync", self.term),
                ("eleader", self.server),
                ("evotes", self.servers),
                ("evoterLog", BoundedSet(self.log, self.scope.servers)),
                ("elog", self.log),
            ),
        )

    @cached_property
    def synced(self) -> Tuple:
        """An ``allSynced`` element: <<sync, endPoint index, set of <<n, committed entry>>>>."""
        return Tuple((self.term, self.index_or_none, self.pairs))

    @cached_property
    def variables(self) -> tuple[StateVar, ...]:
        srv = self.server
        return (
            StateVar("messages", self.message, grow=True, doc="messages sent so far"),
            StateVar("currentTerm", Function(srv, self.term)),
            StateVar("currentState", Function(srv, self.state)),
            StateVar("votedFor", Function(srv, self.server_or_nil)),
            StateVar("sync", Function(srv, self.term)),
            StateVar("endPoint", Function(srv, Function(self.term, self.end_point))),
            StateVar("log", Function(srv, self.log)),
            StateVar("syncTrack", Function(srv, Function(srv, self.term))),
            StateVar("halfElections", self.half_election, grow=True),
            StateVar("elections", self.election, grow=True),
            StateVar("allLogs", self.log, grow=True),
            StateVar("allEntries", Tuple((self.index, self.entry)), grow=True),
            StateVar("allSynced", self.synced, grow=True),
        )

    @cached_property
    def var_sorts(self) -> dict:
        return {v.name: v.sort for v in self.variables}

    def quorum(self, q) -> z3.BoolRef:
        """``q \\in Quorums``: Cardinality(q) * 2 > Cardinality(Server)."""
        return self.servers.card(q) * 2 > self.scope.servers
