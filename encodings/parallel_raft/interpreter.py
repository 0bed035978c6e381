"""A plain-Python concrete interpreter of the ParallelRaft-CE TLA+ specification (seed 000).

Why it exists: it is the yardstick for the Z3 encoding. It is written directly from the
seed text (``seeds/000_ba7def4aa963ccd6.txt``) and the modeling contract (``MODELING.md``),
shares nothing with the encoding but the value types of :mod:`smtspec.values`, and
computes, for one concrete state, every successor of ``Next`` together with the action and
the parameters that produced it. Differential tests compare both sides state by state.

Reading of the seed (TLC semantics unless MODELING.md says otherwise):

- ``Term`` is ``0..T`` and ``Index`` is ``0..I-1`` (the scope). ``Timeout`` requires
  ``currentTerm[i] + 1 \\in Term`` and ``ClientRequest`` requires ``nextIndex \\in Index``;
  every other action instance that would leave these ranges is dropped and reported in
  ``out_of_scope``.
- ``CHOOSE`` is a nondeterministic choice among all qualifying candidates: the end point
  of largest date, and ``Merge``'s committed entry or entry of largest date, each branch.
  ``Merge`` is chosen independently for every recovered index.
- ``Send`` is set union. ``m.mdest = i`` is FALSE when ``mdest`` is a set (TLC compares an
  untyped model value with a set as unequal).
- ``Next`` also sets ``allLogs'`` and ``allEntries'`` from the pre-state logs on every step.
- ``CommitEntry`` is not in ``Next``; it assigns ``log'`` and lists ``log`` as UNCHANGED, so it
  has a successor only when ``log[i][n].committed`` is already TRUE, and that successor is
  the state itself (the action does not mention ``allLogs``/``allEntries``; we keep them).
- Invariants quantify ``t \\in Term`` over ``0..T``; ``TypeSafety`` reads ``Index \\cup {-1}`` and
  ``Term \\cup {-1}`` as integers >= -1 (the seed defines both as Nat); see its comments.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TypeGuard

from smtspec.scope import Scope
from smtspec.values import Fn, Rec

NIL = "Nil"
FOLLOWER, CANDIDATE, LEADER, LEADER_CANDIDATE = "Follower", "Candidate", "Leader", "LeaderCandidate"
SERVER_STATES = frozenset({FOLLOWER, CANDIDATE, LEADER, LEADER_CANDIDATE})

REQUEST_VOTE_REQUEST = "RequestVoteRequest"
REQUEST_VOTE_RESPONSE = "RequestVoteResponse"
REQUEST_SYNC_REQUEST = "RequestSyncRequest"
REQUEST_SYNC_RESPONSE = "RequestSyncResponse"
UPDATE_SYNC_REQUEST = "UpdateSyncRequest"
UPDATE_SYNC_RESPONSE = "UpdateSyncResponse"

EMPTY_ENTRY = Rec(term=-1, date=-1, value=NIL, committed=False)
ENTRY_FIELDS = frozenset(EMPTY_ENTRY)

STATE_FIELDS = (
    "messages", "currentTerm", "currentState", "votedFor", "sync", "endPoint", "log",
    "syncTrack", "halfElections", "elections", "allLogs", "allEntries", "allSynced",
)

# An action instance as the action functions produce it: (params, next state before the
# history conjuncts of Next are applied). ``Report`` records an out-of-scope instance.
Instance = tuple[Rec, Rec]
Report = Callable[[Rec], None]


@dataclass(frozen=True)
class Universe:
    """The constant sets of the model, built from a scope."""

    servers: tuple[str, ...]
    values: tuple[str, ...]
    terms: range  # Term = 0..T
    indexes: range  # Index = 0..I-1
    quorums: tuple[frozenset[str], ...]

    @staticmethod
    def of(scope: Scope) -> "Universe":
        servers = tuple(f"s{k}" for k in range(1, scope.servers + 1))
        quorums = tuple(
            frozenset(members)
            for size in range(1, len(servers) + 1)
            if size * 2 > len(servers)
            for members in itertools.combinations(servers, size)
        )
        return Universe(
            servers=servers,
            values=tuple(f"v{k}" for k in range(1, scope.values + 1)),
            terms=range(0, scope.terms + 1),
            indexes=range(0, scope.indexes),
            quorums=quorums,
        )


# --------------------------------------------------------------------------- helpers


def canonical_key(value: object) -> str:
    """A text that orders values independently of hash seeds (for reproducible order)."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, str)):
        return repr(value)
    if isinstance(value, tuple):
        return "<<" + ", ".join(map(canonical_key, value)) + ">>"
    if isinstance(value, frozenset):
        return "{" + ", ".join(sorted(map(canonical_key, value))) + "}"
    if isinstance(value, Rec):
        return "[" + ", ".join(f"{k} |-> {canonical_key(v)}" for k, v in sorted(value.items())) + "]"
    if isinstance(value, Fn):
        pairs = sorted(f"{canonical_key(k)} :> {canonical_key(v)}" for k, v in value.items())
        return "(" + " @@ ".join(pairs) + ")"
    raise TypeError(f"not a TLA+ value: {value!r}")


