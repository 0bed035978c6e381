"""``smtspec check``: settle each invariant within one time budget, on every core.

Per invariant, in this order, stopping at the first verdict:

1. **recorded evidence**: a proof file ``proofs/<spec>/<Name>.toml`` at the requested scope
   is re-checked (proved), and a recorded refutation ``<Name>.cex.itf.json`` is replayed by
   the interpreter at its own scope and, when its steps are a behaviour there, at the
   requested one (refuted);
2. **k-induction** (k = 1, no helpers): proved when the invariant is inductive on its own;
3. **guided simulation**, small scopes first (the small-scope hypothesis: most bugs show in
   small models), then the requested scope; all open invariants share each campaign, and
   BMC of a few steps from the deepest states it reached (:mod:`smtspec.frontier`) closes
   the last steps exhaustively. A violation found at a small scope is replayed at the
   requested scope (its steps, from Init) and belongs to that scope when it replays there;
4. **BMC in both semantics** for what is still open (coverage figures; a counterexample
   it finds is a shortest one in its semantics), and for each refuted invariant BMC below
   the length found (the depth up to which no shorter violation exists).

Every refutation is replayed by the readable interpreter before it is reported; a
verdict's scope is printed with it. ``unknown`` says what was covered: BMC depth per
semantics, steps simulated, distinct states.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Mapping, cast

from .. import engine, proofs, recorded, registry, search
from ..engines import BMC, KInduction, Problem, Simulation, run_task
from ..errors import UsageError
from ..pool import pool_map
from ..replay import replay
from ..scope import Scope
from ..system import SpecInfo
from ..trace import Trace
from ..verdict import SCHEMA, Cause, Method, Result, Verdict
from .common import check_scheduler, check_writable, open_backend, resolve_scope, with_trace_extra, write_traces


@dataclass(frozen=True)
class CheckOptions:
    names: tuple[str, ...] = ()  # default: every invariant of the spec
    budget: float = 600.0
    workers: int = 1
    seed: int = 0
    proofs_dir: Path = Path("proofs")
    small_scopes: bool = True
    bmc: bool = True
    spec: str | None = None
    scope: Mapping[str, int] = field(default_factory=dict)
    trace_dir: Path | None = None  # where each refutation's trace is written (None: not written)
    record: bool = False  # record each new refutation as <proofs_dir>/<spec>/<Name>.cex.itf.json
    readme: Path | None = None  # write the final table there, between the check markers
    command: str = "smtspec check"  # the command line shown in the README table
    scheduler: str | None = None  # a Dask scheduler's address (tcp://HOST:PORT): run the tasks on that cluster


@dataclass
class Row:
    """One invariant's outcome."""

    invariant: str
    verdict: Verdict = Verdict.UNKNOWN
    method: str = ""
    scope: Scope | None = None  # the scope the verdict belongs to
    trace: Trace | None = None
    trace_file: str | None = None
    proof_file: str | None = None
    recorded_file: str | None = None  # the recorded refutation the verdict rests on
    found_length: int | None = None
    covered: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def settled(self) -> bool:
        return self.verdict in (Verdict.PROVED, Verdict.REFUTED)

    @property
    def length(self) -> int | None:
        return self.trace.length if self.trace is not None else None

    def to_json(self, spec: str, requested: Scope) -> dict:
        return {"schema": SCHEMA, "spec": spec, "invariant": self.invariant, "verdict": self.verdict.value,
                "method": self.method, "scope": (self.scope or requested).as_dict(),
                "requested_scope": requested.as_dict(), "length": self.length, "found_length": self.found_length,
                "trace": self.trace_file, "recorded": self.recorded_file, "proof": self.proof_file,
                "covered": self.covered, "notes": self.notes}


@dataclass
class CheckReport:
    spec: str
    scope: Scope
    rows: dict[str, Row]
    seconds: float = 0.0
    interrupted: bool = False
    events: list[str] = field(default_factory=list)  # workers that died and the tasks rerun (the backend's)

    def exit_code(self) -> int:
        verdicts = {r.verdict for r in self.rows.values()}
        if Verdict.REFUTED in verdicts:
            return 1
        if Verdict.UNKNOWN in verdicts or self.interrupted:
            return 3
        return 0

    def to_json(self) -> list[dict]:
        # "seconds": the whole run's (the engines share the budget; no row has its own time)
        return [{**r.to_json(self.spec, self.scope), "seconds": round(self.seconds, 3)} for r in self.rows.values()]


