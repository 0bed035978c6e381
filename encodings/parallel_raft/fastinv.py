"""The 15 ParallelRaft-CE invariants on the compact states of :mod:`.fastsim`.

Each invariant is written again from the seed (the same readings as the interpreter's
invariants; ``tests/test_fastsim.py`` checks that both agree on every state it visits) and
declares the state variables it reads. A walk re-evaluates an invariant only when one of
those variables changed in the last step (:func:`changed_invariants`): unchanged fields are
the very same tuple objects, so the test is an identity check.
"""

from __future__ import annotations

from typing import Callable

from .fastsim import CANDIDATE, FOLLOWER, LEADER, LEADER_CANDIDATE, NIL, FState, Model

_F = {name: k for k, name in enumerate(FState._fields)}


def lemma1(M: Model, st: FState) -> bool:
    return all(s <= t for s, t in zip(st.sync, st.currentTerm))


def lemma2(M: Model, st: FState) -> bool:
    return all(s == t for c, s, t in zip(st.currentState, st.sync, st.currentTerm) if c == LEADER)


def lemma3(M: Model, st: FState) -> bool:
    seen: dict = {}
    for e in st.halfElections:
        if seen.setdefault(e[0], e[1]) != e[1]:
            return False
    return True


def lemma4(M: Model, st: FState) -> bool:
    half = {(e[0], e[1]) for e in st.halfElections}
    return all((e[0], e[2]) in half for e in st.elections)


def lemma5(M: Model, st: FState) -> bool:
    seen: dict = {}
    for e in st.elections:
        if seen.setdefault(e[0], e[2]) != e[2]:
            return False
    return True


def lemma7(M: Model, st: FState) -> bool:
    return all(e[2] < e[0] for e in st.halfElections)


def lemma8(M: Model, st: FState) -> bool:
    for n in range(M.I):
        seen: dict = {}
        for l in st.log:
            e = l[n]
            if seen.setdefault(e[0], e[2]) != e[2]:
                return False
    return True


def lemma9(M: Model, st: FState) -> bool:
    seen: dict = {}
    for s in st.allSynced:
        if seen.setdefault(s[0], s) != s:
            return False
    return True


def lemma10(M: Model, st: FState) -> bool:
    terms = {e[0] for e in st.elections}
    if len(terms) < 2:
        return True
    synced = {s[0] for s in st.allSynced}
    top = max(terms)
    return all(t in synced for t in terms if t < top)


def lemma11(M: Model, st: FState) -> bool:
    terms = {e[0] for e in st.elections if 0 <= e[0] <= M.T}
    if not terms:
        return True
    for i in M.servers:
        sync_i, log_i = st.sync[i], st.log[i]
        for t in terms:
            if t < sync_i:
                entries = frozenset((n, e) for n, e in enumerate(log_i) if e[0] == t)
                if not any(s[0] == t and s[2] == entries for s in st.allSynced):
                    return False
    return True


def lemma12(M: Model, st: FState) -> bool:
    return all(e[0] <= s for l, s in zip(st.log, st.sync) for e in l)


def lemma13(M: Model, st: FState) -> bool:
    return all(f[0] <= e[2] or f[0] >= e[0] for e in st.halfElections for f in st.elections)


def sync_completeness(M: Model, st: FState) -> bool:
    for i in M.servers:
        for j in M.servers:
            if j <= i:
                continue
            b = min(st.sync[i], st.sync[j])
            a = [(n, e) for n, e in enumerate(st.log[i]) if 0 <= e[0] < b]
            c = [(n, e) for n, e in enumerate(st.log[j]) if 0 <= e[0] < b]
            if a != c:  # both in index order, so list equality is set equality
                return False
    return True


def _int(x, low: int) -> bool:
    return type(x) is int and x >= low


def _entry(M: Model, e) -> bool:
    return (type(e) is tuple and len(e) == 4 and _int(e[0], -1) and _int(e[1], -1)
            and (e[2] == NIL or e[2] in M.values) and type(e[2]) is int and type(e[3]) is bool)


def _log(M: Model, l) -> bool:
    return type(l) is tuple and len(l) == M.I and all(_entry(M, e) for e in l)


def _per(M: Model, t, ok) -> bool:
    return type(t) is tuple and len(t) == M.n and all(ok(x) for x in t)


