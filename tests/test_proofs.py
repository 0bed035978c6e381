"""Proof files, Houdini strengthening, and check-proofs.

The central promise: a target is reported proved only when the target *and* its helpers
are k-inductive together; removing a helper that a proof needs makes check-proofs fail.
"""

from __future__ import annotations

from proof_texts import LEMMA1_PROOF

from pathlib import Path

import pytest

from smtspec import engine, proofs
from smtspec.cli import main
from smtspec.encodings.parallel_raft import SPEC
from smtspec.strengthen import Candidate, strengthen, template_pool
from smtspec.verdict import Verdict

TINY = {"servers": 2, "terms": 2, "indexes": 2, "values": 1, "capacity": 2}
ROOT_PROOFS = Path(__file__).resolve().parent.parent / "proofs" / "parallel-raft"


def write(tmp_path: Path, text: str, name: str = "Lemma1.toml") -> Path:
    p = tmp_path / name
    p.write_text(text)
    return p


def test_proof_file_round_trips_through_dump_and_load(tmp_path):
    proof = proofs.load(write(tmp_path, LEMMA1_PROOF))
    again = proofs.load(write(tmp_path, proofs.dump(proof), "again.toml"))
    assert again == proof
    assert proof.helpers[0].args == (("kind", "UpdateSyncRequest"), ("left", "msync"), ("op", "<="), ("right", "mterm"))


def test_check_proofs_passes_on_a_proof_that_holds(tmp_path, capsys):
    write(tmp_path, LEMMA1_PROOF)
    assert main(["check-proofs", str(tmp_path)]) == 0
    assert "ok" in capsys.readouterr().out