def _in_order(values: Iterable) -> list:
    return sorted(values, key=canonical_key)


def tla_min(s: Iterable[int]) -> int:
    """``Min(s)``: -1 on the empty set."""
    s = list(s)
    return min(s) if s else -1


def tla_max(s: Iterable[int]) -> int:
    """``Max(s)``: -1 on the empty set."""
    s = list(s)
    return max(s) if s else -1


def log_tail(log_i: Fn) -> int:
    """``logTail(s) == Max({i \\in Index : s[i].term # -1})``."""
    return tla_max(n for n, e in log_i.items() if e.term != -1)


def log_pairs(log_i: Fn) -> frozenset:
    """``{<<n, l[n]>> : n \\in Index}``: a log seen as a set of pairs."""
    return frozenset(log_i.items())


def _clear_term(log_i: Fn, term: int) -> Fn:
    """``[n \\in Index |-> IF l[n].term = term THEN <empty entry> ELSE l[n]]``."""
    return Fn({n: EMPTY_ENTRY if e.term == term else e for n, e in log_i.items()})


def _commit_term(log_i: Fn, term: int) -> Fn:
    """``[n \\in Index |-> IF l[n].term = term THEN <l[n] with committed TRUE> ELSE l[n]]``."""
    return Fn({n: e.set("committed", True) if e.term == term else e for n, e in log_i.items()})


def _nested_set(fn: Fn, outer: object, inner: object, value: object) -> Fn:
    """``[fn EXCEPT ![outer][inner] = value]``."""
    return fn.set(outer, fn[outer].set(inner, value))


def _next(state: Rec, **changes: object) -> Rec:
    """The state with some variables changed; every other variable UNCHANGED."""
    assert set(changes) <= set(STATE_FIELDS), changes
    return Rec(state, **changes)


def _send(state: Rec, message: Rec) -> frozenset:
    """``Send(m) == messages' = messages \\cup {m}``."""
    return state.messages | {message}


# --------------------------------------------------------------------------- Init


def initial_state(scope: Scope) -> Rec:
    """``Init`` (with InitServerVars, InitLeaderVars, InitLogVars, InitHistoryVars)."""
    u = Universe.of(scope)
    empty_log = Fn({n: EMPTY_ENTRY for n in u.indexes})
    return Rec(
        messages=frozenset(),
        currentTerm=Fn({i: 0 for i in u.servers}),
        currentState=Fn({i: FOLLOWER for i in u.servers}),
        votedFor=Fn({i: NIL for i in u.servers}),
        sync=Fn({i: 0 for i in u.servers}),
        endPoint=Fn({i: Fn({t: (-1, -1) for t in u.terms}) for i in u.servers}),
        log=Fn({i: empty_log for i in u.servers}),
        syncTrack=Fn({i: Fn({j: 0 for j in u.servers}) for i in u.servers}),
        halfElections=frozenset(),
        elections=frozenset(),
        allLogs=frozenset(),
        allEntries=frozenset(),
        allSynced=frozenset(),
    )


# --------------------------------------------------------------------------- actions
# Each action takes (state, universe, messages in canonical order, report) and yields
# (params, next state). Parameters are named as in the seed.


def restart(st: Rec, u: Universe, msgs: list, report: Report) -> Iterator[Instance]:
    """``Restart(i)``: any server becomes Follower and forgets its syncTrack."""
    for i in u.servers:
        yield Rec(i=i), _next(
            st,
            currentState=st.currentState.set(i, FOLLOWER),
            syncTrack=st.syncTrack.set(i, Fn({j: 0 for j in u.servers})),
        )


def timeout(st: Rec, u: Universe, msgs: list, report: Report) -> Iterator[Instance]:
    """``Timeout(i)``: a Follower or Candidate starts a new term as Candidate."""
    for i in u.servers:
        if st.currentState[i] in (FOLLOWER, CANDIDATE) and st.currentTerm[i] + 1 in u.terms:
            yield Rec(i=i), _next(
                st,
                currentState=st.currentState.set(i, CANDIDATE),
                currentTerm=st.currentTerm.set(i, st.currentTerm[i] + 1),
                votedFor=st.votedFor.set(i, NIL),
            )


