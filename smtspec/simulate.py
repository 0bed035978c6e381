"""Random simulation with a concrete interpreter, trace shrinking, and confirmation by BMC.

- :func:`simulate`: random walks from Init, each step uniform over the enabled action
  instances (optionally weighted by action), checking the invariants in every state. Walk
  ``r`` uses the seed ``seed + r``, so the result does not depend on how many worker
  processes ran the walks.
- :func:`shrink`: delta debugging over a violating walk's action sequence: drop segments,
  then single steps, re-executing the rest with the interpreter, while the violation stays;
  the result is 1-minimal (no single step can go).
- :func:`confirm`: BMC up to the shrunk length; BMC's first counterexample is a shortest
  one, and the depths below it are covered exhaustively.
"""

from __future__ import annotations

import random
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Mapping, Sequence

from .scope import Scope
from .trace import Step, Trace
from .values import Rec


@dataclass(frozen=True)
class Walk:
    """A behaviour of the interpreter: states s_0..s_n and the steps between them."""

    states: tuple
    steps: tuple  # Step(action, params)


@dataclass
class Violation:
    invariant: str
    walk: Walk  # the walk cut at its first violating state
    run: int


@dataclass
class SimReport:
    runs: int
    steps: int
    seconds: float
    violations: dict[str, Violation] = field(default_factory=dict)  # shortest per invariant

    @property
    def states_per_second(self) -> float:
        return self.steps / self.seconds if self.seconds else 0.0


def _choose(rng: random.Random, options: list, weights: Mapping[str, float] | None):
    if not weights:
        return rng.choice(options)
    w = [weights.get(a, 1.0) for a, _p, _s in options]
    if sum(w) <= 0:
        return rng.choice(options)
    return rng.choices(options, weights=w, k=1)[0]


def one_walk(interp, scope: Scope, names: Sequence[str], length: int, seed: int,
             weights: Mapping[str, float] | None = None) -> tuple[int, dict[str, Walk]]:
    """One random walk; returns its number of steps and, per violated invariant, the prefix up to the first violation."""
    rng = random.Random(seed)
    state = interp.initial_state(scope)
    states = [state]
    steps: list[Step] = []
    found: dict[str, Walk] = {}
    invs = interp.INVARIANTS

    def check():
        for n in names:
            if n not in found and not invs[n](states[-1], scope):
                found[n] = Walk(tuple(states), tuple(steps))

    check()
    for _ in range(length):
        options = list(interp.instances(states[-1], scope))
        if not options:
            break
        action, params, nxt = _choose(rng, options, weights)
        steps.append(Step(action, Rec(params)))
        states.append(nxt)
        check()
        if len(found) == len(names):
            break
    return len(steps), found


def _batch(args):
    loader, scope_items, names, length, seeds, weights = args
    interp = loader()
    scope = Scope(scope_items)
    return [(s, *one_walk(interp, scope, names, length, s, weights)) for s in seeds]


def simulate(loader, scope: Scope, names: Sequence[str], runs: int, length: int, seed: int,
             workers: int = 1, weights: Mapping[str, float] | None = None) -> SimReport:
    """``runs`` random walks of at most ``length`` steps; ``loader()`` returns the interpreter module."""
    t0 = time.perf_counter()
    seeds = [seed + r for r in range(runs)]
    chunks = [seeds[i::workers] for i in range(workers)] if workers > 1 else [seeds]
    jobs = [(loader, scope.items, tuple(names), length, c, dict(weights or {})) for c in chunks if c]
    if workers > 1:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            results = [x for part in pool.map(_batch, jobs) for x in part]
    else:
        results = _batch(jobs[0])
    results.sort(key=lambda x: x[0])
    rep = SimReport(runs, sum(n for _s, n, _f in results), 0.0)
    for s, _n, found in results:
        for name, walk in found.items():
            best = rep.violations.get(name)
            if best is None or len(walk.steps) < len(best.walk.steps):
                rep.violations[name] = Violation(name, walk, s - seed)
    rep.seconds = time.perf_counter() - t0
    return rep


def replay_steps(interp, scope: Scope, steps: Sequence[Step], prefer: Sequence | None = None) -> Walk | None:
    """Re-execute ``steps`` from Init; None when a step is not enabled. Where an action instance
    has several successors, the one in ``prefer`` at the same position is taken if present."""
    state = interp.initial_state(scope)
    states = [state]
    for n, st in enumerate(steps):
        succ = [nxt for a, p, nxt in interp.instances(state, scope)
                if a == st.action and all(st.params.get(k) == v for k, v in p.items())]
        if not succ:
            return None
        want = prefer[n + 1] if prefer is not None and n + 1 < len(prefer) else None
        state = want if want in succ else succ[0]
        states.append(state)
    return Walk(tuple(states), tuple(steps))


def shrink(interp, scope: Scope, walk: Walk, invariant: str) -> Walk:
    """A 1-minimal sub-behaviour of ``walk`` whose last state still violates ``invariant``."""
    inv = interp.INVARIANTS[invariant]

    def violates(steps) -> Walk | None:
        w = replay_steps(interp, scope, steps)
        if w is None:
            return None
        for k, st in enumerate(w.states):  # cut at the first violation
            if not inv(st, scope):
                return Walk(w.states[: k + 1], w.steps[:k])
        return None

    best = violates(walk.steps) or walk
    chunk = max(1, len(best.steps) // 2)
    while chunk >= 1:
        i = 0
        changed = False
        while i < len(best.steps):
            cand = best.steps[:i] + best.steps[i + chunk:]
            w = violates(cand)
            if w is not None:
                best, changed = w, True
            else:
                i += chunk
        if not changed:
            chunk //= 2
    return best


def as_trace(spec: str, scope: Scope, walk: Walk, invariant: str, vars_: Sequence[str]) -> Trace:
    return Trace(spec=spec, kind="counterexample", invariants=(invariant,), violated=(invariant,), scope=scope,
                 assumptions=(), vars=tuple(vars_), states=tuple(walk.states), steps=tuple(walk.steps))


def confirm(system, invariant: str, length: int, opts=None, progress=lambda m: None):
    """BMC up to ``length``: (result, depths covered exhaustively)."""
    from . import engine

    r = engine.bmc(system, [invariant], length, opts or engine.Options(), progress)[invariant]
    covered = r.bound - 1 if r.trace is not None else r.bound
    return r, covered
