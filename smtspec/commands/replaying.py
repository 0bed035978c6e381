"""``smtspec replay``: re-check a trace with the concrete interpreter (no solver)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Mapping

from .. import trace as traces
from ..errors import UsageError
from ..replay import Replay, replay
from ..scope import Scope
from ..system import System
from ..verdict import SCHEMA
from .common import load_trace


@dataclass(frozen=True)
class ReplayOptions:
    """A trace file; for another tool's ITF trace (TLC, Apalache, Quint, itf-py), the spec and
    scope it belongs to (its integer ``params`` also give bounds)."""

    file: Path
    spec: str | None = None
    scope: Mapping[str, int] = field(default_factory=dict)


@dataclass
class ReplayReport:
    file: Path
    trace: traces.Trace
    scope: Scope
    replay: Replay

    def exit_code(self) -> int:
        return 0 if self.replay.ok else 1

    def to_json(self) -> dict:
        r = self.replay
        return {"schema": SCHEMA, "file": str(self.file), "spec": self.trace.spec, "scope": self.scope.as_dict(),
                "kind": self.trace.kind, "length": self.trace.length, "ok": r.ok, "problems": r.problems,
                "steps": r.checked_steps, "last_state": r.final_values, "trace": str(self.file),
                "labelled_steps": r.labelled, "notes": r.notes,
                "actions": [s.action for s in (r.trace or self.trace).steps]}


def run(opts: ReplayOptions) -> ReplayReport:
    tr, info, scope, system = load_trace(opts.file, opts.spec, opts.scope)
    if not tr.invariants:  # another tool's trace names none: show every invariant in its last state
        tr = replace(tr, invariants=tuple(info.invariant_names))
    if info.interpreter is None:
        raise UsageError(f"spec {info.name} has no concrete interpreter to replay with")
    interp = info.interpreter() if callable(info.interpreter) else info.interpreter
    rep = replay(tr, interp, scope, tla_evaluators(opts.file, tr, system, set(interp.INVARIANTS)))
    return ReplayReport(opts.file, rep.trace or tr, scope, rep)


def tla_evaluators(file: Path, tr: traces.Trace, system: System, known: set[str]) -> dict:
    """The trace's ``--with-tla`` invariants (their texts in ``#meta.tla_invariants``), translated
    again and evaluated on its states by the solver; the interpreter checks the steps."""
    texts = tr.extra.get("tla_invariants") or {}
    if not isinstance(texts, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in texts.items()):
        raise UsageError(f"{file}: #meta tla_invariants must map invariant names to TLA+ texts")
    from ..evaluate import evaluator
    from ..proofs import with_invariants
    from ..tla import TLAError, tla_invariant

    out = {}
    for name, text in texts.items():
        if name in known:
            continue
        try:
            inv = tla_invariant(system, text, name)
        except TLAError as e:
            raise UsageError(f"{file}: tla_invariants {name}: {e}") from None
        out[name] = evaluator(with_invariants(system, (inv,)), name)
    return out
