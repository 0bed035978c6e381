"""Concrete values in TLA+ notation, and state differences for step-by-step traces."""

from __future__ import annotations

from typing import Any, Iterator

from .values import Fn, Rec


def tla(v: Any, limit: int = 0) -> str:
    """A value as TLA+ text: records ``[f |-> x]``, functions ``(k :> x @@ ...)``, ``<<..>>``, ``{..}``."""
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, (int, str)):
        return str(v)
    if isinstance(v, tuple):  # tuples and sequences
        return "<<" + ", ".join(tla(x) for x in v) + ">>"
    if isinstance(v, frozenset):
        items = sorted((tla(x) for x in v))
        return "{" + ", ".join(items) + "}"
    if isinstance(v, Rec):
        return "[" + ", ".join(f"{k} |-> {tla(x)}" for k, x in v.items()) + "]"
    if isinstance(v, Fn):
        if not v:
            return "<<>>"
        return "(" + " @@ ".join(f"{k} :> {tla(x)}" for k, x in v.items()) + ")"
    return repr(v)


def diff(old: Any, new: Any, path: str, max_listed: int = 3) -> Iterator[str]:
    """Lines describing what changed from ``old`` to ``new`` below ``path``; a set that gains
    more than ``max_listed`` elements in one step is summarised by a count."""
    if old == new:
        return
    if isinstance(old, Fn) and isinstance(new, Fn) and set(old) == set(new):
        for k in new:
            yield from diff(old[k], new[k], f"{path}[{k}]", max_listed)
        return
    if isinstance(old, Rec) and isinstance(new, Rec) and set(old) == set(new):
        for k in new:
            yield from diff(old[k], new[k], f"{path}.{k}", max_listed)
        return
    if isinstance(old, frozenset) and isinstance(new, frozenset):
        added, removed = sorted(new - old, key=tla), sorted(old - new, key=tla)
        if len(added) > max_listed:
            yield f"{path} + {len(added)} elements ({len(new)} in all)"
        else:
            for x in added:
                yield f"{path} + {tla(x)}"
        for x in removed:
            yield f"{path} - {tla(x)}"
        return
    yield f"{path}: {tla(old)} -> {tla(new)}"
