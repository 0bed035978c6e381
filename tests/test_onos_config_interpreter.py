"""Specification tests of the onos-config concrete interpreter.

Each test builds a concrete pre-state, takes one action and states the expected
post-state, so that it reads as a sentence of the seed (Proposal module) or of
``shared/onos-config-environment.md``. The interpreter is the reference the Z3 encoding
is compared with, so these tests pin down its reading of the text, branch by branch,
including the parts kept as written (the invalid commit/apply branches, "no branch for
state InProgress", ``Aborted`` outside the Proposal status set).
"""

from __future__ import annotations

import random

import pytest

from conftest import FULL
from smtspec.encodings.onos_config import interpreter as onos
from smtspec.encodings.onos_config.interpreter import (
    ABORTED, APPLY, CHANGE, COMMIT, COMPLETE, EMPTY, FAILED, IN_PROGRESS, NIL, PENDING, ROLLBACK,
    upd,
)
from smtspec.scope import Scope
from smtspec.values import Fn, Rec

S = onos.DEFAULT_SCOPE


# --------------------------------------------------------------------------- builders

def vm(**entries: tuple[int, str]) -> Fn:
    """A value map: ``vm(path1=(1, "value1"))``."""
    return Fn({p: Rec(index=i, value=v) for p, (i, v) in entries.items()})


def proposal(phase=COMMIT, state=PENDING, values=None, rb_phase=NIL, rb_state=NIL,
             rb_revision=0, rb_values=EMPTY) -> Rec:
    return Rec(change=Rec(phase=phase, state=state, values=values if values is not None else EMPTY),
               rollback=Rec(phase=rb_phase, state=rb_state, revision=rb_revision, values=rb_values))


def change_tx(index=0, init=IN_PROGRESS, commit=PENDING, apply=PENDING, p="path1", v="value1") -> Rec:
    return Rec(type=CHANGE, index=index, values=Fn({p: v}), init=init, commit=commit, apply=apply)


def rollback_tx(index, init=IN_PROGRESS, commit=PENDING, apply=PENDING) -> Rec:
    return Rec(type=ROLLBACK, index=index, values=EMPTY, init=init, commit=commit, apply=apply)


def config(state=IN_PROGRESS, term=0, c_index=0, c_revision=0, c_values=EMPTY,
           a_index=0, a_revision=0, a_target=0, a_values=EMPTY) -> Rec:
    return Rec(state=state, term=term,
               committed=Rec(index=c_index, revision=c_revision, values=c_values),
               applied=Rec(index=a_index, revision=a_revision, target=a_target, values=a_values))


def world(**overrides) -> Rec:
    """Init with some variables replaced."""
    return upd(onos.initial_state(S), **overrides)


def mastered(**overrides) -> Rec:
    """A state where node1 is the connected master of term 1 of a running target."""
    base = dict(
        mastership=Rec(master="node1", term=1, conn=1),
        conn=Fn({"node1": Rec(id=1, connected=True)}),
        target=Rec(id=1, running=True, values=EMPTY),
        configuration=config(state=COMPLETE, term=1, a_target=1),
    )
    base.update(overrides)
    return world(**base)


def only(states: set) -> Rec:
    assert len(states) == 1, f"expected exactly one successor, got {len(states)}"
    return next(iter(states))


def tx_step(state: Rec, i: int, n: str = "node1") -> set:
    return onos.step(state, S, "Transaction.ReconcileTransaction", {"n": n, "i": i})


# --------------------------------------------------------------------------- Init, scope, API

def test_init_is_in_model_and_satisfies_every_invariant():
    init = onos.initial_state(S)
    assert onos.in_model(init, S)
    for name, inv in onos.INVARIANTS.items():
        assert inv(init, S), name


def test_init_has_the_documented_shape():
    init = onos.initial_state(S)
    assert init == Rec(
        transaction=(), proposal=(), history=(),
        configuration=config(),
        mastership=Rec(master=NIL, term=0, conn=0),
        conn=Fn({"node1": Rec(id=0, connected=False)}),
        target=Rec(id=0, running=False, values=Fn({})))


def test_scope_names_nodes_paths_and_values():
    scope = Scope.of(nodes=2, paths=2, values=3, transactions=4, terms=2, conns=2, starts=2)
    assert onos.nodes(scope) == ("node1", "node2")
    assert onos.paths(scope) == ("path1", "path2")
    assert onos.values(scope) == ("value1", "value2", "value3")
    assert set(onos.initial_state(scope).conn) == {"node1", "node2"}


def test_actions_are_the_ten_qualified_names():
    assert len(onos.ACTIONS) == 10
    assert all("." in a for a in onos.ACTIONS)


