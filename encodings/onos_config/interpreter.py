"""A plain-Python concrete interpreter of the µONOS Config system (``onos-config``).

What: the seed's Proposal reconciler (``seeds/003_5371042e9247daeb.txt``, read with the
OCR corrections of ``MODELING.md``) closed by the Transaction, Configuration, Mastership
and Target behaviour of ``onos-config-environment.md``: ``Init``, every action instance
of ``Next`` with its branches, the four state constraints and the invariants TypeOK,
Order and Consistency (with their conjuncts).

Why: it is the independent reference the Z3 encoding is tested against. It shares no
code with the encoding (only :mod:`smtspec.values` and :mod:`smtspec.scope`), it is
checked against TLC's own transitions (``tlclog.py``), and its breadth-first search
answers concrete questions (is a state reachable? which invariant fails first?) that
the solver's answers must agree with.

Readings of the text (each a decision on text that is ambiguous or odd; none "fixes" the
specification):

- Every action leaves every variable it does not mention unchanged; ``ReconcileProposal``
  leaves ``transaction`` unchanged; ``ReconcileTransaction`` changes only ``transaction``
  and ``proposal``.
- Within an action, the branches written as alternatives (``\\/`` in the seed, "one of"
  or "exactly one of" in the environment file) are a disjunction: every enabled branch
  gives a successor. The Transaction rules have disjoint guards on every reachable state
  (a test checks it), so "exactly one of" and the disjunction agree there.
- ``P = proposal[t.index]``: where a rule reads ``P`` and ``t.index`` is not in
  ``DOMAIN proposal`` (TLC would stop with an error) the rule is disabled. It does not
  happen on reachable states: every rule that reads ``P`` follows a completed ``Init``.
- ``ReconcileTransaction(n, i)`` has no guard on ``n`` (the environment gives none); ``n``
  only names the instance. ``RequestChange``, ``RequestRollback``, ``Start`` and ``Stop``
  take no node.
- The seed's ``ApplyRollback`` completes the rollback when
  ``configuration.committed.revision = proposal[i].rollback.revision`` (``committed``, not
  ``applied``); kept as written.
- ``\\in Nat`` is an ``int`` (not a ``bool``) ``>= 0``; ``\\in STRING`` is any ``str``.
- ConfigurationTypeOK also types the entries of the committed and applied value maps
  (index a natural, value a string unless Nil), as the seed's TypeOK does for proposals.
- The target constraint bound ``NumStarts`` is ``scope.starts`` (the original model writes
  the literal 2; the default scope keeps 2).

Concrete state: ``Rec(transaction, proposal, configuration, mastership, conn, target,
history)``; sequences are tuples (TLA+ index 1 is position 0); a value map is
``Fn({path: Rec(index=int, value=str)})``; see ``initial_state``.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator
from typing import NamedTuple

from smtspec.scope import Scope
from smtspec.values import Fn, Rec

# --------------------------------------------------------------------------- constants

NIL = "<nil>"
CHANGE, ROLLBACK = "Change", "Rollback"
COMMIT, APPLY = "Commit", "Apply"
PENDING, IN_PROGRESS, COMPLETE, ABORTED, FAILED = (
    "Pending", "InProgress", "Complete", "Aborted", "Failed")
DONE = frozenset({COMPLETE, ABORTED, FAILED})

TRANSACTION_STATUS = frozenset({PENDING, IN_PROGRESS, COMPLETE, ABORTED, FAILED})
PROPOSAL_PHASE = frozenset({NIL, COMMIT, APPLY})
PROPOSAL_STATUS = frozenset({NIL, PENDING, IN_PROGRESS, COMPLETE, FAILED})  # no Aborted
CONFIGURATION_STATUS = frozenset({PENDING, IN_PROGRESS, COMPLETE})

EMPTY = Fn({})  # the value map (or transaction values) with empty domain

DEFAULT_SCOPE = Scope.of(nodes=1, paths=1, values=2, transactions=4, terms=2, conns=2, starts=2)

ACTIONS: tuple[str, ...] = (
    "Transaction.RequestChange",
    "Transaction.RequestRollback",
    "Transaction.ReconcileTransaction",
    "Proposal.ReconcileProposal",
    "Configuration.ReconcileConfiguration",
    "Mastership.ReconcileMastership",
    "Target.Connect",
    "Target.Disconnect",
    "Target.Start",
    "Target.Stop",
)


def nodes(scope: Scope) -> tuple[str, ...]:
    return tuple(f"node{k}" for k in range(1, scope.nodes + 1))


def paths(scope: Scope) -> tuple[str, ...]:
    return tuple(f"path{k}" for k in range(1, scope.paths + 1))


def values(scope: Scope) -> tuple[str, ...]:
    return tuple(f"value{k}" for k in range(1, scope.values + 1))


def num_starts(scope: Scope) -> int:
    """The bound of the target constraint: the original model writes the literal 2."""
    return getattr(scope, "starts", 2)


# --------------------------------------------------------------------------- small helpers

# Note: a field named ``values`` is read as ``r["values"]``: on a Rec, ``r.values`` is the
# Mapping method, not the field.

def upd(rec: Rec, **changes) -> Rec:
    """``[rec EXCEPT !.f1 = v1, ...]``."""
    d = dict(rec)
    d.update(changes)
    return Rec(d)


def merge(left: Fn, right: Fn) -> Fn:
    """TLC's ``left @@ right``: the union of the two functions, ``left`` winning."""
    d = dict(right)
    d.update(left)
    return Fn(d)


