"""Recorded proofs: a target invariant, the helper invariants that make it inductive, k, scope.

A proof file is TOML (``proofs/<spec>/<Target>.toml``)::

    spec = "parallel-raft"
    target = "Lemma1"
    k = 1
    expect = "proved"
    assume = []                    # spec invariants assumed, listed with the verdict
    simple_path = false
    [scope]
    servers = 3
    ...
    [[helpers]]
    name = "UpdateSyncRequestSyncAtMostTerm"
    excludes = "an UpdateSyncRequest whose msync exceeds its mterm"
    python = "helpers:update_sync_request_sync_at_most_term"   # function in helpers.py beside the file
    # or: template = "msg_le", args = {kind = "UpdateSyncRequest", left = "msync", right = "mterm"}

TOML keeps the file readable and diffable, and every helper states in one line which
unreachable state it excludes. Helpers and target are proved *together*: the target is
reported ``proved`` only when the whole conjunction is k-inductive and holds in the
states reachable in fewer than k steps (a helper that fails is dropped and the
remaining conjunction is tried again, so an unproved helper never props up a target).
"""

from __future__ import annotations

from .errors import UsageError

import importlib.util
import inspect
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable

from .atomic import write_text
from .system import Invariant, System


K_RANGE = (1, 60)  # as `prove --k`


class ProofError(UsageError):
    """A proof file is malformed or names something that does not exist."""


@dataclass(frozen=True)
class Helper:
    """A helper invariant: its name, the unreachable states it excludes, and where it comes from."""

    name: str
    excludes: str
    python: str | None = None  # "module:function", module beside the proof file
    template: str | None = None  # a template of the spec's candidate generator
    args: tuple[tuple[str, Any], ...] = ()
    tla: str | None = None  # TLA+ text (needs the TLA+ front end)
    invariant: str | None = None  # one of the spec's own invariants, proved jointly (not assumed)

    def source(self) -> str:
        if self.invariant:
            return f"invariant {self.invariant}"
        if self.python:
            return f"python {self.python}"
        if self.template:
            return f"template {self.template}({', '.join(f'{k}={v}' for k, v in self.args)})"
        return f"tla {self.tla}"


@dataclass(frozen=True)
class Proof:
    """One recorded proof."""

    spec: str
    target: str
    k: int
    expect: str
    scope: tuple[tuple[str, int], ...]
    assume: tuple[str, ...] = ()
    helpers: tuple[Helper, ...] = ()
    simple_path: bool = False
    path: Path | None = field(default=None, compare=False)
    note: str = ""


VERDICTS = ("proved", "refuted", "unknown", "no-violation")


