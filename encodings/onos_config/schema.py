"""µONOS Config state schema at one scope: the sorts of every variable.

What: the typed finite domains of ``transaction``, ``proposal``, ``configuration``,
``mastership``, ``conn``, ``target`` and ``history`` (see ``onos-config-environment.md``),
with the bounds of every integer and the maximum length of every sequence derived from
the scope. Why: declared once, so that frames, decoding to the interpreter's concrete
values (``Rec``/``Fn``/tuples, strings as written, ``Nil`` = ``"<nil>"``), ITF traces and
the TLC-log checker all agree on one representation.

Strings are :class:`~smtspec.sorts.Enum` sorts, one per field, each the field's type set
as the owning module declares it, except where another module can write outside it
(``proposal[i].change.state`` can become ``Aborted``): the sort then holds every value
the actions can write, so that the type invariant, evaluated as written, can fail.
"""

from __future__ import annotations

import functools

from dataclasses import dataclass
from functools import cached_property

from smtspec.scope import Bound, Scope
from smtspec.sorts import BoolSort, Enum, Function, IntRange, PartialFunction, Record, Sequence
from smtspec.system import StateVar

SPEC_NAME = "onos-config"

BOUNDS = (
    Bound("nodes", 1, 1, 3, "Node = {node1..nodeN}"),
    Bound("paths", 1, 1, 3, "Path = {path1..pathP}"),
    Bound("values", 2, 1, 4, "Value = {value1..valueV}"),
    Bound("transactions", 4, 1, 6, "NumTransactions: Len(transaction) <= NumTransactions"),
    Bound("terms", 2, 1, 5, "NumTerms: mastership.term bound of the state constraint"),
    Bound("conns", 2, 1, 5, "NumConns: conn[n].id bound of the state constraint"),
    Bound("starts", 2, 1, 5, "target.id bound of the state constraint (the original writes 2)"),
    Bound("capacity", 0, 0, 0, "unused: onos-config has no grow-only sets (its sequences are state variables)"),
)

NIL = "<nil>"
CHANGE, ROLLBACK = "Change", "Rollback"
COMMIT, APPLY = "Commit", "Apply"
PENDING, IN_PROGRESS, COMPLETE, ABORTED, FAILED = "Pending", "InProgress", "Complete", "Aborted", "Failed"
DONE = (COMPLETE, ABORTED, FAILED)

# The type sets of the modules (environment file, "Constants and values").
TRANSACTION_STATUS = (PENDING, IN_PROGRESS, COMPLETE, ABORTED, FAILED)
PROPOSAL_PHASE = (NIL, COMMIT, APPLY)
PROPOSAL_STATUS = (NIL, PENDING, IN_PROGRESS, COMPLETE, FAILED)  # the seed's Status: no Aborted
CONFIGURATION_STATUS = (PENDING, IN_PROGRESS, COMPLETE)


def history_bound(transactions: int) -> int:
    """The largest ``Len(history)`` of a reachable state with at most ``transactions`` transactions.

    Derivation (T = NumTransactions; c Change and r Rollback transactions, c + r <= T;
    "reachable" means from Init inside the state constraints):

    1. ``(Change, Commit, i)`` entries: CommitChange's valid branch needs
       ``committed.index = i-1`` and sets it to ``i``; ``committed.index`` is written
       only by CommitChange (always ``i-1 -> i``), so it only counts up, and never past
       ``Len(proposal) <= c``. At most c entries; the same for ``(Change, Apply, i)`` with
       ``applied.index`` (ApplyChange). Together <= 2c.
    2. ``(Rollback, Commit, i)`` entries (CommitRollback's revert) need
       ``committed.revision = i`` and set it to ``s_i = proposal[i].rollback.revision``.
       ``s_i`` is written once, by the Transaction rule that snapshots
       ``committed.revision`` when proposal i's change goes (Commit, Pending) ->
       (Commit, InProgress); then ``committed.index <= i-1`` (it reaches i only by
       CommitChange(i), which needs that InProgress state) and
       ``committed.revision <= committed.index`` always, so ``s_i < i``. The revision
       becomes i again only by CommitChange(i)'s valid branch (once: the index passes i
       once) or by the revert of some k > i with ``s_k = i``. Reverts need a rollback
       phase, written only by a Rollback transaction for that proposal: the set S of
       proposals that can revert has ``|S| <= min(c, r)``. So, for S sorted downwards,
       ``reverts(s_j) <= 1 + sum_{l<j} reverts(s_l) <= 2^(j-1)``: at most ``2^|S| - 1``
       entries. ApplyRollback's revert is the same argument on ``applied.revision``
       (set to ``i`` by ApplyChange(i), or to the same ``s_k`` by a revert): again
       ``2^|S| - 1``.

    Hence ``Len(history) <= max_{c+r<=T} 2c + 2(2^min(c,r) - 1)``: 10 for T = 4.

    What is proved and what is assumed: the bound above is a hand proof over all
    reachable states (its steps are facts of the action text, not machine-checked).
    Machine-checked: ``tests/test_onos_config_encoding.py`` shows by BMC that no state
    reachable within the first steps enables a step that a maximum length (or an integer
    range) cuts off, and that from an arbitrary state only appending steps can be cut
    off. BMC verdicts at depths where a cut-off could first matter rest on the hand proof.
    """
    length, _steps = history_bound_derivation()
    sym = {x.name: x for x in length.free_symbols}
    c, t = sym["c"], sym["T"]
    return max(int(length.subs({c: k, t: transactions})) for k in range(transactions + 1))


