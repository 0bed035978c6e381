"""Simulation finds, shrinks and confirms a violation whose depth is known.

The toy system reaches x = 6 (violating AtMostFour) after exactly three Inc2 steps; random
walks also stutter, so the walk that first violates it is longer and shrinking must cut it
back to the three steps; BMC then confirms that depths 0..2 hold no violation.
"""

from __future__ import annotations

import toy_interp
import toy_spec
from smtspec.scope import Scope
from smtspec.simulate import confirm, shrink, simulate
from smtspec.verdict import Verdict

SCOPE = Scope.of(capacity=1)


def test_simulation_finds_shrinks_and_confirms_a_violation_at_its_known_depth():
    rep = simulate(toy_interp.load, SCOPE, ["AtMostFour", "Even"], runs=10, length=30, seed=7)
    assert set(rep.violations) == {"AtMostFour"} and rep.steps > 0
    walk = rep.violations["AtMostFour"].walk
    small = shrink(toy_interp, SCOPE, walk, "AtMostFour")
    assert [s.action for s in small.steps] == ["Inc2"] * 3
    assert [st["x"] for st in small.states] == [0, 2, 4, 6]
    result, covered = confirm(toy_spec.build(with_stay=True), "AtMostFour", len(small.steps))
    assert result.verdict is Verdict.REFUTED and result.trace.length == 3 and covered == 2


def test_same_seed_gives_the_same_result_with_any_number_of_workers():
    one = simulate(toy_interp.load, SCOPE, ["AtMostFour"], runs=6, length=20, seed=3, workers=1)
    two = simulate(toy_interp.load, SCOPE, ["AtMostFour"], runs=6, length=20, seed=3, workers=2)
    assert one.steps == two.steps
    assert one.violations["AtMostFour"].walk == two.violations["AtMostFour"].walk


def test_weights_steer_the_walk():
    never_stay = simulate(toy_interp.load, SCOPE, ["AtMostFour"], runs=3, length=3, seed=1, weights={"Stay": 0})
    assert all(len(v.walk.steps) == 3 for v in never_stay.violations.values())
    assert "AtMostFour" in never_stay.violations
