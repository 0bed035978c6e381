"""Recorded refutations: counterexamples kept beside the proofs and re-checked on demand.

A refutation worth keeping is written as ``proofs/<spec>/<Invariant>.cex.itf.json``: an
ordinary ITF counterexample (the format every other trace of the tool uses, readable by
itf-py, Apalache and Quint), whose ``#meta`` names the spec, the scope and how it was
found. It is evidence, not a verdict: :func:`check` replays it with the concrete
interpreter every time (``check-proofs`` in CI, ``prove`` and ``check`` before they
answer), and a file that stops replaying is reported as changed.

:func:`lift` replays the trace's steps (actions and parameters) from Init at another
scope, so that a behaviour found at a small scope is shown to be (or not to be) a
behaviour of the requested one: the states are recomputed there, never copied.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from . import registry
from . import trace as traces
from .replay import replay
from .scope import Scope
from .trace import Step, Trace

SUFFIX = ".cex.itf.json"


def path_for(root: Path, spec: str, invariant: str) -> Path:
    return root / spec / f"{invariant}{SUFFIX}"


def find(path: Path) -> list[Path]:
    """The recorded refutations in a folder (recursively), or the file itself."""
    if path.is_file():
        return [path] if path.name.endswith(SUFFIX) else []
    return sorted(path.rglob(f"*{SUFFIX}")) if path.is_dir() else []


@dataclass(frozen=True)
class Check:
    """One recorded refutation, replayed."""

    file: Path
    spec: str
    invariant: str
    scope: Scope
    length: int
    ok: bool
    problems: tuple[str, ...] = ()
    trace: Trace | None = field(default=None, compare=False)

    def to_json(self) -> dict:
        return {"file": str(self.file), "spec": self.spec, "invariant": self.invariant, "verdict": "refuted" if self.ok else "changed",
                "scope": self.scope.as_dict(), "length": self.length, "replayed": self.ok, "problems": list(self.problems)}


def check(file: Path) -> Check:
    """Replay a recorded refutation with its spec's interpreter at its own scope."""
    tr = traces.read(file)
    info = registry.get(tr.spec)
    if len(tr.violated) != 1:
        raise traces.TraceError(f"{file}: a recorded refutation names exactly one violated invariant")
    name = tr.violated[0]
    if tr.kind != "counterexample":
        return Check(file, tr.spec, name, tr.scope, tr.length, False, (f"kind is {tr.kind!r}, not a counterexample",), tr)
    if info.interpreter is None:
        return Check(file, tr.spec, name, tr.scope, tr.length, False, ("the spec has no interpreter to replay with",), tr)
    scope = info.scope(tr.scope.as_dict())
    rep = replay(tr, info.interpreter(), scope)
    problems = list(rep.problems)
    if not problems and rep.final_values.get(name, True):
        problems.append(f"{name} holds in the last state")
    return Check(file, tr.spec, name, scope, tr.length, not problems, tuple(problems), tr)


def lookup(root: Path, spec: str, invariant: str) -> Check | None:
    """The recorded refutation of ``invariant``, replayed, or None when there is none."""
    f = path_for(root, spec, invariant)
    return check(f) if f.is_file() else None


def lift(interpreter, scope: Scope, steps: Sequence[Step], invariant: str, limit: int = 10_000) -> Trace | None:
    """The same steps replayed from Init at ``scope``, ending in a state violating ``invariant``.

    Where an action instance has several successors (a CHOOSE), every choice is tried
    (depth first, at most ``limit`` states), so the result is a behaviour of ``scope``
    whenever one with these steps exists. None when there is none.
    """
    inv = interpreter.INVARIANTS[invariant]
    budget = [limit]

    def go(state, n):
        budget[0] -= 1
        if budget[0] < 0:
            return None
        if n == len(steps):
            return [state] if not inv(state, scope) else None
        st = steps[n]
        for a, p, nxt in interpreter.instances(state, scope):
            if a == st.action and all(st.params[k] == v for k, v in p.items() if k in st.params):
                rest = go(nxt, n + 1)
                if rest is not None:
                    return [state] + rest
        return None

    states = go(interpreter.initial_state(scope), 0)
    if states is None:
        return None
    return Trace(spec="", kind="counterexample", invariants=(invariant,), violated=(invariant,), scope=scope,
                 assumptions=(), vars=(), states=tuple(states), steps=tuple(steps))


def record(tr: Trace, root: Path) -> Path:
    """Write a replayed refutation as the recorded one for its invariant."""
    f = path_for(root, tr.spec, tr.violated[0])
    f.parent.mkdir(parents=True, exist_ok=True)
    traces.write(tr, f)
    return f