def test_init_enables_only_request_change_and_start():
    acts = {(a, p) for a, p, _ in onos.instances(onos.initial_state(S), S)}
    assert acts == {("Transaction.RequestChange", Rec(p="path1", v="value1")),
                    ("Transaction.RequestChange", Rec(p="path1", v="value2")),
                    ("Target.Start", Rec())}


def test_step_filters_instances_by_partial_params():
    init = onos.initial_state(S)
    both = onos.step(init, S, "RequestChange", {"p": "path1"})
    one = onos.step(init, S, "Transaction.RequestChange", {"v": "value2"})
    assert len(both) == 2 and len(one) == 1 and one < both
    with pytest.raises(ValueError):
        onos.step(init, S, "NoSuchAction")


def test_unknown_action_parameters_give_no_successor():
    assert onos.reconcile_proposal(onos.initial_state(S), S, "node1", 1) == set()
    assert onos.step(onos.initial_state(S), S, "RequestRollback", {"i": 1}) == set()


# --------------------------------------------------------------------------- Transaction: requests

def test_request_change_appends_a_pending_change_transaction():
    nxt = only(onos.step(onos.initial_state(S), S, "RequestChange", {"p": "path1", "v": "value2"}))
    assert nxt == world(transaction=(change_tx(v="value2"),))


def test_request_rollback_appends_a_rollback_whose_index_is_the_transaction_index():
    pre = world(transaction=(change_tx(index=1, init=COMPLETE), change_tx(index=2, init=COMPLETE)))
    nxt = only(onos.step(pre, S, "RequestRollback", {"i": 2}))
    assert nxt.transaction == pre.transaction + (rollback_tx(2),)
    assert upd(nxt, transaction=pre.transaction) == pre


# --------------------------------------------------------------------------- Transaction: Change rules

def test_change_init_appends_a_commit_pending_proposal_and_records_its_index():
    pre = world(transaction=(change_tx(v="value2"),))
    nxt = only(tx_step(pre, 1))
    assert nxt.transaction == (change_tx(index=1, init=COMPLETE, v="value2"),)
    assert nxt.proposal == (proposal(COMMIT, PENDING, vm(path1=(1, "value2"))),)


def test_change_init_waits_until_the_previous_transaction_is_initialized():
    pre = world(transaction=(change_tx(), change_tx()))
    assert tx_step(pre, 2) == set()
    assert len(tx_step(pre, 1)) == 1


def test_change_commit_start_waits_for_the_previous_commit():
    p = proposal(COMMIT, PENDING, vm(path1=(1, "value1")))
    q = proposal(COMMIT, PENDING, vm(path1=(2, "value1")))
    pre = world(transaction=(change_tx(1, COMPLETE), change_tx(2, COMPLETE)), proposal=(p, q))
    assert tx_step(pre, 2) == set()
    done = world(transaction=(change_tx(1, COMPLETE, commit=FAILED), change_tx(2, COMPLETE)),
                 proposal=(p, q))
    assert only(tx_step(done, 2)).transaction[1].commit == IN_PROGRESS


def test_change_commit_progress_moves_the_proposal_in_progress_and_snapshots_the_rollback():
    committed_values = vm(path1=(1, "value1"))
    pre = world(transaction=(change_tx(1, COMPLETE, COMPLETE), change_tx(2, COMPLETE, IN_PROGRESS)),
                proposal=(proposal(COMMIT, COMPLETE, vm(path1=(1, "value1"))),
                          proposal(COMMIT, PENDING, vm(path1=(2, "value2")))),
                configuration=config(c_index=1, c_revision=1, c_values=committed_values))
    nxt = only(tx_step(pre, 2))
    assert nxt.proposal[1] == proposal(COMMIT, IN_PROGRESS, vm(path1=(2, "value2")),
                                       rb_revision=1, rb_values=committed_values)
    assert nxt.transaction == pre.transaction


def test_change_commit_progress_snapshots_nil_for_a_path_never_committed():
    pre = world(transaction=(change_tx(1, COMPLETE, IN_PROGRESS),),
                proposal=(proposal(COMMIT, PENDING, vm(path1=(1, "value1"))),))
    nxt = only(tx_step(pre, 1))
    assert nxt.proposal[0].rollback == Rec(phase=NIL, state=NIL, revision=0,
                                           values=vm(path1=(0, NIL)))


@pytest.mark.parametrize("proposal_state,commit", [(COMPLETE, COMPLETE), (FAILED, FAILED)])
def test_change_commit_finishes_with_the_proposal_outcome(proposal_state, commit):
    pre = world(transaction=(change_tx(1, COMPLETE, IN_PROGRESS),),
                proposal=(proposal(COMMIT, proposal_state, vm(path1=(1, "value1"))),))
    assert only(tx_step(pre, 1)).transaction[0].commit == commit