def update_term(st: Rec, u: Universe, msgs: list, report: Report) -> Iterator[Instance]:
    """``UpdateTerm(i)``: adopt the higher term of a message sent to i or to everyone."""
    for i in u.servers:
        for m in msgs:
            if m.mterm > st.currentTerm[i] and (m.mdest == i or m.mdest == NIL):
                params = Rec(i=i, m=m)
                if m.mterm not in u.terms:
                    report(params)
                    continue
                yield params, _next(
                    st,
                    currentTerm=st.currentTerm.set(i, m.mterm),
                    currentState=st.currentState.set(i, FOLLOWER),
                    votedFor=st.votedFor.set(i, NIL),
                )


def request_vote(st: Rec, u: Universe, msgs: list, report: Report) -> Iterator[Instance]:
    """``RequestVote(i)``: a Candidate broadcasts a RequestVoteRequest."""
    for i in u.servers:
        if st.currentState[i] == CANDIDATE:
            request = Rec(
                mtype=REQUEST_VOTE_REQUEST, mterm=st.currentTerm[i], msync=st.sync[i],
                msource=i, mdest=NIL,
            )
            yield Rec(i=i), _next(st, messages=_send(st, request))


def handle_request_vote_request(st: Rec, u: Universe, msgs: list, report: Report) -> Iterator[Instance]:
    """``HandleRequestVoteRequest(i)``: answer a vote request with the entries of sync[i]."""
    for i in u.servers:
        for m in msgs:
            if not (m.mterm <= st.currentTerm[i] and m.mtype == REQUEST_VOTE_REQUEST):
                continue
            j = m.msource
            params = Rec(i=i, m=m)
            if m.msync not in u.terms:  # endPoint[i][m.msync] would leave Term
                report(params)
                continue
            sync_ok = m.msync >= st.sync[i]
            grant = sync_ok and st.votedFor[i] in (NIL, j) and st.currentTerm[i] == m.mterm
            response = Rec(
                mtype=REQUEST_VOTE_RESPONSE,
                mterm=st.currentTerm[i],
                mvoteGranted=grant,
                mlog=frozenset((n, e) for n, e in st.log[i].items() if e.term == st.sync[i]),
                mend=st.endPoint[i][m.msync],
                msource=i,
                mdest=j,
            )
            voted_for = st.votedFor.set(i, j) if grant else st.votedFor
            yield params, _next(st, votedFor=voted_for, messages=_send(st, response))


def merge_choices(entries: frozenset, term: int, date: int) -> frozenset:
    """Every value ``Merge(entries, term, date)`` can take (one per CHOOSE candidate)."""
    if not entries:
        return frozenset({Rec(term=term, date=date, value=NIL, committed=False)})
    committed = [e for e in entries if e.committed is True]
    if committed:
        chosen = committed
    else:
        latest = max(e.date for e in entries)
        chosen = [e for e in entries if e.date == latest]
    return frozenset(
        Rec(term=c.term, date=date, value=c.value, committed=c.committed) for c in chosen
    )


def _end_choices(vote_responded: list, all_log: frozenset) -> list[int]:
    """Every value of BecomeLeaderCandidate's ``end`` (one per end point of largest date)."""
    all_point = {m.mend for m in vote_responded}
    latest = max(point[0] for point in all_point)
    ends = {
        tla_max(pair[0] for pair in all_log) if point[0] == -1 else point[1]
        for point in all_point
        if point[0] == latest
    }
    return sorted(ends)


def _recovered_logs(st: Rec, u: Universe, i: str, end: int, all_log: frozenset) -> list[Fn]:
    """Every value of BecomeLeaderCandidate's ``log'[i]`` for one value of ``end``."""
    log_i, sync_i = st.log[i], st.sync[i]
    if end == -1:
        return [_clear_term(log_i, sync_i)]
    to_recover = [n for n in range(0, end + 1) if log_i[n].committed is False]
    merged_per_index = [
        _in_order(merge_choices(
            frozenset(e for k, e in all_log if k == n), sync_i, st.currentTerm[i]
        ))
        for n in to_recover
    ]
    logs = []
    for to_sync in itertools.product(*merged_per_index):
        merged = dict(zip(to_recover, to_sync))
        logs.append(Fn({
            n: merged[n] if n in merged else (EMPTY_ENTRY if n > end else log_i[n])
            for n in u.indexes
        }))
    return logs


