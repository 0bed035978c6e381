"""Symbolic TLA+ values of the translator: their kinds, integers, and schema values.

A translated expression is a tree of Z3 terms shaped like its TLA+ value:

- ``BoolV``; ``IntV`` (a bit-vector with a known interval ``lo..hi``; arithmetic widens the
  bit-vector so that it never wraps, see :func:`width_for`); ``EnumV`` (a model value: a
  code into a tuple of names; values of two enumerations are equal when they name the
  same model value, so ``Nil`` of ``Server \\cup {Nil}`` equals ``Nil`` of ``Value \\cup {Nil}``);
- ``RecV`` (fields), ``TupV`` (items), ``FunV`` (a finite function as (present, key, value)
  entries: total functions have every entry present, partial functions and sequences have
  presence bits, and, read from the state, hold the default in every absent entry);
- ``SetV``: a finite set as a list of (condition, element) pairs, possibly with repeated
  elements (``distinct`` says when they are known not to be);
- ``PredSetV``: a set known only by its membership predicate (``Nat``, ``SUBSET S``,
  ``[S -> T]``, ``[f : S]``, ``Quorums``...): usable after ``\\in`` and ``\\subseteq``, never
  enumerated;
- ``NilOrV`` and ``UnionV`` wrap the schema's ``NilOr`` and message ``Union`` sorts.

:func:`from_sort` turns a schema value (a tree of Z3 terms described by a
:class:`~smtspec.sorts.Sort`) into this form. Equality and ``IF`` are in
:mod:`.equality`, set and function operators in :mod:`.operations`. Operations raise
:class:`Mismatch` when the operands have kinds TLA+ would not compare or apply (the
translator reports it with the position of the expression).

The translation relies on the states it reads being well-formed (every integer within its
sort's range, every enumeration code a valid position), as every state of an unrolling is.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import z3

from smtspec.sorts import (
    W, BoolSort, BoundedSet, Enum, FiniteSort, Function, IntRange, NilOr, PairSet, PartialFunction, Record,
    Sequence, Sort, Subset, Tuple, Union, conj,
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


def a_kind(v: "Val") -> str:
    """The kind of a value with its article ("an integer", "a record")."""
    return ("an " if v.kind[0] in "aeiou" else "a ") + v.kind


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
    length: Val | None = None  # Len(f) for a sequence of the schema (its domain is 1..length)
    canonical: bool = False  # an entry that is not present holds the default (the schema's canonical form)
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


def widen(t: z3.BitVecRef, w: int) -> z3.BitVecRef:
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
        raise Mismatch(f"expected {what} (a Boolean), got {a_kind(v)}")
    return v.t


def as_int(v: Val) -> IntV:
    if not isinstance(v, IntV):
        raise Mismatch(f"expected an integer, got {a_kind(v)}")
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
    x, y = widen(a.t, w), widen(b.t, w)
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
    x, y = widen(a.t, w), widen(b.t, w)
    return BoolV({"<": x < y, "<=": x <= y, ">": x > y, ">=": x >= y}[op])


def tuple_as_function(t: TupV) -> FunV:
    return FunV(tuple((TRUE, integer(k + 1), x) for k, x in enumerate(t.items)))


def union_as_record(m: UnionV, kind: str) -> RecV:
    k = m.sort.kind(kind)
    out: dict[str, Val] = {m.sort.tag: EnumV(m.sort.tag_sort.names, m.sym[m.sort.tag])}
    for f, s in k.fields:
        out[f] = from_sort(s, m.sort.field(m.sym, f, kind))
    return RecV(out)


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
        return FunV(tuple((p, key_value(sort.domain, k), from_sort(sort.range, x)) for k, (p, x) in zip(sort.pairs.keys, v)),
                    default, canonical=True)
    if isinstance(sort, PairSet):
        return SetV(tuple((p, TupV((key_value(sort.domain, k), from_sort(sort.range, x)))) for k, (p, x) in zip(sort.keys, v)), True)
    if isinstance(sort, Subset):
        return SetV(tuple((b, key_value(sort.domain, k)) for k, b in zip(sort.keys, v)), True)
    if isinstance(sort, BoundedSet):
        return SetV(tuple((p, from_sort(sort.elem, x)) for p, x in v))
    if isinstance(sort, Sequence):
        # A sequence is the function over 1..Len(s): slot k is in the domain when k <= Len(s).
        default = from_sort(sort.elem, sort.elem.const(sort.elem.default()))
        n = v[0]
        entries = tuple((n >= k, integer(k), from_sort(sort.elem, x)) for k, x in enumerate(v[1], start=1))
        return FunV(entries, default, IntV(n, 0, sort.max_len), canonical=True)
    if isinstance(sort, NilOr):
        return NilOrV(v[0], from_sort(sort.inner, v[1]), sort.nil)
    if isinstance(sort, Union):
        return UnionV(sort, v)
    raise Mismatch(f"values of sort {type(sort).__name__} are not supported by the TLA+ front end")


def grow_set(sort: Sort, slots) -> SetV:
    """A grow-only set of the state (its slots may repeat an element)."""
    return SetV(tuple((p, from_sort(sort, x)) for p, x in slots))
