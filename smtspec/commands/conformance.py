"""``smtspec conform``: every logged TLC transition checked against the Z3 transition relation."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Mapping

from .. import registry
from ..errors import UsageError
from ..scope import Scope
from ..verdict import SCHEMA
from .common import resolve_scope

if TYPE_CHECKING:
    from ..conform import ConformSummary


@dataclass(frozen=True)
class ConformOptions:
    file: Path
    spec: str | None = None  # default: the one spec that has a TLC log format
    exact: bool = False  # also: the encoding admits no successor the (complete) log lacks
    scope: Mapping[str, int] = field(default_factory=dict)


@dataclass
class ConformReport:
    file: Path
    spec: str
    scope: Scope
    summary: ConformSummary

    def exit_code(self) -> int:
        return 0 if self.summary.ok else 1

    def to_json(self) -> dict:
        return {"schema": SCHEMA, "file": str(self.file), "spec": self.spec, "scope": self.scope.as_dict(),
                **self.summary.to_json()}


def run(opts: ConformOptions, progress: Callable[[str], None] = lambda m: None) -> ConformReport:
    from ..conform import conform

    with_logs = [s.name for s in registry.available().values() if s.tlc_log is not None]
    spec = opts.spec if opts.spec is not None or len(with_logs) != 1 else with_logs[0]
    info, scope = resolve_scope(spec, [], opts.scope)
    if info.tlc_log is None:
        raise UsageError(f"conform reads TLC logs of {', '.join(with_logs) or 'no spec'} only, not of {info.name}")
    if opts.file.is_dir():
        raise UsageError(f"cannot read {opts.file}: it is a folder, not a TLC log")
    if not opts.file.is_file():
        raise UsageError(f"cannot read {opts.file}: no such file")
    summary = conform(opts.file, exact=opts.exact, scope=scope, progress=progress, spec=info)
    if summary.entries == 0:  # nothing was checked: not a pass
        first = f"; line {summary.errors[0][0]}: {summary.errors[0][1]}" if summary.errors else ""
        raise UsageError(f"{opts.file}: no TLC log entries to check ({summary.lines} line(s) read{first})")
    return ConformReport(opts.file, info.name, scope, summary)
