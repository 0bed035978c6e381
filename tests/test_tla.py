"""The TLA+ front end: each construct against a hand-built Z3 formula, each refusal with its
position, and every ParallelRaft invariant against its transcription (lemmas.tla)."""

from __future__ import annotations

from pathlib import Path

import pytest
import z3

from conftest import scaled
from smtspec.encodings.parallel_raft import SPEC as RAFT
from smtspec.engine import Options, prove
from smtspec.proofs import Helper, helper_invariants, with_invariants
from smtspec.scope import Scope
from smtspec.solving import Solver
from smtspec.sorts import BoolSort, Enum, Function, IntRange, PartialFunction, Record, Sequence, Subset, Tuple
from smtspec.system import StateVar, System
from smtspec.tla import TLAError, check_lemmas, tla_helper, tla_invariant
from smtspec.tla.check import DIFFERENT, EQUIVALENT
from smtspec.tla.context import context_for
from smtspec.tla.names import Names
from smtspec.tla.parse import parse_expression, parse_module
from smtspec.tla.translate import Translator
from smtspec.unroll import arbitrary, concrete

LEMMAS = Path(__file__).resolve().parents[1] / "encodings" / "parallel_raft" / "lemmas.tla"

# --------------------------------------------------------------------------- a toy state

SERVER = Enum("Server", ("s1", "s2"))
SERVER_NIL = Enum("Server∪{Nil}", ("s1", "s2", "Nil"), fallback="Nil")
X = IntRange(-2, 5)
REC = Record("R", (("a", IntRange(0, 3)), ("b", BoolSort())))
NAMES = Names(sets={"Server": SERVER}, model_values={"Nil": None})

TOY = System(
    spec="tla-toy",
    scope=Scope.of(capacity=2),
    vars=(
        StateVar("x", X),
        StateVar("y", X),
        StateVar("f", Function(SERVER, IntRange(0, 3))),
        StateVar("r", REC),
        StateVar("pf", PartialFunction(IntRange(0, 2), IntRange(0, 3))),
        StateVar("q", Subset(SERVER)),
        StateVar("v", SERVER_NIL),
        StateVar("t", Tuple((X, SERVER))),
        StateVar("sq", Sequence(IntRange(0, 3), 3)),
        StateVar("seen", REC, grow=True),
    ),
    actions=(),
    invariants=(),
    init=lambda v: z3.BoolVal(True),
)
U, WF = arbitrary(TOY, 2, tag="toy/")
V = U.states[0].view()

DEFS = """---- MODULE Defs ----
Min(s) == IF s = {} THEN -1 ELSE CHOOSE i \\in s : \\A j \\in s : j >= i
Max(s) == IF s = {} THEN -1 ELSE CHOOSE i \\in s : \\A j \\in s : i >= j
Double(a) == 2 * a
Pos == x > 0
===="""


def tla(text: str, defs: str = DEFS):
    node, src = parse_expression(text)
    return Translator(TOY, V, NAMES, parse_module(defs, "defs.tla").definitions).formula(node, src)


def valid(f) -> bool:
    s = Solver()
    s.add(WF, z3.Not(f))
    return s.check().status == "unsat"


def same(text: str, hand) -> bool:
    return valid(tla(text) == hand)


def refused(text: str, defs: str = DEFS) -> TLAError:
    with pytest.raises(TLAError) as e:
        tla(text, defs)
    return e.value


x, y, f, r, pf, q, v, t, sq, seen = (V[n] for n in ("x", "y", "f", "r", "pf", "q", "v", "t", "sq", "seen"))

# --------------------------------------------------------------------------- supported constructs


def test_state_variables_and_comparisons():
    assert same("x <= y", x <= y)
    assert same("x # y", x != y)
    assert same("x /= y", x != y)
    assert same("x > y", x > y)


