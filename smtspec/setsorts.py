"""Sets, partial functions, tagged unions and sequences over the sorts of :mod:`smtspec.sorts`.

Same contract as there: fresh symbolic values, well-formedness with a canonical form (so
leaf equality is TLA+ equality, except for :class:`BoundedSet`, whose equality is mutual
inclusion), decoding, ITF shape, and the TLA+ operations each sort supports.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any, Sequence as Seqs

import z3

from .sorts import W, BoolSort, Enum, FiniteSort, Record, Sort, Sym, _conj, _disj, _key_index, ite_term, ival
from .values import Fn, Rec, Seq


@dataclass(frozen=True)
class Subset(Sort):
    """A subset of a finite domain (``SUBSET S``): one Boolean per element."""

    domain: FiniteSort

    @cached_property
    def keys(self) -> list:
        return self.domain.elements()

    def fresh(self, name):
        return tuple(z3.Bool(f"{name}∋{k}") for k in self.keys)

    def eq(self, a, b):
        return _conj([BoolSort().eq(x, y) for x, y in zip(a, b)])

    def ite(self, c, a, b):
        return tuple(ite_term(c, x, y) for x, y in zip(a, b))

    def const(self, value):
        if not isinstance(value, frozenset) or not value <= set(self.keys):
            raise ValueError(f"not a subset of {self.keys}: {value!r}")
        return tuple(z3.BoolVal(k in value) for k in self.keys)

    def decode(self, ev, v):
        return frozenset(k for k, b in zip(self.keys, v) if z3.is_true(ev(b)))

    def default(self):
        return frozenset()

    def to_itf(self, value):
        return {"#set": [self.domain.to_itf(k) for k in self.keys if k in value]}

    def from_itf(self, data):
        if not isinstance(data, dict) or "#set" not in data:
            raise ValueError(f"expected a set, got {data!r}")
        return frozenset(self.domain.from_itf(x) for x in data["#set"])

    def leaves(self, v):
        return list(v)

    def member(self, s: Sym, key: Any) -> z3.BoolRef:
        k = _key_index(self.domain, key)
        if k is not None:
            return s[k]
        return _disj([z3.And(self.domain.eq(key, self.domain.const(d)), b) for d, b in zip(self.keys, s)])

    def card(self, s: Sym):
        return z3.Sum([z3.If(b, ival(1), ival(0)) for b in s])


@dataclass(frozen=True)
class PairSet(Sort):
    """A partial function shown as the TLA+ set of pairs ``{<<k, f[k]>> : k \\in DOMAIN f}``.

    Representation: per key a presence bit and a value; an absent key holds the
    default value (canonical form), so leaf equality is set equality.
    """

    domain: FiniteSort
    range: Sort

    @cached_property
    def keys(self) -> list:
        return self.domain.elements()

    def fresh(self, name):
        return tuple((z3.Bool(f"{name}∋{k}"), self.range.fresh(f"{name}[{k}]")) for k in self.keys)

    def wellformed(self, v):
        d = self.range.const(self.range.default())
        return _conj(
            [z3.And(self.range.wellformed(x), z3.Or(p, self.range.eq(x, d))) for p, x in v]
        )

    def eq(self, a, b):
        return _conj([z3.And(p == q, self.range.eq(x, y)) for (p, x), (q, y) in zip(a, b)])

    def ite(self, c, a, b):
        return tuple((ite_term(c, p, q), self.range.ite(c, x, y)) for (p, x), (q, y) in zip(a, b))

    def const(self, value):
        if not isinstance(value, frozenset):
            raise ValueError(f"not a set of pairs: {value!r}")
        d = dict(value)
        if len(d) != len(value) or not set(d) <= set(self.keys):
            raise ValueError(f"not a partial function over {self.keys}: {value!r}")
        return tuple(
            (z3.BoolVal(k in d), self.range.const(d[k] if k in d else self.range.default())) for k in self.keys
        )

    def decode(self, ev, v):
        return frozenset((k, self.range.decode(ev, x)) for k, (p, x) in zip(self.keys, v) if z3.is_true(ev(p)))

    def default(self):
        return frozenset()

    def to_itf(self, value):
        d = dict(value)
        return {"#set": [{"#tup": [self.domain.to_itf(k), self.range.to_itf(d[k])]} for k in self.keys if k in d]}

    def from_itf(self, data):
        if not isinstance(data, dict) or "#set" not in data:
            raise ValueError(f"expected a set of pairs, got {data!r}")
        out = []
        for p in data["#set"]:
            if not isinstance(p, dict) or len(p.get("#tup", ())) != 2:
                raise ValueError(f"expected a pair, got {p!r}")
            out.append((self.domain.from_itf(p["#tup"][0]), self.range.from_itf(p["#tup"][1])))
        return frozenset(out)

    def leaves(self, v):
        return [t for p, x in v for t in [p, *self.range.leaves(x)]]

    def make(self, entries: Seqs[tuple[z3.BoolRef, Sym]]) -> Sym:
        """From (present, value) per key; absent values are replaced by the default."""
        d = self.range.const(self.range.default())
        return tuple((p, self.range.ite(p, x, d)) for p, x in entries)


@dataclass(frozen=True)
class NilOr(Sort):
    """A value of ``inner`` or the model value ``Nil`` (e.g. ``mentries``)."""

    inner: Sort
    nil: str = "Nil"

    def fresh(self, name):
        return (z3.Bool(f"{name}=Nil"), self.inner.fresh(name))

    def wellformed(self, v):
        d = self.inner.const(self.inner.default())
        return z3.And(self.inner.wellformed(v[1]), z3.Or(z3.Not(v[0]), self.inner.eq(v[1], d)))

    def eq(self, a, b):
        return z3.And(a[0] == b[0], self.inner.eq(a[1], b[1]))

    def ite(self, c, a, b):
        return (ite_term(c, a[0], b[0]), self.inner.ite(c, a[1], b[1]))

    def const(self, value):
        if value == self.nil:
            return (z3.BoolVal(True), self.inner.const(self.inner.default()))
        return (z3.BoolVal(False), self.inner.const(value))

    def decode(self, ev, v):
        return self.nil if z3.is_true(ev(v[0])) else self.inner.decode(ev, v[1])

    def default(self):
        return self.nil

    def to_itf(self, value):
        return self.nil if value == self.nil else self.inner.to_itf(value)

    def from_itf(self, data):
        return self.nil if data == self.nil else self.inner.from_itf(data)

    def leaves(self, v):
        return [v[0], *self.inner.leaves(v[1])]


@dataclass(frozen=True)
class PartialFunction(Sort):
    """A TLA+ function whose domain is a subset of a finite set (e.g. ``[n \\in a..b |-> ...]``).

    Same representation as :class:`PairSet`, but shown as a function (ITF ``#map``).
    """

    domain: FiniteSort
    range: Sort

    @cached_property
    def pairs(self) -> PairSet:
        return PairSet(self.domain, self.range)

    def fresh(self, name):
        return self.pairs.fresh(name)

    def wellformed(self, v):
        return self.pairs.wellformed(v)

    def eq(self, a, b):
        return self.pairs.eq(a, b)

    def ite(self, c, a, b):
        return self.pairs.ite(c, a, b)

    def const(self, value):
        if not isinstance(value, Fn):
            raise ValueError(f"not a function: {value!r}")
        return self.pairs.const(frozenset(value.items()))

    def decode(self, ev, v):
        return Fn(dict(sorted(self.pairs.decode(ev, v), key=lambda kv: self.domain.index_of(kv[0]))))

    def default(self):
        return Fn({})

    def to_itf(self, value):
        return {"#map": [[self.domain.to_itf(k), self.range.to_itf(x)] for k, x in value.items()]}

    def from_itf(self, data):
        if not isinstance(data, dict) or "#map" not in data:
            raise ValueError(f"expected a function (#map), got {data!r}")
        return Fn({self.domain.from_itf(k): self.range.from_itf(x) for k, x in data["#map"]})

    def leaves(self, v):
        return self.pairs.leaves(v)

    def make(self, entries):
        return self.pairs.make(entries)


@dataclass(frozen=True)
class BoundedSet(Sort):
    """A set of at most ``size`` elements of any sort: slots (valid bit, element).

    Invalid slots hold the default element. Equality is mutual inclusion, since the same
    set has several slot representations.
    """

    elem: Sort
    size: int

    def fresh(self, name):
        return tuple((z3.Bool(f"{name}#{k}?"), self.elem.fresh(f"{name}#{k}")) for k in range(self.size))

    def wellformed(self, v):
        d = self.elem.const(self.elem.default())
        return _conj([z3.And(self.elem.wellformed(x), z3.Or(p, self.elem.eq(x, d))) for p, x in v])

    def member(self, s: Sym, x: Sym) -> z3.BoolRef:
        return _disj([z3.And(p, self.elem.eq(y, x)) for p, y in s])

    def eq(self, a, b):
        return z3.And(
            _conj([z3.Implies(p, self.member(b, x)) for p, x in a]),
            _conj([z3.Implies(p, self.member(a, x)) for p, x in b]),
        )

    def ite(self, c, a, b):
        return tuple((ite_term(c, p, q), self.elem.ite(c, x, y)) for (p, x), (q, y) in zip(a, b))

    def const(self, value):
        if not isinstance(value, frozenset) or len(value) > self.size:
            raise ValueError(f"not a set of at most {self.size} elements: {value!r}")
        items = sorted(value, key=repr)
        d = self.elem.default()
        return tuple(
            (z3.BoolVal(k < len(items)), self.elem.const(items[k] if k < len(items) else d)) for k in range(self.size)
        )

    def decode(self, ev, v):
        return frozenset(self.elem.decode(ev, x) for p, x in v if z3.is_true(ev(p)))

    def default(self):
        return frozenset()

    def to_itf(self, value):
        return {"#set": [self.elem.to_itf(x) for x in sorted(value, key=repr)]}

    def from_itf(self, data):
        if not isinstance(data, dict) or "#set" not in data:
            raise ValueError(f"expected a set, got {data!r}")
        return frozenset(self.elem.from_itf(x) for x in data["#set"])

    def leaves(self, v):
        return [t for p, x in v for t in [p, *self.elem.leaves(x)]]


@dataclass(frozen=True)
class Union(Sort):
    """Records of several kinds told apart by a tag field (``mtype`` of a message).

    Fields of the same name and sort in several kinds share one storage slot; a field
    whose sort differs between kinds (``mend`` is an index or an end point) gets one slot
    per sort. Fields a kind does not have hold their default (canonical form).
    """

    name: str
    tag: str
    kinds: tuple[Record, ...]  # each Record's name is the tag value

    @cached_property
    def tag_sort(self) -> Enum:
        return Enum(f"{self.name}.{self.tag}", tuple(k.name for k in self.kinds))

    @cached_property
    def slots(self) -> list[tuple[str, Sort]]:
        """Storage slots, one per distinct (field, sort)."""
        out: list[tuple[str, Sort]] = []
        for k in self.kinds:
            for f, s in k.fields:
                if (f, s) not in out:
                    out.append((f, s))
        return out

    @cached_property
    def slot_names(self) -> dict[tuple[str, Sort], str]:
        names: dict[tuple[str, Sort], str] = {}
        for f, s in self.slots:
            clash = sum(1 for g, _ in self.slots if g == f) > 1
            names[(f, s)] = f"{f}:{len([n for n in names if n[0] == f])}" if clash else f
        return names

    def kind(self, name: str) -> Record:
        for k in self.kinds:
            if k.name == name:
                return k
        raise KeyError(name)

    def is_kind(self, v: Sym, name: str) -> z3.BoolRef:
        return self.tag_sort.eq(v[self.tag], self.tag_sort.const(name))

    def field(self, v: Sym, name: str, kind: str | None = None) -> Sym:
        """Field ``name``; ``kind`` picks the slot when the field's sort differs by kind."""
        cands = {self.slot_names[(f, s)] for f, s in self.slots if f == name}
        if kind is not None:
            s = self.kind(kind).field_sorts[name]
            return v[self.slot_names[(name, s)]]
        if len(cands) != 1:
            raise KeyError(f"field {name} of {self.name} has several sorts: name the kind")
        return v[cands.pop()]

    def make(self, kind: str, **fields: Sym) -> Sym:
        """A symbolic value of one kind from its fields; other slots get defaults."""
        k = self.kind(kind)
        if set(fields) != set(k.field_sorts):
            raise KeyError(f"{kind} needs fields {sorted(k.field_sorts)}, got {sorted(fields)}")
        out = {self.tag: self.tag_sort.const(kind)}
        for f, s in self.slots:
            out[self.slot_names[(f, s)]] = s.const(s.default())
        for f, s in k.fields:
            out[self.slot_names[(f, s)]] = fields[f]
        return out

    def fresh(self, name):
        out = {self.tag: self.tag_sort.fresh(f"{name}.{self.tag}")}
        for f, s in self.slots:
            n = self.slot_names[(f, s)]
            out[n] = s.fresh(f"{name}.{n}")
        return out

    def wellformed(self, v):
        cs = [self.tag_sort.wellformed(v[self.tag])]
        for f, s in self.slots:
            cs.append(s.wellformed(v[self.slot_names[(f, s)]]))
        for k in self.kinds:
            here = self.is_kind(v, k.name)
            own = {(f, s) for f, s in k.fields}
            parts = []
            for f, s in self.slots:
                if (f, s) not in own:
                    parts.append(s.eq(v[self.slot_names[(f, s)]], s.const(s.default())))
            if k.constraint is not None:
                parts.append(k.constraint({f: v[self.slot_names[(f, s)]] for f, s in k.fields}))
            cs.append(z3.Implies(here, _conj(parts)))
        return _conj(cs)

    def eq(self, a, b):
        cs = [self.tag_sort.eq(a[self.tag], b[self.tag])]
        cs += [s.eq(a[n], b[n]) for (f, s), n in self.slot_names.items()]
        return _conj(cs)

    def ite(self, c, a, b):
        if z3.is_true(c):
            return a
        if z3.is_false(c):
            return b
        out = {self.tag: ite_term(c, a[self.tag], b[self.tag])}
        for (f, s), n in self.slot_names.items():
            out[n] = s.ite(c, a[n], b[n])
        return out

    def const(self, value):
        if not isinstance(value, Rec) or self.tag not in value:
            raise ValueError(f"not a {self.name}: {value!r}")
        k = self.kind(value[self.tag])
        rest = {f: x for f, x in value.items() if f != self.tag}
        if set(rest) != set(k.field_sorts):
            raise ValueError(f"a {k.name} has fields {sorted(k.field_sorts)}, got {sorted(rest)}")
        return self.make(k.name, **{f: k.field_sorts[f].const(x) for f, x in rest.items()})

    def decode(self, ev, v):
        kind = self.tag_sort.decode(ev, v[self.tag])
        k = self.kind(kind)
        out = {self.tag: kind}
        for f, s in k.fields:
            out[f] = s.decode(ev, v[self.slot_names[(f, s)]])
        return Rec(out)

    def default(self):
        k = self.kinds[0]
        return Rec({self.tag: k.name, **{f: s.default() for f, s in k.fields}})

    def to_itf(self, value):
        k = self.kind(value[self.tag])
        return {self.tag: value[self.tag], **{f: s.to_itf(value[f]) for f, s in k.fields}}

    def from_itf(self, data):
        if not isinstance(data, dict) or data.get(self.tag) not in self.tag_sort.names:
            raise ValueError(f"expected a {self.name} with a known {self.tag}, got {data!r}")
        k = self.kind(data[self.tag])
        rest = {f: x for f, x in data.items() if f != self.tag}
        if set(rest) != set(k.field_sorts):
            raise ValueError(f"a {k.name} has fields {sorted(k.field_sorts)}, got {sorted(rest)}")
        return Rec({self.tag: k.name, **{f: k.field_sorts[f].from_itf(x) for f, x in rest.items()}})

    def leaves(self, v):
        out = [v[self.tag]]
        for (f, s), n in self.slot_names.items():
            out += s.leaves(v[n])
        return out


@dataclass(frozen=True)
class Sequence(Sort):
    """A TLA+ sequence of at most ``max_len`` elements: a length and ``max_len`` slots.

    Slots at or past the length hold the default element (canonical form). An update
    that would make the sequence longer than ``max_len`` is not well-formed, so the step
    is disabled; the encoding must choose ``max_len`` so that this never happens in the
    scope (``smtspec coverage`` checks it).
    """

    elem: Sort
    max_len: int

    @cached_property
    def _default(self):
        return self.elem.const(self.elem.default())

    def fresh(self, name):
        return (z3.BitVec(f"{name}.len", W), tuple(self.elem.fresh(f"{name}[{k + 1}]") for k in range(self.max_len)))

    def wellformed(self, v):
        n, items = v
        cs = [n >= 0, n <= self.max_len]
        for k, x in enumerate(items):
            cs.append(self.elem.wellformed(x))
            cs.append(z3.Or(n > k, self.elem.eq(x, self._default)))
        return _conj(cs)

    def eq(self, a, b):
        return _conj([a[0] == b[0]] + [self.elem.eq(x, y) for x, y in zip(a[1], b[1])])

    def ite(self, c, a, b):
        if z3.is_true(c):
            return a
        if z3.is_false(c):
            return b
        return (ite_term(c, a[0], b[0]), tuple(self.elem.ite(c, x, y) for x, y in zip(a[1], b[1])))

    def const(self, value):
        if not isinstance(value, tuple) or len(value) > self.max_len:
            raise ValueError(f"not a sequence of at most {self.max_len} elements: {value!r}")
        items = [self.elem.const(x) for x in value]
        items += [self._default] * (self.max_len - len(items))
        return (ival(len(value)), tuple(items))

    def decode(self, ev, v):
        n = ev(v[0]).as_signed_long()
        return Seq(self.elem.decode(ev, x) for x in v[1][:n])

    def default(self):
        return Seq()

    def to_itf(self, value):
        return [self.elem.to_itf(x) for x in value]

    def from_itf(self, data):
        if not isinstance(data, list):
            raise ValueError(f"expected a sequence (JSON list), got {data!r}")
        return Seq(self.elem.from_itf(x) for x in data)

    def leaves(self, v):
        return [v[0]] + [t for x in v[1] for t in self.elem.leaves(x)]

    # TLA+ operations (indexes are 1-based, as in TLA+) ------------------------------
    def length(self, v):
        return v[0]

    def in_domain(self, v, i) -> z3.BoolRef:
        """``i \\in DOMAIN v``."""
        return z3.And(i >= 1, i <= v[0])

    def at(self, v, i):
        """``v[i]`` for a concrete or symbolic 1-based index (the default element outside the domain)."""
        if isinstance(i, int):
            return v[1][i - 1] if 1 <= i <= self.max_len else self._default
        if z3.is_bv_value(i):
            return self.at(v, i.as_signed_long())
        out = self._default
        for k in range(self.max_len, 0, -1):
            out = self.elem.ite(i == k, v[1][k - 1], out)
        return out

    def store(self, v, i, x):
        """``[v EXCEPT ![i] = x]`` (no change outside the domain, as in TLA+)."""
        if isinstance(i, int) or z3.is_bv_value(i):
            k = i if isinstance(i, int) else i.as_signed_long()
            return (v[0], tuple(self.elem.ite(v[0] >= k, x, y) if p == k - 1 else y for p, y in enumerate(v[1])))
        return (v[0], tuple(self.elem.ite(z3.And(i == p + 1, i <= v[0]), x, y) for p, y in enumerate(v[1])))

    def append(self, v, x):
        """``Append(v, x)``: its length may exceed ``max_len``, which makes the result ill-formed."""
        n, items = v
        return (n + 1, tuple(self.elem.ite(n == p, x, y) for p, y in enumerate(items)))

