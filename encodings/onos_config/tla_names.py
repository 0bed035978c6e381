"""The TLA+ names of µONOS Config (seed 003 and its environment) for :mod:`smtspec.tla`.

The environment file says the constants are strings: ``Nil`` is ``"<nil>"``, ``Change``,
``Rollback``, ``Commit``, ``Apply``, ``Pending``, ``InProgress``, ``Complete``, ``Aborted``
and ``Failed`` are strings of the same spelling, and ``Node``, ``Path``, ``Value`` are sets
of strings (``"node1"``...). So every name of every enumeration of the schema is a string
(``Nil`` is spelled ``"<nil>"`` there too), each string constant denotes its string, and
``Node``, ``Path``, ``Value`` are the scope's finite sorts. ``NumTransactions``... are the
scope's bounds. ``LEMMAS`` is the transcription that ``smtspec check-lemmas --spec
onos-config`` compares with ``invariants.py``.
"""

from __future__ import annotations

from pathlib import Path

from smtspec.sorts import Enum
from smtspec.system import System
from smtspec.tla.names import Names

from .schema import ABORTED, APPLY, CHANGE, COMMIT, COMPLETE, FAILED, IN_PROGRESS, NIL, PENDING, ROLLBACK, Schema

LEMMAS = Path(__file__).with_name("lemmas.tla")

STRING_CONSTANTS = {
    "Nil": NIL, "Change": CHANGE, "Rollback": ROLLBACK, "Commit": COMMIT, "Apply": APPLY, "Pending": PENDING,
    "InProgress": IN_PROGRESS, "Complete": COMPLETE, "Aborted": ABORTED, "Failed": FAILED,
}


def _string_sorts(s: Schema) -> tuple[Enum, ...]:
    """Every enumeration of the schema: all their element names are strings of the spec."""
    return (s.node_or_nil, s.path, s.value_or_nil, s.tx_type, s.tx_status, s.phase, s.proposal_status,
            s.config_status, s.history_phase)


def names(system: System) -> Names:
    s: Schema = system.context
    strings: dict[str, Enum] = {}
    for enum in _string_sorts(s):
        for name in enum.names:
            strings.setdefault(name, enum)
    scope = system.scope
    return Names(
        sets={"Node": s.node, "Path": s.path, "Value": s.value},
        integers={"NumTransactions": scope.transactions, "NumTerms": scope.terms, "NumConns": scope.conns,
                  "NumStarts": scope.starts},
        strings=strings,
        string_constants=STRING_CONSTANTS,
    )
