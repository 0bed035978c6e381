"""Symbolic TLA+ values of the translator, and the TLA+ operations on them.

A translated expression is a tree of Z3 terms shaped like its TLA+ value:

- ``BoolV``; ``IntV`` (a bit-vector with a known interval ``lo..hi``; arithmetic widens the
  bit-vector so that it never wraps, see :func:`width_for`); ``EnumV`` (a model value: a
  code into a tuple of names; values of two enumerations are equal when they name the
  same model value, so ``Nil`` of ``Server \\cup {Nil}`` equals ``Nil`` of ``Value \\cup {Nil}``);
- ``RecV`` (fields), ``TupV`` (items), ``FunV`` (a finite function as (present, key, value)
  entries: total functions have every entry present, partial functions have presence bits);
- ``SetV``: a finite set as a list of (condition, element) pairs, possibly with repeated
  elements (``distinct`` says when they are known not to be). Membership is a
  disjunction, equality is mutual inclusion, cardinality counts first occurrences;
- ``PredSetV``: a set known only by its membership predicate (``Nat``, ``SUBSET S``,
  ``[S -> T]``, ``[f : S]``, ``Quorums``...): usable after ``\\in`` and ``\\subseteq``, never
  enumerated;
- ``NilOrV`` and ``UnionV`` wrap the schema's ``NilOr`` and message ``Union`` sorts.

:func:`from_sort` turns a schema value (a tree of Z3 terms described by a
:class:`~smtspec.sorts.Sort`) into this form. Operations raise :class:`Mismatch` when the
operands have kinds TLA+ would not compare or apply (the translator reports it with the
position of the expression).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence as Seq

import z3

from smtspec.sorts import (
    W, BoolSort, BoundedSet, Enum, FiniteSort, Function, IntRange, NilOr, PairSet, PartialFunction, Record,
    Sort, Subset, Tuple, Union, conj, disj, ite_term,
)

TRUE = z3.BoolVal(True)
FALSE = z3.BoolVal(False)
MAX_WIDTH = 64
MAX_RANGE = 256  # elements of a symbolic range a..b enumerated at most


def imp(a: z3.BoolRef, b: z3.BoolRef) -> z3.BoolRef:
    """``a => b``, folding literal operands."""
    if z3.is_false(a) or z3.is_true(b):
        return TRUE
    if z3.is_true(a):
        return b
    return z3.Implies(a, b)


def same(a: z3.BoolRef, b: z3.BoolRef) -> z3.BoolRef:
    """``a <=> b``, folding literal operands."""
    for x, y in ((a, b), (b, a)):
        if z3.is_true(x):
            return y
        if z3.is_false(x):
            return neg(y)
    return a == b


def both(a: z3.BoolRef, b: z3.BoolRef) -> z3.BoolRef:
    return conj([a, b])


def neg(a: z3.BoolRef) -> z3.BoolRef:
    if z3.is_true(a):
        return FALSE
    if z3.is_false(a):
        return TRUE
    return z3.Not(a)


class Mismatch(Exception):
    """Operands of kinds the operation does not accept (reported with a position)."""


class Val:
    kind = "value"


@dataclass(frozen=True, eq=False)
class BoolV(Val):
    t: z3.BoolRef
    kind = "Boolean"


@dataclass(frozen=True, eq=False)
class IntV(Val):
    t: z3.BitVecRef
    lo: int
    hi: int
    kind = "integer"


@dataclass(frozen=True, eq=False)
class EnumV(Val):
    names: tuple[str, ...]
    t: z3.BitVecRef
    kind = "model value"


@dataclass(frozen=True, eq=False)
class RecV(Val):
    fields: dict
    kind = "record"


@dataclass(frozen=True, eq=False)
class TupV(Val):
    items: tuple
    kind = "tuple"


@dataclass(frozen=True, eq=False)
class FunV(Val):
    entries: tuple  # (present, key, value)
    default: Val | None = None  # the value outside the domain (None: the last entry's)
    kind = "function"


@dataclass(frozen=True, eq=False)
class SetV(Val):
    items: tuple  # (condition, element)
    distinct: bool = False
    kind = "finite set"


@dataclass(frozen=True, eq=False)
class PredSetV(Val):
    member: Callable[[Val], z3.BoolRef]
    what: str
    kind = "set that is not enumerated"


@dataclass(frozen=True, eq=False)
class NilOrV(Val):
    nil: z3.BoolRef
    inner: Val
    nil_name: str = "Nil"
    kind = "value or Nil"


@dataclass(frozen=True, eq=False)
class UnionV(Val):
    sort: Union
    sym: dict
    kind = "message"


# --------------------------------------------------------------------------- scalars


def boolean(b: bool) -> BoolV:
    return BoolV(z3.BoolVal(b))


def width_for(lo: int, hi: int) -> int:
    """Bits of a signed bit-vector holding every integer of ``lo..hi`` (at least ``W``)."""
    w = W
    while not (-(1 << (w - 1)) <= lo and hi <= (1 << (w - 1)) - 1):
        w += 1
    if w > MAX_WIDTH:
        raise Mismatch(f"integers in {lo}..{hi} are too large")
    return w


def integer(n: int) -> IntV:
    return IntV(z3.BitVecVal(n, width_for(n, n)), n, n)


def _widen(t: z3.BitVecRef, w: int) -> z3.BitVecRef:
    if t.size() == w:
        return t
    if z3.is_bv_value(t):
        return z3.BitVecVal(t.as_signed_long(), w)
    return z3.SignExt(w - t.size(), t)


def literal(v: Val):
    """The Python value of a literal integer or Boolean, else None."""
    if isinstance(v, IntV) and z3.is_bv_value(v.t):
        return v.t.as_signed_long()
    if isinstance(v, BoolV) and (z3.is_true(v.t) or z3.is_false(v.t)):
        return z3.is_true(v.t)
    return None


def key_of(v: Val):
    """A hashable Python key for a fully literal value (used to index functions), else None."""
    if isinstance(v, IntV):
        n = literal(v)
        return None if n is None else ("i", n)
    if isinstance(v, BoolV):
        b = literal(v)
        return None if b is None else ("b", b)
    if isinstance(v, EnumV):
        return ("e", v.names[v.t.as_signed_long()]) if z3.is_bv_value(v.t) else None
    if isinstance(v, TupV):
        ks = tuple(key_of(x) for x in v.items)
        return None if any(k is None for k in ks) else ("t", ks)
    return None


def as_bool(v: Val, what: str = "a formula") -> z3.BoolRef:
    if not isinstance(v, BoolV):
        raise Mismatch(f"expected {what} (a Boolean), got a {v.kind}")
    return v.t


def as_int(v: Val) -> IntV:
    if not isinstance(v, IntV):
        raise Mismatch(f"expected an integer, got a {v.kind}")
    return v


def arith(op: str, a: Val, b: Val) -> IntV:
    """``a op b`` for op in + - * \\div %, exactly (the bit-vector is as wide as needed)."""
    a, b = as_int(a), as_int(b)
    if op == "+":
        lo, hi = a.lo + b.lo, a.hi + b.hi
    elif op == "-":
        lo, hi = a.lo - b.hi, a.hi - b.lo
    elif op == "*":
        ps = [a.lo * b.lo, a.lo * b.hi, a.hi * b.lo, a.hi * b.hi]
        lo, hi = min(ps), max(ps)
    elif op in ("\\div", "%"):
        if b.lo <= 0:
            raise Mismatch(f"{op} by a number that may not be positive")
        qs = [a.lo // b.lo, a.lo // b.hi, a.hi // b.lo, a.hi // b.hi]
        lo, hi = (min(qs), max(qs)) if op == "\\div" else (0, b.hi - 1)
    else:  # pragma: no cover - the translator only passes the operators above
        raise Mismatch(op)
    w = max(width_for(lo, hi), a.t.size(), b.t.size(), width_for(min(a.lo, b.lo), max(a.hi, b.hi)))
    if op in ("\\div", "%"):
        w += 1  # room for q * y in the remainder
    x, y = _widen(a.t, w), _widen(b.t, w)
    if op == "+":
        t = x + y
    elif op == "-":
        t = x - y
    elif op == "*":
        t = x * y
    else:
        q = z3.If(z3.And(x < 0, z3.SRem(x, y) != 0), x / y - 1, x / y)  # floor division, y > 0
        t = q if op == "\\div" else x - q * y
    return IntV(z3.simplify(t), lo, hi)


def negate(a: Val) -> IntV:
    return arith("-", integer(0), a)


def compare(op: str, a: Val, b: Val) -> BoolV:
    a, b = as_int(a), as_int(b)
    la, lb = literal(a), literal(b)
    if la is not None and lb is not None:
        return boolean({"<": la < lb, "<=": la <= lb, ">": la > lb, ">=": la >= lb}[op])
    w = max(a.t.size(), b.t.size())
    x, y = _widen(a.t, w), _widen(b.t, w)
    return BoolV({"<": x < y, "<=": x <= y, ">": x > y, ">=": x >= y}[op])


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


def tuple_as_function(t: TupV) -> FunV:
    return FunV(tuple((TRUE, integer(k + 1), x) for k, x in enumerate(t.items)))


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
        return _widen(a.t, w) == _widen(b.t, w)
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
    raise Mismatch(f"cannot compare a {a.kind} with a {b.kind}")


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
        return IntV(ite_term(c, _widen(a.t, w), _widen(b.t, w)), min(a.lo, b.lo), max(a.hi, b.hi))
    if isinstance(a, EnumV) and isinstance(b, EnumV):
        short, long_ = (a, b) if len(a.names) <= len(b.names) else (b, a)
        if long_.names[: len(short.names)] != short.names:
            raise Mismatch("IF/CASE branches are model values of two different sets")
        return EnumV(long_.names, ite_term(c, a.t, b.t))
    if isinstance(a, RecV) and isinstance(b, RecV) and set(a.fields) == set(b.fields):
        return RecV({f: ite(c, a.fields[f], b.fields[f]) for f in a.fields})
    if isinstance(a, TupV) and isinstance(b, TupV) and len(a.items) == len(b.items):
        return TupV(tuple(ite(c, x, y) for x, y in zip(a.items, b.items)))
    if isinstance(a, TupV) and isinstance(b, FunV):
        a = tuple_as_function(a)
    if isinstance(b, TupV) and isinstance(a, FunV):
        b = tuple_as_function(b)
    if isinstance(a, FunV) and isinstance(b, FunV):
        if _same_keys(a, b):
            entries = tuple((ite_term(c, p, q), k, ite(c, x, y)) for (p, k, x), (q, _, y) in zip(a.entries, b.entries))
        else:
            entries = tuple((z3.And(c, p), k, x) for p, k, x in a.entries) + tuple(
                (z3.And(z3.Not(c), q), k, y) for q, k, y in b.entries)
        default = ite(c, a.default, b.default) if a.default is not None and b.default is not None else None
        return FunV(entries, default)
    if isinstance(a, SetV) and isinstance(b, SetV):
        return SetV(tuple((z3.And(c, p), x) for p, x in a.items) + tuple((z3.And(z3.Not(c), q), y) for q, y in b.items))
    if isinstance(a, (SetV, PredSetV)) and isinstance(b, (SetV, PredSetV)):
        return PredSetV(lambda x: z3.If(c, member(x, a), member(x, b)), f"IF ... THEN {describe(a)} ELSE {describe(b)}")
    if isinstance(a, NilOrV) and isinstance(b, NilOrV):
        return NilOrV(ite_term(c, a.nil, b.nil), ite(c, a.inner, b.inner), a.nil_name)
    if isinstance(a, UnionV) and isinstance(b, UnionV) and a.sort == b.sort:
        return UnionV(a.sort, a.sort.ite(c, a.sym, b.sym))
    raise Mismatch(f"IF/CASE branches of different kinds ({a.kind} and {b.kind})")


# --------------------------------------------------------------------------- sets


def describe(s: Val) -> str:
    return s.what if isinstance(s, PredSetV) else s.kind


def items(s: Val) -> tuple:
    """The (condition, element) pairs of an enumerable set."""
    if isinstance(s, SetV):
        return s.items
    if isinstance(s, PredSetV):
        raise Mismatch(f"{s.what} is not enumerated: it can only follow \\in or \\subseteq")
    raise Mismatch(f"expected a set, got a {s.kind}")


def member(x: Val, s: Val) -> z3.BoolRef:
    """TLA+ ``x \\in s``."""
    if isinstance(s, PredSetV):
        return s.member(x)
    return disj([both(c, eq(x, y)) for c, y in items(s)])


def subseteq(a: Val, b: Val) -> z3.BoolRef:
    return conj([imp(c, member(x, b)) for c, x in items(a)])


def union(a: Val, b: Val) -> Val:
    if isinstance(a, SetV) and isinstance(b, SetV):
        return SetV(a.items + b.items)
    for s in (a, b):
        if not isinstance(s, (SetV, PredSetV)):
            raise Mismatch(f"\\cup needs sets, got a {s.kind}")
    return PredSetV(lambda x: z3.Or(member(x, a), member(x, b)), f"{describe(a)} \\cup {describe(b)}")


def intersect(a: Val, b: Val) -> Val:
    if isinstance(a, PredSetV) and isinstance(b, SetV):
        a, b = b, a
    if isinstance(a, SetV):
        return SetV(tuple((both(c, member(x, b)), x) for c, x in a.items), a.distinct)
    return PredSetV(lambda x: z3.And(member(x, a), member(x, b)), f"{describe(a)} \\cap {describe(b)}")


def difference(a: Val, b: Val) -> Val:
    if isinstance(a, SetV):
        return SetV(tuple((both(c, neg(member(x, b))), x) for c, x in a.items), a.distinct)
    return PredSetV(lambda x: z3.And(member(x, a), z3.Not(member(x, b))), f"{describe(a)} \\ {describe(b)}")


def big_union(s: Val) -> Val:
    """``UNION s``."""
    inner = items(s)
    if all(isinstance(x, SetV) for _, x in inner):
        return SetV(tuple((both(c, d), y) for c, x in inner for d, y in x.items))
    return PredSetV(lambda y: disj([z3.And(c, member(y, x)) for c, x in inner]), "UNION of sets that are not enumerated")


def cardinality(s: Val) -> IntV:
    its = items(s)
    n = len(its)
    w = width_for(0, n)
    if isinstance(s, SetV) and s.distinct:
        firsts = [c for c, _ in its]
    else:
        firsts = [both(c, neg(disj([both(d, eq(y, x)) for d, y in its[:k]]))) for k, (c, x) in enumerate(its)]
    one, zero = z3.BitVecVal(1, w), z3.BitVecVal(0, w)
    terms = [z3.If(c, one, zero) for c in firsts if not z3.is_false(c)]
    t = z3.simplify(z3.Sum(terms)) if terms else zero
    return IntV(t, 0, n)


def int_range(a: Val, b: Val) -> SetV:
    """``a..b``: literal bounds give literal elements; symbolic ones are bounded by their intervals."""
    a, b = as_int(a), as_int(b)
    la, lb = literal(a), literal(b)
    if la is not None and lb is not None:
        return SetV(tuple((TRUE, integer(k)) for k in range(la, lb + 1)), True)
    lo, hi = a.lo, b.hi
    if hi - lo + 1 > MAX_RANGE:
        raise Mismatch(f"the range {lo}..{hi} is too large to enumerate")
    return SetV(tuple((z3.And(compare("<=", a, integer(k)).t, compare("<=", integer(k), b).t), integer(k))
                      for k in range(lo, hi + 1)), True)


def minmax(s: Val, smallest: bool) -> IntV:
    """The least (or greatest) element of a finite set of integers; -1 for the empty set."""
    its = items(s)
    if not its:
        return integer(-1)
    for _, x in its:
        as_int(x)
    acc: IntV = integer(-1)
    found = FALSE
    for c, x in its:
        better = compare("<" if smallest else ">", x, acc).t
        take = z3.And(c, z3.Or(z3.Not(found), better))
        acc = ite(z3.simplify(take), x, acc)
        found = z3.Or(found, c)
    return acc


def product(sets: Seq[Val]) -> Val:
    """``S1 \\X S2 \\X ...``."""
    if all(isinstance(s, SetV) for s in sets):
        out = [(TRUE, ())]
        for s in sets:
            out = [(both(c, d), t + (x,)) for c, t in out for d, x in s.items]
        return SetV(tuple((c, TupV(t)) for c, t in out), all(s.distinct for s in sets))

    def mem(x: Val) -> z3.BoolRef:
        if isinstance(x, FunV):
            raise Mismatch("membership of a function in a \\X product is not supported")
        if not isinstance(x, TupV):
            raise Mismatch(f"expected a tuple, got a {x.kind}")
        if len(x.items) != len(sets):
            return FALSE
        return conj([member(y, s) for y, s in zip(x.items, sets)])

    return PredSetV(mem, " \\X ".join(describe(s) for s in sets))


# --------------------------------------------------------------------------- functions


def _default(f: FunV) -> Val:
    if f.default is not None:
        return f.default
    if not f.entries:
        raise Mismatch("application of a function with an empty domain")
    return f.entries[-1][2]


def apply(f: Val, key: Val) -> Val:
    """``f[key]``; outside the domain: the range's default (the schema's canonical filler)."""
    if isinstance(f, NilOrV):
        f = f.inner
    if isinstance(f, TupV):
        if not isinstance(key, IntV):
            raise Mismatch(f"a tuple is indexed by integers, got a {key.kind}")
        k = literal(key)
        if k is not None:
            if not 1 <= k <= len(f.items):
                raise Mismatch(f"tuple index {k} is outside 1..{len(f.items)}")
            return f.items[k - 1]
        out = f.items[-1]
        for pos in range(len(f.items) - 1, 0, -1):
            out = ite(eq(key, integer(pos)), f.items[pos - 1], out)
        return out
    if not isinstance(f, FunV):
        raise Mismatch(f"only functions and tuples can be applied, got a {f.kind}")
    want = key_of(key)
    if want is not None:
        cands = [(p, k, v) for p, k, v in f.entries if key_of(k) in (want, None)]
        if cands and key_of(cands[0][1]) == want and z3.is_true(cands[0][0]):
            return cands[0][2]
    else:
        cands = list(f.entries)
    out = _default(f)
    for p, k, v in reversed(cands):
        out = ite(both(p, eq(k, key)), v, out)
    return out


def domain(f: Val) -> SetV:
    if isinstance(f, NilOrV):
        f = f.inner
    if isinstance(f, TupV):
        return SetV(tuple((TRUE, integer(k + 1)) for k in range(len(f.items))), True)
    if isinstance(f, FunV):
        keys = [key_of(k) for _, k, _ in f.entries]
        return SetV(tuple((p, k) for p, k, _ in f.entries), None not in keys and len(set(keys)) == len(keys))
    raise Mismatch(f"DOMAIN of a {f.kind} is not supported")


def field(r: Val, name: str) -> Val:
    """``r.name``."""
    if isinstance(r, RecV):
        if name not in r.fields:
            raise Mismatch(f"the record has no field {name} (fields: {', '.join(r.fields)})")
        return r.fields[name]
    if isinstance(r, UnionV):
        u = r.sort
        if name == u.tag:
            return EnumV(u.tag_sort.names, r.sym[u.tag])
        slots = [(f, s) for f, s in u.slots if f == name]
        if not slots:
            raise Mismatch(f"no kind of {u.name} has a field {name}")
        if len(slots) > 1:
            kinds = ", ".join(k.name for k in u.kinds if name in k.field_sorts)
            raise Mismatch(f"field {name} has different types in different kinds of {u.name} ({kinds}): not supported")
        f, s = slots[0]
        return from_sort(s, r.sym[u.slot_names[(f, s)]])
    raise Mismatch(f"field access .{name} on a {r.kind}")


def union_as_record(m: UnionV, kind: str) -> RecV:
    k = m.sort.kind(kind)
    out = {m.sort.tag: EnumV(m.sort.tag_sort.names, m.sym[m.sort.tag])}
    for f, s in k.fields:
        out[f] = from_sort(s, m.sort.field(m.sym, f, kind))
    return RecV(out)


def fun_set(dom: Val, rng: Val) -> PredSetV:
    """``[dom -> rng]``."""
    dom_items = items(dom)

    def mem(f: Val) -> z3.BoolRef:
        if isinstance(f, TupV):
            f = tuple_as_function(f)
        if not isinstance(f, FunV):
            raise Mismatch(f"expected a function, got a {f.kind}")
        return both(eq(domain(f), SetV(dom_items)), conj([imp(p, member(v, rng)) for p, _, v in f.entries]))

    return PredSetV(mem, f"[{describe(dom)} -> {describe(rng)}]")


def record_set(fields: dict) -> PredSetV:
    """``[f1 : S1, f2 : S2, ...]``."""

    def mem(r: Val) -> z3.BoolRef:
        if isinstance(r, UnionV):
            u = r.sort
            return disj([z3.And(u.is_kind(r.sym, k.name), mem(union_as_record(r, k.name)))
                         for k in u.kinds if {u.tag, *k.field_sorts} == set(fields)])
        if not isinstance(r, RecV):
            raise Mismatch(f"expected a record, got a {r.kind}")
        if set(r.fields) != set(fields):
            return FALSE
        return conj([member(r.fields[f], s) for f, s in fields.items()])

    return PredSetV(mem, "[" + ", ".join(f"{f} : ..." for f in fields) + "]")


def powerset(s: Val) -> PredSetV:
    """``SUBSET s``: membership only."""
    return PredSetV(lambda x: subseteq(x, s), f"SUBSET {describe(s)}")


NAT = PredSetV(lambda x: compare(">=", as_int(x), integer(0)).t if isinstance(x, IntV) else _not_int(x), "Nat")
INT = PredSetV(lambda x: TRUE if isinstance(x, IntV) else _not_int(x), "Int")


def _not_int(x: Val) -> z3.BoolRef:
    raise Mismatch(f"a {x.kind} compared with integers")


BOOLEANS = SetV(((TRUE, boolean(False)), (TRUE, boolean(True))), True)


# --------------------------------------------------------------------------- schema values


def key_value(domain_: FiniteSort, key) -> Val:
    """The value of one element of a finite sort (a function key, a quantifier value)."""
    if isinstance(domain_, IntRange):
        return integer(key)
    if isinstance(domain_, Enum):
        return EnumV(domain_.names, z3.BitVecVal(domain_.names.index(key), W))
    if isinstance(domain_, BoolSort):
        return boolean(key)
    raise Mismatch(f"unsupported domain sort {type(domain_).__name__}")


def sort_set(sort: FiniteSort) -> SetV:
    """The set of all elements of a finite sort (``Server``, ``Index``...)."""
    return SetV(tuple((TRUE, key_value(sort, k)) for k in sort.elements()), True)


def from_sort(sort: Sort, v) -> Val:
    """The translator's form of a schema value ``v`` of ``sort``."""
    if isinstance(sort, BoolSort):
        return BoolV(v)
    if isinstance(sort, IntRange):
        return IntV(v, sort.low, sort.high)
    if isinstance(sort, Enum):
        return EnumV(sort.names, v)
    if isinstance(sort, Record):
        return RecV({f: from_sort(s, v[f]) for f, s in sort.fields})
    if isinstance(sort, Tuple):
        return TupV(tuple(from_sort(s, x) for s, x in zip(sort.items, v)))
    if isinstance(sort, Function):
        default = from_sort(sort.range, sort.range.const(sort.range.default()))
        return FunV(tuple((TRUE, key_value(sort.domain, k), from_sort(sort.range, x)) for k, x in zip(sort.keys, v)), default)
    if isinstance(sort, PartialFunction):
        default = from_sort(sort.range, sort.range.const(sort.range.default()))
        return FunV(tuple((p, key_value(sort.domain, k), from_sort(sort.range, x)) for k, (p, x) in zip(sort.pairs.keys, v)), default)
    if isinstance(sort, PairSet):
        return SetV(tuple((p, TupV((key_value(sort.domain, k), from_sort(sort.range, x)))) for k, (p, x) in zip(sort.keys, v)), True)
    if isinstance(sort, Subset):
        return SetV(tuple((b, key_value(sort.domain, k)) for k, b in zip(sort.keys, v)), True)
    if isinstance(sort, BoundedSet):
        return SetV(tuple((p, from_sort(sort.elem, x)) for p, x in v))
    if isinstance(sort, NilOr):
        return NilOrV(v[0], from_sort(sort.inner, v[1]), sort.nil)
    if isinstance(sort, Union):
        return UnionV(sort, v)
    raise Mismatch(f"values of sort {type(sort).__name__} are not supported by the TLA+ front end")


def grow_set(sort: Sort, slots) -> SetV:
    """A grow-only set of the state (its slots may repeat an element)."""
    return SetV(tuple((p, from_sort(sort, x)) for p, x in slots))
