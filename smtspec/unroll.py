"""Pure query builders: symbolic states, ``init``, ``trans``, ``unroll`` and ``simple_path``.

An :class:`Unrolling` is a sequence of symbolic states ``s_0 .. s_n`` and the formulas that
tie them: ``start`` (Init, or an arbitrary well-formed state for induction) and one
``trans(t, t+1)`` per step. Every step has one Boolean per action (``fire``) and one
variable per parameter name, kept in a step-indexed table so that traces are decoded from
the table, never by parsing names.

Grow-only sets are slot lists. From Init they are empty and each step appends, per set,
as many slots as the largest number of elements one action instance can add there, so
BMC is exact at every depth. An arbitrary first state (induction) has ``capacity`` slots
per set with free presence bits: any set of at most ``capacity`` elements.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import z3

from .sorts import Sym, conj, disj
from .system import Action, Effect, GrowSet, System, View, both_updated_and_unchanged, frame_problems


class EncodingError(Exception):
    """An encoding is inconsistent with its own declarations (a bug in the encoding)."""


@dataclass
class SymState:
    """One symbolic state: plain variables and grow-only sets."""

    values: dict[str, Sym]
    sets: dict[str, GrowSet]

    def view(self) -> View:
        return View({**self.values, **self.sets})


@dataclass
class StepVars:
    """The step-indexed table of one transition: which action fired, with which parameters."""

    fire: dict[str, z3.BoolRef]
    params: dict[str, Sym]


@dataclass
class Unrolling:
    """States ``s_0..s_n`` with the constraints built so far (added to a solver by the caller)."""

    system: System
    states: list[SymState] = field(default_factory=list)
    steps: list[StepVars] = field(default_factory=list)
    tag: str = ""

    @property
    def depth(self) -> int:
        return len(self.states) - 1


def _fresh_values(system: System, t: int, tag: str) -> dict[str, Sym]:
    return {v.name: v.sort.fresh(f"{tag}{v.name}@{t}") for v in system.vars if not v.grow}


def _wellformed(system: System, values: dict[str, Sym]) -> z3.BoolRef:
    return conj([system.var[n].sort.wellformed(x) for n, x in values.items()])


def initial(system: System, tag: str = "") -> tuple[Unrolling, z3.BoolRef]:
    """``s_0`` satisfying Init; grow-only sets empty."""
    values = _fresh_values(system, 0, tag)
    sets = {v.name: GrowSet(v.sort, ()) for v in system.vars if v.grow}
    s0 = SymState(values, sets)
    u = Unrolling(system, [s0], [], tag)
    return u, z3.And(_wellformed(system, values), system.init(s0.view()), _in_model(system, s0))


def arbitrary(system: System, capacity: int, tag: str = "") -> tuple[Unrolling, z3.BoolRef]:
    """``s_0`` any well-formed state whose grow-only sets hold at most ``capacity`` elements."""
    values = _fresh_values(system, 0, tag)
    sets: dict[str, GrowSet] = {}
    cs = [_wellformed(system, values)]
    for v in system.vars:
        if v.grow:
            slots = []
            for k in range(capacity):
                p = z3.Bool(f"{tag}{v.name}@0#{k}?")
                x = v.sort.fresh(f"{tag}{v.name}@0#{k}")
                cs.append(v.sort.wellformed(x))
                slots.append((p, x))
            sets[v.name] = GrowSet(v.sort, slots)
    s0 = SymState(values, sets)
    cs.append(_in_model(system, s0))
    return Unrolling(system, [s0], [], tag), conj(cs)


def concrete(system: System, state) -> Unrolling:
    """``s_0`` fixed to a concrete state (a Rec over every variable; grow-only sets as frozensets)."""
    values = {v.name: v.sort.const(state[v.name]) for v in system.vars if not v.grow}
    sets = {
        v.name: GrowSet(v.sort, [(z3.BoolVal(True), v.sort.const(x)) for x in sorted(state[v.name], key=repr)])
        for v in system.vars
        if v.grow
    }
    return Unrolling(system, [SymState(values, sets)], [], "")


def equals_concrete(system: System, s: SymState, state) -> z3.BoolRef:
    """The symbolic state ``s`` is the concrete ``state`` (sets compared as sets)."""
    cs = [system.var[n].sort.eq(x, system.var[n].sort.const(state[n])) for n, x in s.values.items()]
    for n, gs in s.sets.items():
        sort = system.var[n].sort
        elems = [sort.const(x) for x in state[n]]
        cs.append(gs.forall(lambda y: disj([sort.eq(y, e) for e in elems])))
        cs += [gs.member(e) for e in elems]
    return conj(cs)


def _in_model(system: System, s: SymState) -> z3.BoolRef:
    return system.constraint(s.view()) if system.constraint is not None else z3.BoolVal(True)


def encode_action(system: System, action: Action, pre: SymState, params: dict[str, Sym]) -> Effect:
    """The action's effect on ``pre``, checked against its declarations."""
    eff = action.encode(pre.view(), params)
    missing = frame_problems(system, action, eff)
    if missing:
        raise EncodingError(f"{action.name} neither updates nor leaves unchanged: {', '.join(missing)}")
    unknown = (set(eff.updates) | set(eff.adds)) - set(system.var)
    if unknown:
        raise EncodingError(f"{action.name} updates unknown variables {sorted(unknown)}")
    return eff


