"""Why an invariant is false in the last state of a trace: the failing conjuncts and their values.

The invariant's formula in that state is split into its top-level conjuncts (named ones
first, then the instances of its quantifiers over servers, indexes and set elements);
each conjunct the model makes false is shown with the state values it reads, e.g.
``sync[s2] = 3, currentTerm[s2] = 2``. Values are read from the decoded state by the
path in each Z3 constant's name (``sync@1[s2]``), so enumerations show their names; an
element of a grow-only set is shown whole.
"""

from __future__ import annotations

import re

import z3

from .show import tla
from .system import Invariant
from .unroll import Unrolling

MAX_VALUES = 8  # values shown per failing conjunct
_NAME = re.compile(r"^(?P<var>[A-Za-z_][\w]*)@(?P<step>\d+)(?P<rest>.*)$")
_PART = re.compile(r"\[([^\]]+)\]|\.([A-Za-z_]\w*)|#(\d+)\??")


def _conjuncts(f: z3.BoolRef, limit: int = 400) -> list[z3.BoolRef]:
    out: list[z3.BoolRef] = []
    todo = [f]
    while todo and len(out) < limit:
        g = todo.pop()
        if z3.is_and(g):
            todo.extend(reversed(g.children()))
        else:
            out.append(g)
    return out


def _constants(f: z3.ExprRef) -> list[z3.ExprRef]:
    seen, out, todo = set(), [], [f]
    while todo:
        g = todo.pop()
        if g.get_id() in seen:
            continue
        seen.add(g.get_id())
        if z3.is_const(g) and g.decl().kind() == z3.Z3_OP_UNINTERPRETED:
            out.append(g)
        else:
            todo.extend(g.children())
    return out


def _key(raw: str, container) -> object:
    if isinstance(container, dict) or hasattr(container, "keys"):
        if raw in container:
            return raw
        try:
            return int(raw)
        except ValueError:
            return raw
    return raw


def describe(name: str, states: tuple, u: Unrolling, model: z3.ModelRef) -> str | None:
    """``path = value`` for one constant, read from the decoded states (None when not a state path)."""
    m = _NAME.match(name)
    if not m or int(m["step"]) >= len(states):
        return None
    var, step, rest = m["var"], int(m["step"]), m["rest"]
    state = states[step]
    if var not in state:
        return None
    value = state[var]
    shown = var
    for part in _PART.finditer(rest):
        key, field, slot = part.groups()
        if slot is not None:  # an element of a grow-only set: show it whole
            gs = u.states[step].sets.get(var)
            if gs is None or int(slot) >= len(gs.slots):
                return None
            present, elem = gs.slots[int(slot)]
            ev = (lambda t: model.eval(t, model_completion=True))
            if not z3.is_true(ev(present)):
                return f"{var}: an absent slot"
            return f"an element of {var}: {tla(gs.sort.decode(ev, elem))}"
        try:
            if key is not None:
                value = value[_key(key, value)]
                shown += f"[{key}]"
            else:
                value = value[field]
                shown += f".{field}"
        except (KeyError, TypeError, IndexError):
            return None
    return f"{shown} = {tla(value)}"


def explain(inv: Invariant, u: Unrolling, t: int, model: z3.ModelRef, states: tuple, most: int = 3) -> tuple[str, ...]:
    """Lines naming the conjuncts of ``inv`` false in state ``t`` and the values they read."""
    ev = (lambda g: model.eval(g, model_completion=True))
    lines: list[str] = []
    view = u.states[t].view()
    for cname, cenc in inv.conjuncts:
        if z3.is_false(ev(cenc(view))):
            lines.append(f"conjunct false: {cname}")
    failing = [c for c in _conjuncts(inv.encode(view)) if z3.is_false(ev(c))]
    for c in failing[:most]:
        parts = []
        for const in sorted(_constants(c), key=str):
            d = describe(str(const), states, u, model)
            if d and d not in parts:
                parts.append(d if len(d) <= 160 else d[:157] + "...")
        shown = parts[:MAX_VALUES] + ([f"... ({len(parts) - MAX_VALUES} more values)"] if len(parts) > MAX_VALUES else [])
        lines.append("fails where " + ("; ".join(shown) if shown else str(c)))
    if len(failing) > most:
        lines.append(f"... and {len(failing) - most} more failing instance(s)")
    return tuple(lines)


def reads(inv: Invariant, u: Unrolling, t: int) -> set[str]:
    """The state variables the invariant's formula in state ``t`` mentions."""
    names = set()
    for c in _constants(inv.encode(u.states[t].view())):
        m = _NAME.match(str(c))
        if m:
            names.add(m["var"])
    return names