def become_leader_candidate(st: Rec, u: Universe, msgs: list, report: Report) -> Iterator[Instance]:
    """``BecomeLeaderCandidate(i)`` with ``Merge``: a Candidate with votes from quorum Q
    (responses read from quorum P) recovers its uncommitted tail of term sync[i]."""
    for i in u.servers:
        if st.currentState[i] != CANDIDATE:
            continue
        for p in u.quorums:
            vote_responded = [
                m for m in msgs
                if m.mtype == REQUEST_VOTE_RESPONSE and m.mdest == i and m.msource in p
                and m.mterm == st.currentTerm[i]
            ]
            all_log = frozenset().union(*(m.mlog for m in vote_responded))
            for q in u.quorums:
                granted_sources = {
                    m.msource for m in vote_responded if m.mvoteGranted is True and m.msource in q
                }
                if not q <= granted_sources:
                    continue
                params = Rec(i=i, P=p, Q=q)
                if st.sync[i] not in u.terms:  # endPoint'[i][sync[i]] would leave Term
                    report(params)
                    continue
                successors_here = set()
                for end in _end_choices(vote_responded, all_log):
                    if end >= len(u.indexes):  # 0..end would leave Index
                        report(params)
                        continue
                    for log_i in _recovered_logs(st, u, i, end, all_log):
                        successors_here.add(_next(
                            st,
                            log=st.log.set(i, log_i),
                            endPoint=_nested_set(st.endPoint, i, st.sync[i], (st.currentTerm[i], end)),
                            halfElections=st.halfElections | {Rec(
                                eterm=st.currentTerm[i], eleaderCandidate=i, esync=st.sync[i],
                                evotes=q, elog=st.log[i],
                            )},
                            currentState=st.currentState.set(i, LEADER_CANDIDATE),
                            syncTrack=st.syncTrack.set(i, Fn({j: st.sync[i] for j in u.servers})),
                        ))
                for nxt in _in_order(successors_here):
                    yield params, nxt


def become_leader(st: Rec, u: Universe, msgs: list, report: Report) -> Iterator[Instance]:
    """``BecomeLeader(i)``: a LeaderCandidate whose quorum reached its term becomes Leader."""
    for i in u.servers:
        if st.currentState[i] != LEADER_CANDIDATE:
            continue
        for q in u.quorums:
            if not all(k == i or st.syncTrack[i][k] == st.currentTerm[i] for k in q):
                continue
            election = Rec(
                eterm=st.currentTerm[i], esync=st.sync[i], eleader=i, evotes=q,
                evoterLog=frozenset(st.log[k] for k in q), elog=st.log[i],
            )
            yield Rec(i=i, Q=q), _next(
                st,
                elections=st.elections | {election},
                sync=st.sync.set(i, st.currentTerm[i]),
                currentState=st.currentState.set(i, LEADER),
                log=st.log.set(i, _commit_term(st.log[i], st.sync[i])),
            )


def client_request(st: Rec, u: Universe, msgs: list, report: Report) -> Iterator[Instance]:
    """``ClientRequest(i, v)``: a Leader appends v after its log tail (if Index has room)."""
    for i in u.servers:
        next_index = log_tail(st.log[i]) + 1
        if st.currentState[i] != LEADER or next_index not in u.indexes:
            continue
        for v in u.values:
            entry = Rec(term=st.currentTerm[i], date=st.currentTerm[i], value=v, committed=False)
            yield Rec(i=i, v=v), _next(st, log=_nested_set(st.log, i, next_index, entry))


def request_sync(st: Rec, u: Universe, msgs: list, report: Report) -> Iterator[Instance]:
    """``RequestSync(i)``: a (candidate) leader broadcasts its entries of one term s <= sync[i]."""
    for i in u.servers:
        if st.currentState[i] not in (LEADER_CANDIDATE, LEADER):
            continue
        log_i = st.log[i]
        for s in range(0, st.sync[i] + 1):
            indexes_of_s = [n for n, e in log_i.items() if e.term == s]
            start, end = tla_min(indexes_of_s), tla_max(indexes_of_s)
            request = Rec(
                mtype=REQUEST_SYNC_REQUEST, mterm=st.currentTerm[i], msync=s, mstart=start,
                mend=end,
                mentries=NIL if start == -1 else Fn({n: log_i[n] for n in range(start, end + 1)}),
                msource=i, mdest=NIL,
            )
            yield Rec(i=i, s=s), _next(st, messages=_send(st, request))


def _synced_log(log_i: Fn, sync_i: int, m: Rec) -> Fn:
    """HandleRequestSyncRequest's granted ``log'[i]``."""
    if m.mstart == -1:
        return _clear_term(log_i, sync_i)
    return Fn({
        n: log_i[n] if n < m.mstart else (m.mentries[n] if m.mstart <= n <= m.mend else EMPTY_ENTRY)
        for n in log_i
    })


