"""A cache of solver answers, keyed by the SHA-256 of the exact query.

A query's key is the SHA-256 of one text holding: the cache's format version, the Z3
version (``z3.get_version_string()``), the solver's options (logic, random seed, timeout)
and the SMT-LIB text of the query (``z3.Solver.to_smt2()`` of its assertions, then that of
its assumptions). Only ``unsat`` answers are kept: a ``sat`` answer is needed with its model,
and an ``unknown`` one must be tried again. So a hit can only ever answer ``unsat`` for
byte-identical query text, with the same solver version and options; anything else is a miss
and is solved. A query whose text declares one name twice (two constants of one name and two
sorts, which the text would not tell apart) is never looked up nor stored.

The folder is ``$SMTSPEC_CACHE_DIR``, else ``$XDG_CACHE_HOME/smtspec``, else
``~/.cache/smtspec``: a user's folder, never the repository. One small JSON file per
answer (``v1/<2 hex>/<sha256>.json``), written atomically (:mod:`atomic`); a file that is
unreadable, truncated or says anything else is a miss. Deleting the folder is always safe.

Used through :class:`smtspec.solving.Solver` (``Solver(..., cache=Cache())``, or every
solver made inside ``with solving.caching(cache):``); off by default.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import z3

from .atomic import write_text

FORMAT = 1
ENV = "SMTSPEC_CACHE_DIR"


def default_dir() -> Path:
    """``$SMTSPEC_CACHE_DIR``, else ``$XDG_CACHE_HOME/smtspec``, else ``~/.cache/smtspec``."""
    if os.environ.get(ENV):
        return Path(os.environ[ENV]).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg).expanduser() if xdg and Path(xdg).is_absolute() else Path.home() / ".cache"
    return base / "smtspec"


@dataclass(frozen=True)
class SolverOptions:
    """What besides the query text decides an answer: the solver's version and options."""

    logic: str
    seed: int
    timeout: float | None

    def header(self) -> str:
        return json.dumps({"format": FORMAT, "z3": z3.get_version_string(), "logic": self.logic,
                           "seed": self.seed, "timeout": self.timeout}, sort_keys=True)


def _declared_names(text: str) -> list[str]:
    names = []
    for line in text.splitlines():
        if line.startswith("(declare-fun ") or line.startswith("(declare-const "):
            rest = line.split(" ", 1)[1]
            if rest.startswith("|"):
                names.append(rest[: rest.index("|", 1) + 1])
            else:
                names.append(rest.split(" ", 1)[0])
    return names


_BINDER = re.compile(r"(?<=[\s(])([$?]x)(\d+)(?=[\s)])")
_QUOTED = re.compile(r"(\|[^|]*\||\"(?:[^\"]|\"\")*\")")


def canonical(text: str) -> str:
    """``text`` with Z3's let binders (``$x123``, ``?x45``: numbered by Z3's term ids, which
    differ from run to run) renumbered in the order they first appear, outside quoted symbols
    and strings. The renaming is one-to-one on those tokens, so it is an alpha-renaming: the
    canonical text means what the text means."""
    names: dict[str, str] = {}

    def rename(m: re.Match) -> str:
        return names.setdefault(m.group(0), f"{m.group(1)}{len(names)}")

    parts = _QUOTED.split(text)
    return "".join(p if n % 2 else _BINDER.sub(rename, p) for n, p in enumerate(parts))


def _text(formulas) -> str:
    """SMT-LIB text of ``formulas``, printed from a copy in a fresh Z3 context: there, term ids
    (which Z3's printer uses to name and order its let bindings) are given in the order the
    copy meets the terms, so equal formulas print to equal text whatever ran before."""
    ctx = z3.Context()
    s = z3.Solver(ctx=ctx)
    for f in formulas:
        s.add(f.translate(ctx))
    return s.to_smt2()


def query_text(solver: z3.Solver, assumptions: Sequence[z3.BoolRef] = ()) -> str | None:
    """The SMT-LIB text of ``solver``'s assertions and of ``assumptions``, canonical; None when
    it cannot stand for the query (a name declared twice, or one that looks like a let binder)."""
    parts = [_text(solver.assertions())]
    if assumptions:
        parts.append(_text(assumptions))
    for part in parts:
        names = _declared_names(part)
        if len(set(names)) != len(names) or any(re.fullmatch(r"[$?]x\d+", n) for n in names):
            return None
    return "\n; assumptions\n".join(canonical(p) for p in parts)


def key_of(text: str, options: SolverOptions) -> str:
    """The SHA-256 (hex) of the options' header and the query text."""
    h = hashlib.sha256()
    h.update(options.header().encode("utf-8"))
    h.update(b"\n")
    h.update(text.encode("utf-8"))
    return h.hexdigest()


class Cache:
    """``unsat`` answers on disk, with counts of this process's hits, misses and stores."""

    def __init__(self, folder: Path | str | None = None):
        self.folder = Path(folder).expanduser() if folder is not None else default_dir()
        self.hits = 0
        self.misses = 0
        self.stores = 0

    def _path(self, key: str) -> Path:
        return self.folder / f"v{FORMAT}" / key[:2] / f"{key}.json"

    def lookup(self, key: str, options: SolverOptions) -> bool:
        """Is ``key`` a query known to be ``unsat``? (Counts a hit or a miss.)"""
        try:
            data = json.loads(self._path(key).read_text(encoding="utf-8"))
            ok = (isinstance(data, dict) and data.get("key") == key and data.get("status") == "unsat"
                  and data.get("options") == options.header())
        except (OSError, ValueError, UnicodeDecodeError):
            ok = False
        if ok:
            self.hits += 1
        else:
            self.misses += 1
        return ok

    def store(self, key: str, options: SolverOptions, status: str, seconds: float = 0.0) -> None:
        """Keep an ``unsat`` answer (any other status is not kept). A folder that cannot be
        written only loses the entry: the answer itself is never affected."""
        if status != "unsat":
            return
        try:
            write_text(self._path(key), json.dumps({"key": key, "status": "unsat", "options": options.header(),
                                                     "seconds": round(seconds, 3)}, sort_keys=True) + "\n")
        except OSError:
            return
        self.stores += 1

    def counts(self) -> dict[str, int]:
        return {"hits": self.hits, "misses": self.misses, "stores": self.stores}


__all__ = ["Cache", "SolverOptions", "default_dir", "key_of", "query_text"]
