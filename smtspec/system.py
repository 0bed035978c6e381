"""What an encoding declares: state variables, actions, invariants, Init.

A :class:`System` is one specification instantiated at one scope. It is all the engine
knows about a protocol. Actions are named, parameterised and guarded; each returns an
:class:`Effect` (guard, updated variables, elements added to grow-only sets) and lists
the variables it leaves UNCHANGED exactly as the specification writes them, so that the
frame is derived, never written by hand, and a transcription slip (a variable neither
updated nor unchanged) is caught when the system is built.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping, Sequence

import z3

from .scope import Bound, Scope
from .sorts import Sort, Sym, conj, disj

if TYPE_CHECKING:
    from .symmetry import Symmetry


@dataclass(frozen=True)
class StateVar:
    """A state variable. For a grow-only set (``grow=True``) ``sort`` is the element sort."""

    name: str
    sort: Sort
    grow: bool = False
    doc: str = ""


@dataclass(frozen=True)
class Param:
    """A parameter or internal choice of an action (``i``, the message read ``m``, a quorum)."""

    name: str
    sort: Sort
    doc: str = ""


class GrowSet:
    """A grow-only set in one state: slots of (present, element)."""

    __slots__ = ("sort", "slots")

    def __init__(self, sort: Sort, slots: Sequence[tuple[z3.BoolRef, Sym]]):
        self.sort = sort
        self.slots = tuple(slots)

    def member(self, x: Sym) -> z3.BoolRef:
        return disj([z3.And(p, self.sort.eq(y, x)) for p, y in self.slots])

    def forall(self, body: Callable[[Sym], z3.BoolRef]) -> z3.BoolRef:
        return conj([z3.Implies(p, body(y)) for p, y in self.slots])

    def exists(self, body: Callable[[Sym], z3.BoolRef]) -> z3.BoolRef:
        return disj([z3.And(p, body(y)) for p, y in self.slots])

    def subset_of(self, other: "GrowSet") -> z3.BoolRef:
        return self.forall(other.member)


class View:
    """Read access to one symbolic state: ``view["log"]`` or ``view.log``."""

    __slots__ = ("_values",)

    def __init__(self, values: Mapping[str, object]):
        object.__setattr__(self, "_values", dict(values))

    def __getitem__(self, name: str):
        return self._values[name]

    def __getattr__(self, name: str):
        try:
            return object.__getattribute__(self, "_values")[name]
        except KeyError:
            raise AttributeError(name) from None

    def items(self):
        return self._values.items()


@dataclass
class Effect:
    """What one action instance does: enabled when ``guard``; new values; set additions."""

    guard: z3.BoolRef
    updates: dict[str, Sym] = field(default_factory=dict)
    adds: dict[str, list[tuple[z3.BoolRef, Sym]]] = field(default_factory=dict)


@dataclass(frozen=True)
class Action:
    """A named, parameterised, guarded transition.

    ``unchanged`` lists the variables the specification leaves UNCHANGED (after
    expanding tuples such as ``serverVars``). ``in_next`` is False for an action the
    specification defines but does not put in Next (it is still checked and reported).
    """

    name: str
    params: tuple[Param, ...]
    unchanged: tuple[str, ...]
    encode: Callable[["View", Mapping[str, Sym]], Effect]
    doc: str = ""
    in_next: bool = True


@dataclass(frozen=True)
class Invariant:
    """A state predicate. ``conjuncts`` optionally names its parts for CTI explanations."""

    name: str
    encode: Callable[[View], z3.BoolRef]
    doc: str = ""
    conjuncts: tuple[tuple[str, Callable[[View], z3.BoolRef]], ...] = ()
    symmetric: bool = False  # unchanged by every permutation of the system's symmetric sort (see symmetry.py)


@dataclass(frozen=True)
class Narrowing:
    """An encoding choice that narrows or widens behaviours, shown with every verdict."""

    text: str


@dataclass
class System:
    """A specification at one scope: everything the engine needs, nothing protocol-specific."""

    spec: str
    scope: Scope
    vars: tuple[StateVar, ...]
    actions: tuple[Action, ...]
    invariants: tuple[Invariant, ...]
    init: Callable[[View], z3.BoolRef]
    next_adds: Callable[[View], dict[str, list[tuple[z3.BoolRef, Sym]]]] = lambda v: {}
    next_vars: tuple[str, ...] = ()  # set by Next's own conjuncts, not by the actions
    narrowings: tuple[Narrowing, ...] = ()
    constraint: Callable[[View], z3.BoolRef] | None = None  # TLC CONSTRAINT: states outside are not in the model
    context: Any = None  # handed to helper invariants written in Python (e.g. the spec's schema)
    templates: Callable | None = None  # (system, name, args) -> encode; candidate helpers of the spec
    candidates: Callable | None = None  # (system) -> iterable of (template, args, reading)
    candidate_name: Callable | None = None  # (template, args) -> a readable unique name
    excluded: Callable | None = None  # (template, args) -> the states an instance excludes, in one line
    symmetry: Symmetry | None = None  # Init, Next and the constraint are symmetric in it

    def __post_init__(self) -> None:
        names = [v.name for v in self.vars]
        if len(set(names)) != len(names):
            raise ValueError("duplicate state variable")
        for a in self.actions:
            bad = set(a.unchanged) - set(names)
            if bad:
                raise ValueError(f"{a.name}: UNCHANGED names unknown variables {sorted(bad)}")

    @property
    def var(self) -> dict[str, StateVar]:
        return {v.name: v for v in self.vars}

    @property
    def next_actions(self) -> tuple[Action, ...]:
        return tuple(a for a in self.actions if a.in_next)

    def action(self, name: str) -> Action:
        for a in self.actions:
            if a.name == name:
                return a
        raise KeyError(name)

    def invariant(self, name: str) -> Invariant:
        for inv in self.invariants:
            if inv.name == name:
                return inv
        raise KeyError(name)

    def param_sorts(self) -> dict[str, Sort]:
        """Every parameter name with its sort; a name used by several actions shares one sort."""
        out: dict[str, Sort] = {}
        for a in self.actions:
            for p in a.params:
                if out.setdefault(p.name, p.sort) != p.sort:
                    raise ValueError(f"parameter {p.name} has two sorts")
        return out


@dataclass(frozen=True)
class TLCLog:
    """How a spec's TLC transition logs are read (``smtspec conform``): the actions logged
    steps belong to, the variables a log records, a reader yielding entries or
    ``line_error`` objects for bad lines."""

    actions: tuple[str, ...]
    logged: tuple[str, ...]
    read: Callable[[str | Path], Iterable]
    line_error: type[Any]  # the class of its bad-line objects (with .line and .message)


@dataclass(frozen=True)
class SpecInfo:
    """A specification as the command line sees it: name, bounds, and a builder."""

    name: str
    title: str
    source: str
    bounds: tuple[Bound, ...]
    build: Callable[[Scope], System]
    invariant_names: tuple[str, ...]
    action_names: tuple[str, ...]
    interpreter: Callable[[], Any] | None = None  # () -> the interpreter: initial_state/instances/step/INVARIANTS
    fast: Callable[[Scope], Any] | None = None  # scope -> a guided.FastSystem with to_rec (fast simulation form)
    small_scopes: Callable[[Scope], list[Scope]] | None = None  # smaller scopes `check` searches first
    tlc_log: TLCLog | None = None  # its TLC transition-log format, if it has one (`conform`)

    def scope(self, given: Mapping[str, int | None] | None = None) -> Scope:
        return Scope.build(self.bounds, given)


def frame_problems(system: System, action: Action, effect: Effect) -> list[str]:
    """Variables an action neither updates nor leaves unchanged (a transcription slip)."""
    action_vars = {v.name for v in system.vars} - set(system.next_vars)
    touched = set(effect.updates) | set(effect.adds) | set(action.unchanged)
    return sorted(action_vars - touched)


def both_updated_and_unchanged(action: Action, effect: Effect) -> list[str]:
    """Variables an action assigns and also lists as UNCHANGED (the conjunction is kept literally)."""
    return sorted((set(effect.updates) | set(effect.adds)) & set(action.unchanged))