def _sync_window_in_scope(m: Rec, u: Universe) -> bool:
    """mend is an index or -1, and mstart..mend lies in Index and in mentries' domain."""
    if not -1 <= m.mend < len(u.indexes):
        return False
    if m.mstart == -1:
        return True
    return m.mstart >= 0 and all(n in m.mentries for n in range(m.mstart, m.mend + 1))


def handle_request_sync_request(st: Rec, u: Universe, msgs: list, report: Report) -> Iterator[Instance]:
    """``HandleRequestSyncRequest(i)``: copy the sent entries if term and sync match."""
    for i in u.servers:
        for m in msgs:
            if not (m.mtype == REQUEST_SYNC_REQUEST and m.mterm <= st.currentTerm[i] and m.msource != i):
                continue
            j = m.msource
            params = Rec(i=i, m=m)
            grant = m.mterm == st.currentTerm[i] and m.msync == st.sync[i]
            log, end_point = st.log, st.endPoint
            if grant:
                if st.sync[i] not in u.terms or not _sync_window_in_scope(m, u):
                    report(params)
                    continue
                log = st.log.set(i, _synced_log(st.log[i], st.sync[i], m))
                end_point = _nested_set(st.endPoint, i, st.sync[i], (st.currentTerm[i], m.mend))
            response = Rec(
                mtype=REQUEST_SYNC_RESPONSE, mterm=st.currentTerm[i], msyncGranted=grant,
                msync=st.sync[i], mstart=m.mstart, mend=m.mend, msource=i, mdest=j,
            )
            yield params, _next(st, log=log, endPoint=end_point, messages=_send(st, response))


def handle_request_sync_response(st: Rec, u: Universe, msgs: list, report: Report) -> Iterator[Instance]:
    """``HandleRequestSyncResponse(i)``: track j's sync; if j lags, tell it the next sync term."""
    for i in u.servers:
        for m in msgs:
            if not (
                m.mtype == REQUEST_SYNC_RESPONSE and m.mdest == i and st.currentTerm[i] == m.mterm
                and st.currentState[i] in (LEADER, LEADER_CANDIDATE)
            ):
                continue
            j = m.msource
            sync_track = _nested_set(st.syncTrack, i, j, m.msync)
            if m.msyncGranted is True:
                if not m.msync < st.sync[i]:
                    continue  # granted and up to date: neither disjunct holds
                later_terms = {e.term for e in st.log[i].values() if e.term >= 0 and e.term > m.msync}
                update = Rec(
                    mtype=UPDATE_SYNC_REQUEST, mterm=st.currentTerm[i],
                    msync=tla_min({st.sync[i]} | later_terms), msource=i, mdest=frozenset({j}),
                )
                messages = _send(st, update)
            else:
                messages = st.messages
            yield Rec(i=i, m=m), _next(st, syncTrack=sync_track, messages=messages)


def update_sync(st: Rec, u: Universe, msgs: list, report: Report) -> Iterator[Instance]:
    """``UpdateSync(i)``: a LeaderCandidate whose term sync[i] reached quorum Q records it
    in allSynced and tells Q to move to sync currentTerm[i]."""
    for i in u.servers:
        if st.currentState[i] != LEADER_CANDIDATE:
            continue
        for q in u.quorums:
            synced_sources = {
                m.msource for m in msgs
                if m.mtype == REQUEST_SYNC_RESPONSE and m.mterm == st.currentTerm[i]
                and m.msyncGranted is True and m.msync == st.sync[i] and m.msource in q
                and m.mdest == i
            }
            if not all(k in synced_sources or k == i for k in q):
                continue
            params = Rec(i=i, Q=q)
            if st.sync[i] not in u.terms:  # endPoint[i][sync[i]] would leave Term
                report(params)
                continue
            entries = frozenset(
                (n, e.set("committed", True)) for n, e in st.log[i].items() if e.term == st.sync[i]
            )
            synced = (st.sync[i], st.endPoint[i][st.sync[i]][1], entries)
            update = Rec(
                mtype=UPDATE_SYNC_REQUEST, mterm=st.currentTerm[i], msync=st.currentTerm[i],
                msource=i, mdest=q,
            )
            yield params, _next(st, allSynced=st.allSynced | {synced}, messages=_send(st, update))


def handle_update_sync_request(st: Rec, u: Universe, msgs: list, report: Report) -> Iterator[Instance]:
    """``HandleUpdateSyncRequest(i)``: commit the entries of sync[i] and advance sync."""
    for i in u.servers:
        for m in msgs:
            if not (m.mtype == UPDATE_SYNC_REQUEST and i in m.mdest and m.mterm <= st.currentTerm[i]):
                continue
            j = m.msource
            params = Rec(i=i, m=m)
            grant = st.currentTerm[i] == m.mterm and m.msync > st.sync[i]
            sync, log = st.sync, st.log
            if grant:
                if m.msync not in u.terms:  # sync'[i] would leave Term
                    report(params)
                    continue
                sync = st.sync.set(i, m.msync)
                log = st.log.set(i, _commit_term(st.log[i], st.sync[i]))
            response = Rec(
                mtype=UPDATE_SYNC_RESPONSE, mterm=st.currentTerm[i], mupdateSyncGranted=grant,
                msync=sync[i], msource=i, mdest=j,
            )
            yield params, _next(st, sync=sync, log=log, messages=_send(st, response))