def test_change_commit_waits_while_the_proposal_is_in_progress():
    pre = world(transaction=(change_tx(1, COMPLETE, IN_PROGRESS),),
                proposal=(proposal(COMMIT, IN_PROGRESS, vm(path1=(1, "value1"))),))
    assert tx_step(pre, 1) == set()


def test_change_apply_moves_a_committed_proposal_to_apply_pending():
    pre = world(transaction=(change_tx(1, COMPLETE, COMPLETE),),
                proposal=(proposal(COMMIT, COMPLETE, vm(path1=(1, "value1"))),))
    nxt = only(tx_step(pre, 1))
    assert nxt.proposal[0].change == Rec(phase=APPLY, state=PENDING, values=vm(path1=(1, "value1")))
    assert nxt.transaction == pre.transaction


def test_change_apply_start_waits_until_a_failed_previous_apply_is_rolled_back():
    failed = proposal(APPLY, FAILED, vm(path1=(1, "value1")))
    pending = proposal(APPLY, PENDING, vm(path1=(2, "value2")))
    txs = (change_tx(1, COMPLETE, COMPLETE, FAILED), change_tx(2, COMPLETE, COMPLETE))
    assert tx_step(world(transaction=txs, proposal=(failed, pending)), 2) == set()
    rolled_back = upd(failed, rollback=Rec(phase=APPLY, state=COMPLETE, revision=0, values=EMPTY))
    nxt = only(tx_step(world(transaction=txs, proposal=(rolled_back, pending)), 2))
    assert nxt.transaction[1].apply == IN_PROGRESS


def test_change_apply_is_aborted_when_the_commit_failed():
    pre = world(transaction=(change_tx(1, COMPLETE, FAILED),),
                proposal=(proposal(COMMIT, FAILED, vm(path1=(1, "value1"))),))
    nxt = only(tx_step(pre, 1))
    assert nxt.transaction[0].apply == ABORTED and nxt.proposal == pre.proposal


@pytest.mark.parametrize("proposal_state,expected", [
    (PENDING, "proposal InProgress"), (COMPLETE, COMPLETE), (FAILED, FAILED)])
def test_change_apply_progress_follows_the_proposal(proposal_state, expected):
    pre = world(transaction=(change_tx(1, COMPLETE, COMPLETE, IN_PROGRESS),),
                proposal=(proposal(APPLY, proposal_state, vm(path1=(1, "value1"))),))
    nxt = only(tx_step(pre, 1))
    if expected == "proposal InProgress":
        assert nxt.proposal[0].change.state == IN_PROGRESS and nxt.transaction == pre.transaction
    else:
        assert nxt.transaction[0].apply == expected and nxt.proposal == pre.proposal


# --------------------------------------------------------------------------- Transaction: Rollback rules

def _committed_change_world(extra_tx=(), **kw) -> Rec:
    return world(transaction=(change_tx(1, COMPLETE, COMPLETE),) + tuple(extra_tx),
                 proposal=(proposal(COMMIT, COMPLETE, vm(path1=(1, "value1"))),), **kw)


def test_rollback_init_completes_for_the_latest_proposal():
    nxt = only(tx_step(_committed_change_world([rollback_tx(1)]), 2))
    assert nxt.transaction[1].init == COMPLETE


def test_rollback_init_fails_when_next_proposal_has_no_rollback():
    p1 = proposal(COMMIT, COMPLETE, vm(path1=(1, "value1")))
    p2 = proposal(COMMIT, COMPLETE, vm(path1=(2, "value2")))
    txs = (change_tx(1, COMPLETE, COMPLETE), change_tx(2, COMPLETE, COMPLETE), rollback_tx(1))
    nxt = only(tx_step(world(transaction=txs, proposal=(p1, p2)), 3))
    assert nxt.transaction[2].init == FAILED
    p2_rolled = upd(p2, rollback=Rec(phase=COMMIT, state=PENDING, revision=1, values=EMPTY))
    nxt = only(tx_step(world(transaction=txs, proposal=(p1, p2_rolled)), 3))
    assert nxt.transaction[2].init == COMPLETE


def test_rollback_init_fails_when_its_index_names_no_proposal():
    pre = world(transaction=(change_tx(1, COMPLETE), rollback_tx(1, init=COMPLETE), rollback_tx(2)))
    pre = upd(pre, proposal=(proposal(COMMIT, PENDING, vm(path1=(1, "value1"))),))
    assert only(tx_step(pre, 3)).transaction[2].init == FAILED


def test_rollback_commit_of_a_pending_change_aborts_change_and_rollback():
    pre = world(transaction=(change_tx(1, COMPLETE, ABORTED), rollback_tx(1, init=COMPLETE)),
                proposal=(proposal(COMMIT, PENDING, vm(path1=(1, "value1"))),))
    nxt = only(tx_step(pre, 2))
    assert nxt.proposal[0].change.state == ABORTED
    assert (nxt.proposal[0].rollback.phase, nxt.proposal[0].rollback.state) == (COMMIT, ABORTED)
    assert not onos.proposal_type_ok(nxt, S)  # Aborted is not a Proposal status