def test_forall_and_exists_over_a_constant_set():
    assert same("\\A s \\in Server : f[s] >= x", z3.And(f[0] >= x, f[1] >= x))
    assert same("\\E s \\in Server : f[s] = 2", z3.Or(f[0] == 2, f[1] == 2))
    assert same("\\A s, u \\in Server : f[s] = f[u]", f[0] == f[1])


def test_quantifier_over_an_integer_range_with_a_symbolic_bound():
    assert same("\\A n \\in 0..x : n # 3", x < 3)
    assert same("\\E n \\in 1..3 : n = x", z3.And(x >= 1, x <= 3))
    assert same("x \\in y..3", z3.And(y <= x, x <= 3))


def test_quantifier_over_a_grow_only_set_uses_its_slots():
    hand = z3.Or(*[z3.And(p, e["a"] == x) for p, e in seen.slots])
    assert same("\\E e \\in seen : e.a = x", hand)
    hand = z3.And(*[z3.Implies(z3.And(p, p2, e["a"] == e2["a"]), REC.eq(e, e2))
                    for p, e in seen.slots for p2, e2 in seen.slots])
    assert same("\\A e1, e2 \\in seen : e1.a = e2.a => e1 = e2", hand)


def test_set_builder_and_map_with_equality_by_mutual_inclusion():
    assert valid(tla("{n \\in 0..3 : n < x} = {n \\in 0..3 : n <= x - 1}"))
    assert same("{n \\in 0..3 : n < x} = {}", x <= 0)
    assert valid(tla("{e.a : e \\in seen} \\subseteq 0..3"))
    assert valid(tla("{n % 2 : n \\in 0..3} = {0, 1}"))
    assert valid(tla("{x, x} = {x} /\\ {1, 2} = {2, 1, 1}"))
    assert same("{s \\in Server : f[s] > 0} = Server", z3.And(f[0] > 0, f[1] > 0))


def test_records_and_field_access():
    assert same("r.a = 1 /\\ r.b", z3.And(r["a"] == 1, r["b"]))
    assert valid(tla("[a |-> r.a, b |-> r.b] = r"))
    assert valid(tla("~([a |-> 1] = r)"))  # different fields: different records


def test_tuples_and_projection():
    assert same("t[1] = x", t[0] == x)
    assert valid(tla("<<x, 1>>[2] = 1 /\\ <<x, 1>> = <<x, 1>> /\\ <<1>> # <<1, 1>>"))
    assert valid(tla("t[2] \\in Server"))
    assert same("\\E n \\in 1..2 : <<x, y>>[n] = 0", z3.Or(x == 0, y == 0))


def test_function_application_domain_and_partial_functions():
    assert valid(tla("DOMAIN f = Server"))
    assert same("1 \\in DOMAIN pf", pf[1][0])
    assert same("pf[1] = 2", z3.And(pf[1][0], pf[1][1] == 2))
    assert same("\\A n \\in DOMAIN pf : pf[n] > 0", z3.And(*[z3.Implies(p, e > 0) for p, e in pf]))
    assert valid(tla("[n \\in 0..2 |-> n * n][2] = 4"))
    assert valid(tla("DOMAIN [s \\in Server |-> 0] = Server"))


def test_sequences_are_functions_over_one_to_len():
    n, slots = sq
    assert same("Len(sq) = x", n == x)
    assert same("\\A k \\in DOMAIN sq : sq[k] > 0", z3.And(*[z3.Implies(n >= k, e > 0) for k, e in enumerate(slots, 1)]))
    assert valid(tla("DOMAIN sq = 1..Len(sq) /\\ Len(<<1, 2>>) = 2"))
    assert same("sq = <<2>>", z3.And(n == 1, slots[0] == 2))
    assert "Len of a function that is not a sequence" in refused("Len(f) = 2").message
    assert "Append (standard module operator)" in refused("Len(Append(sq, 1)) = 2").message


