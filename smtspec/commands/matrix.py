"""``smtspec prove --matrix``: the obligation matrix of 1-induction for a set of invariants.

The named invariants and the helpers of the ``with_files`` proof files, each checked in
Init and after one step of each action from an arbitrary state satisfying all of them
(:mod:`smtspec.matrix`). Every failing cell's trace is written under ``trace_dir``
(``<Invariant>.<Action>.cti.itf.json``, or ``<Invariant>.Init.itf.json``). With ``cache``
the queries are answered from the user's answer cache when their exact text was shown
unsat before (:mod:`smtspec.cache`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Mapping

from .. import engine
from .. import trace as traces
from ..cache import Cache
from ..errors import UsageError
from ..matrix import FAILS, HOLDS, INIT, Cell, Matrix, obligations
from ..scope import Scope
from ..verdict import SCHEMA
from .common import build, check_writable, with_helpers


@dataclass(frozen=True)
class MatrixOptions:
    names: tuple[str, ...]
    spec: str | None = None
    scope: Mapping[str, int] = field(default_factory=dict)
    with_files: tuple[Path, ...] = ()  # proof files whose helpers (and assumptions) join the set
    with_tla: tuple[str, ...] = ()  # helpers in TLA+ (as `prove --with-tla`)
    timeout: float | None = None  # seconds per query
    trace_dir: Path | None = Path("traces")  # None: no trace files
    assume: tuple[str, ...] = ()
    seed: int = 0
    simple_path: bool = False
    cache: bool = False  # answer from the user's answer cache (and fill it)
    cache_dir: Path | None = None  # default: cache.default_dir()
    k: int = 1  # the matrix is of 1-induction; any other k is refused


@dataclass
class MatrixReport:
    spec: str
    scope: Scope
    matrix: Matrix
    trace_files: dict[tuple[str, str], str] = field(default_factory=dict)
    write_errors: list[str] = field(default_factory=list)
    cache_counts: dict[str, int] | None = None

    @property
    def rows(self) -> list[Cell]:
        return self.matrix.rows

    def exit_code(self) -> int:
        """0 when every obligation holds; 1 when Init violates one (a counterexample); 2 when
        trace files could not be written; else 3 (a CTI, a timeout, Ctrl-C)."""
        if any(c.action == INIT and c.verdict == FAILS for c in self.rows):
            return 1
        if self.write_errors:
            return 2
        return 0 if self.matrix.all_hold else 3

    def to_json(self) -> list[dict]:
        return [{"schema": SCHEMA, "spec": self.spec, "invariant": c.invariant, "action": c.action,
                 "verdict": c.verdict, "seconds": round(c.seconds, 3),
                 "trace": self.trace_files.get((c.invariant, c.action)), "cached": c.cached,
                 "reason": c.reason or None}
                for c in self.rows]


def run(opts: MatrixOptions, progress: Callable[[str], None] = lambda m: None) -> MatrixReport:
    if not opts.names:
        raise UsageError("name at least one invariant (see `smtspec list`)")
    if opts.k != 1:
        raise UsageError(f"--matrix shows the obligations of 1-induction: use it with --k 1, not --k {opts.k}")
    if opts.timeout is not None and opts.timeout <= 0:
        raise UsageError(f"--timeout must be positive, got {opts.timeout:g}")
    info, system = build(opts.spec, list(opts.names) + list(opts.assume), opts.scope)
    if opts.trace_dir is not None:
        check_writable(opts.trace_dir)
    system, names = with_helpers(info, system, list(opts.names), opts.with_files, opts.with_tla)
    assume = list(opts.assume)
    for f in opts.with_files:  # a proof file's assumptions are assumed with its helpers
        from .. import proofs

        assume += [a for a in proofs.load(f).assume if a not in assume]
    cache = Cache(opts.cache_dir) if opts.cache else None
    eopts = engine.Options(timeout=opts.timeout, seed=opts.seed, simple_path=opts.simple_path)
    m = obligations(system, names, eopts, progress, assume=assume, cache=cache)
    rep = MatrixReport(info.name, system.scope, m, cache_counts=None if cache is None else cache.counts())
    if opts.trace_dir is not None:
        _write(rep, opts.trace_dir)
    return rep


def _write(rep: MatrixReport, folder: Path) -> None:
    for c in rep.rows:
        if c.trace is None:
            continue
        suffix = ".itf.json" if c.action == INIT else ".cti.itf.json"
        path = folder / f"{c.invariant}.{c.action}{suffix}"
        tr = replace(c.trace, extra={**c.trace.extra, "obligation": f"{c.action} keeps {c.invariant}"})
        try:
            traces.write(tr, path)
        except OSError as e:
            rep.write_errors.append(f"cannot write {path}: {e.strerror or e}")
            continue
        rep.trace_files[(c.invariant, c.action)] = str(path)


__all__ = ["HOLDS", "MatrixOptions", "MatrixReport", "run"]
