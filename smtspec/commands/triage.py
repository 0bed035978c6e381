"""``smtspec triage``: is a CTI's first state, on the variables that matter, reachable from Init?

Reads a CTI trace (``prove`` writes them), builds its spec at the trace's scope and runs
:func:`smtspec.triage.triage`: BMC from Init for the CTI's projected first state. Reached,
the CTI's steps are replayed from the reached state; a refutation is reported only when the
whole behaviour from Init replays with the spec's interpreter. Not reached: the projection
a helper invariant must exclude.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .. import trace as traces
from ..errors import UsageError
from ..evaluate import evaluators
from ..scope import Scope
from ..triage import Triage, triage
from ..verdict import SCHEMA
from .common import check_writable, load_trace, with_trace_extra
from .replaying import tla_evaluators

DEPTH_RANGE = (0, 500)


@dataclass(frozen=True)
class TriageOptions:
    file: Path
    depth: int = 8
    budget: float = 60.0
    timeout: float | None = None
    trace_dir: Path = Path("traces")


@dataclass
class TriageReport:
    spec: str
    scope: Scope
    file: Path
    result: Triage
    trace_file: str | None = None

    @property
    def invariant(self) -> str:
        return ", ".join(self.result.invariants)

    def exit_code(self) -> int:
        return 1 if self.result.verdict == "refuted" else 3

    def to_json(self) -> dict:
        r = self.result
        return {"schema": SCHEMA, "spec": self.spec, "invariant": self.invariant, "verdict": r.verdict,
                "depth": r.depth, "scope": self.scope.as_dict(), "seconds": round(r.seconds, 3),
                "trace": self.trace_file, "projection": list(r.projection), "focus": list(r.focus),
                "reason": r.reason, "file": str(self.file)}


def _target(target: Path, invariant: str, refuted: bool) -> Path:
    """Where the trace goes, as ``write_traces`` would put one trace: the .json file given, else
    ``<folder>/<Invariant>.itf.json`` for a refutation, ``<Invariant>.reach.itf.json`` for a reaching behaviour."""
    if target.suffix == ".json" and not target.is_dir():
        return target
    return target / (f"{invariant}.itf.json" if refuted else f"{invariant}.reach.itf.json")


def run(opts: TriageOptions, progress: Callable[[str], None] = lambda m: None) -> TriageReport:
    lo, hi = DEPTH_RANGE
    if not lo <= opts.depth <= hi:
        raise UsageError(f"--depth must be between {lo} and {hi}, got {opts.depth}")
    if not opts.budget > 0:
        raise UsageError(f"--budget must be positive, got {opts.budget:g}")
    tr, info, scope, system = load_trace(opts.file)
    if tr.kind != "cti":
        raise UsageError(f"{opts.file}: not a CTI (the trace is a {tr.kind}); triage takes a CTI that prove wrote")
    if not tr.violated:
        raise UsageError(f"{opts.file}: the CTI names no violated invariant")
    if set(tr.vars) != {v.name for v in system.vars}:
        raise UsageError(f"{opts.file}: the trace's variables are not those of {info.name}")
    interp = info.interpreter() if info.interpreter is not None else None
    known = set(interp.INVARIANTS) if interp is not None else set()
    # --with-tla invariants travel in the trace (#meta.tla_invariants): translated again here
    extra = tla_evaluators(opts.file, tr, system, known)
    texts = tr.extra.get("tla_invariants") or {}
    if texts:
        from ..proofs import with_invariants
        from ..tla import tla_invariant

        system = with_invariants(system, tuple(tla_invariant(system, t, n) for n, t in texts.items()
                                               if n not in known))
    missing = [n for n in tr.violated if n not in {i.name for i in system.invariants}]
    if missing:
        raise UsageError(f"{opts.file}: {', '.join(missing)} is not an invariant of {info.name}")
    extra = {**evaluators(system, [n for n in tr.violated if n not in known and n not in extra]), **extra}
    check_writable(opts.trace_dir)
    res = triage(system, tr, opts.depth, opts.budget, progress, interpreter=interp, interp_scope=scope,
                 timeout=opts.timeout, extra_invariants=extra)
    rep = TriageReport(info.name, scope, opts.file, res)
    if res.trace is not None:
        out = res.trace
        used = {n: texts[n] for n in (*out.invariants, *out.violated, *tr.violated) if n in texts}
        if used:
            out = with_trace_extra(out, tla_invariants=used)
        path = _target(opts.trace_dir, res.invariants[0], res.verdict == "refuted")
        try:
            traces.write(out, path)
        except OSError as e:
            raise UsageError(f"cannot write {path}: {e.strerror or e}") from None
        rep.trace_file = str(path)
    return rep
