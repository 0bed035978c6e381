"""Bad input, as a new user and a tester give it: every case ends in its exit code (2 for input
the tool cannot act on, 1 for a trace that does not replay as claimed), one line on stderr,
never a traceback, an ``internal error`` (exit 4), a hang or a silent 0.

Each case is (name, arguments, files it needs, expected exit code). ``{T}``, ``{P}`` ... in
the arguments are replaced by the files the case writes into its own folder.
"""

from __future__ import annotations

import copy
import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smtspec.cli import main

ROOT = Path(__file__).resolve().parent.parent
LEMMA9 = json.loads((ROOT / "proofs/parallel-raft/Lemma9.cex.itf.json").read_text())
LEMMA1_PROOF = (ROOT / "proofs/parallel-raft/Lemma1.toml").read_text()
TWO = ["--servers", "2", "--terms", "2", "--indexes", "1", "--values", "1"]
SMALL = ["--servers", "2", "--terms", "2", "--indexes", "2", "--values", "1"]


def _trace(mutate) -> str:
    doc = copy.deepcopy(LEMMA9)
    out = mutate(doc)
    return json.dumps(doc if out is None else out)


def _set(path: list, value):
    def mutate(doc):
        x = doc
        for p in path[:-1]:
            x = x[p]
        x[path[-1]] = value
    return mutate


def _drop(path: list):
    def mutate(doc):
        x = doc
        for p in path[:-1]:
            x = x[p]
        del x[path[-1]]
    return mutate


def _proof(replace: dict | None = None, append: str = "", drop: tuple = ()) -> str:
    lines = []
    for line in LEMMA1_PROOF.splitlines():
        key = line.split("=")[0].strip()
        if key in drop:
            continue
        if replace and key in replace and not line.startswith(" "):
            line = f"{key} = {replace[key]}"
        lines.append(line)
    return "\n".join(lines) + "\n" + append


def _python_proof(body: str) -> dict:
    """A Lemma1 proof with one python helper whose module is ``body``."""
    helper = '\n[[helpers]]\nname = "PyHelper"\nexcludes = "nothing"\npython = "h:helper"\n'
    return {"P.toml": _proof(append=helper), "h.py": body}


TRACE_CASES = [
    ("binary", {"T": b"\x00\xff\xfe\x01binary"}, 2),
    ("gzip", {"T": gzip.compress(json.dumps(LEMMA9).encode())}, 2),
    ("latin-1", {"T": "{\"vars\": [\"\xe9\"]}".encode("latin-1")}, 2),
    ("empty", {"T": ""}, 2),
    ("a JSON array", {"T": "[]"}, 2),
    ("an empty object", {"T": "{}"}, 2),
    ("not JSON", {"T": "{not json"}, 2),
    ("trailing garbage", {"T": json.dumps(LEMMA9) + " xyz"}, 2),
    ("deep nesting", {"T": "[" * 100_000 + "]" * 100_000}, 2),
    ("vars an int", {"T": _trace(_set(["vars"], 3))}, 2),
    ("states an int", {"T": _trace(_set(["states"], 3))}, 2),
    ("a state an int", {"T": _trace(_set(["states", 1], 7))}, 2),
    ("a state's #meta an int", {"T": _trace(_set(["states", 1, "#meta"], 5))}, 2),
    ("#meta an int", {"T": _trace(_set(["#meta"], 5))}, 2),
    ("meta kind bogus", {"T": _trace(_set(["#meta", "kind"], "bogus"))}, 2),
    ("meta spec unknown", {"T": _trace(_set(["#meta", "spec"], "no-such-spec"))}, 2),
    ("meta scope out of range", {"T": _trace(_set(["#meta", "scope", "servers"], 99))}, 2),
    ("meta scope an int", {"T": _trace(_set(["#meta", "scope"], 3))}, 2),
    ("unknown server", {"T": _trace(_set(["states", 2, "votedFor", "#map", 0, 1], "s9"))}, 2),
    ("a state variable missing", {"T": _trace(_drop(["states", 3, "currentTerm"]))}, 2),
    ("a bigint that is not a number", {"T": _trace(_set(["states", 1, "currentTerm", "#map", 0, 1], {"#bigint": "x"}))}, 2),
    ("a set that is not a list", {"T": _trace(_set(["states", 1, "messages"], {"#set": 3}))}, 2),
    ("a map entry that is not a pair", {"T": _trace(_set(["states", 1, "currentTerm", "#map", 0], [1]))}, 2),
    ("an unknown invariant violated", {"T": _trace(_set(["#meta", "violated"], ["NoSuchLemma"]))}, 1),
    ("a state from a larger scope", {"T": _trace(_set(["states", 1, "currentTerm", "#map"],
                                                      [["s1", {"#bigint": "0"}], ["s2", {"#bigint": "0"}],
                                                       ["s3", {"#bigint": "0"}]]))}, 2),
    # well-formed, but not what it claims: rejected traces, exit 1
    ("claims the wrong violated invariant", {"T": _trace(_set(["#meta", "violated"], ["Lemma1"]))}, 1),
    ("an action that does not exist", {"T": _trace(_set(["states", 1, "#meta", "action"], "Foo"))}, 1),
    ("a term that skips", {"T": _trace(_set(["states", 1, "currentTerm", "#map", 1, 1], {"#bigint": "2"}))}, 1),
    ("a state dropped", {"T": _trace(lambda d: d["states"].pop(5) and None)}, 1),
]