def replace_at(seq: tuple, k: int, item) -> tuple:
    """``[seq EXCEPT ![k] = item]`` with TLA+'s 1-based ``k``."""
    return seq[: k - 1] + (item,) + seq[k:]


def at(seq: tuple, k: int):
    """``seq[k]`` when ``k \\in DOMAIN seq``, else ``None``."""
    return seq[k - 1] if 1 <= k <= len(seq) else None


def is_nat(x) -> bool:
    return isinstance(x, int) and not isinstance(x, bool) and x >= 0


# --------------------------------------------------------------------------- Init

def initial_state(scope: Scope) -> Rec:
    return Rec(
        transaction=(),
        proposal=(),
        configuration=Rec(
            state=IN_PROGRESS,
            term=0,
            committed=Rec(index=0, revision=0, values=EMPTY),
            applied=Rec(index=0, revision=0, target=0, values=EMPTY),
        ),
        mastership=Rec(master=NIL, term=0, conn=0),
        conn=Fn({n: Rec(id=0, connected=False) for n in nodes(scope)}),
        target=Rec(id=0, running=False, values=EMPTY),
        history=(),
    )


# --------------------------------------------------------------------------- constraints

def transactions_bounded(state: Rec, scope: Scope) -> bool:
    return len(state.transaction) <= scope.transactions


def terms_bounded(state: Rec, scope: Scope) -> bool:
    m = state.mastership
    return m.term < scope.terms or (m.term == scope.terms and m.master != NIL)


def conns_bounded(state: Rec, scope: Scope) -> bool:
    return all(c.id < scope.conns or (c.id == scope.conns and c.connected)
               for c in state.conn.values())


def starts_bounded(state: Rec, scope: Scope) -> bool:
    t = state.target
    bound = num_starts(scope)
    return t.id < bound or (t.id == bound and t.running)


CONSTRAINTS: dict[str, Callable[[Rec, Scope], bool]] = {
    "LimitTransactions": transactions_bounded,
    "LimitTerms": terms_bounded,
    "LimitConns": conns_bounded,
    "LimitStarts": starts_bounded,
}


def in_model(state: Rec, scope: Scope) -> bool:
    """The four state constraints: a state violating one is outside the model."""
    return all(c(state, scope) for c in CONSTRAINTS.values())


# --------------------------------------------------------------------------- Transaction

# A rule's effect: (branch label, new transaction record or None, new proposal sequence
# or None). None means "unchanged".
Effect = tuple[str, "Rec | None", "tuple | None"]


def _is_done(state: Rec, k: int, field: str) -> bool:
    """Initialized/Committed/Applied(k): TRUE outside DOMAIN transaction, else field in Done."""
    t = at(state.transaction, k)
    return t is None or t[field] in DONE


def initialized(state: Rec, k: int) -> bool:
    return _is_done(state, k, "init")


def committed(state: Rec, k: int) -> bool:
    return _is_done(state, k, "commit")


def applied(state: Rec, k: int) -> bool:
    return _is_done(state, k, "apply")


def prev_rolled_back(state: Rec, index: int) -> bool:
    """If proposal index-1 has its change (Apply, Failed), its rollback is (Apply, Complete)."""
    prev = at(state.proposal, index - 1)
    if prev is None or not (prev.change.phase == APPLY and prev.change.state == FAILED):
        return True
    return prev.rollback.phase == APPLY and prev.rollback.state == COMPLETE


def _with_change(prop: tuple, k: int, **changes) -> tuple:
    p = prop[k - 1]
    return replace_at(prop, k, upd(p, change=upd(p.change, **changes)))


def _with_rollback(prop: tuple, k: int, **changes) -> tuple:
    p = prop[k - 1]
    return replace_at(prop, k, upd(p, rollback=upd(p.rollback, **changes)))


def _with_both(prop: tuple, k: int, change: dict, rollback: dict) -> tuple:
    p = prop[k - 1]
    return replace_at(prop, k, upd(p, change=upd(p.change, **change),
                                   rollback=upd(p.rollback, **rollback)))


