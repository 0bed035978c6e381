"""Typed finite domains and their Z3 representation.

A :class:`Sort` says what values a state variable, message field or action parameter can
take in a scope, and owns everything that follows from that: fresh symbolic values,
well-formedness (range and canonical-form constraints), TLA+ equality, ``IF``-merging,
decoding a model into a concrete value (:mod:`smtspec.values`) and the ITF JSON shape.

Integers and enumerations are 8-bit signed bit-vectors (ranges are small and checked, so
arithmetic never wraps), which lets Z3 use its incremental bit-blasting SAT solver.
Symbolic values are Python trees of Z3 terms, never Z3 arrays: a function over a finite
domain is a tuple with one entry per domain element ("bounded arrays"), so selecting at a
concrete index is free and selecting at a symbolic index is an ``If`` chain. Every sort
has a *canonical form* (e.g. the value under an absent key of a partial function is the
default), so that structural equality of leaves is TLA+ equality; ``wellformed`` states it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Callable, Sequence as Seqs  # `Sequence` is the sort (re-exported below)

import z3

from .values import Fn, Rec

Sym = Any  # a symbolic value: a Z3 term or a tuple/dict tree of them


W = 8  # bit-width of every integer and enum: signed, -128..127
LIMIT = 60  # integer sorts stay within -LIMIT..LIMIT, so sums and "+ 1" never overflow


def ival(n: int):
    """The bit-vector literal of a small integer (every integer of a sort is a ``W``-bit vector)."""
    return z3.BitVecVal(n, W)


def _is_literal(t: Any) -> bool:
    return z3.is_bv_value(t) or z3.is_true(t) or z3.is_false(t)


def _conj(cs: Seqs[z3.BoolRef]) -> z3.BoolRef:
    cs = [c for c in cs if not z3.is_true(c)]
    if any(z3.is_false(c) for c in cs):
        return z3.BoolVal(False)
    if not cs:
        return z3.BoolVal(True)
    return cs[0] if len(cs) == 1 else z3.And(*cs)


def _disj(cs: Seqs[z3.BoolRef]) -> z3.BoolRef:
    cs = [c for c in cs if not z3.is_false(c)]
    if any(z3.is_true(c) for c in cs):
        return z3.BoolVal(True)
    if not cs:
        return z3.BoolVal(False)
    return cs[0] if len(cs) == 1 else z3.Or(*cs)


conj = _conj
disj = _disj


def ite_term(c: z3.BoolRef, a: Any, b: Any) -> Any:
    """``If(c, a, b)`` on Z3 terms, folding the trivial cases."""
    if z3.is_true(c) or a is b:
        return a
    if z3.is_false(c):
        return b
    if z3.is_expr(a) and z3.is_expr(b) and a.eq(b):
        return a
    return z3.If(c, a, b)


def _scalar_eq(a: Any, b: Any) -> Any:
    """TLA+ equality of two integer or enum bit-vectors, folded when both are literals."""
    if _is_literal(a) and _is_literal(b):
        return z3.BoolVal(a.as_signed_long() == b.as_signed_long())
    return a == b


class Sort:
    """A finite typed domain. Subclasses are frozen dataclasses (hashable, comparable)."""

    def fresh(self, name: str) -> Sym:
        raise NotImplementedError

    def wellformed(self, v: Sym) -> z3.BoolRef:
        return z3.BoolVal(True)

    def eq(self, a: Sym, b: Sym) -> z3.BoolRef:
        raise NotImplementedError

    def ite(self, c: z3.BoolRef, a: Sym, b: Sym) -> Sym:
        raise NotImplementedError

    def const(self, value: Any) -> Sym:
        """The symbolic value of a concrete value (raises ValueError if not of this sort)."""
        raise NotImplementedError

    def decode(self, ev: Callable[[Any], Any], v: Sym) -> Any:
        """The concrete value of ``v``, where ``ev`` evaluates one Z3 term in a model."""
        raise NotImplementedError

    def default(self) -> Any:
        raise NotImplementedError

    def to_itf(self, value: Any) -> Any:
        raise NotImplementedError

    def from_itf(self, data: Any) -> Any:
        raise NotImplementedError

    def leaves(self, v: Sym) -> list:
        """Every Z3 term of a symbolic value (for blocking clauses and decoding)."""
        raise NotImplementedError

    def contains(self, value: Any) -> bool:
        """True when a concrete value belongs to this sort (used to check traces)."""
        try:
            self.const(value)
            return True
        except (ValueError, KeyError, TypeError):
            return False


# --------------------------------------------------------------------------- scalars


@dataclass(frozen=True)
class BoolSort(Sort):
    def fresh(self, name):
        return z3.Bool(name)

    def eq(self, a, b):
        if _is_literal(a) and _is_literal(b):
            return z3.BoolVal(z3.is_true(a) == z3.is_true(b))
        return a == b

    def ite(self, c, a, b):
        return ite_term(c, a, b)

    def const(self, value):
        if not isinstance(value, bool):
            raise ValueError(f"not a boolean: {value!r}")
        return z3.BoolVal(value)

    def decode(self, ev, v):
        return z3.is_true(ev(v))

    def default(self):
        return False

    def to_itf(self, value):
        return value

    def from_itf(self, data):
        if not isinstance(data, bool):
            raise ValueError(f"expected a boolean, got {data!r}")
        return data

    def leaves(self, v):
        return [v]

    def elements(self) -> list:
        return [False, True]


class FiniteSort(Sort):
    """A sort whose elements can be enumerated: usable as a function domain."""

    def elements(self) -> list:
        raise NotImplementedError

    def index_of(self, value: Any) -> int:
        return self.elements().index(value)


@dataclass(frozen=True)
class IntRange(FiniteSort):
    """Integers ``low..high`` as Z3 ``Int`` with a range constraint."""

    low: int
    high: int

    def __post_init__(self) -> None:
        if not -LIMIT <= self.low <= self.high <= LIMIT:
            raise ValueError(f"integer range {self.low}..{self.high} is outside -{LIMIT}..{LIMIT}")

    def fresh(self, name):
        return z3.BitVec(name, W)

    def wellformed(self, v):
        if z3.is_bv_value(v):
            return z3.BoolVal(self.low <= v.as_signed_long() <= self.high)
        return z3.And(v >= self.low, v <= self.high)

    def eq(self, a, b):
        return _scalar_eq(a, b)

    def ite(self, c, a, b):
        return ite_term(c, a, b)

    def const(self, value):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"not an integer: {value!r}")
        if not self.low <= value <= self.high:
            raise ValueError(f"{value} is outside {self.low}..{self.high}")
        return ival(value)

    def decode(self, ev, v):
        return ev(v).as_signed_long()

    def default(self):
        return self.low if self.low > -1 or self.high < -1 else -1

    def to_itf(self, value):
        return value

    def from_itf(self, data):
        if isinstance(data, dict) and "#bigint" in data:
            data = int(data["#bigint"])
        if isinstance(data, bool) or not isinstance(data, int):
            raise ValueError(f"expected an integer, got {data!r}")
        return data

    def leaves(self, v):
        return [v]

    def elements(self):
        return list(range(self.low, self.high + 1))

    def index_of(self, value):
        if not self.low <= value <= self.high:
            raise ValueError(f"{value} is outside {self.low}..{self.high}")
        return value - self.low


@dataclass(frozen=True)
class Enum(FiniteSort):
    """Model values or string constants, as a Z3 ``Int`` ``0..n-1``."""

    name: str
    names: tuple[str, ...]
    fallback: str | None = None  # the default element (canonical filler); first name if None

    def fresh(self, name):
        return z3.BitVec(name, W)

    def wellformed(self, v):
        if z3.is_bv_value(v):
            return z3.BoolVal(0 <= v.as_signed_long() < len(self.names))
        return z3.And(v >= 0, v < len(self.names))

    def eq(self, a, b):
        return _scalar_eq(a, b)

    def ite(self, c, a, b):
        return ite_term(c, a, b)

    def const(self, value):
        try:
            return ival(self.names.index(value))
        except ValueError:
            raise ValueError(f"{value!r} is not in {self.name}") from None

    def decode(self, ev, v):
        return self.names[ev(v).as_signed_long()]

    def default(self):
        return self.names[0] if self.fallback is None else self.fallback

    def to_itf(self, value):
        return value

    def from_itf(self, data):
        if data not in self.names:
            raise ValueError(f"{data!r} is not in {self.name}")
        return data

    def leaves(self, v):
        return [v]

    def elements(self):
        return list(self.names)

    def index_of(self, value):
        return self.names.index(value)


# --------------------------------------------------------------------------- structures


@dataclass(frozen=True)
class Record(Sort):
    """A TLA+ record with fixed fields. ``constraint`` adds a typing condition across fields."""

    name: str
    fields: tuple[tuple[str, Sort], ...]
    constraint: Callable[[dict], z3.BoolRef] | None = field(default=None, compare=False, hash=False)

    @cached_property
    def field_sorts(self) -> dict[str, Sort]:
        return dict(self.fields)

    def fresh(self, name):
        return {f: s.fresh(f"{name}.{f}") for f, s in self.fields}

    def wellformed(self, v):
        cs = [s.wellformed(v[f]) for f, s in self.fields]
        if self.constraint is not None:
            cs.append(self.constraint(v))
        return _conj(cs)

    def eq(self, a, b):
        return _conj([s.eq(a[f], b[f]) for f, s in self.fields])

    def ite(self, c, a, b):
        if z3.is_true(c):
            return a
        if z3.is_false(c):
            return b
        return {f: s.ite(c, a[f], b[f]) for f, s in self.fields}

    def const(self, value):
        if not isinstance(value, Rec) or set(value) != set(self.field_sorts):
            raise ValueError(f"not a {self.name} record: {value!r}")
        return {f: s.const(value[f]) for f, s in self.fields}

    def decode(self, ev, v):
        return Rec({f: s.decode(ev, v[f]) for f, s in self.fields})

    def default(self):
        return Rec({f: s.default() for f, s in self.fields})

    def to_itf(self, value):
        return {f: s.to_itf(value[f]) for f, s in self.fields}

    def from_itf(self, data):
        if not isinstance(data, dict) or set(data) != set(self.field_sorts):
            raise ValueError(f"expected a {self.name} record, got {data!r}")
        return Rec({f: s.from_itf(data[f]) for f, s in self.fields})

    def leaves(self, v):
        return [x for f, s in self.fields for x in s.leaves(v[f])]

    def make(self, **kw) -> dict:
        """A symbolic record from symbolic field values (checked for completeness)."""
        if set(kw) != set(self.field_sorts):
            raise KeyError(f"{self.name} needs fields {sorted(self.field_sorts)}, got {sorted(kw)}")
        return {f: kw[f] for f, _ in self.fields}


@dataclass(frozen=True)
class Tuple(Sort):
    """A TLA+ tuple ``<<a, b, ...>>`` of fixed length."""

    items: tuple[Sort, ...]

    def fresh(self, name):
        return tuple(s.fresh(f"{name}[{k + 1}]") for k, s in enumerate(self.items))

    def wellformed(self, v):
        return _conj([s.wellformed(x) for s, x in zip(self.items, v)])

    def eq(self, a, b):
        return _conj([s.eq(x, y) for s, x, y in zip(self.items, a, b)])

    def ite(self, c, a, b):
        return tuple(s.ite(c, x, y) for s, x, y in zip(self.items, a, b))

    def const(self, value):
        if not isinstance(value, tuple) or len(value) != len(self.items):
            raise ValueError(f"not a {len(self.items)}-tuple: {value!r}")
        return tuple(s.const(x) for s, x in zip(self.items, value))

    def decode(self, ev, v):
        return tuple(s.decode(ev, x) for s, x in zip(self.items, v))

    def default(self):
        return tuple(s.default() for s in self.items)

    def to_itf(self, value):
        return {"#tup": [s.to_itf(x) for s, x in zip(self.items, value)]}

    def from_itf(self, data):
        if not isinstance(data, dict) or "#tup" not in data or len(data["#tup"]) != len(self.items):
            raise ValueError(f"expected a {len(self.items)}-tuple, got {data!r}")
        return tuple(s.from_itf(x) for s, x in zip(self.items, data["#tup"]))

    def leaves(self, v):
        return [t for s, x in zip(self.items, v) for t in s.leaves(x)]


def _key_index(domain: FiniteSort, key: Any) -> int | None:
    """Position of a concrete (or literal) key in ``domain``, or None when symbolic."""
    if isinstance(key, (bool, int, str)):
        return domain.index_of(key)
    if z3.is_bv_value(key):
        n = key.as_signed_long()
        if isinstance(domain, Enum):
            return n
        return domain.index_of(n)
    return None


def _key_term(domain: FiniteSort, key: Any):
    if isinstance(key, (int, str)) and not isinstance(key, bool):
        return domain.const(key)
    return key


@dataclass(frozen=True)
class Function(Sort):
    """A total TLA+ function over a finite domain: one symbolic value per domain element."""

    domain: FiniteSort
    range: Sort

    @cached_property
    def keys(self) -> list:
        return self.domain.elements()

    def fresh(self, name):
        return tuple(self.range.fresh(f"{name}[{k}]") for k in self.keys)

    def wellformed(self, v):
        return _conj([self.range.wellformed(x) for x in v])

    def eq(self, a, b):
        return _conj([self.range.eq(x, y) for x, y in zip(a, b)])

    def ite(self, c, a, b):
        if z3.is_true(c):
            return a
        if z3.is_false(c):
            return b
        return tuple(self.range.ite(c, x, y) for x, y in zip(a, b))

    def const(self, value):
        if not isinstance(value, Fn) or set(value) != set(self.keys):
            raise ValueError(f"not a function over {self.keys}: {value!r}")
        return tuple(self.range.const(value[k]) for k in self.keys)

    def decode(self, ev, v):
        return Fn({k: self.range.decode(ev, x) for k, x in zip(self.keys, v)})

    def default(self):
        return Fn({k: self.range.default() for k in self.keys})

    def to_itf(self, value):
        return {"#map": [[self.domain.to_itf(k), self.range.to_itf(value[k])] for k in self.keys]}

    def from_itf(self, data):
        if not isinstance(data, dict) or "#map" not in data:
            raise ValueError(f"expected a function (#map), got {data!r}")
        d = {self.domain.from_itf(k): self.range.from_itf(v) for k, v in data["#map"]}
        if set(d) != set(self.keys):
            raise ValueError(f"function domain {sorted(d, key=str)} is not {self.keys}")
        return Fn(d)

    def leaves(self, v):
        return [t for x in v for t in self.range.leaves(x)]

    # TLA+ operations -------------------------------------------------------------
    def select(self, f: Sym, key: Any) -> Sym:
        """``f[key]`` for a concrete or symbolic key (symbolic: an ``If`` chain)."""
        k = _key_index(self.domain, key)
        if k is not None:
            return f[k]
        out = f[-1]
        for pos in range(len(self.keys) - 2, -1, -1):
            out = self.range.ite(self.domain.eq(key, self.domain.const(self.keys[pos])), f[pos], out)
        return out

    def store(self, f: Sym, key: Any, value: Sym) -> Sym:
        """``[f EXCEPT ![key] = value]``."""
        k = _key_index(self.domain, key)
        if k is not None:
            return tuple(value if pos == k else x for pos, x in enumerate(f))
        kt = _key_term(self.domain, key)
        return tuple(
            self.range.ite(self.domain.eq(kt, self.domain.const(d)), value, x) for d, x in zip(self.keys, f)
        )

    def build(self, body: Callable[[Any], Sym]) -> Sym:
        """``[k \\in domain |-> body(k)]`` with concrete keys."""
        return tuple(body(k) for k in self.keys)


# Sets, partial functions, unions and sequences live in their own module; importable from here too.
from .setsorts import BoundedSet, NilOr, PairSet, PartialFunction, Sequence, Subset, Union  # noqa: E402,F401
