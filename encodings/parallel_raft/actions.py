"""The actions of ParallelRaft-CE's ``Next`` (and ``CommitEntry``), transcribed to Z3.

Each function reads one definition of the seed and returns an :class:`Effect`; its
``UNCHANGED`` list is copied from the seed (tuples expanded). Nondeterministic choices
(``\\E m \\in messages``, ``\\E P, Q \\in Quorums``, ``\\E s``, every ``CHOOSE``) are action
parameters constrained by the guard, so a trace shows which choice was made.
"""

from __future__ import annotations

from typing import Mapping, cast

import z3

from smtspec.sorts import ival

from smtspec.sorts import BoundedSet, NilOr, PartialFunction, Sym, conj, disj
from smtspec.system import Action, Effect, Param, View

from .schema import ELECTION_VARS_T, LEADER_VARS_T, SERVER_VARS_T, Schema


class RaftActions:
    """Builds the :class:`Action` list of one scope."""

    def __init__(self, sch: Schema):
        self.s = sch
        srv = sch.server
        self.fn_srv_term = sch.var_sorts["currentTerm"]
        self.fn_srv_state = sch.var_sorts["currentState"]
        self.fn_srv_vote = sch.var_sorts["votedFor"]
        self.fn_srv_ep = sch.var_sorts["endPoint"]
        self.fn_srv_log = sch.var_sorts["log"]
        self.fn_srv_track = sch.var_sorts["syncTrack"]
        self.msg = sch.message
        self.empty = sch.entry.const(sch.entry.default())
        self.p_i = Param("i", srv, "the server taking the step")
        self.p_m = Param("m", sch.message, "the message read")
        self.p_P = Param("P", sch.servers, "the quorum whose vote responses are merged")
        self.p_Q = Param("Q", sch.servers, "a quorum")
        self.p_v = Param("v", sch.value, "the client's value")
        self.p_s = Param("s", sch.term, "the sync term whose entries are sent")
        self.p_n = Param("n", sch.index, "the log index")
        self.p_point = Param("point", sch.end_point, "CHOOSE: the responders' end point of largest date")
        self.p_chosen = Param("chosen", sch.log, "CHOOSE in Merge: the entry picked per index")

    # ---------------------------------------------------------------- helpers
    def k(self, name: str):
        return self.s.state.const(name)

    def at(self, fsort, f, i):
        return fsort.select(f, i)

    def entry_fields(self, e: Sym) -> Sym:
        return e

    def commit_sync_entries(self, log_i: Sym, sync_i) -> Sym:
        """``[n \\in Index |-> IF log[i][n].term = sync[i] THEN [.. committed |-> TRUE] ELSE log[i][n]]``."""
        out = []
        for e in log_i:
            committed = dict(e)
            committed["committed"] = z3.BoolVal(True)
            out.append(self.s.entry.ite(e["term"] == sync_i, committed, e))
        return tuple(out)

    def clear_sync_entries(self, log_i: Sym, sync_i) -> Sym:
        """Entries whose term is ``sync[i]`` become the empty entry."""
        return tuple(self.s.entry.ite(e["term"] == sync_i, self.empty, e) for e in log_i)

    def max_index(self, present: list) -> z3.ArithRef:
        """``Max({n \\in Index : present[n]})``, -1 when empty."""
        out = ival(-1)
        for n, p in zip(self.s.index.elements(), present):
            out = z3.If(p, n, out)
        return out

    def min_index(self, present: list) -> z3.ArithRef:
        """``Min({n \\in Index : present[n]})``, -1 when empty."""
        out = ival(-1)
        for n, p in reversed(list(zip(self.s.index.elements(), present))):
            out = z3.If(p, n, out)
        return out

    def mfield(self, m, name, kind=None):
        return self.msg.field(m, name, kind)

    def read(self, pre: View, m) -> z3.BoolRef:
        """``m \\in messages``."""
        return pre.messages.member(m)

    def dest_is(self, m, x) -> z3.BoolRef:
        """``m.mdest = x`` for a server or Nil. An UpdateSyncRequest's mdest is a set of servers,
        which TLC compares as unequal to any model value, so the equality is FALSE there."""
        return z3.And(
            z3.Not(self.msg.is_kind(m, "UpdateSyncRequest")),
            self.mfield(m, "mdest", "RequestVoteRequest") == x,
        )

    def nil_server(self):
        return self.s.server_or_nil.const("Nil")

    # ---------------------------------------------------------------- actions
    def restart(self, pre: View, p: Mapping) -> Effect:
        i = p["i"]
        return Effect(
            z3.BoolVal(True),
            updates={
                "currentState": self.fn_srv_state.store(pre.currentState, i, self.k("Follower")),
                "syncTrack": self.fn_srv_track.store(
                    pre.syncTrack, i, tuple(ival(0) for _ in self.s.server.names)
                ),
            },
        )

    def timeout(self, pre: View, p: Mapping) -> Effect:
        i = p["i"]
        ct = self.at(self.fn_srv_term, pre.currentTerm, i)
        st = self.at(self.fn_srv_state, pre.currentState, i)
        return Effect(
            z3.And(z3.Or(st == self.k("Follower"), st == self.k("Candidate")), ct + 1 <= self.s.scope.terms),
            updates={
                "currentState": self.fn_srv_state.store(pre.currentState, i, self.k("Candidate")),
                "currentTerm": self.fn_srv_term.store(pre.currentTerm, i, ct + 1),
                "votedFor": self.fn_srv_vote.store(pre.votedFor, i, self.nil_server()),
            },
        )

    def update_term(self, pre: View, p: Mapping) -> Effect:
        i, m = p["i"], p["m"]
        ct = self.at(self.fn_srv_term, pre.currentTerm, i)
        mterm = self.mfield(m, "mterm")
        return Effect(
            z3.And(self.read(pre, m), mterm > ct, z3.Or(self.dest_is(m, i), self.dest_is(m, self.nil_server()))),
            updates={
                "currentTerm": self.fn_srv_term.store(pre.currentTerm, i, mterm),
                "currentState": self.fn_srv_state.store(pre.currentState, i, self.k("Follower")),
                "votedFor": self.fn_srv_vote.store(pre.votedFor, i, self.nil_server()),
            },
        )

    def request_vote(self, pre: View, p: Mapping) -> Effect:
        i = p["i"]
        msg = self.msg.make(
            "RequestVoteRequest",
            mterm=self.at(self.fn_srv_term, pre.currentTerm, i),
            msync=self.at(self.fn_srv_term, pre.sync, i),
            msource=i,
            mdest=self.nil_server(),
        )
        return Effect(
            self.at(self.fn_srv_state, pre.currentState, i) == self.k("Candidate"),
            adds={"messages": [(z3.BoolVal(True), msg)]},
        )

    def handle_request_vote_request(self, pre: View, p: Mapping) -> Effect:
        i, m = p["i"], p["m"]
        j = self.mfield(m, "msource")
        ct = self.at(self.fn_srv_term, pre.currentTerm, i)
        sync_i = self.at(self.fn_srv_term, pre.sync, i)
        voted = self.at(self.fn_srv_vote, pre.votedFor, i)
        msync = self.mfield(m, "msync")
        grant = z3.And(msync >= sync_i, z3.Or(voted == self.nil_server(), voted == j), ct == self.mfield(m, "mterm"))
        log_i = self.at(self.fn_srv_log, pre.log, i)
        mlog = self.s.pairs.make([(e["term"] == sync_i, e) for e in log_i])
        ep_i = self.at(self.fn_srv_ep, pre.endPoint, i)
        resp = self.msg.make(
            "RequestVoteResponse",
            mterm=ct,
            mvoteGranted=grant,
            mlog=mlog,
            mend=self.fn_srv_ep.range.select(ep_i, msync),
            msource=i,
            mdest=j,
        )
        return Effect(
            z3.And(self.read(pre, m), self.mfield(m, "mterm") <= ct, self.msg.is_kind(m, "RequestVoteRequest")),
            updates={"votedFor": self.fn_srv_vote.store(pre.votedFor, i, z3.If(grant, j, voted))},
            adds={"messages": [(z3.BoolVal(True), resp)]},
        )

    def become_leader_candidate(self, pre: View, p: Mapping) -> Effect:
        s = self.s
        i, P, Q, point, chosen = p["i"], p["P"], p["Q"], p["point"], p["chosen"]
        ct = self.at(self.fn_srv_term, pre.currentTerm, i)
        sync_i = self.at(self.fn_srv_term, pre.sync, i)
        log_i = self.at(self.fn_srv_log, pre.log, i)
        RVR = "RequestVoteResponse"

        def responded(m):
            return z3.And(
                self.msg.is_kind(m, RVR),
                self.mfield(m, "mdest", RVR) == i,
                s.servers.member(P, self.mfield(m, "msource")),
                self.mfield(m, "mterm") == ct,
            )

        slots = [(z3.And(v, responded(m)), m) for v, m in pre.messages.slots]
        granted = [
            (z3.And(r, self.mfield(m, "mvoteGranted"), s.servers.member(Q, self.mfield(m, "msource"))), m)
            for r, m in slots
        ]
        quorum_granted = conj(
            [
                z3.Implies(q_in, disj([z3.And(g, self.mfield(m, "msource") == s.server.const(q)) for g, m in granted]))
                for q, q_in in zip(s.server.names, Q)
            ]
        )
        # CHOOSE e1 \in allPoint : \A e2 \in allPoint : e1[1] >= e2[1]   (any maximal one)
        ends = [(r, self.mfield(m, "mend", RVR)) for r, m in slots]
        point_ok = z3.And(
            disj([z3.And(r, s.end_point.eq(point, e)) for r, e in ends]),
            conj([z3.Implies(r, point[0] >= e[0]) for r, e in ends]),
        )
        idx = s.index.elements()
        # allLog = UNION {m.mlog : m \in voteResponded}; entries at n from responders
        at_n = [[(z3.And(r, self.mfield(m, "mlog")[n][0]), self.mfield(m, "mlog")[n][1]) for r, m in slots] for n in idx]
        has_n = [disj([c for c, _ in at_n[n]]) for n in idx]
        end = z3.If(point[0] == -1, self.max_index(has_n), point[1])
        to_recover = [z3.And(n <= end, z3.Not(log_i[n]["committed"])) for n in idx]
        merge_ok = []
        merged = []
        for n in idx:
            cands = at_n[n]
            any_committed = disj([z3.And(c, e["committed"]) for c, e in cands])
            pick = chosen[n]
            picked = z3.And(
                disj([z3.And(c, s.entry.eq(pick, e)) for c, e in cands]),
                z3.Implies(any_committed, pick["committed"]),
                z3.Implies(z3.Not(any_committed), conj([z3.Implies(c, pick["date"] >= e["date"]) for c, e in cands])),
            )
            used = z3.And(to_recover[n], has_n[n], end != -1)
            merge_ok.append(z3.If(used, picked, s.entry.eq(pick, self.empty)))
            merged.append(
                s.entry.ite(
                    has_n[n],
                    s.entry.make(term=pick["term"], date=ct, value=pick["value"], committed=pick["committed"]),
                    s.entry.make(term=sync_i, date=ct, value=s.value_or_nil.const("Nil"), committed=z3.BoolVal(False)),
                )
            )
        recovered = tuple(
            s.entry.ite(to_recover[n], merged[n], s.entry.ite(n > end, self.empty, log_i[n])) for n in idx
        )
        new_log_i = s.log.ite(end == -1, self.clear_sync_entries(log_i, sync_i), recovered)
        ep_i = self.at(self.fn_srv_ep, pre.endPoint, i)
        half = s.half_election.make(eterm=ct, eleaderCandidate=i, esync=sync_i, evotes=Q, elog=log_i)
        return Effect(
            conj(
                [
                    self.at(self.fn_srv_state, pre.currentState, i) == self.k("Candidate"),
                    s.quorum(P),
                    s.quorum(Q),
                    quorum_granted,
                    point_ok,
                    *merge_ok,
                ]
            ),
            updates={
                "log": self.fn_srv_log.store(pre.log, i, new_log_i),
                "endPoint": self.fn_srv_ep.store(
                    pre.endPoint, i, self.fn_srv_ep.range.store(ep_i, sync_i, (ct, end))
                ),
                "currentState": self.fn_srv_state.store(pre.currentState, i, self.k("LeaderCandidate")),
                "syncTrack": self.fn_srv_track.store(pre.syncTrack, i, tuple(sync_i for _ in s.server.names)),
            },
            adds={"halfElections": [(z3.BoolVal(True), half)]},
        )

    def request_sync(self, pre: View, p: Mapping) -> Effect:
        s = self.s
        i, sv = p["i"], p["s"]
        st = self.at(self.fn_srv_state, pre.currentState, i)
        log_i = self.at(self.fn_srv_log, pre.log, i)
        has = [e["term"] == sv for e in log_i]
        start, end = self.min_index(has), self.max_index(has)
        # Nil or [Index -> Entry] (schema.py)
        entries_sort = cast(NilOr, self.msg.kind("RequestSyncRequest").field_sorts["mentries"])
        in_slice = [z3.And(start <= n, n <= end) for n in s.index.elements()]
        mentries = (start == -1, cast(PartialFunction, entries_sort.inner).make(list(zip(in_slice, log_i))))
        msg = self.msg.make(
            "RequestSyncRequest",
            mterm=self.at(self.fn_srv_term, pre.currentTerm, i),
            msync=sv,
            mstart=start,
            mend=end,
            mentries=mentries,
            msource=i,
            mdest=self.nil_server(),
        )
        return Effect(
            z3.And(
                z3.Or(st == self.k("LeaderCandidate"), st == self.k("Leader")),
                sv >= 0,
                sv <= self.at(self.fn_srv_term, pre.sync, i),
            ),
            adds={"messages": [(z3.BoolVal(True), msg)]},
        )

    def handle_request_sync_request(self, pre: View, p: Mapping) -> Effect:
        s = self.s
        i, m = p["i"], p["m"]
        RSQ = "RequestSyncRequest"
        j = self.mfield(m, "msource")
        ct = self.at(self.fn_srv_term, pre.currentTerm, i)
        sync_i = self.at(self.fn_srv_term, pre.sync, i)
        mterm, mstart, mend = self.mfield(m, "mterm"), self.mfield(m, "mstart", RSQ), self.mfield(m, "mend", RSQ)
        grant = z3.And(mterm == ct, self.mfield(m, "msync") == sync_i)
        log_i = self.at(self.fn_srv_log, pre.log, i)
        _nil, entries = self.mfield(m, "mentries", RSQ)
        spliced = tuple(
            s.entry.ite(
                n < mstart,
                log_i[n],
                s.entry.ite(z3.And(mstart <= n, n <= mend), entries[n][1], self.empty),
            )
            for n in s.index.elements()
        )
        new_log_i = s.log.ite(mstart == -1, self.clear_sync_entries(log_i, sync_i), spliced)
        ep_i = self.at(self.fn_srv_ep, pre.endPoint, i)
        resp = self.msg.make(
            "RequestSyncResponse",
            mterm=ct,
            msyncGranted=grant,
            msync=sync_i,
            mstart=mstart,
            mend=mend,
            msource=i,
            mdest=j,
        )
        return Effect(
            z3.And(self.read(pre, m), self.msg.is_kind(m, RSQ), mterm <= ct, j != i),
            updates={
                "log": self.fn_srv_log.store(pre.log, i, s.log.ite(grant, new_log_i, log_i)),
                "endPoint": self.fn_srv_ep.store(
                    pre.endPoint,
                    i,
                    self.fn_srv_ep.range.ite(grant, self.fn_srv_ep.range.store(ep_i, sync_i, (ct, mend)), ep_i),
                ),
            },
            adds={"messages": [(z3.BoolVal(True), resp)]},
        )

    def handle_request_sync_response(self, pre: View, p: Mapping) -> Effect:
        s = self.s
        i, m = p["i"], p["m"]
        RSP = "RequestSyncResponse"
        j = self.mfield(m, "msource")
        ct = self.at(self.fn_srv_term, pre.currentTerm, i)
        sync_i = self.at(self.fn_srv_term, pre.sync, i)
        st = self.at(self.fn_srv_state, pre.currentState, i)
        msync = self.mfield(m, "msync")
        granted = self.mfield(m, "msyncGranted")
        log_i = self.at(self.fn_srv_log, pre.log, i)
        # Min({sync[i]} \cup {k \in Nat : k > m.msync /\ Cardinality({n : log[i][n].term = k}) > 0})
        smallest = ival(s.scope.terms + 1)
        for kk in reversed(s.term.elements()):
            occurs = disj([e["term"] == kk for e in log_i])
            smallest = z3.If(z3.And(kk > msync, occurs), kk, smallest)
        next_sync = z3.If(smallest < sync_i, smallest, sync_i)
        req = self.msg.make(
            "UpdateSyncRequest",
            mterm=ct,
            msync=next_sync,
            msource=i,
            mdest=tuple(s.server.eq(j, s.server.const(q)) for q in s.server.names),
        )
        track_i = self.at(self.fn_srv_track, pre.syncTrack, i)
        return Effect(
            z3.And(
                self.read(pre, m),
                self.msg.is_kind(m, RSP),
                self.mfield(m, "mdest", RSP) == i,
                ct == self.mfield(m, "mterm"),
                z3.Or(st == self.k("Leader"), st == self.k("LeaderCandidate")),
                z3.Or(z3.Not(granted), msync < sync_i),
            ),
            updates={
                "syncTrack": self.fn_srv_track.store(
                    pre.syncTrack, i, self.fn_srv_track.range.store(track_i, j, msync)
                )
            },
            adds={"messages": [(granted, req)]},
        )

    def update_sync(self, pre: View, p: Mapping) -> Effect:
        s = self.s
        i, Q = p["i"], p["Q"]
        RSP = "RequestSyncResponse"
        ct = self.at(self.fn_srv_term, pre.currentTerm, i)
        sync_i = self.at(self.fn_srv_term, pre.sync, i)
        log_i = self.at(self.fn_srv_log, pre.log, i)

        def updated(m, q):
            return z3.And(
                self.msg.is_kind(m, RSP),
                self.mfield(m, "mterm") == ct,
                self.mfield(m, "msyncGranted"),
                self.mfield(m, "msync") == sync_i,
                self.mfield(m, "msource") == s.server.const(q),
                self.mfield(m, "mdest", RSP) == i,
            )

        covered = conj(
            [
                z3.Implies(q_in, z3.Or(i == s.server.const(q), pre.messages.exists(lambda m, q=q: updated(m, q))))
                for q, q_in in zip(s.server.names, Q)
            ]
        )
        committed = []
        for e in log_i:
            c = dict(e)
            c["committed"] = z3.BoolVal(True)
            committed.append((e["term"] == sync_i, c))
        ep_i = self.at(self.fn_srv_ep, pre.endPoint, i)
        synced = (sync_i, self.fn_srv_ep.range.select(ep_i, sync_i)[1], s.pairs.make(committed))
        req = self.msg.make("UpdateSyncRequest", mterm=ct, msync=ct, msource=i, mdest=Q)
        return Effect(
            z3.And(self.at(self.fn_srv_state, pre.currentState, i) == self.k("LeaderCandidate"), s.quorum(Q), covered),
            adds={"allSynced": [(z3.BoolVal(True), synced)], "messages": [(z3.BoolVal(True), req)]},
        )

    def handle_update_sync_request(self, pre: View, p: Mapping) -> Effect:
        s = self.s
        i, m = p["i"], p["m"]
        USQ = "UpdateSyncRequest"
        j = self.mfield(m, "msource")
        ct = self.at(self.fn_srv_term, pre.currentTerm, i)
        sync_i = self.at(self.fn_srv_term, pre.sync, i)
        msync = self.mfield(m, "msync")
        grant = z3.And(ct == self.mfield(m, "mterm"), msync > sync_i)
        log_i = self.at(self.fn_srv_log, pre.log, i)
        new_sync_i = z3.If(grant, msync, sync_i)
        resp = self.msg.make(
            "UpdateSyncResponse", mterm=ct, mupdateSyncGranted=grant, msync=new_sync_i, msource=i, mdest=j
        )
        return Effect(
            z3.And(
                self.read(pre, m),
                self.msg.is_kind(m, USQ),
                s.servers.member(self.mfield(m, "mdest", USQ), i),
                self.mfield(m, "mterm") <= ct,
            ),
            updates={
                "sync": self.fn_srv_term.store(pre.sync, i, new_sync_i),
                "log": self.fn_srv_log.store(
                    pre.log, i, s.log.ite(grant, self.commit_sync_entries(log_i, sync_i), log_i)
                ),
            },
            adds={"messages": [(z3.BoolVal(True), resp)]},
        )

    def handle_update_sync_response(self, pre: View, p: Mapping) -> Effect:
        i, m = p["i"], p["m"]
        USP = "UpdateSyncResponse"
        j = self.mfield(m, "msource")
        st = self.at(self.fn_srv_state, pre.currentState, i)
        track_i = self.at(self.fn_srv_track, pre.syncTrack, i)
        granted = self.mfield(m, "mupdateSyncGranted")
        new_track_i = self.fn_srv_track.range.ite(
            granted, self.fn_srv_track.range.store(track_i, j, self.mfield(m, "msync")), track_i
        )
        return Effect(
            z3.And(
                self.read(pre, m),
                self.msg.is_kind(m, USP),
                self.mfield(m, "mdest", USP) == i,
                self.at(self.fn_srv_term, pre.currentTerm, i) == self.mfield(m, "mterm"),
                z3.Or(st == self.k("Leader"), st == self.k("LeaderCandidate")),
            ),
            updates={"syncTrack": self.fn_srv_track.store(pre.syncTrack, i, new_track_i)},
        )

    def become_leader(self, pre: View, p: Mapping) -> Effect:
        s = self.s
        i, Q = p["i"], p["Q"]
        ct = self.at(self.fn_srv_term, pre.currentTerm, i)
        sync_i = self.at(self.fn_srv_term, pre.sync, i)
        track_i = self.at(self.fn_srv_track, pre.syncTrack, i)
        log_i = self.at(self.fn_srv_log, pre.log, i)
        acked = conj(
            [
                z3.Implies(q_in, z3.Or(i == s.server.const(q), track_i[k] == ct))
                for k, (q, q_in) in enumerate(zip(s.server.names, Q))
            ]
        )
        voter_logs_sort = cast(BoundedSet, s.election.field_sorts["evoterLog"])
        default_log = s.log.const(s.log.default())
        voter_logs = tuple((q_in, s.log.ite(q_in, pre.log[k], default_log)) for k, q_in in enumerate(Q))
        assert len(voter_logs) == voter_logs_sort.size
        election = s.election.make(eterm=ct, esync=sync_i, eleader=i, evotes=Q, evoterLog=voter_logs, elog=log_i)
        return Effect(
            z3.And(self.at(self.fn_srv_state, pre.currentState, i) == self.k("LeaderCandidate"), s.quorum(Q), acked),
            updates={
                "sync": self.fn_srv_term.store(pre.sync, i, ct),
                "currentState": self.fn_srv_state.store(pre.currentState, i, self.k("Leader")),
                "log": self.fn_srv_log.store(pre.log, i, self.commit_sync_entries(log_i, sync_i)),
            },
            adds={"elections": [(z3.BoolVal(True), election)]},
        )

    def client_request(self, pre: View, p: Mapping) -> Effect:
        s = self.s
        i, v = p["i"], p["v"]
        ct = self.at(self.fn_srv_term, pre.currentTerm, i)
        log_i = self.at(self.fn_srv_log, pre.log, i)
        next_index = self.max_index([e["term"] != -1 for e in log_i]) + 1
        entry = s.entry.make(term=ct, date=ct, value=v, committed=z3.BoolVal(False))
        return Effect(
            z3.And(
                self.at(self.fn_srv_state, pre.currentState, i) == self.k("Leader"),
                next_index <= s.scope.indexes - 1,
            ),
            updates={"log": self.fn_srv_log.store(pre.log, i, s.log.store(log_i, next_index, entry))},
        )

    def commit_entry(self, pre: View, p: Mapping) -> Effect:
        s = self.s
        i, n, Q = p["i"], p["n"], p["Q"]
        RSP = "RequestSyncResponse"
        ct = self.at(self.fn_srv_term, pre.currentTerm, i)

        def succ(m):
            return z3.And(
                self.msg.is_kind(m, RSP),
                self.mfield(m, "msyncGranted"),
                self.mfield(m, "mdest", RSP) == i,
                self.mfield(m, "mterm") == ct,
                s.servers.member(Q, self.mfield(m, "msource")),
                self.mfield(m, "mstart", RSP) <= n,
                n <= self.mfield(m, "mend", RSP),
            )

        every = conj(
            [
                z3.Implies(
                    q_in,
                    pre.messages.exists(
                        lambda m, q=q: z3.And(succ(m), z3.Or(self.mfield(m, "msource") == s.server.const(q), i == s.server.const(q)))
                    ),
                )
                for q, q_in in zip(s.server.names, Q)
            ]
        )
        log_i = self.at(self.fn_srv_log, pre.log, i)
        e = dict(s.log.select(log_i, n))
        e["committed"] = z3.BoolVal(True)
        return Effect(
            z3.And(s.quorum(Q), every, self.at(self.fn_srv_state, pre.currentState, i) == self.k("Leader")),
            updates={"log": self.fn_srv_log.store(pre.log, i, s.log.store(log_i, n, e))},
        )

    # ---------------------------------------------------------------- table
    def all(self) -> tuple[Action, ...]:
        i, m = self.p_i, self.p_m
        sv, lv, ev = SERVER_VARS_T, LEADER_VARS_T, ELECTION_VARS_T
        A = Action
        return (
            A("Restart", (i,), ("messages", "currentTerm", "endPoint", "sync", "votedFor", "log", *ev, "allSynced"),
              self.restart, "Restart(i)"),
            A("Timeout", (i,), ("messages", *lv, "sync", "endPoint", "log", "syncTrack", *ev, "allSynced"),
              self.timeout, "Timeout(i)"),
            A("UpdateTerm", (i, m), ("messages", "sync", "log", *lv, *ev, "allSynced", "endPoint"),
              self.update_term, "UpdateTerm(i)"),
            A("RequestVote", (i,), (*sv, *lv, "log", *ev, "allSynced"), self.request_vote, "RequestVote(i)"),
            A("HandleRequestVoteRequest", (i, m),
              ("currentTerm", "currentState", "sync", "log", *lv, *ev, "allSynced", "endPoint"),
              self.handle_request_vote_request, "HandleRequestVoteRequest(i)"),
            A("BecomeLeaderCandidate", (i, self.p_P, self.p_Q, self.p_point, self.p_chosen),
              ("messages", "currentTerm", "votedFor", "sync", "elections", "allSynced"),
              self.become_leader_candidate, "BecomeLeaderCandidate(i)"),
            A("BecomeLeader", (i, self.p_Q),
              ("messages", "currentTerm", "votedFor", "endPoint", *lv, "halfElections", "allSynced"),
              self.become_leader, "BecomeLeader(i)"),
            A("ClientRequest", (i, self.p_v), ("messages", *sv, *ev, "syncTrack", "allSynced"),
              self.client_request, "ClientRequest(i, v)"),
            A("RequestSync", (i, self.p_s), (*sv, "log", *ev, "syncTrack", "allSynced"),
              self.request_sync, "RequestSync(i); Next's \\E j is vacuous and omitted"),
            A("HandleRequestSyncRequest", (i, m),
              ("currentTerm", "currentState", "sync", "votedFor", *ev, "syncTrack", "allSynced"),
              self.handle_request_sync_request, "HandleRequestSyncRequest(i)"),
            A("HandleRequestSyncResponse", (i, m), (*sv, "log", *ev, "allSynced"),
              self.handle_request_sync_response, "HandleRequestSyncResponse(i)"),
            A("UpdateSync", (i, self.p_Q), (*sv, "log", *lv, *ev), self.update_sync,
              "UpdateSync(i); Next's \\E j is vacuous and omitted"),
            A("HandleUpdateSyncRequest", (i, m),
              ("currentTerm", "currentState", "votedFor", "endPoint", *lv, *ev, "allSynced"),
              self.handle_update_sync_request, "HandleUpdateSyncRequest(i)"),
            A("HandleUpdateSyncResponse", (i, m), ("messages", *sv, "log", *ev, "allSynced"),
              self.handle_update_sync_response, "HandleUpdateSyncResponse(i)"),
            A("CommitEntry", (i, self.p_n, self.p_Q),
              ("messages", *sv, "log", "syncTrack", *ev, "allSynced"),
              self.commit_entry, "CommitEntry(i, n): not a disjunct of Next; assigns log' and lists log in UNCHANGED",
              in_next=False),
        )
