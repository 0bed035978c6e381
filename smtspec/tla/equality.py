"""TLA+ equality, membership and ``IF`` on symbolic values (:mod:`.symbolic`).

``a = b`` follows TLA+: model values are equal when they name the same value (whatever
set they come from), records and tuples of different shapes are different, a tuple equals
the function over ``1..n`` with its items, functions are equal when their domains and values
are, and finite sets are equal by mutual inclusion (their (condition, element) lists may
repeat elements). Comparing values TLA+ would not compare (an integer and a model value)
raises :class:`~smtspec.tla.symbolic.Mismatch`.
"""

from __future__ import annotations

import z3

from smtspec.sorts import conj, disj, ite_term

from .symbolic import (
    FALSE, BoolV, EnumV, FunV, IntV, Mismatch, NilOrV, PredSetV, RecV, SetV, TupV, UnionV, Val, widen,
    a_kind, both, imp, literal, key_of, same, tuple_as_function, union_as_record,
)

# --------------------------------------------------------------------------- equality


def _enum_index(names: tuple[str, ...], name: str) -> int | None:
    return names.index(name) if name in names else None


def _enum_eq(a: EnumV, b: EnumV) -> z3.BoolRef:
    if z3.is_bv_value(a.t) and z3.is_bv_value(b.t):
        return z3.BoolVal(a.names[a.t.as_signed_long()] == b.names[b.t.as_signed_long()])
    short, long_ = (a, b) if len(a.names) <= len(b.names) else (b, a)
    if long_.names[: len(short.names)] == short.names:  # same positions (e.g. Server and Server \cup {Nil})
        if z3.is_bv_value(short.t) and z3.is_bv_value(long_.t):
            return z3.BoolVal(short.t.as_signed_long() == long_.t.as_signed_long())
        return short.t == long_.t
    return disj([z3.And(a.t == k, b.t == b.names.index(n)) for k, n in enumerate(a.names) if n in b.names])


def enum_is(a: EnumV, name: str) -> z3.BoolRef:
    k = _enum_index(a.names, name)
    if k is None:
        return FALSE
    if z3.is_bv_value(a.t):
        return z3.BoolVal(a.t.as_signed_long() == k)
    return a.t == k


def _same_keys(a: FunV, b: FunV) -> bool:
    ka = [key_of(k) for _, k, _ in a.entries]
    kb = [key_of(k) for _, k, _ in b.entries]
    return None not in ka and ka == kb and len(set(ka)) == len(ka)


def _fun_eq(a: FunV, b: FunV) -> z3.BoolRef:
    if _same_keys(a, b):
        return conj([both(same(p, q), imp(p, eq(x, y))) for (p, _, x), (q, _, y) in zip(a.entries, b.entries)])

    def covered(f: FunV, g: FunV) -> z3.BoolRef:
        return conj([imp(p, disj([conj([q, eq(k, l), eq(x, y)]) for q, l, y in g.entries])) for p, k, x in f.entries])

    return both(covered(a, b), covered(b, a))


def eq(a: Val, b: Val) -> z3.BoolRef:
    """TLA+ ``a = b``."""
    if isinstance(a, BoolV) and isinstance(b, BoolV):
        la, lb = literal(a), literal(b)
        return z3.BoolVal(la == lb) if la is not None and lb is not None else a.t == b.t
    if isinstance(a, IntV) and isinstance(b, IntV):
        la, lb = literal(a), literal(b)
        if la is not None and lb is not None:
            return z3.BoolVal(la == lb)
        w = max(a.t.size(), b.t.size())
        return widen(a.t, w) == widen(b.t, w)
    if isinstance(a, EnumV) and isinstance(b, EnumV):
        return _enum_eq(a, b)
    if isinstance(b, NilOrV) and not isinstance(a, NilOrV):
        a, b = b, a
    if isinstance(a, NilOrV):
        if isinstance(b, NilOrV):
            return z3.If(a.nil, b.nil, z3.And(z3.Not(b.nil), eq(a.inner, b.inner)))
        if isinstance(b, EnumV):
            return z3.And(a.nil, enum_is(b, a.nil_name))
        return z3.And(z3.Not(a.nil), eq(a.inner, b))
    if isinstance(a, RecV) and isinstance(b, RecV):
        if set(a.fields) != set(b.fields):
            return FALSE
        return conj([eq(a.fields[f], b.fields[f]) for f in a.fields])
    if isinstance(b, UnionV) and not isinstance(a, UnionV):
        a, b = b, a
    if isinstance(a, UnionV):
        if isinstance(b, UnionV):
            if a.sort != b.sort:
                raise Mismatch("cannot compare messages of two different schemas")
            return a.sort.eq(a.sym, b.sym)
        if isinstance(b, RecV):
            return disj([z3.And(a.sort.is_kind(a.sym, k.name), eq(union_as_record(a, k.name), b))
                         for k in a.sort.kinds if set(b.fields) == {a.sort.tag, *k.field_sorts}])
    if isinstance(a, TupV) and isinstance(b, TupV):
        if len(a.items) != len(b.items):
            return FALSE
        return conj([eq(x, y) for x, y in zip(a.items, b.items)])
    if isinstance(a, TupV) and isinstance(b, FunV):
        a = tuple_as_function(a)
    if isinstance(b, TupV) and isinstance(a, FunV):
        b = tuple_as_function(b)
    if isinstance(a, FunV) and isinstance(b, FunV):
        return _fun_eq(a, b)
    if isinstance(a, SetV) and isinstance(b, SetV):
        return both(subseteq(a, b), subseteq(b, a))
    if isinstance(a, PredSetV) or isinstance(b, PredSetV):
        raise Mismatch("cannot compare a set that is not enumerated (Nat, SUBSET, [S -> T]...) for equality")
    raise Mismatch(f"cannot compare {a_kind(a)} with {a_kind(b)}")


