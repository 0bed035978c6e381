"""``smtspec simulate``: a guided (or swarm, or uniform) search campaign, with every
violation shrunk and replayed by the readable interpreter before it is reported."""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Mapping

from .. import guided, refute, registry
from ..errors import UsageError
from ..interp_search import InterpreterSystem
from ..scope import Scope
from ..system import SpecInfo
from ..verdict import SCHEMA, Method, Result, Verdict
from .common import check_writable, resolve_scope, write_traces


class SearchBug(RuntimeError):
    """A found violation did not replay on the interpreter: a bug of the fast form."""


@dataclass(frozen=True)
class SimulateOptions:
    names: tuple[str, ...] = ()  # default: every invariant of the spec
    strategy: str = "guided"
    steps: int = 1_000_000
    seconds: float | None = None
    seed: int = 0
    workers: int = 1
    min_length: int = 10
    max_length: int = 60
    weights: tuple[tuple[str, float], ...] = ()
    shrink: bool = True
    spec: str | None = None
    scope: Mapping[str, int] = field(default_factory=dict)
    trace_dir: Path | None = None  # where the command writes each violation's trace (None: not written)


@dataclass
class SimulateReport:
    spec: str
    scope: Scope
    options: SimulateOptions
    search: guided.SearchReport
    refutations: list[refute.Refutation] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"schema": SCHEMA, "spec": self.spec, "scope": self.scope.as_dict(), "seed": self.options.seed,
                "invariants": list(self.options.names), **self.search.to_json(),
                "method": Method.simulation(self.options.strategy).value,
                "refuted": [{"invariant": r.invariant, "verdict": "refuted", "method": r.method,
                             "length": r.length, "found_length": r.found_length,
                             "trace": r.trace.extra.get("file")} for r in self.refutations]}

    def exit_code(self) -> int:
        return 3 if self.search.interrupted else (1 if self.refutations else 0)


def loader_for(info: SpecInfo) -> Callable[[Scope], object]:
    """The spec's fast form if it has one, else its interpreter seen as a FastSystem."""
    if info.fast is not None:
        return info.fast
    return _InterpreterLoader(info.interpreter)


class _InterpreterLoader:
    """A picklable ``scope -> InterpreterSystem`` (for worker processes)."""

    def __init__(self, interpreter_loader):
        self.interpreter_loader = interpreter_loader

    def __call__(self, scope: Scope):
        interp = self.interpreter_loader()
        return InterpreterSystem(interp, scope, interp.ACTIONS)


def refutations(info: SpecInfo, scope: Scope, found, vars_, method: str, shrink: bool = True,
                names: tuple[str, ...] = ()) -> list[refute.Refutation]:
    """Each found path shrunk, turned into a trace, and replayed by the interpreter."""
    fs = loader_for(info)(scope)
    interp = info.interpreter()
    out = []
    for _w, f in sorted(found, key=lambda x: x[1].invariant):
        path = refute.shrink_path(fs, f.path, f.invariant) if shrink else f.path
        tr = refute.to_trace(fs, info.name, scope, path, f.invariant, vars_, names or (f.invariant,),
                             extra={"found_by": method, "found_length": f.length})
        problems = refute.confirmed(tr, interp, scope)
        if problems:
            raise SearchBug(f"{f.invariant}: the search's trace does not replay: {problems[0]}")
        out.append(refute.Refutation(f.invariant, tr, f.length, method))
    return out


def validate(opts: SimulateOptions, info: SpecInfo) -> None:
    if opts.strategy not in guided.STRATEGIES:
        raise UsageError(f"--strategy must be one of {', '.join(guided.STRATEGIES)}, got {opts.strategy!r}")
    if not 1 <= opts.steps <= 10**10 or not 10 <= opts.max_length <= 10_000 or not 1 <= opts.workers <= 64:
        raise UsageError("--steps must be 1..10^10, --length 10..10000, --workers 1..64")
    if opts.seconds is not None and not 0 < opts.seconds < 10**7:
        raise UsageError(f"--budget must be a positive number of seconds, got {opts.seconds}")
    for action, w in opts.weights:
        if action not in info.action_names:
            raise UsageError(f"--weight: unknown action '{action}'{registry.suggest(action, info.action_names)}")
        if not math.isfinite(w) or w < 0:
            raise UsageError(f"--weight takes ACTION=NUMBER >= 0, got {action}={w}")
    if info.interpreter is None:
        raise UsageError(f"spec {info.name} has no concrete interpreter to simulate with")


