"""Traces shared with other ITF tools (Apalache, Quint, itf-py), in both directions.

- smtspec reads an ITF trace another tool wrote: the spec and scope come from the caller
  or from the trace's ``params``; a step naming no action is labelled with the action
  instance of Next that links its two states, and the replay re-checks it like any other.
- A trace no action explains, or one whose values only Python finds equal to the spec's
  (``true`` for ``1``), does not replay: a replay is ok only for a behaviour of the spec.
- smtspec writes ADR-015 traces: ``#meta.description`` says what the trace shows and
  ``params`` names the scope bounds, set in the first state; itf-py reads them.
- Traces smtspec wrote before (no description, no params) still read and replay.
"""

from __future__ import annotations

import json
from collections import namedtuple
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

import itf_py
import pytest
from itf_py.itf import ImmutableDict

from smtspec import label, registry
from smtspec import trace as traces
from smtspec.replay import replay
from smtspec.scope import Scope
from smtspec.trace import Step, TraceError
from smtspec.values import Fn, Rec, Seq

RAFT = registry.get("parallel-raft")
INTERP = RAFT.interpreter()
RECORDED_DIR = Path(__file__).resolve().parents[1] / "proofs" / "parallel-raft"
LEMMA9 = RECORDED_DIR / "Lemma9.cex.itf.json"  # 29 steps at servers=2, terms=2, indexes=1, values=1


@pytest.fixture(scope="module")
def behaviour():
    """A real behaviour of parallel-raft: the recorded counterexample to Lemma9."""
    if not LEMMA9.is_file():
        pytest.skip("proofs/parallel-raft/Lemma9.cex.itf.json is not recorded")
    return traces.read(LEMMA9)


# ------------------------------------------------------------------ writing with itf-py


def to_itf_py(v):
    """An smtspec value as itf-py's Python objects: records are namedtuples, maps its frozen dicts."""
    if isinstance(v, Rec):
        return namedtuple("Rec", list(v))(**{k: to_itf_py(x) for k, x in v.items()})
    if isinstance(v, Fn):
        return ImmutableDict({to_itf_py(k): to_itf_py(x) for k, x in v.items()})
    if isinstance(v, Seq):
        return [to_itf_py(x) for x in v]
    if isinstance(v, tuple):
        return tuple(to_itf_py(x) for x in v)
    if isinstance(v, frozenset):
        return frozenset(to_itf_py(x) for x in v)
    return v


def write_with_itf_py(path: Path, tr, params: dict | None = None, extra_vars: dict | None = None) -> Path:
    """``tr``'s states (and nothing else smtspec writes) as itf-py writes a trace."""
    params = params or {}
    extra_vars = extra_vars or {}
    states = []
    for n, st in enumerate(tr.states):
        values = {**(params if n == 0 else {}), **{v: to_itf_py(st[v]) for v in tr.vars}}
        values.update({k: vals[n] for k, vals in extra_vars.items()})
        states.append(itf_py.State(meta={"index": n}, values=values))
    doc = itf_py.trace_to_json(itf_py.Trace(meta={"source": "ParallelRaft.tla", "description": "written by itf-py"},
                                            params=list(params), vars=list(tr.vars) + list(extra_vars),
                                            states=states, loop=None))
    path.write_text(json.dumps(doc))
    return path


def raft_scope(tr) -> Scope:
    return RAFT.scope(tr.scope.as_dict())


# ------------------------------------------------------------------ (a) unlabelled steps are labelled


