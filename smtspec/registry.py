"""The specifications smtspec knows, looked up by name, with closest-name suggestions."""

from __future__ import annotations

import difflib
import importlib
from typing import Iterable

from .system import SpecInfo

DEFAULT_SPEC = "parallel-raft"
_MODULES = {"parallel-raft": "smtspec.encodings.parallel_raft", "onos-config": "smtspec.encodings.onos_config"}


class LookupFailed(LookupError):
    """An unknown spec, invariant or action name (the message suggests the closest)."""


def suggest(name: str, known: Iterable[str]) -> str:
    known = list(known)
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.5)
    if not close:
        lowered = {k.lower(): k for k in known}
        close = difflib.get_close_matches(name.lower(), list(lowered), n=1, cutoff=0.5)
        close = [lowered[c] for c in close]
    return f" (did you mean {close[0]}?)" if close else ""


def spec_names() -> list[str]:
    return list(_MODULES)


def available() -> dict[str, SpecInfo]:
    """Every spec whose encoding is present in this installation."""
    out = {}
    for name, mod in _MODULES.items():
        m = importlib.import_module(mod)
        spec = getattr(m, "SPEC", None)
        if spec is not None:
            out[name] = spec
    return out


def get(name: str) -> SpecInfo:
    specs = available()
    if name not in specs:
        raise LookupFailed(f"unknown spec '{name}'{suggest(name, specs)}; known: {', '.join(specs)}")
    return specs[name]


def resolve(spec: str | None, invariants: Iterable[str]) -> SpecInfo:
    """The spec named, or the one spec that has all the invariants, or the default."""
    invariants = list(invariants)
    specs = available()
    if spec is not None:
        info = get(spec)
    else:
        owners = [s for s in specs.values() if invariants and all(i in s.invariant_names for i in invariants)]
        info = owners[0] if len(owners) == 1 else specs[DEFAULT_SPEC]
    for name in invariants:
        if name not in info.invariant_names:
            elsewhere = [s.name for s in specs.values() if name in s.invariant_names]
            hint = f" (it is an invariant of --spec {elsewhere[0]})" if elsewhere else suggest(name, info.invariant_names)
            raise LookupFailed(f"unknown invariant '{name}' in spec {info.name}{hint}")
    return info