def literal_guard(system: System, action: Action, eff: Effect, pre: SymState) -> z3.BoolRef:
    """The guard plus, for a variable both assigned and UNCHANGED, the literal conjunction."""
    cs = [eff.guard]
    for name in both_updated_and_unchanged(action, eff):
        var = system.var[name]
        if var.grow:
            cs += [z3.Implies(c, pre.sets[name].member(x)) for c, x in eff.adds.get(name, [])]
        else:
            cs.append(var.sort.eq(eff.updates[name], pre.values[name]))
    return conj(cs)


def trans(u: Unrolling, actions: tuple[Action, ...] | None = None) -> z3.BoolRef:
    """Append ``s_{n+1}`` and return ``trans(s_n, s_{n+1})``: one action of Next fires."""
    system = u.system
    t = u.depth
    pre = u.states[t]
    actions = system.next_actions if actions is None else actions
    tag = u.tag
    fire = {a.name: z3.Bool(f"{tag}fire.{a.name}@{t}") for a in actions}
    psorts = system.param_sorts()
    used = {p.name for a in actions for p in a.params}
    params = {n: s.fresh(f"{tag}{n}@{t}") for n, s in psorts.items() if n in used}
    flags = list(fire.values())
    # exactly one action fires; written as clauses, since Z3's QF_BV solver was seen to return
    # models violating an AtMost cardinality constraint after push/pop (a helper reproduced it)
    cs: list[z3.BoolRef] = [z3.Or(*flags)] + [
        z3.Or(z3.Not(a), z3.Not(b)) for n, a in enumerate(flags) for b in flags[n + 1:]
    ]
    cs += [psorts[n].wellformed(x) for n, x in params.items()]

    effects: dict[str, Effect] = {}
    for a in actions:
        eff = encode_action(system, a, pre, params)
        effects[a.name] = eff
        cs.append(z3.Implies(fire[a.name], literal_guard(system, a, eff, pre)))

    post_values = _fresh_values(system, t + 1, tag)
    for name, post in post_values.items():
        sort = system.var[name].sort
        value = pre.values[name]
        for a in reversed(actions):
            eff = effects[a.name]
            if name in eff.updates and name not in a.unchanged:
                value = sort.ite(fire[a.name], eff.updates[name], value)
        cs.append(sort.eq(post, value))
        cs.append(sort.wellformed(post))

    post_sets: dict[str, GrowSet] = {}
    extra = system.next_adds(pre.view())
    for v in system.vars:
        if not v.grow:
            continue
        slots = list(pre.sets[v.name].slots)
        per_action = {
            a.name: effects[a.name].adds.get(v.name, []) for a in actions if v.name not in a.unchanged
        }
        width = max((len(x) for x in per_action.values()), default=0)
        for j in range(width):
            present = disj([z3.And(fire[n], adds[j][0]) for n, adds in per_action.items() if len(adds) > j])
            elem = None
            for n, adds in per_action.items():
                if len(adds) > j:
                    elem = adds[j][1] if elem is None else v.sort.ite(fire[n], adds[j][1], elem)
            cs.append(z3.Implies(present, v.sort.wellformed(elem)))
            slots.append((present, elem))
        for c, x in extra.get(v.name, []):
            cs.append(z3.Implies(c, v.sort.wellformed(x)))
            slots.append((c, x))
        post_sets[v.name] = GrowSet(v.sort, slots)

    post = SymState(post_values, post_sets)
    cs.append(_in_model(system, post))
    u.states.append(post)
    u.steps.append(StepVars(fire, params))
    return conj(cs)


def unroll(u: Unrolling, k: int) -> z3.BoolRef:
    """Append ``k`` steps; the conjunction of their transition formulas."""
    return conj([trans(u) for _ in range(k)])


def states_equal(system: System, a: SymState, b: SymState) -> z3.BoolRef:
    """TLA+ equality of two states of one unrolling (``a`` earlier than ``b``).

    Grow-only sets only grow along an unrolling, so ``a``'s slots are a prefix of ``b``'s
    and the sets are equal when every later slot of ``b`` is already in ``a``.
    """
    cs = [system.var[n].sort.eq(x, b.values[n]) for n, x in a.values.items()]
    for n, sa in a.sets.items():
        sb = b.sets[n]
        later = sb.slots[len(sa.slots):]
        cs.append(conj([z3.Implies(p, sa.member(x)) for p, x in later]))
    return conj(cs)


def simple_path(u: Unrolling) -> z3.BoolRef:
    """All states of the unrolling pairwise distinct."""
    n = len(u.states)
    return conj(
        [z3.Not(states_equal(u.system, u.states[i], u.states[j])) for i in range(n) for j in range(i + 1, n)]
    )


def holds(u: Unrolling, invariant, t: int) -> z3.BoolRef:
    """The invariant in state ``s_t``."""
    return invariant.encode(u.states[t].view())