def _read(path: Path) -> dict:
    if path.is_dir():
        raise ProofError(f"cannot read {path}: it is a folder, not a proof file")
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise ProofError(f"cannot read {path}: {e.strerror or e}") from None
    except UnicodeDecodeError:
        raise ProofError(f"{path} is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as e:
        raise ProofError(f"{path}: not valid TOML: {e}") from None


def load(path: Path | str) -> Proof:
    """Read and check a proof file (raises ProofError naming the file and the problem)."""
    return _parse(_read(Path(path)), Path(path))


def _parse(data: dict, path: Path) -> Proof:
    def need(key: str, kind: type) -> Any:
        if key not in data:
            raise ProofError(f"{path}: missing '{key}'")
        if not isinstance(data[key], kind) or (kind is int and isinstance(data[key], bool)):
            raise ProofError(f"{path}: '{key}' must be a {kind.__name__}")
        return data[key]

    expect = need("expect", str)
    if expect not in VERDICTS:
        raise ProofError(f"{path}: 'expect' must be one of {', '.join(VERDICTS)}, got {expect!r}")
    scope = data.get("scope", {})
    if not isinstance(scope, dict) or not all(isinstance(v, int) for v in scope.values()):
        raise ProofError(f"{path}: [scope] must map bound names to integers")
    raw_helpers = data.get("helpers", [])
    if not isinstance(raw_helpers, list):
        raise ProofError(f"{path}: 'helpers' must be a list of [[helpers]] tables")
    for key, kind in (("simple_path", bool), ("note", str)):
        if key in data and not isinstance(data[key], kind):
            raise ProofError(f"{path}: '{key}' must be a {'boolean (true or false)' if kind is bool else 'string'}")
    helpers = []
    for n, h in enumerate(raw_helpers, start=1):
        if not isinstance(h, dict) or "name" not in h or "excludes" not in h:
            raise ProofError(f"{path}: helper {n} needs 'name' and 'excludes'")
        sources = [k for k in ("python", "template", "tla", "invariant") if k in h]
        if len(sources) != 1:
            raise ProofError(f"{path}: helper {h['name']} needs exactly one of python, template, tla, invariant")
        if not isinstance(h[sources[0]], str) or not isinstance(h.get("args", {}), dict):
            raise ProofError(f"{path}: helper {h['name']}: '{sources[0]}' must be a string and 'args' a table")
        helpers.append(
            Helper(
                name=str(h["name"]),
                excludes=str(h["excludes"]),
                python=h.get("python"),
                template=h.get("template"),
                args=tuple(sorted((h.get("args") or {}).items())),
                tla=h.get("tla"),
                invariant=h.get("invariant"),
            )
        )
    names = [h.name for h in helpers]
    if len(set(names)) != len(names):
        raise ProofError(f"{path}: two helpers share a name")
    assume = data.get("assume", [])
    if not isinstance(assume, list) or not all(isinstance(a, str) for a in assume):
        raise ProofError(f"{path}: 'assume' must be a list of invariant names")
    k = need("k", int)
    if not K_RANGE[0] <= k <= K_RANGE[1]:
        raise ProofError(f"{path}: 'k' must be between {K_RANGE[0]} and {K_RANGE[1]}, got {k}")
    return Proof(
        spec=need("spec", str),
        target=need("target", str),
        k=k,
        expect=expect,
        scope=tuple(scope.items()),
        assume=tuple(assume),
        helpers=tuple(helpers),
        simple_path=data.get("simple_path", False),
        path=path,
        note=str(data.get("note", "")),
    )


def load_helpers(path: Path | str) -> Proof:
    """A candidates file: ``spec = ...`` and ``[[helpers]]`` (read as a proof with no target)."""
    data = _read(Path(path))
    for key, default in (("target", ""), ("k", 1), ("expect", "unknown")):
        data.setdefault(key, default)
    return _parse(data, Path(path))


def _toml_value(v: Any) -> str:
    """One TOML value (tomli-w writes scalars and arrays: escapes, newlines; inline tables here)."""
    import tomli_w

    if isinstance(v, (bool, int, str)):
        return tomli_w.dumps({"v": v})[len("v = "):].rstrip("\n")
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{k} = {_toml_value(x)}" for k, x in v.items()) + " }"
    raise TypeError(f"no TOML for {v!r}")


def dump(proof: Proof) -> str:
    """The TOML text of a proof (read back by :func:`load` to the same proof)."""
    lines = [
        f"# Proof of {proof.target} ({proof.spec}): target and helpers are k-inductive together.",
        f"spec = {_toml_value(proof.spec)}",
        f"target = {_toml_value(proof.target)}",
        f"k = {proof.k}",
        f"expect = {_toml_value(proof.expect)}",
        f"assume = {_toml_value(list(proof.assume))}",
        f"simple_path = {_toml_value(proof.simple_path)}",
    ]
    if proof.note:
        lines.append(f"note = {_toml_value(proof.note)}")
    lines += ["", "[scope]"] + [f"{k} = {v}" for k, v in proof.scope]
    for h in proof.helpers:
        lines += ["", "[[helpers]]", f"name = {_toml_value(h.name)}", f"excludes = {_toml_value(h.excludes)}"]
        if h.python:
            lines.append(f"python = {_toml_value(h.python)}")
        if h.template:
            lines.append(f"template = {_toml_value(h.template)}")
            lines.append(f"args = {_toml_value(dict(h.args))}")
        if h.tla:
            lines.append(f"tla = {_toml_value(h.tla)}")
        if h.invariant:
            lines.append(f"invariant = {_toml_value(h.invariant)}")
    return "\n".join(lines) + "\n"


def save(proof: Proof, path: Path | str) -> None:
    write_text(path, dump(proof))


def _python_helper(spec_dir: Path, ref: str) -> Callable:
    if ":" not in ref:
        raise ProofError(f"python helper '{ref}' must be 'module:function'")
    module, func = ref.split(":", 1)
    file = spec_dir / f"{module}.py"
    if not file.is_file():
        raise ProofError(f"python helper module {file} does not exist")
    spec = importlib.util.spec_from_file_location(f"smtspec_proof_helpers_{abs(hash(str(file)))}", file)
    assert spec is not None and spec.loader is not None  # always, for a .py file
    mod = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(mod)
    except Exception as e:  # a user's helper file: report, do not crash
        raise ProofError(f"{file}: {type(e).__name__}: {e}") from None
    fn = getattr(mod, func, None)
    if not inspect.isfunction(fn):
        raise ProofError(f"{file}: {func} is not a function (it must be def {func}(v, s))")
    try:
        inspect.signature(fn).bind(None, None)
    except TypeError:
        raise ProofError(f"{file}: {func} must take two arguments, the state view and the spec's schema "
                         f"(def {func}(v, s))") from None
    return _checked(fn, f"{file}:{func}")