PROOF_CASES = [
    ("k = 0", {"P.toml": _proof({"k": "0"})}, 2),
    ("k = -1", {"P.toml": _proof({"k": "-1"})}, 2),
    ("k = 100000", {"P.toml": _proof({"k": "100000"})}, 2),
    ("k a string", {"P.toml": _proof({"k": '"3"'})}, 2),
    ("k a float", {"P.toml": _proof({"k": "1.5"})}, 2),
    ("simple_path a string", {"P.toml": _proof({"simple_path": '"false"'})}, 2),
    ("expect unknown word", {"P.toml": _proof({"expect": '"maybe"'})}, 2),
    ("target missing", {"P.toml": _proof(drop=("target",))}, 2),
    ("target unknown", {"P.toml": _proof({"target": '"Lemma99"'})}, 2),
    ("spec unknown", {"P.toml": _proof({"spec": '"no-such-spec"'})}, 2),
    ("scope out of range", {"P.toml": _proof({"servers": "99"})}, 2),
    ("scope unknown bound", {"P.toml": _proof(append="")
                             .replace("[scope]\n", "[scope]\nnodes = 2\n")}, 2),
    ("scope a string", {"P.toml": _proof({"servers": '"three"'})}, 2),
    ("not TOML", {"P.toml": "spec = = ="}, 2),
    ("binary", {"P.toml": b"\x00\xff\x00"}, 2),
    ("empty", {"P.toml": ""}, 2),
    ("helpers not a list", {"P.toml": "helpers = 3\n" + _proof().replace("[[helpers]]", "[[other]]")}, 2),
    ("helper without excludes", {"P.toml": _proof(append='\n[[helpers]]\nname = "X"\ntla = "TRUE"\n')}, 2),
    ("helper with two sources", {"P.toml": _proof(append='\n[[helpers]]\nname = "X"\nexcludes = "-"\ntla = "TRUE"\n'
                                                          'template = "msg_cmp"\n')}, 2),
    ("tla helper syntax error", {"P.toml": _proof(append='\n[[helpers]]\nname = "X"\nexcludes = "-"\ntla = "x +"\n')}, 2),
    ("tla helper unknown variable", {"P.toml": _proof(append='\n[[helpers]]\nname = "X"\nexcludes = "-"\n'
                                                              'tla = "\\\\A i \\\\in Server : nosuch[i] = 0"\n')}, 2),
    ("template unknown", {"P.toml": _proof(append='\n[[helpers]]\nname = "X"\nexcludes = "-"\ntemplate = "nosuch"\n')}, 2),
    ("python module missing", {"P.toml": _proof(append='\n[[helpers]]\nname = "X"\nexcludes = "-"\npython = "nosuch:f"\n')}, 2),
    ("python ref without a colon", {"P.toml": _proof(append='\n[[helpers]]\nname = "X"\nexcludes = "-"\npython = "h"\n'),
                                    "h.py": "def helper(v, s):\n    return True\n"}, 2),
    ("python helper raises", _python_proof("def helper(v, s):\n    raise RuntimeError('boom')\n"), 2),
    ("python helper returns a string", _python_proof("def helper(v, s):\n    return 'yes'\n"), 2),
    ("python helper is a class", _python_proof("class helper:\n    def __init__(self, v, s):\n        pass\n"), 2),
    ("python helper has one parameter", _python_proof("def helper(v):\n    return True\n"), 2),
    ("python helper calls sys.exit(0)", _python_proof("import sys\ndef helper(v, s):\n    sys.exit(0)\n"), 2),
    ("python module does not import", _python_proof("import no_such_module_here\n"), 2),
    ("python module has a syntax error", _python_proof("def helper(v, s)\n    return True\n"), 2),
    ("python attribute not a function", _python_proof("helper = 3\n"), 2),
]