@functools.lru_cache(maxsize=1)
def history_bound_derivation():
    """The bound of :func:`history_bound` derived by sympy: the revert recurrence solved, its
    sum closed, and ``Len(history)`` as an expression in c (Change transactions) and T.

    At equality the recurrence ``reverts(s_{j+1}) = 1 + sum_{l<=j} reverts(s_l)`` gives
    ``a(j+1) - a(j) = a(j)`` with ``a(1) = 1``; sympy's ``rsolve`` solves it and
    ``summation`` sums it over the |S| = min(c, T-c) proposals that can revert. Returns
    the expression and the intermediate results (for the tests and the docstring's check).
    """
    import sympy as sp

    j, size = sp.symbols("j S", integer=True, positive=True)
    c, t = sp.symbols("c T", integer=True, nonnegative=True)  # c may be 0 (no Change transaction)
    a = sp.Function("a")
    per_revert = sp.rsolve(a(j + 1) - 2 * a(j), a(j), {a(1): 1})  # 2**(j-1)
    reverts = sp.simplify(sp.summation(per_revert, (j, 1, size)))  # 2**S - 1
    length = 2 * c + 2 * reverts.subs(size, sp.Min(c, t - c))  # Commit+Apply of each Change, two kinds of revert
    return length, {"reverts of the j-th proposal": per_revert, "reverts in all": reverts}


