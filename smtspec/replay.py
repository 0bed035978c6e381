"""Re-checking a trace with a concrete interpreter, without the solver.

A counterexample must start in Init; every step must be an instance of the named action
whose parameters agree with the trace's (parameters the interpreter does not name, such
as internal CHOOSE picks, are not compared) and lead to the next state; the last state's
invariant values are reported. A CTI starts anywhere, and its first k states must satisfy
the invariants it was checked against.

A step that names no action (a trace another ITF tool wrote) is first labelled with the
action instance linking its two states (:mod:`smtspec.label`), and then checked like any
other. States are compared with TLA+ equality (:func:`smtspec.values.same`): ``TRUE`` is
not ``1`` here, as it is in Python.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Mapping

from . import label as labels
from .scope import Scope
from .trace import Trace
from .values import same


@dataclass
class Replay:
    """The outcome of a replay: ``ok`` when every check passed.

    ``trace`` is the trace as replayed, its unlabelled steps labelled (the steps in
    ``labelled``); ``notes`` says where several action instances explain a step.
    """

    ok: bool
    problems: list[str] = field(default_factory=list)
    final_values: dict[str, bool] = field(default_factory=dict)
    checked_steps: int = 0
    notes: list[str] = field(default_factory=list)
    labelled: list[int] = field(default_factory=list)
    trace: Trace | None = None


def _agrees(params, given) -> bool:
    return all(same(given[k], v) for k, v in params.items() if k in given)


def _error(e: Exception) -> str:
    return f"{type(e).__name__}: {e}".splitlines()[0]


def _vars_problem(trace: Trace, init) -> str | None:
    have, want = set(trace.vars), set(init)
    if have == want:
        return None
    parts = []
    if want - have:
        parts.append(f"lacks {', '.join(sorted(want - have))}")
    if have - want:
        parts.append(f"has {', '.join(sorted(have - want))}, not variables of the spec")
    return f"the trace's variables are not the spec's: it {' and '.join(parts)}"


def replay(trace: Trace, interpreter, scope: Scope, extra_invariants: Mapping[str, Callable] | None = None) -> Replay:
    """Replay ``trace`` with ``interpreter`` (a module with initial_state, instances, INVARIANTS).

    ``extra_invariants`` evaluates the trace's invariants the interpreter does not know
    (``evaluate.evaluators``: ``--with-tla`` texts, helpers), as ``(state, scope) -> bool``."""
    init = interpreter.initial_state(scope)
    bad_vars = _vars_problem(trace, init)
    if bad_vars:
        return Replay(False, [bad_vars], trace=trace)
    notes: list[str] = []
    found: list[int] = []
    label_problem = None
    if labels.unlabelled(trace):
        lab = labels.label(trace, interpreter, scope)
        trace, notes, found, label_problem = lab.trace, list(lab.notes), list(lab.found), lab.problem
    if trace.extra.get("loop") is not None:
        notes.append(f"the trace is a lasso looping back to state {trace.extra['loop']}; only its states in order "
                     f"are replayed, not the step closing the loop")
    problems: list[str] = []
    states = trace.states
    if trace.kind == "counterexample" and not same(states[0], init):
        problems.append("state 0 does not satisfy Init")
    checked = 0
    for n, step in enumerate(trace.steps, start=1):
        if step.action is None:
            problems.append(label_problem or f"step {n}: no action of Next links state {n - 1} to state {n}")
            break
        pre, post = states[n - 1], states[n]
        try:
            candidates = [
                (p, nxt) for a, p, nxt in interpreter.instances(pre, scope)
                if a == step.action and _agrees(p, step.params)
            ]
        except Exception as e:  # a state no behaviour of the spec has (a value of the wrong type...)
            problems.append(f"step {n}: the interpreter cannot take a step from state {n - 1} ({_error(e)})")
            break
        if not candidates:
            problems.append(f"step {n}: {step.action} with the trace's parameters is not enabled in state {n - 1}")
            break
        if not any(same(nxt, post) for _, nxt in candidates):
            problems.append(f"step {n}: state {n} is not a successor of state {n - 1} by {step.action}")
            break
        checked += 1
    invs = {**(extra_invariants or {}), **interpreter.INVARIANTS}
    claimed = list(dict.fromkeys((*trace.invariants, *trace.violated, *trace.assumptions)))
    unknown = [n for n in claimed if n not in invs]
    if unknown:  # a claim no interpreter invariant can check (a --with-tla text, a typo): not "as claimed"
        problems.append(f"cannot check {', '.join(unknown)}: not an invariant the concrete interpreter knows, "
                        f"so the trace cannot be replayed as claimed")
    try:
        final = {name: bool(invs[name](states[-1], scope)) for name in dict.fromkeys((*trace.invariants,
                                                                                      *trace.violated))
                 if name in invs}
    except Exception as e:
        return Replay(False, problems + [f"the invariants cannot be evaluated in the last state ({_error(e)})"],
                      {}, checked, notes, found, trace)
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
    return Replay(not problems, problems, final, checked, notes, found, trace)