def test_a_behaviour_itf_py_wrote_without_labels_replays_with_its_actions_found(tmp_path, behaviour):
    path = write_with_itf_py(tmp_path / "raft.itf.json", behaviour)
    assert "action" not in json.dumps(json.loads(path.read_text()))  # no label of any kind is left

    tr = traces.read(path, spec="parallel-raft", scope=behaviour.scope.as_dict())
    assert tr.spec == "parallel-raft" and tr.kind == "counterexample"
    assert tr.states == behaviour.states and all(st.action is None for st in tr.steps)

    rep = replay(tr, INTERP, raft_scope(tr))
    assert rep.ok, rep.problems
    assert rep.checked_steps == behaviour.length == 29
    assert rep.labelled == list(range(1, 30)) and rep.notes == []
    # every step of this behaviour has one explanation, and it is the recorded one
    assert rep.trace.steps == behaviour.steps


def test_the_scope_of_a_foreign_trace_comes_from_its_params(tmp_path, behaviour):
    path = write_with_itf_py(tmp_path / "raft.itf.json", behaviour, params=behaviour.scope.as_dict())
    tr = traces.read(path, spec="parallel-raft")
    assert tr.scope == behaviour.scope
    assert replay(tr, INTERP, raft_scope(tr)).ok


def test_several_instances_linking_two_states_take_the_first_in_the_interpreters_order_and_say_so():
    # Left and Right both set x to 1: the states cannot tell them apart
    twins = SimpleNamespace(
        initial_state=lambda scope: Rec(x=0),
        instances=lambda s, scope: iter([("Left", Rec(), Rec(x=1)), ("Right", Rec(), Rec(x=1))] if s["x"] == 0 else []),
        INVARIANTS={},
    )
    tr = traces.from_itf({"vars": ["x"], "states": [{"x": 0}, {"x": 1}]}, spec="twins")
    rep = replay(tr, twins, Scope.of())
    assert rep.ok and rep.trace.steps == (Step("Left", Rec()),)
    assert rep.notes == ["step 1: 2 action instances link state 0 to state 1 (Left(), Right()); took the first"]


def test_quint_and_apalache_labels_are_read_and_checked(tmp_path, behaviour):
    some = namedtuple("Some", ["value"])
    some._itf_variant = True  # itf-py writes it as {"tag": "Some", "value": ...}
    actions = ["init"] + [st.action for st in behaviour.steps]
    picks = [namedtuple("Picks", [])()] + [
        namedtuple("Picks", list(st.params))(**{k: some(to_itf_py(v)) for k, v in st.params.items()})
        for st in behaviour.steps]
    path = write_with_itf_py(tmp_path / "quint.itf.json", behaviour,
                             extra_vars={"mbt::actionTaken": actions, "mbt::nondetPicks": picks})
    tr = traces.read(path, spec="parallel-raft", scope=behaviour.scope.as_dict())
    assert tr.vars == behaviour.vars and tr.steps == behaviour.steps
    assert replay(tr, INTERP, raft_scope(tr)).ok

    # a label is a claim to check, not a fact: a wrong one does not replay
    doc = json.loads(path.read_text())
    doc["states"][1]["mbt::actionTaken"] = "Restart"
    wrong = traces.from_itf(doc, spec="parallel-raft", scope=behaviour.scope.as_dict())
    rep = replay(wrong, INTERP, raft_scope(wrong))
    assert not rep.ok and rep.problems == ["step 1: state 1 is not a successor of state 0 by Restart"]


# ------------------------------------------------------------------ (b) what no action explains is rejected


def test_a_foreign_trace_with_a_step_no_action_explains_is_rejected_with_one_line(tmp_path, behaviour):
    skipped = replace(behaviour, states=behaviour.states[:10] + behaviour.states[12:], steps=behaviour.steps[:-2])
    path = write_with_itf_py(tmp_path / "jump.itf.json", skipped)
    tr = traces.read(path, spec="parallel-raft", scope=behaviour.scope.as_dict())
    rep = replay(tr, INTERP, raft_scope(tr))
    assert not rep.ok
    assert rep.problems == ["step 10: no action of Next links state 9 to state 10"]
    assert rep.checked_steps == 9