def _change_rules(state: Rec, i: int, t: Rec) -> list[Effect]:
    """The rules for a Change transaction ``t = transaction[i]``."""
    out: list[Effect] = []
    prop = state.proposal
    k = t.index
    P = at(prop, k)

    # 1. Init: create the proposal.
    if t.init == IN_PROGRESS and initialized(state, i - 1):
        new_index = len(prop) + 1
        new_proposal = Rec(
            change=Rec(phase=COMMIT, state=PENDING,
                       values=Fn({p: Rec(index=new_index, value=v) for p, v in t["values"].items()})),
            rollback=Rec(phase=NIL, state=NIL, revision=0, values=EMPTY),
        )
        out.append(("Change.Init", upd(t, index=new_index, init=COMPLETE), prop + (new_proposal,)))

    # 2. Commit start.
    if t.commit == PENDING and t.init == COMPLETE and committed(state, i - 1):
        out.append(("Change.CommitStart", upd(t, commit=IN_PROGRESS), None))

    # 3. Commit progress.
    if t.commit == IN_PROGRESS and P is not None and P.change.phase == COMMIT:
        if P.change.state == PENDING:
            cvals = state.configuration.committed["values"]
            rollback_values = Fn({p: cvals[p] if p in cvals else Rec(index=0, value=NIL)
                                  for p in P.change["values"]})
            new_prop = replace_at(prop, k, upd(
                P,
                change=upd(P.change, state=IN_PROGRESS),
                rollback=upd(P.rollback, revision=state.configuration.committed.revision,
                             values=rollback_values)))
            out.append(("Change.CommitProposal", None, new_prop))
        elif P.change.state == COMPLETE:
            out.append(("Change.CommitComplete", upd(t, commit=COMPLETE), None))
        elif P.change.state == FAILED:
            out.append(("Change.CommitFailed", upd(t, commit=FAILED), None))

    # 4. Apply (t.apply = Pending).
    if t.apply == PENDING:
        if t.commit == COMPLETE and P is not None:
            if P.change.phase != APPLY:
                out.append(("Change.ApplyPhase", None,
                            _with_change(prop, k, phase=APPLY, state=PENDING)))
            elif (P.change.state == PENDING and applied(state, i - 1)
                  and prev_rolled_back(state, k)):
                out.append(("Change.ApplyStart", upd(t, apply=IN_PROGRESS), None))
        if (t.commit in (ABORTED, FAILED) and applied(state, i - 1)
                and prev_rolled_back(state, k)):
            out.append(("Change.ApplyAbort", upd(t, apply=ABORTED), None))

    # 5. Apply progress.
    if t.apply == IN_PROGRESS and P is not None and P.change.phase == APPLY:
        if P.change.state == PENDING:
            out.append(("Change.ApplyProposal", None, _with_change(prop, k, state=IN_PROGRESS)))
        elif P.change.state == COMPLETE:
            out.append(("Change.ApplyComplete", upd(t, apply=COMPLETE), None))
        elif P.change.state == FAILED:
            out.append(("Change.ApplyFailed", upd(t, apply=FAILED), None))
    return out


