"""The search engine's last mile: a campaign's violations shrunk, turned into traces and replayed
by the readable interpreter, and BMC of a few steps from the deepest states a search reached.

Protocol-free: it takes a :class:`SpecInfo` (its fast form, or its interpreter seen as a
:class:`guided.FastSystem`) and returns :class:`refute.Refutation` s that replayed.
"""

from __future__ import annotations

from typing import Any, Callable

from . import guided, refute, registry
from .interp_search import InterpreterSystem
from .scope import Scope
from .system import SpecInfo
from .verdict import Method


class SearchBug(RuntimeError):
    """A found violation did not replay on the interpreter: a bug of the fast form."""


def loader_for(info: SpecInfo) -> Callable[[Scope], Any]:
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


def refutations(info: SpecInfo, scope: Scope, found, vars_, method: Method, shrink: bool = True,
                names: tuple[str, ...] = ()) -> list[refute.Refutation]:
    """Each found path shrunk, turned into a trace, and replayed by the interpreter."""
    assert info.interpreter is not None  # its callers (check, simulate) refuse a spec without one
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


# ------------------------------------------------------------------ BMC from the search's frontier

_SYSTEMS: dict = {}  # (spec, scope) -> the Z3 system, built once per worker process


def _frontier_task(job) -> list[tuple[str, tuple]]:
    """BMC from the last state of one search path; the violating paths found (as fast paths)."""
    import time as _time

    from . import guided
    from .frontier import bmc_from

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
        extra: list[tuple[str, Any, int]] = []
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
                    tick: Callable[[str], None] = lambda m: None, backend=None) -> list[tuple[int, guided.Found]]:
    """BMC of up to ``depth`` steps from the end of each path, ``seconds`` in all, on ``workers``
    processes (or on ``backend``, a :class:`smtspec.backend.Backend`, with its worker count); the
    violating paths, shortest per invariant, as :class:`guided.Found`."""
    import time as _time

    from .backend import run_all

    if not paths or not names:
        return []
    if backend is not None:
        workers = backend.slots
    # about 4 s per start state (building the solver's system is part of it), never past the deadline
    paths = paths[:max(workers, int(seconds * workers / 4))]
    per = max(1.0, seconds * workers / len(paths))
    wall_deadline = _time.time() + seconds
    jobs = [(info.name, scope.items, p, tuple(names), depth, per, wall_deadline) for p in paths]
    best: dict[str, guided.Found] = {}
    t0 = _time.perf_counter()
    results: dict[int, list] = {}
    for k, (i, found) in enumerate(run_all(_indexed_task, list(enumerate(jobs)), backend, min(workers, len(jobs)),
                                           _lost)):
        results[i] = found
        tick(f"BMC from {k + 1}/{len(jobs)} frontier states ({_time.perf_counter() - t0:.0f} s): "
             f"violated {', '.join(sorted({n for f in results.values() for n, _p in f})) or 'none yet'}")
    for i in sorted(results):  # in the order of the paths, wherever and whenever each task ran
        for name, path in results[i]:
            if name not in best or len(path) < best[name].length:
                best[name] = guided.Found(name, path, i, 0)
    return [(0, f) for f in best.values()]


def _indexed_task(job):
    i, inner = job
    return i, _frontier_task(inner)


def _lost(job, err) -> tuple[int, list]:
    """A frontier task whose workers kept dying: it found nothing (the phase goes on)."""
    return job[0], []
