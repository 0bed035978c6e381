"""``smtspec simulate``: a guided (or swarm, or uniform) search campaign, with every
violation shrunk and replayed by the readable interpreter before it is reported."""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Mapping

from .. import guided, refute, registry
from ..engines import Problem, Simulation
from ..backend import BackendError
from ..errors import UsageError
from ..search import refutations
from ..scope import Scope
from ..system import SpecInfo
from ..verdict import SCHEMA, Method, Result, Verdict
from .common import check_scheduler, check_writable, resolve_scope, write_traces


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
    shards: int | None = None  # independent searches (search i: seed + i); None: shards_for(steps, seconds)
    scheduler: str | None = None  # a Dask scheduler's address (tcp://HOST:PORT): run the searches there


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


def validate(opts: SimulateOptions, info: SpecInfo) -> None:
    if opts.strategy not in guided.STRATEGIES:
        raise UsageError(f"--strategy must be one of {', '.join(guided.STRATEGIES)}, got {opts.strategy!r}")
    if not 1 <= opts.steps <= 10**10 or not 10 <= opts.max_length <= 10_000 or not 1 <= opts.workers <= 64:
        raise UsageError("--steps must be 1..10^10, --length 10..10000, --workers 1..64")
    if opts.seconds is not None and not 0 < opts.seconds < 10**7:
        raise UsageError(f"--budget must be a positive number of seconds, got {opts.seconds}")
    if opts.shards is not None and not 1 <= opts.shards <= MAX_SHARDS:
        raise UsageError(f"--searches must be 1..{MAX_SHARDS}, got {opts.shards}")
    check_scheduler(opts.scheduler)
    for action, w in opts.weights:
        if action not in info.action_names:
            raise UsageError(f"--weight: unknown action '{action}'{registry.suggest(action, info.action_names)}")
        if not math.isfinite(w) or w < 0:
            raise UsageError(f"--weight takes ACTION=NUMBER >= 0, got {action}={w}")
    if info.interpreter is None:
        raise UsageError(f"spec {info.name} has no concrete interpreter to simulate with")
    weights = dict(opts.weights)
    if weights and all(weights.get(a, 1.0) == 0 for a in info.action_names):
        raise UsageError("--weight: every action has weight 0, so no step could be taken")


SHARD_STEPS = 250_000  # steps per search, when the campaign is bounded by --steps alone
MAX_SHARDS = 1024


def shards_for(steps: int, seconds: float | None) -> int | None:
    """How many independent searches a campaign is split into when the options do not say: with
    a --steps budget alone, one per SHARD_STEPS steps (at most 16), whatever the number of
    workers, so that the same command gives the same result on one process, a pool or a
    cluster; with a time budget (not reproducible anyway) None, one long search per worker."""
    if seconds is not None:
        return None
    return max(1, min(16, -(-steps // SHARD_STEPS)))


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
    shards = opts.shards if opts.shards is not None else shards_for(opts.steps, opts.seconds)
    simulation = Simulation(opts.strategy, opts.steps, opts.seconds, opts.seed, opts.workers, opts.min_length,
                            opts.max_length, opts.weights, opts.shrink, shards=shards, scheduler=opts.scheduler)
    try:
        rep, found = simulation.search(Problem(info.name, scope, opts.names), tick)
    except BackendError as e:
        raise UsageError(str(e)) from None
    refs = refutations(info, scope, found, vars_, Method.simulation(opts.strategy), opts.shrink)
    return SimulateReport(info.name, scope, opts, rep, refs)