CLI_CASES = [
    ("--timeout inf", ["bmc", "Lemma1", "--depth", "1", "--timeout", "inf", *SMALL], 2),
    ("--timeout nan", ["bmc", "Lemma1", "--depth", "1", "--timeout", "nan", *SMALL], 2),
    ("--timeout -1", ["bmc", "Lemma1", "--depth", "1", "--timeout", "-1", *SMALL], 2),
    ("--timeout 0", ["prove", "Lemma1", "--timeout", "0", *SMALL], 2),
    ("--k 0", ["prove", "Lemma1", "--k", "0"], 2),
    ("--k 61", ["prove", "Lemma1", "--k", "61"], 2),
    ("--k abc", ["prove", "Lemma1", "--k", "abc"], 2),
    ("--depth -1", ["bmc", "Lemma1", "--depth", "-1"], 2),
    ("--depth 501", ["bmc", "Lemma1", "--depth", "501"], 2),
    ("--servers 0", ["bmc", "Lemma1", "--servers", "0"], 2),
    ("--servers 99", ["bmc", "Lemma1", "--servers", "99"], 2),
    ("--servers abc", ["bmc", "Lemma1", "--servers", "abc"], 2),
    ("a bound of the other spec", ["bmc", "Lemma1", "--nodes", "2"], 2),
    ("unknown invariant", ["bmc", "Lemma99"], 2),
    ("unknown spec", ["bmc", "Lemma1", "--spec", "nosuch"], 2),
    ("empty spec name", ["bmc", "Lemma1", "--spec", ""], 2),
    ("list an empty spec name", ["list", "--spec", ""], 2),
    ("no invariant named", ["prove"], 2),
    ("unknown command", ["proove", "Lemma1"], 2),
    ("unknown flag", ["bmc", "Lemma1", "--dpeth", "3"], 2),
    ("--weight nan", ["simulate", "--weight", "Timeout=nan", "--steps", "10"], 2),
    ("--weight negative", ["simulate", "--weight", "Timeout=-1", "--steps", "10"], 2),
    ("--weight unknown action", ["simulate", "--weight", "Timeot=1", "--steps", "10"], 2),
    ("--weight without =", ["simulate", "--weight", "Timeout", "--steps", "10"], 2),
    ("every --weight zero", ["simulate", "Lemma1", *SMALL, "--steps", "10", "--workers", "1",
                             *[x for a in ("Timeout", "BecomeLeaderCandidate", "RequestVote", "HandleRequestVoteRequest",
                                           "HandleRequestVoteResponse", "BecomeLeader", "RequestSync",
                                           "HandleRequestSyncRequest", "HandleRequestSyncResponse", "UpdateSync",
                                           "HandleUpdateSyncRequest", "HandleUpdateSyncResponse", "ClientRequest",
                                           "Restart") for x in ("--weight", f"{a}=0")]], 2),
    ("--strategy foo", ["simulate", "--strategy", "foo"], 2),
    ("--steps 0", ["simulate", "--steps", "0"], 2),
    ("--length 5", ["simulate", "--length", "5"], 2),
    ("--budget 0 (bmc)", ["bmc", "Lemma1", "--budget", "0"], 2),
    ("--budget nan (bmc)", ["bmc", "Lemma1", "--budget", "nan"], 2),
    ("--budget inf (bmc)", ["bmc", "Lemma1", "--budget", "inf", "--depth", "1", *SMALL], 2),
    ("--budget -1 (check)", ["check", "Lemma1", "--budget", "-1"], 2),
    ("--budget nan (simulate)", ["simulate", "--budget", "nan"], 2),
    ("--workers 0", ["check", "Lemma1", "--workers", "0"], 2),
    ("--seed negative", ["simulate", "Lemma1", "--seed", "-1", "--steps", "10"], 2),
    ("--seed past 2^32", ["simulate", "Lemma1", "--seed", str(2**40), "--steps", "10"], 2),
    ("--with-tla syntax error", ["prove", "Lemma1", "--with-tla", "x +", *SMALL], 2),
    ("--with-tla unknown variable", ["prove", "Lemma1", "--with-tla", "nosuch = 1", *SMALL], 2),
    ("--with-tla 500 conjuncts", ["prove", "Lemma1", *SMALL, "--timeout", "20", "--no-capacity-check",
                                  "--with-tla", " /\\ ".join(["currentTerm = currentTerm"] * 500)], 2),
    ("--semantics foo", ["bmc", "Lemma1", "--semantics", "foo"], 2),
    ("--assume unknown", ["prove", "Lemma1", "--assume", "Lemma99"], 2),
    ("report --k 0", ["report", "--k", "0"], 2),
    ("report --depth -5", ["report", "--depth", "-5"], 2),
    ("coverage --depth -1", ["coverage", "--depth", "-1"], 2),
    ("check-lemmas unknown spec", ["check-lemmas", "--spec", "nosuch"], 2),
    ("check-proofs nonexistent", ["check-proofs", "no/such/folder"], 2),
    ("replay nonexistent", ["replay", "no/such/file.json"], 2),
    ("conform nonexistent", ["conform", "no/such/log.jsonl"], 2),
    ("conform of parallel-raft", ["conform", "x.jsonl", "--spec", "parallel-raft"], 2),
    ("strengthen --k 0", ["strengthen", "Lemma1", "--k", "0"], 2),
    ("strengthen --candidates nonexistent", ["strengthen", "Lemma1", "--candidates", "no/such.toml", *SMALL], 2),
]

