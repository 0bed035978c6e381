"""Re-checking a trace with a concrete interpreter, without the solver.

A counterexample must start in Init; every step must be an instance of the named action
whose parameters agree with the trace's (parameters the interpreter does not name, such
as internal CHOOSE picks, are not compared) and lead to the next state; the last state's
invariant values are reported. A CTI starts anywhere, and its first k states must satisfy
the invariants it was checked against.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .scope import Scope
from .trace import Trace


@dataclass
class Replay:
    """The outcome of a replay: ``ok`` when every check passed."""

    ok: bool
    problems: list[str] = field(default_factory=list)
    final_values: dict[str, bool] = field(default_factory=dict)
    checked_steps: int = 0


def _agrees(params, given) -> bool:
    return all(given[k] == v for k, v in params.items() if k in given)


def replay(trace: Trace, interpreter, scope: Scope) -> Replay:
    """Replay ``trace`` with ``interpreter`` (a module with initial_state, instances, INVARIANTS)."""
    problems: list[str] = []
    states = trace.states
    if trace.kind == "counterexample" and states[0] != interpreter.initial_state(scope):
        problems.append("state 0 does not satisfy Init")
    checked = 0
    for n, step in enumerate(trace.steps, start=1):
        pre, post = states[n - 1], states[n]
        candidates = [
            (p, nxt) for a, p, nxt in interpreter.instances(pre, scope) if a == step.action and _agrees(p, step.params)
        ]
        if not candidates:
            problems.append(f"step {n}: {step.action} with the trace's parameters is not enabled in state {n - 1}")
            break
        if not any(nxt == post for _, nxt in candidates):
            problems.append(f"step {n}: state {n} is not a successor of state {n - 1} by {step.action}")
            break
        checked += 1
    invs = interpreter.INVARIANTS
    final = {name: bool(invs[name](states[-1], scope)) for name in trace.invariants if name in invs}
    if not problems:
        for name in trace.violated:
            if final.get(name, False):
                problems.append(f"{name} holds in the last state, but the trace says it is violated")
        if trace.kind == "cti":
            for n, st in enumerate(states[:-1]):
                for name in trace.invariants:
                    if name in invs and not invs[name](st, scope):
                        problems.append(f"CTI state {n} violates {name}, so it is not a CTI")
                for name in trace.assumptions:
                    if name in invs and not invs[name](st, scope):
                        problems.append(f"CTI state {n} violates the assumption {name}")
    return Replay(not problems, problems, final, checked)
