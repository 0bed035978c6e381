"""The bounds a verdict holds for.

A :class:`Scope` is a named, immutable set of integer bounds (``servers=3``,
``terms=3``...). Each specification declares its bounds as :class:`Bound` objects
(flag, default, allowed range, meaning); the command line builds a scope from them and
every verdict prints it.
"""

from __future__ import annotations

from .errors import UsageError

from dataclasses import dataclass
from typing import Iterable, Mapping


class ScopeError(UsageError):
    """A bound is unknown or out of its allowed range."""


@dataclass(frozen=True)
class Bound:
    """One scope parameter of a specification."""

    name: str
    default: int
    low: int
    high: int
    meaning: str

    def check(self, value: int) -> int:
        if not isinstance(value, int) or isinstance(value, bool):
            raise ScopeError(f"--{self.name} must be a whole number, got {value!r}")
        if not self.low <= value <= self.high:
            raise ScopeError(
                f"--{self.name} must be between {self.low} and {self.high} ({self.meaning}), got {value}"
            )
        return value


@dataclass(frozen=True)
class Scope:
    """Concrete bounds, e.g. ``Scope.of(servers=3, terms=3)``; read as ``scope.servers``."""

    items: tuple[tuple[str, int], ...]

    @staticmethod
    def of(**bounds: int) -> "Scope":
        return Scope(tuple(bounds.items()))

    @staticmethod
    def build(declared: Iterable[Bound], given: Mapping[str, int | None] | None = None) -> "Scope":
        """Defaults of ``declared`` overridden by the non-None entries of ``given``, checked."""
        given = dict(given or {})
        out = []
        for b in declared:
            v = given.pop(b.name, None)
            out.append((b.name, b.check(b.default if v is None else v)))
        if given:
            raise ScopeError(f"unknown bound(s): {', '.join(sorted(given))}")
        return Scope(tuple(out))

    def __getattr__(self, name: str) -> int:
        for k, v in object.__getattribute__(self, "items"):
            if k == name:
                return v
        raise AttributeError(name)

    def __getitem__(self, name: str) -> int:
        return self.__getattr__(name)

    def as_dict(self) -> dict[str, int]:
        return dict(self.items)

    def replace(self, **changes: int) -> "Scope":
        d = self.as_dict()
        d.update(changes)
        return Scope(tuple(d.items()))

    def __str__(self) -> str:
        return ", ".join(f"{k}={v}" for k, v in self.items)
