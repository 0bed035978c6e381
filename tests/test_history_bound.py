"""onos-config's history bound: sympy solves the revert recurrence of the hand proof, and the
bound it derives is the docstring's formula, max over c+r <= T of 2c + 2(2^min(c,r) - 1)."""

from __future__ import annotations

import sympy as sp

from smtspec.encodings.onos_config.schema import history_bound, history_bound_derivation


def test_sympy_solves_the_revert_recurrence_of_the_hand_proof():
    _length, steps = history_bound_derivation()
    j = next(iter(steps["reverts of the j-th proposal"].free_symbols))
    size = next(iter(steps["reverts in all"].free_symbols))
    assert sp.simplify(steps["reverts of the j-th proposal"] - 2 ** (j - 1)) == 0
    assert sp.simplify(steps["reverts in all"] - (2 ** size - 1)) == 0


def test_the_derived_bound_is_the_formula_of_the_docstring_for_every_small_T():
    def by_hand(t: int) -> int:
        return max(2 * c + 2 * (2 ** min(c, t - c) - 1) for c in range(t + 1))

    assert [history_bound(t) for t in range(1, 9)] == [by_hand(t) for t in range(1, 9)]
    assert history_bound(4) == 10  # the default scope: NumTransactions = 4
