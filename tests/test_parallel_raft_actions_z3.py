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

import test_parallel_raft_interpreter as spec_tests
from smtspec import explore
from smtspec.encodings.parallel_raft import SPEC


@functools.lru_cache(maxsize=8)
def _system(scope):
    return SPEC.build(SPEC.scope(scope.as_dict()))


def z3_step(state, scope, action, params):
    system = _system(scope)
    act = system.action(action)
    unknown = set(params) - {p.name for p in act.params}
    if unknown:
        raise ValueError(f"{action} has no parameter(s) {sorted(unknown)}")
    return explore.successors(system, state, (act,), params)


def z3_successors(state, scope):
    return explore.successors(_system(scope), state)


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
