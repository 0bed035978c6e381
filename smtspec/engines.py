"""The one seam every engine plugs into: a :class:`Problem` in, one :class:`Result` per invariant out.

An engine is a frozen dataclass of its own options with a ``method`` and
``run(problem, progress) -> {invariant: Result}``. Problems and engines are plain data, so
a task ``(engine, problem)`` can run in another process (:func:`run_task`), where the
spec's system is built once and reused. ``commands/check.py`` composes engines; a new one
(PDR, say) is a class here (or in its own module) with the same two members, and needs no
other edit to be run by a pool.

- :class:`BMC`: bounded model checking from Init, interleaving or step semantics.
- :class:`KInduction`: k-induction (base case and inductive step).
- :class:`Simulation`: a guided (or swarm, or uniform) search campaign, each violation
  shrunk and replayed by the interpreter; finding none is ``unknown`` (cause ``budget``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, Callable, ClassVar, Protocol

from . import engine, guided, registry
from .scope import Scope
from .system import SpecInfo, System
from .verdict import Cause, Method, Result, Verdict

Progress = Callable[[str], None]


def _quiet(_: str) -> None:
    pass


_SYSTEMS: dict[tuple, System] = {}  # (spec, scope items) -> system, built once per process


@dataclass(frozen=True)
class Problem:
    """Which invariants of which spec at which scope: plain data an engine can be sent."""

    spec: str
    scope: Scope
    invariants: tuple[str, ...]

    @property
    def info(self) -> SpecInfo:
        return registry.get(self.spec)

    def system(self) -> System:
        """The spec's system at the scope, built once per process."""
        key = (self.spec, self.scope.items)
        if key not in _SYSTEMS:
            _SYSTEMS[key] = self.info.build(self.scope)
        return _SYSTEMS[key]


class Engine(Protocol):
    """What ``check`` (and a pool of workers) needs of an engine."""

    method: ClassVar[Method]

    def run(self, problem: Problem, progress: Progress = _quiet) -> dict[str, Result]: ...


@dataclass(frozen=True)
class BMC:
    """Bounded model checking to ``depth`` steps of ``semantics``, within ``budget`` seconds."""

    depth: int
    semantics: str = "interleaving"
    budget: float | None = None
    timeout: float | None = None
    cone: bool = True
    symmetry: bool = True
    seed: int = 0
    method: ClassVar[Method] = Method.BMC

    def run(self, problem: Problem, progress: Progress = _quiet) -> dict[str, Result]:
        opts = engine.Options(timeout=self.timeout, seed=self.seed, cone=self.cone, symmetry=self.symmetry,
                              budget=self.budget, semantics=self.semantics)
        return engine.bmc(problem.system(), list(problem.invariants), self.depth, opts, progress)


@dataclass(frozen=True)
class KInduction:
    """k-induction of the problem's invariants together, under ``assume``."""

    k: int = 1
    assume: tuple[str, ...] = ()
    simple_path: bool = False
    capacity_check: bool = True
    timeout: float | None = None
    seed: int = 0
    method: ClassVar[Method] = Method.K_INDUCTION

    def run(self, problem: Problem, progress: Progress = _quiet) -> dict[str, Result]:
        opts = engine.Options(timeout=self.timeout, seed=self.seed, simple_path=self.simple_path,
                              capacity_check=self.capacity_check)
        return engine.prove(problem.system(), list(problem.invariants), self.k, self.assume, opts, progress)


@dataclass(frozen=True)
class Simulation:
    """A search campaign on the spec's fast form (or its interpreter): each violation found is
    shrunk (optionally) and replayed by the interpreter before it becomes a ``refuted``."""

    strategy: str = "guided"
    steps: int = 1_000_000
    seconds: float | None = None
    seed: int = 0
    workers: int = 1
    min_length: int = 10
    max_length: int = 60
    weights: tuple[tuple[str, float], ...] = ()
    shrink: bool = True
    frontier: int = 0  # guided: keep this many deepest paths (SearchReport.frontier)
    shards: int | None = None  # independent searches (search i: seed + i); None: one per worker
    scheduler: str | None = None  # a Dask scheduler's address: run the searches on that cluster
    method: ClassVar[Method] = Method.GUIDED_SIMULATION

    def search(self, problem: Problem, tick: Callable[[dict], None] | None = None, backend=None):
        """The campaign alone: its report and the violating paths (search, Found). ``backend``
        (a :class:`smtspec.backend.Backend`) runs the searches; by default one is made for the
        campaign from ``workers`` and ``scheduler``."""
        from .backend import backend_for
        from .search import loader_for

        opts = guided.SearchOptions(names=problem.invariants, strategy=self.strategy, steps=self.steps,
                                    seconds=self.seconds, seed=self.seed, min_length=self.min_length,
                                    max_length=self.max_length, frontier=self.frontier)
        if backend is None:
            with backend_for(self.workers, self.scheduler) as own:
                return guided.campaign(loader_for(problem.info), problem.scope, opts, self.workers,
                                       dict(self.weights), tick, self.shards, own)
        return guided.campaign(loader_for(problem.info), problem.scope, opts, self.workers, dict(self.weights), tick,
                               self.shards, backend)

    def run(self, problem: Problem, progress: Progress = _quiet) -> dict[str, Result]:
        from .search import refutations

        start = time.perf_counter()
        rep, found = self.search(problem, lambda i: progress(
            f"{self.strategy} simulation: {i['steps']:,} steps, {i['distinct_states']:,} states"))
        method = Method.simulation(self.strategy)
        vars_ = [v.name for v in problem.system().vars]
        refs = {r.invariant: r for r in refutations(problem.info, problem.scope, found, vars_, method, self.shrink)}
        stats = {"steps": rep.steps, "walks": rep.walks, "distinct states": rep.distinct_states,
                 "max depth": rep.max_depth}
        out = {}
        for name in problem.invariants:
            r = refs.get(name)
            common: dict[str, Any] = dict(spec=problem.spec, invariant=name, method=method, scope=problem.scope,
                                          assumptions=(), seconds=time.perf_counter() - start, stats=stats)
            if r is not None:
                out[name] = Result(verdict=Verdict.REFUTED, bound=r.length, trace=r.trace, **common)
            else:
                why = "interrupted" if rep.interrupted else "the search's budget was spent"
                out[name] = Result(verdict=Verdict.UNKNOWN, bound=rep.max_depth,
                                   cause=Cause.INTERRUPTED if rep.interrupted else Cause.BUDGET,
                                   reason=f"no violation in {rep.steps:,} steps simulated ({why}; not a proof)",
                                   **common)
        return out


def run_task(task: tuple[Engine, Problem]) -> dict[str, Result]:
    """One engine on one problem, in whatever process runs it (a local pool's worker, a Dask worker)."""
    eng, problem = task
    return eng.run(problem)


ENGINES: tuple[type, ...] = (BMC, KInduction, Simulation)

__all__ = ["BMC", "ENGINES", "Engine", "KInduction", "Problem", "Simulation", "run_task"]
