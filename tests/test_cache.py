"""The answer cache (smtspec.cache) and its hook in solving.Solver.

Soundness: a hit only ever answers ``unsat``, and only for byte-identical query text with
the same Z3 version and solver options; sat and unknown are never kept.
"""

from __future__ import annotations

from proof_texts import LEMMA1_PROOF

import json

import z3

from smtspec import engine
from smtspec.cache import Cache, default_dir
from smtspec.commands.matrix import MatrixOptions, run
from smtspec.encodings.parallel_raft import SPEC
from smtspec.solving import Solver, caching
from smtspec.verdict import Verdict

TINY = {"servers": 2, "terms": 2, "indexes": 2, "values": 1, "capacity": 2}


def _unsat_query(s: Solver) -> None:
    x = z3.BitVec("x", 8)
    s.add(z3.ULT(x, 3), z3.UGT(x, 5))


def test_only_unsat_answers_are_kept_and_a_hit_is_the_same_query(tmp_path):
    cache = Cache(tmp_path)
    s = Solver(cache=cache)
    _unsat_query(s)
    a = s.check()
    assert a.status == "unsat" and not a.cached and cache.counts() == {"hits": 0, "misses": 1, "stores": 1}
    again = Solver(cache=cache)
    _unsat_query(again)
    b = again.check()
    assert b.status == "unsat" and b.cached and again.queries == 0 and again.last_key == s.last_key
    # a sat query is solved every time, never stored
    sat = Solver(cache=cache)
    sat.add(z3.ULT(z3.BitVec("x", 8), 3))
    for _ in range(2):
        assert sat.check().status == "sat" and sat.model() is not None
    assert cache.stores == 1 and sat.queries == 2
    cache.store("0" * 64, _opts(), "unknown")
    cache.store("1" * 64, _opts(), "sat")
    assert cache.stores == 1 and len(list(tmp_path.rglob("*.json"))) == 1


def _opts():
    from smtspec.cache import SolverOptions

    return SolverOptions("QF_BV", 0, None)


def test_another_seed_timeout_or_text_is_a_miss(tmp_path):
    cache = Cache(tmp_path)
    s = Solver(cache=cache)
    _unsat_query(s)
    s.check()
    for other in (Solver(seed=1, cache=cache), Solver(timeout=5, cache=cache)):
        _unsat_query(other)
        assert not other.check().cached
    changed = Solver(cache=cache)
    x = z3.BitVec("x", 8)
    changed.add(z3.ULT(x, 3), z3.UGT(x, 6))  # one constant differs
    assert not changed.check().cached
    assert cache.hits == 0


def test_a_damaged_or_foreign_entry_is_a_miss(tmp_path):
    cache = Cache(tmp_path)
    s = Solver(cache=cache)
    _unsat_query(s)
    s.check()
    (entry,) = tmp_path.rglob("*.json")
    for text in ("{not json", json.dumps({"key": "x" * 64, "status": "unsat"}), ""):
        entry.write_text(text)
        t = Solver(cache=cache)
        _unsat_query(t)
        assert not t.check().cached and t.queries == 1
        assert t.check().status == "unsat"  # solved again, and the entry rewritten whole
        assert json.loads(entry.read_text())["status"] == "unsat"


def test_a_query_declaring_one_name_twice_is_never_cached(tmp_path):
    cache = Cache(tmp_path)
    s = Solver(cache=cache)
    s.add(z3.Bool("x"), z3.Not(z3.Bool("x")), z3.BitVec("x", 8) == 1)
    assert s.check().status == "unsat" and s.last_key is None
    assert cache.counts() == {"hits": 0, "misses": 0, "stores": 0}


def test_assumptions_are_part_of_the_key_and_a_cached_core_is_real(tmp_path):
    cache = Cache(tmp_path)
    a, b, c = z3.Bools("a b c")
    for n in range(2):
        s = Solver(cache=cache)
        s.add(z3.Implies(a, z3.Not(b)))
        ans = s.check(a, b, c)
        assert ans.status == "unsat" and ans.cached == (n == 1)
        assert set(map(str, s.unsat_core())) == {"a", "b"}
    s = Solver(cache=cache)
    s.add(z3.Implies(a, z3.Not(b)))
    assert s.check(a, c).status == "sat"


