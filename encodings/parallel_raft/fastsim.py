"""A fast, compact-state form of the ParallelRaft-CE interpreter, for long simulations.

Why it exists: the readable interpreter (:mod:`.interpreter`) builds every successor of a
state as records and orders messages canonically, about 500 steps/s. Finding violations
25-45 steps deep needs tens of thousands of steps per second. This module computes the
same transition relation on plain tuples and small integers, TLC-simulator style: a walk
picks an action first, lists only that action's instances, and builds only the successor
it takes. It is not trusted on its own: ``tests/test_fastsim.py`` checks that its
successor sets and invariant values equal the interpreter's on random, deep and
election-poised states (converted by :mod:`.fastconv`), and every
violation it reports is replayed by the interpreter before anything prints it.

The state (:class:`FState`) holds the seed's 13 variables. Servers, values and states are
small integers (``s1`` is 0, ``v1`` is 0, ``Nil`` is -1). An entry is
``(term, date, value, committed)``. ``messages`` is split by message type (six frozensets)
so that an action reads only the kind it handles; their union is the seed's ``messages``.
Message tuples, by type (fields in the seed's order, the type tag and a ``Nil`` mdest left out):

- RequestVoteRequest ``(mterm, msync, msource)``
- RequestVoteResponse ``(mterm, mvoteGranted, mlog, mend, msource, mdest)``; ``mlog`` a frozenset of ``(n, entry)``
- RequestSyncRequest ``(mterm, msync, mstart, mend, mentries, msource)``; ``mentries`` is ``()`` for Nil,
  else the (non-empty) tuple of entries at ``mstart..mend``
- RequestSyncResponse ``(mterm, msyncGranted, msync, mstart, mend, msource, mdest)``
- UpdateSyncRequest ``(mterm, msync, msource, mdest)``; ``mdest`` a frozenset of servers
- UpdateSyncResponse ``(mterm, mupdateSyncGranted, msync, msource, mdest)``

The same readings of the seed as the interpreter's docstring states apply here
(CHOOSE as nondeterministic choice, ``m.mdest = i`` false for a set, scope limits).
"""

from __future__ import annotations

import itertools
from typing import Callable, Iterator, NamedTuple

from smtspec.scope import Scope
from smtspec.values import Rec

from . import interpreter as ref

FOLLOWER, CANDIDATE, LEADER, LEADER_CANDIDATE = 0, 1, 2, 3
STATE_NAMES = (ref.FOLLOWER, ref.CANDIDATE, ref.LEADER, ref.LEADER_CANDIDATE)
NIL = -1
EMPTY = (-1, -1, -1, False)

RVQ, RVP, RSQ, RSP, USQ, USP = range(6)  # message kinds, the index into FState.messages
KIND_NAMES = (ref.REQUEST_VOTE_REQUEST, ref.REQUEST_VOTE_RESPONSE, ref.REQUEST_SYNC_REQUEST,
              ref.REQUEST_SYNC_RESPONSE, ref.UPDATE_SYNC_REQUEST, ref.UPDATE_SYNC_RESPONSE)


class FState(NamedTuple):
    """One state, field for field the seed's variables (see the module docstring)."""

    messages: tuple  # six frozensets, by kind
    currentTerm: tuple
    currentState: tuple
    votedFor: tuple
    sync: tuple
    endPoint: tuple  # per server, per term: (date, index)
    log: tuple  # per server, per index: entry
    syncTrack: tuple  # per server, per server
    halfElections: frozenset  # (eterm, eleaderCandidate, esync, evotes, elog)
    elections: frozenset  # (eterm, esync, eleader, evotes, evoterLog, elog)
    allLogs: frozenset
    allEntries: frozenset
    allSynced: frozenset  # (sync, end index, frozenset of (n, entry))


