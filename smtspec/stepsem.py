"""Step semantics for BMC: several independent action instances fire in one BMC step.

After Dubrovin, Junttila and Heljanko, "Exploiting step semantics for efficient bounded
model checking of asynchronous systems" (SCP 77, 2012): the ∃-step semantics with one
fixed serialization order. A BMC step of this module fires a set of action instances at
once, and its effect is, by construction and by the argument below, EQUAL to executing
them one after the other in the serialization order. A behaviour of D interleaved
actions then needs far fewer BMC steps.

**Slots.** A step has a fixed list of slots; each slot fires at most one action instance,
with its OWN parameter variables. When the system names an acting parameter (its
symmetry's ``param``, ``i`` for ParallelRaft-CE: every action of Next is taken by one
server ``i``), there is one slot per element of that parameter's sort, in the sort's
order (``i=s1``, ``i=s2``, ...): the slot holds every action that has the parameter, with
it pinned to that element, and fresh copies of the other parameters (``m``, ``Q``...).
Every action without it gets a slot of its own, after those, with free parameters. The
serialization order is the slot order. At least one slot fires (no stuttering step); a
step in which exactly one slot fires is exactly one interleaved step, so every
interleaved behaviour of at most d actions is a step behaviour of at most d steps.

**Read and write sets.** :func:`plan` builds each (slot, action) on an arbitrary symbolic
state (every grow-only set with two slots, as :mod:`cone` does with one), with the slot's
pinned parameter as a literal, simplifies the guard and every changed term with Z3, and
reads off *locations*: a location is one Z3 leaf of a plain variable (``log[s2][1].term``,
found by position in the value's structure) or a whole grow-only set.

- written: the leaves of an updated variable whose simplified new term is not the
  leaf itself (with ``i`` pinned, ``[log EXCEPT ![i] = ..]`` writes only ``log[i]``), and
  every grow-only set the action adds to, plus every set Next's own conjunct adds to
  (``allLogs``, ``allEntries``): each fired instance is one interleaved step, so it
  also adds those.
- read: the leaves and sets whose constants occur in the simplified guard or in a
  written term or added element. A grow-only set that occurs only in the guard, and
  only through presence bits of positive polarity (under And/Or, the right of Implies,
  the branches of a Boolean If; ``m \\in messages``, ``\\E m \\in messages``), is a
  *monotone* read: adding elements can only keep the guard true. Any other occurrence
  (``\\A``, an aggregate such as BecomeLeaderCandidate's set of all vote responses, a
  set read in a changed term) is an ordinary read.

**Independence rule.** Instances ``a`` (slot k) and ``b`` (slot k' > k, so b is serialized
after a) may fire in one step only if: a writes no leaf b reads; a and b write no common
leaf; and a adds to no grow-only set b reads other than monotonically. Both adding to
one set is allowed (set union commutes); b adding to a set a reads is allowed (a runs
first). Every other pair gets the clause ``not (fire_a and fire_b)``. Nothing is
hand-written: the rule is applied to the sets above, so a change to an action changes its
independence.

**Why a step equals the serialized execution.** Let the fired instances be a_1 < ... < a_m
and P_1 = pre the step's first state. The step builds P_{j+1} from P_j: the leaves a_j
writes take the values of a_j's terms *built on pre*, a_j's additions and Next's
additions ``next_adds(P_j)`` (built on P_j itself) join the sets, the rest is P_j's.
P_j differs from pre only in leaves written by, and sets added to by, a_1..a_{j-1}. None
of them is read by a_j (the rule), except sets a_j's guard reads monotonically. So a_j's
changes and additions have the same value on P_j as on pre, and a_j's guard, true on
pre (the step asserts it), is true on P_j: on P_j, a_j is enabled and leads to P_{j+1}
(a leaf a_j does not write keeps P_j's value; the leaf a_j does write has no other
writer). Each (P_j, P_{j+1}) is thus one interleaved step of Next by a_j, Next's
conjunct included; the constraint of the system (TLC CONSTRAINT), if any, is asserted
on every P_{j+1}; post = P_{m+1}. ``allLogs``/``allEntries`` grow by the logs of exactly
the states P_1..P_m, as the m interleaved steps would add: no more, no less.
(Assumption, as in :mod:`cone`: an action's formula depends on a grow-only set only
through its slots, uniformly, so what is found on the two-slot state holds for any
number of slots; for plain variables the leaves not written are checked on every
unrolled step, see :func:`trans`.) So every step-semantics behaviour serializes into an
interleaved behaviour; engine.bmc serializes each counterexample, re-checks every
serialized step against the interleaved transition relation, and the command line
replays it with the concrete interpreter.

**Invariants at step boundaries.** Invariants are checked at the states between steps,
not at P_2..P_m. That still finds every violation: the instances of a step fired before
slot j form a valid step on their own (the rule is pairwise, so any subset of a valid
step is valid, and its intermediate states are the same P_1..P_j), so an intermediate
state P_j of step t is the last state of another step behaviour of t+1 steps. BMC checks
every boundary at every depth, so it finds the violation at depth t+1 at the latest. The
serialized counterexample is cut at its first violating state.

**What a verdict covers.** "No violation within d steps of step semantics" covers every
interleaved behaviour of at most d actions, and every behaviour whose actions can be
grouped into at most d such steps (up to one action per server per step).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence, cast

import z3

from .cone import constants
from .sorts import FiniteSort, Sym, conj, disj, ite_term
from .system import Action, GrowSet, System
from .trace import Step, Trace, decode_state, evaluator
from .unroll import (EncodingError, SymState, Unrolling, _fresh_values, _in_model, arbitrary, concrete,
                     encode_action, equals_concrete, initial, literal_guard, trans as interleaved_trans)
from .values import Rec

Loc = tuple[str, int]  # (variable, leaf position); a grow-only set as a whole is (name, -1)
WHOLE = -1


# ------------------------------------------------------------------ flat values


def flat(sym: Any) -> list:
    """The Z3 leaves of a symbolic value in a fixed structural order (records by field name)."""
    if isinstance(sym, z3.ExprRef):
        return [sym]
    if isinstance(sym, dict):
        return [t for k in sorted(sym) for t in flat(sym[k])]
    if isinstance(sym, (tuple, list)):
        return [t for x in sym for t in flat(x)]
    raise TypeError(f"not a symbolic value: {sym!r}")


def shape(sym: Any) -> Any:
    if isinstance(sym, z3.ExprRef):
        return "*"
    if isinstance(sym, dict):
        return ("dict", tuple((k, shape(sym[k])) for k in sorted(sym)))
    return (type(sym).__name__, tuple(shape(x) for x in sym))


def rebuild(template: Any, leaves: Sequence) -> Any:
    """``template``'s structure with the given leaves (the inverse of :func:`flat`)."""
    it = iter(leaves)

    def go(t):
        if isinstance(t, z3.ExprRef):
            return next(it)
        if isinstance(t, dict):
            built = {k: go(t[k]) for k in sorted(t)}
            return {k: built[k] for k in t}  # keep the template's key order
        if isinstance(t, tuple):
            return tuple(go(x) for x in t)
        return [go(x) for x in t]

    out = go(template)
    if next(it, None) is not None:
        raise ValueError("too many leaves")
    return out


