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
    if not 1 <= opts.k <= 60 or not 0 <= opts.depth <= 500:
        raise UsageError(f"--k must be 1..60 and --depth 0..500, got --k {opts.k} --depth {opts.depth}")
    if not opts.proofs_dir.is_dir() and opts.proofs_dir.exists():
        raise UsageError(f"--proofs {opts.proofs_dir}: not a folder")
    infos = [registry.get(s) for s in opts.specs] if opts.specs else list(registry.available().values())
    try:
        deepest = tables.depth_summaries(list(opts.depths))
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise UsageError(f"--depths: {e}") from None
    command = command_line(opts)
    if opts.readme is not None:  # refuse before the run, not after it
        try:
            body = opts.readme.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as e:
            raise UsageError(f"cannot update {opts.readme}: {getattr(e, 'strerror', None) or e}") from None
        if tables.BEGIN not in body or tables.END not in body:
            raise UsageError(f"cannot update {opts.readme}: it lacks the markers {tables.BEGIN} and {tables.END}")
    parts: dict[str, str] = {}
    for info in infos:  # Ctrl-C (smtspec.solving.Interrupted) ends the report here: nothing is written
        table, scope = tables.rows(info, opts.proofs_dir, opts.k, opts.depth, opts.timeout, progress, deepest)
        parts[info.name] = tables.markdown(info, table, scope, command)
    text = "\n".join(parts.values())
    if opts.readme is not None:
        try:
            tables.update_readme(opts.readme, parts, every_spec=not opts.specs)
        except (OSError, ValueError) as e:
            raise UsageError(f"cannot update {opts.readme}: {e}") from None
    return ReportResult(text, command, opts.readme)