def handle_update_sync_response(st: Rec, u: Universe, msgs: list, report: Report) -> Iterator[Instance]:
    """``HandleUpdateSyncResponse(i)``: record the sync a follower moved to."""
    for i in u.servers:
        for m in msgs:
            if not (
                m.mtype == UPDATE_SYNC_RESPONSE and m.mdest == i and st.currentTerm[i] == m.mterm
                and st.currentState[i] in (LEADER, LEADER_CANDIDATE)
            ):
                continue
            granted = m.mupdateSyncGranted is True
            sync_track = _nested_set(st.syncTrack, i, m.msource, m.msync) if granted else st.syncTrack
            yield Rec(i=i, m=m), _next(st, syncTrack=sync_track)


_ACTION_FUNCTIONS: Mapping[str, Callable[[Rec, Universe, list, Report], Iterator[Instance]]] = {
    "Restart": restart,
    "Timeout": timeout,
    "UpdateTerm": update_term,
    "RequestVote": request_vote,
    "HandleRequestVoteRequest": handle_request_vote_request,
    "BecomeLeaderCandidate": become_leader_candidate,
    "BecomeLeader": become_leader,
    "ClientRequest": client_request,
    "RequestSync": request_sync,
    "HandleRequestSyncRequest": handle_request_sync_request,
    "HandleRequestSyncResponse": handle_request_sync_response,
    "UpdateSync": update_sync,
    "HandleUpdateSyncRequest": handle_update_sync_request,
    "HandleUpdateSyncResponse": handle_update_sync_response,
}

ACTIONS: tuple[str, ...] = tuple(_ACTION_FUNCTIONS)


# --------------------------------------------------------------------------- Next


def with_history(pre: Rec, nxt: Rec) -> Rec:
    """Next's last two conjuncts: allLogs' and allEntries' grow by the PRE-state logs."""
    return nxt.set("allLogs", pre.allLogs | frozenset(pre.log.values())).set(
        "allEntries", pre.allEntries.union(*(log_pairs(l) for l in pre.log.values()))
    )


def _reporter(action: str, out_of_scope: list | None) -> Report:
    def report(params: Rec) -> None:
        if out_of_scope is not None:
            out_of_scope.append((action, params))
    return report


def _action_instances(
    state: Rec, u: Universe, action: str, out_of_scope: list | None
) -> Iterator[Instance]:
    if action not in _ACTION_FUNCTIONS:
        raise ValueError(f"unknown action {action!r}; expected one of {ACTIONS}")
    msgs = _in_order(state.messages)
    for params, nxt in _ACTION_FUNCTIONS[action](state, u, msgs, _reporter(action, out_of_scope)):
        yield params, with_history(state, nxt)


def instances(
    state: Rec, scope: Scope, out_of_scope: list | None = None
) -> Iterator[tuple[str, Rec, Rec]]:
    """Every ``(action, params, next_state)`` of ``Next`` from ``state``, in a fixed order."""
    u = Universe.of(scope)
    for action in ACTIONS:
        for params, nxt in _action_instances(state, u, action, out_of_scope):
            yield action, params, nxt


def successors(state: Rec, scope: Scope) -> set[Rec]:
    """The set of next states of ``Next``."""
    return {nxt for _, _, nxt in instances(state, scope)}


def step(state: Rec, scope: Scope, action: str, params: Mapping) -> set[Rec]:
    """Successors by ``action`` whose parameters agree with every key given in ``params``."""
    wanted = dict(params)
    found = set()
    for got, nxt in _action_instances(state, Universe.of(scope), action, None):
        unknown = set(wanted) - set(got)
        if unknown:
            raise ValueError(f"{action} has no parameter(s) {sorted(unknown)}; it has {sorted(got)}")
        if all(got[k] == v for k, v in wanted.items()):
            found.add(nxt)
    return found