Update = Callable[[CheckReport, str], None]

FRONTIER_SHARE = 0.3  # of each scope's simulation time: BMC from the deepest states the search reached
FRONTIER_PATHS = 48  # per worker: deepest state of this many milestones
FRONTIER_DEPTH = 8


# ------------------------------------------------------------------ phase 1: recorded evidence


def _recorded(info: SpecInfo, scope: Scope, rows: dict[str, Row], opts: CheckOptions, update, backend=None) -> None:
    assert info.interpreter is not None  # run() refuses a spec without one
    for name, row in rows.items():
        c = recorded.lookup(opts.proofs_dir, info.name, name)
        if c is not None and c.ok:
            assert c.trace is not None  # recorded.check always keeps the trace it read
            here = c.scope == scope
            lifted = None if here else recorded.lift(info.interpreter(), scope, c.trace.steps, name)
            row.verdict, row.method, row.found_length = Verdict.REFUTED, Method.RECORDED_COUNTEREXAMPLE, c.length
            row.trace_file = row.recorded_file = str(c.file)
            if here or lifted is not None:
                row.scope = scope
                row.trace = c.trace if lifted is None else replace(c.trace, scope=scope, states=lifted.states)
                if not here:
                    row.notes.append(f"recorded at scope {c.scope}; its steps replayed at the requested scope")
            else:
                row.scope, row.trace = c.scope, c.trace
                row.notes.append(f"a behaviour of scope {c.scope} only (its steps do not replay at {scope})")
            update(f"{name}: recorded refutation replayed")
            continue
        if c is not None:
            row.notes.append(f"recorded refutation {c.file} does not replay: {c.problems[0]}")
    jobs = []
    for name, row in rows.items():
        pf = opts.proofs_dir / info.name / f"{name}.toml"
        if row.settled or not pf.is_file():
            continue
        proof = proofs.load(pf)
        pscope = info.scope(dict(proof.scope))
        # the proof's helpers at the requested scope, with the proof's own capacity
        at = scope.replace(capacity=pscope.capacity) if "capacity" in pscope.as_dict() else scope
        jobs.append((info.name, str(pf), at.items, max(1.0, 0.5 * opts.budget)))
    if jobs:
        update(f"re-checking {len(jobs)} recorded proof(s) at the requested scope")
    for name, pf, verdict, at_items, k, helpers in _map(_proof_task, jobs, opts, backend, _proof_lost):
        row = rows[name]
        if verdict == "proved":
            row.verdict, row.method, row.scope, row.proof_file = Verdict.PROVED, Method.RECORDED_PROOF, Scope(at_items), pf
            row.notes.append(f"{pf}: k={k}, {helpers} helper(s), re-checked at scope {Scope(at_items)}")
        else:
            row.notes.append(f"recorded proof {pf} did not re-check at scope {Scope(at_items)}: {verdict}")
        update(f"{name}: recorded proof {verdict}")


def _map(fn, jobs, opts: CheckOptions, backend, fallback):
    """The phase's tasks on the run's backend (a task whose workers kept dying gives ``fallback``)."""
    if backend is None:
        return pool_map(fn, jobs, opts.workers)
    return backend.map(fn, jobs, fallback)


def _proof_lost(job, err):
    spec, pf, at_items, _timeout = job
    proof = proofs.load(Path(pf))
    return proof.target, pf, f"unknown ({err})", at_items, proof.k, len(proof.helpers)


def _induction_lost(job, err):
    return job[2], "unknown", str(err)


def _bmc_lost(job, err) -> Result:
    spec, scope_items, name, semantics, budget, depth = job
    method = Method.BMC_STEP if semantics == "step" else Method.BMC
    return Result(spec, name, Verdict.UNKNOWN, method, 0, Scope(scope_items), (), 0.0, reason=str(err),
                  cause=Cause.WORKER_LOST)