class Model:
    """The constants of one scope, precomputed: sizes, quorums (as frozensets of servers)."""

    def __init__(self, scope: Scope):
        self.scope = scope
        self.n = scope.servers
        self.servers = tuple(range(self.n))
        self.values = tuple(range(scope.values))
        self.T = scope.terms
        self.I = scope.indexes
        self.quorums = tuple(
            frozenset(c) for size in range(1, self.n + 1) if size * 2 > self.n
            for c in itertools.combinations(self.servers, size)
        )
        self.server_names = tuple(f"s{k + 1}" for k in self.servers)
        self.value_names = tuple(f"v{k + 1}" for k in self.values)

    # ------------------------------------------------------------------ Init
    def initial(self) -> FState:
        n, empty_log = self.n, (EMPTY,) * self.I
        return FState(
            messages=(frozenset(),) * 6,
            currentTerm=(0,) * n, currentState=(FOLLOWER,) * n, votedFor=(NIL,) * n, sync=(0,) * n,
            endPoint=(((-1, -1),) * (self.T + 1),) * n,
            log=(empty_log,) * n,
            syncTrack=((0,) * n,) * n,
            halfElections=frozenset(), elections=frozenset(),
            allLogs=frozenset(), allEntries=frozenset(), allSynced=frozenset(),
        )


def _set(t: tuple, k: int, v) -> tuple:
    return t[:k] + (v,) + t[k + 1:]


def _send(st: FState, kind: int, m: tuple) -> tuple:
    box = st.messages[kind]
    if m in box:
        return st.messages
    return _set(st.messages, kind, box | {m})


def _clear_term(log_i: tuple, term: int) -> tuple:
    return tuple(EMPTY if e[0] == term else e for e in log_i)


def _commit_term(log_i: tuple, term: int) -> tuple:
    return tuple((e[0], e[1], e[2], True) if e[0] == term else e for e in log_i)


def _log_tail(log_i: tuple) -> int:
    for n in range(len(log_i) - 1, -1, -1):
        if log_i[n][0] != -1:
            return n
    return -1


_HISTORY_MEMO: list = [None, None, None, None]  # (pre.log, pre.allLogs, pre.allEntries) -> (logs, entries)


def with_history(pre: FState, nxt: FState) -> FState:
    """Next's last two conjuncts: allLogs' and allEntries' grow by the PRE-state logs.

    The result depends only on (pre.log, pre.allLogs, pre.allEntries); consecutive steps of a
    walk usually share those three objects, so the last result is kept (an identity test on
    immutable values: exact)."""
    memo = _HISTORY_MEMO
    if memo[0] is pre.log and memo[1] is pre.allLogs and memo[2] is pre.allEntries:
        logs, entries = memo[3]
    else:
        logs, entries = pre.allLogs, pre.allEntries
        new_logs = [l for l in pre.log if l not in logs]
        if new_logs:
            logs = logs.union(new_logs)
        more = {(n, e) for l in pre.log for n, e in enumerate(l)} - entries
        if more:
            entries = entries | more
        memo[:] = [pre.log, pre.allLogs, pre.allEntries, (logs, entries)]
    if logs is nxt.allLogs and entries is nxt.allEntries:
        return nxt
    return nxt._replace(allLogs=logs, allEntries=entries)


# ---------------------------------------------------------------------------- actions
# Each action is a pair: ``enum(M, st)`` lists the instances as small argument tuples
# (cheap: nothing is built), ``apply(M, st, args)`` returns the successors of one instance
# (before Next's history conjuncts), a list because CHOOSE may allow several.
# ``params(M, args)`` names the instance as the interpreter does (for traces).


def enum_restart(M: Model, st: FState) -> list:
    return [(i,) for i in M.servers]


def apply_restart(M: Model, st: FState, a) -> list:
    i = a[0]
    return [st._replace(currentState=_set(st.currentState, i, FOLLOWER),
                        syncTrack=_set(st.syncTrack, i, (0,) * M.n))]


def enum_timeout(M: Model, st: FState) -> list:
    return [(i,) for i in M.servers
            if st.currentState[i] in (FOLLOWER, CANDIDATE) and st.currentTerm[i] + 1 <= M.T]


def apply_timeout(M: Model, st: FState, a) -> list:
    i = a[0]
    return [st._replace(currentState=_set(st.currentState, i, CANDIDATE),
                        currentTerm=_set(st.currentTerm, i, st.currentTerm[i] + 1),
                        votedFor=_set(st.votedFor, i, NIL))]


