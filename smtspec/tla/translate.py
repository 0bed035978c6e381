"""TLA+ expressions (tree-sitter CST) to Z3 over one state of a System.

A :class:`Translator` reads one symbolic state (a :class:`~smtspec.system.View`): state
variables by their TLA+ names, constants through the specification's
:class:`~smtspec.tla.names.Names` table, and operators defined earlier in the same text.
Values are the symbolic TLA+ values of :mod:`smtspec.tla.symbolic`.

The fragment: ``\\A``/``\\E`` over finite sets (constant sets, ranges ``a..b``, grow-only
sets, set expressions), ``{x \\in S : P}``, ``{e : x \\in S}``, ``\\in``, ``\\notin``,
``\\subseteq``, ``\\cup``, ``\\cap``, ``\\``, ``UNION``, ``Cardinality``, ``DOMAIN``, records,
tuples, sequences of the schema (``Len``, ``s[i]``, ``DOMAIN s`` = ``1..Len(s)``), function
application (nested, through records and sequences), function constructors,
``EXCEPT``, ``=``, ``#``, integer arithmetic and comparisons, ``IF``, ``CASE``, ``LET``,
Boolean connectives and bulleted junction lists, non-recursive operators; ``Nat``, ``Int``,
``BOOLEAN``, ``SUBSET S``, ``[S -> T]``, ``[f : S]``, ``S \\X T`` and ``STRING`` (for a
specification whose name table declares its strings) as sets that are only tested for
membership (``\\X`` of finite sets is also enumerated); constants that are strings
(``Nil`` = ``"<nil>"``); and ``CHOOSE`` in the Min/Max idiom
``CHOOSE i \\in S : \\A j \\in S : j >= i`` over integers (:mod:`.idioms`).
Everything else raises :class:`~smtspec.tla.errors.TLAError` naming the construct and
its position; nothing outside the fragment is approximated.

Where TLA+ leaves a value unspecified (a function applied outside its domain, ``CASE``
with no true guard and no ``OTHER``, the Min/Max idiom on the empty set) the translation
picks one fixed value: the range's default, the last arm, -1. ``CASE`` with several true
guards takes the first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Sequence

import z3

from smtspec.sorts import conj, disj
from smtspec.system import GrowSet, System, View

from . import equality as eqs
from . import operations as ops
from . import symbolic as sv
from .errors import TLAError
from .idioms import minmax_idiom
from .names import Names
from .parse import Definition, Source, field_nodes, named, text
from .symbolic import Mismatch, Val, both, imp, neg

BUILTINS = {"Cardinality": 1, "IsFiniteSet": 1, "Len": 1}

# Operators of the standard modules outside the fragment (named in the refusal).
STANDARD_UNSUPPORTED = {
    "Seq", "Append", "Head", "Tail", "SubSeq", "SelectSeq", "Print", "PrintT", "Assert", "ToString", "TLCGet",
    "TLCSet", "Permutations", "SortSeq", "RandomElement", "Any", "JavaTime", "TLCEval",
}

UNSUPPORTED = {
    "unbounded_quantification": "unbounded quantifier (\\A x : P): quantify over a set",
    "temporal_forall": "temporal quantifier \\AA",
    "temporal_exists": "temporal quantifier \\EE",
    "step_expr_or_stutter": "action expression [A]_v",
    "step_expr_no_stutter": "action expression <<A>>_v",
    "fairness": "fairness (WF/SF)",
    "lambda": "LAMBDA",
    "label": "labels",
    "subexpression": "subexpression names (A!1)",
    "prefixed_op": "module-qualified names (M!Op)",
    "real_number": "real numbers",
    "real_number_set": "Real",
    "hex_number": "hexadecimal numbers",
    "octal_number": "octal numbers",
    "binary_number": "binary numbers",
    "bound_nonfix_op": "operators used as values",
    "recursive_declaration": "RECURSIVE operators",
    "instance": "INSTANCE",
    "module_definition": "module definitions",
}

PREFIX_UNSUPPORTED = {
    "enabled": "ENABLED",
    "unchanged": "UNCHANGED",
    "always": "[] (always)",
    "eventually": "<> (eventually)",
}


@dataclass
class OpDef:
    """An operator (module-level or LET) with its closure: bindings and visible module definitions."""

    name: str
    params: tuple[str, ...]
    body: object
    source: Source
    env: dict
    limit: int  # module definitions with an index below this are visible in the body
    function_bound: object = None
    cache: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Ctx:
    src: Source
    env: dict
    limit: int
    at: Val | None = None  # the value of @ inside EXCEPT

    def bind(self, more: dict) -> "Ctx":
        return Ctx(self.src, {**self.env, **more}, self.limit, self.at)


class Translator:
    """Translates expressions at one symbolic state of ``system``."""

    def __init__(self, system: System, view: View, names: Names, definitions: Sequence[Definition] = ()):
        self.system = system
        self.view = view
        self.names = names
        self.defs: list[OpDef] = []
        self.index: dict[str, int] = {}
        for k, d in enumerate(definitions):
            self.index[d.name] = k  # names are unique (parse_module checks)
            self.defs.append(OpDef(d.name, d.params, d.body, d.source, {}, k, d.function_bound))
        self._state: dict[str, Val] = {}
        self._active: list[OpDef] = []

    # ------------------------------------------------------------------ entry points
    def expression(self, node, src: Source) -> Val:
        return self._eval(node, Ctx(src, {}, len(self.defs)))

    def formula(self, node, src: Source) -> z3.BoolRef:
        return self._bool(node, Ctx(src, {}, len(self.defs)))

    def definition(self, name: str) -> z3.BoolRef:
        """A zero-arity module definition as a formula."""
        op = self.defs[self.index[name]]
        if op.params:
            raise TLAError(f"{name} takes arguments; a state predicate takes none", *op.source.position(op.body), op.source.name)
        v = self._use(op, [], op.body, Ctx(op.source, {}, op.limit + 1))
        try:
            return sv.as_bool(v, f"{name} to be a state predicate")
        except Mismatch as e:
            raise op.source.error(op.body, str(e)) from None

    # ------------------------------------------------------------------ core
    def _eval(self, node, ctx: Ctx) -> Val:
        handler = getattr(self, f"_n_{node.type}", None)
        if handler is None:
            raise ctx.src.error(node, f"unsupported construct: {UNSUPPORTED.get(node.type, node.type.replace('_', ' '))}")
        try:
            return handler(node, ctx)
        except Mismatch as e:
            raise ctx.src.error(node, str(e)) from None

    def _bool(self, node, ctx: Ctx) -> z3.BoolRef:
        v = self._eval(node, ctx)
        if not isinstance(v, sv.BoolV):
            raise ctx.src.error(node, f"expected a formula (a Boolean), got {sv.a_kind(v)}")
        return v.t

    def _items(self, node, ctx: Ctx) -> tuple:
        s = self._eval(node, ctx)
        try:
            return eqs.items(s)
        except Mismatch as e:
            raise ctx.src.error(node, str(e)) from None

    # ------------------------------------------------------------------ names
    def _state_var(self, name: str) -> Val:
        if name not in self._state:
            var = self.system.var[name]
            value = self.view[name]
            if isinstance(value, GrowSet):
                self._state[name] = sv.grow_set(var.sort, value.slots)
            else:
                self._state[name] = sv.from_sort(var.sort, value)
        return self._state[name]

    def _lookup(self, name: str, node, ctx: Ctx):
        """A bound value, an OpDef, or None for a builtin; raises for unknown names."""
        if name in ctx.env:
            return ctx.env[name]
        if name in self.index:
            k = self.index[name]
            op = self.defs[k]
            if any(a is op for a in self._active):
                raise ctx.src.error(node, f"recursive operator {name} is not supported")
            if k < ctx.limit:
                return op
            raise ctx.src.error(node, f"{name} is used before its definition")
        if name in self.system.var:
            return self._state_var(name)
        c = self.names.constant(name)
        if c is not None:
            return c
        if name in BUILTINS:
            return None
        if name in STANDARD_UNSUPPORTED:
            raise ctx.src.error(node, f"unsupported construct: {name} (standard module operator)")
        raise ctx.src.error(node, f"unknown identifier {name}")

    def _n_identifier_ref(self, node, ctx: Ctx) -> Val:
        name = text(node)
        found = self._lookup(name, node, ctx)
        if found is None:
            raise ctx.src.error(node, f"{name} needs {BUILTINS[name]} argument(s)")
        if isinstance(found, OpDef):
            return self._use(found, [], node, ctx)
        return found

    def _use(self, op: OpDef, args: list[Val], node, ctx: Ctx) -> Val:
        if len(args) != len(op.params):
            raise ctx.src.error(node, f"{op.name} takes {len(op.params)} argument(s), given {len(args)}")
        if any(a is op for a in self._active):
            raise ctx.src.error(node, f"recursive operator {op.name} is not supported")
        if not op.params and "value" in op.cache:
            return op.cache["value"]
        inner = Ctx(op.source, {**op.env, **dict(zip(op.params, args))}, op.limit)
        self._active.append(op)
        v: Val
        try:
            if op.function_bound is not None:
                v = self._function([op.function_bound], op.body, inner)
            else:
                v = self._eval(op.body, inner)
        except TLAError as e:
            if op.source is ctx.src or e.line is None:
                raise
            # An error inside a definition of another text (lemmas.tla): report it at the
            # call in the caller's text, saying where inside the definition it is.
            line, col = ctx.src.position(node)
            raise TLAError(f"{e.message} (inside {op.name}, at {e.source}:{e.line}:{e.column})",
                           line, col, ctx.src.name) from None
        finally:
            self._active.pop()
        if not op.params:
            op.cache["value"] = v
        return v

    def _n_bound_op(self, node, ctx: Ctx) -> Val:
        name_node = node.child_by_field_name("name")
        if name_node.type != "identifier_ref":
            raise ctx.src.error(node, f"unsupported construct: application of {text(name_node)}")
        name = text(name_node)
        arg_nodes = field_nodes(node, "parameter")
        found = self._lookup(name, name_node, ctx)
        if found is None:
            return self._builtin(name, arg_nodes, node, ctx)
        if not isinstance(found, OpDef):
            raise ctx.src.error(node, f"{name} is not an operator")
        args = [self._eval(a, ctx) for a in arg_nodes]
        return self._use(found, args, node, ctx)

    def _builtin(self, name: str, arg_nodes, node, ctx: Ctx) -> Val:
        if len(arg_nodes) != BUILTINS[name]:
            raise ctx.src.error(node, f"{name} takes {BUILTINS[name]} argument(s)")
        s = self._eval(arg_nodes[0], ctx)
        if name == "Cardinality":
            return ops.cardinality(s)
        if name == "Len":
            return ops.length(s)
        if isinstance(s, sv.SetV):  # IsFiniteSet
            return sv.boolean(True)
        raise ctx.src.error(node, f"IsFiniteSet of {sv.a_kind(s)}")

    # ------------------------------------------------------------------ literals
    def _n_unbounded_quantification(self, node, ctx):
        q = node.child_by_field_name("quantifier").type
        what = {"temporal_forall": "temporal quantifier \\AA", "temporal_exists": "temporal quantifier \\EE"}.get(
            q, "unbounded quantifier (\\A x : P or \\E x : P): quantify over a set")
        raise ctx.src.error(node, f"unsupported construct: {what}")

    def _n_nat_number(self, node, ctx):
        return sv.integer(int(text(node)))

    def _n_boolean(self, node, ctx):
        return sv.boolean(text(node) == "TRUE")

    def _n_string(self, node, ctx):
        s = text(node)[1:-1]
        v = self.names.string(s)
        if v is None:
            raise ctx.src.error(node, f"unsupported construct: string literal \"{s}\" (not a value of this specification)")
        return v

    def _n_string_set(self, node, ctx):
        if not self.names.strings:
            raise ctx.src.error(node, "unsupported construct: STRING (this specification declares no strings)")
        return ops.string_set(self.names.is_string)

    def _n_boolean_set(self, node, ctx):
        return ops.BOOLEANS

    def _n_nat_number_set(self, node, ctx):
        return ops.NAT

    def _n_int_number_set(self, node, ctx):
        return ops.INT

    def _n_parentheses(self, node, ctx):
        return self._eval(named(node)[0], ctx)

    # ------------------------------------------------------------------ Boolean structure
    def _n_conj_list(self, node, ctx):
        return sv.BoolV(conj([self._bool(named(item)[-1], ctx) for item in named(node)]))

    def _n_disj_list(self, node, ctx):
        return sv.BoolV(disj([self._bool(named(item)[-1], ctx) for item in named(node)]))

    def _n_bounded_quantification(self, node, ctx):
        q = node.child_by_field_name("quantifier").type
        body = node.child_by_field_name("expression")
        parts = []
        for cond, env in self._bindings(field_nodes(node, "bound"), ctx):
            if z3.is_false(cond):
                continue
            b = self._bool(body, ctx.bind(env))
            parts.append(imp(cond, b) if q == "forall" else both(cond, b))
        return sv.BoolV(conj(parts) if q == "forall" else disj(parts))

    def _bindings(self, bounds, ctx: Ctx) -> list[tuple[z3.BoolRef, dict]]:
        """Every assignment of the bound identifiers, with its condition (sets in ``ctx``)."""
        out: list[tuple[z3.BoolRef, dict]] = [(sv.TRUE, {})]
        for b in bounds:
            set_node = b.child_by_field_name("set")
            its = self._items(set_node, ctx)
            for intro in field_nodes(b, "intro"):
                out = [(both(c, d), {**env, **self._pattern(intro, x, ctx)}) for c, env in out for d, x in its]
        return out

    def _pattern(self, intro, value: Val, ctx: Ctx) -> dict:
        if intro.type == "identifier":
            return {text(intro): value}
        if intro.type == "tuple_of_identifiers":
            ids = [c for c in named(intro) if c.type == "identifier"]
            if not isinstance(value, sv.TupV) or len(value.items) != len(ids):
                raise ctx.src.error(intro, f"<<...>> pattern over {sv.a_kind(value)} that is not a {len(ids)}-tuple")
            return {text(i): x for i, x in zip(ids, value.items)}
        raise ctx.src.error(intro, f"unsupported construct: {intro.type}")

    def _n_if_then_else(self, node, ctx):
        c = self._bool(node.child_by_field_name("if"), ctx)
        if z3.is_true(c):
            return self._eval(node.child_by_field_name("then"), ctx)
        if z3.is_false(c):
            return self._eval(node.child_by_field_name("else"), ctx)
        a = self._eval(node.child_by_field_name("then"), ctx)
        b = self._eval(node.child_by_field_name("else"), ctx)
        return eqs.ite(c, a, b)

    def _n_case(self, node, ctx):
        arms = []
        other = None
        for c in named(node):
            parts = [p for p in named(c) if p.type != "case_arrow"]
            if c.type == "case_arm":
                arms.append((self._bool(parts[0], ctx), parts[1]))
            elif c.type == "other_arm":
                other = self._eval(parts[-1], ctx)
        live = [(g, n) for g, n in arms if not z3.is_false(g)]
        if not live:
            if other is None:
                raise ctx.src.error(node, "no arm of this CASE can be taken and it has no OTHER")
            return other
        acc = other if other is not None else self._eval(live[-1][1], ctx)
        for g, n in reversed(live if other is not None else live[:-1]):
            acc = eqs.ite(g, self._eval(n, ctx), acc)
        return acc

    def _n_let_in(self, node, ctx):
        env = dict(ctx.env)
        for d in field_nodes(node, "definitions"):
            if d.type == "operator_definition":
                params = []
                for p in field_nodes(d, "parameter"):
                    if p.type != "identifier":
                        raise ctx.src.error(p, "unsupported construct: higher-order operator parameters")
                    params.append(text(p))
                op = OpDef(text(d.child_by_field_name("name")), tuple(params), d.child_by_field_name("definition"),
                           ctx.src, dict(env), ctx.limit)
            elif d.type == "function_definition":
                bounds = [c for c in named(d) if c.type == "quantifier_bound"]
                op = OpDef(text(d.child_by_field_name("name")), (), d.child_by_field_name("definition"), ctx.src,
                           dict(env), ctx.limit, bounds[0] if len(bounds) == 1 else None)
                if len(bounds) != 1:
                    raise ctx.src.error(d, "unsupported construct: function definitions with several bounds")
            else:
                raise ctx.src.error(d, f"unsupported construct: {UNSUPPORTED.get(d.type, d.type.replace('_', ' '))} in LET")
            op.env[op.name] = op  # a self-reference is reported as recursion, not as an unknown name
            env[op.name] = op
        return self._eval(node.child_by_field_name("expression"), Ctx(ctx.src, env, ctx.limit, ctx.at))

    # ------------------------------------------------------------------ operators
    def _n_bound_prefix_op(self, node, ctx):
        sym = node.child_by_field_name("symbol").type
        rhs = node.child_by_field_name("rhs")
        if sym in PREFIX_UNSUPPORTED:
            raise ctx.src.error(node, f"unsupported construct: {PREFIX_UNSUPPORTED[sym]}")
        if sym == "lnot":
            return sv.BoolV(neg(self._bool(rhs, ctx)))
        v = self._eval(rhs, ctx)
        if sym == "negative":
            return sv.negate(v)
        if sym == "domain":
            return ops.domain(v)
        if sym == "powerset":
            return ops.powerset(v)
        if sym == "union":
            return ops.big_union(v)
        raise ctx.src.error(node, f"unsupported construct: prefix operator {text(node.child_by_field_name('symbol'))}")

    def _n_bound_postfix_op(self, node, ctx):
        sym = node.child_by_field_name("symbol")
        if sym.type == "prime":
            raise ctx.src.error(node, "unsupported construct: primed variable (x'): a state predicate reads one state")
        raise ctx.src.error(node, f"unsupported construct: postfix operator {text(sym)}")

    def _junction_mix(self, node, ctx, sym: str) -> None:
        other = "lor" if sym == "land" else "land"
        for side in ("lhs", "rhs"):
            c = node.child_by_field_name(side)
            if c.type == "bound_infix_op" and c.child_by_field_name("symbol").type == other:
                raise ctx.src.error(node, "/\\ and \\/ mixed without parentheses (ambiguous; SANY rejects it)")

    def _n_bound_infix_op(self, node, ctx):
        sym_node = node.child_by_field_name("symbol")
        sym = sym_node.type
        lhs, rhs = node.child_by_field_name("lhs"), node.child_by_field_name("rhs")
        if sym in ("land", "lor"):
            self._junction_mix(node, ctx, sym)
            a, b = self._bool(lhs, ctx), self._bool(rhs, ctx)
            return sv.BoolV(conj([a, b]) if sym == "land" else disj([a, b]))
        if sym == "implies":
            return sv.BoolV(imp(self._bool(lhs, ctx), self._bool(rhs, ctx)))
        if sym in ("iff", "equiv"):
            return sv.BoolV(sv.same(self._bool(lhs, ctx), self._bool(rhs, ctx)))
        if sym == "times":
            return ops.product([self._eval(n, ctx) for n in self._product_factors(node)])
        if sym not in BINARY:
            raise ctx.src.error(sym_node, f"unsupported construct: infix operator {text(sym_node)}")
        a = self._eval(lhs, ctx)
        b = self._eval(rhs, ctx)
        return BINARY[sym](a, b)

    def _product_factors(self, node) -> list:
        if node.type == "bound_infix_op" and node.child_by_field_name("symbol").type == "times":
            return self._product_factors(node.child_by_field_name("lhs")) + self._product_factors(node.child_by_field_name("rhs"))
        return [node]

    # ------------------------------------------------------------------ structures
    def _n_function_evaluation(self, node, ctx):
        parts = named(node)
        f = self._eval(parts[0], ctx)
        args = [self._eval(a, ctx) for a in parts[1:]]
        key = args[0] if len(args) == 1 else sv.TupV(tuple(args))
        return ops.apply(f, key)

    def _n_record_value(self, node, ctx):
        parts = named(node)
        return ops.field(self._eval(parts[0], ctx), text(parts[-1]))

    def _n_tuple_literal(self, node, ctx):
        return sv.TupV(tuple(self._eval(c, ctx) for c in named(node) if c.type not in ("langle_bracket", "rangle_bracket")))

    def _n_record_literal(self, node, ctx):
        return sv.RecV(self._field_pairs(node, ctx, "all_map_to"))

    def _n_set_of_records(self, node, ctx):
        return ops.record_set(self._field_pairs(node, ctx, None))

    def _field_pairs(self, node, ctx, arrow: str | None) -> dict:
        out: dict = {}
        name = None
        for c in named(node):
            if c.type == "identifier" and name is None:
                name = text(c)
            elif c.type != arrow:
                if name in out:
                    raise ctx.src.error(c, f"field {name} given twice")
                out[name] = self._eval(c, ctx)
                name = None
        return out

    def _n_set_of_functions(self, node, ctx):
        parts = [c for c in named(node) if c.type != "maps_to"]
        return ops.fun_set(self._eval(parts[0], ctx), self._eval(parts[1], ctx))

    def _n_finite_set_literal(self, node, ctx):
        return sv.SetV(tuple((sv.TRUE, self._eval(c, ctx)) for c in named(node)))

    def _n_set_filter(self, node, ctx):
        gen = node.child_by_field_name("generator")
        pred = node.child_by_field_name("filter")
        intros = field_nodes(gen, "intro")
        if len(intros) != 1:
            raise ctx.src.error(gen, "unsupported construct: several identifiers in a set filter")
        s = self._eval(gen.child_by_field_name("set"), ctx)
        if isinstance(s, sv.PredSetV):
            return sv.PredSetV(lambda x: both(s.member(x), self._bool(pred, ctx.bind(self._pattern(intros[0], x, ctx)))),
                               f"{{x \\in {s.what} : ...}}")
        its = self._items(gen.child_by_field_name("set"), ctx)
        out = []
        for c, x in its:
            if z3.is_false(c):
                continue
            out.append((both(c, self._bool(pred, ctx.bind(self._pattern(intros[0], x, ctx)))), x))
        return sv.SetV(tuple(out), isinstance(s, sv.SetV) and s.distinct)

    def _n_set_map(self, node, ctx):
        expr = node.child_by_field_name("map")
        out = []
        for c, env in self._bindings(field_nodes(node, "generator"), ctx):
            if not z3.is_false(c):
                out.append((c, self._eval(expr, ctx.bind(env))))
        return sv.SetV(tuple(out))

    def _n_function_literal(self, node, ctx):
        bounds = [c for c in named(node) if c.type == "quantifier_bound"]
        body = named(node)[-1]
        return self._function(bounds, body, ctx)

    def _function(self, bounds, body, ctx: Ctx) -> sv.FunV:
        intros = [i for b in bounds for i in field_nodes(b, "intro")]
        entries = []
        for c, env in self._bindings(bounds, ctx):
            if z3.is_false(c):
                continue
            keys = [self._pattern_value(i, env) for i in intros]
            key = keys[0] if len(keys) == 1 else sv.TupV(tuple(keys))
            entries.append((c, key, self._eval(body, ctx.bind(env))))
        return sv.FunV(tuple(entries))

    @staticmethod
    def _pattern_value(intro, env: dict) -> Val:
        if intro.type == "identifier":
            return env[text(intro)]
        return sv.TupV(tuple(env[text(i)] for i in named(intro) if i.type == "identifier"))

    def _n_except(self, node, ctx):
        value = self._eval(node.child_by_field_name("expr_to_update"), ctx)
        for upd in [c for c in named(node) if c.type == "except_update"]:
            spec = [c for c in named(upd) if c.type == "except_update_specifier"][0]
            path: list[tuple[str, str | Val]] = []
            for step in named(spec):
                if step.type == "except_update_record_field":
                    path.append(("field", text(named(step)[-1])))
                elif step.type == "except_update_fn_appl":
                    args = [self._eval(a, ctx) for a in named(step)]
                    path.append(("key", args[0] if len(args) == 1 else sv.TupV(tuple(args))))
                else:
                    raise ctx.src.error(step, f"unsupported construct: {step.type}")
            new = upd.child_by_field_name("new_val")
            try:
                value = ops.except_update(value, path, lambda old: self._eval(new, Ctx(ctx.src, ctx.env, ctx.limit, old)))
            except Mismatch as e:
                raise ctx.src.error(upd, str(e)) from None
        return value

    def _n_prev_func_val(self, node, ctx):
        if ctx.at is None:
            raise ctx.src.error(node, "@ outside EXCEPT")
        return ctx.at

    # ------------------------------------------------------------------ CHOOSE (Min/Max idiom)
    def _n_choose(self, node, ctx):
        kind = minmax_idiom(node)
        if kind is None:
            raise ctx.src.error(node, "unsupported construct: CHOOSE (only the Min/Max idiom "
                                      "CHOOSE i \\in S : \\A j \\in S : j >= i, over integers, is supported)")
        s = self._eval(node.child_by_field_name("set"), ctx)
        return ops.minmax(s, smallest=(kind == "min"))

def _eq(a, b):
    return sv.BoolV(eqs.eq(a, b))


BINARY: dict[str, Callable[[Val, Val], Val]] = {
    "eq": _eq,
    "neq": lambda a, b: sv.BoolV(neg(eqs.eq(a, b))),
    "lt": lambda a, b: sv.compare("<", a, b),
    "leq": lambda a, b: sv.compare("<=", a, b),
    "gt": lambda a, b: sv.compare(">", a, b),
    "geq": lambda a, b: sv.compare(">=", a, b),
    "plus": lambda a, b: sv.arith("+", a, b),
    "minus": lambda a, b: sv.arith("-", a, b),
    "mul": lambda a, b: sv.arith("*", a, b),
    "div": lambda a, b: sv.arith("\\div", a, b),
    "mod": lambda a, b: sv.arith("%", a, b),
    "in": lambda a, b: sv.BoolV(eqs.member(a, b)),
    "notin": lambda a, b: sv.BoolV(neg(eqs.member(a, b))),
    "subseteq": lambda a, b: sv.BoolV(eqs.subseteq(a, b)),
    "supseteq": lambda a, b: sv.BoolV(eqs.subseteq(b, a)),
    "cup": ops.union,
    "cap": ops.intersect,
    "setminus": ops.difference,
    "dots_2": ops.int_range,
}