def test_rollback_commit_has_no_branch_for_a_change_in_progress():
    pre = world(transaction=(change_tx(1, COMPLETE, FAILED), rollback_tx(1, init=COMPLETE)),
                proposal=(proposal(COMMIT, IN_PROGRESS, vm(path1=(1, "value1"))),))
    assert tx_step(pre, 2) == set()


def test_rollback_commit_of_a_committed_change_opens_the_rollback_commit():
    nxt = only(tx_step(_committed_change_world([rollback_tx(1, init=COMPLETE)]), 2))
    assert (nxt.proposal[0].rollback.phase, nxt.proposal[0].rollback.state) == (COMMIT, PENDING)


def test_rollback_commit_of_a_failed_change_completes_at_once():
    pre = world(transaction=(change_tx(1, COMPLETE, FAILED), rollback_tx(1, init=COMPLETE)),
                proposal=(proposal(COMMIT, FAILED, vm(path1=(1, "value1"))),))
    nxt = only(tx_step(pre, 2))
    assert nxt.transaction[1].commit == COMPLETE and nxt.proposal == pre.proposal


def test_rollback_commit_of_an_applying_change_opens_the_rollback_commit():
    pre = world(transaction=(change_tx(1, COMPLETE, COMPLETE, IN_PROGRESS), rollback_tx(1, init=COMPLETE)),
                proposal=(proposal(APPLY, IN_PROGRESS, vm(path1=(1, "value1"))),))
    nxt = only(tx_step(pre, 2))
    assert (nxt.proposal[0].rollback.phase, nxt.proposal[0].rollback.state) == (COMMIT, PENDING)


def test_rollback_commit_is_aborted_when_init_failed():
    pre = _committed_change_world([rollback_tx(1, init=FAILED)])
    assert only(tx_step(pre, 2)).transaction[1].commit == ABORTED


def test_rollback_commit_start_and_progress_follow_the_proposal_rollback():
    opened = proposal(COMMIT, COMPLETE, vm(path1=(1, "value1")), COMMIT, PENDING)
    pre = world(transaction=(change_tx(1, COMPLETE, COMPLETE), rollback_tx(1, init=COMPLETE)),
                proposal=(opened,))
    started = only(tx_step(pre, 2))
    assert started.transaction[1].commit == IN_PROGRESS
    moving = only(tx_step(started, 2))
    assert moving.proposal[0].rollback.state == IN_PROGRESS
    done = upd(moving, proposal=(upd(opened, rollback=upd(opened.rollback, state=COMPLETE)),))
    assert only(tx_step(done, 2)).transaction[1].commit == COMPLETE


def test_rollback_apply_of_an_applied_change_opens_the_rollback_apply():
    p = proposal(APPLY, COMPLETE, vm(path1=(1, "value1")), COMMIT, COMPLETE)
    pre = world(transaction=(change_tx(1, COMPLETE, COMPLETE, COMPLETE),
                             rollback_tx(1, init=COMPLETE, commit=COMPLETE)), proposal=(p,))
    nxt = only(tx_step(pre, 2))
    assert (nxt.proposal[0].rollback.phase, nxt.proposal[0].rollback.state) == (APPLY, PENDING)


def test_rollback_apply_of_a_change_pending_apply_aborts_both():
    p = proposal(APPLY, PENDING, vm(path1=(1, "value1")), COMMIT, COMPLETE)
    pre = world(transaction=(change_tx(1, COMPLETE, COMPLETE, ABORTED),
                             rollback_tx(1, init=COMPLETE, commit=COMPLETE)), proposal=(p,))
    nxt = only(tx_step(pre, 2))
    assert nxt.proposal[0].change.state == ABORTED
    assert (nxt.proposal[0].rollback.phase, nxt.proposal[0].rollback.state) == (APPLY, ABORTED)


def test_rollback_apply_of_a_change_still_in_commit_phase_aborts_both():
    p = proposal(COMMIT, COMPLETE, vm(path1=(1, "value1")), COMMIT, COMPLETE)
    pre = world(transaction=(change_tx(1, COMPLETE, COMPLETE, ABORTED),
                             rollback_tx(1, init=COMPLETE, commit=COMPLETE)), proposal=(p,))
    nxt = only(tx_step(pre, 2))
    assert nxt.proposal[0].change.state == ABORTED and nxt.proposal[0].rollback.phase == APPLY


def test_rollback_apply_waits_for_the_previous_apply():
    p = proposal(APPLY, COMPLETE, vm(path1=(1, "value1")), COMMIT, COMPLETE)
    pre = world(transaction=(change_tx(1, COMPLETE, COMPLETE, IN_PROGRESS),
                             rollback_tx(1, init=COMPLETE, commit=COMPLETE)), proposal=(p,))
    assert tx_step(pre, 2) == set()


