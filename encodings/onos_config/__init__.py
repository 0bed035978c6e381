"""µONOS Config (seed 003): the Proposal reconciler closed by its environment, in Z3.

What: ``SPEC`` is what the command line and the engine see: bounds, names and a builder
of the :class:`~smtspec.system.System` at a scope (``schema.py`` sorts, ``actions.py``
transitions, ``invariants.py`` TypeOK/Order/Consistency), plus the concrete interpreter
(``interpreter.py``) seen through :class:`InterpreterView`, which names the seed's
``ReconcileProposal`` steps by the Proposal action that takes them, as the encoding does.
Why: one package per specification; the engine knows nothing protocol-specific.
"""

from __future__ import annotations

from typing import Iterator

import z3

from smtspec.scope import Scope
from smtspec.sorts import conj, ival
from smtspec.system import Narrowing, SpecInfo, System, TLCLog, View

from .actions import PROPOSAL_ACTIONS, OnosActions
from .invariants import build_invariants
from .tlclog import LOGGED, LogLineError, read_log
from .schema import BOUNDS, IN_PROGRESS, NIL, SPEC_NAME, Schema, history_bound

NARROWINGS = (
    "Integers are bounded by the scope: indexes, revisions and the transaction index in "
    "0..NumTransactions, terms in 0..NumTerms, connection ids in 0..NumConns, target ids in "
    "0..NumStarts. On states inside the state constraints no action leaves these ranges.",
    "Sequences have a maximum length: transaction and proposal NumTransactions (the state constraint; "
    "one proposal per Change transaction), history history_bound(NumTransactions) (10 for 4; "
    "derivation in schema.history_bound). A step that would append past it is disabled; from Init "
    "that never happens (hand proof; checked by BMC for the first steps only).",
    "Induction: an arbitrary first state has sequences within those lengths and integers within "
    "those ranges; from a full sequence an appending step is disabled.",
    "A Transaction rule that reads P = proposal[t.index] is disabled when t.index is not in "
    "DOMAIN proposal (TLC would stop with an error); it never happens on reachable states.",
    "The alternatives of an action are a disjunction chosen by the parameter `branch`; the "
    "Transaction rules' 'exactly one of' is read the same way (their guards are disjoint).",
    "ReconcileTransaction(n, i) does not read n; RequestChange/RequestRollback/Start/Stop take no node.",
    "The proposal state sort holds Aborted (written by the Transaction rules) besides the seed's "
    "Status set, so ProposalTypeOK is evaluated as written and can fail.",
    "The state constraints are asserted in every state (TLC CONSTRAINT): states outside them "
    "are neither checked nor expanded.",
)


def build(scope: Scope) -> System:
    """The onos-config system at ``scope``."""
    s = Schema(scope)

    def init(v: View) -> z3.BoolRef:
        empty = s.value_map.const(s.value_map.default())
        cfg = s.configuration.make(
            state=s.config_status.const(IN_PROGRESS), term=ival(0),
            committed=s.committed_rec.make(index=ival(0), revision=ival(0), values=empty),
            applied=s.applied_rec.make(index=ival(0), revision=ival(0), target=ival(0), values=empty),
        )
        conn = tuple(s.conn_rec.make(id=ival(0), connected=z3.BoolVal(False)) for _ in s.node.names)
        return conj([
            s.transactions.length(v.transaction) == 0,
            s.proposals.length(v.proposal) == 0,
            s.history.length(v.history) == 0,
            s.configuration.eq(v.configuration, cfg),
            s.target.eq(v.target, s.target.make(id=ival(0), running=z3.BoolVal(False), values=empty)),
            s.mastership.eq(v.mastership, s.mastership.make(master=s.node_or_nil.const(NIL), term=ival(0),
                                                            conn=ival(0))),
            s.conn.eq(v.conn, conn),
        ])

    def constraint(v: View) -> z3.BoolRef:
        """The four state constraints of the original model."""
        m, t = v.mastership, v.target
        nil = s.node_or_nil.const(NIL)
        return conj([
            s.transactions.length(v.transaction) <= scope.transactions,
            z3.Or(m["term"] < scope.terms, z3.And(m["term"] == scope.terms, m["master"] != nil)),
            *[z3.Or(c["id"] < scope.conns, z3.And(c["id"] == scope.conns, c["connected"])) for c in v.conn],
            z3.Or(t["id"] < scope.starts, z3.And(t["id"] == scope.starts, t["running"])),
        ])

    return System(
        spec=SPEC_NAME,
        scope=scope,
        vars=s.variables,
        actions=OnosActions(s).all(),
        invariants=build_invariants(s),
        init=init,
        narrowings=tuple(Narrowing(t) for t in NARROWINGS),
        constraint=constraint,
        context=s,
    )


