"""Conversions between the compact states of :mod:`.fastsim` and the interpreter's values.

States, messages and action parameters both ways, so that the fast form can be compared
with the readable interpreter state by state (``tests/test_fastsim.py``) and so that what
the search finds becomes an ordinary trace the interpreter replays.
"""

from __future__ import annotations

from smtspec.values import Fn, Rec

from . import interpreter as ref
from .fastsim import KIND_NAMES, NIL, RSP, RSQ, RVP, RVQ, STATE_NAMES, USP, USQ, FState, Model


def _entry_rec(M: Model, e: tuple) -> Rec:
    return Rec(term=e[0], date=e[1], value=ref.NIL if e[2] == NIL else M.value_names[e[2]], committed=e[3])


def _log_fn(M: Model, l: tuple) -> Fn:
    return Fn({n: _entry_rec(M, e) for n, e in enumerate(l)})


def _server_set(M: Model, s) -> frozenset:
    return frozenset(M.server_names[k] for k in s)


def message_rec(M: Model, kind: int, m: tuple) -> Rec:
    """A message as the interpreter writes it."""
    S = M.server_names
    t = KIND_NAMES[kind]
    if kind == RVQ:
        return Rec(mtype=t, mterm=m[0], msync=m[1], msource=S[m[2]], mdest=ref.NIL)
    if kind == RVP:
        return Rec(mtype=t, mterm=m[0], mvoteGranted=m[1], mlog=frozenset((n, _entry_rec(M, e)) for n, e in m[2]),
                   mend=m[3], msource=S[m[4]], mdest=S[m[5]])
    if kind == RSQ:
        entries = ref.NIL if m[4] == () else Fn({m[2] + k: _entry_rec(M, e) for k, e in enumerate(m[4])})
        return Rec(mtype=t, mterm=m[0], msync=m[1], mstart=m[2], mend=m[3], mentries=entries,
                   msource=S[m[5]], mdest=ref.NIL)
    if kind == RSP:
        return Rec(mtype=t, mterm=m[0], msyncGranted=m[1], msync=m[2], mstart=m[3], mend=m[4],
                   msource=S[m[5]], mdest=S[m[6]])
    if kind == USQ:
        return Rec(mtype=t, mterm=m[0], msync=m[1], msource=S[m[2]], mdest=_server_set(M, m[3]))
    return Rec(mtype=t, mterm=m[0], mupdateSyncGranted=m[1], msync=m[2], msource=S[m[3]], mdest=S[m[4]])


def to_rec(M: Model, st: FState) -> Rec:
    """The interpreter's form of a state."""
    S = M.server_names
    per = lambda t: Fn({S[k]: x for k, x in enumerate(t)})  # noqa: E731
    return Rec(
        messages=frozenset(message_rec(M, k, m) for k in range(6) for m in st.messages[k]),
        currentTerm=per(st.currentTerm),
        currentState=Fn({S[k]: STATE_NAMES[x] for k, x in enumerate(st.currentState)}),
        votedFor=Fn({S[k]: ref.NIL if x == NIL else S[x] for k, x in enumerate(st.votedFor)}),
        sync=per(st.sync),
        endPoint=Fn({S[k]: Fn(dict(enumerate(ep))) for k, ep in enumerate(st.endPoint)}),
        log=Fn({S[k]: _log_fn(M, l) for k, l in enumerate(st.log)}),
        syncTrack=Fn({S[k]: per(tr) for k, tr in enumerate(st.syncTrack)}),
        halfElections=frozenset(Rec(eterm=e[0], eleaderCandidate=S[e[1]], esync=e[2], evotes=_server_set(M, e[3]),
                                    elog=_log_fn(M, e[4])) for e in st.halfElections),
        elections=frozenset(Rec(eterm=e[0], esync=e[1], eleader=S[e[2]], evotes=_server_set(M, e[3]),
                                evoterLog=frozenset(_log_fn(M, l) for l in e[4]), elog=_log_fn(M, e[5]))
                            for e in st.elections),
        allLogs=frozenset(_log_fn(M, l) for l in st.allLogs),
        allEntries=frozenset((n, _entry_rec(M, e)) for n, e in st.allEntries),
        allSynced=frozenset((s[0], s[1], frozenset((n, _entry_rec(M, e)) for n, e in s[2])) for s in st.allSynced),
    )