def test_rollback_apply_progress_completes_with_the_proposal_rollback():
    p = proposal(APPLY, COMPLETE, vm(path1=(1, "value1")), APPLY, COMPLETE)
    pre = world(transaction=(change_tx(1, COMPLETE, COMPLETE, COMPLETE),
                             rollback_tx(1, init=COMPLETE, commit=COMPLETE, apply=IN_PROGRESS)),
                proposal=(p,))
    assert only(tx_step(pre, 2)).transaction[1].apply == COMPLETE


def test_reconcile_transaction_changes_only_transaction_and_proposal():
    pre = _committed_change_world([rollback_tx(1, init=COMPLETE)])
    for nxt in tx_step(pre, 2):
        for var in ("configuration", "mastership", "conn", "target", "history"):
            assert nxt[var] == pre[var]


# --------------------------------------------------------------------------- Proposal (the seed)

def _committing(i=1, **cfg) -> Rec:
    props = tuple(proposal(COMMIT, COMPLETE, vm(path1=(k, "value1"))) for k in range(1, i))
    props += (proposal(COMMIT, IN_PROGRESS, vm(path1=(i, "value2"))),)
    return mastered(proposal=props, configuration=config(**cfg))


def test_commit_change_valid_branch_sets_committed_index_revision_values_and_appends_history():
    pre = _committing(2, c_index=1, c_revision=1, c_values=vm(path1=(1, "value1")))
    valid = [s for b, s in onos.reconcile_proposal_branches(pre, S, "node1", 2) if b == "CommitChange.valid"]
    assert valid == [upd(pre, configuration=config(c_index=2, c_revision=2, c_values=vm(path1=(2, "value2"))),
                         history=(Rec(type=CHANGE, phase=COMMIT, index=2),))]


def test_commit_change_invalid_branch_sets_only_committed_index():
    pre = _committing(2, c_index=1, c_revision=1, c_values=vm(path1=(1, "value1")))
    succ = onos.reconcile_proposal(pre, S, "node1", 2)
    invalid = upd(pre, configuration=config(c_index=2, c_revision=1, c_values=vm(path1=(1, "value1"))))
    assert invalid in succ and len(succ) == 2


def test_commit_change_waits_for_the_previous_index():
    assert onos.reconcile_proposal(_committing(2), S, "node1", 2) == set()


def test_commit_change_completes_when_committed_index_and_revision_match():
    pre = _committing(1, c_index=1, c_revision=1)
    nxt = only(onos.reconcile_proposal(pre, S, "node1", 1))
    assert nxt == upd(pre, proposal=(proposal(COMMIT, COMPLETE, vm(path1=(1, "value2"))),))


def test_commit_change_fails_when_committed_revision_lags():
    pre = _committing(1, c_index=1, c_revision=0)
    assert only(onos.reconcile_proposal(pre, S, "node1", 1)).proposal[0].change.state == FAILED


def test_reconcile_proposal_requires_the_node_to_be_master():
    pre = upd(_committing(1), mastership=Rec(master=NIL, term=1, conn=1))
    assert onos.reconcile_proposal(pre, S, "node1", 1) == set()


def _applying(**cfg) -> Rec:
    return mastered(proposal=(proposal(APPLY, IN_PROGRESS, vm(path1=(1, "value2"))),),
                    configuration=config(**{"state": COMPLETE, "term": 1, "a_target": 1,
                                            "c_index": 1, "c_revision": 1, **cfg}))


def test_apply_change_valid_branch_updates_applied_target_and_history():
    pre = _applying()
    branches = dict(onos.reconcile_proposal_branches(pre, S, "node1", 1))
    assert set(branches) == {"ApplyChange.valid", "ApplyChange.invalid"}
    valid = branches["ApplyChange.valid"]
    assert valid.configuration.applied == Rec(index=1, revision=1, target=1, values=vm(path1=(1, "value2")))
    assert valid.target == Rec(id=1, running=True, values=vm(path1=(1, "value2")))
    assert valid.history == (Rec(type=CHANGE, phase=APPLY, index=1),)
    invalid = branches["ApplyChange.invalid"]
    assert invalid == upd(pre, configuration=upd(pre.configuration,
                                                 applied=upd(pre.configuration.applied, index=1)))


@pytest.mark.parametrize("broken", [
    {"configuration": config(state=IN_PROGRESS, term=1, a_target=1)},
    {"configuration": config(state=COMPLETE, term=0, a_target=1)},
    {"conn": Fn({"node1": Rec(id=2, connected=True)})},
    {"conn": Fn({"node1": Rec(id=1, connected=False)})},
    {"target": Rec(id=1, running=False, values=EMPTY)},
])
def test_apply_change_needs_complete_configuration_current_term_connection_and_running_target(broken):
    pre = upd(_applying(), **broken)
    assert onos.reconcile_proposal(pre, S, "node1", 1) == set()