def test_except_on_functions_records_and_at():
    assert valid(tla("\\A s \\in Server : [f EXCEPT ![s] = 0][s] = 0"))
    assert valid(tla("\\A s, u \\in Server : s # u => [f EXCEPT ![s] = @ + 1][u] = f[u]"))
    assert valid(tla("\\A s \\in Server : [f EXCEPT ![s] = @ + 1][s] = f[s] + 1"))
    assert valid(tla("[r EXCEPT !.a = 3].a = 3 /\\ [r EXCEPT !.a = 3].b = r.b"))
    assert valid(tla("[<<x, y>> EXCEPT ![2] = 7] = <<x, 7>>"))


def test_set_operators_and_cardinality():
    assert same("x \\in {1, 2} \\cup {3}", z3.And(x >= 1, x <= 3))
    assert same("x \\in (0..4) \\cap (3..5)", z3.And(x >= 3, x <= 4))
    assert same("x \\in (0..4) \\ {2}", z3.And(x >= 0, x <= 4, x != 2))
    assert same("x \\notin {1, 2}", z3.And(x != 1, x != 2))
    assert valid(tla("UNION {{1}, {x}} = {1, x}"))
    assert same("Cardinality({x, 1}) = 2", x != 1)
    assert same("Cardinality(q) = 2", z3.And(q[0], q[1]))
    assert same("{x} \\subseteq {1, 2}", z3.Or(x == 1, x == 2))
    assert valid(tla("Cardinality({1, 2} \\X {3, 4}) = 4"))


def test_arithmetic_is_exact_and_never_wraps():
    assert same("x * 50 * 50 > 0", x > 0)  # 12500 does not fit in 8 bits
    assert valid(tla("(x - y) + y = x"))
    assert valid(tla("(x \\div 2) * 2 + x % 2 = x"))
    assert valid(tla("(-3) \\div 2 = -2 /\\ (-3) % 2 = 1 /\\ -x = 0 - x"))
    assert valid(tla("x % 3 \\in 0..2"))


def test_if_case_and_let():
    assert valid(tla("(IF x > 0 THEN x ELSE -x) >= 0"))
    sign = z3.If(x > 0, z3.BitVecVal(1, 8), z3.If(x < 0, z3.BitVecVal(-1, 8), z3.BitVecVal(0, 8)))
    assert same("(CASE x > 0 -> 1 [] x < 0 -> -1 [] OTHER -> 0) = y", sign == y)
    assert valid(tla("LET d(a) == a * 2 IN d(x) = x + x"))
    assert valid(tla("LET z == x + 1\n    w == z + 1\nIN w = x + 2"))


def test_boolean_connectives_and_bulleted_lists():
    assert valid(tla("x > 0 => x >= 1"))
    assert valid(tla("(x > 0) <=> (0 < x)"))
    assert same("~(x = 1)", x != 1)
    text = "/\\ x > 0\n/\\ \\/ y = 1\n   \\/ y = 2"
    assert same(text, z3.And(x > 0, z3.Or(y == 1, y == 2)))
    assert same("\\/ x = 1\n\\/ /\\ y = 1\n   /\\ x = 2", z3.Or(x == 1, z3.And(y == 1, x == 2)))


def test_operators_defined_earlier_and_min_max():
    assert same("Pos", x > 0)
    assert valid(tla("Double(x) = x + x"))
    assert valid(tla("Min({x, y}) = (IF x <= y THEN x ELSE y)"))
    assert valid(tla("Max({x, y, 0}) >= 0 /\\ Max({}) = -1 /\\ Min({}) = -1"))
    hand = z3.If(x >= 3, z3.BitVecVal(-1, 8), z3.If(x < 0, z3.BitVecVal(0, 8), x + 1))
    assert same("Min({n \\in 0..3 : n > x}) = y", hand == y)
    assert same("Max({e.a : e \\in seen}) = -1", z3.Not(z3.Or(*[p for p, _ in seen.slots])))


