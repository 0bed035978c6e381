"""``smtspec conform``: every logged TLC transition checked against the Z3 transition relation."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Mapping

from ..errors import UsageError
from ..scope import Scope
from ..verdict import SCHEMA
from .common import resolve_scope

LOG_SPECS = ("onos-config",)  # the specs with a TLC log format


@dataclass(frozen=True)
class ConformOptions:
    file: Path
    spec: str = "onos-config"
    exact: bool = False  # also: the encoding admits no successor the (complete) log lacks
    scope: Mapping[str, int] = field(default_factory=dict)


@dataclass
class ConformReport:
    file: Path
    spec: str
    scope: Scope
    summary: object  # smtspec.conform.ConformSummary

    def exit_code(self) -> int:
        return 0 if self.summary.ok else 1

    def to_json(self) -> dict:
        return {"schema": SCHEMA, "file": str(self.file), "spec": self.spec, "scope": self.scope.as_dict(),
                **self.summary.to_json()}


def run(opts: ConformOptions, progress: Callable[[str], None] = lambda m: None) -> ConformReport:
    from ..conform import conform

    if opts.spec not in LOG_SPECS:
        raise UsageError(f"conform reads TLC logs of {', '.join(LOG_SPECS)} only, not of {opts.spec}")
    if not opts.file.is_file():
        raise UsageError(f"cannot read {opts.file}: no such file")
    info, scope = resolve_scope(opts.spec, [], opts.scope)
    summary = conform(opts.file, exact=opts.exact, scope=scope, progress=progress)
    return ConformReport(opts.file, info.name, scope, summary)
