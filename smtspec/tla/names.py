"""Per-specification tables of TLA+ names: constant sets, model values, integer constants.

The translator knows state variables from the :class:`~smtspec.system.System`; every other
name a specification's TLA+ text uses (``Server``, ``Nil``, ``Follower``,
``RequestVoteRequest``...) comes from a :class:`Names` table that the encoding provides in
``encodings/<spec>/tla_names.py`` as ``names(system) -> Names``, next to the TLA+
transcription of its invariants (``LEMMAS``, a path to a ``.tla`` file). A specification
without such a module gets an empty table: its variables are still usable.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Mapping

import z3

from smtspec.sorts import W, Enum, FiniteSort

from .symbolic import EnumV, Val, integer, sort_set


@dataclass(frozen=True)
class Names:
    """What the constant names of one specification denote at one scope.

    ``sets``: finite constant sets (``Server``, ``Index``) as the finite sorts whose elements
    they are; ``model_values``: constants that are model values, each with the enumeration
    sort it belongs to (its position there), or None for one that belongs to no sort (e.g. a
    message type the specification never sends); ``integers``: integer constants;
    ``strings``: the strings of the specification, each with an enumeration sort that holds
    it (string literals denote them, and ``x \\in STRING`` holds for them);
    ``string_constants``: constants whose value is a string (``Nil`` = ``"<nil>"``), each with
    that string, which must be in ``strings``.
    """

    sets: Mapping[str, FiniteSort] = field(default_factory=dict)
    model_values: Mapping[str, Enum | None] = field(default_factory=dict)
    integers: Mapping[str, int] = field(default_factory=dict)
    strings: Mapping[str, Enum] = field(default_factory=dict)
    string_constants: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self):
        unknown = sorted(c for c, v in self.string_constants.items() if v not in self.strings)
        if unknown:
            raise ValueError(f"string constants whose string is not in the table's strings: {', '.join(unknown)}")
        misplaced = sorted(s for s, enum in self.strings.items() if s not in enum.names)
        if misplaced:
            raise ValueError(f"strings not in the enumeration sort given for them: {', '.join(misplaced)}")

    def constant(self, name: str) -> Val | None:
        """The value of a constant name, or None if the table does not have it."""
        if name in self.sets:
            return sort_set(self.sets[name])
        if name in self.model_values:
            return model_value(name, self.model_values[name])
        if name in self.integers:
            return integer(self.integers[name])
        if name in self.string_constants:
            return self.string(self.string_constants[name])
        return None

    def string(self, s: str) -> Val | None:
        if s in self.strings:
            return model_value(s, self.strings[s])
        return None

    def is_string(self, s: str) -> bool:
        """Whether the value named ``s`` (an enumeration element) is a string of the spec."""
        return s in self.strings


def model_value(name: str, enum: Enum | None) -> EnumV:
    if enum is None:
        return EnumV((name,), z3.BitVecVal(0, W))
    return EnumV(enum.names, z3.BitVecVal(enum.names.index(name), W))


EMPTY = Names()


def _package_of(system_spec: str) -> str | None:
    from smtspec import registry

    try:
        info = registry.get(system_spec)
    except LookupError:
        return None
    module = importlib.import_module(info.build.__module__)
    return module.__name__ if hasattr(module, "__path__") else module.__name__.rpartition(".")[0]


def spec_module(spec_name: str) -> ModuleType | None:
    """The ``tla_names`` module of a specification, or None if it has none."""
    package = _package_of(spec_name)
    if package is None:
        return None
    try:
        return importlib.import_module(f"{package}.tla_names")
    except ModuleNotFoundError as e:
        if e.name == f"{package}.tla_names":
            return None
        raise


def names_for(system) -> Names:
    """The name table of ``system``'s specification (empty when it provides none)."""
    mod = spec_module(system.spec)
    return mod.names(system) if mod is not None else EMPTY


def lemmas_path(spec_name: str) -> Path | None:
    """The TLA+ transcription of a specification's invariants, if it has one."""
    mod = spec_module(spec_name)
    path = getattr(mod, "LEMMAS", None) if mod is not None else None
    return Path(path) if path is not None else None
