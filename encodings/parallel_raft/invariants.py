"""ParallelRaft-CE invariants (Lemma1..Lemma13, syncCompleteness, TypeSafety) in Z3.

Each is transcribed from the seed's definition of the same name; quantifiers over
``Server``, ``Index`` and ``Term`` become finite conjunctions, quantifiers over grow-only
sets become conjunctions over their slots.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Callable

import z3

from smtspec.sorts import ival

from smtspec.sorts import conj, disj
from smtspec.system import Invariant, View

from .schema import Schema


def build_invariants(s: Schema) -> tuple[Invariant, ...]:
    srv = s.server.names
    idx = s.index.elements()
    terms = s.term.elements()
    LEADER = s.state.const("Leader")

    def each_server(body: Callable[[int], z3.BoolRef]) -> z3.BoolRef:
        return conj([body(k) for k in range(len(srv))])

    def lemma1(v: View):
        return each_server(lambda i: v.sync[i] <= v.currentTerm[i])

    def lemma2(v: View):
        return each_server(lambda i: z3.Implies(v.currentState[i] == LEADER, v.sync[i] == v.currentTerm[i]))

    def lemma6(v: View):
        return each_server(lambda i: z3.Implies(v.currentState[i] == LEADER, v.currentTerm[i] == v.sync[i]))

    def lemma3(v: View):
        he = v.halfElections
        return he.forall(lambda e: he.forall(lambda f: z3.Implies(e["eterm"] == f["eterm"], e["eleaderCandidate"] == f["eleaderCandidate"])))

    def lemma4(v: View):
        return v.elections.forall(
            lambda e: v.halfElections.exists(lambda f: z3.And(e["eterm"] == f["eterm"], e["eleader"] == f["eleaderCandidate"]))
        )

    def lemma5(v: View):
        el = v.elections
        return el.forall(lambda e: el.forall(lambda f: z3.Implies(e["eterm"] == f["eterm"], e["eleader"] == f["eleader"])))

    def lemma7(v: View):
        return v.halfElections.forall(lambda e: e["esync"] < e["eterm"])

    def lemma8(v: View):
        return conj(
            [
                z3.Implies(v.log[i][n]["term"] == v.log[j][n]["term"], v.log[i][n]["value"] == v.log[j][n]["value"])
                for i in range(len(srv))
                for j in range(len(srv))
                if i < j
                for n in idx
            ]
        )

    def lemma9(v: View):
        al = v.allSynced
        return al.forall(lambda a: al.forall(lambda b: z3.Implies(a[0] == b[0], s.synced.eq(a, b))))

    def lemma10(v: View):
        el = v.elections
        return el.forall(
            lambda e1: el.forall(
                lambda e2: z3.Implies(e1["eterm"] < e2["eterm"], v.allSynced.exists(lambda x: x[0] == e1["eterm"]))
            )
        )

    def entries(v: View, i: int, t):
        """``entries(i, t) == {<<n, log[i][n]>> : n \\in indexes(i, t)}`` as a partial function."""
        return s.pairs.make([(e["term"] == t, e) for e in v.log[i]])

    def lemma11(v: View):
        out = []
        for i in range(len(srv)):
            for t in terms:
                elected = v.elections.exists(lambda e, t=t: e["eterm"] == t)
                synced = v.allSynced.exists(lambda x, i=i, t=t: z3.And(x[0] == t, s.pairs.eq(entries(v, i, t), x[2])))
                out.append(z3.Implies(z3.And(t < v.sync[i], elected), synced))
        return conj(out)

    def lemma12(v: View):
        return each_server(lambda i: conj([v.log[i][n]["term"] <= v.sync[i] for n in idx]))

    def lemma13(v: View):
        return v.halfElections.forall(
            lambda e: v.elections.forall(lambda f: z3.Or(f["eterm"] <= e["esync"], f["eterm"] >= e["eterm"]))
        )

    def sync_completeness(v: View):
        out = []
        for i in range(len(srv)):
            for j in range(len(srv)):
                if i >= j:
                    continue  # symmetric, and trivially true for i = j
                lo = z3.If(v.sync[i] <= v.sync[j], v.sync[i], v.sync[j])
                for n in idx:
                    a, b = v.log[i][n], v.log[j][n]
                    in_a = z3.And(a["term"] >= 0, a["term"] < lo)
                    in_b = z3.And(b["term"] >= 0, b["term"] < lo)
                    out.append(z3.And(in_a == in_b, z3.Implies(in_a, s.entry.eq(a, b))))
        return conj(out)

    # ---------------------------------------------------------------- TypeSafety
    # The seed's TypeSafety mixes two shapes for endPoint and reads logs as sets of pairs.
    # Index and Term are Nat in the seed, so a type like `Index \cup {-1}` is read as
    # "an integer >= -1"; the scope bounds only the *domains* of log and endPoint.
    # Conjuncts the schema's sorts already guarantee are still evaluated as written.
    def entry_ok(e):
        return z3.And(e["term"] >= -1, e["date"] >= -1)  # value and committed: guaranteed by the sort

    def log_ok(lg):
        return conj([entry_ok(e) for e in lg])

    type_conjuncts: tuple[tuple[str, Callable[[View], z3.BoolRef]], ...] = (
        # allLogs \in SUBSET (SUBSET allEntries): a log, read as its set of pairs <<n, l[n]>>,
        # is a subset of allEntries.
        ("allLogs ⊆ SUBSET allEntries", lambda v: v.allLogs.forall(
            lambda lg: conj([v.allEntries.member((ival(n), lg[n])) for n in idx]))),
        # currentTerm \in [Server -> Nat]
        ("currentTerm ∈ [Server -> Nat]", lambda v: each_server(lambda i: v.currentTerm[i] >= 0)),
        # currentState \in [Server -> {Follower, Leader, LeaderCandidate, Candidate}]: the sort
        ("currentState ∈ [Server -> States]", lambda v: each_server(
            lambda i: z3.And(v.currentState[i] >= 0, v.currentState[i] < len(s.state.names)))),
        # votedFor \in [Server -> Server \cup {Nil}]: the sort
        ("votedFor ∈ [Server -> Server ∪ {Nil}]", lambda v: each_server(
            lambda i: z3.And(v.votedFor[i] >= 0, v.votedFor[i] <= len(srv)))),
        # sync \in [Server -> Nat \cup {-1}]
        ("sync ∈ [Server -> Nat ∪ {-1}]", lambda v: each_server(lambda i: v.sync[i] >= -1)),
        # endPoint: both shapes read on the tuple the actions write: <<date, index>> with
        # date \in Term \cup {-1} and index \in Index \cup {-1}
        ("endPoint ∈ [Server -> [Term -> <<date, index>>]]", lambda v: each_server(
            lambda i: conj([z3.And(ep[0] >= -1, ep[1] >= -1) for ep in v.endPoint[i]]))),
        # log \in [Server -> [Index -> [term : Index \cup {-1}, date : Term \cup {-1}, ...]]]
        ("log ∈ [Server -> [Index -> Entry]]", lambda v: each_server(lambda i: log_ok(v.log[i]))),
        # syncTrack \in [Server -> [Server -> Nat]]
        ("syncTrack ∈ [Server -> [Server -> Nat]]", lambda v: each_server(
            lambda i: conj([x >= 0 for x in v.syncTrack[i]]))),
        # halfElections \subseteq [eterm : Nat, eleaderCandidate : Server, esync : Nat,
        #                          evotes : Quorums, elog : [Index -> Entries]]
        ("halfElections typed (evotes ∈ Quorums)", lambda v: v.halfElections.forall(
            lambda e: z3.And(e["eterm"] >= 0, e["esync"] >= 0, s.quorum(e["evotes"]), log_ok(e["elog"])))),
        # elections \subseteq [eterm : Term, esync : Term, eleader : Server, evotes : Quorums,
        #                      evoterLog : SUBSET [Index -> Entries], elog : [Index -> Entries]]
        ("elections typed (evotes ∈ Quorums)", lambda v: v.elections.forall(
            lambda e: z3.And(e["eterm"] >= 0, e["esync"] >= 0, s.quorum(e["evotes"]), log_ok(e["elog"]),
                             conj([z3.Implies(p, log_ok(lg)) for p, lg in e["evoterLog"]])))),
    )

    def type_safety(v: View):
        return conj([f(v) for _, f in type_conjuncts])

    # Every invariant of the seed quantifies over Server without naming a server, so each is
    # unchanged by a permutation of Server (tests/test_symmetry.py checks this on concrete states).
    return tuple(replace(inv, symmetric=True) for inv in (
        Invariant("Lemma1", lemma1, "\\A i \\in Server : sync[i] <= currentTerm[i]"),
        Invariant("Lemma2", lemma2, "\\A i : currentState[i] = Leader => sync[i] = currentTerm[i]"),
        Invariant("Lemma3", lemma3, "half-elections of one term have one leader candidate"),
        Invariant("Lemma4", lemma4, "every election has a half-election of the same term and leader"),
        Invariant("Lemma5", lemma5, "elections of one term have one leader"),
        Invariant("Lemma6", lemma6, "\\A i : currentState[i] = Leader => currentTerm[i] = sync[i] (same as Lemma2)"),
        Invariant("Lemma7", lemma7, "\\A e \\in halfElections : e.esync < e.eterm"),
        Invariant("Lemma8", lemma8, "entries at one index with one term have one value"),
        Invariant("Lemma9", lemma9, "allSynced has one element per sync term"),
        Invariant("Lemma10", lemma10, "an election followed by a later one was synced"),
        Invariant("Lemma11", lemma11, "below sync[i], an elected term's entries of i equal its synced entries"),
        Invariant("Lemma12", lemma12, "\\A i, n : log[i][n].term <= sync[i]"),
        Invariant("Lemma13", lemma13, "no election strictly between a half-election's esync and eterm"),
        Invariant("syncCompleteness", sync_completeness, "two servers agree on entries below both syncs"),
        Invariant("TypeSafety", type_safety, "types, as read in the comments of this module", type_conjuncts),
    ))
