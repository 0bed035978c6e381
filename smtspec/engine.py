"""Bounded model checking and k-induction: loops over the query builders of :mod:`unroll`.

The engine knows systems, invariants and solvers, nothing about any protocol.

- :func:`bmc` checks states at depth 0, 1, 2... on one incremental solver (push/pop), so
  the first counterexample found for an invariant is a shortest one.
- :func:`prove` runs the base case (BMC to depth k-1) and the inductive step: k
  consecutive states from an arbitrary well-formed state satisfying the invariants and
  every assumption, then a state violating one of them. Several invariants are proved as
  a conjunction; when the step fails, the invariants violated in the last state are
  dropped and the rest are tried again (each dropped one is ``unknown`` with its CTI).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from typing import Callable, Sequence

import z3

from . import trace as traces
from .explain import explain, reads
from .solving import Interrupted, Solver
from .system import Invariant, System
from .unroll import arbitrary, holds, initial, simple_path, trans
from .verdict import Result, Verdict

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Options:
    """Solver options shared by every query of one command."""

    timeout: float | None = None  # seconds per query
    simple_path: bool = False
    seed: int = 0
    capacity_check: bool = True  # re-check a proof at capacity + 1 and say whether it still holds


def _noop(_: str) -> None:
    pass


def _result(system: System, inv: str, verdict: Verdict, method: str, bound: int, start: float,
            assumptions: Sequence[str], solver: Solver, opts: Options, **kw) -> Result:
    return Result(
        spec=system.spec,
        invariant=inv,
        verdict=verdict,
        method=method,
        bound=bound,
        scope=system.scope,
        assumptions=tuple(assumptions),
        seconds=time.perf_counter() - start,
        stats=solver.statistics(),
        narrowings=tuple(n.text for n in system.narrowings),
        simple_path=opts.simple_path,
        **kw,
    )


def _focus(system: System, invs, u, t: int, tr) -> tuple[str, ...]:
    """The variables worth showing in a trace's first state: read by the invariant, or changed by a step."""
    names = set().union(*(reads(i, u, t) for i in invs))
    for a, b in zip(tr.states, tr.states[1:]):
        names |= {v for v in tr.vars if a[v] != b[v] and v not in system.next_vars}
    return tuple(v.name for v in system.vars if v.name in names)


def bmc(system: System, names: Sequence[str], depth: int, opts: Options = Options(),
        progress: Progress = _noop, method: str = "bmc") -> dict[str, Result]:
    """Shortest counterexample of each invariant up to ``depth`` steps, or no-violation.

    Ctrl-C ends the run cleanly: what was finished is kept, the rest is ``unknown``.
    """
    start = time.perf_counter()
    solver = Solver(opts.timeout, opts.seed)
    u, c0 = initial(system)
    solver.add(c0)
    results: dict[str, Result] = {}
    pending = [system.invariant(n) for n in names]

    def check_depth(d: int) -> None:
        for inv in list(pending):
            progress(f"{method}: {inv.name} at depth {d}/{depth}")
            with solver.scope():
                solver.add(z3.Not(holds(u, inv, d)))
                ans = solver.check(label=f"bmc-{inv.name}-{d}")
                if ans.status == "sat":
                    model = solver.model()
                    tr = traces.decode(model, u, kind="counterexample", invariants=(inv.name,), violated=(inv.name,))
                    results[inv.name] = _result(system, inv.name, Verdict.REFUTED, method, d, start, (),
                                                solver, opts, trace=tr, explanation=explain(inv, u, d, model, tr.states),
                                                focus=_focus(system, [inv], u, d, tr))
                    pending.remove(inv)
                elif ans.status == "unknown":
                    results[inv.name] = _result(system, inv.name, Verdict.UNKNOWN, method, d, start, (), solver,
                                                opts, reason=f"{ans.reason} at depth {d}; no violation up to depth {d - 1}")
                    pending.remove(inv)
        # what was just shown unreachable may help the solver at later depths
        solver.add(*[holds(u, inv, d) for inv in pending])

    d = 0
    try:
        for d in range(depth + 1):
            if d > 0:
                progress(f"{method}: building step {d}/{depth}")
                solver.add(trans(u))
            check_depth(d)
            if not pending:
                break
    except (Interrupted, KeyboardInterrupt):
        for inv in pending:
            results[inv.name] = _result(system, inv.name, Verdict.UNKNOWN, method, d, start, (), solver, opts,
                                        reason=f"interrupted at depth {d}; no violation up to depth {d - 1}")
        pending = []
    for inv in pending:
        results[inv.name] = _result(system, inv.name, Verdict.NO_VIOLATION, method, depth, start, (), solver, opts)
    return {n: results[n] for n in names}


