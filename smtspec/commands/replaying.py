"""``smtspec replay``: re-check a trace with the concrete interpreter (no solver)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Mapping

from .. import registry
from .. import trace as traces
from ..errors import UsageError
from ..replay import Replay, replay
from ..scope import Scope, ScopeError
from ..verdict import SCHEMA


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
    tr = traces.read(opts.file, spec=opts.spec, scope=dict(opts.scope) or None)
    info = registry.get(tr.spec)
    if not tr.invariants:  # another tool's trace names none: show every invariant in its last state
        tr = replace(tr, invariants=tuple(info.invariant_names))
    if info.interpreter is None:
        raise UsageError(f"spec {info.name} has no concrete interpreter to replay with")
    try:
        scope = info.scope(tr.scope.as_dict())
    except ScopeError as e:
        raise UsageError(f"{opts.file}: {e}") from None
    interp = info.interpreter() if callable(info.interpreter) else info.interpreter
    rep = replay(tr, interp, scope)
    return ReplayReport(opts.file, rep.trace or tr, scope, rep)
