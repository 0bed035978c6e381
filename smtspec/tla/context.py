"""A specification's TLA+ context: its name table and the definitions of its lemmas file.

Everything TLA+ text is translated against: the :class:`~smtspec.system.System` (state
variables), the spec's :class:`~smtspec.tla.names.Names`, and the definitions of its
transcription (``encodings/<spec>/lemmas.tla``), so that a helper invariant written by a
user can use ``Min``, ``AllEntries``, ``Quorums`` or any ``LemmaN`` by name. The module's
CONSTANTS and VARIABLES must be names the table and the system know.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from smtspec.system import System, View

from .errors import TLAError
from .names import Names, lemmas_path, names_for
from .parse import Module, parse_module
from .translate import Translator


@dataclass(frozen=True)
class TLAContext:
    system: System
    names: Names
    module: Module | None

    @property
    def definitions(self) -> list:
        return self.module.definitions if self.module is not None else []

    def translator(self, view: View) -> Translator:
        return Translator(self.system, view, self.names, self.definitions)


@lru_cache(maxsize=16)
def _parse_cached(text: str, name: str) -> Module:
    return parse_module(text, name)


def check_declarations(module: Module, system: System, names: Names) -> None:
    """Every declared VARIABLE is a state variable and every CONSTANT is in the name table."""
    src = module.source
    for v in module.variables:
        if v not in system.var:
            raise src.error(module.declared[v], f"VARIABLE {v} is not a state variable of {system.spec}")
    for c in module.constants:
        if names.constant(c) is None:
            raise src.error(module.declared[c], f"CONSTANT {c} is not known to the TLA+ name table of {system.spec}")


def context_for(system: System, source: str | None = None, source_name: str | None = None) -> TLAContext:
    """The context of ``system``: its spec's lemmas file, or the module text ``source``."""
    names = names_for(system)
    if source is None:
        path: Path | None = lemmas_path(system.spec)
        if path is None:
            return TLAContext(system, names, None)
        source, source_name = path.read_text(encoding="utf-8"), source_name or path.name
    module = _parse_cached(source, source_name or "<tla>")
    check_declarations(module, system, names)
    return TLAContext(system, names, module)


def require_module(ctx: TLAContext) -> Module:
    if ctx.module is None:
        raise TLAError(f"specification {ctx.system.spec} has no TLA+ transcription of its invariants (lemmas.tla)")
    return ctx.module
