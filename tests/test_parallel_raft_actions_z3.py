"""The per-action specification tests of the interpreter, run again against the Z3 encoding.

``tests/test_parallel_raft_interpreter.py`` pins each action on a concrete pre-state with
its expected post-state. Here its ``step`` and ``successors`` are replaced by the Z3
transition relation (one action, parameters fixed, successors enumerated with blocking
clauses), and every test that only steps actions is collected again under the same name.
"""

from __future__ import annotations

import functools
import inspect

import pytest
import z3

import test_parallel_raft_interpreter as spec_tests
from smtspec.encodings.parallel_raft import SPEC
from smtspec.trace import decode_state
from smtspec.unroll import concrete, equals_concrete, trans


@functools.lru_cache(maxsize=8)
def _system(scope):
    return SPEC.build(SPEC.scope(scope.as_dict()))


def _enumerate(system, u, constraint, limit=2000):
    s = z3.Solver()
    s.add(constraint)
    post = u.states[1]
    out = set()
    while s.check() == z3.sat:
        m = s.model()
        nxt = decode_state(system, post, lambda t: m.eval(t, model_completion=True))
        out.add(nxt)
        s.add(z3.Not(equals_concrete(system, post, nxt)))
        assert len(out) <= limit
    return out


def z3_step(state, scope, action, params):
    system = _system(scope)
    u = concrete(system, state)
    act = system.action(action)
    names = {p.name for p in act.params}
    unknown = set(params) - names
    if unknown:
        raise ValueError(f"{action} has no parameter(s) {sorted(unknown)}")
    c = trans(u, (act,))
    sorts = system.param_sorts()
    fixed = [sorts[k].eq(u.steps[0].params[k], sorts[k].const(v)) for k, v in params.items()]
    return _enumerate(system, u, z3.And(c, *fixed))


def z3_successors(state, scope):
    system = _system(scope)
    u = concrete(system, state)
    return _enumerate(system, u, trans(u))


@pytest.fixture(autouse=True)
def z3_backend(monkeypatch):
    monkeypatch.setattr(spec_tests, "step", z3_step)
    monkeypatch.setattr(spec_tests, "successors", z3_successors)


_EXCLUDE = ("instances(", "random_walk", "merge_choices", "INVARIANTS", "commit_entry_instances", "ACTIONS")
for _name, _fn in inspect.getmembers(spec_tests, inspect.isfunction):
    if _name.startswith("test_") and _name != "test_step_with_partial_params_filters_by_given_keys":
        _src = inspect.getsource(_fn)
        if ("step(" in _src or "successors(" in _src) and not any(x in _src for x in _EXCLUDE):
            globals()[_name] = _fn