def _rollback_rules(state: Rec, i: int, t: Rec) -> list[Effect]:
    """The rules for a Rollback transaction ``t = transaction[i]`` of proposal ``t.index``."""
    out: list[Effect] = []
    prop = state.proposal
    k = t.index
    P = at(prop, k)

    # 1. Init: decide whether the rollback may go ahead.
    if t.init == IN_PROGRESS and initialized(state, i - 1):
        if P is not None:
            nxt = at(prop, k + 1)
            if nxt is None or nxt.rollback.phase != NIL:
                out.append(("Rollback.Init", upd(t, init=COMPLETE), None))
            else:
                out.append(("Rollback.InitNotLatest", upd(t, init=FAILED), None))
        else:
            out.append(("Rollback.InitUnknown", upd(t, init=FAILED), None))

    # 2. Commit (t.commit = Pending, Committed(i-1)).
    if t.commit == PENDING and committed(state, i - 1):
        if t.init in (ABORTED, FAILED):
            out.append(("Rollback.CommitAbort", upd(t, commit=ABORTED), None))
        elif t.init == COMPLETE and P is not None:
            if P.rollback.phase == NIL and P.change.phase == COMMIT:
                if P.change.state == PENDING:
                    out.append(("Rollback.CommitAbortChange", None, _with_both(
                        prop, k, {"state": ABORTED}, {"phase": COMMIT, "state": ABORTED})))
                elif P.change.state == COMPLETE:
                    out.append(("Rollback.CommitPhase", None,
                                _with_rollback(prop, k, phase=COMMIT, state=PENDING)))
                elif P.change.state in (ABORTED, FAILED):
                    out.append(("Rollback.CommitNothing", upd(t, commit=COMPLETE), None))
                # no branch for change state InProgress (nor Nil)
            elif P.rollback.phase == NIL and P.change.phase == APPLY:
                out.append(("Rollback.CommitPhaseApplied", None,
                            _with_rollback(prop, k, phase=COMMIT, state=PENDING)))
            elif P.rollback.phase == COMMIT:
                if P.rollback.state == PENDING:
                    out.append(("Rollback.CommitStart", upd(t, commit=IN_PROGRESS), None))
                elif P.rollback.state == ABORTED:
                    out.append(("Rollback.CommitAborted", upd(t, commit=ABORTED), None))

    # 3. Commit progress.
    if t.commit == IN_PROGRESS and P is not None and P.rollback.phase == COMMIT:
        if P.rollback.state == PENDING:
            out.append(("Rollback.CommitProposal", None,
                        _with_rollback(prop, k, state=IN_PROGRESS)))
        elif P.rollback.state == COMPLETE:
            out.append(("Rollback.CommitComplete", upd(t, commit=COMPLETE), None))
        elif P.rollback.state == FAILED:
            out.append(("Rollback.CommitFailed", upd(t, commit=FAILED), None))

    # 4. Apply (t.apply = Pending, Applied(i-1)).
    if t.apply == PENDING and applied(state, i - 1):
        if t.init in (ABORTED, FAILED):
            out.append(("Rollback.ApplyAbort", upd(t, apply=ABORTED), None))
        if t.commit == COMPLETE and P is not None:
            if P.rollback.phase == COMMIT and P.change.phase == APPLY:
                if P.change.state == PENDING:
                    out.append(("Rollback.ApplyAbortChange", None, _with_both(
                        prop, k, {"state": ABORTED}, {"phase": APPLY, "state": ABORTED})))
                elif P.change.state == COMPLETE:
                    out.append(("Rollback.ApplyPhase", None,
                                _with_rollback(prop, k, phase=APPLY, state=PENDING)))
                elif P.change.state in (ABORTED, FAILED):
                    out.append(("Rollback.ApplyNothing", upd(t, apply=COMPLETE), None))
            elif P.rollback.phase == COMMIT and P.change.phase == COMMIT:
                out.append(("Rollback.ApplyAbortUncommitted", None, _with_both(
                    prop, k, {"state": ABORTED}, {"phase": APPLY, "state": ABORTED})))
            elif P.rollback.phase == APPLY:
                if P.rollback.state == PENDING:
                    out.append(("Rollback.ApplyStart", upd(t, apply=IN_PROGRESS), None))
                elif P.rollback.state == ABORTED:
                    out.append(("Rollback.ApplyAborted", upd(t, apply=ABORTED), None))

    # 5. Apply progress.
    if t.apply == IN_PROGRESS and P is not None and P.rollback.phase == APPLY:
        if P.rollback.state == PENDING:
            out.append(("Rollback.ApplyProposal", None,
                        _with_rollback(prop, k, state=IN_PROGRESS)))
        elif P.rollback.state == COMPLETE:
            out.append(("Rollback.ApplyComplete", upd(t, apply=COMPLETE), None))
        elif P.rollback.state == FAILED:
            out.append(("Rollback.ApplyFailed", upd(t, apply=FAILED), None))
    return out


def reconcile_transaction_branches(state: Rec, scope: Scope, n: str, i: int) -> list[tuple[str, Rec]]:
    """``ReconcileTransaction(n, i)`` as (branch label, next state) pairs."""
    t = at(state.transaction, i)
    if t is None:
        return []
    rules = _change_rules if t.type == CHANGE else _rollback_rules if t.type == ROLLBACK else None
    if rules is None:
        return []
    out = []
    for branch, new_t, new_prop in rules(state, i, t):
        changes = {}
        if new_t is not None:
            changes["transaction"] = replace_at(state.transaction, i, new_t)
        if new_prop is not None:
            changes["proposal"] = new_prop
        out.append((branch, upd(state, **changes)))
    return out


def request_change(state: Rec, p: str, v: str) -> Rec:
    t = Rec(type=CHANGE, index=0, values=Fn({p: v}),
            init=IN_PROGRESS, commit=PENDING, apply=PENDING)
    return upd(state, transaction=state.transaction + (t,))


def request_rollback(state: Rec, i: int) -> Rec | None:
    if at(state.transaction, i) is None:
        return None
    t = Rec(type=ROLLBACK, index=i, values=EMPTY,
            init=IN_PROGRESS, commit=PENDING, apply=PENDING)
    return upd(state, transaction=state.transaction + (t,))


# --------------------------------------------------------------------------- Proposal (seed)

def _history_entry(kind: str, phase: str, i: int) -> Rec:
    return Rec(type=kind, phase=phase, index=i)


def _set_proposal_state(state: Rec, i: int, part: str, status: str) -> Rec:
    prop = state.proposal
    p = prop[i - 1]
    new_p = upd(p, **{part: upd(p[part], state=status)})
    return upd(state, proposal=replace_at(prop, i, new_p))


