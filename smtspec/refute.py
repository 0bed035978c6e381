"""From a path the search found to a refutation a person can trust.

- :func:`shrink_path`: delta debugging over the path's steps with the fast transition
  relation (drop chunks, then single steps, while the invariant is still violated at the
  end); the result is 1-minimal: no single step can be dropped.
- :func:`to_trace`: the path as an ordinary interleaved :class:`Trace` (states in the
  interpreter's form, each step's action and parameters).
- :func:`confirmed`: the trace replayed by the readable interpreter (Init, every step an
  enabled instance leading to the next state, the invariant false in the last state).
  A refutation is only ever reported after this check passes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from .guided import FastSystem
from .replay import replay
from .scope import Scope
from .trace import Step, Trace
from .verdict import Method


@dataclass(frozen=True)
class Refutation:
    """A replayed counterexample and how it was found."""

    invariant: str
    trace: Trace
    found_length: int  # the length of the path the search found, before shrinking
    method: Method  # guided-simulation, swarm-simulation, ...

    @property
    def length(self) -> int:
        return self.trace.length


def _run(fs: FastSystem, path: Sequence, invariant: str):
    """Replay ``path`` as far as it goes; the prefix up to the first state violating ``invariant``, or None."""
    st = fs.initial()
    if fs.violated(st, [invariant]):
        return ()
    out = []
    for a, args, c in path:
        if args not in fs.enum(a, st):
            return None  # not an instance in this state (an earlier step was dropped)
        succ = fs.apply(a, st, args)
        if not succ:
            return None
        c = c if c < len(succ) else 0
        st = succ[c]
        out.append((a, args, c))
        if fs.violated(st, [invariant]):
            return tuple(out)
    return None


def shrink_path(fs: FastSystem, path: Sequence, invariant: str) -> tuple:
    """A 1-minimal sub-path whose last state violates ``invariant`` (see the module docstring)."""
    best = _run(fs, path, invariant)
    if best is None:
        raise ValueError(f"the path does not violate {invariant}")
    chunk = max(1, len(best) // 2)
    while True:
        i, changed = 0, False
        while i < len(best):
            cand = _run(fs, best[:i] + best[i + chunk:], invariant)
            if cand is not None and len(cand) < len(best):
                best, changed = cand, True
            else:
                i += chunk
        if chunk == 1 and not changed:
            return best
        if not changed:
            chunk = max(1, chunk // 2)


def to_trace(fs, spec: str, scope: Scope, path: Sequence, invariant: str, vars_: Sequence[str],
             invariants: Sequence[str] | None = None, extra: dict | None = None) -> Trace:
    """The path as an interleaved counterexample trace."""
    from .guided import replay_path

    states = replay_path(fs, path)
    return Trace(spec=spec, kind="counterexample", invariants=tuple(invariants or (invariant,)),
                 violated=(invariant,), scope=scope, assumptions=(), vars=tuple(vars_),
                 states=tuple(fs.to_rec(s) for s in states),
                 steps=tuple(Step(a, fs.params(a, args)) for a, args, _c in path), extra=dict(extra or {}))


def confirmed(trace: Trace, interpreter, scope: Scope) -> list[str]:
    """The problems the readable interpreter finds replaying ``trace`` (empty: it replays)."""
    return replay(trace, interpreter, scope).problems