def _dest(kind: int, m: tuple):
    """``m.mdest``: NIL for broadcasts, a server, or a frozenset (UpdateSyncRequest)."""
    if kind in (RVQ, RSQ):
        return NIL
    return m[-1]


def enum_update_term(M: Model, st: FState) -> list:
    out: list[tuple[int, int, tuple]] = []
    ct = st.currentTerm
    for kind in range(6):
        if kind == USQ:
            continue  # mdest is a set: equal neither to i nor to Nil
        for m in st.messages[kind]:
            term, dest = m[0], _dest(kind, m)
            if dest == NIL:
                out.extend((i, kind, m) for i in M.servers if term > ct[i] and term <= M.T)
            elif term > ct[dest] and term <= M.T:
                out.append((dest, kind, m))
    return out


def apply_update_term(M: Model, st: FState, a) -> list:
    i, _kind, m = a
    return [st._replace(currentTerm=_set(st.currentTerm, i, m[0]),
                        currentState=_set(st.currentState, i, FOLLOWER),
                        votedFor=_set(st.votedFor, i, NIL))]


def enum_request_vote(M: Model, st: FState) -> list:
    return [(i,) for i in M.servers if st.currentState[i] == CANDIDATE]


def apply_request_vote(M: Model, st: FState, a) -> list:
    i = a[0]
    return [st._replace(messages=_send(st, RVQ, (st.currentTerm[i], st.sync[i], i)))]


def enum_handle_request_vote_request(M: Model, st: FState) -> list:
    ct = st.currentTerm
    return [(i, m) for m in st.messages[RVQ] for i in M.servers if m[0] <= ct[i] and m[1] <= M.T]


def apply_handle_request_vote_request(M: Model, st: FState, a) -> list:
    i, m = a
    mterm, msync, j = m
    ct, sync_i = st.currentTerm[i], st.sync[i]
    grant = msync >= sync_i and st.votedFor[i] in (NIL, j) and ct == mterm
    mlog = frozenset((n, e) for n, e in enumerate(st.log[i]) if e[0] == sync_i)
    resp = (ct, grant, mlog, st.endPoint[i][msync], i, j)
    voted = _set(st.votedFor, i, j) if grant else st.votedFor
    return [st._replace(votedFor=voted, messages=_send(st, RVP, resp))]


def merge_choices(entries: set, term: int, date: int) -> list:
    """Every value ``Merge(entries, term, date)`` can take."""
    if not entries:
        return [(term, date, NIL, False)]
    chosen = [e for e in entries if e[3] is True]
    if not chosen:
        latest = max(e[1] for e in entries)
        chosen = [e for e in entries if e[1] == latest]
    return list({(c[0], date, c[2], c[3]) for c in chosen})


def _blc_views(M: Model, st: FState, i: int):
    """Per quorum P: the vote responses read (to i, from P, at i's term)."""
    ct = st.currentTerm[i]
    mine = [m for m in st.messages[RVP] if m[5] == i and m[0] == ct]
    return mine


def enum_become_leader_candidate(M: Model, st: FState) -> list:
    out = []
    for i in M.servers:
        if st.currentState[i] != CANDIDATE or st.sync[i] > M.T:
            continue
        mine = _blc_views(M, st, i)
        if not mine:
            continue
        granted = {m[4] for m in mine if m[1] is True}
        responded = {m[4] for m in mine}
        for p in M.quorums:
            if not p & responded:
                continue
            gp = granted & p
            for q in M.quorums:
                if q <= gp:
                    out.append((i, p, q))
    return out


def _end_choices(vr: list, all_log: frozenset) -> list:
    points = {m[3] for m in vr}
    latest = max(pt[0] for pt in points)
    ends = set()
    for pt in points:
        if pt[0] == latest:
            ends.add(max((n for n, _e in all_log), default=-1) if pt[0] == -1 else pt[1])
    return sorted(ends)