def _target_ready(state: Rec, n: str) -> bool:
    """The guard shared by ApplyChange and ApplyRollback before touching the target."""
    cfg, m, c = state.configuration, state.mastership, state.conn[n]
    return (cfg.state == COMPLETE and cfg.term == m.term and c.id == m.conn
            and c.connected and state.target.running)


def commit_change(state: Rec, n: str, i: int) -> list[tuple[str, Rec]]:
    p = state.proposal[i - 1]
    if not (p.change.phase == COMMIT and p.change.state == IN_PROGRESS):
        return []
    cfg = state.configuration
    c = cfg.committed
    out = []
    if c.index == i - 1:
        valid = upd(cfg, committed=upd(c, index=i, revision=i,
                                       values=merge(p.change["values"], c["values"])))
        out.append(("CommitChange.valid", upd(
            state, configuration=valid,
            history=state.history + (_history_entry(CHANGE, COMMIT, i),))))
        out.append(("CommitChange.invalid", upd(
            state, configuration=upd(cfg, committed=upd(c, index=i)))))
    if c.index == i and c.revision == i:
        out.append(("CommitChange.complete", _set_proposal_state(state, i, "change", COMPLETE)))
    if c.index == i and c.revision != i:
        out.append(("CommitChange.failed", _set_proposal_state(state, i, "change", FAILED)))
    return out


def apply_change(state: Rec, n: str, i: int) -> list[tuple[str, Rec]]:
    p = state.proposal[i - 1]
    if not (p.change.phase == APPLY and p.change.state == IN_PROGRESS):
        return []
    cfg = state.configuration
    a = cfg.applied
    out = []
    if a.index == i - 1 and _target_ready(state, n):
        valid = upd(cfg, applied=upd(a, index=i, revision=i,
                                     values=merge(p.change["values"], a["values"])))
        target = upd(state.target, values=merge(p.change["values"], state.target["values"]))
        out.append(("ApplyChange.valid", upd(
            state, configuration=valid, target=target,
            history=state.history + (_history_entry(CHANGE, APPLY, i),))))
        out.append(("ApplyChange.invalid", upd(
            state, configuration=upd(cfg, applied=upd(a, index=i)))))
    if a.index == i and a.revision == i:
        out.append(("ApplyChange.complete", _set_proposal_state(state, i, "change", COMPLETE)))
    if a.index == i and a.revision != i:
        out.append(("ApplyChange.failed", _set_proposal_state(state, i, "change", FAILED)))
    return out


def commit_rollback(state: Rec, n: str, i: int) -> list[tuple[str, Rec]]:
    p = state.proposal[i - 1]
    if not (p.rollback.phase == COMMIT and p.rollback.state == IN_PROGRESS):
        return []
    cfg = state.configuration
    c = cfg.committed
    out = []
    if c.revision == i:
        rolled = upd(cfg, committed=upd(c, revision=p.rollback.revision,
                                        values=merge(p.rollback["values"], c["values"])))
        out.append(("CommitRollback.revert", upd(
            state, configuration=rolled,
            history=state.history + (_history_entry(ROLLBACK, COMMIT, i),))))
    if c.revision == p.rollback.revision:
        out.append(("CommitRollback.complete", _set_proposal_state(state, i, "rollback", COMPLETE)))
    return out


def apply_rollback(state: Rec, n: str, i: int) -> list[tuple[str, Rec]]:
    p = state.proposal[i - 1]
    if not (p.rollback.phase == APPLY and p.rollback.state == IN_PROGRESS):
        return []
    cfg = state.configuration
    a = cfg.applied
    out = []
    if a.revision == i and _target_ready(state, n):
        rolled = upd(cfg, applied=upd(a, revision=p.rollback.revision,
                                      values=merge(p.rollback["values"], a["values"])))
        target = upd(state.target, values=merge(p.rollback["values"], state.target["values"]))
        out.append(("ApplyRollback.revert", upd(
            state, configuration=rolled, target=target,
            history=state.history + (_history_entry(ROLLBACK, APPLY, i),))))
    # As written in the seed: the *committed* revision is compared here.
    if cfg.committed.revision == p.rollback.revision:
        out.append(("ApplyRollback.complete", _set_proposal_state(state, i, "rollback", COMPLETE)))
    return out


def reconcile_proposal_branches(state: Rec, scope: Scope, n: str, i: int) -> list[tuple[str, Rec]]:
    """The seed's ``ReconcileProposal(n, i)`` as (branch label, next state) pairs."""
    if at(state.proposal, i) is None or state.mastership.master != n:
        return []
    return (commit_change(state, n, i) + apply_change(state, n, i)
            + commit_rollback(state, n, i) + apply_rollback(state, n, i))


def reconcile_proposal(state: Rec, scope: Scope, n: str, i: int) -> set[Rec]:
    """The seed's ``ReconcileProposal(n, i)``: every branch, valid and invalid alike."""
    return {s for _, s in reconcile_proposal_branches(state, scope, n, i)}


