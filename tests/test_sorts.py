"""Sorts: concrete values survive const/decode, canonical forms make equality exact."""

from __future__ import annotations

import pytest
import z3
from hypothesis import given, settings
from hypothesis import strategies as st

from smtspec.sorts import BoolSort, BoundedSet, Enum, Function, IntRange, NilOr, PairSet, PartialFunction, Record, Subset, Tuple, Union, ival
from smtspec.values import Fn, Rec

SERVER = Enum("Server", ("s1", "s2", "s3"))
SERVER_NIL = Enum("Server∪{Nil}", ("s1", "s2", "s3", "Nil"), fallback="Nil")
IDX = IntRange(0, 2)
ENTRY = Record("Entry", (("term", IntRange(-1, 3)), ("ok", BoolSort())))
MSG = Union(
    "Msg",
    "mtype",
    (
        Record("Ping", (("mterm", IntRange(0, 3)), ("mdest", SERVER_NIL))),
        Record("Pong", (("mterm", IntRange(0, 3)), ("mend", Tuple((IntRange(-1, 3), IDX))), ("mdest", Subset(SERVER)))),
        Record("Data", (("mend", IDX), ("mlog", PairSet(IDX, ENTRY)))),
    ),
)


def roundtrip(sort, value):
    s = z3.Solver()
    x = sort.fresh("x")
    s.add(sort.wellformed(x), sort.eq(x, sort.const(value)))
    assert s.check() == z3.sat
    m = s.model()
    return sort.decode(lambda t: m.eval(t, model_completion=True), x)


entries = st.builds(lambda t, ok: Rec(term=t, ok=ok), st.integers(-1, 3), st.booleans())
pairsets = st.dictionaries(st.integers(0, 2), entries).map(lambda d: frozenset(d.items()))


@given(pairsets)
@settings(max_examples=40, deadline=None)
def test_pair_set_round_trips(value):
    assert roundtrip(PairSet(IDX, ENTRY), value) == value


@given(st.sampled_from(["Ping", "Pong", "Data"]), st.integers(0, 3), pairsets)
@settings(max_examples=40, deadline=None)
def test_union_round_trips_each_kind_with_its_own_fields(kind, t, log):
    value = {
        "Ping": Rec(mtype="Ping", mterm=t, mdest="Nil"),
        "Pong": Rec(mtype="Pong", mterm=t, mend=(t - 1, 2), mdest=frozenset({"s1", "s3"})),
        "Data": Rec(mtype="Data", mend=1, mlog=log),
    }[kind]
    assert roundtrip(MSG, value) == value


def test_union_shares_a_field_slot_only_between_kinds_of_the_same_sort():
    assert sorted(MSG.slot_names.values()) == ["mdest:0", "mdest:1", "mend:0", "mend:1", "mlog", "mterm"]


def test_equal_leaves_means_equal_values_for_wellformed_pair_sets():
    ps = PairSet(IDX, ENTRY)
    a, b = ps.fresh("a"), ps.fresh("b")
    s = z3.Solver()
    # same set of pairs but different leaves is impossible in canonical form
    s.add(ps.wellformed(a), ps.wellformed(b))
    s.add(*[p == q for (p, _), (q, _) in zip(a, b)])
    s.add(*[z3.Implies(p, ENTRY.eq(x, y)) for (p, x), (q, y) in zip(a, b)])
    s.add(z3.Not(ps.eq(a, b)))
    assert s.check() == z3.unsat


def test_bounded_sets_with_different_slot_orders_are_equal():
    bs = BoundedSet(IDX, 2)
    a = ((z3.BoolVal(True), ival(1)), (z3.BoolVal(True), ival(2)))
    b = ((z3.BoolVal(True), ival(2)), (z3.BoolVal(True), ival(1)))
    assert z3.is_true(z3.simplify(bs.eq(a, b)))


def test_select_and_store_at_a_symbolic_key_follow_tla_semantics():
    f = Function(SERVER, IntRange(0, 9))
    v = f.const(Fn({"s1": 1, "s2": 2, "s3": 3}))
    k = SERVER.fresh("k")
    s = z3.Solver()
    s.add(k == SERVER.const("s2"))
    s.add(f.select(v, k) != 2)
    assert s.check() == z3.unsat
    stored = f.store(v, k, ival(7))
    s2 = z3.Solver()
    s2.add(k == SERVER.const("s3"), z3.Not(f.eq(stored, f.const(Fn({"s1": 1, "s2": 2, "s3": 7})))))
    assert s2.check() == z3.unsat


def test_const_rejects_values_outside_the_sort():
    with pytest.raises(ValueError):
        IntRange(0, 2).const(3)
    with pytest.raises(ValueError):
        SERVER.const("s9")
    with pytest.raises(ValueError):
        MSG.const(Rec(mtype="Ping", mterm=1))


def test_nil_or_partial_function_decodes_nil_and_functions():
    sort = NilOr(PartialFunction(IDX, ENTRY))
    assert roundtrip(sort, "Nil") == "Nil"
    fn = Fn({1: Rec(term=2, ok=True), 2: Rec(term=2, ok=False)})
    assert roundtrip(sort, fn) == fn


def test_itf_forms_follow_tla_types():
    assert Subset(SERVER).to_itf(frozenset({"s2"})) == {"#set": ["s2"]}
    assert Tuple((IDX, IDX)).to_itf((1, 2)) == {"#tup": [1, 2]}
    assert PairSet(IDX, ENTRY).from_itf({"#set": [{"#tup": [0, {"term": 1, "ok": True}]}]}) == frozenset({(0, Rec(term=1, ok=True))})


def test_sequence_round_trips_and_appends_at_the_end():
    from smtspec.sorts import Sequence
    from smtspec.values import Seq

    sq = Sequence(IDX, 3)
    assert roundtrip(sq, Seq((2, 0))) == (2, 0)
    v = sq.const((2, 0))
    s = z3.Solver()
    s.add(z3.Not(sq.eq(sq.append(v, ival(1)), sq.const((2, 0, 1)))))
    assert s.check() == z3.unsat
    full = sq.const((1, 1, 1))
    assert z3.is_false(z3.simplify(sq.wellformed(sq.append(full, ival(0)))))
    i = z3.BitVec("i", 8)
    s2 = z3.Solver()
    s2.add(i == 2, sq.at(v, i) != 0)
    assert s2.check() == z3.unsat
    assert sq.to_itf(Seq((2, 0))) == [2, 0]
