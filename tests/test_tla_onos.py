"""The TLA+ front end on onos-config shapes: sequences of records holding partial functions,
constants that are strings, ``STRING``; each construct on concrete states with its expected
truth value, each refusal with its position; and every onos-config invariant against its
transcription (encodings/onos_config/lemmas.tla)."""

from __future__ import annotations

from pathlib import Path

import pytest
import z3

from smtspec.encodings.onos_config import SPEC as ONOS
from smtspec.scope import Scope
from smtspec.solving import Solver
from smtspec.sorts import Enum, IntRange, PartialFunction, Record, Sequence
from smtspec.system import StateVar, System
from smtspec.tla import TLAError, check_lemmas
from smtspec.tla.check import DIFFERENT, EQUIVALENT
from smtspec.tla.context import context_for
from smtspec.tla.names import Names
from smtspec.tla.parse import parse_expression
from smtspec.tla.translate import Translator
from smtspec.unroll import arbitrary, concrete
from smtspec.values import Fn, Rec, Seq

LEMMAS = Path(__file__).resolve().parents[1] / "encodings" / "onos_config" / "lemmas.tla"

# --------------------------------------------------------------------------- a toy state

NIL = "<nil>"
PATH = Enum("Path", ("path1", "path2"))
VALUE_NIL = Enum("Value∪{Nil}", ("value1", "value2", NIL), fallback=NIL)
KIND = Enum("Type", ("Change", "Rollback"))
STATE = Enum("Status", (NIL, "Pending", "Aborted"), fallback=NIL)
NODE_NIL = Enum("Node∪{Nil}", ("node1", NIL), fallback=NIL)
ENTRY = Record("Entry", (("index", IntRange(0, 3)), ("value", VALUE_NIL)))
VMAP = PartialFunction(PATH, ENTRY)
EVENT = Record("Event", (("type", KIND), ("state", STATE), ("index", IntRange(0, 3)), ("values", VMAP)))

TOY = System(
    spec="tla-onos-toy",
    scope=Scope.of(capacity=0),
    vars=(
        StateVar("log", Sequence(EVENT, 3)),
        StateVar("cfg", Record("Cfg", (("index", IntRange(0, 3)), ("values", VMAP)))),
        StateVar("master", NODE_NIL),
    ),
    actions=(),
    invariants=(),
    init=lambda v: z3.BoolVal(True),
)

STRINGS = {n: e for e in (PATH, VALUE_NIL, KIND, STATE, NODE_NIL) for n in e.names}
NAMES = Names(
    sets={"Path": PATH},
    strings=STRINGS,
    string_constants={"Nil": NIL, "Change": "Change", "Rollback": "Rollback", "Pending": "Pending",
                      "Aborted": "Aborted"},
)


def entry(index: int, value: str = "value1") -> Rec:
    return Rec(index=index, value=value)


def event(type_: str, index: int, state: str = NIL, values: dict | None = None) -> Rec:
    return Rec(type=type_, state=state, index=index, values=Fn(values or {}))


STATE1 = Rec(
    log=Seq((event("Change", 1, "Pending", {"path1": entry(1)}),
             event("Rollback", 1, NIL, {"path1": entry(0, NIL), "path2": entry(2, "value2")}))),
    cfg=Rec(index=1, values=Fn({"path2": entry(1, "value2")})),
    master=NIL,
)
EMPTY = Rec(log=Seq(()), cfg=Rec(index=0, values=Fn({})), master="node1")


def holds(text: str, state: Rec = STATE1, names: Names = NAMES) -> bool:
    """The truth value of a TLA+ formula at a concrete state (it must simplify to a literal)."""
    node, src = parse_expression(text)
    view = concrete(TOY, state).states[0].view()
    f = z3.simplify(Translator(TOY, view, names).formula(node, src))
    assert z3.is_true(f) or z3.is_false(f), f
    return z3.is_true(f)


def refused(text: str, names: Names = NAMES) -> TLAError:
    node, src = parse_expression(text)
    view = concrete(TOY, STATE1).states[0].view()
    with pytest.raises(TLAError) as e:
        Translator(TOY, view, names).formula(node, src)
    return e.value


# --------------------------------------------------------------------------- sequences of records


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Len(log) = 2", True),
        ("DOMAIN log = 1..Len(log)", True),
        ("DOMAIN log = {1, 2}", True),
        ("3 \\in DOMAIN log", False),
        ("\\A i \\in DOMAIN log : log[i].index = 1", True),
        ("\\A i \\in 1..Len(log) : log[i].type = Change", False),
        ("\\E i \\in DOMAIN log : log[i].type = Rollback /\\ i = 2", True),
        ("log[2].type = Rollback /\\ log[1].state = Pending", True),
        ("\\A i \\in DOMAIN log : \\A j \\in 1..(i - 1) : log[j].index <= log[i].index", True),
        ("\\E i \\in DOMAIN log : \\E j \\in (i + 1)..Len(log) : log[j].type = Change", False),
        ("LET h == log[Len(log)] IN h.type = Rollback", True),
    ],
)
def test_sequences_of_records_on_a_concrete_state(text, expected):
    assert holds(text) is expected