def commit_entry_instances(state: Rec, scope: Scope) -> Iterator[tuple[Rec, Rec]]:
    """``CommitEntry(i, n)`` as written (not a disjunct of Next): params {i, n}, next state.

    ``log' = [log EXCEPT ![i][n].committed = TRUE]`` and ``UNCHANGED log`` agree only when
    the entry is already committed; the successor is then the state itself.
    """
    u = Universe.of(scope)
    msgs = _in_order(state.messages)
    for i in u.servers:
        if state.currentState[i] != LEADER:
            continue
        for n in u.indexes:
            def has_quorum(q: frozenset) -> bool:
                succ_sources = {
                    m.msource for m in msgs
                    if m.mtype == REQUEST_SYNC_RESPONSE and m.msyncGranted is True
                    and m.mdest == i and m.mterm == state.currentTerm[i] and m.msource in q
                    and m.mstart <= n <= m.mend
                }
                return all(k in succ_sources or (k == i and bool(succ_sources)) for k in q)

            if any(has_quorum(q) for q in u.quorums) and state.log[i][n].committed is True:
                yield Rec(i=i, n=n), state


def random_walk(
    scope: Scope, length: int, rng: random.Random, out_of_scope: list | None = None
) -> list[tuple[str, Rec, Rec]]:
    """Up to ``length`` steps from Init, each uniform over the instances of Next."""
    state, trace = initial_state(scope), []
    for _ in range(length):
        options = list(instances(state, scope, out_of_scope))
        if not options:
            break
        action, params, state = rng.choice(options)
        trace.append((action, params, state))
    return trace


# --------------------------------------------------------------------------- invariants


def _pairs(xs: Iterable) -> Iterator[tuple]:
    xs = list(xs)
    return itertools.product(xs, xs)


def _servers(st: Rec) -> list[str]:
    return list(st.currentTerm)


def _indexes_of(st: Rec, i: str, t: int) -> list[int]:
    return [n for n, e in st.log[i].items() if e.term == t]


def lemma1(st: Rec, scope: Scope) -> bool:
    return all(st.sync[i] <= st.currentTerm[i] for i in _servers(st))


def lemma2(st: Rec, scope: Scope) -> bool:
    return all(st.sync[i] == st.currentTerm[i] for i in _servers(st) if st.currentState[i] == LEADER)


def lemma3(st: Rec, scope: Scope) -> bool:
    return all(e.eleaderCandidate == f.eleaderCandidate
               for e, f in _pairs(st.halfElections) if e.eterm == f.eterm)


def lemma4(st: Rec, scope: Scope) -> bool:
    return all(any(e.eterm == f.eterm and e.eleader == f.eleaderCandidate for f in st.halfElections)
               for e in st.elections)


def lemma5(st: Rec, scope: Scope) -> bool:
    return all(e.eleader == f.eleader for e, f in _pairs(st.elections) if e.eterm == f.eterm)


def lemma6(st: Rec, scope: Scope) -> bool:
    return all(st.currentTerm[i] == st.sync[i] for i in _servers(st) if st.currentState[i] == LEADER)


def lemma7(st: Rec, scope: Scope) -> bool:
    return all(e.esync < e.eterm for e in st.halfElections)


def lemma8(st: Rec, scope: Scope) -> bool:
    return all(
        st.log[i][n].value == st.log[j][n].value
        for i, j in _pairs(_servers(st)) for n in st.log[i]
        if st.log[i][n].term == st.log[j][n].term
    )


def lemma9(st: Rec, scope: Scope) -> bool:
    return all(s1 == s2 for s1, s2 in _pairs(st.allSynced) if s1[0] == s2[0])


def lemma10(st: Rec, scope: Scope) -> bool:
    return all(any(s[0] == e1.eterm for s in st.allSynced)
               for e1, e2 in _pairs(st.elections) if e1.eterm < e2.eterm)


def lemma11(st: Rec, scope: Scope) -> bool:
    # t ranges over Term (0..T); only election terms can satisfy the antecedent.
    election_terms = {e.eterm for e in st.elections} & set(Universe.of(scope).terms)
    for i in _servers(st):
        for t in election_terms:
            if t < st.sync[i]:
                entries = frozenset((n, st.log[i][n]) for n in _indexes_of(st, i, t))
                if not any(s[0] == t and entries == s[2] for s in st.allSynced):
                    return False
    return True


def lemma12(st: Rec, scope: Scope) -> bool:
    return all(e.term <= st.sync[i] for i in _servers(st) for e in st.log[i].values())


def lemma13(st: Rec, scope: Scope) -> bool:
    return all(f.eterm <= e.esync or f.eterm >= e.eterm
               for e in st.halfElections for f in st.elections)


def sync_completeness(st: Rec, scope: Scope) -> bool:
    def below(i: str, bound: int) -> frozenset:
        return frozenset((n, e) for n, e in st.log[i].items() if e.term >= 0 and e.term < bound)

    return all(below(i, tla_min({st.sync[i], st.sync[j]})) == below(j, tla_min({st.sync[i], st.sync[j]}))
               for i, j in _pairs(_servers(st)))