def test_the_folder_is_the_users_never_the_repository(monkeypatch, tmp_path):
    monkeypatch.delenv("SMTSPEC_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert default_dir() == tmp_path / "xdg" / "smtspec"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert default_dir() == tmp_path / "home" / ".cache" / "smtspec"
    monkeypatch.setenv("SMTSPEC_CACHE_DIR", str(tmp_path / "mine"))
    assert default_dir() == tmp_path / "mine"
    assert Solver().cache is None  # off by default


def test_prove_inside_caching_gives_the_same_verdicts_from_the_cache(tmp_path):
    system = SPEC.build(SPEC.scope(TINY))
    cache = Cache(tmp_path)
    first = engine.prove(system, ["TypeSafety", "Lemma1"], 1)
    with caching(cache):
        second = engine.prove(system, ["TypeSafety", "Lemma1"], 1)
        hits = cache.hits
        third = engine.prove(system, ["TypeSafety", "Lemma1"], 1)
    assert hits == 0 and cache.hits > 0
    for n in first:
        assert first[n].verdict == second[n].verdict == third[n].verdict
    assert first["TypeSafety"].verdict is Verdict.PROVED and first["Lemma1"].verdict is Verdict.UNKNOWN
    assert third["Lemma1"].trace is not None  # a CTI needs the model: solved again


PROOF = LEMMA1_PROOF + """[[helpers]]
name = "SyncIsABitVector"
excludes = "nothing (a tautology, written two ways)"
python = "extra:sync_bound"
"""


def test_a_rerun_solves_only_the_queries_whose_text_changed(tmp_path):
    """No change: every obligation from the cache. One helper changed: exactly the cells whose
    query text differs are solved: its own Init cell and every action cell (each assumes the
    whole set), while the Init cells of the other invariants are hits."""
    (tmp_path / "Lemma1.toml").write_text(PROOF)
    helper = tmp_path / "extra.py"
    helper.write_text("import z3\ndef sync_bound(v, s):\n    return z3.And([z3.ULE(0, x) for x in v.sync])\n")
    opts = MatrixOptions(names=("Lemma1",), spec="parallel-raft", scope=TINY, with_files=(tmp_path / "Lemma1.toml",),
                         trace_dir=None, cache=True, cache_dir=tmp_path / "cache")
    one = run(opts)
    cells = len(one.rows)
    assert one.matrix.all_hold and one.cache_counts == {"hits": 0, "misses": cells, "stores": cells}
    keys = {(c.invariant, c.action): c.key for c in one.rows}
    assert None not in keys.values() and len(set(keys.values())) == cells

    two = run(opts)
    assert two.cache_counts == {"hits": cells, "misses": 0, "stores": 0}
    assert all(c.cached for c in two.rows) and two.matrix.all_hold

    helper.write_text("import z3\ndef sync_bound(v, s):\n    return z3.And([z3.ULE(x, 255) for x in v.sync])\n")
    three = run(opts)
    assert three.matrix.all_hold
    changed = [c for c in three.rows if c.key not in set(keys.values())]
    assert three.cache_counts["misses"] == len(changed) and three.cache_counts["hits"] == cells - len(changed)
    n_actions = len(three.matrix.actions)
    assert {(c.invariant, c.action) for c in three.rows if c.cached} == {
        ("Lemma1", "Init"), ("UpdateSyncRequest_msync_AtMost_mterm", "Init")}
    assert len(changed) == 1 + 3 * n_actions


def test_another_process_finds_the_answers_of_this_one(tmp_path):
    """Query text does not depend on what ran before in the process (term ids): a re-run in a
    fresh interpreter is all hits."""
    import subprocess
    import sys

    opts = MatrixOptions(names=("TypeSafety",), spec="parallel-raft", scope=TINY, trace_dir=None, cache=True,
                         cache_dir=tmp_path / "cache")
    first = run(opts)
    assert first.matrix.all_hold and first.cache_counts["stores"] == len(first.rows)
    code = (
        "from pathlib import Path\n"
        "from smtspec.commands.matrix import MatrixOptions, run\n"
        f"rep = run(MatrixOptions(names=('TypeSafety',), spec='parallel-raft', scope={TINY!r}, trace_dir=None,"
        f" cache=True, cache_dir=Path({str(tmp_path / 'cache')!r})))\n"
        "print(rep.cache_counts['hits'], rep.cache_counts['misses'])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == [str(len(first.rows)), "0"]


def test_check_proofs_re_checks_an_unchanged_proof_from_the_cache(tmp_path):
    """The second re-check of a proof answers its queries from the cache: the same verdict,
    and every unsat query a hit (``--no-cache`` solves them again)."""
    from pathlib import Path

    from smtspec.commands import check_proofs

    proof = Path(__file__).resolve().parent.parent / "proofs" / "parallel-raft" / "Lemma1.toml"
    folder = tmp_path / "cache"
    first = check_proofs.run(check_proofs.CheckProofsOptions(proof, cache_dir=folder))
    stored = len(list(folder.rglob("*.json")))
    second = check_proofs.run(check_proofs.CheckProofsOptions(proof, cache_dir=folder))
    uncached = check_proofs.run(check_proofs.CheckProofsOptions(proof, cache=False, cache_dir=tmp_path / "none"))
    assert [r.status for r in first.proofs] == [r.status for r in second.proofs] == [r.status for r in uncached.proofs] == ["ok"]
    assert stored > 0 and len(list(folder.rglob("*.json"))) == stored  # nothing new to store the second time
    assert second.proofs[0].result.stats.get("cache hits", 0) > 0 and not (tmp_path / "none").exists()