# --------------------------------------------------------------------------- Configuration, Mastership, Target

def reconcile_configuration_branches(state: Rec, scope: Scope, n: str) -> list[tuple[str, Rec]]:
    cfg, m, c, tgt = state.configuration, state.mastership, state.conn[n], state.target
    out = []
    if cfg.state == PENDING and cfg.term == m.term and m.master == n:
        out.append(("ReconcileConfiguration.start", upd(state, configuration=upd(cfg, state=IN_PROGRESS))))
    if (cfg.state == IN_PROGRESS and cfg.term == m.term and m.master == n
            and c.id == m.conn and c.connected and tgt.running):
        out.append(("ReconcileConfiguration.synchronize", upd(
            state,
            target=upd(tgt, values=cfg.applied["values"]),
            configuration=upd(cfg, state=COMPLETE, applied=upd(cfg.applied, target=tgt.id)))))
    if cfg.term < m.term:
        out.append(("ReconcileConfiguration.newTerm", upd(
            state, configuration=upd(cfg, state=PENDING, term=m.term))))
    return out


def reconcile_mastership_branches(state: Rec, scope: Scope, n: str) -> list[tuple[str, Rec]]:
    m, c = state.mastership, state.conn[n]
    out = []
    if c.connected and m.master == NIL:
        out.append(("ReconcileMastership.elect", upd(
            state, mastership=Rec(master=n, term=m.term + 1, conn=c.id))))
    if (not c.connected or c.id != m.conn) and m.master == n:
        out.append(("ReconcileMastership.resign", upd(state, mastership=upd(m, master=NIL))))
    return out


def start(state: Rec) -> Rec | None:
    t = state.target
    if t.running:
        return None
    return upd(state, target=upd(t, id=t.id + 1, running=True))


def stop(state: Rec) -> Rec | None:
    t = state.target
    if not t.running:
        return None
    conn = Fn({m: upd(c, connected=False) for m, c in state.conn.items()})
    return upd(state, target=upd(t, running=False, values=EMPTY), conn=conn)


def connect(state: Rec, n: str) -> Rec | None:
    c = state.conn[n]
    if c.connected or not state.target.running:
        return None
    return upd(state, conn=state.conn.set(n, upd(c, id=c.id + 1, connected=True)))


def disconnect(state: Rec, n: str) -> Rec | None:
    c = state.conn[n]
    if not c.connected:
        return None
    return upd(state, conn=state.conn.set(n, upd(c, connected=False)))


# --------------------------------------------------------------------------- Next

def _one(label: str, nxt: Rec | None) -> list[tuple[str, Rec]]:
    return [] if nxt is None else [(label, nxt)]


def labelled_instances(state: Rec, scope: Scope) -> Iterator[tuple[str, Rec, str, Rec]]:
    """Every (action, params, branch, next state) of ``Next``, in-model or not."""
    for p in paths(scope):
        for v in values(scope):
            yield ("Transaction.RequestChange", Rec(p=p, v=v), "RequestChange",
                   request_change(state, p, v))
    for i in range(1, len(state.transaction) + 1):
        for branch, nxt in _one("RequestRollback", request_rollback(state, i)):  # (never None for i in DOMAIN)
            yield ("Transaction.RequestRollback", Rec(i=i), branch, nxt)
    for n in nodes(scope):
        for i in range(1, len(state.transaction) + 1):
            for branch, nxt in reconcile_transaction_branches(state, scope, n, i):
                yield ("Transaction.ReconcileTransaction", Rec(n=n, i=i), branch, nxt)
        for i in range(1, len(state.proposal) + 1):
            for branch, nxt in reconcile_proposal_branches(state, scope, n, i):
                yield ("Proposal.ReconcileProposal", Rec(n=n, i=i), branch, nxt)
        for branch, nxt in reconcile_configuration_branches(state, scope, n):
            yield ("Configuration.ReconcileConfiguration", Rec(n=n), branch, nxt)
        for branch, nxt in reconcile_mastership_branches(state, scope, n):
            yield ("Mastership.ReconcileMastership", Rec(n=n), branch, nxt)
        for branch, nxt in _one("Connect", connect(state, n)):
            yield ("Target.Connect", Rec(n=n), branch, nxt)
        for branch, nxt in _one("Disconnect", disconnect(state, n)):
            yield ("Target.Disconnect", Rec(n=n), branch, nxt)
    for branch, nxt in _one("Start", start(state)):
        yield ("Target.Start", Rec(), branch, nxt)
    for branch, nxt in _one("Stop", stop(state)):
        yield ("Target.Stop", Rec(), branch, nxt)


