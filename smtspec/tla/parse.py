"""TLA+ text to the tree-sitter-tlaplus concrete syntax tree, and small helpers to walk it.

The grammar (``tree-sitter-tlaplus``) is used as is: nodes keep its names
(``bound_infix_op``, ``conj_list``...). This module only parses, reports syntax errors with
line and column, and splits a module into its top-level definitions in order; meaning is
given by :mod:`smtspec.tla.translate`.

An expression given on its own (``--with-tla "\\A i \\in Server : ..."``) is wrapped in a
module as the body of one definition; positions are reported in the user's text.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from .errors import TLAError

if TYPE_CHECKING:
    import tree_sitter

# Nodes a module may contain that carry no meaning for a state predicate.
IGNORED_UNITS = {"comment", "block_comment", "extends", "single_line", "double_line", "header_line", "MODULE"}
DECLARATIONS = {"constant_declaration", "variable_declaration"}


@lru_cache(maxsize=1)
def _parser():
    import tree_sitter
    import tree_sitter_tlaplus

    with warnings.catch_warnings():
        # tree-sitter-tlaplus 1.5 hands the language over as an int pointer, which
        # tree-sitter >= 0.25 still accepts with a DeprecationWarning.
        warnings.simplefilter("ignore", DeprecationWarning)
        language = tree_sitter.Language(tree_sitter_tlaplus.language())
    return tree_sitter.Parser(language)


@dataclass(frozen=True)
class Source:
    """A parsed text: its tree, its name for messages, and the line offset of a wrapper."""

    text: str
    name: str
    tree: tree_sitter.Tree
    line_offset: int = 0  # lines added in front of the user's text by a wrapper
    user_lines: int | None = None  # lines of the user's text inside a wrapper

    def position(self, node) -> tuple[int, int]:
        """1-based (line, column) of a node in the user's text (columns count characters)."""
        row, byte_col = node.start_point
        line_bytes = self._lines[row] if row < len(self._lines) else b""
        col = len(line_bytes[:byte_col].decode("utf-8", errors="replace"))
        return row + 1 - self.line_offset, col + 1

    @property
    def _lines(self) -> list[bytes]:
        return self.text.encode("utf-8").split(b"\n")

    def error(self, node, message: str) -> TLAError:
        line, col = self.position(node)
        return TLAError(message, line, col, self.name)


@dataclass(frozen=True)
class Definition:
    """A top-level ``Name(params) == body`` (or ``f[x \\in S] == body``) of a module."""

    name: str
    params: tuple[str, ...]
    body: object  # the CST node of the body
    node: object  # the whole definition
    source: Source
    function_bound: object = None  # quantifier_bound node of a function definition ``f[x \in S] == e``


@dataclass
class Module:
    """The definitions of a module, in order, and the names it declares."""

    source: Source
    definitions: list[Definition] = field(default_factory=list)
    constants: list[str] = field(default_factory=list)
    variables: list[str] = field(default_factory=list)
    declared: dict = field(default_factory=dict)  # declared name -> its CST node (for positions)

    def get(self, name: str) -> Definition | None:
        for d in self.definitions:
            if d.name == name:
                return d
        return None


def text(node) -> str:
    return node.text.decode("utf-8")


def named(node) -> list:
    """The named children of a node, comments left out."""
    return [c for c in node.named_children if c.type not in ("comment", "block_comment")]


def field_nodes(node, name: str) -> list:
    """Every child under field ``name`` that is a named node."""
    return [c for c in node.children_by_field_name(name) if c.is_named]


def _first_error(node):
    """The innermost ERROR or MISSING node that explains a failed parse."""
    if node.is_missing:
        return node
    for c in node.children:
        if c.has_error or c.is_missing or c.type == "ERROR":
            inner = _first_error(c)
            if inner is not None:
                return inner
    if node.type == "ERROR":
        return node
    return None


def _syntax_error(src: Source) -> TLAError:
    root = src.tree.root_node
    bad = _first_error(root)
    if bad is None or bad.parent is None or bad.parent.parent is None and bad.type == "ERROR" and bad.parent.type == "source_file" and bad.start_point == root.start_point:
        # The whole module failed to parse: point at the first piece after the header (and
        # inside the user's text) that is not a complete definition.
        top = bad if bad is not None and bad.type == "ERROR" else root
        after_name = False
        candidate = None
        for c in top.children:
            if c.type == "MODULE":
                after_name = True
                continue
            if after_name and c.type == "identifier":
                after_name = False
                continue
            if c.type in IGNORED_UNITS | DECLARATIONS | {"operator_definition", "function_definition", "----", "===="}:
                continue
            if c.start_point[0] < src.line_offset + 1:
                continue
            candidate = c
            break
        bad = candidate or top
    if bad.is_missing:
        return src.error(bad, f"syntax error: missing {bad.type!r}")
    row, col = bad.start_point
    if src.user_lines is not None and row >= src.line_offset + src.user_lines:
        last = src.text.split("\n")[src.line_offset + src.user_lines - 1]
        return TLAError("syntax error: the expression is incomplete", src.user_lines, len(last) + 1, src.name)
    line = src.text.encode("utf-8").split(b"\n")[row][col:].decode("utf-8", errors="replace")
    return src.error(bad, f"syntax error near {line.strip()[:30]!r}")