class InterpreterView:
    """The concrete interpreter with the encoding's action names.

    The interpreter has one action ``Proposal.ReconcileProposal``; the encoding splits it
    into the seed's four actions. Its branch labels (``CommitChange.valid``...) name the
    action, so each instance is renamed ``Proposal.CommitChange`` etc.; everything else
    is passed through. ``smtspec replay`` uses ``initial_state``, ``instances`` and
    ``INVARIANTS``."""

    def __init__(self) -> None:
        from . import interpreter

        self.interp = interpreter
        self.INVARIANTS = interpreter.INVARIANTS
        self.ACTIONS = ACTION_NAMES

    def initial_state(self, scope: Scope):
        return self.interp.initial_state(scope)

    def labelled_instances(self, state, scope: Scope) -> Iterator:
        for action, params, branch, nxt in self.interp.labelled_instances(state, scope):
            if action == "Proposal.ReconcileProposal":
                action = "Proposal." + branch.split(".", 1)[0]
            yield action, params, branch, nxt

    def instances(self, state, scope: Scope) -> Iterator:
        seen = set()
        for action, params, _, nxt in self.labelled_instances(state, scope):
            key = (action, params, nxt)
            if key not in seen:
                seen.add(key)
                yield key

    def successors(self, state, scope: Scope) -> set:
        return self.interp.successors(state, scope)

    def step(self, state, scope: Scope, action: str, params=None) -> set:
        wanted = dict(params or {})
        return {nxt for a, p, nxt in self.instances(state, scope)
                if a == action and all(p.get(k) == v for k, v in wanted.items())}

    def in_model(self, state, scope: Scope) -> bool:
        return self.interp.in_model(state, scope)


def _interpreter() -> InterpreterView:
    return InterpreterView()


INVARIANT_NAMES = (
    "TypeOK", "TransactionTypeOK", "ProposalTypeOK", "ConfigurationTypeOK", "MastershipTypeOK",
    "Order", "Order1", "Order2", "Consistency", "Consistency1", "Consistency2", "Consistency3",
)
ACTION_NAMES = (
    "Transaction.RequestChange", "Transaction.RequestRollback", "Transaction.ReconcileTransaction",
    *PROPOSAL_ACTIONS,
    "Configuration.ReconcileConfiguration", "Mastership.ReconcileMastership",
    "Target.Connect", "Target.Disconnect", "Target.Start", "Target.Stop",
)

SPEC = SpecInfo(
    name=SPEC_NAME,
    title="µONOS Config (Proposal reconciler with its environment)",
    source="seeds/003_5371042e9247daeb.txt + onos-config-environment.md",
    bounds=BOUNDS,
    build=build,
    invariant_names=INVARIANT_NAMES,
    action_names=ACTION_NAMES,
    interpreter=_interpreter,
    tlc_log=TLCLog(actions=tuple(PROPOSAL_ACTIONS), logged=tuple(LOGGED), read=read_log, line_error=LogLineError),
)

__all__ = ["SPEC", "build", "InterpreterView", "history_bound", "NARROWINGS"]
