"""``smtspec coverage``: per action, the shortest depth at which it is enabled, whether it can
change the state, and whether any well-typed state lets it leave the scope."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Mapping

from ..errors import UsageError
from ..system import System
from ..verdict import SCHEMA
from .common import build

DEPTH_RANGE = (0, 500)


@dataclass(frozen=True)
class CoverageOptions:
    depth: int = 8
    spec: str | None = None
    scope: Mapping[str, int] = field(default_factory=dict)
    timeout: float | None = None


@dataclass
class CoverageReport:
    spec: str
    system: System
    depth: int
    rows: list  # smtspec.coverage.ActionCoverage

    @property
    def leaving(self) -> list[str]:
        return [r.action for r in self.rows if r.leaves_scope_at is not None]

    def exit_code(self) -> int:
        return 3 if self.leaving else 0

    def to_json(self) -> list[dict]:
        return [{"schema": SCHEMA, "spec": self.spec, "scope": self.system.scope.as_dict(), "depth": self.depth,
                 **r.__dict__} for r in self.rows]


def run(opts: CoverageOptions, progress: Callable[[str], None] = lambda m: None) -> CoverageReport:
    from ..coverage import coverage

    if not DEPTH_RANGE[0] <= opts.depth <= DEPTH_RANGE[1]:
        raise UsageError(f"--depth must be between {DEPTH_RANGE[0]} and {DEPTH_RANGE[1]}, got {opts.depth}")
    info, system = build(opts.spec, [], opts.scope)
    return CoverageReport(info.name, system, opts.depth, coverage(system, opts.depth, opts.timeout, progress=progress))