def test_sets_tested_only_for_membership():
    assert valid(tla("f \\in [Server -> Nat]"))
    assert same("f \\in [Server -> 1..3]", z3.And(f[0] >= 1, f[1] >= 1))
    assert same("r \\in [a : 0..1, b : BOOLEAN]", r["a"] <= 1)
    assert valid(tla("~(r \\in [a : Nat])"))
    assert valid(tla("q \\in SUBSET Server"))
    assert valid(tla("t \\in Int \\X Server"))
    assert same("<<x, x>> \\in Nat \\X Nat", x >= 0)
    assert same("x \\in Nat", x >= 0)
    assert same("x \\in Nat \\cup {-1}", x >= -1)
    assert same("q \\in {p \\in SUBSET Server : Cardinality(p) * 2 > 2}", z3.And(q[0], q[1]))


def test_model_values_compare_by_name_across_sets():
    assert same("v = Nil", v == 2)
    assert same("v \\in Server", v < 2)
    assert valid(tla("v # Nil => v \\in Server"))


# --------------------------------------------------------------------------- refusals


@pytest.mark.parametrize(
    "text, construct, line, column",
    [
        ("\\E S \\in SUBSET Server : TRUE", "SUBSET", 1, 10),
        ("CHOOSE s \\in Server : TRUE", "CHOOSE", 1, 1),
        ("x = CHOOSE n \\in 0..3 : \\A m \\in 0..3 : m > n", "CHOOSE", 1, 5),
        ("[](x > 0)", "[] (always)", 1, 1),
        ("<>(x > 0)", "<> (eventually)", 1, 1),
        ("ENABLED (x > 0)", "ENABLED", 1, 1),
        ("x' = x", "primed variable", 1, 1),
        ("UNCHANGED x", "UNCHANGED", 1, 1),
        ("\\A p \\in Nat \\X Nat : TRUE", "\\X", 1, 10),
        ("x = 1 /\\ zz > 0", "unknown identifier zz", 1, 10),
        ('x = "abc"', "string literal", 1, 5),
        ("\\A s : f[s] > 0", "unbounded quantifier", 1, 1),
        ("\\AA s : TRUE", "temporal quantifier", 1, 1),
        ("x \\o y = x", "\\o", 1, 3),
        ("Double(LAMBDA a : a) = 1", "LAMBDA", 1, 8),
        ("x = Nil", "cannot compare an integer with a model value", 1, 1),
        ("x = 1 \\/ y = 1 /\\ x = 2", "mixed without parentheses", 1, 1),
        ("WF_x(Pos)", "fairness", 1, 1),
        ("[Pos]_x", "action expression", 1, 1),
        ("\\A s \\in Server :\n  /\\ f[s] > 0\n  /\\ f[s]' > 0", "primed variable", 3, 6),
        ("{n \\in Nat : n < 3} = {}", "not enumerated", 1, 1),
        ("Cardinality(Nat) = 0", "Nat is not enumerated", 1, 1),
    ],
)
def test_unsupported_constructs_are_refused_with_their_position(text, construct, line, column):
    e = refused(text)
    assert construct in e.message, e.message
    assert (e.line, e.column) == (line, column), str(e)


def test_recursive_operators_are_refused():
    defs = "---- MODULE R ----\nF(n) == IF n = 0 THEN 0 ELSE F(n - 1)\n===="
    e = refused("F(2) = 0", defs)
    # reported at the call in the user's text, with the place inside the definition
    assert "recursive operator F" in e.message and "inside F, at defs.tla:2:30" in e.message
    assert (e.line, e.column) == (1, 1)
    e = refused("LET g(n) == g(n) IN g(1) = 1")
    assert "recursive operator g" in e.message
    with pytest.raises(TLAError) as err:
        parse_module("---- MODULE R ----\nRECURSIVE F(_)\nF(n) == F(n)\n====")
    assert "RECURSIVE" in err.value.message and (err.value.line, err.value.column) == (2, 1)


