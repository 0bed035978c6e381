"""CTI triage: an unreachable CTI of a lemma proved with helpers, and a reachable one that refutes."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from smtspec import engine, registry
from smtspec import trace as traces
from smtspec.commands import triage as triage_command
from smtspec.errors import UsageError
from smtspec.evaluate import evaluators
from smtspec.proofs import with_invariants
from smtspec.replay import replay
from smtspec.tla import tla_invariant
from smtspec.triage import triage
from smtspec.verdict import Verdict

SCOPE = {"servers": 2, "terms": 2, "indexes": 2, "values": 1}


@pytest.fixture(scope="module")
def raft():
    info = registry.get("parallel-raft")
    scope = info.scope(SCOPE)
    return info, scope, info.build(scope)


@pytest.fixture(scope="module")
def lemma1_cti(raft):
    _, _, system = raft
    r = engine.prove(system, ["Lemma1"], 1, opts=engine.Options(capacity_check=False))["Lemma1"]
    assert r.verdict is Verdict.UNKNOWN and r.trace is not None and r.trace.kind == "cti"
    return r.trace


def test_cti_of_lemma1_alone_is_likely_unreachable(raft, lemma1_cti):
    info, scope, system = raft
    res = triage(system, lemma1_cti, 4, 60.0, interpreter=info.interpreter(), interp_scope=scope)
    assert res.verdict == "likely-unreachable"
    assert res.depth == 4 and res.trace is None
    assert "not reached within depth 4" in res.reason
    assert res.invariants == ("Lemma1",)
    # the projection: what Lemma1 reads and what the CTI's step changes, as TLA+ lines
    assert set(res.focus) >= {"currentTerm", "sync"}
    assert [line.split(" = ")[0] for line in res.projection] == list(res.focus)
    assert any(line.startswith("currentTerm = (s1 :> ") for line in res.projection)


def test_triage_command_on_a_written_cti(raft, lemma1_cti, tmp_path):
    cti_file = tmp_path / "Lemma1.cti.itf.json"
    traces.write(lemma1_cti, cti_file)
    rep = triage_command.run(triage_command.TriageOptions(cti_file, depth=2, trace_dir=tmp_path / "out"))
    j = rep.to_json()
    assert j["schema"] == 1 and j["spec"] == "parallel-raft" and j["invariant"] == "Lemma1"
    assert j["verdict"] == "likely-unreachable" and j["depth"] == 2 and j["trace"] is None
    assert j["projection"] and all(" = " in line for line in j["projection"])
    assert j["scope"]["servers"] == 2
    assert rep.exit_code() == 3
    json.dumps(j)
    # a counterexample is not a CTI
    cex = tmp_path / "cex.itf.json"
    traces.write(replace(lemma1_cti, kind="counterexample"), cex)
    with pytest.raises(UsageError, match="not a CTI"):
        triage_command.run(triage_command.TriageOptions(cex))


def _tla_system(system, text):
    return with_invariants(system, (tla_invariant(system, text, "TLA1"),))


def test_a_cti_from_a_reachable_state_is_refuted_and_replays(raft):
    info, scope, system = raft
    # currentTerm[i] <= 1 is false after two Timeouts of one server: a real behaviour of 2 steps
    sys2 = _tla_system(system, "\\A i \\in Server : currentTerm[i] <= 1")
    cex = engine.bmc(sys2, ["TLA1"], 3)["TLA1"].trace
    assert cex is not None and cex.length == 2
    # its last step from its (reachable, invariant-satisfying) middle state, as a CTI
    cti = replace(cex, kind="cti", states=cex.states[1:], steps=cex.steps[1:], invariants=("TLA1",),
                  violated=("TLA1",))
    extra = evaluators(sys2, ["TLA1"])
    assert extra["TLA1"](cti.states[0], scope) and not extra["TLA1"](cti.states[-1], scope)
    interp = info.interpreter()
    res = triage(sys2, cti, 4, 60.0, interpreter=interp, interp_scope=scope, extra_invariants=extra)
    assert res.verdict == "refuted", res.reason
    assert res.depth == 1 and res.focus == ("currentTerm",)
    tr = res.trace
    assert tr is not None and tr.kind == "counterexample" and tr.length == 2 and tr.violated == ("TLA1",)
    again = replay(tr, interp, scope, extra)
    assert again.ok, again.problems
    assert again.final_values == {"TLA1": False}
    # without an interpreter the projection is reached, but nothing is claimed about the invariant
    res2 = triage(sys2, cti, 4, 60.0)
    assert res2.verdict == "reachable-projection" and res2.depth == 1
    assert res2.trace is not None and res2.trace.length == 1 and res2.trace.kind == "counterexample"
    assert res2.trace.states[-1]["currentTerm"] == cti.states[0]["currentTerm"]


def test_a_reached_projection_whose_steps_do_not_violate_is_not_refuted(raft):
    info, scope, system = raft
    sys2 = _tla_system(system, "\\A i \\in Server : currentTerm[i] <= 1")
    cex = engine.bmc(sys2, ["TLA1"], 3)["TLA1"].trace
    assert cex is not None
    # a "CTI" of one step from Init that keeps the invariant: reached at depth 0, never refuted
    cti = replace(cex, kind="cti", states=cex.states[:2], steps=cex.steps[:1], invariants=("TLA1",),
                  violated=("TLA1",))
    res = triage(sys2, cti, 2, 60.0, interpreter=info.interpreter(), interp_scope=scope,
                 extra_invariants=evaluators(sys2, ["TLA1"]))
    assert res.verdict == "reachable-projection", res.reason
    assert res.depth == 0 and "satisfying TLA1" in res.reason


def test_triage_command_refutes_a_with_tla_cti_and_writes_a_replayable_trace(raft, tmp_path):
    from smtspec.commands import replaying

    _, _, system = raft
    text = "\\A i \\in Server : currentTerm[i] <= 1"
    cex = engine.bmc(_tla_system(system, text), ["TLA1"], 3)["TLA1"].trace
    assert cex is not None
    cti = replace(cex, kind="cti", states=cex.states[1:], steps=cex.steps[1:], invariants=("TLA1",),
                  violated=("TLA1",), extra={"tla_invariants": {"TLA1": text}})
    traces.write(cti, tmp_path / "TLA1.cti.itf.json")
    rep = triage_command.run(triage_command.TriageOptions(tmp_path / "TLA1.cti.itf.json", trace_dir=tmp_path / "out"))
    j = rep.to_json()
    assert j["verdict"] == "refuted" and j["invariant"] == "TLA1" and rep.exit_code() == 1
    assert j["trace"] == str(tmp_path / "out" / "TLA1.itf.json")
    again = replaying.run(replaying.ReplayOptions(tmp_path / "out" / "TLA1.itf.json"))
    assert again.replay.ok and again.replay.final_values == {"TLA1": False}


def test_the_triage_command_line_reports_a_likely_unreachable_cti(tmp_path, capsys):
    from smtspec.cli import main

    small = ["--servers", "2", "--terms", "2", "--indexes", "2", "--values", "1"]
    assert main(["prove", "Lemma1", *small, "--no-capacity-check", "--trace", str(tmp_path), "--json"]) == 3
    capsys.readouterr()
    code = main(["triage", str(tmp_path / "Lemma1.cti.itf.json"), "--depth", "3", "--json"])
    row = __import__("json").loads(capsys.readouterr().out)
    assert code == 3 and row["verdict"] == "likely-unreachable" and row["projection"] and row["schema"] == 1