def _proof_task(job):
    spec, pf, at_items, timeout = job  # timeout: per solver query, so a small --budget stays small
    info = registry.get(spec)
    proof = proofs.load(Path(pf))
    _system, res = proofs.run(proof, info.build, Scope(at_items), engine.Options(timeout=timeout), lambda m: None,
                              capacity_check=False)
    return proof.target, pf, res[proof.target].verdict.value, at_items, proof.k, len(proof.helpers)


# ------------------------------------------------------------------ tasks run in worker processes


def _induction_task(job) -> tuple[str, str, str]:
    spec, scope_items, name, timeout = job
    eng = KInduction(k=1, capacity_check=False, timeout=timeout)
    r = run_task((eng, Problem(spec, Scope(scope_items), (name,))))[name]
    return name, r.verdict.value, r.reason


def _bmc_task(job) -> Result:
    spec, scope_items, name, semantics, budget, depth = job
    return run_task((BMC(depth, semantics, budget), Problem(spec, Scope(scope_items), (name,))))[name]


# ------------------------------------------------------------------ the command


def small_scopes(info: SpecInfo, scope: Scope) -> list[Scope]:
    """The spec's smaller scopes to try first (its ``small_scopes`` hook), smallest first, then ``scope``."""
    hook = getattr(info, "small_scopes", None)
    out = [s for s in (hook(scope) if hook is not None else []) if s != scope]
    return out + [scope]


def validate(opts: CheckOptions) -> None:
    if not 1 <= opts.workers <= 64:
        raise UsageError(f"--workers must be 1..64, got {opts.workers}")
    check_scheduler(opts.scheduler)
    if not math.isfinite(opts.budget) or not 1 <= opts.budget <= 10**7:
        raise UsageError(f"--budget must be between 1 and 10^7 seconds, got {opts.budget}")
    if opts.proofs_dir.exists() and not opts.proofs_dir.is_dir():
        raise UsageError(f"--proofs {opts.proofs_dir}: not a folder (proofs/<spec>/ holds the recorded evidence)")


def run(opts: CheckOptions, update: Update = lambda rep, msg: None) -> CheckReport:
    """The ``check`` command: validated up front (so nothing is refused after the run), then
    :func:`settle`, then each refutation written, recorded, and the README table updated."""
    from ..report import CHECK_BEGIN, CHECK_END, check_markdown, update_readme_between

    validate(opts)
    info, scope = resolve_scope(opts.spec, list(opts.names), opts.scope)
    if info.interpreter is None:
        raise UsageError(f"spec {info.name} has no concrete interpreter: check needs one to replay what it finds")
    if not opts.names:
        opts = replace(opts, names=tuple(info.invariant_names))
    if opts.trace_dir is not None:
        check_writable(opts.trace_dir)
    if opts.readme is not None:
        try:
            body = opts.readme.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as e:
            raise UsageError(f"cannot update {opts.readme}: {getattr(e, 'strerror', None) or e}") from None
        if CHECK_BEGIN not in body or CHECK_END not in body:
            raise UsageError(f"cannot update {opts.readme}: it lacks the markers {CHECK_BEGIN} and {CHECK_END}")
    with open_backend(opts.workers, opts.scheduler) as backend:
        rep = settle(info, scope, opts, update, backend)
    refuted = [r for r in rep.rows.values() if r.trace is not None]
    if opts.trace_dir is not None:
        written = write_traces([Result(info.name, r.invariant, Verdict.REFUTED, Method(r.method or Method.NONE),
                                       cast(int, r.length),  # refuted: those with a trace
                                       r.scope or scope, (), 0.0, trace=r.trace) for r in refuted], opts.trace_dir)
        for r, w in zip(refuted, written):
            if r.method == Method.RECORDED_COUNTEREXAMPLE:
                r.notes.append(f"recorded as {r.recorded_file}; the trace at the row's scope is {w.trace_file}")
            r.trace_file = w.trace_file
    for r in refuted:
        if opts.record and r.method != Method.RECORDED_COUNTEREXAMPLE and r.trace is not None:
            try:
                f = recorded.record(with_trace_extra(r.trace, found_by=str(r.method), found_length=r.found_length),
                                    opts.proofs_dir)
            except OSError as e:
                raise UsageError(f"cannot record the refutation of {r.invariant}: {e.strerror or e}") from None
            r.notes.append(f"recorded as {f}")
            r.recorded_file = str(f)
    if opts.readme is not None:
        try:
            update_readme_between(opts.readme, CHECK_BEGIN, CHECK_END, check_markdown(rep, opts.command))
        except (OSError, ValueError) as e:
            raise UsageError(f"cannot update {opts.readme}: {e}") from None
    return rep