def test_operators_must_be_defined_before_use():
    defs = "---- MODULE R ----\nA == B\nB == TRUE\n===="
    e = refused("A", defs)
    assert "B is used before its definition (inside A, at defs.tla:2:6)" in e.message


def test_syntax_errors_have_positions():
    with pytest.raises(TLAError) as e:
        parse_expression("\\A i \\in Server :\n  x[i] + ")
    assert e.value.line == 2 and "syntax error" in e.value.message
    with pytest.raises(TLAError) as e:
        parse_expression("{1, 2 : x}")
    assert (e.value.line, e.value.column) == (1, 7)


# --------------------------------------------------------------------------- ParallelRaft

SMALL = RAFT.scope({"servers": 2, "terms": 2, "indexes": 2, "values": 1, "capacity": 2})


def test_every_parallel_raft_invariant_is_equivalent_to_its_transcription():
    results = check_lemmas(RAFT, RAFT.scope())  # the default scope: a few seconds
    assert [r.name for r in results] == list(RAFT.invariant_names)
    assert {r.name: r.status for r in results} == {n: EQUIVALENT for n in RAFT.invariant_names}


@pytest.mark.slow
def test_parallel_raft_transcription_at_a_larger_scope():
    n = scaled(3, 4)
    scope = RAFT.scope({"servers": n, "terms": n, "indexes": n, "values": 2, "capacity": scaled(3, 5)})
    results = check_lemmas(RAFT, scope)
    assert [r for r in results if not r.equivalent] == []


def _holds_in(system, state, encode) -> bool:
    view = concrete(system, state).states[0].view()
    return z3.is_true(z3.simplify(encode(view)))


def test_an_altered_transcription_is_reported_with_a_distinguishing_state():
    text = LEMMAS.read_text()
    altered = text.replace("sync[i] <= currentTerm[i]", "sync[i] < currentTerm[i]", 1)
    assert altered != text
    results = {r.name: r for r in check_lemmas(RAFT, SMALL, source=altered, source_name="altered.tla")}
    bad = results["Lemma1"]
    assert bad.status == DIFFERENT and bad.hand is True and bad.tla is False
    assert any(bad.state["sync"][s] == bad.state["currentTerm"][s] for s in bad.state["sync"])
    # the state really tells them apart: evaluate both on it, concretely
    system = RAFT.build(SMALL)
    ctx = context_for(system, altered, "altered.tla")
    assert _holds_in(system, bad.state, system.invariant("Lemma1").encode)
    assert not _holds_in(system, bad.state, lambda view: ctx.translator(view).definition("Lemma1"))
    assert all(r.equivalent for n, r in results.items() if n != "Lemma1")


def test_altered_type_safety_and_sync_completeness_are_caught():
    text = LEMMAS.read_text()
    for old, new, name in [
        ("evotes : Quorums, elog", "evotes : SUBSET Server, elog", "TypeSafety"),
        ("e[2].term < Min({sync[i], sync[j]})} =", "e[2].term <= Min({sync[i], sync[j]})} =", "syncCompleteness"),
        ("e.esync < e.eterm", "e.esync <= e.eterm", "Lemma7"),
    ]:
        assert old in text
        results = check_lemmas(RAFT, SMALL, source=text.replace(old, new, 1), only=[name])
        assert [r.status for r in results] == [DIFFERENT], (name, results)


def test_a_transcription_outside_the_fragment_is_an_error_not_a_verdict():
    text = LEMMAS.read_text().replace("Lemma7 == \\A e \\in halfElections : e.esync < e.eterm",
                                      "Lemma7 == \\A e \\in halfElections : e.esync' < e.eterm")
    [res] = check_lemmas(RAFT, SMALL, source=text, only=["Lemma7"])
    assert res.status == "error" and "primed variable" in res.message