# ------------------------------------------------------------------ read/write sets


@dataclass(frozen=True)
class Access:
    """What one action instance in one slot reads and writes (locations, see the module docstring)."""

    reads: frozenset  # leaves and whole grow-only sets read (non-monotone)
    monotone: frozenset  # grow-only sets read only positively in the guard
    writes: frozenset  # leaves written
    adds: frozenset  # grow-only sets added to (with Next's own conjunct's sets)


def conflict(first: Access, later: Access) -> str | None:
    """Why ``later`` may not be serialized after ``first`` in one step (None: it may)."""
    if first.writes & later.reads:
        return "reads what the earlier one writes"
    if first.writes & later.writes:
        return "both write one location"
    if {(x, WHOLE) for x in first.adds} & later.reads:
        return "reads (not monotonically) a set the earlier one adds to"
    return None


def _polarities(f: z3.ExprRef, targets: set[str]) -> dict[str, set[int]]:
    """For each target Boolean constant, the polarities of its occurrences (+1, -1; 0 = neither)."""
    out: dict[str, set[int]] = {}
    seen: set[tuple[int, int]] = set()
    todo = [(f, 1)]
    while todo:
        g, pol = todo.pop()
        key = (g.get_id(), pol)
        if key in seen:
            continue
        seen.add(key)
        if z3.is_const(g) and g.decl().kind() == z3.Z3_OP_UNINTERPRETED:
            if g.decl().name() in targets:
                out.setdefault(g.decl().name(), set()).add(pol)
            continue
        kids = g.children()
        if pol != 0 and (z3.is_and(g) or z3.is_or(g)):
            todo += [(c, pol) for c in kids]
        elif pol != 0 and z3.is_not(g):
            todo.append((kids[0], -pol))
        elif pol != 0 and z3.is_implies(g):
            todo += [(kids[0], -pol), (kids[1], pol)]
        elif pol != 0 and z3.is_app_of(g, z3.Z3_OP_ITE) and z3.is_bool(g):
            todo += [(kids[0], 0), (kids[1], pol), (kids[2], pol)]
        else:
            todo += [(c, 0) for c in kids]
    return out