def test_check_proofs_fails_when_a_needed_helper_is_removed(tmp_path, capsys):
    without = LEMMA1_PROOF.split("[[helpers]]")[0]
    write(tmp_path, without)
    assert main(["check-proofs", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "CHANGED" in out and "Lemma1 unknown (expected proved" in out


def test_a_false_helper_never_makes_the_target_proved(tmp_path):
    text = LEMMA1_PROOF + """
[[helpers]]
name = "AllSyncsZero"
excludes = "(false on purpose) any server whose sync is not 0"
python = "bad_helpers:all_syncs_zero"
"""
    (tmp_path / "bad_helpers.py").write_text(
        "import z3\n"
        "def all_syncs_zero(v, s):\n"
        "    return z3.And([x == 0 for x in v.sync])\n"
    )
    proof = proofs.load(write(tmp_path, text.replace('[[helpers]]\nname = "UpdateSync', '[[ignored]]\nname = "UpdateSync', 1)))
    # the real helper is gone; only the false one is left
    assert [h.name for h in proof.helpers] == ["AllSyncsZero"]
    _system, res = proofs.run(proof, SPEC.build, SPEC.scope(TINY), engine.Options())
    assert res["AllSyncsZero"].verdict is not Verdict.PROVED
    assert res["Lemma1"].verdict is not Verdict.PROVED


@pytest.mark.parametrize(
    "text,needle",
    [
        ('spec = 1\ntarget = "Lemma1"\nk = 1\nexpect = "proved"', "'spec' must be a str"),
        ('target = "Lemma1"\nk = 1\nexpect = "proved"', "missing 'spec'"),
        ('spec = "parallel-raft"\ntarget = "Lemma1"\nk = 1\nexpect = "maybe"', "'expect' must be one of"),
        ('spec = "parallel-raft"\ntarget = "Lemma1"\nk = 1\nexpect = "proved"\n[[helpers]]\nname = "x"', "needs 'name' and 'excludes'"),
        ("this is [not toml", "not valid TOML"),
    ],
)
def test_malformed_proof_files_are_refused_with_a_reason(tmp_path, text, needle):
    with pytest.raises(proofs.ProofError, match=needle):
        proofs.load(write(tmp_path, text))


def test_check_proofs_reports_a_bad_file_in_one_line(tmp_path, capsys):
    write(tmp_path, 'spec = "parallel-raft"\ntarget = "Lemma99"\nk = 1\nexpect = "proved"')
    assert main(["check-proofs", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "Lemma99 is not an invariant" in err and len(err.strip().splitlines()) == 1


def test_houdini_finds_the_helper_lemma1_needs_and_shrinks_to_it():
    system = SPEC.build(SPEC.scope(TINY))
    wanted = "UpdateSyncRequest_msync_AtMost_mterm"
    pool = [c for c in template_pool(system) if c.template in ("msg_cmp", "server_cmp")]
    assert any(c.invariant.name == wanted for c in pool)
    _ext, rep = strengthen(system, ["Lemma1"], pool, k=1, filter_depth=3)
    o = rep.outcomes["Lemma1"]
    assert o.survived and o.final.verdict is Verdict.PROVED
    assert o.kept == [wanted]
    assert len(rep.refuted_by_bmc) > 0 and len(rep.dropped_by_houdini) > 0


def test_strengthen_reports_a_target_no_pool_member_can_save():
    system = SPEC.build(SPEC.scope(TINY))
    pool = [c for c in template_pool(system) if c.template == "server_cmp"]
    _ext, rep = strengthen(system, ["Lemma1"], pool, k=1, filter_depth=2)
    assert rep.outcomes["Lemma1"].survived is False and rep.outcomes["Lemma1"].final is None


def test_candidate_pool_of_a_spec_has_unique_readable_names():
    pool = template_pool(SPEC.build(SPEC.scope(TINY)))
    names = [c.invariant.name for c in pool]
    assert len(names) == len(set(names)) and all(n.isidentifier() for n in names)
    assert isinstance(pool[0], Candidate)


def test_capacity_check_flags_a_proof_that_depends_on_the_capacity_bound(tmp_path):
    """Lemma3 with only its voters' messages as helper is 'proved' at capacity 3 because a CTI
    needs four vote responses; the re-check at capacity 4 must say so."""
    text = (ROOT_PROOFS / "Lemma3.toml").read_text()
    head, *helpers = text.split("[[helpers]]")
    keep = [h for h in helpers if "HalfElectionVotesWereSent" in h or "TypeSafety" in h or "mterm" in h]
    path = tmp_path / "Lemma3.toml"
    path.write_text(head.replace("capacity = 4", "capacity = 3") + "".join("[[helpers]]" + h for h in keep))
    (tmp_path / "helpers.py").write_text((ROOT_PROOFS / "helpers.py").read_text())
    proof = proofs.load(path)
    _s, res = proofs.run(proof, SPEC.build, SPEC.scope(dict(proof.scope)), engine.Options())
    assert res["Lemma3"].verdict is Verdict.PROVED
    assert res["Lemma3"].capacity_note.startswith("NOT 1-inductive with capacity 4")


def test_removing_a_needed_hand_written_helper_breaks_the_lemma3_proof(tmp_path, capsys):
    text = (ROOT_PROOFS / "Lemma3.toml").read_text()
    head, *helpers = text.split("[[helpers]]")
    (tmp_path / "helpers.py").write_text((ROOT_PROOFS / "helpers.py").read_text())
    (tmp_path / "Lemma3.toml").write_text(head + "".join("[[helpers]]" + h for h in helpers if "VotesAreUnique" not in h))
    assert main(["check-proofs", str(tmp_path)]) == 1
    assert "CHANGED" in capsys.readouterr().out


def test_a_proof_file_with_newlines_and_quotes_in_its_strings_reads_back_the_same(tmp_path):
    from smtspec import proofs

    helper = proofs.Helper(name="H", excludes='a "quoted"\nand multi-line\\reading', tla="\\A i \\in Server :\n  TRUE")
    proof = proofs.Proof(spec="parallel-raft", target="Lemma1", k=1, expect="proved", scope=(("servers", 2),),
                         helpers=(helper,), note="line one\nline two \"x\"")
    f = tmp_path / "p.toml"
    proofs.save(proof, f)
    back = proofs.load(f)
    assert back.helpers == proof.helpers and back.note == proof.note and back.scope == proof.scope