def parse_text(text_: str, name: str = "<tla>", line_offset: int = 0, user_lines: int | None = None) -> Source:
    tree = _parser().parse(text_.encode("utf-8"))
    src = Source(text_, name, tree, line_offset, user_lines)
    if tree.root_node.has_error:
        raise _syntax_error(src)
    return src


def parse_module(text_: str, name: str = "<tla>") -> Module:
    """A whole ``---- MODULE M ---- ... ====`` text, split into definitions."""
    src = parse_text(text_, name)
    root = src.tree.root_node
    modules = [c for c in root.named_children if c.type == "module"]
    if len(modules) != 1:
        raise TLAError("expected exactly one module (---- MODULE Name ---- ... ====)", 1, 1, name)
    mod = Module(src)
    for unit in modules[0].named_children:
        _add_unit(mod, unit)
    seen: set[str] = set()
    for d in mod.definitions:
        if d.name in seen:
            raise src.error(d.node, f"{d.name} is defined twice")
        seen.add(d.name)
    return mod


def _add_unit(mod: Module, unit) -> None:
    src = mod.source
    kind = unit.type
    if kind in IGNORED_UNITS or kind == "identifier" and unit.parent.child_by_field_name("name") == unit:
        return
    if kind == "constant_declaration":
        for c in named(unit):
            if c.type != "identifier":  # an operator constant F(_)
                raise src.error(c, "constant operator declarations are not supported")
            mod.constants.append(text(c))
            mod.declared[text(c)] = c
        return
    if kind == "variable_declaration":
        for c in named(unit):
            if c.type == "identifier":
                mod.variables.append(text(c))
                mod.declared[text(c)] = c
        return
    if kind == "operator_definition":
        name_node = unit.child_by_field_name("name")
        if name_node is None or name_node.type != "identifier":
            raise src.error(unit, "only prefix operator definitions Name(params) == ... are supported")
        params = []
        for p in field_nodes(unit, "parameter"):
            if p.type != "identifier":
                raise src.error(p, "higher-order operator parameters are not supported")
            params.append(text(p))
        mod.definitions.append(Definition(text(name_node), tuple(params), unit.child_by_field_name("definition"), unit, src))
        return
    if kind == "function_definition":
        name_node = unit.child_by_field_name("name")
        bounds = [c for c in named(unit) if c.type == "quantifier_bound"]
        if len(bounds) != 1:
            raise src.error(unit, "function definitions with several bounds are not supported")
        mod.definitions.append(
            Definition(text(name_node), (), unit.child_by_field_name("definition"), unit, src, bounds[0])
        )
        return
    construct = {
        "recursive_declaration": "RECURSIVE operators",
        "instance": "INSTANCE",
        "module_definition": "module definitions (M == INSTANCE ...)",
        "assumption": "ASSUME",
        "theorem": "THEOREM",
        "module": "nested modules",
        "pcal_algorithm": "PlusCal",
        "local_definition": "LOCAL definitions",
        "use_or_hide": "USE/HIDE",
    }.get(kind, kind)
    raise src.error(unit, f"unsupported module unit: {construct}")


EXPR_WRAPPER = "---- MODULE Expr ----\n__Expr ==\n{}\n====\n"


def parse_expression(text_: str, name: str = "<tla>"):
    """An expression on its own: its CST node and :class:`Source` (positions in ``text_``)."""
    if "====" in text_ or "MODULE" in text_.split():
        raise TLAError("expected an expression, not a module", 1, 1, name)
    src = parse_text(EXPR_WRAPPER.format(text_), name, line_offset=2, user_lines=text_.count("\n") + 1)
    mod = [c for c in src.tree.root_node.named_children if c.type == "module"]
    defs = [c for c in mod[0].named_children if c.type == "operator_definition"] if mod else []
    if len(defs) != 1:
        raise TLAError("expected one expression", 1, 1, name)
    return defs[0].child_by_field_name("definition"), src
