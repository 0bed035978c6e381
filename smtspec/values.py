"""Concrete TLA+ values as immutable, hashable Python objects.

These are the values of the concrete interpreters, of decoded solver models and of
traces, so that a state computed by an interpreter and a state decoded from Z3 can be
compared with ``==``.

- integers, booleans and strings (model values such as ``"s1"`` or ``"Nil"``) are
  Python ``int``, ``bool`` and ``str``;
- a TLA+ tuple is a Python ``tuple``; a finite set is a ``frozenset``;
- a record is a :class:`Rec` and a function is a :class:`Fn`: both are immutable
  mappings, kept distinct because ITF writes them differently.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, Self


class FrozenMap(Mapping):
    """An immutable mapping with structural equality and a hash."""

    __slots__ = ("_d", "_h")
    _d: dict[Any, Any]  # set once, by object.__setattr__ (instances are immutable)
    _h: int | None

    def __init__(self, items: Mapping | Any = (), **kw: Any) -> None:
        d = dict(items)
        d.update(kw)
        object.__setattr__(self, "_d", d)
        object.__setattr__(self, "_h", None)

    def __getitem__(self, key: Any) -> Any:
        return self._d[key]

    def __iter__(self) -> Iterator:
        return iter(self._d)

    def __len__(self) -> int:
        return len(self._d)

    def __hash__(self) -> int:
        h = self._h
        if h is None:
            h = hash((type(self).__name__, frozenset(self._d.items())))
            object.__setattr__(self, "_h", h)
        return h

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented if not isinstance(other, FrozenMap) else False
        return self._d == other._d

    def __ne__(self, other: object) -> bool:
        eq = self.__eq__(other)
        return eq if eq is NotImplemented else not eq

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __reduce__(self):
        return (type(self), (self._d,))

    def set(self, key: Any, value: Any) -> Self:
        """A copy with ``key`` mapped to ``value`` (TLA+ ``EXCEPT ![key] = value``)."""
        d = dict(self._d)
        d[key] = value
        return type(self)(d)

    def __repr__(self) -> str:
        inner = ", ".join(f"{k!r}: {v!r}" for k, v in self._d.items())
        return f"{type(self).__name__}({{{inner}}})"


class Rec(FrozenMap):
    """A TLA+ record: field name -> value. ``Rec(term=1, date=1)``."""

    __slots__ = ()

    def __getattr__(self, name: str) -> Any:
        # note: a field that shadows a Mapping method (e.g. `values`) must be read as r["values"]
        try:
            return object.__getattribute__(self, "_d")[name]
        except (KeyError, AttributeError):
            raise AttributeError(name) from None


class Fn(FrozenMap):
    """A TLA+ function over a finite domain: ``Fn({"s1": 0, "s2": 0})``."""

    __slots__ = ()


class Seq(tuple):
    """A TLA+ sequence. Equal to the plain tuple of its elements (TLA+ does not tell them
    apart); kept as its own type only so that ITF writes it as a JSON list."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"Seq({tuple.__repr__(self)})"


def is_value(v: Any) -> bool:
    """True when ``v`` is built only from the types this module admits."""
    if isinstance(v, (bool, int, str)):
        return True
    if isinstance(v, (tuple, frozenset)):
        return all(is_value(x) for x in v)
    if isinstance(v, FrozenMap):
        return all(is_value(k) and is_value(x) for k, x in v.items())
    return False


def typed(v: Any) -> Any:
    """``v`` with every scalar tagged by its type, so that ``typed(a) == typed(b)`` is TLA+
    equality: Python's ``True == 1`` (also inside sets and maps) does not carry over. A
    sequence and a tuple stay equal, as TLA+ has them."""
    if isinstance(v, bool):
        return ("b", v)
    if isinstance(v, int):
        return ("i", v)
    if isinstance(v, str):
        return ("s", v)
    if isinstance(v, tuple):
        return ("t", tuple(typed(x) for x in v))
    if isinstance(v, frozenset):
        return ("S", frozenset(typed(x) for x in v))
    if isinstance(v, FrozenMap):
        return (type(v).__name__, frozenset((typed(k), typed(x)) for k, x in v.items()))
    return ("?", v)


def same(a: Any, b: Any) -> bool:
    """TLA+ equality of two concrete values (``==`` and no bool/int confusion)."""
    return a == b and typed(a) == typed(b)
