"""Labelling the steps of a trace that does not say which action took them.

A trace another ITF tool wrote, or one whose labels were stripped, has states only. For
each unlabelled step ``n`` (from state ``n-1`` to state ``n``), the spec's concrete
interpreter enumerates the action instances of Next from state ``n-1`` in its own order;
those whose successor is state ``n`` link the two states. The first one is taken, and
when several do the others are noted (the states alone cannot tell them apart, and any
of them makes the trace a behaviour). When none does, the step is the problem and
labelling stops there: the trace is not a behaviour of the spec from that step on.

Labelling never makes a trace replay: :func:`smtspec.replay.replay` still re-checks every
step it labels, and labels only the steps that carry no action.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from .scope import Scope
from .show import tla
from .trace import Step, Trace
from .values import Rec, same

_LISTED = 3  # instances named in an ambiguity note


@dataclass(frozen=True)
class Labelled:
    """A trace with its unlabelled steps labelled up to the first one no action explains."""

    trace: Trace
    found: tuple[int, ...] = ()  # the steps (1-based) labelled here
    notes: tuple[str, ...] = ()  # steps several action instances explain
    problem: str | None = None  # the first unlabelled step no action instance explains

    @property
    def complete(self) -> bool:
        return self.problem is None


def unlabelled(trace: Trace) -> list[int]:
    """The steps (1-based) that name no action."""
    return [n for n, st in enumerate(trace.steps, start=1) if st.action is None]


def links(interpreter, pre: Rec, post: Rec, scope: Scope) -> list[Step]:
    """Every action instance of Next taking ``pre`` to ``post``, in the interpreter's order."""
    return [Step(a, p) for a, p, nxt in interpreter.instances(pre, scope) if same(nxt, post)]


def instance_text(step: Step) -> str:
    """``Restart(i = s1)``: an action instance in TLA+ notation."""
    return f"{step.action}({', '.join(f'{k} = {tla(v)}' for k, v in step.params.items())})"


def label(trace: Trace, interpreter, scope: Scope) -> Labelled:
    """Label every step of ``trace`` that names no action (see the module text)."""
    steps = list(trace.steps)
    found: list[int] = []
    notes: list[str] = []
    problem = None
    for n in unlabelled(trace):
        pre, post = trace.states[n - 1], trace.states[n]
        try:
            options = links(interpreter, pre, post, scope)
        except Exception as e:  # a state no behaviour of the spec has (a value of the wrong type...)
            problem = (f"step {n}: the interpreter cannot take a step from state {n - 1} "
                       f"({type(e).__name__}: {e})").splitlines()[0]
            break
        if not options:
            problem = f"step {n}: no action of Next links state {n - 1} to state {n}"
            break
        if len(options) > 1:
            listed = ", ".join(instance_text(s) for s in options[:_LISTED])
            more = f" and {len(options) - _LISTED} more" if len(options) > _LISTED else ""
            notes.append(f"step {n}: {len(options)} action instances link state {n - 1} to state {n} "
                         f"({listed}{more}); took the first")
        steps[n - 1] = options[0]
        found.append(n)
    return Labelled(replace(trace, steps=tuple(steps)), tuple(found), tuple(notes), problem)
