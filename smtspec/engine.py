"""Bounded model checking and k-induction: loops over the query builders of :mod:`unroll`.

The engine knows systems, invariants and solvers, nothing about any protocol.

- :func:`bmc` checks states at depth 0, 1, 2... on one incremental solver (push/pop), so
  the first counterexample found for an invariant is a shortest one.
- With ``Options(semantics="step")`` a BMC step fires several independent action instances
  (:mod:`stepsem`); depths count those steps, and a counterexample is serialized into an
  ordinary interleaved trace and re-checked step by step before it is reported.
- :func:`prove` runs the base case (BMC to depth k-1) and the inductive step: k
  consecutive states from an arbitrary well-formed state satisfying the invariants and
  every assumption, then a state violating one of them. Several invariants are proved as
  a conjunction; when the step fails, the invariants violated in the last state are
  dropped and the rest are tried again (each dropped one is ``unknown`` with its CTI).
"""

from __future__ import annotations

import ctypes

import time
from dataclasses import dataclass, replace
from typing import Callable, Sequence

import z3

from . import trace as traces
from .explain import explain, reads
from .solving import Interrupted, Solver, is_interrupt
from .system import Invariant, System
from .unroll import arbitrary, holds, initial, simple_path, trans
from .verdict import Cause, Method, Result, Verdict

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Options:
    """Solver options shared by every query of one command."""

    timeout: float | None = None  # seconds per query
    simple_path: bool = False
    seed: int = 0
    capacity_check: bool = True  # re-check a proof at capacity + 1 and say whether it still holds
    cone: bool = True  # BMC: unroll only the invariants' cone of influence (cone.py)
    symmetry: bool = True  # BMC: only canonical behaviours under the declared symmetry (symmetry.py)
    budget: float | None = None  # BMC: seconds for the whole run; deeper depths are left unchecked
    semantics: str = "interleaving"  # BMC: "interleaving" (one action per step) or "step" (stepsem.py)


SEMANTICS = ("interleaving", "step")


def _noop(_: str) -> None:
    pass