@pytest.mark.parametrize(
    "text",
    ["Len(log) = 0", "DOMAIN log = {}", "\\A i \\in DOMAIN log : FALSE", "~\\E i \\in 1..Len(log) : TRUE"],
)
def test_an_empty_sequence_has_an_empty_domain(text):
    assert holds(text, EMPTY)
    assert not holds(text)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("DOMAIN log[1].values = {\"path1\"}", True),
        ("DOMAIN log[2].values = Path", True),
        ("log[2].values[\"path2\"].index = 2 /\\ log[2].values[\"path2\"].value = \"value2\"", True),
        ("\\A i \\in DOMAIN log : \\A p \\in DOMAIN log[i].values : log[i].values[p].index <= i", True),
        ("\\A i \\in DOMAIN log : \\A p \\in DOMAIN log[i].values : log[i].values[p].index = i", False),
        ("\\E p \\in DOMAIN cfg.values : cfg.values[p].index = 1", True),
        ("~\\E p \\in DOMAIN cfg.values : cfg.values[p].index = 2", True),
        ("\\A p \\in DOMAIN log[1].values : p \\in DOMAIN cfg.values", False),
        ("\\A p \\in DOMAIN cfg.values : p \\in DOMAIN log[2].values /\\ "
         "log[2].values[p].value = cfg.values[p].value", True),
    ],
)
def test_functions_nested_in_records_of_a_sequence(text, expected):
    assert holds(text) is expected


def test_sequence_application_equals_the_slot_in_every_well_formed_state():
    # Application with a literal index reads the slot directly: exact because a slot past
    # Len holds the default, the value application outside the domain gives.
    u, wf = arbitrary(TOY, 0)
    view = u.states[0].view()
    n, slots = view["log"]
    node, src = parse_expression("\\A i \\in DOMAIN log : log[i].index >= 1")
    tla = Translator(TOY, view, NAMES).formula(node, src)
    hand = z3.And(*[z3.Implies(n >= k, e["index"] >= 1) for k, e in enumerate(slots, 1)])
    s = Solver()
    s.add(wf, tla != hand)
    assert s.check().status == "unsat"
    node, src = parse_expression("log[3].index = 0")
    outside = Translator(TOY, view, NAMES).formula(node, src)
    s = Solver()
    s.add(wf, n < 3, z3.Not(outside))  # outside the domain: the default entry
    assert s.check().status == "unsat"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("[log EXCEPT ![3].index = 2] = log", True),  # outside the domain: unchanged (TLA+)
        ("Len([log EXCEPT ![3].index = 2]) = 2", True),
        ("[log EXCEPT ![3].index = 2][3] = log[3]", True),
        ("[log EXCEPT ![2].index = 2][2].index = 2", True),
        ("[log EXCEPT ![2].index = 2] = log", False),
    ],
)
def test_except_on_a_sequence_leaves_entries_outside_its_domain(text, expected):
    assert holds(text) is expected


# --------------------------------------------------------------------------- strings


@pytest.mark.parametrize(
    "text, expected",
    [
        ("log[1].type = Change /\\ log[2].type # Change", True),
        ("log[2].state = Nil /\\ master = Nil", True),  # Nil of two sorts: the same string
        ("log[2].values[\"path1\"].value = Nil", True),
        ("Nil = \"<nil>\" /\\ Change = \"Change\"", True),
        ("Pending = Aborted", False),
        ("log[1].state \\in {Nil, Pending, Aborted}", True),
        ("log[1].state \\in {Nil, Aborted}", False),
        ("\\A i \\in DOMAIN log : \\A p \\in DOMAIN log[i].values : log[i].values[p].value # Nil => "
         "log[i].values[p].value \\in STRING", True),
        ("master \\in STRING /\\ log[1].type \\in STRING", True),
        ("master \\notin STRING", False),
    ],
)
def test_string_constants_and_STRING(text, expected):
    assert holds(text) is expected


def test_if_between_strings_of_two_sorts_keeps_each_name():
    u, wf = arbitrary(TOY, 0)
    view = u.states[0].view()
    first = view["log"][1][0]
    c = first["index"] > 1
    master, state, type_ = view["master"], first["state"], first["type"]
    for text, hand in [
        ("(IF log[1].index > 1 THEN Nil ELSE Pending) = Nil", c),
        ("(IF log[1].index > 1 THEN Nil ELSE Pending) = Pending", z3.Not(c)),
        ("(IF log[1].index > 1 THEN master ELSE log[1].state) = Nil",
         z3.If(c, master == NODE_NIL.const(NIL), state == STATE.const(NIL))),
        ("(IF log[1].index > 1 THEN master ELSE log[1].type) \\in {Change, \"node1\"}",
         z3.If(c, master == NODE_NIL.const("node1"), type_ == KIND.const("Change"))),
        ("(CASE log[1].index = 0 -> Aborted [] log[1].index = 1 -> Rollback [] OTHER -> Nil) = Rollback",
         first["index"] == 1),
    ]:
        node, src = parse_expression(text)
        tla = Translator(TOY, view, NAMES).formula(node, src)
        s = Solver()
        s.add(wf, tla != hand)
        assert s.check().status == "unsat", text