def _is_int(x: object, low: int) -> bool:
    return isinstance(x, int) and not isinstance(x, bool) and x >= low


def _is_fn_over(x: object, domain: Iterable) -> TypeGuard[Fn]:
    return isinstance(x, Fn) and set(x) == set(domain)


def _is_entry(e: object, u: Universe) -> bool:
    """``Entries``: term, date in Term \\cup {-1}, value in Value \\cup {Nil}, committed BOOLEAN."""
    return (
        isinstance(e, Rec) and set(e) == ENTRY_FIELDS and _is_int(e.term, -1) and _is_int(e.date, -1)
        and e.value in set(u.values) | {NIL} and isinstance(e.committed, bool)
    )


def _is_log(l: object, u: Universe) -> bool:
    """``[Index -> Entries]``."""
    return _is_fn_over(l, u.indexes) and all(_is_entry(e, u) for e in l.values())


def type_safety(st: Rec, scope: Scope) -> bool:
    """``TypeSafety`` read on the tuple shape of endPoint (see MODELING.md)."""
    u = Universe.of(scope)
    servers = set(u.servers)

    def per_server(fn: object, ok: Callable[[object], bool]) -> bool:
        return _is_fn_over(fn, servers) and all(ok(x) for x in fn.values())

    return (
        # allLogs \in SUBSET (SUBSET allEntries): each log, as its set of pairs <<n, l[n]>>,
        # is a subset of allEntries.
        all(log_pairs(l) <= st.allEntries for l in st.allLogs)
        # currentTerm \in [Server -> Nat]
        and per_server(st.currentTerm, lambda t: _is_int(t, 0))
        # currentState \in [Server -> {Follower, Leader, LeaderCandidate, Candidate}]
        and per_server(st.currentState, lambda s: s in SERVER_STATES)
        # votedFor \in [Server -> Server \cup {Nil}]
        and per_server(st.votedFor, lambda v: v in servers | {NIL})
        # sync \in [Server -> Nat \cup {-1}]
        and per_server(st.sync, lambda s: _is_int(s, -1))
        # endPoint \in [Server -> [Term -> (Term \cup {-1}) \X (Index \cup {-1})]]: the tuple
        # shape the actions write (the record shape of the first endPoint conjunct is not used).
        and per_server(st.endPoint, lambda f: _is_fn_over(f, u.terms) and all(
            isinstance(p, tuple) and len(p) == 2 and _is_int(p[0], -1) and _is_int(p[1], -1)
            for p in f.values()))
        # log \in [Server -> [Index -> [term : Index \cup {-1}, date : Term \cup {-1},
        #                               value : Value \cup {Nil}, committed : BOOLEAN]]]
        and per_server(st.log, lambda l: _is_log(l, u))
        # syncTrack \in [Server -> [Server -> Nat]]
        and per_server(st.syncTrack, lambda f: per_server(f, lambda t: _is_int(t, 0)))
        # halfElections \subseteq [eterm : Nat, eleaderCandidate : Server, esync : Nat,
        #                          evotes : Quorums, elog : [Index -> Entries]]
        and all(
            isinstance(e, Rec) and set(e) == {"eterm", "eleaderCandidate", "esync", "evotes", "elog"}
            and _is_int(e.eterm, 0) and e.eleaderCandidate in servers and _is_int(e.esync, 0)
            and e.evotes in u.quorums and _is_log(e.elog, u)
            for e in st.halfElections)
        # elections \subseteq [eterm : Term, esync : Term, eleader : Server, evotes : Quorums,
        #                      evoterLog : SUBSET [Index -> Entries], elog : [Index -> Entries]]
        and all(
            isinstance(e, Rec)
            and set(e) == {"eterm", "esync", "eleader", "evotes", "evoterLog", "elog"}
            and _is_int(e.eterm, 0) and _is_int(e.esync, 0) and e.eleader in servers
            and e.evotes in u.quorums and isinstance(e.evoterLog, frozenset)
            and all(_is_log(l, u) for l in e.evoterLog) and _is_log(e.elog, u)
            for e in st.elections)
    )


INVARIANTS: dict[str, Callable[[Rec, Scope], bool]] = {
    "Lemma1": lemma1, "Lemma2": lemma2, "Lemma3": lemma3, "Lemma4": lemma4, "Lemma5": lemma5,
    "Lemma6": lemma6, "Lemma7": lemma7, "Lemma8": lemma8, "Lemma9": lemma9, "Lemma10": lemma10,
    "Lemma11": lemma11, "Lemma12": lemma12, "Lemma13": lemma13,
    "syncCompleteness": sync_completeness, "TypeSafety": type_safety,
}
