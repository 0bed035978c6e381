"""Recognising the one CHOOSE the fragment accepts: the Min/Max idiom over a set.

``CHOOSE i \\in S : \\A j \\in S : j >= i`` (or ``i <= j``) is the least element of a
non-empty finite set of integers, and ``... : i >= j`` the greatest: the predicate has
exactly one witness, so any CHOOSE TLC may make is that element and the translation is
exact. Every other CHOOSE is refused.
"""

from __future__ import annotations

from .parse import field_nodes, named, text


def minmax_idiom(node) -> str | None:
    """``"min"`` or ``"max"`` when ``node`` is ``CHOOSE i \\in S : \\A j \\in S : j >= i`` (or a variant)."""
    intros = field_nodes(node, "intro")
    s = node.child_by_field_name("set")
    body = node.child_by_field_name("expression")
    if len(intros) != 1 or intros[0].type != "identifier" or s is None or body is None:
        return None
    while body.type == "parentheses":
        body = named(body)[0]
    if body.type != "bounded_quantification" or body.child_by_field_name("quantifier").type != "forall":
        return None
    bounds = field_nodes(body, "bound")
    inner = field_nodes(bounds[0], "intro") if len(bounds) == 1 else []
    if len(inner) != 1 or inner[0].type != "identifier":
        return None
    i, j = text(intros[0]), text(inner[0])
    s2 = bounds[0].child_by_field_name("set")
    if " ".join(text(s).split()) != " ".join(text(s2).split()) or i == j or _mentions(s, i) or _mentions(s, j):
        return None
    cmp = body.child_by_field_name("expression")
    while cmp.type == "parentheses":
        cmp = named(cmp)[0]
    if cmp.type != "bound_infix_op":
        return None
    sym = cmp.child_by_field_name("symbol").type
    lhs, rhs = cmp.child_by_field_name("lhs"), cmp.child_by_field_name("rhs")
    if lhs.type != "identifier_ref" or rhs.type != "identifier_ref":
        return None
    pair = (text(lhs), text(rhs))
    if sym == "geq":
        return {(j, i): "min", (i, j): "max"}.get(pair)
    if sym == "leq":
        return {(i, j): "min", (j, i): "max"}.get(pair)
    return None


def _mentions(node, name: str) -> bool:
    if node.type == "identifier_ref" and text(node) == name:
        return True
    return any(_mentions(c, name) for c in node.named_children)
