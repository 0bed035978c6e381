"""Action coverage: which actions can fire, which can change the state, which could leave the scope.

For every action (also those the specification defines but leaves out of Next):
- ``reachable_at``: the smallest depth <= D at which it is enabled in a state reachable
  from Init (BMC; ``None`` when never within D);
- ``changes_state``: whether some well-typed state has a step of it to a different state;
- ``leaves_scope``: whether some well-typed state (reachable or not) enables it with an
  update outside the sorts (such steps are disabled by the encoding);
- ``leaves_scope_at``: the first depth <= D at which a state reachable from Init does;
  this must be None for the bounded model to be the specification restricted to the scope
  up to that depth.
"""

from __future__ import annotations

from dataclasses import dataclass

import z3

from .solving import Solver
from .sorts import disj
from .system import System, View
from .unroll import arbitrary, encode_action, initial, literal_guard, trans


@dataclass(frozen=True)
class ActionCoverage:
    action: str
    in_next: bool
    reachable_at: int | None
    changes_state: bool | None  # None: solver unknown
    leaves_scope: bool | None  # from some well-typed state (possibly unreachable)
    note: str = ""
    leaves_scope_at: int | None = None  # first depth <= D at which a REACHABLE state lets it leave the scope


def _status(ans) -> bool | None:
    return {"sat": True, "unsat": False}.get(ans.status)


def _changes_and_leaks(system: System, action, pre, eff):
    """Formulas: the step changes some variable; the step produces a value outside its sort."""
    changed = []
    leaves = []
    for name, value in eff.updates.items():
        if name in action.unchanged:
            continue
        sort = system.var[name].sort
        changed.append(z3.Not(sort.eq(value, pre.values[name])))
        leaves.append(z3.Not(sort.wellformed(value)))
    for name, adds in eff.adds.items():
        if name in action.unchanged:
            continue
        gs = pre.sets[name]
        sort = system.var[name].sort
        changed += [z3.And(c, z3.Not(gs.member(x))) for c, x in adds]
        leaves += [z3.And(c, z3.Not(sort.wellformed(x))) for c, x in adds]
    leak = disj(leaves)
    if system.constraint is not None:
        # a successor outside the state constraints is not in the model (TLC's CONSTRAINT):
        # losing it cuts nothing off, so only an in-model successor counts as a leak
        post = View({**pre.values, **{n: v for n, v in eff.updates.items() if n not in action.unchanged}, **pre.sets})
        leak = z3.And(leak, system.constraint(post))
    return disj(changed), leak


def one_step_queries(system: System, action, timeout: float | None) -> tuple[bool | None, bool | None]:
    """(changes_state, leaves_scope) from an arbitrary well-typed state."""
    u, c0 = arbitrary(system, system.scope.as_dict().get("capacity", 0))
    pre = u.states[0]
    psorts = system.param_sorts()
    params = {p.name: psorts[p.name].fresh(f"{p.name}@cov") for p in action.params}
    eff = encode_action(system, action, pre, params)
    enabled = z3.And(c0, *[psorts[n].wellformed(x) for n, x in params.items()], literal_guard(system, action, eff, pre))
    s = Solver(timeout)
    s.add(enabled)
    changed, leaves = _changes_and_leaks(system, action, pre, eff)
    with s.scope():
        s.add(changed)
        ch = _status(s.check(label=f"cov-change-{action.name}"))
    with s.scope():
        s.add(leaves)
        lv = _status(s.check(label=f"cov-scope-{action.name}"))
    return ch, lv


def coverage(system: System, depth: int, timeout: float | None = None, progress=lambda m: None) -> list[ActionCoverage]:
    out = []
    first: dict[str, int] = {}
    leak_at: dict[str, int] = {}
    s = Solver(timeout)
    u, c0 = initial(system)
    s.add(c0)
    psorts = system.param_sorts()
    for d in range(depth + 1):
        progress(f"coverage: depth {d}/{depth}")
        pre = u.states[d]
        for a in system.actions:
            if a.name in first and a.name in leak_at:
                continue
            params = {p.name: psorts[p.name].fresh(f"{p.name}@cov{d}") for p in a.params}
            eff = encode_action(system, a, pre, params)
            with s.scope():
                s.add(*[psorts[n].wellformed(x) for n, x in params.items()], literal_guard(system, a, eff, pre))
                if a.name not in first and s.check(label=f"cov-{a.name}-{d}").status == "sat":
                    first[a.name] = d
                if a.name not in leak_at:
                    s.add(_changes_and_leaks(system, a, pre, eff)[1])
                    if s.check(label=f"cov-leak-{a.name}-{d}").status == "sat":
                        leak_at[a.name] = d
        if d < depth:
            s.add(trans(u))
    for a in system.actions:
        progress(f"coverage: {a.name}")
        ch, lv = one_step_queries(system, a, timeout)
        note = ""
        if ch is False:
            note = "never changes the state"
        if not a.in_next:
            note = ("not in Next; " + note).strip("; ")
        if lv and a.name not in leak_at:
            note = (note + "; " if note else "") + f"leaves the scope only from states not reached within depth {depth}"
        out.append(ActionCoverage(a.name, a.in_next, first.get(a.name), ch, lv, note, leak_at.get(a.name)))
    return out


__all__ = ["ActionCoverage", "coverage"]