@dataclass(frozen=True)
class Slot:
    """One slot of a step: the actions it may fire, and the parameters pinned in it."""

    name: str
    actions: tuple[Action, ...]
    pinned: tuple[tuple[str, Any], ...] = ()  # (parameter, concrete value)


@dataclass
class Plan:
    """The slots of a step, each (slot, action)'s access sets, and the pairs that may not share a step."""

    system: System
    slots: tuple[Slot, ...]
    access: dict[tuple[int, str], Access]
    conflicts: dict[tuple[int, str, int, str], str]  # (k, a, k2, b) with k < k2 -> reason
    whole_vars: frozenset = frozenset()  # plain variables analysed as one location (shape not fixed)

    def independent(self, k: int, a: str, k2: int, b: str) -> bool:
        """May ``a`` in slot k and ``b`` in slot k2 > k fire in one step?"""
        return (k, a, k2, b) not in self.conflicts

    def describe(self) -> str:
        pairs = sum(len(self.slots[k].actions) * len(self.slots[k2].actions)
                    for k in range(len(self.slots)) for k2 in range(k + 1, len(self.slots)))
        return (f"step semantics: {len(self.slots)} slots per step ({', '.join(s.name for s in self.slots)}), "
                f"serialized in that order; {pairs - len(self.conflicts)} of {pairs} ordered pairs of "
                f"instances may share a step (read/write sets)")


def actor_param(system: System) -> str | None:
    """The acting parameter (one slot per value): the symmetry's, when actions have it."""
    sym = system.symmetry
    if sym is not None and any(p.name == sym.param for a in system.next_actions for p in a.params):
        return sym.param
    return None


def slots_of(system: System, actor: str | None) -> tuple[Slot, ...]:
    acting = [a for a in system.next_actions if actor is not None and any(p.name == actor for p in a.params)]
    out = []
    if acting and actor is not None:  # (acting is empty when actor is None)
        sort = cast(FiniteSort, system.param_sorts()[actor])  # one slot per element: the actor's sort is finite
        for e in sort.elements():
            out.append(Slot(f"{actor}={e}", tuple(acting), ((actor, e),)))
    out += [Slot(a.name, (a,)) for a in system.next_actions if a not in acting]
    return tuple(out)


def _slot_params(system: System, slot: Slot, name) -> dict[str, Sym]:
    psorts = system.param_sorts()
    pinned = dict(slot.pinned)
    used = {p.name for a in slot.actions for p in a.params}
    return {n: (psorts[n].const(pinned[n]) if n in pinned else psorts[n].fresh(name(n)))
            for n in sorted(used)}


