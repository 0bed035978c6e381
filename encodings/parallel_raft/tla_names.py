"""The TLA+ names of ParallelRaft-CE (seed 000) for the TLA+ front end (:mod:`smtspec.tla`).

Maps the seed's CONSTANTS and constant sets to the schema's sorts at the system's scope:
``Server``, ``Value``, ``Index`` (= 0..I-1) and ``Term`` (= 0..T) are the scope's finite
sets; ``Follower``... are the ``State`` enumeration; message type names are the tags of the
message union (``RequestCommitRequest``/``Response`` are declared by the seed and never
sent: model values of no sort); ``Nil`` is a model value of its own, equal to the ``Nil`` of
``Server \\cup {Nil}`` and ``Value \\cup {Nil}``. ``LEMMAS`` is the transcription of the
seed's invariants that ``smtspec check-lemmas`` compares with ``invariants.py``.
"""

from __future__ import annotations

from pathlib import Path

from smtspec.sorts import Enum
from smtspec.system import System
from smtspec.tla.names import Names

from .schema import STATES, Schema

LEMMAS = Path(__file__).with_name("lemmas.tla")

UNSENT_MESSAGE_TYPES = ("RequestCommitRequest", "RequestCommitResponse")


def names(system: System) -> Names:
    s: Schema = system.context
    model_values: dict[str, Enum | None] = {"Nil": None}
    model_values.update({name: s.state for name in STATES})
    model_values.update({name: s.message.tag_sort for name in s.message.tag_sort.names})
    model_values.update({name: None for name in UNSENT_MESSAGE_TYPES})
    return Names(
        sets={"Server": s.server, "Value": s.value, "Index": s.index, "Term": s.term},
        model_values=model_values,
    )