FILE_CLI_CASES = [
    # (name, arguments with {X} placeholders, files, expected exit)
    ("replay a directory", ["replay", "{D}"], {"D/": None}, 2),
    ("check-proofs a folder without proofs", ["check-proofs", "{D}"], {"D/": None}, 2),
    ("report --proofs a file", ["report", "--proofs", "{F}", "--k", "1", "--depth", "0"], {"F": "x"}, 2),
    ("check --proofs a file", ["check", "Lemma1", "--budget", "5", "--proofs", "{F}"], {"F": "x"}, 2),
    ("report --depths a JSON array", ["report", "--depths", "{F}", "--k", "1", "--depth", "0"], {"F": "[]"}, 2),
    ("conform an empty log", ["conform", "{F}"], {"F": ""}, 2),
    ("conform a binary log", ["conform", "{F}"], {"F": b"\x00\xff\x00\x01"}, 2),
    ("conform a directory", ["conform", "{D}"], {"D/": None}, 2),
    ("--trace under a file", ["bmc", "Lemma1", "--depth", "1", *SMALL, "--trace", "{F}/sub"], {"F": "x"}, 2),
    ("--trace a read-only folder", ["simulate", "Lemma1", *SMALL, "--steps", "10", "--trace", "{R}/t"], {"R/": "ro"}, 2),
    ("strengthen --write under a file", ["strengthen", "Lemma1", *SMALL, "--write", "{F}/p"], {"F": "x"}, 2),
    ("check --update-readme without markers", ["check", "Lemma1", "--budget", "5", "--update-readme", "{F}"],
     {"F": "# readme\n"}, 2),
    ("report --update-readme without markers", ["report", "--k", "1", "--depth", "0", "--update-readme", "{F}"],
     {"F": "# readme\n"}, 2),
    ("--with a proof of another spec", ["prove", "TypeOK", "--spec", "onos-config", "--with", "{P}"],
     {"P": LEMMA1_PROOF}, 2),
    ("replay an own trace with a mismatching scope flag", ["replay", "{T}", "--servers", "3"],
     {"T": json.dumps(LEMMA9)}, 2),
]


