"""``smtspec prove`` and ``smtspec bmc``: k-induction or BMC of named invariants at one scope.

Every counterexample is replayed by the spec's concrete interpreter before it is reported
(one that does not replay is a bug, exit 4). ``prove`` also consults the recorded
refutations (``proofs/<spec>/<Name>.cex.itf.json``), replayed now at their own scope and,
when their steps are a behaviour there, at the requested one.
"""

from __future__ import annotations

import ctypes

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Literal, Mapping

from .. import engine, recorded
from ..errors import UsageError
from ..evaluate import evaluators
from ..replay import replay
from ..scope import Scope
from ..solving import Interrupted, is_interrupt
from ..system import SpecInfo, System
from ..trace import Trace
from ..verdict import SCHEMA, Result, Verdict, worst_exit_code
from .common import build, check_writable, record_tla_texts, with_helpers, write_traces

Mode = Literal["prove", "bmc"]
K_RANGE = (1, 60)
DEPTH_RANGE = (0, 500)


@dataclass(frozen=True)
class VerifyOptions:
    """What ``prove`` (mode ``prove``, bound = k) or ``bmc`` (bound = depth) is asked."""

    mode: Mode
    names: tuple[str, ...]
    bound: int
    spec: str | None = None
    scope: Mapping[str, int] = field(default_factory=dict)
    assume: tuple[str, ...] = ()
    with_files: tuple[Path, ...] = ()
    with_tla: tuple[str, ...] = ()
    trace_dir: Path = Path("traces")
    proofs_dir: Path = Path("proofs")
    engine: engine.Options = engine.Options()


@dataclass(frozen=True)
class RecordedRefutation:
    """A recorded refutation of a checked invariant, replayed now."""

    invariant: str
    check: recorded.Check
    lifted: Trace | None  # its steps replayed at the requested scope, when that is another scope
    requested: Scope

    @property
    def here(self) -> bool:
        """Is the recorded behaviour one of the requested scope?"""
        return self.check.ok and (self.check.scope == self.requested or self.lifted is not None)

    def to_json(self) -> dict:
        return {"schema": SCHEMA, "invariant": self.invariant, "verdict": "refuted" if self.here else None,
                "method": "recorded-counterexample", "recorded_refutation": self.check.to_json(),
                "behaviour_of_requested_scope": self.here}


@dataclass
class VerifyReport:
    spec: str
    scope: Scope
    results: list[Result]
    recorded: list[RecordedRefutation] = field(default_factory=list)
    not_replayed: list[str] = field(default_factory=list)  # counterexamples the interpreter rejects: bugs
    interrupted: bool = False  # Ctrl-C outside the engine's own handling: no verdict
    write_errors: list[str] = field(default_factory=list)  # trace files that could not be written

    def exit_code(self) -> int:
        if self.not_replayed:
            return 4
        if self.write_errors:
            return 2  # the verdicts are printed; the files the user asked for are missing
        if self.interrupted:
            return 3
        code = worst_exit_code(self.results)
        if any(r.here for r in self.recorded):
            return 1  # refuted at the requested scope by a behaviour replayed just now
        return code

    def to_json(self) -> list[dict]:
        return [r.to_json() for r in self.results] + [r.to_json() for r in self.recorded]


def validate(opts: VerifyOptions) -> None:
    if opts.engine.semantics not in engine.SEMANTICS:
        raise UsageError(f"--semantics must be interleaving or step, got {opts.engine.semantics!r}")
    if not opts.names:
        raise UsageError("name at least one invariant (see `smtspec list`)")
    lo, hi = K_RANGE if opts.mode == "prove" else DEPTH_RANGE
    if not lo <= opts.bound <= hi:
        flag = "--k" if opts.mode == "prove" else "--depth"
        raise UsageError(f"{flag} must be between {lo} and {hi}, got {opts.bound}")


def run(opts: VerifyOptions, progress: Callable[[str], None] = lambda m: None) -> VerifyReport:
    validate(opts)
    info, system = build(opts.spec, list(opts.names) + list(opts.assume), opts.scope)
    check_writable(opts.trace_dir)
    system, names = with_helpers(info, system, list(opts.names), opts.with_files, opts.with_tla)
    try:
        if opts.mode == "prove":
            res = engine.prove(system, names, opts.bound, opts.assume, opts.engine, progress=progress)
        else:
            res = engine.bmc(system, names, opts.bound, opts.engine, progress=progress)
    except (Interrupted, KeyboardInterrupt, ctypes.ArgumentError) as stop:
        if not is_interrupt(stop):
            raise
        return VerifyReport(info.name, system.scope, [], interrupted=True)
    errors: list[str] = []
    texts = {f"TLA{n}": t for n, t in enumerate(opts.with_tla, start=1)}
    results = write_traces(record_tla_texts(list(res.values()), texts), opts.trace_dir, errors)
    rep = VerifyReport(info.name, system.scope, results, write_errors=errors)
    if opts.mode == "prove":
        rep.recorded = recorded_refutations(info, system.scope, results, opts.proofs_dir)
    rep.not_replayed = check_counterexamples(info, system.scope, results, system)
    return rep


def recorded_refutations(info: SpecInfo, scope: Scope, results: list[Result], root: Path) -> list[RecordedRefutation]:
    """Recorded refutations of the invariants just checked, replayed now, at their own scope and
    lifted to this one."""
    found = []
    for r in results:
        c = recorded.lookup(root, info.name, r.invariant)
        if c is None:
            continue
        lifted = None
        if c.ok and c.scope != scope and info.interpreter is not None:
            assert c.trace is not None  # recorded.check always keeps the trace it read
            lifted = recorded.lift(info.interpreter(), info.scope(scope.as_dict()), c.trace.steps, r.invariant)
        found.append(RecordedRefutation(r.invariant, c, lifted, scope))
    return found


def check_counterexamples(info: SpecInfo, scope: Scope, results: list[Result], system: System | None = None) -> list[str]:
    """Every counterexample replayed by the concrete interpreter: the ones it rejects, with why.
    Its steps are the interpreter's to check; an invariant the interpreter does not know (a
    ``--with-tla`` text, a helper) is evaluated on the last state by the solver, from ``system``."""
    refuted = [r for r in results if r.verdict is Verdict.REFUTED and r.trace is not None]
    if not refuted or info.interpreter is None:
        return []
    interp = info.interpreter()
    bad = []
    for r in refuted:
        assert r.trace is not None  # refuted: those with a trace
        names = set(r.trace.invariants) | set(r.trace.violated)
        extra = evaluators(system, names - set(interp.INVARIANTS)) if system is not None else None
        rep = replay(r.trace, interp, info.scope(scope.as_dict()), extra)
        if not rep.ok:
            bad.append(f"{r.invariant}: {rep.problems[0]}")
    return bad