def test_true_is_not_one_even_where_python_says_it_is(tmp_path, behaviour):
    path = write_with_itf_py(tmp_path / "raft.itf.json", behaviour)
    doc = json.loads(path.read_text())
    assert doc["states"][1]["currentTerm"] == {"#map": [["s1", {"#bigint": "0"}], ["s2", {"#bigint": "1"}]]}
    doc["states"][1]["currentTerm"]["#map"][1][1] = True
    tr = traces.from_itf(doc, spec="parallel-raft", scope=behaviour.scope.as_dict())
    assert tr.states[1] == behaviour.states[1]  # Python's == cannot tell them apart
    rep = replay(tr, INTERP, raft_scope(tr))
    assert not rep.ok and rep.problems == ["step 1: no action of Next links state 0 to state 1"]


def test_a_foreign_trace_with_other_variables_does_not_replay(tmp_path, behaviour):
    path = write_with_itf_py(tmp_path / "raft.itf.json", behaviour, extra_vars={"clock": list(range(30))})
    tr = traces.read(path, spec="parallel-raft", scope=behaviour.scope.as_dict())
    rep = replay(tr, INTERP, raft_scope(tr))
    assert not rep.ok and rep.problems == ["the trace's variables are not the spec's: it has clock, not variables of the spec"]


@pytest.mark.parametrize(
    "doc,spec,scope,msg",
    [
        ({"vars": ["x"], "states": [{"x": 0}]}, None, None, "lacks 'spec'"),
        ({"#meta": {"spec": "toy"}, "vars": ["x"], "states": [{"x": 0}]}, "parallel-raft", None,
         "the trace is of spec toy, not parallel-raft"),
        ({"params": ["servers"], "vars": ["x"], "states": [{"servers": 2, "x": 0}]}, "parallel-raft", {"servers": 3},
         "the trace has servers=2, but the scope given has servers=3"),
        ({"params": ["servers"], "vars": ["x"], "states": [{"x": 0}]}, "parallel-raft", None,
         "state 0 lacks the parameter"),
        ({"vars": ["x"], "states": [{"x": 0}, {"x": {"#map": [[1]]}}]}, "parallel-raft", None, "state 1 x: #map entries"),
    ],
)
def test_a_malformed_foreign_trace_is_refused_in_one_line_naming_the_file(tmp_path, doc, spec, scope, msg):
    path = tmp_path / "bad.itf.json"
    path.write_text(json.dumps(doc))
    with pytest.raises(TraceError, match=msg) as e:
        traces.read(path, spec=spec, scope=scope)
    text = e.value.args[0]
    assert text.startswith(f"{path}: ") and "\n" not in text


# ------------------------------------------------------------------ (c) what smtspec writes


def test_written_traces_describe_themselves_and_carry_the_scope_as_params(tmp_path, behaviour):
    path = tmp_path / "Lemma9.itf.json"
    traces.write(behaviour, path)
    doc = json.loads(path.read_text())
    meta = doc["#meta"]
    assert meta["format"] == "ITF" and meta["format-description"].endswith("015adr-trace.html")
    assert meta["source"] == "smtspec"
    assert meta["description"] == ("counterexample to Lemma9 of parallel-raft at scope servers=2, terms=2, "
                                   "indexes=1, values=1, capacity=3: 29 steps from Init")
    assert doc["params"] == ["servers", "terms", "indexes", "values", "capacity"]
    assert {p: doc["states"][0][p] for p in doc["params"]} == {
        p: {"#bigint": str(v)} for p, v in behaviour.scope.items}
    assert not any(p in s for s in doc["states"][1:] for p in doc["params"])  # set in the first state only

    t = itf_py.trace_from_json(doc)
    assert t.params == doc["params"] and t.meta["description"] == meta["description"]
    assert {p: t.states[0].values[p] for p in t.params} == behaviour.scope.as_dict()
    assert [s.meta["action"] for s in t.states] == ["Init"] + [st.action for st in behaviour.steps]
    assert traces.value_from_itf(itf_py.value_to_json(t.states[5].values["log"])) == behaviour.states[5]["log"]