def prove(system: System, names: Sequence[str], k: int, assume: Sequence[str] = (),
          opts: Options = Options(), progress: Progress = _noop) -> dict[str, Result]:
    """k-induction for the conjunction of ``names`` under the assumptions ``assume``."""
    if k < 1:
        raise ValueError("k must be at least 1")
    start = time.perf_counter()
    base = bmc(system, names, k - 1, opts, progress, method="k-induction base")
    results: dict[str, Result] = {}
    group: list[str] = []
    for n, r in base.items():
        if r.verdict is Verdict.NO_VIOLATION:
            group.append(n)
        else:
            results[n] = replace(r, method="k-induction", bound=k,
                                 reason=r.reason and f"base case: {r.reason}")
    interrupted = any(r.reason.startswith("interrupted") for r in base.values())
    assumed = [system.invariant(a) for a in assume if a not in names]
    solver = Solver(opts.timeout, opts.seed)
    if interrupted:
        group = []  # Ctrl-C in the base case: no step query
    try:
        _inductive_step(system, names, k, assumed, group, results, solver, opts, progress, start)
        if opts.capacity_check:
            _capacity_check(system, names, k, assumed, results, opts, progress, start)
    except (Interrupted, KeyboardInterrupt):
        for n in names:
            if n not in results:
                results[n] = _result(system, n, Verdict.UNKNOWN, "k-induction", k, start,
                                     [a.name for a in assumed], solver, opts,
                                     reason="interrupted" + ("" if interrupted else " in the inductive step"))
    return {n: results[n] for n in names}


def _capacity_check(system, names, k, assumed, results, opts, progress, start) -> None:
    """Re-check the proved group with one more arbitrary element per grow-only set.

    A proof holds for grow-only sets of at most ``capacity`` elements. If the same group
    is not inductive with ``capacity + 1``, the proof depends on the bound (a CTI needs
    more elements than the bound allows); the verdict stays ``proved`` within its scope
    and says so, with the larger CTI.
    """
    cap = system.scope.as_dict().get("capacity")
    proved = [n for n in names if results[n].verdict is Verdict.PROVED]
    if cap is None or not proved or not any(v.grow for v in system.vars):
        return
    progress(f"k-induction: re-checking at capacity {cap + 1}")
    bigger: dict[str, Result] = {}
    _inductive_step(system, proved, k, assumed, list(proved), bigger, Solver(opts.timeout, opts.seed), opts,
                    progress, start, capacity=cap + 1)
    for n in proved:
        b = bigger[n]
        if b.verdict is Verdict.PROVED:
            note = f"also {k}-inductive with capacity {cap + 1}"
        elif b.trace is not None:
            note = (f"NOT {k}-inductive with capacity {cap + 1}: this proof depends on the capacity bound "
                    f"(a CTI with more set elements violates {', '.join(b.trace.violated)})")
        else:
            note = f"with capacity {cap + 1}: {b.reason}"
        results[n] = replace(results[n], capacity_note=note)


def _inductive_step(system, names, k, assumed, group, results, solver, opts, progress, start,
                    capacity: int | None = None) -> None:
    """The step query, repeated without the invariants its CTIs violate, until it holds or none is left."""
    cap = system.scope.as_dict().get("capacity", 0) if capacity is None else capacity
    u, c0 = arbitrary(system, cap)
    solver.add(c0)
    for _ in range(k):
        solver.add(trans(u))
    for a in assumed:
        solver.add(*[holds(u, a, t) for t in range(k)])
    if opts.simple_path:
        solver.add(simple_path(u))
    while group:
        invs = [system.invariant(n) for n in group]
        progress(f"k-induction: step k={k} for {', '.join(group)}")
        with solver.scope():
            for inv in invs:
                solver.add(*[holds(u, inv, t) for t in range(k)])
            solver.add(z3.Or([z3.Not(holds(u, inv, k)) for inv in invs]))
            ans = solver.check(label=f"step-{'-'.join(group)}-k{k}")
            if ans.status == "unsat":
                for n in group:
                    together = tuple(g for g in group if g != n)
                    results[n] = _result(system, n, Verdict.PROVED, "k-induction", k, start,
                                         [a.name for a in assumed], solver, opts, together=together)
                group = []
            elif ans.status == "unknown":
                for n in group:
                    results[n] = _result(system, n, Verdict.UNKNOWN, "k-induction", k, start,
                                         [a.name for a in assumed], solver, opts,
                                         reason=f"inductive step: {ans.reason}")
                group = []
            else:
                model = solver.model()
                failed = tuple(inv.name for inv in invs
                               if z3.is_false(model.eval(holds(u, inv, k), model_completion=True)))
                tr = traces.decode(model, u, kind="cti", invariants=tuple(group), violated=failed,
                                   assumptions=tuple(a.name for a in assumed))
                for n in failed:
                    together = tuple(g for g in group if g != n)
                    results[n] = _result(
                        system, n, Verdict.UNKNOWN, "k-induction", k, start, [a.name for a in assumed], solver, opts,
                        trace=tr, together=together,
                        reason=f"not {k}-inductive: counterexample to induction (CTI) violates {n} in its last state",
                        explanation=explain(system.invariant(n), u, k, model, tr.states),
                        focus=_focus(system, [system.invariant(n)], u, k, tr),
                    )
                group = [g for g in group if g not in failed]




__all__ = ["Options", "bmc", "prove"]
