"""``smtspec check-lemmas``: is every hand-encoded invariant equivalent to its TLA+ transcription
of the seed (``encodings/<spec>/lemmas.tla``) over all well-typed states of the scope?"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

from .. import trace as traces
from ..errors import UsageError
from ..scope import Scope
from ..verdict import SCHEMA
from .common import resolve_scope


@dataclass(frozen=True)
class CheckLemmasOptions:
    spec: str | None = None
    scope: Mapping[str, int] = field(default_factory=dict)
    timeout: float | None = None


@dataclass
class CheckLemmasReport:
    spec: str
    scope: Scope
    rows: list  # smtspec.tla.LemmaCheck

    @property
    def differing(self) -> int:
        return sum(not r.equivalent for r in self.rows)

    def exit_code(self) -> int:
        return 1 if self.differing else 0

    def to_json(self) -> list[dict]:
        return [{"schema": SCHEMA, "spec": self.spec, "invariant": r.name, "status": r.status,
                 "verdict": "equivalent" if r.equivalent else r.status, "method": "check-lemmas",
                 "scope": self.scope.as_dict(), "message": r.message,
                 "state": traces.value_to_itf(r.state) if r.state is not None else None,
                 "seconds": round(r.seconds, 3), "trace": None} for r in self.rows]


def run(opts: CheckLemmasOptions) -> CheckLemmasReport:
    from ..tla import TLAError, check_lemmas

    info, scope = resolve_scope(opts.spec, [], opts.scope)
    try:
        rows = check_lemmas(info, scope, timeout=opts.timeout)
    except TLAError as e:
        raise UsageError(str(e)) from None
    return CheckLemmasReport(info.name, scope, rows)