@pytest.mark.parametrize("revision,outcome", [(1, COMPLETE), (0, FAILED)])
def test_apply_change_finishes_by_comparing_applied_revision(revision, outcome):
    pre = _applying(a_index=1, a_revision=revision)
    assert only(onos.reconcile_proposal(pre, S, "node1", 1)).proposal[0].change.state == outcome


def test_commit_rollback_restores_the_snapshotted_revision_and_values():
    p = proposal(COMMIT, COMPLETE, vm(path1=(2, "value2")), COMMIT, IN_PROGRESS,
                 rb_revision=1, rb_values=vm(path1=(1, "value1")))
    pre = mastered(proposal=(proposal(COMMIT, COMPLETE, vm(path1=(1, "value1"))), p),
                   configuration=config(c_index=2, c_revision=2, c_values=vm(path1=(2, "value2"))))
    nxt = only(onos.reconcile_proposal(pre, S, "node1", 2))
    assert nxt.configuration.committed == Rec(index=2, revision=1, values=vm(path1=(1, "value1")))
    assert nxt.history == (Rec(type=ROLLBACK, phase=COMMIT, index=2),)
    done = only(onos.reconcile_proposal(nxt, S, "node1", 2))
    assert done.proposal[1].rollback.state == COMPLETE


def test_apply_rollback_restores_applied_and_target_values():
    p = proposal(APPLY, COMPLETE, vm(path1=(1, "value1")), APPLY, IN_PROGRESS,
                 rb_revision=0, rb_values=vm(path1=(0, NIL)))
    pre = mastered(proposal=(p,), target=Rec(id=1, running=True, values=vm(path1=(1, "value1"))),
                   configuration=config(state=COMPLETE, term=1, c_index=1, c_revision=1,
                                        a_index=1, a_revision=1, a_target=1,
                                        a_values=vm(path1=(1, "value1"))))
    nxt = only(onos.reconcile_proposal(pre, S, "node1", 1))
    assert nxt.configuration.applied == Rec(index=1, revision=0, target=1, values=vm(path1=(0, NIL)))
    assert nxt.target["values"] == vm(path1=(0, NIL))
    assert nxt.history == (Rec(type=ROLLBACK, phase=APPLY, index=1),)


def test_apply_rollback_completion_compares_the_committed_revision_as_written():
    p = proposal(APPLY, COMPLETE, vm(path1=(1, "value1")), APPLY, IN_PROGRESS, rb_revision=0)
    # applied revision already 0 but committed revision still 1: not complete (seed reads committed)
    pre = mastered(proposal=(p,), configuration=config(state=COMPLETE, term=1, c_index=1,
                                                       c_revision=1, a_index=1, a_revision=0))
    assert onos.reconcile_proposal(pre, S, "node1", 1) == set()
    pre = upd(pre, configuration=upd(pre.configuration, committed=Rec(index=1, revision=0, values=EMPTY)))
    assert only(onos.reconcile_proposal(pre, S, "node1", 1)).proposal[0].rollback.state == COMPLETE


def test_reconcile_proposal_leaves_transaction_mastership_and_conn_unchanged():
    pre = upd(_committing(1), transaction=(change_tx(1, COMPLETE, IN_PROGRESS),))
    for nxt in onos.reconcile_proposal(pre, S, "node1", 1):
        assert (nxt.transaction, nxt.mastership, nxt.conn) == (pre.transaction, pre.mastership, pre.conn)


# --------------------------------------------------------------------------- Configuration

def test_reconcile_configuration_adopts_a_new_term_as_pending():
    pre = mastered(configuration=config(state=COMPLETE, term=0))
    nxt = only(onos.step(pre, S, "ReconcileConfiguration", {"n": "node1"}))
    assert (nxt.configuration.state, nxt.configuration.term) == (PENDING, 1)


def test_reconcile_configuration_starts_a_pending_configuration_of_the_master():
    pre = mastered(configuration=config(state=PENDING, term=1))
    nxt = only(onos.step(pre, S, "ReconcileConfiguration", {"n": "node1"}))
    assert nxt.configuration.state == IN_PROGRESS


def test_reconcile_configuration_pushes_applied_values_to_the_target():
    applied_values = vm(path1=(1, "value1"))
    pre = mastered(configuration=config(state=IN_PROGRESS, term=1, a_values=applied_values),
                   target=Rec(id=2, running=True, values=EMPTY))
    nxt = only(onos.step(pre, S, "ReconcileConfiguration", {"n": "node1"}))
    assert nxt.target == Rec(id=2, running=True, values=applied_values)
    assert (nxt.configuration.state, nxt.configuration.applied.target) == (COMPLETE, 2)