@dataclass(frozen=True)
class Schema:
    """All sorts of the specification at one scope."""

    scope: Scope

    # ------------------------------------------------------------ model values / strings
    @cached_property
    def node(self) -> Enum:
        return Enum("Node", tuple(f"node{k}" for k in range(1, self.scope.nodes + 1)))

    @cached_property
    def node_or_nil(self) -> Enum:
        # Same positions as `node` for node1..nodeN, so a Node and a Node-or-Nil compare as Z3 ints.
        return Enum("Node∪{Nil}", self.node.names + (NIL,), fallback=NIL)

    @cached_property
    def path(self) -> Enum:
        return Enum("Path", tuple(f"path{k}" for k in range(1, self.scope.paths + 1)))

    @cached_property
    def value(self) -> Enum:
        return Enum("Value", tuple(f"value{k}" for k in range(1, self.scope.values + 1)))

    @cached_property
    def value_or_nil(self) -> Enum:
        # Same positions as `value` for value1..valueV.
        return Enum("Value∪{Nil}", self.value.names + (NIL,), fallback=NIL)

    @cached_property
    def tx_type(self) -> Enum:
        return Enum("Type", (CHANGE, ROLLBACK))

    @cached_property
    def tx_status(self) -> Enum:
        return Enum("TransactionStatus", TRANSACTION_STATUS)

    @cached_property
    def phase(self) -> Enum:
        return Enum("Phase", PROPOSAL_PHASE, fallback=NIL)

    @cached_property
    def proposal_status(self) -> Enum:
        # Widened: the seed's Status plus Aborted, which the Transaction rules write.
        return Enum("ProposalStatus", PROPOSAL_STATUS + (ABORTED,), fallback=NIL)

    @cached_property
    def config_status(self) -> Enum:
        return Enum("ConfigurationStatus", CONFIGURATION_STATUS)

    @cached_property
    def history_phase(self) -> Enum:
        return Enum("HistoryPhase", (COMMIT, APPLY))

    # ------------------------------------------------------------ integers
    @cached_property
    def index(self) -> IntRange:
        """Proposal indexes, committed/applied index and revision, rollback revision,
        transaction index, value-map entry index: 0..T. Every one is a proposal index
        (<= Len(proposal) <= T), 0, or a copy of one (the revision snapshot)."""
        return IntRange(0, self.scope.transactions)

    @cached_property
    def position(self) -> IntRange:
        """The parameter ``i``: a position of ``transaction`` or ``proposal``, 1..T."""
        return IntRange(1, self.scope.transactions)

    @cached_property
    def term(self) -> IntRange:
        # mastership.term + 1 is taken only when master = Nil, and term = NumTerms with
        # master = Nil is outside the model: 0..NumTerms cuts off nothing.
        return IntRange(0, self.scope.terms)

    @cached_property
    def conn_id(self) -> IntRange:
        # Connect adds 1 only when not connected; id = NumConns unconnected is outside the model.
        return IntRange(0, self.scope.conns)

    @cached_property
    def target_id(self) -> IntRange:
        # Start adds 1 only when not running; id = NumStarts not running is outside the model.
        return IntRange(0, self.scope.starts)

    # ------------------------------------------------------------ structures
    @cached_property
    def entry(self) -> Record:
        """A value-map entry ``[index, value]``; value is Nil in rollback snapshots."""
        return Record("Entry", (("index", self.index), ("value", self.value_or_nil)))

    @cached_property
    def value_map(self) -> PartialFunction:
        return PartialFunction(self.path, self.entry)

    @cached_property
    def tx_values(self) -> PartialFunction:
        return PartialFunction(self.path, self.value)

    @cached_property
    def transaction_rec(self) -> Record:
        st = self.tx_status
        return Record(
            "Transaction",
            (("type", self.tx_type), ("index", self.index), ("values", self.tx_values),
             ("init", st), ("commit", st), ("apply", st)),
        )

    @cached_property
    def change_rec(self) -> Record:
        return Record("Change", (("phase", self.phase), ("state", self.proposal_status), ("values", self.value_map)))

    @cached_property
    def rollback_rec(self) -> Record:
        return Record(
            "Rollback",
            (("phase", self.phase), ("state", self.proposal_status), ("revision", self.index),
             ("values", self.value_map)),
        )

    @cached_property
    def proposal_rec(self) -> Record:
        return Record("Proposal", (("change", self.change_rec), ("rollback", self.rollback_rec)))

    @cached_property
    def committed_rec(self) -> Record:
        return Record("Committed", (("index", self.index), ("revision", self.index), ("values", self.value_map)))

    @cached_property
    def applied_rec(self) -> Record:
        return Record(
            "Applied",
            (("index", self.index), ("revision", self.index), ("target", self.target_id), ("values", self.value_map)),
        )

    @cached_property
    def configuration(self) -> Record:
        return Record(
            "Configuration",
            (("state", self.config_status), ("term", self.term), ("committed", self.committed_rec),
             ("applied", self.applied_rec)),
        )

    @cached_property
    def mastership(self) -> Record:
        return Record("Mastership", (("master", self.node_or_nil), ("term", self.term), ("conn", self.conn_id)))

    @cached_property
    def conn_rec(self) -> Record:
        return Record("Conn", (("id", self.conn_id), ("connected", BoolSort())))

    @cached_property
    def conn(self) -> Function:
        return Function(self.node, self.conn_rec)

    @cached_property
    def target(self) -> Record:
        return Record("Target", (("id", self.target_id), ("running", BoolSort()), ("values", self.value_map)))

    @cached_property
    def history_rec(self) -> Record:
        return Record("Event", (("type", self.tx_type), ("phase", self.history_phase), ("index", self.index)))

    # ------------------------------------------------------------ sequences
    # transaction: Len(transaction) <= NumTransactions is a state constraint, and a state
    #   with one more element is outside the model, so max_len = T cuts off nothing.
    # proposal: appended only by a Change transaction's Init rule, once per transaction
    #   (it sets init from InProgress to Complete), so Len(proposal) <= T.
    # history: see history_bound (10 for T = 4).
    @cached_property
    def transactions(self) -> Sequence:
        return Sequence(self.transaction_rec, self.scope.transactions)

    @cached_property
    def proposals(self) -> Sequence:
        return Sequence(self.proposal_rec, self.scope.transactions)

    @cached_property
    def history(self) -> Sequence:
        return Sequence(self.history_rec, history_bound(self.scope.transactions))

    @cached_property
    def variables(self) -> tuple[StateVar, ...]:
        return (
            StateVar("transaction", self.transactions, doc="the Transaction store (requests and their progress)"),
            StateVar("proposal", self.proposals, doc="per-target proposals created by Change transactions"),
            StateVar("configuration", self.configuration),
            StateVar("mastership", self.mastership),
            StateVar("conn", self.conn),
            StateVar("target", self.target),
            StateVar("history", self.history, doc="committed/applied changes and rollbacks, in order"),
        )

    @cached_property
    def var_sorts(self) -> dict:
        return {v.name: v.sort for v in self.variables}

    def k(self, sort: Enum, name: str):
        """The Z3 constant of a string in an Enum sort."""
        return sort.const(name)