@pytest.mark.parametrize(
    "conjunct, why",
    [
        ("allLogs \\in SUBSET (SUBSET allEntries)", "expected a set, got a function"),
        ("endPoint \\in [Server -> [Term -> [date : Nat \\cup {-1}, index : Nat \\cup {-1}]]]", "expected a record, got a tuple"),
    ],
)
def test_the_seeds_literal_type_safety_conjuncts_are_refused_not_guessed(conjunct, why):
    # lemmas.tla reads these two as invariants.py does; written as the seed does, they
    # compare a log (a function) with sets and an end point (a pair) with records.
    with pytest.raises(TLAError) as e:
        tla_invariant(RAFT.build(SMALL), conjunct, "Literal")
    assert why in e.value.message


def test_messages_fields_and_message_types():
    system = RAFT.build(SMALL)
    inv = tla_invariant(system, "\\A m \\in messages : m.mtype = UpdateSyncRequest => m.msync <= m.mterm", "U")
    u, wf = arbitrary(system, 2)
    view = u.states[0].view()
    msg = system.context.message
    hand = view.messages.forall(lambda m: z3.Implies(msg.is_kind(m, "UpdateSyncRequest"), m["msync"] <= m["mterm"]))
    s = Solver()
    s.add(wf, inv.encode(view) != hand)
    assert s.check().status == "unsat"
    never = tla_invariant(system, "\\A m \\in messages : m.mtype # RequestCommitRequest", "NoCommit")
    assert z3.is_true(z3.simplify(never.encode(view)))
    with pytest.raises(TLAError) as e:
        tla_invariant(system, "\\A m \\in messages : m.mend = 0", "E")
    assert "different types" in e.value.message and (e.value.line, e.value.column) == (1, 21)


def test_tla_invariant_uses_the_lemma_definitions_and_names_conjuncts():
    system = RAFT.build(SMALL)
    inv = tla_invariant(system, "/\\ \\A i \\in Server : sync[i] <= currentTerm[i]\n/\\ Lemma7", "Both")
    assert [c for c, _ in inv.conjuncts] == ["\\A i \\in Server : sync[i] <= currentTerm[i]", "Lemma7"]
    u, wf = arbitrary(system, 2)
    view = u.states[0].view()
    hand = z3.And(system.invariant("Lemma1").encode(view), system.invariant("Lemma7").encode(view))
    s = Solver()
    s.add(wf, inv.encode(view) != hand)
    assert s.check().status == "unsat"
    with pytest.raises(TLAError) as e:
        tla_invariant(system, "\\A i \\in Server :\n  logTail(log[i]) <= Max(SUBSET Server)", "Bad")
    assert (e.value.line, e.value.column) == (2, 22) and "SUBSET" in e.value.message
    assert "inside Max, at lemmas.tla:" in e.value.message


def test_a_spec_without_a_name_table_still_reads_its_variables():
    import toy_spec

    system = toy_spec.build()
    inv = tla_invariant(system, "\\A s \\in seen : s < x", "SeenBelowX")
    u, wf = arbitrary(system, 2)
    view = u.states[0].view()
    s = Solver()
    s.add(wf, inv.encode(view) != system.invariant("SeenBelowX").encode(view))
    assert s.check().status == "unsat"
    with pytest.raises(TLAError) as e:
        tla_invariant(system, "x \\in Server", "E")
    assert "unknown identifier Server" in e.value.message


def test_tla_helper_proves_lemma1_in_place_of_a_template_helper():
    system = RAFT.build(RAFT.scope())
    helper = Helper("UpdateSyncMsyncAtMostMterm", "an UpdateSyncRequest whose msync is above its mterm",
                    tla="\\A m \\in messages : m.mtype = UpdateSyncRequest => m.msync <= m.mterm")
    system = with_invariants(system, helper_invariants((helper,), system, None, tla=tla_helper))
    results = prove(system, ["Lemma1", helper.name], 1, opts=Options(timeout=120))
    assert results["Lemma1"].verdict.value == "proved", results["Lemma1"]