def test_a_cti_says_it_is_a_counterexample_to_induction(behaviour):
    cti = replace(behaviour, kind="cti", states=behaviour.states[:3], steps=behaviour.steps[:2],
                  invariants=("Lemma9", "Lemma1"))
    assert traces.describe(cti) == (
        "counterexample to induction of Lemma9 of parallel-raft at scope servers=2, terms=2, indexes=1, values=1, "
        "capacity=3: 2 steps from an arbitrary state, Lemma9, Lemma1 holding in every state but the last")


def test_smtspec_reads_back_what_it_wrote(tmp_path, behaviour):
    path = tmp_path / "t.itf.json"
    traces.write(behaviour, path)
    back = traces.read(path)
    assert (back.states, back.steps, back.scope, back.violated) == (
        behaviour.states, behaviour.steps, behaviour.scope, behaviour.violated)
    assert "description" not in back.extra and back.extra["found_by"] == behaviour.extra["found_by"]


# ------------------------------------------------------------------ (d) traces written before still replay


@pytest.mark.parametrize("path", sorted(RECORDED_DIR.glob("*.cex.itf.json")), ids=lambda p: p.name)
def test_recorded_traces_in_the_older_format_still_read_and_replay(path):
    doc = json.loads(path.read_text())
    tr = traces.read(path)
    assert tr.spec == "parallel-raft" and tr.scope.as_dict() == doc["#meta"]["scope"]
    assert all(st.action for st in tr.steps)
    rep = replay(tr, INTERP, raft_scope(tr))
    assert rep.ok, rep.problems
    assert rep.labelled == [] and rep.checked_steps == tr.length


def test_a_trace_without_description_or_params_reads_as_before(tmp_path, behaviour):
    path = tmp_path / "t.itf.json"
    traces.write(behaviour, path)
    doc = json.loads(path.read_text())
    older = {k: v for k, v in doc.items() if k != "params"}  # what smtspec wrote before ADR params
    older["#meta"] = {k: v for k, v in doc["#meta"].items() if k != "description"}
    older["states"] = [{k: v for k, v in s.items() if k not in doc["params"]} for s in doc["states"]]
    tr = traces.from_itf(older)
    assert (tr.states, tr.steps, tr.scope) == (behaviour.states, behaviour.steps, behaviour.scope)


def test_labelling_leaves_labelled_steps_alone(behaviour):
    half = replace(behaviour, steps=tuple(Step(None) if n % 2 else st for n, st in enumerate(behaviour.steps)))
    lab = label.label(half, INTERP, raft_scope(behaviour))
    assert lab.complete and lab.found == tuple(range(2, 30, 2)) and lab.trace.steps == behaviour.steps


def test_a_state_of_the_wrong_shape_is_a_problem_not_a_crash(tmp_path, behaviour):
    path = write_with_itf_py(tmp_path / "raft.itf.json", behaviour)
    doc = json.loads(path.read_text())
    doc["states"][3]["currentTerm"] = "three"  # a string where a function of the servers is
    tr = traces.from_itf(doc, spec="parallel-raft", scope=behaviour.scope.as_dict())
    rep = replay(tr, INTERP, raft_scope(tr))
    assert not rep.ok and len(rep.problems) == 1 and rep.problems[0].startswith("step 3: ")


def test_a_lasso_is_replayed_as_its_finite_prefix_and_says_so(tmp_path, behaviour):
    path = write_with_itf_py(tmp_path / "raft.itf.json", behaviour)
    doc = json.loads(path.read_text())
    doc["loop"] = 2
    tr = traces.from_itf(doc, spec="parallel-raft", scope=behaviour.scope.as_dict())
    rep = replay(tr, INTERP, raft_scope(tr))
    assert rep.ok and any("lasso looping back to state 2" in n for n in rep.notes)