def test_STRING_is_refused_where_it_is_not_exact():
    e = refused("cfg.index \\in STRING")
    assert "STRING membership of an integer" in e.message and (e.line, e.column) == (1, 1)
    e = refused("\\A i \\in DOMAIN log :\n  log[i] \\in STRING")
    assert "STRING membership of a record" in e.message and (e.line, e.column) == (2, 3)
    # A model value the name table does not declare a string may be something else.
    without_nodes = Names(strings={n: e for n, e in STRINGS.items() if n != "node1"},
                          string_constants=NAMES.string_constants)
    e = refused("master \\in STRING", without_nodes)
    assert "may be node1, which is not a string" in e.message
    # A specification that declares no strings (ParallelRaft) has no STRING at all.
    e = refused("Len(log) = 2 /\\ master \\in STRING", Names())
    assert "STRING (this specification declares no strings)" in e.message and (e.line, e.column) == (1, 28)


def test_a_string_constant_must_name_a_string_of_the_table():
    with pytest.raises(ValueError, match="Nil"):
        Names(strings={"Change": KIND}, string_constants={"Nil": NIL, "Change": "Change"})
    with pytest.raises(ValueError, match="Pending"):
        Names(strings={"Change": KIND, "Pending": KIND})


@pytest.mark.parametrize(
    "text, construct, column",
    [
        ("Len(Append(log, log[1])) = 3", "Append (standard module operator)", 5),
        ("Head(log).index = 1", "Head (standard module operator)", 1),
        ("Len(Tail(log)) = 1", "Tail (standard module operator)", 5),
        ("Len(SubSeq(log, 1, 1)) = 1", "SubSeq (standard module operator)", 5),
        ("log \\in Seq(DOMAIN log)", "Seq (standard module operator)", 9),
        ("Len(log \\o log) = 4", "infix operator \\o", 9),
        ("Len(<<>> \\o log) = 2", "infix operator \\o", 10),
    ],
)
def test_sequence_operators_outside_the_fragment_are_refused(text, construct, column):
    e = refused(text)
    assert construct in e.message, e.message
    assert (e.line, e.column) == (1, column), str(e)


# --------------------------------------------------------------------------- onos-config


@pytest.mark.parametrize(
    "bounds",
    [{}, {"nodes": 2, "paths": 2, "values": 3, "transactions": 5, "terms": 3, "conns": 3, "starts": 3}],
    ids=["default", "larger"],
)
def test_every_onos_config_invariant_is_equivalent_to_its_transcription(bounds):
    results = check_lemmas(ONOS, ONOS.scope(bounds))  # about a second each
    assert [r.name for r in results] == list(ONOS.invariant_names)
    assert {r.name: r.status for r in results} == {n: EQUIVALENT for n in ONOS.invariant_names}


def _holds_in(system, state, encode) -> bool:
    view = concrete(system, state).states[0].view()
    return z3.is_true(z3.simplify(encode(view)))


@pytest.mark.parametrize(
    "old, new, name",
    [
        ("/\\ history[j].index >= h.index", "/\\ history[j].index > h.index", "Order1"),
        ("/\\ history[r].index = history[j].index", "/\\ history[r].index = h.index", "Order1"),
        ("proposal[j].change.state \\in {Nil, Pending, Aborted}", "proposal[j].change.state \\in {Nil, Pending}",
         "Order2"),
        ("Status == {Nil, Pending, InProgress, Complete, Failed}",
         "Status == {Nil, Pending, InProgress, Complete, Failed, Aborted}", "ProposalTypeOK"),
        ("/\\ transaction[i].type \\in {Change, Rollback}", "/\\ transaction[i].type \\in {Change}",
         "TransactionTypeOK"),
        ("configuration.committed.index < i \\/", "configuration.committed.index <= i \\/", "Consistency1"),
        ("/\\ ~\\E p \\in DOMAIN target.values : target.values[p].index = i", "/\\ TRUE", "Consistency2"),
        ("/\\ p \\in DOMAIN target.values\n", "", "Consistency3"),
        ("/\\ mastership.master # Nil => mastership.master \\in Node", "/\\ mastership.master \\in Node",
         "MastershipTypeOK"),
    ],
)
def test_an_altered_onos_transcription_is_reported_with_a_distinguishing_state(old, new, name):
    text = LEMMAS.read_text()
    assert text.count(old) == 1, old
    altered = text.replace(old, new)
    [res] = check_lemmas(ONOS, ONOS.scope(), source=altered, source_name="altered.tla", only=[name])
    assert res.status == DIFFERENT and res.hand is not res.tla
    # the state really tells them apart: evaluate both sides on it, concretely
    system = ONOS.build(ONOS.scope())
    ctx = context_for(system, altered, "altered.tla")
    assert _holds_in(system, res.state, system.invariant(name).encode) is res.hand
    assert _holds_in(system, res.state, lambda view: ctx.translator(view).definition(name)) is res.tla
