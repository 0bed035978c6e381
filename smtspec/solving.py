"""The one solver wrapper: fixed seed, per-query timeout, scoped push/pop, statistics.

Every query of the engine goes through :class:`Solver` so that timeouts, interruption
and the optional ``.smt2`` dump of an unknown query are handled in one place.
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import z3


class Interrupted(Exception):
    """The user pressed Ctrl-C while the solver was running."""


@dataclass(frozen=True)
class Answer:
    """The outcome of one ``check``: ``sat``, ``unsat`` or ``unknown`` (with the solver's reason)."""

    status: str
    reason: str
    seconds: float


class Solver:
    """A Z3 solver with a per-query timeout (seconds, None for none) and a fixed random seed."""

    def __init__(self, timeout: float | None = None, seed: int = 0, dump_dir: Path | None = None):
        # Every sort is bit-vectors and Booleans, so Z3's incremental bit-blasting SAT solver
        # applies; it is several times faster here than the general SMT core (see the notes).
        self._s = z3.SolverFor("QF_BV")
        self._s.set("random_seed", seed)
        if timeout is not None:
            self._s.set("timeout", max(1, int(timeout * 1000)))
        self.timeout = timeout
        self.dump_dir = dump_dir
        self.queries = 0
        self.solver_seconds = 0.0

    def set_timeout(self, timeout: float | None) -> None:
        """Seconds for the following queries (None: none)."""
        self.timeout = timeout
        self._s.set("timeout", max(1, int(timeout * 1000)) if timeout is not None else 4294967295)

    def add(self, *constraints: z3.BoolRef) -> None:
        self._s.add(*constraints)

    @contextmanager
    def scope(self) -> Iterator[None]:
        """Constraints added inside are retracted on exit, whatever happens."""
        self._s.push()
        try:
            yield
        finally:
            self._s.pop()

    def check(self, *assumptions: z3.BoolRef, label: str = "query") -> Answer:
        start = time.perf_counter()
        try:
            r = self._s.check(*assumptions)
        except z3.Z3Exception as e:  # z3 raises on cancellation in some builds
            if "cancel" in str(e).lower():
                raise Interrupted() from None
            raise
        seconds = time.perf_counter() - start
        self.queries += 1
        self.solver_seconds += seconds
        if r == z3.sat:
            return Answer("sat", "", seconds)
        if r == z3.unsat:
            return Answer("unsat", "", seconds)
        reason = self._s.reason_unknown()
        if "interrupted" in reason or "canceled" in reason.lower() and not self._timed_out(seconds):
            raise Interrupted()
        if self.dump_dir is not None:
            self.dump(self.dump_dir / f"{label}.smt2")
        if self._timed_out(seconds) and ("timeout" in reason or "canceled" in reason):
            reason = f"timeout after {self.timeout:g} s"
        return Answer("unknown", reason or "solver gave up", seconds)

    def _timed_out(self, seconds: float) -> bool:
        return self.timeout is not None and seconds >= self.timeout * 0.95

    def assertions(self) -> list[z3.BoolRef]:
        """Everything asserted so far (in the current scope)."""
        return list(self._s.assertions())

    def unsat_core(self) -> list:
        """The assumptions of the last unsat ``check`` that it needed."""
        return list(self._s.unsat_core())

    def model(self) -> z3.ModelRef:
        return self._s.model()

    def statistics(self) -> dict[str, float]:
        """The solver statistics worth showing (conflicts, decisions, memory)."""
        st = self._s.statistics()
        out: dict[str, float] = {}
        for key in st.keys():
            if key in ("conflicts", "decisions", "propagations", "max memory", "memory") or key in (
                "sat conflicts", "sat decisions", "sat propagations 2ary", "sat propagations nary",
                "sat mk var", "sat mk clause 2ary", "sat mk clause nary"):
                out[key] = st.get_key_value(key)
        out["queries"] = self.queries
        out["solver seconds"] = round(self.solver_seconds, 3)
        return out

    def dump(self, path: Path) -> None:
        """Write the current assertions as SMT-LIB 2 (for an unknown answer)."""
        from .atomic import write_text

        write_text(path, self._s.to_smt2())
