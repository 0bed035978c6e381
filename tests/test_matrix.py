"""The obligation matrix of 1-induction (smtspec.matrix, the `prove --matrix` command).

The promise: every Init cell and every action × invariant cell holds exactly when
``engine.prove(k=1)`` proves the whole set (the step query is the disjunction of the cells).
"""

from __future__ import annotations

from proof_texts import LEMMA1_PROOF

from pathlib import Path

import pytest
from rich.console import Console

from smtspec import engine, proofs
from smtspec.commands.matrix import MatrixOptions, run
from smtspec.encodings.parallel_raft import SPEC
from smtspec.evaluate import evaluators
from smtspec.matrix import INIT, obligations
from smtspec.render_matrix import matrix_table
from smtspec.replay import replay
from smtspec.verdict import Verdict

TINY = {"servers": 2, "terms": 2, "indexes": 2, "values": 1, "capacity": 2}
FALSE_IN_INIT = """
[[helpers]]
name = "NoServerAtTermOne"
excludes = "(false on purpose, already in Init) every state"
python = "odd:nothing"
"""


@pytest.fixture(scope="module")
def tiny():
    return SPEC.build(SPEC.scope(TINY))


def _with_proof(tmp_path: Path, text: str):
    f = tmp_path / "Lemma1.toml"
    f.write_text(text)
    (tmp_path / "odd.py").write_text("import z3\ndef nothing(v, s):\n    return z3.BoolVal(False)\n")
    proof = proofs.load(f)
    system = SPEC.build(SPEC.scope(TINY))
    system = proofs.with_invariants(system, proofs.helper_invariants(proof.helpers, system, tmp_path))
    return system, proofs.proof_names(proof)


def _agree(system, names):
    m = obligations(system, names)
    res = engine.prove(system, names, 1, opts=engine.Options(capacity_check=False))
    proved = all(r.verdict is Verdict.PROVED for r in res.values())
    assert m.all_hold == proved, ([(c.invariant, c.action, c.verdict) for c in m.rows if c.verdict != "holds"],
                                  {n: r.verdict for n, r in res.items()})
    # the Init column is the base case, invariant by invariant
    for n in names:
        base_ok = m.cell(n, INIT).verdict == "holds"
        assert base_ok == (res[n].verdict is not Verdict.REFUTED)
    return m, res


def test_matrix_all_holds_for_a_proof_that_holds(tmp_path):
    system, names = _with_proof(tmp_path, LEMMA1_PROOF)
    m, _ = _agree(system, names)
    assert m.all_hold
    assert len(m.rows) == len(names) * (1 + len(system.next_actions))
    assert m.columns == (INIT, *(a.name for a in system.next_actions))
    assert m.capacity == TINY["capacity"]


def test_matrix_all_holds_for_typesafety_alone(tiny):
    m, _ = _agree(tiny, ["TypeSafety"])
    assert m.all_hold


def test_matrix_names_the_action_that_breaks_lemma1_alone_and_its_cti_replays(tiny):
    m, res = _agree(tiny, ["Lemma1"])
    assert not m.all_hold and res["Lemma1"].verdict is Verdict.UNKNOWN
    failing = [c for c in m.rows if c.verdict == "fails"]
    assert failing and all(c.action != INIT for c in failing)
    interp = SPEC.interpreter()
    for c in failing:
        tr = c.trace
        assert tr is not None and tr.kind == "cti" and tr.violated == ("Lemma1",)
        assert [s.action for s in tr.steps] == [c.action]
        rep = replay(tr, interp, SPEC.scope(TINY), evaluators(tiny, set(tr.invariants) - set(interp.INVARIANTS)))
        assert rep.ok, rep.problems
    # the engine's own CTI is by one of the actions the matrix marks
    assert res["Lemma1"].trace.steps[0].action in {c.action for c in failing}


def test_a_helper_false_in_init_fails_its_init_cell_as_the_base_case_does(tmp_path):
    system, names = _with_proof(tmp_path, LEMMA1_PROOF + FALSE_IN_INIT)
    m, res = _agree(system, names)
    assert m.cell("NoServerAtTermOne", INIT).verdict == "fails"
    assert res["NoServerAtTermOne"].verdict is Verdict.REFUTED
    # assuming a false invariant, every step obligation holds vacuously: only the Init cell tells
    assert all(c.verdict == "holds" for c in m.rows if c.action != INIT)


def test_command_report_json_traces_and_table(tmp_path):
    rep = run(MatrixOptions(names=("Lemma1",), spec="parallel-raft", scope=TINY, trace_dir=tmp_path / "traces"))
    rows = rep.to_json()
    assert rows and all({"schema", "spec", "invariant", "action", "verdict", "seconds", "trace"} <= set(r) for r in rows)
    assert rows[0]["schema"] == 1 and rows[0]["action"] == "Init" and rows[0]["spec"] == "parallel-raft"
    bad = [r for r in rows if r["verdict"] == "fails"]
    assert bad and all(r["trace"] and Path(r["trace"]).is_file() for r in bad)
    assert all(r["trace"] is None for r in rows if r["verdict"] == "holds")
    assert rep.exit_code() == 3
    console = Console(record=True, width=400)
    matrix_table(console, rep)
    out = console.export_text()
    assert "✓" in out and "✗" in out and "breaks Lemma1" in out
    assert "HandleUpdateSyncRequest" in out.splitlines()[1]  # wide: the actions' full names head the columns
    for width in (100, 60):  # narrower: abbreviated heads with a legend, then the table transposed
        console = Console(record=True, width=width)
        matrix_table(console, rep)
        out = console.export_text()
        assert "✗" in out and "HandleUpdateSyncRequest" in out and max(map(len, out.splitlines()[:20])) <= width

    (tmp_path / "Lemma1.toml").write_text(LEMMA1_PROOF)
    rep = run(MatrixOptions(names=("Lemma1",), spec="parallel-raft", scope=TINY, with_files=(tmp_path / "Lemma1.toml",),
                            trace_dir=None))
    assert rep.exit_code() == 0 and rep.matrix.all_hold
    assert {r["invariant"] for r in rep.to_json()} == {"Lemma1", "UpdateSyncRequest_msync_AtMost_mterm"}


def test_matrix_honours_the_per_query_timeout(tiny):
    m = obligations(tiny, ["Lemma1"], engine.Options(timeout=0.001))
    assert {c.verdict for c in m.rows} <= {"holds", "fails", "unknown"}
    assert all(c.reason for c in m.rows if c.verdict == "unknown")


def test_the_matrix_is_of_1_induction_only():
    from smtspec.errors import UsageError

    with pytest.raises(UsageError, match="--k 1"):
        run(MatrixOptions(names=("Lemma1",), spec="parallel-raft", scope=TINY, trace_dir=None, k=2))
