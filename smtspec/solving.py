"""The one solver wrapper: fixed seed, per-query timeout, scoped push/pop, statistics.

Every query of the engine goes through :class:`Solver` so that timeouts, interruption
and the optional ``.smt2`` dump of an unknown query are handled in one place.
"""

from __future__ import annotations

import ctypes
import signal
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

import z3

from .errors import SmtspecError

if TYPE_CHECKING:
    from .cache import Cache


class Interrupted(SmtspecError):
    """The user pressed Ctrl-C while the solver was running (exit 3, with what finished)."""

    exit_code = 3


_REQUESTED = threading.Event()  # Ctrl-C was pressed: set by the handler, never cleared in a run


def _on_sigint(signum, frame) -> None:
    _REQUESTED.set()
    raise KeyboardInterrupt


def install_interrupt_handler() -> None:
    """Make Ctrl-C sticky: a KeyboardInterrupt that Python swallows (one raised inside a Z3
    object's ``__del__`` is only printed as "Exception ignored") still stops the run at the
    next solver query, as :class:`Interrupted`."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, _on_sigint)
        default = sys.unraisablehook

        def quiet(u) -> None:  # Ctrl-C inside a Z3 object's __del__: already handled, not a bug to print
            if not (_REQUESTED.is_set() and is_interrupt(u.exc_value)):
                default(u)

        sys.unraisablehook = quiet


def interrupt_requested() -> bool:
    return _REQUESTED.is_set()


def is_interrupt(e: BaseException) -> bool:
    """Is ``e`` a Ctrl-C, as Python or Z3 reports it? A KeyboardInterrupt that arrives while
    ctypes converts the arguments of a Z3 call surfaces as ``ctypes.ArgumentError``."""
    return isinstance(e, (Interrupted, KeyboardInterrupt)) or (
        isinstance(e, ctypes.ArgumentError) and "KeyboardInterrupt" in str(e))


@dataclass(frozen=True)
class Answer:
    """The outcome of one ``check``: ``sat``, ``unsat`` or ``unknown`` (with the solver's reason)."""

    status: str
    reason: str
    seconds: float
    cached: bool = False  # an ``unsat`` read from the answer cache (cache.py), not solved now


_DEFAULT_CACHE: list = [None]  # the cache of solvers made without one (`caching`); None: no cache


@contextmanager
def caching(cache: "Cache | None") -> Iterator[None]:
    """Every :class:`Solver` made inside (in this process) uses ``cache`` unless given its own."""
    _DEFAULT_CACHE.append(cache)
    try:
        yield
    finally:
        _DEFAULT_CACHE.pop()


class Solver:
    """A Z3 solver with a per-query timeout (seconds, None for none) and a fixed random seed.

    With a ``cache`` (:mod:`cache`), a query whose exact SMT-LIB text, Z3 version and options
    were answered ``unsat`` before is answered from it (``Answer.cached``); ``sat`` and
    ``unknown`` are always solved. Off by default.
    """

    LOGIC = "QF_BV"

    def __init__(self, timeout: float | None = None, seed: int = 0, dump_dir: Path | None = None,
                 cache: "Cache | None" = None):
        # Every sort is bit-vectors and Booleans, so Z3's incremental bit-blasting SAT solver
        # applies; it is several times faster here than the general SMT core (see the notes).
        self._s = z3.SolverFor(self.LOGIC)
        self._s.set("random_seed", seed)
        self.seed = seed
        if timeout is not None:
            self._s.set("timeout", max(1, int(timeout * 1000)))
        self.timeout = timeout
        self.dump_dir = dump_dir
        self.queries = 0
        self.solver_seconds = 0.0
        # answer cache (cache.py): off unless given here or by `caching`; only unsat answers are kept
        self.cache = cache if cache is not None else _DEFAULT_CACHE[-1]
        self.cache_hits = 0
        self.last_key: str | None = None  # the cache key of the last query (None without a cache)
        self._answered_by_cache = False
        self._core_assumptions: tuple = ()

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
        if _REQUESTED.is_set():
            raise Interrupted()
        self._answered_by_cache = False
        self._core_assumptions = assumptions
        self.last_key = None
        if self.cache is None:
            return self._check(assumptions, label)
        from .cache import SolverOptions, key_of, query_text

        start = time.perf_counter()
        options = SolverOptions(self.LOGIC, self.seed, self.timeout)
        text = query_text(self._s, assumptions)
        key = None if text is None else key_of(text, options)
        self.last_key = key
        if key is not None and self.cache.lookup(key, options):
            self.cache_hits += 1
            self._answered_by_cache = True
            return Answer("unsat", "", time.perf_counter() - start, cached=True)
        ans = self._check(assumptions, label)
        if key is not None:
            self.cache.store(key, options, ans.status, ans.seconds)
        return ans

    def _check(self, assumptions: tuple, label: str) -> Answer:
        start = time.perf_counter()
        try:
            r = self._s.check(*assumptions)
        except z3.Z3Exception as e:  # z3 raises on cancellation in some builds
            if "cancel" in str(e).lower():
                raise Interrupted() from None
            raise
        except ctypes.ArgumentError as e:  # Ctrl-C while ctypes converted the call's arguments
            if is_interrupt(e):
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
        if self._answered_by_cache:  # Z3 never saw that query: solve it now for a real core
            self._answered_by_cache = False
            if self._check(tuple(self._core_assumptions), "core").status != "unsat":
                return list(self._core_assumptions)  # the query is unsat: all its assumptions are a core
        return list(self._s.unsat_core())

    def model(self) -> z3.ModelRef:
        if self._answered_by_cache:
            raise RuntimeError("no model: the last query was answered unsat from the cache")
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
        if self.cache is not None:
            out["cache hits"] = self.cache_hits
        return out

    def dump(self, path: Path) -> None:
        """Write the current assertions as SMT-LIB 2 (for an unknown answer)."""
        from .atomic import write_text

        write_text(path, self._s.to_smt2())
