"""Check each hand-encoded invariant against its TLA+ transcription (``smtspec check-lemmas``).

For every invariant of a specification, the definition of the same name in the
specification's ``lemmas.tla`` is translated and Z3 is asked whether the two formulas
differ in some well-typed state of the scope whose grow-only sets hold at most
``capacity`` elements (the states of an induction query, :func:`smtspec.unroll.arbitrary`).
``unsat`` means they are equivalent there; ``sat`` gives a distinguishing state, decoded as
a concrete state with the value of each side.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import z3

from smtspec.scope import Scope
from smtspec.solving import Solver
from smtspec.system import SpecInfo, System
from smtspec.trace import decode_state
from smtspec.unroll import arbitrary
from smtspec.values import Rec

from .context import TLAContext, context_for, require_module
from .errors import TLAError

DEFAULT_CAPACITY = 3

EQUIVALENT, DIFFERENT, MISSING, ERROR, UNKNOWN = "equivalent", "different", "missing", "error", "unknown"


@dataclass(frozen=True)
class LemmaCheck:
    """The outcome for one invariant."""

    name: str
    status: str  # equivalent | different | missing | error | unknown
    state: Rec | None = None  # a distinguishing state (status "different")
    hand: bool | None = None  # the hand encoding's value there
    tla: bool | None = None  # the transcription's value there
    message: str = ""
    seconds: float = 0.0

    @property
    def equivalent(self) -> bool:
        return self.status == EQUIVALENT


def check_system(system: System, capacity: int, *, source: str | None = None, source_name: str | None = None,
                 only: list[str] | None = None, timeout: float | None = None) -> list[LemmaCheck]:
    """Compare every invariant of ``system`` (or those in ``only``) with its transcription."""
    ctx = context_for(system, source, source_name)
    module = require_module(ctx)
    u, wellformed = arbitrary(system, capacity, tag="lemma/")
    view = u.states[0].view()
    solver = Solver(timeout=timeout)
    solver.add(wellformed)
    out = []
    for inv in system.invariants:
        if only is not None and inv.name not in only:
            continue
        start = time.perf_counter()
        if module.get(inv.name) is None:
            out.append(LemmaCheck(inv.name, MISSING, message=f"no definition {inv.name} in {module.source.name}"))
            continue
        try:
            tla = _translate(ctx, view, inv.name)
        except TLAError as e:
            out.append(LemmaCheck(inv.name, ERROR, message=str(e), seconds=time.perf_counter() - start))
            continue
        hand = inv.encode(view)
        out.append(_compare(solver, system, u, inv.name, hand, tla, start))
    return out


def _translate(ctx: TLAContext, view, name: str) -> z3.BoolRef:
    return ctx.translator(view).definition(name)


def _compare(solver: Solver, system: System, u, name: str, hand, tla, start: float) -> LemmaCheck:
    with solver.scope():
        solver.add(hand != tla)
        answer = solver.check(label=f"lemma-{name}")
        seconds = time.perf_counter() - start
        if answer.status == "unsat":
            return LemmaCheck(name, EQUIVALENT, seconds=seconds)
        if answer.status == "unknown":
            return LemmaCheck(name, UNKNOWN, message=answer.reason, seconds=seconds)
        model = solver.model()

        def ev(t):
            return model.eval(t, model_completion=True)

        state = decode_state(system, u.states[0], ev)
        return LemmaCheck(name, DIFFERENT, state, z3.is_true(ev(hand)), z3.is_true(ev(tla)), seconds=seconds)


def check_lemmas(spec_info: SpecInfo, scope: Scope, *, source: str | None = None, source_name: str | None = None,
                 only: list[str] | None = None, timeout: float | None = None,
                 capacity: int | None = None) -> list[LemmaCheck]:
    """Compare each invariant of ``spec_info`` at ``scope`` with its TLA+ transcription.

    ``capacity`` defaults to the scope's ``capacity`` bound (the grow-set capacity of
    induction), or 3 when the specification has no such bound. ``source`` replaces the
    specification's ``lemmas.tla`` (e.g. to check an edited transcription).
    """
    system = spec_info.build(scope)
    if capacity is None:
        capacity = scope.as_dict().get("capacity", DEFAULT_CAPACITY)
    return check_system(system, capacity, source=source, source_name=source_name, only=only, timeout=timeout)