def settle(info: SpecInfo, scope: Scope, opts: CheckOptions, update: Update = lambda rep, msg: None,
           backend=None) -> CheckReport:
    """Every engine in turn on what is still open, within the budget (the module's docstring), each
    phase's tasks on ``backend`` (an :class:`smtspec.backend.Backend`; default: ``opts.workers``
    local processes, a pool per phase)."""
    assert info.interpreter is not None  # run() refuses a spec without one
    start = time.perf_counter()
    deadline = start + opts.budget
    rep = CheckReport(info.name, scope, {n: Row(n) for n in opts.names})
    rows = rep.rows
    say = lambda msg: update(rep, msg)  # noqa: E731
    left = lambda: deadline - time.perf_counter()  # noqa: E731
    open_ = lambda: [n for n, r in rows.items() if not r.settled]  # noqa: E731
    try:
        _recorded(info, scope, rows, opts, say, backend)

        # k-induction, k = 1, each query at most a few seconds
        todo = open_()
        if todo and left() > 5:
            say(f"k-induction (k=1) of {len(todo)} invariant(s)")
            t = max(1.0, min(20.0, 0.05 * left()))
            jobs = [(info.name, scope.items, n, t) for n in todo]
            for name, verdict, reason in _map(_induction_task, jobs, opts, backend, _induction_lost):
                if verdict == "proved":
                    rows[name].verdict, rows[name].method, rows[name].scope = Verdict.PROVED, Method.K_INDUCTION, scope
                    rows[name].notes.append("1-inductive on its own")
                else:
                    rows[name].notes.append(f"k-induction (k=1): {verdict}")
                say(f"k-induction: {name} {verdict}")

        # guided simulation: small scopes first, then the requested one
        scopes = small_scopes(info, scope) if opts.small_scopes else [scope]
        sim_share = 0.6 if opts.bmc else 1.0
        steps_total, states_total = 0, 0
        simulated = open_()  # the rows the campaigns searched for
        for k, sc in enumerate(scopes):
            todo = open_()
            if not todo or left() < 2:
                break
            remaining_scopes = len(scopes) - k
            slice_ = max(1.0, left() * sim_share / remaining_scopes) if k < len(scopes) - 1 else max(1.0, left() * sim_share)
            say(f"guided simulation at scope {sc} for {slice_:.0f} s: {', '.join(todo)}")
            vars_ = [v.name for v in info.build(sc).vars]
            sim_slice = slice_ * (1 - FRONTIER_SHARE)
            simulation = Simulation(steps=10**12, seconds=sim_slice, seed=opts.seed + 1000 * k, workers=opts.workers,
                                    frontier=FRONTIER_PATHS)

            def tick(i: dict, sc=sc) -> None:
                found = ", ".join(f"{n} ({n_})" for n, n_ in sorted(i["found"].items())) or "none yet"
                t = i.get("tasks") or {}
                say(f"guided simulation at scope {sc}: {i['steps']:,} steps ({i.get('steps_per_second', 0):,.0f}/s), "
                    f"{i['distinct_states']:,} states, depth {i['max_depth']}; searches {t.get('done', 0)} done / "
                    f"{t.get('running', 0)} running / {t.get('queued', 0)} queued; violated: {found}")

            srep, found = simulation.search(Problem(info.name, sc, tuple(todo)), tick, backend)
            steps_total += srep.steps
            states_total += srep.distinct_states
            methods = {f.invariant: Method.GUIDED_SIMULATION for _w, f in found}
            rest = [n for n in todo if n not in methods]
            if rest and srep.frontier and not srep.interrupted:
                say(f"BMC of {FRONTIER_DEPTH} steps from {len(srep.frontier)} deep states of the search at scope {sc}")
                more = search.frontier_search(info, sc, srep.frontier, rest, FRONTIER_DEPTH,
                                           max(1.0, slice_ * FRONTIER_SHARE), opts.workers, say, backend)
                found = list(found) + more
                methods.update({f.invariant: Method.SIMULATION_AND_BMC for _w, f in more})
            for r in search.refutations(info, sc, found, vars_, Method.GUIDED_SIMULATION):
                r = replace(r, method=methods.get(r.invariant, r.method))
                row = rows[r.invariant]
                lifted = r.trace if sc == scope else recorded.lift(info.interpreter(), scope, r.trace.steps, r.invariant)
                row.verdict, row.method, row.found_length = Verdict.REFUTED, r.method, r.found_length
                if lifted is not None:
                    row.scope = scope
                    row.trace = r.trace if sc == scope else replace(r.trace, scope=scope, states=lifted.states)
                    if sc != scope:
                        row.notes.append(f"found at scope {sc}; its steps replayed at the requested scope")
                else:
                    row.scope, row.trace = sc, r.trace
                    row.notes.append(f"a behaviour of scope {sc} (its steps do not replay at {scope})")
                say(f"{r.invariant}: refuted at scope {sc} ({r.length} steps, replayed)")
            if srep.interrupted:
                raise KeyboardInterrupt
        for name in simulated:
            rows[name].covered["steps_simulated"] = steps_total
            rows[name].covered["distinct_states"] = states_total

        # BMC in both semantics: coverage of what is open, shortest-trace bounds for what is refuted
        if opts.bmc and left() > 5:
            bmc_jobs: list[tuple[str, str, int]] = []
            for n, row in rows.items():
                if row.verdict is Verdict.PROVED:
                    continue
                if row.verdict is Verdict.REFUTED:
                    if row.scope == scope and row.trace is not None and row.method != Method.BMC:
                        bmc_jobs.append((n, "interleaving", row.trace.length - 1))
                else:
                    bmc_jobs += [(n, "interleaving", 500), (n, "step", 500)]
            if bmc_jobs:
                slots = backend.slots if backend is not None else opts.workers
                per = max(2.0, left() * min(slots, len(bmc_jobs)) / len(bmc_jobs) - 2)
                say(f"BMC: {len(bmc_jobs)} run(s) of at most {per:.0f} s")
                tasks = [(info.name, scope.items, n, sem, per, depth) for n, sem, depth in bmc_jobs]
                interp = info.interpreter() if info.interpreter is not None else None
                for res in _map(_bmc_task, tasks, opts, backend, _bmc_lost):
                    row = rows[res.invariant]
                    row.covered[f"bmc_{res.semantics}_depth"] = res.covered
                    tr = res.trace
                    if tr is not None:
                        if interp is not None and not replay(tr, interp, scope).ok:
                            raise search.SearchBug(f"{row.invariant}: a BMC counterexample does not replay")
                        if row.trace is None or tr.length < row.trace.length:
                            row.verdict, row.method, row.scope, row.trace = Verdict.REFUTED, res.method, scope, tr
                            row.found_length = row.found_length or tr.length
                    say(f"BMC ({res.semantics}) {row.invariant}: covered depth {res.covered}")
        # shorter traces: the solver re-solves windows of each refutation found here
        refuted = [r for r in rows.values() if r.verdict is Verdict.REFUTED and r.trace is not None
                   and r.method != Method.RECORDED_COUNTEREXAMPLE and r.scope is not None]
        for row in refuted:
            if left() < 5:
                break
            assert row.trace is not None and row.scope is not None and row.length is not None  # refuted keeps only such rows
            say(f"{row.invariant}: re-solving windows of its {row.length}-step trace for a shorter one")
            from ..shorten import shorten

            shorter = shorten(info.build(row.scope), info.interpreter(), replace(row.trace, scope=row.scope),
                              row.invariant, seconds=min(90.0, left() / max(1, len(refuted))), progress=say)
            if shorter.length < row.length:
                row.notes.append(f"the solver shortened its trace from {row.length} to {shorter.length} steps")
                row.trace = shorter
    except KeyboardInterrupt:
        rep.interrupted = True
    if backend is not None:
        rep.events = list(backend.events)
    for row in rows.values():
        if not row.settled and not row.method:
            row.method = Method.NONE
    rep.seconds = time.perf_counter() - start
    return rep
