"""``smtspec report``: the results table of every invariant (verdict, k, scope, helpers, time, BMC
depth) as Markdown, optionally written into a README between its results markers."""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .. import registry
from .. import report as tables
from ..errors import UsageError


@dataclass(frozen=True)
class ReportOptions:
    specs: tuple[str, ...] = ()  # default: every spec
    proofs_dir: Path = Path("proofs")
    k: int = 3  # the largest k tried for an invariant without a proof file
    depth: int = 8  # BMC depth from Init
    timeout: float | None = None
    readme: Path | None = None
    depths: tuple[Path, ...] = ()  # recorded runs of benchmarks/bench_bmc_depth.py reach


@dataclass
class ReportResult:
    markdown: str
    command: str  # the command that regenerates it
    readme: Path | None

    def exit_code(self) -> int:
        return 0


def command_line(opts: ReportOptions) -> str:
    parts = ["smtspec", "report", "--k", str(opts.k), "--depth", str(opts.depth)]
    for s in opts.specs:
        parts += ["--spec", s]
    for f in opts.depths:
        parts += ["--depths", str(f)]
    if opts.readme is not None:
        parts += ["--update-readme", str(opts.readme)]
    return " ".join(shlex.quote(p) for p in parts)


def run(opts: ReportOptions, progress: Callable[[str], None] = lambda m: None) -> ReportResult:
    infos = [registry.get(s) for s in opts.specs] if opts.specs else list(registry.available().values())
    try:
        deepest = tables.depth_summaries(list(opts.depths))
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise UsageError(f"--depths: {e}") from None
    command = command_line(opts)
    parts = []
    for info in infos:
        table, scope = tables.rows(info, opts.proofs_dir, opts.k, opts.depth, opts.timeout, progress, deepest)
        parts.append(tables.markdown(info, table, scope, command))
    text = "\n".join(parts)
    if opts.readme is not None:
        try:
            tables.update_readme(opts.readme, text)
        except (OSError, ValueError) as e:
            raise UsageError(str(e)) from None
    return ReportResult(text, command, opts.readme)