# TypeSafety's conjuncts, each with the variables it reads, so that a step re-evaluates
# only the conjuncts whose variables it changed (the interpreter's reading, tuple-shaped endPoint)
TYPE_SAFETY: tuple[tuple[str, tuple[str, ...], Callable[[Model, FState], bool]], ...] = (
    # allLogs \in SUBSET (SUBSET allEntries): each log, as its set of pairs <<n, l[n]>>, is in allEntries
    ("allLogs", ("allLogs", "allEntries"),
     lambda M, st: all(set(enumerate(l)) <= st.allEntries for l in st.allLogs)),
    ("currentTerm", ("currentTerm",), lambda M, st: _per(M, st.currentTerm, lambda t: _int(t, 0))),
    ("currentState", ("currentState",),
     lambda M, st: _per(M, st.currentState, lambda s: s in (FOLLOWER, CANDIDATE, LEADER, LEADER_CANDIDATE))),
    ("votedFor", ("votedFor",), lambda M, st: _per(M, st.votedFor, lambda v: v == NIL or v in M.servers)),
    ("sync", ("sync",), lambda M, st: _per(M, st.sync, lambda s: _int(s, -1))),
    ("endPoint", ("endPoint",), lambda M, st: _per(M, st.endPoint, lambda f: type(f) is tuple and len(f) == M.T + 1 and all(
        type(p) is tuple and len(p) == 2 and _int(p[0], -1) and _int(p[1], -1) for p in f))),
    ("log", ("log",), lambda M, st: _per(M, st.log, lambda l: _log(M, l))),
    ("syncTrack", ("syncTrack",), lambda M, st: _per(M, st.syncTrack, lambda f: _per(M, f, lambda t: _int(t, 0)))),
    ("halfElections", ("halfElections",), lambda M, st: all(
        len(e) == 5 and _int(e[0], 0) and e[1] in M.servers and _int(e[2], 0) and e[3] in M.quorums
        and _log(M, e[4]) for e in st.halfElections)),
    ("elections", ("elections",), lambda M, st: all(
        len(e) == 6 and _int(e[0], 0) and _int(e[1], 0) and e[2] in M.servers and e[3] in M.quorums
        and type(e[4]) is frozenset and all(_log(M, l) for l in e[4]) and _log(M, e[5]) for e in st.elections)),
)


def type_safety(M: Model, st: FState) -> bool:
    """The interpreter's reading of TypeSafety: every conjunct of :data:`TYPE_SAFETY`."""
    return all(fn(M, st) for _name, _reads, fn in TYPE_SAFETY)


INVARIANTS: dict[str, tuple[Callable[[Model, FState], bool], tuple[str, ...]]] = {
    "Lemma1": (lemma1, ("sync", "currentTerm")),
    "Lemma2": (lemma2, ("currentState", "sync", "currentTerm")),
    "Lemma3": (lemma3, ("halfElections",)),
    "Lemma4": (lemma4, ("elections", "halfElections")),
    "Lemma5": (lemma5, ("elections",)),
    "Lemma6": (lemma2, ("currentState", "sync", "currentTerm")),  # the seed states Lemma2 again
    "Lemma7": (lemma7, ("halfElections",)),
    "Lemma8": (lemma8, ("log",)),
    "Lemma9": (lemma9, ("allSynced",)),
    "Lemma10": (lemma10, ("elections", "allSynced")),
    "Lemma11": (lemma11, ("elections", "sync", "log", "allSynced")),
    "Lemma12": (lemma12, ("log", "sync")),
    "Lemma13": (lemma13, ("halfElections", "elections")),
    "syncCompleteness": (sync_completeness, ("log", "sync")),
    "TypeSafety": (type_safety, tuple(f for f in FState._fields if f != "messages")),
}

READS: dict[str, tuple[int, ...]] = {name: tuple(_F[f] for f in reads) for name, (_fn, reads) in INVARIANTS.items()}
_TS_READS = tuple((fn, tuple(_F[f] for f in reads)) for _name, reads, fn in TYPE_SAFETY)


def changed_invariants(pre: FState, post: FState, names) -> list[str]:
    """The invariants among ``names`` that read a variable the step pre -> post changed."""
    changed = {k for k in range(len(FState._fields)) if pre[k] is not post[k]}
    if not changed:
        return []
    return [n for n in names if not changed.isdisjoint(READS[n])]


def violated(M: Model, st: FState, names) -> list[str]:
    return [n for n in names if not INVARIANTS[n][0](M, st)]


def violated_by_step(M: Model, pre: FState, post: FState, names) -> list[str]:
    """The invariants among ``names`` that the step pre -> post may have made false and that
    are false in ``post``: only invariants (for TypeSafety: conjuncts) reading a changed
    variable are evaluated. An invariant already false in ``pre`` through an unchanged
    conjunct is not reported again (its violation was reached earlier on the path)."""
    changed = {k for k in range(len(FState._fields)) if pre[k] is not post[k]}
    if not changed:
        return []
    out = []
    for n in names:
        if changed.isdisjoint(READS[n]):
            continue
        if n == "TypeSafety":
            if not all(fn(M, post) for fn, reads in _TS_READS if not changed.isdisjoint(reads)):
                out.append(n)
        elif not INVARIANTS[n][0](M, post):
            out.append(n)
    return out