def apply_become_leader_candidate(M: Model, st: FState, a) -> list:
    i, p, q = a
    ct, sync_i, log_i = st.currentTerm[i], st.sync[i], st.log[i]
    vr = [m for m in _blc_views(M, st, i) if m[4] in p]
    all_log = frozenset().union(*(m[2] for m in vr))
    half = st.halfElections | {(ct, i, sync_i, q, log_i)}
    cs = _set(st.currentState, i, LEADER_CANDIDATE)
    track = _set(st.syncTrack, i, (sync_i,) * M.n)
    out = set()
    for end in _end_choices(vr, all_log):
        if end >= M.I:
            continue  # 0..end would leave Index: the interpreter reports and drops it
        if end == -1:
            logs = [_clear_term(log_i, sync_i)]
        else:
            to_recover = [n for n in range(end + 1) if log_i[n][3] is False]
            per_index = [merge_choices({e for k, e in all_log if k == n}, sync_i, ct) for n in to_recover]
            logs = []
            for choice in itertools.product(*per_index):
                merged = dict(zip(to_recover, choice))
                logs.append(tuple(merged[n] if n in merged else (EMPTY if n > end else log_i[n])
                                  for n in range(M.I)))
        ep = _set(st.endPoint, i, _set(st.endPoint[i], sync_i, (ct, end)))
        for new_log in logs:
            out.add((new_log, end, ep))
    # a fixed order (logs and ends are tuples of ints), so that a path of (action, args,
    # successor number) replays to the same states in any process
    return [st._replace(log=_set(st.log, i, new_log), endPoint=ep, halfElections=half, currentState=cs,
                        syncTrack=track) for new_log, end, ep in sorted(out, key=lambda x: (x[0], x[1]))]


def enum_become_leader(M: Model, st: FState) -> list:
    out = []
    for i in M.servers:
        if st.currentState[i] != LEADER_CANDIDATE:
            continue
        ct, track = st.currentTerm[i], st.syncTrack[i]
        for q in M.quorums:
            if all(k == i or track[k] == ct for k in q):
                out.append((i, q))
    return out


def apply_become_leader(M: Model, st: FState, a) -> list:
    i, q = a
    ct, sync_i = st.currentTerm[i], st.sync[i]
    election = (ct, sync_i, i, q, frozenset(st.log[k] for k in q), st.log[i])
    return [st._replace(elections=st.elections | {election}, sync=_set(st.sync, i, ct),
                        currentState=_set(st.currentState, i, LEADER),
                        log=_set(st.log, i, _commit_term(st.log[i], sync_i)))]


def enum_client_request(M: Model, st: FState) -> list:
    out: list[tuple[int, int]] = []
    for i in M.servers:
        if st.currentState[i] == LEADER and _log_tail(st.log[i]) + 1 < M.I:
            out.extend((i, v) for v in M.values)
    return out


def apply_client_request(M: Model, st: FState, a) -> list:
    i, v = a
    n = _log_tail(st.log[i]) + 1
    ct = st.currentTerm[i]
    return [st._replace(log=_set(st.log, i, _set(st.log[i], n, (ct, ct, v, False))))]


def enum_request_sync(M: Model, st: FState) -> list:
    return [(i, s) for i in M.servers if st.currentState[i] in (LEADER_CANDIDATE, LEADER)
            for s in range(st.sync[i] + 1)]


def apply_request_sync(M: Model, st: FState, a) -> list:
    i, s = a
    log_i = st.log[i]
    idx = [n for n, e in enumerate(log_i) if e[0] == s]
    start, end = (idx[0], idx[-1]) if idx else (-1, -1)
    entries = () if start == -1 else log_i[start:end + 1]
    return [st._replace(messages=_send(st, RSQ, (st.currentTerm[i], s, start, end, entries, i)))]


def enum_handle_request_sync_request(M: Model, st: FState) -> list:
    ct, sync = st.currentTerm, st.sync
    out = []
    for m in st.messages[RSQ]:
        mterm, msync, _start, mend, _entries, j = m
        for i in M.servers:
            if mterm <= ct[i] and j != i:
                grant = mterm == ct[i] and msync == sync[i]
                if grant and (sync[i] > M.T or not -1 <= mend < M.I):
                    continue  # out of scope: the interpreter reports and drops it
                out.append((i, m))
    return out


