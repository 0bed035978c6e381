"""BMC from a state the search reached finds the violation a few steps beyond it.

The recorded Lemma9 refutation is cut six steps before its end; BMC of six steps from
that state must find a violation of Lemma9, and the search path plus the solver's steps
must replay from Init with the concrete interpreter.
"""

from __future__ import annotations

from pathlib import Path

from smtspec import recorded, refute
from smtspec.guided import replay_path
from smtspec.search import frontier_search
from smtspec.encodings.parallel_raft import SPEC
from smtspec.encodings.parallel_raft import interpreter as interp

CEX = Path(__file__).resolve().parents[1] / "proofs" / "parallel-raft" / "Lemma9.cex.itf.json"


def fast_path(fs, trace):
    st, path = fs.initial(), []
    for step, want in zip(trace.steps, trace.states[1:]):
        args = fs.args(step.action, step.params)
        succ = fs.apply(step.action, st, args)
        pick = next(c for c, x in enumerate(succ) if fs.to_rec(x) == want)
        path.append((step.action, args, pick))
        st = succ[pick]
    return tuple(path)


def test_bmc_from_a_state_six_steps_before_a_violation_finds_one_that_replays_from_init():
    c = recorded.check(CEX)
    fs = SPEC.fast(c.scope)
    path = fast_path(fs, c.trace)
    assert fs.violated(replay_path(fs, path)[-1], ["Lemma9"]) == ["Lemma9"]
    assert fs.violated(replay_path(fs, path[:-6])[-1], ["Lemma9"]) == []
    found = frontier_search(SPEC, c.scope, [path[:-6]], ["Lemma9"], depth=6, seconds=120, workers=1)
    assert len(found) == 1
    f = found[0][1]
    assert f.invariant == "Lemma9" and len(f.path) <= len(path)
    tr = refute.to_trace(fs, SPEC.name, c.scope, f.path, "Lemma9", [v.name for v in SPEC.build(c.scope).vars])
    assert refute.confirmed(tr, interp, c.scope) == []