# --------------------------------------------------------------------------- ite


def ite(c: z3.BoolRef, a: Val, b: Val) -> Val:
    """``IF c THEN a ELSE b``."""
    if z3.is_true(c) or a is b:
        return a
    if z3.is_false(c):
        return b
    if isinstance(a, BoolV) and isinstance(b, BoolV):
        return BoolV(ite_term(c, a.t, b.t))
    if isinstance(a, IntV) and isinstance(b, IntV):
        w = max(a.t.size(), b.t.size())
        return IntV(ite_term(c, widen(a.t, w), widen(b.t, w)), min(a.lo, b.lo), max(a.hi, b.hi))
    if isinstance(a, EnumV) and isinstance(b, EnumV):
        short, long_ = (a, b) if len(a.names) <= len(b.names) else (b, a)
        if long_.names[: len(short.names)] == short.names:
            return EnumV(long_.names, ite_term(c, a.t, b.t))
        # Model values of two sets (Nil and Pending of two enumerations): the names of
        # both, b's code translated to its name's position there.
        names = a.names + tuple(n for n in b.names if n not in a.names)
        return EnumV(names, ite_term(c, a.t, _recode(b, names)))
    if isinstance(a, RecV) and isinstance(b, RecV) and set(a.fields) == set(b.fields):
        return RecV({f: ite(c, a.fields[f], b.fields[f]) for f in a.fields})
    if isinstance(a, TupV) and isinstance(b, TupV) and len(a.items) == len(b.items):
        return TupV(tuple(ite(c, x, y) for x, y in zip(a.items, b.items)))
    if isinstance(a, TupV) and isinstance(b, FunV):
        a = tuple_as_function(a)
    if isinstance(b, TupV) and isinstance(a, FunV):
        b = tuple_as_function(b)
    if isinstance(a, FunV) and isinstance(b, FunV):
        canonical = False
        if _same_keys(a, b):
            entries = tuple((ite_term(c, p, q), k, ite(c, x, y)) for (p, k, x), (q, _, y) in zip(a.entries, b.entries))
            canonical = a.canonical and b.canonical
        else:
            entries = tuple((z3.And(c, p), k, x) for p, k, x in a.entries) + tuple(
                (z3.And(z3.Not(c), q), k, y) for q, k, y in b.entries)
        default = ite(c, a.default, b.default) if a.default is not None and b.default is not None else None
        length = ite(c, a.length, b.length) if a.length is not None and b.length is not None else None
        return FunV(entries, default, length, canonical)
    if isinstance(a, SetV) and isinstance(b, SetV):
        return SetV(tuple((z3.And(c, p), x) for p, x in a.items) + tuple((z3.And(z3.Not(c), q), y) for q, y in b.items))
    if isinstance(a, (SetV, PredSetV)) and isinstance(b, (SetV, PredSetV)):
        return PredSetV(lambda x: z3.If(c, member(x, a), member(x, b)), f"IF ... THEN {describe(a)} ELSE {describe(b)}")
    if isinstance(a, NilOrV) and isinstance(b, NilOrV):
        return NilOrV(ite_term(c, a.nil, b.nil), ite(c, a.inner, b.inner), a.nil_name)
    if isinstance(a, UnionV) and isinstance(b, UnionV) and a.sort == b.sort:
        return UnionV(a.sort, a.sort.ite(c, a.sym, b.sym))
    raise Mismatch(f"IF/CASE branches of different kinds ({a.kind} and {b.kind})")


def _recode(v: EnumV, names: tuple[str, ...]) -> z3.BitVecRef:
    """The code of ``v``'s model value in ``names`` (which holds all of ``v.names``)."""
    if z3.is_bv_value(v.t):
        return z3.BitVecVal(names.index(v.names[v.t.as_signed_long()]), v.t.size())
    out = z3.BitVecVal(names.index(v.names[-1]), v.t.size())
    for k in range(len(v.names) - 2, -1, -1):
        out = z3.If(v.t == k, z3.BitVecVal(names.index(v.names[k]), v.t.size()), out)
    return out


# --------------------------------------------------------------------------- sets


def describe(s: Val) -> str:
    return s.what if isinstance(s, PredSetV) else s.kind


def items(s: Val) -> tuple:
    """The (condition, element) pairs of an enumerable set."""
    if isinstance(s, SetV):
        return s.items
    if isinstance(s, PredSetV):
        raise Mismatch(f"{s.what} is not enumerated: it can only follow \\in or \\subseteq")
    raise Mismatch(f"expected a set, got {a_kind(s)}")


def member(x: Val, s: Val) -> z3.BoolRef:
    """TLA+ ``x \\in s``."""
    if isinstance(s, PredSetV):
        return s.member(x)
    return disj([both(c, eq(x, y)) for c, y in items(s)])


def subseteq(a: Val, b: Val) -> z3.BoolRef:
    return conj([imp(c, member(x, b)) for c, x in items(a)])