def apply_handle_request_sync_request(M: Model, st: FState, a) -> list:
    i, m = a
    mterm, msync, start, end, entries, j = m
    ct, sync_i = st.currentTerm[i], st.sync[i]
    grant = mterm == ct and msync == sync_i
    log, ep = st.log, st.endPoint
    if grant:
        log_i = st.log[i]
        if start == -1:
            new = _clear_term(log_i, sync_i)
        else:
            new = log_i[:start] + entries + (EMPTY,) * (M.I - end - 1)
        log = _set(log, i, new)
        ep = _set(ep, i, _set(ep[i], sync_i, (ct, end)))
    resp = (ct, grant, sync_i, start, end, i, j)
    return [st._replace(log=log, endPoint=ep, messages=_send(st, RSP, resp))]


def enum_handle_request_sync_response(M: Model, st: FState) -> list:
    out = []
    ct, cs, sync = st.currentTerm, st.currentState, st.sync
    for m in st.messages[RSP]:
        i = m[6]
        if ct[i] == m[0] and cs[i] in (LEADER, LEADER_CANDIDATE):
            if m[1] is True and not m[2] < sync[i]:
                continue  # granted and up to date: neither disjunct holds
            out.append((i, m))
    return out


def apply_handle_request_sync_response(M: Model, st: FState, a) -> list:
    i, m = a
    _mterm, granted, msync, _s, _e, j, _d = m
    track = _set(st.syncTrack, i, _set(st.syncTrack[i], j, msync))
    messages = st.messages
    if granted is True:
        later = [e[0] for e in st.log[i] if e[0] >= 0 and e[0] > msync]
        update = (st.currentTerm[i], min([st.sync[i]] + later), i, frozenset({j}))
        messages = _send(st, USQ, update)
    return [st._replace(syncTrack=track, messages=messages)]


def enum_update_sync(M: Model, st: FState) -> list:
    out = []
    for i in M.servers:
        if st.currentState[i] != LEADER_CANDIDATE or st.sync[i] > M.T:
            continue
        ct, sync_i = st.currentTerm[i], st.sync[i]
        synced = {m[5] for m in st.messages[RSP]
                  if m[0] == ct and m[1] is True and m[2] == sync_i and m[6] == i}
        for q in M.quorums:
            if all(k in synced or k == i for k in q):
                out.append((i, q))
    return out


def apply_update_sync(M: Model, st: FState, a) -> list:
    i, q = a
    ct, sync_i = st.currentTerm[i], st.sync[i]
    entries = frozenset((n, (e[0], e[1], e[2], True)) for n, e in enumerate(st.log[i]) if e[0] == sync_i)
    synced = (sync_i, st.endPoint[i][sync_i][1], entries)
    return [st._replace(allSynced=st.allSynced | {synced},
                        messages=_send(st, USQ, (ct, ct, i, q)))]


def enum_handle_update_sync_request(M: Model, st: FState) -> list:
    ct, sync = st.currentTerm, st.sync
    out = []
    for m in st.messages[USQ]:
        mterm, msync, _j, dest = m
        for i in dest:
            if mterm <= ct[i]:
                if ct[i] == mterm and msync > sync[i] and msync > M.T:
                    continue  # sync'[i] would leave Term: reported and dropped
                out.append((i, m))
    return out


def apply_handle_update_sync_request(M: Model, st: FState, a) -> list:
    i, m = a
    mterm, msync, j, _dest = m
    ct, sync_i = st.currentTerm[i], st.sync[i]
    grant = ct == mterm and msync > sync_i
    sync, log = st.sync, st.log
    if grant:
        sync = _set(sync, i, msync)
        log = _set(log, i, _commit_term(log[i], sync_i))
    resp = (ct, grant, sync[i], i, j)
    return [st._replace(sync=sync, log=log, messages=_send(st, USP, resp))]


def enum_handle_update_sync_response(M: Model, st: FState) -> list:
    ct, cs = st.currentTerm, st.currentState
    return [(m[4], m) for m in st.messages[USP]
            if ct[m[4]] == m[0] and cs[m[4]] in (LEADER, LEADER_CANDIDATE)]


def apply_handle_update_sync_response(M: Model, st: FState, a) -> list:
    i, m = a
    if m[1] is True:
        return [st._replace(syncTrack=_set(st.syncTrack, i, _set(st.syncTrack[i], m[3], m[2])))]
    return [st]


