"""The proofs recorded under proofs/ still hold (this is `smtspec check-proofs proofs`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from smtspec import engine, proofs, registry

ROOT = Path(__file__).resolve().parent.parent / "proofs"
FILES = proofs.find(ROOT) if ROOT.is_dir() else []


def test_there_are_recorded_proofs():
    assert FILES, "proofs/ holds no proof files"


@pytest.mark.parametrize("path", FILES, ids=[f"{p.parent.name}/{p.stem}" for p in FILES])
def test_recorded_proof_gives_its_recorded_verdict(path):
    proof = proofs.load(path)
    info = registry.get(proof.spec)
    _system, res = proofs.run(proof, info.build, info.scope(dict(proof.scope)), engine.Options())
    assert res[proof.target].verdict.value == proof.expect
    if proof.expect == "proved":
        # every helper is proved with it: nothing was dropped on the way
        assert all(res[n].verdict.value == "proved" for n in proofs.proof_names(proof))