def plan(system: System, actor: str | None = "auto") -> Plan:
    """The slots and independence of ``system``'s actions (see the module docstring)."""
    if actor == "auto":
        actor = actor_param(system)
    slots = slots_of(system, actor)
    u, _ = arbitrary(system, 2, tag="step/")
    pre = u.states[0]
    loc_of: dict[str, Loc] = {}
    presence: dict[str, set[str]] = {}
    pre_leaves: dict[str, list] = {}
    whole: set[str] = set()
    for v in system.vars:
        if v.grow:
            presence[v.name] = set()
            for p, x in pre.sets[v.name].slots:
                presence[v.name].add(p.decl().name())
                for name in constants([p, *flat(x)]):
                    loc_of[name] = (v.name, WHOLE)
        else:
            leaves = flat(pre.values[v.name])
            pre_leaves[v.name] = leaves
            if not all(z3.is_const(t) and t.decl().kind() == z3.Z3_OP_UNINTERPRETED for t in leaves):
                whole.add(v.name)
            for pos, t in enumerate(leaves):
                for name in constants(t):
                    loc_of[name] = (v.name, WHOLE if v.name in whole else pos)
    next_sets = frozenset(system.next_adds(pre.view()))

    def locs(terms) -> set:
        return {loc_of[n] for n in constants(list(terms)) if n in loc_of}

    access: dict[tuple[int, str], Access] = {}
    for k, slot in enumerate(slots):
        params = _slot_params(system, slot, lambda n, k=k: f"step/param.{n}.{k}")
        for a in slot.actions:
            eff = encode_action(system, a, pre, params)
            reads: set = set()
            writes: set = set()
            for x, val in eff.updates.items():
                if x in a.unchanged:
                    continue
                new = flat(val)
                if shape(val) != shape(pre.values[x]):
                    whole.add(x)
                for pos, (t, old) in enumerate(zip(new, pre_leaves[x])):
                    st = z3.simplify(t)
                    if not st.eq(old):
                        writes.add((x, pos))
                        reads |= locs([st])
            adds = set(next_sets)
            for x, items in eff.adds.items():
                if x in a.unchanged:
                    continue
                adds.add(x)
                reads |= locs([z3.simplify(t) for c, e in items for t in [c, *flat(e)]])
            guard = z3.simplify(literal_guard(system, a, eff, pre))
            in_guard = locs([guard])
            monotone = set()
            pol = _polarities(guard, set().union(*presence.values()) if presence else set())
            for x in presence:
                if (x, WHOLE) not in in_guard or (x, WHOLE) in reads:
                    continue
                seen = set().union(*(pol.get(n, set()) for n in presence[x]))
                if seen and seen == {1}:
                    monotone.add(x)
                    in_guard.discard((x, WHOLE))
            reads |= in_guard
            access[(k, a.name)] = Access(frozenset(reads), frozenset(monotone), frozenset(writes), frozenset(adds))
    if whole:  # a variable analysed as one location: every leaf of it is that location
        def coarse(s):
            return frozenset((x, WHOLE) if x in whole else (x, p) for x, p in s)

        access = {key: Access(coarse(acc.reads), acc.monotone, coarse(acc.writes), acc.adds)
                  for key, acc in access.items()}
    conflicts = {}
    for k, slot in enumerate(slots):
        for k2 in range(k + 1, len(slots)):
            for a in slot.actions:
                for b in slots[k2].actions:
                    why = conflict(access[(k, a.name)], access[(k2, b.name)])
                    if why is not None:
                        conflicts[(k, a.name, k2, b.name)] = why
    return Plan(system, slots, access, conflicts, frozenset(whole))


# ------------------------------------------------------------------ one step


@dataclass
class SlotSteps:
    """The step-indexed table of one step-semantics transition: per slot, fires and parameters;
    the intermediate states P_0 (= pre) .. P_n (= post before Next's set slots are merged)."""

    fire: list[dict[str, z3.BoolRef]]
    params: list[dict[str, Sym]]
    states: list[SymState]


def _slot_steps(u: Unrolling) -> list[SlotSteps]:
    """The step table of a step-semantics unrolling: it holds SlotSteps where an interleaved
    one holds ``unroll.StepVars``."""
    return cast("list[SlotSteps]", u.steps)


