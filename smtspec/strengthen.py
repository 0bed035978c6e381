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
   kept helper's own preservation needs these", so the kept set is inductive itself.
5. The result is re-checked from scratch with :func:`engine.prove` before it is reported.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable, Sequence

import z3

from . import engine
from .proofs import with_invariants
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


@dataclass
class Outcome:
    target: str
    k: int
    pool: int
    refuted_by_bmc: int
    dropped_by_houdini: int
    survivors: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # after unsat-core shrinking
    target_survived: bool = False
    final: Result | None = None
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
                        raise RuntimeError(f"BMC filter at depth {d}: {ans.reason}")
                    break
                m = solver.model()
                dead = {n for n, t in terms.items() if z3.is_false(m.eval(t, model_completion=True))}
            alive = [inv for inv in alive if inv.name not in dead]
        solver.add(*[holds(u, inv, d) for inv in alive])
    return alive


def houdini(system: System, target: str, invs: list[Invariant], k: int, opts: engine.Options,
            progress: Callable[[str], None]) -> list[Invariant]:
    """The largest subset of ``invs`` (with the target) whose conjunction is k-inductive."""
    solver = Solver(opts.timeout, opts.seed)
    u, c0 = arbitrary(system, system.scope.as_dict().get("capacity", 0))
    solver.add(c0)
    for _ in range(k):
        solver.add(trans(u))
    alive = list(invs)
    while alive and any(i.name == target for i in alive):
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
                raise RuntimeError(f"Houdini step: {ans.reason}")
            m = solver.model()
            dead = {n for n, t in post.items() if z3.is_false(m.eval(t, model_completion=True))}
        alive = [i for i in alive if i.name not in dead]
    return alive


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
                raise RuntimeError(f"core query for {goal}: {ans.status} {ans.reason}")
            core = {str(c).removeprefix("use:") for c in solver.unsat_core()}
        for h in core:
            if h not in kept:
                kept.add(h)
                if h not in done:
                    todo.append(h)
    return sorted(kept)


def strengthen(system: System, target: str, pool: Sequence[Candidate], k: int = 1, filter_depth: int | None = None,
               opts: engine.Options = engine.Options(), progress: Callable[[str], None] = lambda m: None) -> Outcome:
    """Search the pool for helpers that make ``target`` k-inductive; re-check the result."""
    t0 = time.perf_counter()
    depth = max(k - 1, filter_depth if filter_depth is not None else 6)
    cands = [c for c in pool if c.invariant.name != target]
    names = [c.invariant.name for c in cands]
    if len(set(names)) != len(names):
        raise ValueError("candidate names must be unique")
    extended = with_invariants(system, tuple(c.invariant for c in cands if c.origin != "spec"))
    tgt = extended.invariant(target)
    out = Outcome(target, k, len(cands), 0, 0)
    alive = bmc_filter(extended, [tgt] + [c.invariant for c in cands], depth, opts, progress)
    out.seconds["bmc filter"] = time.perf_counter() - t0
    if tgt not in alive:
        out.refuted_by_bmc = len(cands) + 1 - len(alive)
        out.final = engine.bmc(system, [target], depth, opts)[target]
        return out
    out.refuted_by_bmc = len(cands) + 1 - len(alive)
    t1 = time.perf_counter()
    survivors = houdini(extended, target, alive, k, opts, progress)
    out.seconds["houdini"] = time.perf_counter() - t1
    out.dropped_by_houdini = len(alive) - len(survivors)
    out.survivors = [i.name for i in survivors if i.name != target]
    out.target_survived = any(i.name == target for i in survivors)
    if not out.target_survived:
        return out
    t2 = time.perf_counter()
    progress("strengthen: shrinking with unsat cores")
    out.kept = inductive_core(extended, target, survivors, k, opts)
    out.seconds["cores"] = time.perf_counter() - t2
    t3 = time.perf_counter()
    progress("strengthen: re-checking the proof from scratch")
    out.final = engine.prove(extended, [target, *out.kept], k, opts=opts, progress=progress)[target]
    out.seconds["re-check"] = time.perf_counter() - t3
    out.seconds["total"] = time.perf_counter() - t0
    return out
