"""The TLA+ front end: state predicates written in TLA+, translated to Z3.

- :mod:`.parse`: text to the tree-sitter-tlaplus syntax tree (syntax errors with positions);
- :mod:`.symbolic`: symbolic TLA+ values (sets as (condition, element) lists) and operations;
- :mod:`.translate`: syntax tree to Z3 at one state of a System (the supported fragment);
- :mod:`.names`, :mod:`.context`: per-specification constant names and lemma definitions;
- :mod:`.invariant`: ``tla_invariant`` / ``tla_helper`` for ``--with-tla`` and proof helpers;
- :mod:`.check`: ``check_lemmas``, each hand-encoded invariant against its transcription.

Anything outside the fragment raises :class:`TLAError` with the construct, line and column.
"""

from .errors import TLAError

__all__ = ["TLAError", "tla_invariant", "tla_helper", "check_lemmas"]


def __getattr__(name: str):
    # Imported lazily: the parser needs tree-sitter, which plain engine use does not.
    if name in ("tla_invariant", "tla_helper"):
        from . import invariant

        return getattr(invariant, name)
    if name == "check_lemmas":
        from .check import check_lemmas

        return check_lemmas
    raise AttributeError(name)