def instances(state: Rec, scope: Scope) -> Iterator[tuple[str, Rec, Rec]]:
    """Every (action, params, next state) of ``Next``; each distinct triple once.

    Successors are yielded whether or not they are in the model: the caller filters.
    """
    seen: set[tuple[str, Rec, Rec]] = set()
    for action, params, _, nxt in labelled_instances(state, scope):
        key = (action, params, nxt)
        if key not in seen:
            seen.add(key)
            yield key


def successors(state: Rec, scope: Scope) -> set[Rec]:
    """The next states of ``Next`` that satisfy the state constraints."""
    return {nxt for _, _, nxt in instances(state, scope) if in_model(nxt, scope)}


def _action_matches(name: str, action: str) -> bool:
    return name == action or name == action.split(".", 1)[1]


def step(state: Rec, scope: Scope, action: str, params: Rec | dict | None = None) -> set[Rec]:
    """Successors of one action (qualified ``"Proposal.ReconcileProposal"`` or bare
    ``"ReconcileProposal"``) whose parameters agree with ``params`` (possibly partial).
    Not filtered by the state constraints."""
    if not any(_action_matches(action, a) for a in ACTIONS):
        raise ValueError(f"unknown action {action!r}; known: {', '.join(ACTIONS)}")
    wanted = dict(params or {})
    return {nxt for a, p, nxt in instances(state, scope)
            if _action_matches(action, a) and all(p.get(k) == v for k, v in wanted.items())}


# --------------------------------------------------------------------------- invariants

def _value_map_ok(vm: Fn) -> bool:
    return all(is_nat(e.index) and (e.value == NIL or isinstance(e.value, str))
               for e in vm.values())


def transaction_type_ok(state: Rec, scope: Scope) -> bool:
    return all(
        t.type in (CHANGE, ROLLBACK)
        and is_nat(t.index)
        and t.init in TRANSACTION_STATUS
        and t.commit in TRANSACTION_STATUS
        and t.apply in TRANSACTION_STATUS
        and all(isinstance(v, str) for v in t["values"].values())
        for t in state.transaction)


def proposal_type_ok(state: Rec, scope: Scope) -> bool:
    """The seed's TypeOK: the proposal phase/status invariant (no ``Aborted``)."""
    return all(
        p.change.phase in PROPOSAL_PHASE
        and p.change.state in PROPOSAL_STATUS
        and _value_map_ok(p.change["values"])
        and p.rollback.phase in PROPOSAL_PHASE
        and p.rollback.state in PROPOSAL_STATUS
        and is_nat(p.rollback.revision)
        and _value_map_ok(p.rollback["values"])
        for p in state.proposal)


def configuration_type_ok(state: Rec, scope: Scope) -> bool:
    cfg = state.configuration
    return (cfg.state in CONFIGURATION_STATUS
            and is_nat(cfg.term)
            and is_nat(cfg.committed.index) and is_nat(cfg.committed.revision)
            and _value_map_ok(cfg.committed["values"])
            and is_nat(cfg.applied.index) and is_nat(cfg.applied.revision)
            and is_nat(cfg.applied.target)
            and _value_map_ok(cfg.applied["values"]))


def mastership_type_ok(state: Rec, scope: Scope) -> bool:
    m = state.mastership
    return is_nat(m.term) and is_nat(m.conn) and (m.master == NIL or m.master in nodes(scope))


def type_ok(state: Rec, scope: Scope) -> bool:
    return (transaction_type_ok(state, scope) and proposal_type_ok(state, scope)
            and configuration_type_ok(state, scope) and mastership_type_ok(state, scope))


def _ordered(history: tuple, i: int) -> bool:
    """Order conjunct 1 for ``h = history[i]`` (0-based ``i`` here)."""
    h = history[i]
    if h.type == CHANGE:
        return not any(e.type == CHANGE and e.phase == h.phase and e.index >= h.index
                       for e in history[:i])
    if h.type == ROLLBACK:
        for j in range(i):
            e = history[j]
            if e.type == CHANGE and e.phase == h.phase and e.index > h.index:
                rolled_back_between = any(
                    r.type == ROLLBACK and r.phase == h.phase and r.index == e.index
                    for r in history[j + 1:i])
                if not rolled_back_between:
                    return False
        return True
    return False


def order1(state: Rec, scope: Scope) -> bool:
    return all(_ordered(state.history, i) for i in range(len(state.history)))


def order2(state: Rec, scope: Scope) -> bool:
    prop = state.proposal
    for i, p in enumerate(prop):
        failed_apply = p.change.phase == APPLY and p.change.state == FAILED
        rolled_back = p.rollback.phase == APPLY and p.rollback.state == COMPLETE
        if failed_apply and not rolled_back:
            for q in prop[i + 1:]:
                if q.change.phase == APPLY and q.change.state not in (NIL, PENDING, ABORTED):
                    return False
    return True


def order(state: Rec, scope: Scope) -> bool:
    return order1(state, scope) and order2(state, scope)


