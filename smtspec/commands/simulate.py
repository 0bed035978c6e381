"""``smtspec simulate``: a guided (or swarm, or uniform) search campaign, with every
violation shrunk and replayed by the readable interpreter before it is reported."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from .. import guided, refute
from ..interp_search import InterpreterSystem
from ..scope import Scope
from ..system import SpecInfo


class SearchBug(RuntimeError):
    """A found violation did not replay on the interpreter: a bug of the fast form."""


@dataclass(frozen=True)
class SimulateOptions:
    names: tuple[str, ...]
    strategy: str = "guided"
    steps: int = 1_000_000
    seconds: float | None = None
    seed: int = 0
    workers: int = 1
    min_length: int = 10
    max_length: int = 60
    weights: tuple[tuple[str, float], ...] = ()
    shrink: bool = True


@dataclass
class SimulateReport:
    spec: str
    scope: Scope
    options: SimulateOptions
    search: guided.SearchReport
    refutations: list[refute.Refutation] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"schema": 1, "spec": self.spec, "scope": self.scope.as_dict(), "seed": self.options.seed,
                "invariants": list(self.options.names), **self.search.to_json(),
                "refuted": [{"invariant": r.invariant, "verdict": "refuted", "method": r.method,
                             "length": r.length, "found_length": r.found_length,
                             "trace": r.trace.extra.get("file")} for r in self.refutations]}


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


def run(info: SpecInfo, scope: Scope, opts: SimulateOptions, vars_,
        tick: Callable[[dict], None] | None = None) -> SimulateReport:
    search_opts = guided.SearchOptions(names=opts.names, strategy=opts.strategy, steps=opts.steps,
                                       seconds=opts.seconds, seed=opts.seed, min_length=opts.min_length,
                                       max_length=opts.max_length)
    rep, found = guided.campaign(loader_for(info), scope, search_opts, opts.workers, dict(opts.weights), tick)
    refs = refutations(info, scope, found, vars_, f"{opts.strategy}-simulation", opts.shrink)
    return SimulateReport(info.name, scope, opts, rep, refs)