def trans(u: Unrolling, p: Plan) -> z3.BoolRef:
    """Append ``s_{n+1}`` and return the step-semantics transition from ``s_n`` to it."""
    system = p.system
    if u.system is not system:
        raise ValueError("the plan is of another system")
    t, tag = u.depth, u.tag
    pre = u.states[t]
    cs: list[z3.BoolRef] = []
    fires, params, effects = [], [], []
    psorts = system.param_sorts()
    for k, slot in enumerate(p.slots):
        fire = {a.name: z3.Bool(f"{tag}fire.{a.name}@{t}.{k}") for a in slot.actions}
        prm = _slot_params(system, slot, lambda n, k=k: f"{tag}{n}@{t}.{k}")
        flags = list(fire.values())
        cs += [z3.Or(z3.Not(x), z3.Not(y)) for n, x in enumerate(flags) for y in flags[n + 1:]]  # at most one
        cs += [psorts[n].wellformed(x) for n, x in prm.items()]
        eff = {}
        for a in slot.actions:
            e = encode_action(system, a, pre, prm)
            eff[a.name] = e
            cs.append(z3.Implies(fire[a.name], literal_guard(system, a, e, pre)))
        fires.append(fire)
        params.append(prm)
        effects.append(eff)
    cs.append(z3.Or([f for fire in fires for f in fire.values()]))  # at least one instance fires
    for (k, an, k2, bn) in p.conflicts:
        cs.append(z3.Or(z3.Not(fires[k][an]), z3.Not(fires[k2][bn])))

    plain = [v for v in system.vars if not v.grow]
    pre_flat = {v.name: flat(pre.values[v.name]) for v in plain}
    # leaf-level variables as leaf lists; a variable analysed whole stays one symbolic value
    cur: dict[str, Any] = {v.name: (pre.values[v.name] if v.name in p.whole_vars else list(pre_flat[v.name]))
                           for v in plain}
    cur_sets = {v.name: list(pre.sets[v.name].slots) for v in system.vars if v.grow}
    added: dict[str, list] = {x: [] for x in cur_sets}

    def state() -> SymState:
        return SymState({v.name: (cur[v.name] if v.name in p.whole_vars else rebuild(pre.values[v.name], cur[v.name]))
                         for v in plain},
                        {x: GrowSet(system.var[x].sort, list(sl)) for x, sl in cur_sets.items()})

    def add(x: str, c: z3.BoolRef, e: Sym) -> None:
        cs.append(z3.Implies(c, system.var[x].sort.wellformed(e)))
        cur_sets[x].append((c, e))
        added[x].append((c, e))

    states = [pre]
    for k, slot in enumerate(p.slots):
        fk = disj(list(fires[k].values()))
        for x, items in system.next_adds(states[-1].view()).items():  # Next's conjunct, on the state slot k starts in
            for c, e in items:
                add(x, z3.And(fk, c), e)
        for a in slot.actions:
            f, e = fires[k][a.name], effects[k][a.name]
            writes = p.access[(k, a.name)].writes
            for x, val in e.updates.items():
                if x in a.unchanged:
                    continue
                if x in p.whole_vars:
                    if (x, WHOLE) in writes:  # its only writer in any step (every other access conflicts)
                        cur[x] = system.var[x].sort.ite(f, val, cur[x])
                    continue
                for pos, (leaf, old) in enumerate(zip(flat(val), pre_flat[x])):
                    if (x, pos) in writes:
                        cur[x][pos] = ite_term(f, leaf, cur[x][pos])
                    elif not (leaf.eq(old) or z3.simplify(leaf).eq(old)):
                        raise EncodingError(f"step semantics: {a.name} in slot {slot.name} changes {x} "
                                            f"at leaf {pos}, which the read/write analysis found unchanged")
            for x, items in e.adds.items():
                if x not in a.unchanged:
                    for c, el in items:
                        add(x, z3.And(f, c), el)
        nxt = state()
        if system.constraint is not None:
            cs.append(z3.Implies(fk, _in_model(system, nxt)))
        states.append(nxt)

    last = states[-1]
    post_values = _fresh_values(system, t + 1, tag)
    for name, post in post_values.items():
        sort = system.var[name].sort
        cs += [sort.eq(post, last.values[name]), sort.wellformed(post)]
    post_sets = {}
    for x, gs in pre.sets.items():
        merged: dict[tuple, tuple[Sym, list]] = {}
        for c, e in added[x]:  # one slot per distinct element term: {(c1, e), (c2, e)} is {(c1 or c2, e)}
            merged.setdefault(tuple(leaf.get_id() for leaf in flat(e)), (e, []))[1].append(c)
        post_sets[x] = GrowSet(gs.sort, list(gs.slots) + [(disj(conds), e) for e, conds in merged.values()])
    post = SymState(post_values, post_sets)
    cs.append(_in_model(system, post))
    u.states.append(post)
    _slot_steps(u).append(SlotSteps(fires, params, states))
    return conj(cs)


# ------------------------------------------------------------------ decoding and checking