def _checked(fn: Callable, where: str) -> Callable:
    """A user's helper function, its failures reported as proof-file errors (exit 2), never as a
    crash, an internal error, or a silent exit (``sys.exit`` inside it)."""
    import z3

    def call(v, s):
        try:
            out = fn(v, s)
        except SystemExit as e:
            raise ProofError(f"python helper {where} called sys.exit({e.code})") from None
        except ProofError:
            raise
        except Exception as e:
            raise ProofError(f"python helper {where} raised {type(e).__name__}: {e}".splitlines()[0]) from None
        if isinstance(out, bool):
            return z3.BoolVal(out)
        if not isinstance(out, z3.BoolRef):
            raise ProofError(f"python helper {where} returned {type(out).__name__}, not a Z3 Boolean formula")
        return out

    return call


def helper_invariants(helpers: tuple[Helper, ...], system: System, base_dir: Path | None,
                      tla: Callable | None = None) -> tuple[Invariant, ...]:
    """The helpers as invariants of ``system`` (python functions get the view and ``system.context``)."""
    out = []
    taken = {i.name for i in system.invariants}
    for h in helpers:
        if h.invariant:
            if h.invariant not in taken:
                raise ProofError(f"helper {h.name} names {h.invariant}, which is not an invariant of {system.spec}")
            continue  # already an invariant of the system; proved jointly by name
        if h.name in taken:
            raise ProofError(f"helper {h.name} has the name of an invariant of {system.spec}")
        if h.python:
            if base_dir is None:
                raise ProofError(f"helper {h.name}: a python helper needs the proof file's folder")
            fn = _python_helper(base_dir, h.python)
            encode = (lambda f: lambda v: f(v, system.context))(fn)
        elif h.template:
            if system.templates is None:
                raise ProofError(f"spec {system.spec} has no templates for helper {h.name}")
            try:
                encode = system.templates(system, h.template, dict(h.args))
            except (KeyError, ValueError) as e:
                raise ProofError(f"helper {h.name}: bad template {h.template} {dict(h.args)}: {e}") from None
        else:
            if tla is None:
                from .tla import TLAError, tla_helper

                def tla(system, text):  # noqa: F811 - the default TLA+ front end
                    try:
                        return tla_helper(system, text)
                    except TLAError as e:
                        raise ProofError(f"TLA+ helper: {e}") from None
            encode = tla(system, h.tla)
        out.append(Invariant(h.name, encode, h.excludes))
    return tuple(out)


def with_invariants(system: System, extra: tuple[Invariant, ...]) -> System:
    """``system`` with more invariants (helpers) to prove or assume."""
    return replace(system, invariants=system.invariants + tuple(extra))


def find(path: Path | str) -> list[Path]:
    """Every proof file at ``path`` (a file, or a folder searched recursively)."""
    path = Path(path)
    if path.is_file():
        return [path]
    if not path.is_dir():
        raise ProofError(f"no proof file or folder at {path}")
    return sorted(path.rglob("*.toml"))


def proof_names(proof: Proof) -> list[str]:
    """The invariants proved together: the target, then every helper (spec invariants by their name)."""
    return [proof.target] + [h.invariant or h.name for h in proof.helpers]


def run(proof: Proof, build: Callable, scope, opts, progress=lambda m: None, capacity_check: bool = True):
    """Check one proof: target and helpers proved together. Returns (system, results by name)."""
    from . import engine

    system = build(scope)
    base = proof.path.parent if proof.path is not None else None
    system = with_invariants(system, helper_invariants(proof.helpers, system, base))
    names = proof_names(proof)
    missing = [n for n in [proof.target, *proof.assume] if n not in {i.name for i in system.invariants}]
    if missing:
        raise ProofError(f"{proof.path}: {', '.join(missing)} is not an invariant of {system.spec}")
    opts = engine.Options(timeout=opts.timeout, simple_path=proof.simple_path or opts.simple_path, seed=opts.seed,
                          capacity_check=capacity_check)
    return system, engine.prove(system, names, proof.k, proof.assume, opts, progress)
