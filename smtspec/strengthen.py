"""Houdini: find helper invariants that make a target k-inductive, then shrink them.

1. The pool: candidate invariants (the spec's templates, the spec's other invariants,
   helpers of proof files, the user's own).
2. Drop every candidate that BMC refutes up to a depth (at least k-1, so the survivors
   also pass the base case): one query per depth asks for *some* candidate to fail, the
   model tells which ones, they are dropped, and the query is repeated.
3. Houdini: the inductive step of the conjunction of target and survivors; a CTI's last
   state drops every candidate false there; repeat until the step holds (or the target
   is dropped).
4. Unsat cores shrink the survivors to the helpers the target needs, closed under "each
   kept helper's own preservation needs these", so the kept set is inductive itself;
   then each kept helper whose removal leaves the set inductive is dropped.
5. The result is re-checked from scratch with :func:`engine.prove` before it is reported.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable, Sequence

import z3

from . import engine
from .proofs import Helper, with_invariants
from .errors import GaveUp
from .solving import Solver
from .system import Invariant, System
from .unroll import arbitrary, holds, initial, trans
from .verdict import Result, Verdict


@dataclass(frozen=True)
class Candidate:
    """A candidate helper: an invariant with where it came from (for the proof file)."""

    invariant: Invariant
    origin: str  # "template", "spec", "proof", "user"
    template: str | None = None
    args: tuple = ()
    helper: Helper | None = None  # for candidates read from proof or candidate files
    excludes: str = ""  # the unreachable states it excludes, in one line


@dataclass
class Outcome:
    """What strengthening found for one target."""

    target: str
    k: int
    survived: bool  # the target is in the k-inductive set Houdini found
    kept: list[str] = field(default_factory=list)  # helpers after unsat-core shrinking
    final: Result | None = None  # the from-scratch re-check of target + kept helpers
    seconds: float = 0.0


@dataclass
class Report:
    """A strengthening run over one pool for one or more targets."""

    k: int
    pool: int
    refuted_by_bmc: list[str] = field(default_factory=list)
    dropped_by_houdini: list[str] = field(default_factory=list)
    survivors: list[str] = field(default_factory=list)
    outcomes: dict[str, Outcome] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


def bmc_filter(system: System, invs: list[Invariant], depth: int, opts: engine.Options,
               progress: Callable[[str], None]) -> list[Invariant]:
    """The invariants with no violation in states reachable in at most ``depth`` steps."""
    alive = list(invs)
    solver = Solver(opts.timeout, opts.seed)
    u, c0 = initial(system)
    solver.add(c0)
    for d in range(depth + 1):
        if d > 0:
            solver.add(trans(u))
        while alive:
            progress(f"strengthen: BMC filter at depth {d}/{depth}, {len(alive)} candidates")
            terms = {inv.name: holds(u, inv, d) for inv in alive}
            with solver.scope():
                solver.add(z3.Or([z3.Not(t) for t in terms.values()]))
                ans = solver.check(label=f"filter-{d}")
                if ans.status != "sat":
                    if ans.status == "unknown":
                        raise GaveUp(f"strengthen: the BMC filter at depth {d}: {ans.reason} (a larger --timeout may help)")
                    break
                m = solver.model()
                dead = {n for n, t in terms.items() if z3.is_false(m.eval(t, model_completion=True))}
            alive = [inv for inv in alive if inv.name not in dead]
        solver.add(*[holds(u, inv, d) for inv in alive])
    return alive


def houdini(system: System, targets: Sequence[str], invs: list[Invariant], k: int, opts: engine.Options,
            progress: Callable[[str], None]) -> list[Invariant]:
    """The largest subset of ``invs`` whose conjunction is k-inductive (stops early once no target is left)."""
    solver = Solver(opts.timeout, opts.seed)
    u, c0 = arbitrary(system, system.scope.as_dict().get("capacity", 0))
    solver.add(c0)
    for _ in range(k):
        solver.add(trans(u))
    alive = list(invs)
    while alive and any(i.name in targets for i in alive):
        progress(f"strengthen: Houdini, {len(alive)} invariants")
        post = {i.name: holds(u, i, k) for i in alive}
        with solver.scope():
            for i in alive:
                solver.add(*[holds(u, i, t) for t in range(k)])
            solver.add(z3.Or([z3.Not(t) for t in post.values()]))
            ans = solver.check(label="houdini")
            if ans.status == "unsat":
                return alive
            if ans.status == "unknown":
                raise GaveUp(f"strengthen: the Houdini step: {ans.reason} (a larger --timeout may help)")
            m = solver.model()
            dead = {n for n, t in post.items() if z3.is_false(m.eval(t, model_completion=True))}
        alive = [i for i in alive if i.name not in dead]
    return alive if any(i.name in targets for i in alive) else []


def inductive_core(system: System, target: str, invs: list[Invariant], k: int, opts: engine.Options) -> list[str]:
    """A subset of the helpers in ``invs`` that, with the target, is still k-inductive."""
    solver = Solver(opts.timeout, opts.seed)
    u, c0 = arbitrary(system, system.scope.as_dict().get("capacity", 0))
    solver.add(c0)
    for _ in range(k):
        solver.add(trans(u))
    by_name = {i.name: i for i in invs}
    literals = {i.name: z3.Bool(f"use:{i.name}") for i in invs if i.name != target}
    solver.add(*[holds(u, by_name[target], t) for t in range(k)])
    for name, lit in literals.items():
        solver.add(*[z3.Implies(lit, holds(u, by_name[name], t)) for t in range(k)])
    kept: set[str] = set()
    todo = [target]
    done: set[str] = set()
    while todo:
        goal = todo.pop()
        done.add(goal)
        with solver.scope():
            solver.add(z3.Not(holds(u, by_name[goal], k)))
            ans = solver.check(*literals.values(), label="core")
            if ans.status != "unsat":
                raise GaveUp(f"strengthen: the unsat-core query for {goal}: {ans.status} {ans.reason} (a larger --timeout may help)")
            core = {str(c).removeprefix("use:") for c in solver.unsat_core()}
        for h in core:
            if h not in kept:
                kept.add(h)
                if h not in done:
                    todo.append(h)
    # cores need not be minimal: drop each helper whose removal keeps the set inductive
    for h in sorted(kept):
        rest = [n for n in kept if n != h]
        with solver.scope():
            solver.add(z3.Or([z3.Not(holds(u, by_name[n], k)) for n in [target, *rest]]))
            if solver.check(*[literals[n] for n in rest], label="shrink").status == "unsat":
                kept.discard(h)
    return sorted(kept)


def strengthen(system: System, targets: Sequence[str], pool: Sequence[Candidate], k: int = 1,
               filter_depth: int | None = None, opts: engine.Options = engine.Options(),
               progress: Callable[[str], None] = lambda m: None) -> tuple[System, Report]:
    """Search the pool for helpers that make each target k-inductive; re-check each result.

    Returns the system extended with the pool's invariants (for printing and proof files)
    and the report.
    """
    t0 = time.perf_counter()
    depth = max(k - 1, filter_depth if filter_depth is not None else 6)
    cands = [c for c in pool if c.invariant.name not in targets]
    names = [c.invariant.name for c in cands]
    if len(set(names)) != len(names):
        raise ValueError("candidate names must be unique")
    extended = with_invariants(system, tuple(c.invariant for c in cands if c.origin != "spec"))
    everything = [extended.invariant(t) for t in targets] + [c.invariant for c in cands]
    rep = Report(k, len(cands))
    alive = bmc_filter(extended, everything, depth, opts, progress)
    rep.refuted_by_bmc = [i.name for i in everything if i not in alive]
    rep.seconds["bmc filter"] = time.perf_counter() - t0
    t1 = time.perf_counter()
    survivors = houdini(extended, targets, alive, k, opts, progress) if any(t.name in targets for t in alive) else []
    rep.seconds["houdini"] = time.perf_counter() - t1
    rep.dropped_by_houdini = [i.name for i in alive if i not in survivors]
    rep.survivors = [i.name for i in survivors]
    for t in targets:
        t2 = time.perf_counter()
        if t not in rep.survivors:
            rep.outcomes[t] = Outcome(t, k, False)
            continue
        progress(f"strengthen: shrinking the helpers of {t} with unsat cores")
        kept = inductive_core(extended, t, survivors, k, opts)
        progress(f"strengthen: re-checking {t} with its {len(kept)} helper(s) from scratch")
        final = engine.prove(extended, [t, *kept], k, opts=opts, progress=progress)[t]
        rep.outcomes[t] = Outcome(t, k, True, kept, final, time.perf_counter() - t2)
    rep.seconds["total"] = time.perf_counter() - t0
    return extended, rep


def template_pool(system: System) -> list[Candidate]:
    """The spec's template instances as candidates, named by the spec (or ``T<n>``)."""
    if system.candidates is None or system.templates is None:
        return []
    out: list[Candidate] = []
    for name, args, reading in system.candidates(system):
        label = system.candidate_name(name, args) if system.candidate_name else f"T{len(out)}"
        out.append(Candidate(Invariant(label, system.templates(system, name, args), reading), "template",
                             name, tuple(sorted(args.items())),
                             excludes=system.excluded(name, args) if system.excluded else ""))
    return out


def as_helper(c: Candidate) -> Helper:
    """How a kept candidate is recorded in a proof file."""
    if c.helper is not None:
        return c.helper
    if c.origin == "spec":
        return Helper(name=c.invariant.name, excludes=f"states violating the spec's {c.invariant.name} "
                      f"({c.invariant.doc}), proved jointly", invariant=c.invariant.name)
    return Helper(name=c.invariant.name, excludes=c.excludes or c.invariant.doc, template=c.template, args=c.args)