ACTIONS: dict[str, tuple[Callable, Callable]] = {
    "Restart": (enum_restart, apply_restart),
    "Timeout": (enum_timeout, apply_timeout),
    "UpdateTerm": (enum_update_term, apply_update_term),
    "RequestVote": (enum_request_vote, apply_request_vote),
    "HandleRequestVoteRequest": (enum_handle_request_vote_request, apply_handle_request_vote_request),
    "BecomeLeaderCandidate": (enum_become_leader_candidate, apply_become_leader_candidate),
    "BecomeLeader": (enum_become_leader, apply_become_leader),
    "ClientRequest": (enum_client_request, apply_client_request),
    "RequestSync": (enum_request_sync, apply_request_sync),
    "HandleRequestSyncRequest": (enum_handle_request_sync_request, apply_handle_request_sync_request),
    "HandleRequestSyncResponse": (enum_handle_request_sync_response, apply_handle_request_sync_response),
    "UpdateSync": (enum_update_sync, apply_update_sync),
    "HandleUpdateSyncRequest": (enum_handle_update_sync_request, apply_handle_update_sync_request),
    "HandleUpdateSyncResponse": (enum_handle_update_sync_response, apply_handle_update_sync_response),
}
ACTION_NAMES = tuple(ACTIONS)
assert ACTION_NAMES == ref.ACTIONS


def instances(M: Model, st: FState) -> Iterator[tuple[str, tuple, FState]]:
    """Every ``(action, args, next_state)`` of Next from ``st`` (history conjuncts applied)."""
    for name, (enum, apply) in ACTIONS.items():
        for args in enum(M, st):
            for nxt in apply(M, st, args):
                yield name, args, with_history(st, nxt)


# ---------------------------------------------------------------------------- the search's view


class Fast:
    """This spec as a :class:`smtspec.guided.FastSystem`: actions, invariants and the abstract
    state the guided search keeps one corpus entry for."""

    actions = ACTION_NAMES

    def __init__(self, scope: Scope):
        from . import fastconv, fastinv

        self.model = Model(scope)
        self._inv = fastinv
        self._conv = fastconv
        self._actions = ACTIONS

    def initial(self) -> FState:
        return self.model.initial()

    def enum(self, action: str, st: FState) -> list:
        return self._actions[action][0](self.model, st)

    def apply(self, action: str, st: FState, args) -> list:
        return [with_history(st, nxt) for nxt in self._actions[action][1](self.model, st, args)]

    def violated(self, st: FState, names) -> list[str]:
        return self._inv.violated(self.model, st, names)

    def changed(self, pre: FState, post: FState, names) -> list[str]:
        return self._inv.changed_invariants(pre, post, names)

    def violated_by_step(self, pre: FState, post: FState, names) -> list[str]:
        return self._inv.violated_by_step(self.model, pre, post, names)

    def features(self, st: FState):
        """The abstract state, up to a renaming of servers (sorted per-server rows): per server
        its role, term, sync, whether it voted, its log (term, value, committed per index) and
        its end points; how many half-elections, elections and synced records exist; which
        message kinds are in flight at which terms."""
        rows = sorted(zip(st.currentState, st.currentTerm, st.sync, (v != NIL for v in st.votedFor),
                          st.log, st.endPoint))
        return (
            tuple(rows),
            len(st.halfElections), len(st.elections), len(st.allSynced),
            tuple(frozenset(m[0] for m in box) for box in st.messages),
        )

    def milestone(self, st: FState):
        """The coarse abstraction: per server (up to renaming) role, term and sync, and how
        many half-elections, elections and synced records exist."""
        return (tuple(sorted(zip(st.currentState, st.currentTerm, st.sync))),
                len(st.halfElections), len(st.elections), len(st.allSynced))

    def to_rec(self, st: FState) -> Rec:
        return self._conv.to_rec(self.model, st)

    def params(self, action: str, args) -> Rec:
        return self._conv.params_rec(self.model, action, args)

    def args(self, action: str, params: Rec):
        """The instance arguments named by interpreter parameters (the inverse of :meth:`params`)."""
        return self._conv.args_of(self.model, action, params)


def load(scope: Scope) -> Fast:
    return Fast(scope)
