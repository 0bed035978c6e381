"""Guided search: novelty restarts accumulate depth that walks from Init never reach.

The ladder: ``x`` climbs by one (Up, enabled only when the key is ``x mod 10``), falls
back to 0 (Fall), or the key changes (Key, ten instances). ``Low`` (x < 25) is violated
only after 25 climbs, each needing the right key first, with no Fall between them: walks
of 60 steps from Init never get there, even when a swarm walk leaves Fall out; a corpus
of one state per height gets there by climbing from the highest rung it has.
"""

from __future__ import annotations

import toy_interp

from smtspec import guided, refute
from smtspec.interp_search import InterpreterSystem
from smtspec.scope import Scope


class Ladder:
    actions = ("Up", "Fall", "Key")

    def __init__(self, scope=None):
        pass

    def initial(self):
        return (0, 0)

    def enum(self, action, st):
        x, _noise = st
        if action == "Up":
            return [()] if x < 40 and _noise == x % 10 else []
        if action == "Fall":
            return [()]
        return list(range(10))

    def apply(self, action, st, args):
        x, noise = st
        if action == "Up":
            return [(x + 1, noise)]
        if action == "Fall":
            return [(0, noise)]
        return [(x, args)]

    def violated(self, st, names):
        return [n for n in names if n == "Low" and not st[0] < 25]

    def changed(self, pre, post, names):
        return list(names)

    def features(self, st):
        return st[0]


def run(strategy, steps=40_000, seed=3):
    return guided.search(Ladder(), guided.SearchOptions(names=("Low",), strategy=strategy, steps=steps, seed=seed,
                                                        max_length=60))


def test_guided_search_climbs_where_uniform_and_swarm_walks_from_init_do_not():
    uniform, swarm, guide = run("uniform"), run("swarm"), run("guided")
    assert "Low" not in uniform.found and "Low" not in swarm.found
    assert "Low" in guide.found and guide.max_depth >= 25
    assert guide.distinct_abstract >= 25


def test_a_found_path_replays_to_a_violating_state_and_shrinks_to_the_climb():
    rep = run("guided")
    path = rep.found["Low"].path
    states = guided.replay_path(Ladder(), path)
    assert states[-1][0] >= 25
    small = refute.shrink_path(Ladder(), path, "Low")
    # the shortest climb: Up from 0 (key 0 is the initial key), then for each rung the key, then Up
    assert [a for a, _args, _c in small] == ["Up"] + ["Key", "Up"] * 24


def test_the_same_seed_and_steps_give_the_same_search():
    a, b = run("guided", 5_000, 9), run("guided", 5_000, 9)
    timeless = lambda r: {k: v for k, v in r.to_json().items() if "second" not in k}  # noqa: E731
    assert timeless(a) == timeless(b)
    assert {n: f.path for n, f in a.found.items()} == {n: f.path for n, f in b.found.items()}


def test_two_workers_merge_their_findings():
    rep, found = guided.campaign(Ladder, None, guided.SearchOptions(names=("Low",), steps=40_000, seed=3), workers=2)
    assert rep.workers == 2 and rep.steps >= 40_000 and {f.invariant for _w, f in found} == set(rep.found) == {"Low"}


def test_an_interpreter_without_a_fast_form_is_searched_the_same_way():
    scope = Scope.of(capacity=1)
    fs = InterpreterSystem(toy_interp, scope, ("Inc2", "Stay"))
    rep = guided.search(fs, guided.SearchOptions(names=("AtMostFour",), steps=2_000, seed=1))
    small = refute.shrink_path(fs, rep.found["AtMostFour"].path, "AtMostFour")
    assert [a for a, _p, _c in small] == ["Inc2"] * 3