def decode(model: z3.ModelRef, u: Unrolling, p: Plan, *, kind: str, invariants: tuple[str, ...],
           violated: tuple[str, ...], cut=None) -> Trace:
    """The SERIALIZED trace: one Step per fired instance, in slot order, with every intermediate state.

    ``cut``, an invariant, ends the trace at its first state violating it (in the model).
    """
    system = u.system
    ev = evaluator(model)

    symbolic = [u.states[0]]
    steps: list[Step] = []
    of_step: list[int] = []  # the BMC step of each serialized step
    for t, sv in enumerate(_slot_steps(u)):
        before = len(steps)
        for k, slot in enumerate(p.slots):
            fired = [a for a in slot.actions if z3.is_true(ev(sv.fire[k][a.name]))]
            if len(fired) > 1:
                raise AssertionError(f"model fires {[a.name for a in fired]} in one slot")
            if not fired:
                continue
            a = fired[0]
            steps.append(Step(a.name, Rec({q.name: q.sort.decode(ev, sv.params[k][q.name]) for q in a.params})))
            symbolic.append(sv.states[k + 1] if k + 1 < len(p.slots) else u.states[t + 1])
            of_step.append(t)
        if len(steps) == before:
            raise AssertionError(f"model fires nothing in step {t}")
    if cut is not None:
        for j, s in enumerate(symbolic):
            if z3.is_false(ev(cut.encode(s.view()))):
                symbolic, steps, of_step = symbolic[: j + 1], steps[:j], of_step[:j]
                break
    sizes = [of_step.count(t) for t in range(of_step[-1] + 1)] if of_step else []
    states = tuple(decode_state(system, s, ev) for s in symbolic)
    return Trace(spec=system.spec, kind=kind, invariants=invariants, violated=violated, scope=system.scope,
                 assumptions=(), vars=tuple(v.name for v in system.vars), states=states, steps=tuple(steps),
                 extra={"semantics": "step", "step_depth": len(sizes), "actions_per_step": sizes})


def check_interleaved(system: System, tr: Trace) -> list[str]:
    """Problems found re-checking a serialized trace with the INTERLEAVED transition relation:
    state 0 satisfies Init and each step is one instance of its action (parameters as given)
    leading to the next state. Empty when every step checks."""
    problems = []
    u0, c0 = initial(system)
    s = z3.Solver()
    s.add(c0, equals_concrete(system, u0.states[0], tr.states[0]))
    if tr.kind == "counterexample" and s.check() != z3.sat:
        problems.append("state 0 does not satisfy Init")
    psorts = system.param_sorts()
    for n, st in enumerate(tr.steps, start=1):
        assert st.action is not None  # a serialized trace names the action of every step
        u = concrete(system, tr.states[n - 1])
        s = z3.Solver()
        s.add(interleaved_trans(u, (system.action(st.action),)))
        s.add(*[psorts[q].eq(u.steps[0].params[q], psorts[q].const(v)) for q, v in st.params.items()])
        s.add(equals_concrete(system, u.states[1], tr.states[n]))
        if s.check() != z3.sat:
            problems.append(f"step {n} ({st.action}) is not an interleaved step from state {n - 1} to state {n}")
            break
    return problems


def explain_state(system: System, inv, state: Rec, explain) -> tuple[str, ...]:
    """``explain``'s lines for a concrete state (the state of a serialized trace that violates ``inv``)."""
    values = _fresh_values(system, 0, "")
    sets = concrete(system, state).states[0].sets
    s0 = SymState(values, sets)
    solver = z3.Solver()
    solver.add(*[system.var[n].sort.eq(x, system.var[n].sort.const(state[n])) for n, x in values.items()])
    if solver.check() != z3.sat:
        return ()
    return explain(inv, Unrolling(system, [s0]), 0, solver.model(), (state,))


def pins(full_u: Unrolling, full: Plan, reduced_u: Unrolling, reduced: Plan, model) -> list[z3.BoolRef]:
    """Equalities fixing the full system's step table to a reduced counterexample's (slots matched by name)."""
    psorts = full.system.param_sorts()
    index = {s.name: k for k, s in enumerate(full.slots)}
    out = []
    for fs, rs in zip(_slot_steps(full_u), _slot_steps(reduced_u)):
        for k, slot in enumerate(reduced.slots):
            k2 = index.get(slot.name)
            if k2 is None:
                continue
            out += [fs.fire[k2][n] == model.eval(f, model_completion=True)
                    for n, f in rs.fire[k].items() if n in fs.fire[k2]]
            for n, x in rs.params[k].items():
                if n in fs.params[k2]:
                    out += [a == model.eval(b, model_completion=True)
                            for a, b in zip(psorts[n].leaves(fs.params[k2][n]), psorts[n].leaves(x))]
    return out


__all__ = ["Access", "Plan", "Slot", "SlotSteps", "plan", "trans", "decode", "check_interleaved", "conflict"]
