"""Cone of influence: the state variables a query's invariants can depend on.

A variable is in the cone of a set of invariants when an invariant reads it, the state
constraint reads it, or an action (or Next's own conjunct) that changes a variable of the
cone reads it in its guard or in that change. Reads are found syntactically, as the Z3
constants of each formula built on an arbitrary symbolic state.

:func:`restrict` builds the system BMC runs instead: variables outside the cone keep their
Init values, changes to them are dropped, and actions that change nothing in the cone are
removed. Every behaviour of the full system projects onto one of the reduced system that
is no longer (steps outside the cone vanish, the rest read only the cone), so "no
violation up to depth d" carries over. The converse can fail (a dropped step could have
been blocked by the state constraint or the scope), so a counterexample of the reduced
system is confirmed on the full one before it is reported (:mod:`engine`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Iterable

import z3

from .system import Action, Effect, System
from .unroll import arbitrary, encode_action, literal_guard

_VAR = re.compile(r"^(?:[^@]*/)?(?P<var>[A-Za-z_]\w*)@")


def constants(f) -> set[str]:
    """Names of the uninterpreted constants of a formula (or of several)."""
    seen: set[int] = set()
    out: set[str] = set()
    todo = list(f) if isinstance(f, (list, tuple)) else [f]
    while todo:
        g = todo.pop()
        if not isinstance(g, z3.ExprRef) or g.get_id() in seen:
            continue
        seen.add(g.get_id())
        if z3.is_const(g) and g.decl().kind() == z3.Z3_OP_UNINTERPRETED:
            out.add(g.decl().name())
        else:
            todo.extend(g.children())
    return out


@dataclass(frozen=True)
class Reads:
    """What one action reads: in its guard, and in the change of each variable it changes."""

    guard: frozenset[str]
    changes: dict[str, frozenset[str]]


class Dependencies:
    """The variable-level read sets of a system's invariants, actions, constraint and Next conjuncts."""

    def __init__(self, system: System):
        self.system = system
        self._names = {v.name for v in system.vars}
        u, _ = arbitrary(system, 1, tag="cone/")
        self._view = u.states[0].view()
        pre = u.states[0]
        params = {n: s.fresh(f"cone/param.{n}") for n, s in system.param_sorts().items()}
        self.actions: dict[str, Reads] = {}
        for a in system.next_actions:
            eff = encode_action(system, a, pre, params)
            changes = {}
            for x, val in eff.updates.items():
                if x not in a.unchanged:
                    changes[x] = self.vars_of(system.var[x].sort.leaves(val))
            for x, adds in eff.adds.items():
                if x not in a.unchanged:
                    changes[x] = self._adds(x, adds)
            self.actions[a.name] = Reads(self.vars_of([literal_guard(system, a, eff, pre)]), changes)
        self.next_adds = {x: self._adds(x, adds) for x, adds in system.next_adds(self._view).items()}
        self.constraint = (self.vars_of([system.constraint(self._view)])
                           if system.constraint is not None else frozenset())

    def _adds(self, x: str, adds) -> frozenset[str]:
        sort = self.system.var[x].sort
        return self.vars_of([t for c, e in adds for t in [c, *sort.leaves(e)]])

    def vars_of(self, terms: Iterable) -> frozenset[str]:
        out = set()
        for name in constants(list(terms)):
            m = _VAR.match(name)
            if m and m.group("var") in self._names:
                out.add(m.group("var"))
        return frozenset(out)

    def invariant(self, inv) -> frozenset[str]:
        return self.vars_of([inv.encode(self._view)])


def cone(system: System, invariants: Iterable, deps: Dependencies | None = None) -> frozenset[str]:
    """The least set of variables closed under 'read by what changes a variable of the set'."""
    deps = deps or Dependencies(system)
    c = set(deps.constraint)
    for inv in invariants:
        c |= deps.invariant(inv)
    changed = True
    while changed:
        changed = False
        for reads in deps.actions.values():
            touched = [x for x in reads.changes if x in c]
            if touched:
                new = set(reads.guard).union(*(reads.changes[x] for x in touched)) - c
                if new:
                    c |= new
                    changed = True
        for x, r in deps.next_adds.items():
            if x in c and not r <= c:
                c |= r
                changed = True
    return frozenset(c)


def _restricted_action(a: Action, keep: frozenset[str], frozen: tuple[str, ...]) -> Action:
    def encode(view, params, inner=a.encode) -> Effect:
        eff = inner(view, params)
        return Effect(eff.guard, {x: v for x, v in eff.updates.items() if x in keep},
                      {x: v for x, v in eff.adds.items() if x in keep})

    unchanged = tuple(dict.fromkeys((*a.unchanged, *frozen)))
    return replace(a, encode=encode, unchanged=unchanged)


def restrict(system: System, keep: frozenset[str], deps: Dependencies | None = None) -> System:
    """The system with every variable outside ``keep`` frozen at its Init value.

    Actions that change no variable of ``keep`` are removed (their steps are invisible to
    the cone); the others lose their changes outside it. ``keep`` must be a cone
    (:func:`cone`), so that no remaining guard or change reads a frozen variable.
    """
    deps = deps or Dependencies(system)
    frozen = tuple(v.name for v in system.vars if v.name not in keep)
    actions = tuple(
        _restricted_action(a, keep, frozen)
        for a in system.next_actions
        if any(x in keep for x in deps.actions[a.name].changes)
    )
    inner_adds = system.next_adds

    def next_adds(view):
        return {x: adds for x, adds in inner_adds(view).items() if x in keep}

    return replace(system, actions=actions, next_adds=next_adds,
                   next_vars=tuple(x for x in system.next_vars if x in keep))


def describe(system: System, keep: frozenset[str]) -> str:
    """One line for a verdict's scope: which variables and actions the cone left out."""
    frozen = [v.name for v in system.vars if v.name not in keep]
    if not frozen:
        return "cone of influence: every variable"
    return f"cone of influence: {', '.join(frozen)} frozen (no invariant of the query depends on them)"
