"""Every command called in process: options in, a typed report out, the JSON shape shared
across commands (``schema``, ``spec``, ``invariant``, ``verdict``, ``method``, ``scope``,
``trace``), and the exit code the command line would give."""

from __future__ import annotations

from pathlib import Path

import pytest

from smtspec.commands import check, check_proofs, conformance, listing, replaying, simulate, verify
from smtspec.errors import UsageError
from smtspec.verdict import Method, Verdict

ROOT = Path(__file__).resolve().parent.parent
PROOFS = ROOT / "proofs"
TWO = {"servers": 2, "terms": 2, "indexes": 1, "values": 1}
SMALL = {"servers": 2, "terms": 2, "indexes": 2, "values": 1}
COMMON = {"schema", "spec", "invariant", "verdict", "method", "scope", "trace"}
SAMPLE = ROOT.parent / "shared" / "oracles" / "onos-proposal-tlc-sample.jsonl.gz"


def test_list_shows_every_spec_with_the_names_its_system_declares():
    rep = listing.run(listing.ListOptions())
    rows = {r["spec"]: r for r in rep.to_json()}
    assert list(rows)[:2] == ["parallel-raft", "onos-config"] and rep.exit_code() == 0
    for info, system in rep.specs:
        assert rows[info.name]["invariants"] == [i.name for i in system.invariants] == list(info.invariant_names)
        assert rows[info.name]["schema"] == 1 and set(rows[info.name]["bounds"]) == {b.name for b in info.bounds}


def test_bmc_of_a_true_lemma_is_no_violation_with_the_common_keys(tmp_path):
    rep = verify.run(verify.VerifyOptions("bmc", ("Lemma1",), 2, scope=SMALL, trace_dir=tmp_path))
    (r,) = rep.results
    assert r.verdict is Verdict.NO_VIOLATION and r.method == Method.BMC and rep.exit_code() == 0
    (row,) = rep.to_json()
    assert COMMON | {"depth", "seconds", "cause"} <= set(row) and row["trace"] is None and row["depth"] == 2


def test_prove_reports_the_recorded_refutation_replayed_at_its_scope(tmp_path):
    rep = verify.run(verify.VerifyOptions("prove", ("Lemma9",), 1, scope=TWO, trace_dir=tmp_path, proofs_dir=PROOFS))
    (rr,) = rep.recorded
    assert rr.check.ok and rr.here and rr.check.length == 29 and rep.exit_code() == 1
    assert rep.results[0].verdict is Verdict.UNKNOWN and rep.results[0].cause is not None
    assert rep.results[0].trace_file is not None and Path(rep.results[0].trace_file).is_file()  # the CTI


def test_a_bound_out_of_range_is_refused_before_any_work():
    with pytest.raises(UsageError, match="--k must be between 1 and 60"):
        verify.run(verify.VerifyOptions("prove", ("Lemma1",), 0))
    with pytest.raises(UsageError, match="is not a bound of onos-config"):
        verify.run(verify.VerifyOptions("bmc", ("TypeOK",), 1, spec="onos-config", scope={"servers": 2}))


def test_check_proofs_replays_a_recorded_refutation_and_rechecks_a_proof():
    rep = check_proofs.run(check_proofs.CheckProofsOptions(PROOFS / "parallel-raft" / "Lemma9.cex.itf.json"))
    assert [r.ok for r in rep.refutations] == [True] and rep.proofs == [] and rep.exit_code() == 0
    rep = check_proofs.run(check_proofs.CheckProofsOptions(PROOFS / "parallel-raft" / "Lemma1.toml"))
    (p,) = rep.proofs
    assert p.ok and p.result.verdict is Verdict.PROVED and COMMON <= set(p.to_json())


def test_replay_of_a_recorded_counterexample_says_which_invariant_fails_last():
    rep = replaying.run(replaying.ReplayOptions(PROOFS / "parallel-raft" / "Lemma11.cex.itf.json"))
    assert rep.replay.ok and rep.replay.final_values["Lemma11"] is False and rep.exit_code() == 0


def test_simulate_finds_lemma9_at_two_servers_and_writes_its_replayed_trace(tmp_path):
    rep = simulate.run(simulate.SimulateOptions(("Lemma9",), steps=120_000, seed=0, max_length=80, scope=TWO,
                                                trace_dir=tmp_path))
    (r,) = rep.refutations
    assert r.invariant == "Lemma9" and Path(r.trace.extra["file"]).is_file() and rep.exit_code() == 1
    j = rep.to_json()
    assert j["method"] == "guided-simulation" and j["refuted"][0]["trace"] == r.trace.extra["file"]


def test_check_settles_from_the_recorded_evidence(tmp_path):
    rep = check.run(check.CheckOptions(("Lemma1", "Lemma9"), budget=30, workers=1, proofs_dir=PROOFS, scope=TWO,
                                       trace_dir=tmp_path, small_scopes=False, bmc=False))
    assert rep.rows["Lemma1"].verdict is Verdict.PROVED and rep.rows["Lemma1"].method == Method.RECORDED_PROOF
    assert rep.rows["Lemma9"].verdict is Verdict.REFUTED and rep.rows["Lemma9"].method == Method.RECORDED_COUNTEREXAMPLE
    assert rep.exit_code() == 1 and all(COMMON | {"seconds", "length", "covered"} <= set(r) for r in rep.to_json())


@pytest.mark.skipif(not SAMPLE.is_file(), reason="the TLC sample of ../shared/oracles is not beside the checkout")
def test_conform_accepts_every_line_of_tlcs_sample_log():
    rep = conformance.run(conformance.ConformOptions(SAMPLE))
    assert rep.spec == "onos-config" and rep.summary.ok and rep.summary.rejected == 0 and rep.exit_code() == 0


def test_a_trace_that_cannot_be_written_keeps_the_verdict(tmp_path, monkeypatch, capsys):
    """A disk that fills up after the run: the verdict is still reported, the missing file
    named on stderr, exit 2."""
    from smtspec import trace as traces
    from smtspec.cli import main

    def full_disk(tr, path):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(traces, "write", full_disk)
    code = main(["prove", "Lemma1", *sum((["--" + k, str(v)] for k, v in SMALL.items()), []), "--json",
                 "--trace", str(tmp_path)])
    out, err = capsys.readouterr()
    row = __import__("json").loads(out.splitlines()[0])
    assert code == 2 and row["verdict"] == "unknown" and row["trace"] is None
    assert err.strip().splitlines() == [f"smtspec: error: cannot write {tmp_path}/Lemma1.cti.itf.json: "
                                        "No space left on device (the verdict above stands)"]