def consistency1(state: Rec, scope: Scope) -> bool:
    c = state.configuration.committed
    for i in range(1, len(state.proposal) + 1):
        if c.index < i or c.revision < i:
            if any(e.index == i for e in c["values"].values()):
                return False
    return True


def consistency2(state: Rec, scope: Scope) -> bool:
    a = state.configuration.applied
    for i in range(1, len(state.proposal) + 1):
        if a.index < i or a.revision < i:
            if any(e.index == i for e in a["values"].values()):
                return False
            if any(e.index == i for e in state.target["values"].values()):
                return False
    return True


def consistency3(state: Rec, scope: Scope) -> bool:
    cfg, tgt = state.configuration, state.target
    a = cfg.applied
    if not (tgt.running and a.target == tgt.id and cfg.state == COMPLETE):
        return True
    n = len(state.proposal)

    def applied_through(j: int) -> bool:
        return a.index >= j and a.revision >= j

    for i in range(1, n + 1):
        if not applied_through(i):
            continue
        if any(applied_through(j) for j in range(i + 1, n + 1)):
            continue  # a later proposal is applied: nothing is required of i
        for p, e in state.proposal[i - 1].change["values"].items():
            held = tgt["values"].get(p)
            if held is None or held.value != e.value or held.index != e.index:
                return False
    return True


def consistency(state: Rec, scope: Scope) -> bool:
    return consistency1(state, scope) and consistency2(state, scope) and consistency3(state, scope)


INVARIANTS: dict[str, Callable[[Rec, Scope], bool]] = {
    "TypeOK": type_ok,
    "TransactionTypeOK": transaction_type_ok,
    "ProposalTypeOK": proposal_type_ok,
    "ConfigurationTypeOK": configuration_type_ok,
    "MastershipTypeOK": mastership_type_ok,
    "Order": order,
    "Order1": order1,
    "Order2": order2,
    "Consistency": consistency,
    "Consistency1": consistency1,
    "Consistency2": consistency2,
    "Consistency3": consistency3,
}


# --------------------------------------------------------------------------- exploration

def random_walk(scope: Scope, length: int, rng) -> list[tuple[str, Rec, Rec]]:
    """Up to ``length`` steps from Init, each uniform among the in-model instances;
    stops early in a state without one."""
    state = initial_state(scope)
    trace = []
    for _ in range(length):
        options = sorted((x for x in instances(state, scope) if in_model(x[2], scope)),
                         key=repr)  # a fixed order, so a seeded rng replays the walk
        if not options:
            break
        action, params, state = options[rng.randrange(len(options))]
        trace.append((action, params, state))
    return trace


class Reachability(NamedTuple):
    """Result of :func:`reachable`: unpack as ``depth, parent, complete = reachable(...)``.

    ``depth`` maps every state found to its BFS depth (insertion order is BFS order);
    ``parent`` maps each non-initial state to (previous state, action, params) on a
    shortest path; ``complete`` is False when a limit cut the search short.
    """

    depth: dict
    parent: dict
    complete: bool


def reachable(scope: Scope, max_states: int | None = None, max_depth: int | None = None) -> Reachability:
    """Breadth-first search over the in-model states from Init."""
    init = initial_state(scope)
    depth = {init: 0}
    parent: dict = {}
    frontier = deque([init])
    complete = True
    while frontier:
        state = frontier.popleft()
        d = depth[state]
        if max_depth is not None and d >= max_depth:
            if any(in_model(nxt, scope) and nxt not in depth for _, _, nxt in instances(state, scope)):
                complete = False
            continue
        for action, params, nxt in instances(state, scope):
            if nxt in depth or not in_model(nxt, scope):
                continue
            if max_states is not None and len(depth) >= max_states:
                return Reachability(depth, parent, False)
            depth[nxt] = d + 1
            parent[nxt] = (state, action, params)
            frontier.append(nxt)
    return Reachability(depth, parent, complete)


def path_to(parent: dict, state: Rec) -> list[tuple[str, Rec, Rec]]:
    """The (action, params, state) steps from Init to ``state`` recorded in ``parent``."""
    steps = []
    while state in parent:
        prev, action, params = parent[state]
        steps.append((action, params, state))
        state = prev
    return steps[::-1]


def first_violations(reach: Reachability, scope: Scope,
                     invariants: dict[str, Callable[[Rec, Scope], bool]] | None = None
                     ) -> dict[str, list[tuple[str, Rec, Rec]]]:
    """For each invariant violated by some state of ``reach``, a shortest path to one."""
    invariants = dict(INVARIANTS if invariants is None else invariants)
    found: dict[str, list] = {}
    for state in reach.depth:  # BFS order: the first violation found is a shortest one
        for name in [n for n in invariants if n not in found]:
            if not invariants[name](state, scope):
                found[name] = path_to(reach.parent, state)
        if len(found) == len(invariants):
            break
    return found
