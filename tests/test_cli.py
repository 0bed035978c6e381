"""The command line, in process: verdicts and exit codes, JSON output, and bad input.

Every kind of bad input gets exactly one line on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from smtspec.cli import main

SMALL = ["--servers", "2", "--terms", "2", "--indexes", "2", "--values", "1"]


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_list_shows_all_fifteen_invariants_and_fourteen_actions_of_next(capsys):
    code, out, _ = run(capsys, "list", "--spec", "parallel-raft", "--json")
    assert code == 0
    info = json.loads(out.splitlines()[0])
    assert len(info["invariants"]) == 15 and "syncCompleteness" in info["invariants"]
    assert len(info["actions"]) == 14
    assert info["not_in_next"] == ["CommitEntry"]


def test_prove_prints_verdict_scope_and_assumptions(capsys, tmp_path):
    code, out, _ = run(capsys, "prove", "Lemma7", "--k", "1", *SMALL, "--trace", str(tmp_path))
    assert code in (0, 3)
    assert "Lemma7" in out and "scope: servers=2, terms=2, indexes=2, values=1, capacity=3" in out
    assert "assumptions (not proved here): none" in out


def test_prove_json_gives_one_object_per_invariant_with_scope(capsys, tmp_path):
    code, out, _ = run(capsys, "prove", "Lemma1", "Lemma12", "--k", "1", *SMALL, "--json", "--trace", str(tmp_path))
    lines = [json.loads(x) for x in out.splitlines()]
    assert [x["invariant"] for x in lines] == ["Lemma1", "Lemma12"]
    for x in lines:
        assert x["scope"] == {"servers": 2, "terms": 2, "indexes": 2, "values": 1, "capacity": 3}
        assert x["k"] == 1 and x["verdict"] in ("proved", "unknown")
    assert code == (3 if any(x["verdict"] == "unknown" for x in lines) else 0)


def test_unknown_verdict_writes_a_cti_that_replays(capsys, tmp_path):
    code, out, _ = run(capsys, "prove", "Lemma1", "--k", "1", *SMALL, "--json", "--trace", str(tmp_path))
    assert code == 3
    res = json.loads(out)
    assert res["verdict"] == "unknown" and res["evidence"]["kind"] == "cti"
    code, out, _ = run(capsys, "replay", res["trace"])
    assert code == 0 and "replays" in out and "Lemma1 in the last state: FALSE" in out


def test_bmc_without_violation_exits_zero(capsys, tmp_path):
    code, out, _ = run(capsys, "bmc", "Lemma1", "--depth", "2", *SMALL, "--json", "--trace", str(tmp_path))
    assert code == 0
    assert json.loads(out)["verdict"] == "no-violation"


def test_tampered_trace_does_not_replay(capsys, tmp_path):
    run(capsys, "prove", "Lemma1", "--k", "1", *SMALL, "--trace", str(tmp_path))
    path = tmp_path / "Lemma1.cti.itf.json"
    doc = json.loads(path.read_text())
    doc["states"][-1]["currentTerm"] = doc["states"][0]["currentTerm"]
    doc["states"][-1]["sync"] = {"#map": [[f"s{k}", {"#bigint": "0"}] for k in (1, 2)]}
    path.write_text(json.dumps(doc))
    code, out, _ = run(capsys, "replay", str(path))
    assert code == 1 and "does not replay" in out


@pytest.mark.parametrize(
    "args,needle",
    [
        (["prove", "Lemma99", "--k", "2"], "did you mean Lemma9?"),
        (["prove", "synccompleteness"], "did you mean syncCompleteness?"),
        (["prove", "Lemma1", "--spec", "parallel-raf"], "did you mean parallel-raft?"),
        (["prove", "Lemma1", "--k", "0"], "--k must be between 1 and 60"),
        (["bmc", "Lemma1", "--depth", "-1"], "--depth must be between 0 and 500"),
        (["prove", "Lemma1", "--servers", "9"], "--servers must be between 1 and 5"),
        (["prove", "Lemma1", "--nodes", "2"], "--nodes is not a bound of parallel-raft"),
        (["prove", "Lemma1", "--k", "abc"], "Invalid value for '--k'"),
        (["prove", "Lemma1", "--bogus"], "No such option: --bogus"),
        (["frob"], "No such command 'frob'"),
        (["replay", "/nonexistent/trace.json"], "cannot read /nonexistent/trace.json"),
        (["prove", "Lemma1", "--with-tla", "\\A x \\in SUBSET Server : TRUE"], "SUBSET"),
        (["prove", "Lemma1", "--with-tla", "\\A i \\in Server : bogus[i] = 1"], "bogus"),
        (["check-proofs", "/nonexistent/proofs"], "no proof file or folder"),
    ],
)
def test_bad_input_gives_one_line_and_exit_code_two(capsys, args, needle):
    code, out, err = run(capsys, *args)
    assert code == 2
    assert needle in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err + out


@pytest.mark.parametrize(
    "content,needle",
    [
        ("{not json", "is not JSON"),
        ('{"vars": ["x"]}', "needs 'vars' and 'states'"),
        ('{"#meta": {"spec": "nope"}, "vars": ["x"], "states": [{"x": 1}]}', "unknown spec 'nope'"),
        ('{"#meta": {"spec": "parallel-raft", "scope": {"servers": 99}}, "vars": ["x"], "states": [{"x": 1}]}', "--servers must be between"),
    ],
)
def test_malformed_trace_files_give_one_line_and_exit_code_two(capsys, tmp_path, content, needle):
    path = tmp_path / "bad.itf.json"
    path.write_text(content)
    code, _, err = run(capsys, "replay", str(path))
    assert code == 2 and needle in err and len(err.strip().splitlines()) == 1


def test_unwritable_trace_folder_is_an_input_error(capsys, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code, _, err = run(capsys, "prove", "Lemma1", "--k", "1", *SMALL, "--trace", str(blocker / "sub"))
    assert code == 2 and "cannot write" in err


def test_help_explains_commands_and_exit_codes():
    from typer.testing import CliRunner

    from smtspec.cli import app

    res = CliRunner().invoke(app, ["--help"])
    assert res.exit_code == 0
    for word in ("prove", "bmc", "list", "replay", "coverage", "Exit codes"):
        assert word in " ".join(res.output.split())
    res = CliRunner().invoke(app, ["prove", "--help"])
    assert res.exit_code == 0 and "--simple-path" in res.output and "--assume" in res.output


def test_check_lemmas_reports_every_invariant_equivalent(capsys):
    code, out, _ = run(capsys, "check-lemmas", *SMALL, "--json")
    rows = [json.loads(x) for x in out.splitlines()]
    assert code == 0 and len(rows) == 15
    assert all(r["status"] == "equivalent" for r in rows)


def test_with_tla_helper_is_proved_together_with_the_target(capsys, tmp_path):
    code, out, _ = run(capsys, "prove", "Lemma1", "--k", "1", *SMALL, "--json", "--trace", str(tmp_path),
                       "--with-tla", "\\A m \\in messages : m.mtype = UpdateSyncRequest => m.msync <= m.mterm")
    rows = {r["invariant"]: r for r in map(json.loads, out.splitlines())}
    assert code == 0 and rows["Lemma1"]["verdict"] == "proved" and rows["Lemma1"]["together_with"] == ["TLA1"]


def test_simulate_without_violation_reports_walks_and_rate(capsys, tmp_path):
    code, out, _ = run(capsys, "simulate", "Lemma1", *SMALL, "--steps", "3000", "--length", "10", "--seed", "4",
                       "--workers", "1", "--json", "--trace", str(tmp_path))
    row = json.loads(out)
    assert code == 0 and row["strategy"] == "guided" and row["steps"] >= 3000 and row["walks"] > 0
    assert row["refuted"] == [] and row["steps_per_second"] > 0 and row["distinct_states"] > 1


def test_simulate_rejects_an_unknown_weighted_action(capsys):
    code, _, err = run(capsys, "simulate", "--weight", "Timeot=3")
    assert code == 2 and "did you mean Timeout?" in err


def test_every_counterexample_is_replayed_and_a_bogus_one_is_an_internal_error():
    from dataclasses import replace

    from smtspec.commands.verify import check_counterexamples
    from smtspec.encodings.parallel_raft import SPEC
    from smtspec.engine import bmc
    from smtspec.proofs import with_invariants
    from smtspec.tla import tla_invariant

    scope = SPEC.scope({"servers": 2, "terms": 2, "indexes": 2, "values": 1})
    system = SPEC.build(scope)
    system = with_invariants(system, (tla_invariant(system, "\\A i \\in Server : currentTerm[i] = 0", "NoTimeout"),))
    r = bmc(system, ["NoTimeout"], 3)["NoTimeout"]
    assert r.trace.length == 1 and r.trace.steps[0].action in ("Timeout",)
    assert check_counterexamples(SPEC, scope, [r], system) == []
    bogus = replace(r, trace=replace(r.trace, states=(r.trace.states[1], r.trace.states[1])))
    assert len(check_counterexamples(SPEC, scope, [bogus], system)) == 1


def test_bmc_budget_gives_unknown_with_the_depth_covered(capsys, tmp_path):
    code, out, _ = run(capsys, "bmc", "Lemma3", "--depth", "30", "--budget", "1", "--json", "--trace", str(tmp_path))
    d = json.loads(out.splitlines()[0])
    assert code == 3 and d["verdict"] == "unknown" and d["covered_depth"] == d["depth"] - 1
    assert any("symmetry of Server" in r for r in d["reductions"])
    assert any(r.startswith("cone of influence: elections, allLogs, allEntries, allSynced frozen") for r in d["reductions"])


def test_bmc_reductions_can_be_switched_off(capsys, tmp_path):
    code, out, _ = run(capsys, "bmc", "Lemma1", "--depth", "2", *SMALL, "--no-cone", "--no-symmetry", "--json",
                       "--trace", str(tmp_path))
    assert code == 0 and json.loads(out.splitlines()[0])["reductions"] == []


def test_report_refuses_an_unreadable_depths_file(capsys, tmp_path):
    bad = tmp_path / "d.json"
    bad.write_text("{not json")
    code, _, err = run(capsys, "report", "--depths", str(bad))
    assert code == 2 and err.count("\n") == 1 and "--depths" in err


def test_replay_of_another_tools_trace_without_action_labels_finds_the_actions(capsys, tmp_path):
    """The recorded Lemma9 behaviour with smtspec's #meta and every action label removed, as
    TLC, Apalache or Quint might write it: replay needs --spec and finds each step's action."""
    doc = json.loads((Path(__file__).resolve().parent.parent / "proofs/parallel-raft/Lemma9.cex.itf.json").read_text())
    foreign = tmp_path / "foreign.itf.json"
    foreign.write_text(json.dumps({"vars": doc["vars"], "states": [
        {k: v for k, v in st.items() if k != "#meta"} for st in doc["states"]]}))
    code, _, err = run(capsys, "replay", str(foreign))
    assert code == 2 and "replay --spec" in err and len(err.strip().splitlines()) == 1
    code, out, _ = run(capsys, "replay", str(foreign), "--spec", "parallel-raft", "--servers", "2", "--terms", "2",
                       "--indexes", "1", "--values", "1", "--json")
    row = json.loads(out)
    assert code == 0 and row["ok"] and row["labelled_steps"] == list(range(1, len(doc["states"])))
    assert row["actions"] == [st["#meta"]["action"] for st in doc["states"][1:]]
    assert row["last_state"]["Lemma9"] is False and row["last_state"]["Lemma1"] is True
