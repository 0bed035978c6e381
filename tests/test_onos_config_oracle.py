"""The onos-config interpreter against TLC's own transitions of the Proposal reconciler.

``shared/oracles/onos-proposal-tlc-sample.jsonl.gz`` is a 1-in-8 sample of the
``ReconcileProposal(n, i)`` steps TLC evaluated on the reachable states of the original
model. No one on this project produced it, so it checks the interpreter's reading of the
seed from outside: every logged step must be a step of the interpreter, and every logged
pre-state is reachable, so the invariants that hold in the model hold on it. The log
reader itself is checked on damaged files, and the exact (set-equality) check on a
complete log built from the interpreter, where dropping one line must be noticed.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from conftest import FULL
from smtspec.encodings.onos_config import interpreter as onos
from smtspec.encodings.onos_config import tlclog
from smtspec.encodings.onos_config.tlclog import LogEntry, LogLineError

S = onos.DEFAULT_SCOPE
SAMPLE = Path(__file__).resolve().parents[2] / "shared" / "oracles" / "onos-proposal-tlc-sample.jsonl.gz"
SAMPLE_LINES = 20_683

needs_sample = pytest.mark.skipif(not SAMPLE.exists(), reason=f"oracle sample not found at {SAMPLE}")


@pytest.fixture(scope="module")
def sample() -> list:
    return list(tlclog.read_log(SAMPLE))


# --------------------------------------------------------------------------- the TLC sample

@needs_sample
def test_every_sampled_tlc_step_is_a_step_of_the_interpreter(sample):
    summary = tlclog.conform_with_interpreter(sample, S)
    print(f"\nTLC sample: {summary}")
    assert summary.lines == SAMPLE_LINES
    assert summary.errors == 0, summary.first_errors
    assert summary.rejected == 0, summary.first_rejections
    assert summary.accepted == SAMPLE_LINES


@needs_sample
def test_no_sampled_successor_is_outside_the_interpreter_successor_set(sample):
    report = tlclog.exact_check(sample, S)
    assert report.errors == 0
    # The sample is 1 in 8, so logged successor sets may lack some of the interpreter's;
    # a logged successor the interpreter cannot produce would be a real disagreement.
    assert [d for d in report.differences if d.not_in_interpreter] == []


@needs_sample
@pytest.mark.parametrize("name", ["ProposalTypeOK", "ConfigurationTypeOK", "MastershipTypeOK",
                                  "Consistency", "Order2"])
def test_every_logged_pre_state_satisfies_the_model_invariants(sample, name):
    invariant = onos.INVARIANTS[name]
    pres = {e.pre for e in sample if isinstance(e, LogEntry)}
    bad = [p for p in pres if not invariant(tlclog.full_state(p), S)]
    assert bad == [], f"{name} fails on {len(bad)} logged pre-states, e.g. {bad[0]}"


@needs_sample
def test_logged_states_have_the_interpreter_shapes(sample):
    entry = next(e for e in sample if isinstance(e, LogEntry))
    assert set(entry.pre) == set(tlclog.LOGGED) == set(entry.post)
    assert isinstance(entry.pre.proposal, tuple)
    empty = entry.pre.configuration.applied["values"]
    assert empty == onos.EMPTY  # TLC's [] is the empty value map


# --------------------------------------------------------------------------- damaged logs

def _good_line(index: int = 1) -> str:
    pre = onos.upd(onos.initial_state(S),
                   proposal=(onos.Rec(change=onos.Rec(phase="Commit", state="InProgress",
                                                      values=onos.Fn({"path1": onos.Rec(index=1, value="value1")})),
                                      rollback=onos.Rec(phase="<nil>", state="<nil>", revision=0,
                                                        values=onos.EMPTY)),),
                   mastership=onos.Rec(master="node1", term=1, conn=1))
    post = onos.upd(pre, configuration=onos.upd(pre.configuration, committed=onos.Rec(
        index=1, revision=0, values=onos.EMPTY)))
    return json.dumps(tlclog.entry_json("node1", index, pre, post))


def test_bad_and_truncated_lines_are_reported_with_their_line_number_and_reading_continues(tmp_path):
    good = _good_line()
    wrong_shape = json.dumps({"context": {"node": "node1", "index": 1}, "currState": {}, "succState": {}})
    log = tmp_path / "damaged.jsonl"
    log.write_text("\n".join([good, "{not json", good, wrong_shape, good, good[: len(good) // 2]]) + "\n")
    results = list(tlclog.read_log(log))
    assert [type(r).__name__ for r in results] == [
        "LogEntry", "LogLineError", "LogEntry", "LogLineError", "LogEntry", "LogLineError"]
    assert [r.line for r in results] == [1, 2, 3, 4, 5, 6]
    assert "line 2" in str(results[1]) and "currState" in results[3].message
    summary = tlclog.conform_with_interpreter(results, S)
    assert (summary.lines, summary.accepted, summary.rejected, summary.errors) == (6, 3, 0, 3)


def test_a_gzip_file_cut_short_ends_with_a_line_error(tmp_path):
    whole = tmp_path / "whole.jsonl.gz"
    with gzip.open(whole, "wt") as f:
        for k in range(200):
            f.write(_good_line() + "\n")
    cut = tmp_path / "cut.jsonl.gz"
    data = whole.read_bytes()
    cut.write_bytes(data[: len(data) // 2])
    results = list(tlclog.read_log(cut))
    assert isinstance(results[-1], LogLineError)
    assert all(isinstance(r, LogEntry) for r in results[:-1])
    assert results[-1].line == len(results)


def test_a_step_the_interpreter_cannot_take_is_rejected(tmp_path):
    j = json.loads(_good_line())
    j["succState"]["configuration"]["committed"]["revision"] = 7
    log = tmp_path / "wrong.jsonl"
    log.write_text(json.dumps(j) + "\n")
    summary = tlclog.conform_with_interpreter(tlclog.read_log(log), S)
    assert (summary.accepted, summary.rejected) == (0, 1)
    assert summary.first_rejections[0].line == 1


def test_succstate_proposals_may_list_only_the_changed_ones_and_carry_their_index():
    """The seed's SuccState logs only changed proposals (keyed by index) with ``@@ [index |-> i]``;
    the sample writes whole arrays without the index. Both read the same."""
    j = json.loads(_good_line())
    whole = tlclog.parse_line(json.dumps(j), 1)
    proposal = j["currState"]["proposals"][0]
    j["currState"]["proposals"][0] = dict(proposal, index=1)
    j["succState"] = {"proposals": {"1": dict(proposal, index=1, change=dict(proposal["change"], state="Failed"))}}
    keyed = tlclog.parse_line(json.dumps(j), 1)
    assert keyed.pre == whole.pre
    assert keyed.post.proposal[0].change.state == "Failed"
    j["currState"]["proposals"][0]["index"] = 2
    with pytest.raises(LogLineError, match="position"):
        tlclog.parse_line(json.dumps(j), 1)


# --------------------------------------------------------------------------- exact check on a complete log

@pytest.fixture(scope="module")
def interpreter_log(tmp_path_factory) -> tuple[Path, list[str]]:
    """Every ReconcileProposal step from the states within 10 steps of Init, as a log."""
    reach = onos.reachable(S, max_depth=10)
    steps = set()
    for state in reach.depth:
        pre = tlclog.project(state)
        for n in onos.nodes(S):
            for i in range(1, len(state.proposal) + 1):
                for post in onos.reconcile_proposal(state, S, n, i):
                    steps.add((n, i, pre, tlclog.project(post)))
    path = tmp_path_factory.mktemp("oracle") / "interpreter.jsonl.gz"
    ordered = sorted(steps, key=repr)
    tlclog.write_log(path, [(n, i, tlclog.full_state(pre), tlclog.full_state(post))
                            for n, i, pre, post in ordered])
    with gzip.open(path, "rt") as f:
        lines = f.read().splitlines()
    assert len(lines) == len(ordered) > 100
    return path, lines


def test_exact_check_of_a_complete_interpreter_log_finds_no_difference(interpreter_log):
    path, lines = interpreter_log
    entries = list(tlclog.read_log(path))
    report = tlclog.exact_check(entries, S)
    assert report.ok and report.groups > 50
    summary = tlclog.conform_with_interpreter(entries, S)
    assert summary.accepted == len(lines) and summary.rejected == 0


def test_exact_check_reports_the_group_of_a_dropped_line(interpreter_log, tmp_path):
    _, lines = interpreter_log
    entries = [tlclog.parse_line(text, k) for k, text in enumerate(lines, 1)]
    groups: dict = {}
    for e in entries:
        groups.setdefault((e.node, e.index, e.pre), []).append(e)
    victim = next(g for g in groups.values() if len(g) >= 2)[0]  # e.g. a valid/invalid pair
    kept = [text for k, text in enumerate(lines, 1) if k != victim.line]
    dropped = tmp_path / "dropped.jsonl"
    dropped.write_text("\n".join(kept) + "\n")
    report = tlclog.exact_check(tlclog.read_log(dropped), S)
    assert len(report.differences) == 1
    diff = report.differences[0]
    assert (diff.node, diff.index, diff.pre) == (victim.node, victim.index, victim.pre)
    assert diff.missing_from_log == {victim.post} and diff.not_in_interpreter == frozenset()


def test_logged_json_round_trips_through_the_reader(interpreter_log):
    _, lines = interpreter_log
    for k, text in enumerate(lines[:200], 1):
        e = tlclog.parse_line(text, k)
        assert json.loads(text) == tlclog.entry_json(e.node, e.index, e.pre, e.post)


# --------------------------------------------------------------------------- slow: reachability of the logged states

@needs_sample
@pytest.mark.slow
def test_every_logged_pre_state_is_reachable_in_the_interpreter(sample):
    """TLC reached every logged pre-state, so the interpreter's model must reach it too:
    this checks the environment (Transaction, Configuration, Mastership, Target) reading,
    which the step check alone does not. Full (SMTSPEC_SLOW=full, about 10 minutes): all
    1,313 distinct pre-states are reached, the deepest after 21 steps. Reduced: the
    search stops after 10 steps, where the full run found 20 of them."""
    entries = [e for e in sample if isinstance(e, LogEntry)]
    report = tlclog.reach_logged_states(entries, S, max_depth=None if FULL else 10)
    print(f"\nreached {len(report.found)} of {len(report.found) + len(report.unreached)} logged "
          f"pre-states within {report.depth_reached} steps, exploring {report.states_explored} states")
    if FULL:
        assert report.unreached == set() and max(report.found.values()) == 21
    else:
        assert len(report.found) == 20 and max(report.found.values()) == 10