def run(opts: SimulateOptions, tick: Callable[[dict], None] | None = None) -> SimulateReport:
    """The campaign the options ask for, its violations replayed and (with ``trace_dir``) written."""
    info, scope = resolve_scope(opts.spec, list(opts.names), opts.scope)
    validate(opts, info)
    if not opts.names:
        opts = replace(opts, names=tuple(info.invariant_names))
    if opts.trace_dir is not None:
        check_writable(opts.trace_dir)
    vars_ = [x.name for x in info.build(scope).vars]
    rep = campaign(info, scope, opts, vars_, tick)
    if opts.trace_dir is not None:
        written = write_traces([Result(info.name, r.invariant, Verdict.REFUTED, r.method, r.length, scope, (), 0.0,
                                       trace=r.trace) for r in rep.refutations], opts.trace_dir)
        for r, w in zip(rep.refutations, written):
            r.trace.extra["file"] = w.trace_file
    return rep


def campaign(info: SpecInfo, scope: Scope, opts: SimulateOptions, vars_,
             tick: Callable[[dict], None] | None = None) -> SimulateReport:
    """One search campaign on the spec's fast form, each violation shrunk and replayed."""
    search_opts = guided.SearchOptions(names=opts.names, strategy=opts.strategy, steps=opts.steps,
                                       seconds=opts.seconds, seed=opts.seed, min_length=opts.min_length,
                                       max_length=opts.max_length)
    rep, found = guided.campaign(loader_for(info), scope, search_opts, opts.workers, dict(opts.weights), tick)
    refs = refutations(info, scope, found, vars_, Method.simulation(opts.strategy), opts.shrink)
    return SimulateReport(info.name, scope, opts, rep, refs)


# ------------------------------------------------------------------ BMC from the search's frontier

_SYSTEMS: dict = {}  # (spec, scope) -> the Z3 system, built once per worker process


def _frontier_task(job) -> list[tuple[str, tuple]]:
    """BMC from the last state of one search path; the violating paths found (as fast paths)."""
    import time as _time

    from .. import guided
    from ..frontier import bmc_from

    spec, scope_items, path, names, depth, seconds, wall_deadline = job
    if _time.time() > wall_deadline:
        return []  # the phase's time is up: skip, do not build anything
    info = registry.get(spec)
    scope = Scope(scope_items)
    key = (spec, scope_items)
    if key not in _SYSTEMS:
        _SYSTEMS[key] = info.build(scope)
    system = _SYSTEMS[key]
    fs = loader_for(info)(scope)
    states = guided.replay_path(fs, path)
    remaining = min(seconds, wall_deadline - _time.time())
    found = bmc_from(system, fs.to_rec(states[-1]), names, depth, _time.perf_counter() + max(0.0, remaining))
    out = []
    for sfx in found:
        extra = []
        st = states[-1]
        for step in sfx.steps:
            args = fs.args(step.action, step.params) if hasattr(fs, "args") else step.params
            succ = fs.apply(step.action, st, args) if args in fs.enum(step.action, st) else []
            # the solver's successor is the one whose interpreter form it decoded
            want = sfx.states[len(extra) + 1]
            pick = next((c for c, x in enumerate(succ) if fs.to_rec(x) == want), None)
            if pick is None:
                break  # not a step of the fast form: dropped here, and never reported
            extra.append((step.action, args, pick))
            st = succ[pick]
        else:
            out.append((sfx.invariant, tuple(path) + tuple(extra)))
    return out


def frontier_search(info: SpecInfo, scope: Scope, paths: list, names, depth: int, seconds: float, workers: int,
                    tick: Callable[[str], None] = lambda m: None) -> list[tuple[int, guided.Found]]:
    """BMC of up to ``depth`` steps from the end of each path, ``seconds`` in all, on ``workers``
    processes; the violating paths, shortest per invariant, as :class:`guided.Found`."""
    import time as _time

    from ..pool import pool_map

    if not paths or not names:
        return []
    # about 4 s per start state (building the solver's system is part of it), never past the deadline
    paths = paths[:max(workers, int(seconds * workers / 4))]
    per = max(1.0, seconds * workers / len(paths))
    wall_deadline = _time.time() + seconds
    jobs = [(info.name, scope.items, p, tuple(names), depth, per, wall_deadline) for p in paths]
    best: dict[str, guided.Found] = {}
    t0 = _time.perf_counter()
    for k, found in enumerate(pool_map(_frontier_task, jobs, workers)):
        for name, path in found:
            if name not in best or len(path) < best[name].length:
                best[name] = guided.Found(name, path, k, 0)
        tick(f"BMC from {k + 1}/{len(jobs)} frontier states ({_time.perf_counter() - t0:.0f} s): "
             f"violated {', '.join(sorted(best)) or 'none yet'}")
    return [(0, f) for f in best.values()]
