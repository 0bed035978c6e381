"""Traces as ITF JSON: written, read back by smtspec and by itf-py, unchanged."""

from __future__ import annotations

import json

import itf_py
import pytest

import toy_spec
from smtspec import trace as traces
from smtspec.engine import bmc
from smtspec.values import Fn, Rec


def _from_itf_py(v):
    """itf-py's value types (namedtuple records, frozendict maps) as smtspec values."""
    if isinstance(v, tuple) and hasattr(v, "_fields"):
        return Rec({k: _from_itf_py(x) for k, x in v._asdict().items()})
    if isinstance(v, tuple):
        return tuple(_from_itf_py(x) for x in v)
    if isinstance(v, frozenset):
        return frozenset(_from_itf_py(x) for x in v)
    if isinstance(v, dict):
        return Fn({_from_itf_py(k): _from_itf_py(x) for k, x in v.items()})
    return v




def test_toy_trace_round_trips_through_smtspec_itf(tmp_path):
    r = bmc(toy_spec.build_with_param(), ["NotFour"], 3)["NotFour"]
    path = tmp_path / "t.itf.json"
    traces.write(r.trace, path)
    back = traces.read(path)
    assert back.states == r.trace.states
    assert back.steps == r.trace.steps
    assert back.steps[0].params == Rec(n=4)


def test_itf_py_reads_a_trace_to_the_same_states(tmp_path):
    r = bmc(toy_spec.build_with_param(), ["NotFour"], 3)["NotFour"]
    path = tmp_path / "t.itf.json"
    traces.write(r.trace, path)
    t = itf_py.trace_from_json(json.loads(path.read_text()))
    assert t.vars == list(r.trace.vars)
    assert [Rec({k: _from_itf_py(s.values[k]) for k in t.vars}) for s in t.states] == list(r.trace.states)
    # the scope bounds are the trace's params, set in the first state (ADR-015)
    assert t.params == ["capacity"] and t.states[0].values["capacity"] == 1
    assert t.meta["kind"] == "counterexample" and t.meta["spec"] == "toy-param"
    assert [s.meta["action"] for s in t.states] == ["Init", "Set"]


def test_value_itf_round_trip_covers_every_value_type():
    v = Rec(a=frozenset({(1, Rec(t=-1, c=False))}), b=Fn({"s1": (0, -1)}), c="Nil", d=True, e=Fn({}))
    assert traces.value_from_itf(json.loads(json.dumps(traces.value_to_itf(v)))) == v


@pytest.mark.parametrize(
    "doc,msg",
    [
        ({"states": []}, "needs 'vars'"),
        ({"vars": ["x"], "states": [{"x": 1}]}, "lacks 'spec'"),
        ({"#meta": {"spec": "toy"}, "vars": ["x"], "states": [{"y": 1}]}, "lacks x"),
        ({"#meta": {"spec": "toy"}, "vars": ["x"], "states": [{"x": {"#weird": 1}}]}, "unsupported"),
    ],
)
def test_malformed_traces_are_rejected_with_a_reason(doc, msg):
    with pytest.raises(traces.TraceError, match=msg):
        traces.from_itf(doc)