def _materialize(tmp: Path, files: dict) -> dict[str, Path]:
    paths = {}
    for name, body in files.items():
        if name.endswith("/"):
            d = tmp / name[:-1]
            d.mkdir()
            if body == "ro":
                d.chmod(0o500)
            paths[name[:-1]] = d
            continue
        p = tmp / name
        if isinstance(body, bytes):
            p.write_bytes(body)
        else:
            p.write_text(body, encoding="utf-8")
        paths[name.split(".")[0]] = p
    return paths


def _run(capsys, argv: list[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def _assert_clean(code: int, want: int | None, out: str, err: str) -> None:
    """``want`` None: good input after all; any verdict (0, 1 or 3), never 2 or 4."""
    assert "Traceback" not in err + out and "internal error" not in err, err[-2000:]
    if want is None:
        assert code in (0, 1, 3), f"exit {code}; stderr: {err[-800:]}"
        return
    assert code == want, f"exit {code}, want {want}; stderr: {err[-800:]}"
    if want == 2:
        lines = [x for x in err.splitlines() if x.strip()]
        assert len(lines) == 1 and lines[0].startswith("smtspec: error: "), err[-800:]


@pytest.mark.parametrize("name,files,want", TRACE_CASES, ids=[c[0] for c in TRACE_CASES])
def test_a_bad_trace(capsys, tmp_path, name, files, want):
    paths = _materialize(tmp_path, files)
    code, out, err = _run(capsys, ["replay", str(paths["T"])])
    _assert_clean(code, want, out, err)


@pytest.mark.parametrize("name,files,want", PROOF_CASES, ids=[c[0] for c in PROOF_CASES])
def test_a_bad_proof_file(capsys, tmp_path, name, files, want):
    paths = _materialize(tmp_path, files)
    code, out, err = _run(capsys, ["check-proofs", str(paths["P"]), "--timeout", "30"])
    _assert_clean(code, want, out, err)


@pytest.mark.parametrize("name,argv,want", CLI_CASES, ids=[c[0] for c in CLI_CASES])
def test_a_bad_flag(capsys, tmp_path, monkeypatch, name, argv, want):
    monkeypatch.chdir(tmp_path)  # traces of any run that starts go here
    code, out, err = _run(capsys, argv)
    _assert_clean(code, want, out, err)


@pytest.mark.parametrize("name,argv,files,want", FILE_CLI_CASES, ids=[c[0] for c in FILE_CLI_CASES])
def test_a_bad_file_argument(capsys, tmp_path, monkeypatch, name, argv, files, want):
    if os.geteuid() == 0 and any(v == "ro" for v in files.values()):
        pytest.skip("root writes into read-only folders")
    monkeypatch.chdir(tmp_path)
    paths = _materialize(tmp_path, files)
    argv = [a.format(**{k: str(v) for k, v in paths.items()}) for a in argv]
    code, out, err = _run(capsys, argv)
    _assert_clean(code, want, out, err)


def test_the_corpus_has_at_least_80_cases():
    assert len(TRACE_CASES) + len(PROOF_CASES) + len(CLI_CASES) + len(FILE_CLI_CASES) >= 80


@pytest.mark.parametrize("argv", [["replay", "/dev/zero"], ["check-proofs", "{K}"]])
def test_no_hang(tmp_path, argv):
    """Input that once hung: an endless file, a proof file asking for k = 100000."""
    k = tmp_path / "K.toml"
    k.write_text(_proof({"k": "100000"}))
    argv = [a.replace("{K}", str(k)) for a in argv]
    p = subprocess.run([sys.executable, "-c", "import sys; from smtspec.cli import main; sys.exit(main())", *argv],
                       capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert p.returncode == 2 and "Traceback" not in p.stderr and len(p.stderr.strip().splitlines()) == 1


# ------------------------------------------------------------------ mutations of valid files


def _mutations():
    leaf = st.one_of(st.none(), st.booleans(), st.integers(-5, 10**6), st.text(max_size=6),
                     st.just({"#bigint": "x"}), st.just({"#set": 1}), st.just({"#map": [[1]]}), st.just([]))
    return leaf


def _paths(doc, prefix=()):
    yield prefix
    if isinstance(doc, dict):
        for k, v in doc.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(doc, list):
        for i, v in enumerate(doc[:4]):
            yield from _paths(v, prefix + (i,))


TRACE_PATHS = [p for p in _paths(LEMMA9) if p and (len(p) < 2 or p[0] != "states" or p[1] in (0, 1, 2))][:400]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(where=st.sampled_from(TRACE_PATHS), value=_mutations())
def test_a_mutated_trace_is_rejected_cleanly_or_replays(capsys, tmp_path, where, value):
    doc = copy.deepcopy(LEMMA9)
    x = doc
    for p in where[:-1]:
        x = x[p]
    x[where[-1]] = value
    f = tmp_path / "m.itf.json"
    f.write_text(json.dumps(doc))
    code, out, err = _run(capsys, ["replay", str(f)])
    assert code in (0, 1, 2) and "Traceback" not in err and "internal error" not in err, err[-1500:]
    if code == 2:
        assert len(err.strip().splitlines()) == 1


PROOF_KEYS = ["spec", "target", "k", "expect", "simple_path", "assume", "note", "servers", "terms", "capacity"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(key=st.sampled_from(PROOF_KEYS),
       value=st.one_of(st.integers(-3, 10**6), st.text(max_size=5).map(json.dumps), st.booleans().map(str).map(str.lower),
                       st.just("[]"), st.just("{}"), st.just("1.5")))
def test_a_mutated_proof_file_is_rejected_cleanly_or_checked(capsys, tmp_path, key, value):
    f = tmp_path / "m.toml"
    f.write_text(_proof({key: value}))
    code, out, err = _run(capsys, ["check-proofs", str(f), "--timeout", "5"])
    assert code in (0, 1, 2, 3) and "Traceback" not in err and "internal error" not in err, err[-1500:]
    if code == 2:
        assert len(err.strip().splitlines()) == 1


def test_every_input_error_is_a_usage_error_and_an_interruption_exits_3():
    from smtspec.errors import SmtspecError, UsageError
    from smtspec.proofs import ProofError
    from smtspec.registry import LookupFailed
    from smtspec.scope import ScopeError
    from smtspec.solving import Interrupted
    from smtspec.tla import TLAError
    from smtspec.trace import TraceError

    assert all(issubclass(c, UsageError) and c.exit_code == 2
               for c in (TraceError, LookupFailed, ScopeError, ProofError, TLAError))
    assert issubclass(Interrupted, SmtspecError) and Interrupted.exit_code == 3