def _result(system: System, inv: str, verdict: Verdict, method: Method | str, bound: int, start: float,
            assumptions: Sequence[str], solver: Solver, opts: Options, **kw) -> Result:
    return Result(
        spec=system.spec,
        invariant=inv,
        verdict=verdict,
        method=Method(method),
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


def reduce(system: System, invs: Sequence[Invariant], opts: Options) -> tuple[System, object, tuple[str, ...]]:
    """The system BMC runs for ``invs``, the symmetry it may break, and one line per reduction used."""
    from .cone import Dependencies, cone, describe, restrict

    notes: list[str] = []
    run = system
    if opts.cone:
        deps = Dependencies(system)
        keep = cone(system, invs, deps)
        if len(keep) < len(system.vars):
            run = restrict(system, keep, deps)
            notes.append(describe(system, keep))
    sym = system.symmetry if opts.symmetry else None
    if sym is not None and opts.semantics == "step":
        # the canonical order of symmetry.py constrains the actor of each interleaved step; with
        # several actors per step (serialized by server) its argument does not carry over as is
        notes.append(f"no symmetry breaking: not used with step semantics (its canonical order of {sym.sort} "
                     "is argued for one action per step)")
        sym = None
    if sym is not None:
        odd = [i.name for i in invs if not i.symmetric]
        if odd:
            notes.append(f"no symmetry breaking: {', '.join(odd)} not declared symmetric in {sym.sort}")
            sym = None
        else:
            notes.append(sym.describe())
    return run, sym, tuple(notes)


def _step(solver: Solver, u, sym, plan=None) -> None:
    if plan is not None:  # step semantics (stepsem.py); never with symmetry breaking
        from .stepsem import trans as step_trans

        solver.add(step_trans(u, plan))
        return
    solver.add(trans(u))
    if sym is not None:
        from .symmetry import canonical_order

        solver.add(canonical_order(u, sym))


def bmc_query(system: System, name: str, depth: int, opts: Options = Options()) -> list[z3.BoolRef]:
    """The assertions of :func:`bmc`'s query for ``name`` at ``depth``, in one piece.

    The same reductions, steps and earlier-depth facts as the incremental run, for handing
    the query to another solver or to a file (``benchmarks/bench_solvers.py``).
    """
    inv = system.invariant(name)
    run, sym, _ = reduce(system, [inv], opts) if depth > 0 else (system, None, ())
    plan = _plan(run, opts) if depth > 0 else None
    u, c0 = initial(run)
    solver = Solver()
    solver.add(c0)
    for t in range(depth):
        solver.add(holds(u, inv, t))
        _step(solver, u, sym, plan)
    return [*solver.assertions(), z3.Not(holds(u, inv, depth))]


def _confirm(system: System, inv: Invariant, shown: Sequence[Invariant], d: int, model, reduced_u, sym,
             opts: Options):
    """A counterexample of the reduced system, found again on the full one (first with the same steps)."""
    psorts = system.param_sorts()
    solver = Solver(opts.timeout, opts.seed)
    u, c0 = initial(system)
    solver.add(c0)
    for t in range(d):
        _step(solver, u, sym)
        solver.add(*[holds(u, i, t) for i in shown])
    solver.add(z3.Not(holds(u, inv, d)))
    pins = []
    for full, red in zip(u.steps, reduced_u.steps):
        pins += [full.fire[n] == model.eval(f, model_completion=True) if n in full.fire else z3.BoolVal(True)
                 for n, f in red.fire.items()]
        for n, p in red.params.items():
            if n in full.params:
                pins += [a == model.eval(b, model_completion=True)
                         for a, b in zip(psorts[n].leaves(full.params[n]), psorts[n].leaves(p))]
    with solver.scope():
        solver.add(*pins)
        if solver.check(label=f"confirm-{inv.name}-{d}").status == "sat":
            return solver.model(), u, solver
    if solver.check(label=f"confirm-{inv.name}-{d}-free").status == "sat":
        return solver.model(), u, solver
    return None


def _plan(system: System, opts: Options):
    """The step-semantics plan of ``system`` (None for interleaving semantics)."""
    if opts.semantics not in SEMANTICS:
        raise ValueError(f"semantics must be one of {', '.join(SEMANTICS)}, got {opts.semantics!r}")
    if opts.semantics == "interleaving":
        return None
    from .stepsem import plan

    return plan(system)


def _confirm_step(system: System, plan, inv: Invariant, shown: Sequence[Invariant], d: int, model, reduced_u,
                  reduced_plan, opts: Options):
    """:func:`_confirm` for step semantics: the same depth on the full system, first with the same slots."""
    from .stepsem import pins, trans as step_trans

    solver = Solver(opts.timeout, opts.seed)
    u, c0 = initial(system)
    solver.add(c0)
    for t in range(d):
        solver.add(step_trans(u, plan))
        solver.add(*[holds(u, i, t) for i in shown])
    solver.add(z3.Not(holds(u, inv, d)))
    with solver.scope():
        solver.add(*pins(u, plan, reduced_u, reduced_plan, model))
        if solver.check(label=f"confirm-{inv.name}-{d}").status == "sat":
            return solver.model(), u, solver
    if solver.check(label=f"confirm-{inv.name}-{d}-free").status == "sat":
        return solver.model(), u, solver
    return None


def _serialized(system: System, plan, inv: Invariant, d: int, model, u):
    """A step-semantics counterexample as an interleaved trace, re-checked step by step."""
    from .stepsem import check_interleaved, decode

    tr = decode(model, u, plan, kind="counterexample", invariants=(inv.name,), violated=(inv.name,), cut=inv)
    problems = check_interleaved(system, tr)
    if problems:  # a bug of stepsem.py: never report it
        raise AssertionError(f"step semantics: the serialized counterexample of {inv.name} at depth {d} is not "
                             f"an interleaved behaviour: {problems[0]}")
    return tr


class _BudgetSpent(Exception):
    pass


def bmc(system: System, names: Sequence[str], depth: int, opts: Options = Options(),
        progress: Progress = _noop, method: str = "bmc",
        observe: Callable[[int, dict], None] | None = None) -> dict[str, Result]:
    """Shortest counterexample of each invariant up to ``depth`` steps, or no-violation.

    With ``opts.cone`` the unrolling is of the system restricted to the invariants' cone of
    influence, and a counterexample is confirmed on the full system before it is reported
    (see :mod:`cone`); with ``opts.symmetry`` only canonical behaviours are unrolled (see
    :mod:`symmetry`). Ctrl-C ends the run cleanly: what was finished is kept, the rest is
    ``unknown``. With ``opts.budget`` the run stops when that many seconds have passed; the
    invariants still pending are ``unknown`` with the depths covered. ``observe(d, figures)``
    is called after each depth with its seconds and the solver's statistics (benchmarks).
    """
    start = time.perf_counter()
    solver = Solver(opts.timeout, opts.seed)
    pending = [system.invariant(n) for n in names]
    if opts.semantics not in SEMANTICS:
        raise ValueError(f"semantics must be one of {', '.join(SEMANTICS)}, got {opts.semantics!r}")
    step_sem = opts.semantics == "step"
    if step_sem and method == "bmc":
        method = "bmc-step"
    # depth 0 checks Init alone (the base case of 1-induction): no step to reduce
    run, sym, notes = reduce(system, pending, opts) if depth > 0 else (system, None, ())
    plan = _plan(run, opts) if step_sem and depth > 0 else None
    full_plan: list = [plan if run is system else None]  # the full system's, made when a confirmation needs it
    if plan is not None:
        notes = (*notes, plan.describe())
    unit = " (depths in steps of step semantics)" if step_sem else ""
    u, c0 = initial(run)
    solver.add(c0)
    results: dict[str, Result] = {}
    shown: list[Invariant] = []  # invariants asserted at every depth checked so far

    def result(inv, verdict, bound, **kw):
        return _result(system, inv.name, verdict, method, bound, start, (), solver, opts, reductions=notes, **kw)

    def refuted(inv, d, model, uu) -> Result:
        if step_sem:
            from .stepsem import explain_state

            tr = _serialized(system, plan if uu.system is run else full_plan[0], inv, d, model, uu)
            return result(inv, Verdict.REFUTED, d, trace=tr, explanation=explain_state(system, inv, tr.states[-1], explain),
                          focus=_focus(system, [inv], uu, d, tr))
        tr = traces.decode(model, uu, kind="counterexample", invariants=(inv.name,), violated=(inv.name,))
        return result(inv, Verdict.REFUTED, d, trace=tr, explanation=explain(inv, uu, d, model, tr.states),
                      focus=_focus(system, [inv], uu, d, tr))

    def left() -> float | None:
        if opts.budget is None:
            return opts.timeout
        remaining = opts.budget - (time.perf_counter() - start)
        if remaining <= 0:
            raise _BudgetSpent()
        return remaining if opts.timeout is None else min(opts.timeout, remaining)

    def check_depth(d: int) -> None:
        for inv in list(pending):
            progress(f"{method}: {inv.name} at depth {d}/{depth}")
            with solver.scope():
                solver.add(z3.Not(holds(u, inv, d)))
                solver.set_timeout(left())
                ans = solver.check(label=f"bmc-{inv.name}-{d}")
                if ans.status == "unknown" and opts.budget is not None \
                        and time.perf_counter() - start >= opts.budget - 0.5:
                    raise _BudgetSpent()
                if ans.status == "sat":
                    model = solver.model()
                    if run is system:
                        results[inv.name] = refuted(inv, d, model, u)
                    else:
                        progress(f"{method}: confirming {inv.name} at depth {d} on the full system")
                        others = [i for i in shown if i is not inv]
                        if step_sem:
                            if full_plan[0] is None:
                                full_plan[0] = _plan(system, opts)
                            found = _confirm_step(system, full_plan[0], inv, others, d, model, u, plan, opts)
                        else:
                            found = _confirm(system, inv, others, d, model, u, sym, opts)
                        if found is not None:
                            results[inv.name] = refuted(inv, d, found[0], found[1])
                        else:  # the reduction let in a behaviour the full system does not have
                            again = bmc(system, [inv.name], depth, replace(opts, cone=False), progress, method)
                            results[inv.name] = again[inv.name]
                    pending.remove(inv)
                elif ans.status == "unknown":
                    results[inv.name] = result(inv, Verdict.UNKNOWN, d,
                                               reason=f"{ans.reason} at depth {d}; no violation up to depth {d - 1}{unit}",
                                               cause=Cause.of_solver(ans.reason))
                    pending.remove(inv)
        # what was just shown unreachable may help the solver at later depths
        solver.add(*[holds(u, inv, d) for inv in pending])
        shown[:] = pending

    d = 0
    try:
        for d in range(depth + 1):
            if d > 0:
                progress(f"{method}: building step {d}/{depth}")
                _step(solver, u, sym, plan)
            left()
            t0 = time.perf_counter()
            check_depth(d)
            if observe is not None:
                observe(d, {"seconds": time.perf_counter() - t0, "elapsed": time.perf_counter() - start,
                            "stats": solver.statistics()})
            if not pending:
                break
    except _BudgetSpent:
        for inv in pending:
            results[inv.name] = result(inv, Verdict.UNKNOWN, d,
                                       reason=f"budget of {opts.budget:g} s spent at depth {d}; "
                                              f"no violation up to depth {d - 1}{unit}", cause=Cause.BUDGET)
        pending = []
    except (Interrupted, KeyboardInterrupt, ctypes.ArgumentError) as stop:
        if not is_interrupt(stop):
            raise
        for inv in pending:
            results[inv.name] = result(inv, Verdict.UNKNOWN, d,
                                       reason=f"interrupted at depth {d}; no violation up to depth {d - 1}{unit}",
                                       cause=Cause.INTERRUPTED)
        pending = []
    for inv in pending:
        results[inv.name] = result(inv, Verdict.NO_VIOLATION, depth)
    return {n: results[n] for n in names}


def prove(system: System, names: Sequence[str], k: int, assume: Sequence[str] = (),
          opts: Options = Options(), progress: Progress = _noop) -> dict[str, Result]:
    """k-induction for the conjunction of ``names`` under the assumptions ``assume``."""
    if k < 1:
        raise ValueError("k must be at least 1")
    start = time.perf_counter()
    base = bmc(system, names, k - 1, replace(opts, semantics="interleaving"), progress, method=Method.K_INDUCTION_BASE)
    results: dict[str, Result] = {}
    group: list[str] = []
    for n, r in base.items():
        if r.verdict is Verdict.NO_VIOLATION:
            group.append(n)
        else:
            results[n] = replace(r, method=Method.K_INDUCTION, bound=k,
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
    except (Interrupted, KeyboardInterrupt, ctypes.ArgumentError) as stop:
        if not is_interrupt(stop):
            raise
        for n in names:
            if n not in results:
                results[n] = _result(system, n, Verdict.UNKNOWN, "k-induction", k, start,
                                     [a.name for a in assumed], solver, opts,
                                     reason="interrupted" + ("" if interrupted else " in the inductive step"),
                                     cause=Cause.INTERRUPTED)
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
                                         reason=f"inductive step: {ans.reason}", cause=Cause.of_solver(ans.reason))
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
                        trace=tr, together=together, cause=Cause.CTI,
                        reason=f"not {k}-inductive: counterexample to induction (CTI) violates {n} in its last state",
                        explanation=explain(system.invariant(n), u, k, model, tr.states),
                        focus=_focus(system, [system.invariant(n)], u, k, tr),
                    )
                group = [g for g in group if g not in failed]




__all__ = ["Options", "bmc", "prove"]
