"""`smtspec check` and recorded refutations.

A recorded refutation is evidence re-checked on every use: it replays with the concrete
interpreter, its steps are lifted to a larger scope only when they are a behaviour there,
a tampered file is reported as changed, and `prove` and `check` consult it.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from smtspec import recorded
from smtspec import trace as traces
from smtspec.cli import main
from smtspec.encodings.parallel_raft import SPEC
from smtspec.encodings.parallel_raft import interpreter as interp
from smtspec.values import Rec

ROOT = Path(__file__).resolve().parents[1]
RECORDED = ROOT / "proofs" / "parallel-raft"


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def recorded_files():
    return sorted(RECORDED.glob(f"*{recorded.SUFFIX}"))


@pytest.mark.parametrize("path", recorded_files(), ids=lambda p: p.name)
def test_every_recorded_refutation_replays_and_violates_its_invariant(path):
    c = recorded.check(path)
    assert c.ok, c.problems
    assert c.trace.kind == "counterexample" and c.trace.states[0] == interp.initial_state(c.scope)
    assert not interp.INVARIANTS[c.invariant](c.trace.states[-1], c.scope)
    # and no earlier state violates it: the trace is cut at its first violation
    assert all(interp.INVARIANTS[c.invariant](s, c.scope) for s in c.trace.states[:-1])


def _one_recorded():
    files = recorded_files()
    if not files:
        pytest.skip("no recorded refutation in proofs/")
    return files[0]


def test_a_tampered_recorded_refutation_is_reported_as_changed(tmp_path, capsys):
    src = _one_recorded()
    doc = json.loads(src.read_text())
    # drop one step in the middle: the next state is no longer a successor
    del doc["states"][len(doc["states"]) // 2]
    bad = tmp_path / src.name
    bad.write_text(json.dumps(doc))
    c = recorded.check(bad)
    assert not c.ok and c.problems
    code, out, _ = run(capsys, "check-proofs", str(bad))
    assert code == 1 and "CHANGED" in out


def test_check_proofs_replays_the_recorded_refutations(capsys):
    src = _one_recorded()
    code, out, _ = run(capsys, "check-proofs", str(src), "--json")
    row = json.loads(out.splitlines()[0])
    assert code == 0 and row["ok"] and row["verdict"] == "refuted" and row["replayed"]


def test_lifting_replays_the_steps_at_a_larger_scope_and_refuses_a_smaller_one():
    c = recorded.check(_one_recorded())
    bigger = c.scope.replace(terms=c.scope.terms + 1, values=c.scope.values + 1)
    lifted = recorded.lift(interp, bigger, c.trace.steps, c.invariant)
    assert lifted is not None and len(lifted.states) == c.length + 1
    assert lifted.states[0] == interp.initial_state(bigger)
    fewer = c.scope.replace(servers=1)
    assert recorded.lift(interp, fewer, c.trace.steps, c.invariant) is None


def test_check_settles_a_recorded_refutation_and_exits_one(capsys, tmp_path):
    src = _one_recorded()
    c = recorded.check(src)
    proofs_dir = tmp_path / "proofs"
    (proofs_dir / "parallel-raft").mkdir(parents=True)
    shutil.copy(src, proofs_dir / "parallel-raft" / src.name)
    sc = c.scope.as_dict()
    code, out, _ = run(capsys, "check", c.invariant, "--budget", "3", "--workers", "1", "--no-bmc", "--json",
                       "--proofs", str(proofs_dir), "--trace", str(tmp_path / "traces"),
                       *[x for k, v in sc.items() if k != "capacity" for x in (f"--{k}", str(v))])
    row = json.loads(out.splitlines()[0])
    assert code == 1 and row["verdict"] == "refuted" and row["method"] == "recorded-counterexample"
    assert row["length"] == c.length and row["scope"]["terms"] == c.scope.terms


def test_check_reports_coverage_for_what_it_cannot_settle(capsys, tmp_path):
    code, out, _ = run(capsys, "check", "Lemma1", "--servers", "2", "--terms", "1", "--indexes", "1", "--values", "1",
                       "--budget", "8", "--workers", "1", "--no-small-scopes", "--json",
                       "--proofs", str(tmp_path), "--trace", str(tmp_path / "t"))
    row = json.loads(out.splitlines()[0])
    assert row["verdict"] in ("proved", "unknown")
    if row["verdict"] == "unknown":
        assert code == 3 and row["covered"]["steps_simulated"] > 0
    else:
        assert code == 0 and row["method"] == "k-induction"


def test_prove_says_a_recorded_refutation_refutes_the_lemma(capsys, tmp_path, monkeypatch):
    src = _one_recorded()
    c = recorded.check(src)
    (tmp_path / "proofs" / "parallel-raft").mkdir(parents=True)
    shutil.copy(src, tmp_path / "proofs" / "parallel-raft" / src.name)
    monkeypatch.chdir(tmp_path)
    sc = c.scope.as_dict()
    code, out, _ = run(capsys, "prove", c.invariant, "--k", "1", "--trace", str(tmp_path / "t"),
                       *[x for k, v in sc.items() if k != "capacity" for x in (f"--{k}", str(v))])
    assert code == 1 and "refuted" in out and "recorded behaviour" in out and "replayed just now" in out