def from_rec(M: Model, r: Rec) -> FState:
    """The compact form of an interpreter state (of this scope)."""
    sidx = {name: k for k, name in enumerate(M.server_names)}
    vidx = {name: k for k, name in enumerate(M.value_names)}
    S = M.server_names

    def ent(e: Rec) -> tuple:
        return (e.term, e.date, NIL if e.value == ref.NIL else vidx[e.value], e.committed)

    def lg(l: Fn) -> tuple:
        return tuple(ent(l[n]) for n in range(M.I))

    def srv(x) -> int:
        return NIL if x == ref.NIL else sidx[x]

    boxes: list[set] = [set() for _ in range(6)]
    for m in r.messages:
        kind = KIND_NAMES.index(m.mtype)
        t: tuple  # the compact message: its shape depends on the kind
        if kind == RVQ:
            t = (m.mterm, m.msync, srv(m.msource))
        elif kind == RVP:
            t = (m.mterm, m.mvoteGranted, frozenset((n, ent(e)) for n, e in m.mlog), m.mend, srv(m.msource), srv(m.mdest))
        elif kind == RSQ:
            entries = () if m.mentries == ref.NIL else tuple(ent(m.mentries[n]) for n in range(m.mstart, m.mend + 1))
            t = (m.mterm, m.msync, m.mstart, m.mend, entries, srv(m.msource))
        elif kind == RSP:
            t = (m.mterm, m.msyncGranted, m.msync, m.mstart, m.mend, srv(m.msource), srv(m.mdest))
        elif kind == USQ:
            t = (m.mterm, m.msync, srv(m.msource), frozenset(srv(x) for x in m.mdest))
        else:
            t = (m.mterm, m.mupdateSyncGranted, m.msync, srv(m.msource), srv(m.mdest))
        boxes[kind].add(t)
    return FState(
        messages=tuple(frozenset(b) for b in boxes),
        currentTerm=tuple(r.currentTerm[s] for s in S),
        currentState=tuple(STATE_NAMES.index(r.currentState[s]) for s in S),
        votedFor=tuple(srv(r.votedFor[s]) for s in S),
        sync=tuple(r.sync[s] for s in S),
        endPoint=tuple(tuple(r.endPoint[s][t] for t in range(M.T + 1)) for s in S),
        log=tuple(lg(r.log[s]) for s in S),
        syncTrack=tuple(tuple(r.syncTrack[s][x] for x in S) for s in S),
        halfElections=frozenset((e.eterm, sidx[e.eleaderCandidate], e.esync, frozenset(sidx[x] for x in e.evotes),
                                 lg(e.elog)) for e in r.halfElections),
        elections=frozenset((e.eterm, e.esync, sidx[e.eleader], frozenset(sidx[x] for x in e.evotes),
                             frozenset(lg(l) for l in e.evoterLog), lg(e.elog)) for e in r.elections),
        allLogs=frozenset(lg(l) for l in r.allLogs),
        allEntries=frozenset((n, ent(e)) for n, e in r.allEntries),
        allSynced=frozenset((s[0], s[1], frozenset((n, ent(e)) for n, e in s[2])) for s in r.allSynced),
    )


def params_rec(M: Model, action: str, args: tuple) -> Rec:
    """The instance's parameters as the interpreter names them (``i``, ``m``, ``P``, ``Q``, ``v``, ``s``)."""
    S = M.server_names
    i = S[args[0]]
    if action in ("Restart", "Timeout", "RequestVote"):
        return Rec(i=i)
    if action == "UpdateTerm":
        return Rec(i=i, m=message_rec(M, args[1], args[2]))
    kinds = {"HandleRequestVoteRequest": RVQ, "HandleRequestSyncRequest": RSQ, "HandleRequestSyncResponse": RSP,
             "HandleUpdateSyncRequest": USQ, "HandleUpdateSyncResponse": USP}
    if action in kinds:
        return Rec(i=i, m=message_rec(M, kinds[action], args[1]))
    if action == "BecomeLeaderCandidate":
        return Rec(i=i, P=_server_set(M, args[1]), Q=_server_set(M, args[2]))
    if action in ("BecomeLeader", "UpdateSync"):
        return Rec(i=i, Q=_server_set(M, args[1]))
    if action == "ClientRequest":
        return Rec(i=i, v=M.value_names[args[1]])
    if action == "RequestSync":
        return Rec(i=i, s=args[1])
    raise ValueError(action)


def message_of(M: Model, m: Rec) -> tuple[int, tuple]:
    """(kind, tuple) of an interpreter message."""
    shell = Rec(ref.initial_state(M.scope), messages=frozenset({m}))
    boxes = from_rec(M, shell).messages
    kind = next(k for k in range(6) if boxes[k])
    return kind, next(iter(boxes[kind]))


def args_of(M: Model, action: str, p: Rec):
    """The argument tuple :func:`enum` lists for the instance with interpreter parameters ``p``."""
    sidx = {name: k for k, name in enumerate(M.server_names)}
    i = sidx[p["i"]]
    if action in ("Restart", "Timeout", "RequestVote"):
        return (i,)
    if action == "UpdateTerm":
        kind, m = message_of(M, p["m"])
        return (i, kind, m)
    if action in ("HandleRequestVoteRequest", "HandleRequestSyncRequest", "HandleRequestSyncResponse",
                  "HandleUpdateSyncRequest", "HandleUpdateSyncResponse"):
        return (i, message_of(M, p["m"])[1])
    if action == "BecomeLeaderCandidate":
        return (i, frozenset(sidx[x] for x in p["P"]), frozenset(sidx[x] for x in p["Q"]))
    if action in ("BecomeLeader", "UpdateSync"):
        return (i, frozenset(sidx[x] for x in p["Q"]))
    if action == "ClientRequest":
        return (i, M.value_names.index(p["v"]))
    if action == "RequestSync":
        return (i, p["s"])
    raise ValueError(action)


