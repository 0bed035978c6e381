"""TLA+ text as invariants of a System: ``--with-tla`` and ``tla = "..."`` proof helpers.

``tla_invariant(system, text, name)`` parses and translates ``text`` once at an arbitrary
state (so that an unsupported construct or unknown name is reported before any solving,
with its line and column), then returns an :class:`~smtspec.system.Invariant` that
translates it at whatever state the engine asks for. The text is an expression; it may use
the definitions of the specification's ``lemmas.tla`` (``Min``, ``AllEntries``, ``Lemma1``...).
"""

from __future__ import annotations

from typing import Callable

import z3

from smtspec.system import Invariant, System, View
from smtspec.unroll import arbitrary

from .context import TLAContext, context_for
from .errors import TLAError
from .parse import named, parse_expression, text as node_text


def _encoder(ctx: TLAContext, node, src) -> Callable[[View], z3.BoolRef]:
    def encode(view: View) -> z3.BoolRef:
        return ctx.translator(view).formula(node, src)

    return encode


def _compile(system: System, text: str, name: str):
    ctx = context_for(system)
    try:
        node, src = parse_expression(text, name)
        encode = _guarded(_encoder(ctx, node, src), name)
    except RecursionError:
        raise TLAError("the expression nests too deeply to translate", 1, 1, name) from None
    u, _ = arbitrary(system, 1, tag=f"tla-check[{name}]/")
    encode(u.states[0].view())  # raises TLAError now, not in the middle of a proof
    return ctx, node, src, encode


def _guarded(encode: Callable[[View], z3.BoolRef], name: str) -> Callable[[View], z3.BoolRef]:
    """``encode``, with Python's recursion limit on a deeply nested text reported as a TLAError."""
    def run(v: View) -> z3.BoolRef:
        try:
            return encode(v)
        except RecursionError:
            raise TLAError("the expression nests too deeply to translate", 1, 1, name) from None
    return run


def tla_invariant(system: System, text: str, name: str, doc: str | None = None) -> Invariant:
    """The state predicate ``text`` (TLA+) as an invariant named ``name``.

    A top-level bulleted conjunction gives the invariant named conjuncts (for CTI reports).
    """
    ctx, node, src, encode = _compile(system, text, name)
    conjuncts: tuple[tuple[str, Callable[[View], z3.BoolRef]], ...] = ()
    if node.type == "conj_list":
        conjuncts = tuple(
            (" ".join(node_text(named(item)[-1]).split()), _encoder(ctx, named(item)[-1], src)) for item in named(node)
        )
    return Invariant(name, encode, doc if doc is not None else " ".join(text.split()), conjuncts)


def tla_helper(system: System, text: str) -> Callable[[View], z3.BoolRef]:
    """The ``tla=`` callback of :func:`smtspec.proofs.helper_invariants`: text to an encoder."""
    return _compile(system, text, "<helper>")[3]
