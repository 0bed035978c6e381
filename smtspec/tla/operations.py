"""Set and function operators on symbolic values: the TLA+ standard operators of the fragment.

Finite sets (``SetV``) are lists of (condition, element): ``\\cup`` concatenates,
``\\cap`` and ``\\`` filter, ``UNION`` flattens, ``Cardinality`` counts the first
occurrence of each element, ``a..b`` with symbolic bounds enumerates their intervals.
Sets that are only tested for membership (``PredSetV``: ``Nat``, ``SUBSET S``,
``[S -> T]``, ``[f : S]``, ``STRING``, a ``\\X`` of such) are predicates. Function application
outside the domain gives the range's default (TLA+ leaves it unspecified).
"""

from __future__ import annotations

from typing import Any, Callable, Sequence as Seq, cast

import z3

from smtspec.sorts import conj, disj

from .equality import describe, eq, items, ite, member, subseteq
from .symbolic import (
    FALSE, MAX_RANGE, TRUE, EnumV, FunV, IntV, Mismatch, NilOrV, PredSetV, RecV, SetV, TupV, UnionV, Val, a_kind,
    as_int, boolean, both, compare, from_sort, imp, integer, key_of, literal, neg, tuple_as_function, union_as_record,
    width_for,
)

# --------------------------------------------------------------------------- sets


def union(a: Val, b: Val) -> Val:
    if isinstance(a, SetV) and isinstance(b, SetV):
        return SetV(a.items + b.items)
    for s in (a, b):
        if not isinstance(s, (SetV, PredSetV)):
            raise Mismatch(f"\\cup needs sets, got {a_kind(s)}")
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
        acc = cast(IntV, ite(z3.simplify(take), x, acc))  # ite of two integers is an integer
        found = z3.Or(found, c)
    return acc


def product(sets: Seq[Val]) -> Val:
    """``S1 \\X S2 \\X ...``."""
    finite = [s for s in sets if isinstance(s, SetV)]
    if len(finite) == len(sets):
        out: list[tuple[Any, tuple]] = [(TRUE, ())]
        for s in finite:
            out = [(both(c, d), t + (x,)) for c, t in out for d, x in s.items]
        return SetV(tuple((c, TupV(t)) for c, t in out), all(s.distinct for s in finite))

    def mem(x: Val) -> z3.BoolRef:
        if isinstance(x, FunV):
            raise Mismatch("membership of a function in a \\X product is not supported")
        if not isinstance(x, TupV):
            raise Mismatch(f"expected a tuple, got {a_kind(x)}")
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
            raise Mismatch(f"a tuple is indexed by integers, got {a_kind(key)}")
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
        raise Mismatch(f"only functions and tuples can be applied, got {a_kind(f)}")
    want = key_of(key)
    if want is not None:
        cands = [(p, k, v) for p, k, v in f.entries if key_of(k) in (want, None)]
        if cands and key_of(cands[0][1]) == want and (z3.is_true(cands[0][0]) or f.canonical and len(cands) == 1):
            # Present, or absent and then holding the default that application outside
            # the domain gives: either way the entry's value.
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
    raise Mismatch(f"DOMAIN of {a_kind(f)} is not supported")


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
    raise Mismatch(f"field access .{name} on {a_kind(r)}")


def fun_set(dom: Val, rng: Val) -> PredSetV:
    """``[dom -> rng]``."""
    dom_items = items(dom)

    def mem(f: Val) -> z3.BoolRef:
        if isinstance(f, TupV):
            f = tuple_as_function(f)
        if not isinstance(f, FunV):
            raise Mismatch(f"expected a function, got {a_kind(f)}")
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
            raise Mismatch(f"expected a record, got {a_kind(r)}")
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
    raise Mismatch(f"{a_kind(x)} compared with integers")


def string_set(is_string: Callable[[str], bool]) -> PredSetV:
    """``STRING``, for a specification whose strings are the enumeration elements ``is_string``
    accepts: a model value is in it when every value it may name is a string. A value that
    may be something else (a model value that is not a string, an integer, a record) is
    refused: TLC stops with an error on such a test, and TLA+ leaves model values open."""

    def mem(x: Val) -> z3.BoolRef:
        if not isinstance(x, EnumV):
            raise Mismatch(f"STRING membership of {a_kind(x)} is not supported")
        others = [n for n in x.names if not is_string(n)]
        if others:
            raise Mismatch(f"STRING membership of a value that may be {others[0]}, which is not a string "
                           "of this specification")
        return TRUE

    return PredSetV(mem, "STRING")


BOOLEANS = SetV(((TRUE, boolean(False)), (TRUE, boolean(True))), True)


# --------------------------------------------------------------------------- EXCEPT


def except_update(v: Val, path: list, make: Callable[[Val], Val]) -> Val:
    """``[v EXCEPT !path = make(@)]`` for a path of ("field", name) and ("key", value) steps;
    a key or field outside the domain leaves ``v`` unchanged (TLA+)."""
    if not path:
        return make(v)
    (kind, arg), rest = path[0], path[1:]
    if kind == "field":
        if not isinstance(v, RecV):
            raise Mismatch(f"EXCEPT !.{arg} on {a_kind(v)}")
        if arg not in v.fields:
            return v  # outside the domain: unchanged (TLA+)
        return RecV({**v.fields, arg: except_update(v.fields[arg], rest, make)})
    if isinstance(v, TupV):
        v = tuple_as_function(v) if literal(arg) is None else v
        if isinstance(v, TupV):
            k = literal(arg)
            if not 1 <= k <= len(v.items):
                return v
            elems = list(v.items)
            elems[k - 1] = except_update(elems[k - 1], rest, make)
            return TupV(tuple(elems))
    if not isinstance(v, FunV):
        raise Mismatch(f"EXCEPT ![...] on {a_kind(v)}")
    want = key_of(arg)
    entries = []
    for p, k, x in v.entries:
        kk = key_of(k)
        if want is not None and kk is not None and kk != want:
            entries.append((p, k, x))
            continue
        hit = both(p, eq(k, arg)) if v.canonical else eq(k, arg)  # an absent entry keeps the default
        entries.append((p, k, except_update(x, rest, make) if z3.is_true(hit) else ite(hit, except_update(x, rest, make), x)))
    return FunV(tuple(entries), v.default, v.length, v.canonical)


def length(s: Val) -> IntV:
    """``Len(s)`` of a tuple or of a sequence of the schema."""
    if isinstance(s, TupV):
        return integer(len(s.items))
    if isinstance(s, FunV) and s.length is not None:
        return cast(IntV, s.length)  # the length of a schema sequence is an integer
    raise Mismatch(f"Len of {a_kind(s)} that is not a sequence")