# --------------------------------------------------------------------------- Mastership

def test_reconcile_mastership_elects_a_connected_node_for_the_next_term():
    pre = world(conn=Fn({"node1": Rec(id=1, connected=True)}), target=Rec(id=1, running=True, values=EMPTY))
    nxt = only(onos.step(pre, S, "ReconcileMastership", {"n": "node1"}))
    assert nxt.mastership == Rec(master="node1", term=1, conn=1)


@pytest.mark.parametrize("conn", [Rec(id=1, connected=False), Rec(id=2, connected=True)])
def test_reconcile_mastership_unsets_a_master_that_lost_its_connection(conn):
    pre = mastered(conn=Fn({"node1": conn}))
    nxt = only(onos.step(pre, S, "ReconcileMastership", {"n": "node1"}))
    assert nxt.mastership == Rec(master=NIL, term=1, conn=1)


# --------------------------------------------------------------------------- Target

def test_start_increments_the_target_id_and_runs_it():
    nxt = only(onos.step(onos.initial_state(S), S, "Target.Start"))
    assert nxt.target == Rec(id=1, running=True, values=EMPTY)


def test_stop_disconnects_every_node_and_clears_target_values():
    scope = S.replace(nodes=2)
    pre = upd(onos.initial_state(scope),
              conn=Fn({"node1": Rec(id=1, connected=True), "node2": Rec(id=2, connected=True)}),
              target=Rec(id=1, running=True, values=vm(path1=(1, "value1"))))
    nxt = only(onos.step(pre, scope, "Target.Stop"))
    assert nxt.target == Rec(id=1, running=False, values=EMPTY)
    assert nxt.conn == Fn({"node1": Rec(id=1, connected=False), "node2": Rec(id=2, connected=False)})


def test_connect_needs_a_running_target_and_opens_a_new_connection():
    stopped = world()
    assert onos.step(stopped, S, "Connect", {"n": "node1"}) == set()
    running = world(target=Rec(id=1, running=True, values=EMPTY))
    nxt = only(onos.step(running, S, "Connect", {"n": "node1"}))
    assert nxt.conn["node1"] == Rec(id=1, connected=True)


def test_disconnect_keeps_the_connection_id():
    pre = mastered()
    nxt = only(onos.step(pre, S, "Disconnect", {"n": "node1"}))
    assert nxt.conn["node1"] == Rec(id=1, connected=False) and nxt.mastership == pre.mastership


# --------------------------------------------------------------------------- state constraints

def test_state_constraint_excludes_third_term_without_master():
    with_master = world(mastership=Rec(master="node1", term=2, conn=2))
    assert onos.in_model(with_master, S)
    assert not onos.in_model(upd(with_master, mastership=Rec(master=NIL, term=2, conn=2)), S)
    assert not onos.in_model(world(mastership=Rec(master="node1", term=3, conn=2)), S)


def test_state_constraint_bounds_the_number_of_transactions():
    four = world(transaction=(change_tx(),) * 4)
    assert onos.in_model(four, S)
    assert not onos.in_model(upd(four, transaction=four.transaction + (change_tx(),)), S)


def test_state_constraint_allows_the_last_connection_only_while_connected():
    assert onos.in_model(world(conn=Fn({"node1": Rec(id=2, connected=True)})), S)
    assert not onos.in_model(world(conn=Fn({"node1": Rec(id=2, connected=False)})), S)


def test_state_constraint_allows_the_last_start_only_while_running():
    assert onos.in_model(world(target=Rec(id=2, running=True, values=EMPTY)), S)
    assert not onos.in_model(world(target=Rec(id=2, running=False, values=EMPTY)), S)
    assert onos.in_model(world(target=Rec(id=2, running=False, values=EMPTY)), S.replace(starts=3))


def test_successors_drop_states_outside_the_model_but_instances_keep_them():
    pre = world(target=Rec(id=2, running=True, values=EMPTY))
    stopped = only(onos.step(pre, S, "Target.Stop"))
    assert not onos.in_model(stopped, S)
    assert any(nxt == stopped for _, _, nxt in onos.instances(pre, S))
    assert stopped not in onos.successors(pre, S)


# --------------------------------------------------------------------------- invariants

def test_proposal_type_ok_rejects_aborted_and_accepts_the_seed_statuses():
    for status in (NIL, PENDING, IN_PROGRESS, COMPLETE, FAILED):
        assert onos.proposal_type_ok(world(proposal=(proposal(COMMIT, status),)), S)
    assert not onos.proposal_type_ok(world(proposal=(proposal(COMMIT, ABORTED),)), S)
    assert not onos.INVARIANTS["TypeOK"](world(proposal=(proposal(APPLY, PENDING, rb_state=ABORTED),)), S)


def test_order1_rejects_a_change_committed_after_a_later_one():
    h = (Rec(type=CHANGE, phase=COMMIT, index=2), Rec(type=CHANGE, phase=COMMIT, index=1))
    assert not onos.order1(world(history=h), S)
    assert onos.order1(world(history=h[::-1]), S)


def test_order1_allows_a_rollback_after_later_changes_only_once_they_are_rolled_back():
    c1, c2 = Rec(type=CHANGE, phase=COMMIT, index=1), Rec(type=CHANGE, phase=COMMIT, index=2)
    r1, r2 = Rec(type=ROLLBACK, phase=COMMIT, index=1), Rec(type=ROLLBACK, phase=COMMIT, index=2)
    assert not onos.order1(world(history=(c1, c2, r1)), S)
    assert onos.order1(world(history=(c1, c2, r2, r1)), S)


def test_order2_rejects_applying_past_a_failed_apply_that_is_not_rolled_back():
    failed = proposal(APPLY, FAILED)
    assert not onos.order2(world(proposal=(failed, proposal(APPLY, IN_PROGRESS))), S)
    assert onos.order2(world(proposal=(failed, proposal(APPLY, PENDING))), S)
    rolled = proposal(APPLY, FAILED, rb_phase=APPLY, rb_state=COMPLETE)
    assert onos.order2(world(proposal=(rolled, proposal(APPLY, IN_PROGRESS))), S)


def test_consistency1_rejects_a_committed_value_of_an_uncommitted_proposal():
    pre = world(proposal=(proposal(),), configuration=config(c_index=1, c_revision=0,
                                                             c_values=vm(path1=(1, "value1"))))
    assert not onos.consistency1(pre, S) and onos.consistency2(pre, S)


def test_consistency2_rejects_a_target_value_of_an_unapplied_proposal():
    pre = world(proposal=(proposal(),), target=Rec(id=1, running=True, values=vm(path1=(1, "value1"))))
    assert not onos.consistency2(pre, S)


def test_consistency3_requires_the_synchronized_target_to_hold_the_last_applied_change():
    p = proposal(APPLY, COMPLETE, vm(path1=(1, "value1")))
    cfg = config(state=COMPLETE, term=1, a_index=1, a_revision=1, a_target=1,
                 a_values=vm(path1=(1, "value1")))
    good = world(proposal=(p,), configuration=cfg, target=Rec(id=1, running=True, values=vm(path1=(1, "value1"))))
    assert onos.consistency3(good, S)
    assert not onos.consistency3(upd(good, target=upd(good.target, values=EMPTY)), S)
    # not synchronized with this target incarnation: nothing required
    assert onos.consistency3(upd(good, target=Rec(id=2, running=True, values=EMPTY)), S)


# --------------------------------------------------------------------------- exploration

def test_random_walk_stays_in_the_model_and_replays_with_the_same_seed():
    walk = onos.random_walk(S, 60, random.Random(7))
    assert walk == onos.random_walk(S, 60, random.Random(7))
    state = onos.initial_state(S)
    for action, params, nxt in walk:
        assert action in onos.ACTIONS and onos.in_model(nxt, S)
        assert nxt in onos.step(state, S, action, params)
        state = nxt


def test_bfs_depths_are_shortest_and_paths_replay():
    reach = onos.reachable(S, max_depth=6)
    assert not reach.complete
    assert reach.depth[onos.initial_state(S)] == 0
    for state, d in list(reach.depth.items())[-50:]:
        path = onos.path_to(reach.parent, state)
        assert len(path) == d and path[-1][2] == state


@pytest.fixture(scope="module")
def first_steps() -> onos.Reachability:
    """Every in-model state within 8 steps of Init (about 7,000 states)."""
    return onos.reachable(S, max_depth=8)


def test_transaction_rules_are_disjoint_on_reachable_states(first_steps):
    for state in first_steps.depth:
        for i in range(1, len(state.transaction) + 1):
            assert len(onos.reconcile_transaction_branches(state, S, "node1", i)) <= 1


def test_no_invariant_fails_in_the_first_steps(first_steps):
    assert onos.first_violations(first_steps, S) == {}


@pytest.mark.slow
def test_no_invariant_fails_in_a_deep_bfs():
    """Reduced: every in-model state within 10 steps (22,594 states, seconds); full
    (SMTSPEC_SLOW=full): within 20 steps (646,098 states, several minutes). The complete
    BFS is out of reach in Python: the levels still grow by a fifth per step at depth 21."""
    depth, count = (20, 646_098) if FULL else (10, 22_594)
    reach = onos.reachable(S, max_depth=depth)
    assert len(reach.depth) == count
    assert onos.first_violations(reach, S) == {}
