"""Verdicts: what the engine concluded about one invariant, with its evidence."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from .scope import Scope
from .trace import Trace

SCHEMA = 1  # the version of every JSON object smtspec prints (README: "JSON output")


class Verdict(enum.Enum):
    """``proved`` k-inductive in scope; ``refuted`` by a trace from Init; ``unknown`` (CTI,
    timeout or solver gave up); ``no-violation`` up to a BMC depth (not a proof)."""

    PROVED = "proved"
    REFUTED = "refuted"
    UNKNOWN = "unknown"
    NO_VIOLATION = "no-violation"

    @property
    def exit_code(self) -> int:
        return {Verdict.PROVED: 0, Verdict.NO_VIOLATION: 0, Verdict.REFUTED: 1, Verdict.UNKNOWN: 3}[self]


class Method(enum.StrEnum):
    """How a verdict was reached (a ``str``: it compares equal to, and serializes as, its value)."""

    BMC = "bmc"  # interleaving semantics: one action per step
    BMC_STEP = "bmc-step"  # step semantics (stepsem.py): several independent actions per step
    K_INDUCTION = "k-induction"
    K_INDUCTION_BASE = "k-induction base"  # the base case of k-induction (BMC to k-1)
    RECORDED_PROOF = "recorded-proof"  # a proof file re-checked now
    RECORDED_COUNTEREXAMPLE = "recorded-counterexample"  # a recorded refutation replayed now
    GUIDED_SIMULATION = "guided-simulation"
    SWARM_SIMULATION = "swarm-simulation"
    UNIFORM_SIMULATION = "uniform-simulation"
    SIMULATION_AND_BMC = "guided-simulation+bmc"  # simulation to a frontier state, BMC from there
    NONE = "none settled it"

    @classmethod
    def simulation(cls, strategy: str) -> "Method":
        return cls(f"{strategy}-simulation")


class Cause(enum.StrEnum):
    """Why a verdict is ``unknown``."""

    CTI = "cti"  # the inductive step has a counterexample to induction
    TIMEOUT = "timeout"  # a solver query ran out of its --timeout
    BUDGET = "budget"  # the run's --budget was spent
    SOLVER_GAVE_UP = "solver-gave-up"  # the solver answered unknown for another reason
    INTERRUPTED = "interrupted"  # Ctrl-C
    NOT_SETTLED = "not-settled"  # check: no engine settled it within the budget (see `covered`)
    WORKER_LOST = "worker-lost"  # the worker processes running it died on every attempt

    @classmethod
    def of_solver(cls, reason: str) -> "Cause":
        """The cause of a solver's ``unknown`` answer, from its reason (solving.Answer)."""
        r = reason.lower()
        if r.startswith("timeout"):
            return cls.TIMEOUT
        if "interrupt" in r:
            return cls.INTERRUPTED
        return cls.SOLVER_GAVE_UP


def worst_exit_code(results) -> int:
    """Refuted (1) beats unknown (3) beats proved/no-violation (0)."""
    codes = {r.verdict.exit_code for r in results}
    for c in (1, 3):
        if c in codes:
            return c
    return 0


@dataclass(frozen=True)
class Result:
    """One invariant's verdict with its scope, bound, assumptions, time and evidence."""

    spec: str
    invariant: str
    verdict: Verdict
    method: Method
    bound: int  # BMC depth, or k
    scope: Scope
    assumptions: tuple[str, ...]
    seconds: float
    reason: str = ""
    trace: Trace | None = None
    trace_file: str | None = None
    stats: dict = field(default_factory=dict)
    narrowings: tuple[str, ...] = ()
    simple_path: bool = False
    explanation: tuple[str, ...] = ()  # for a trace: which conjuncts fail in its last state, with values
    focus: tuple[str, ...] = ()  # variables read by the failing invariant or changed by a step
    capacity_note: str = ""  # for a proof: does it still hold with one more element per grow-only set?
    reductions: tuple[str, ...] = ()  # BMC: how the unrolling was reduced (cone of influence, symmetry)
    together: tuple[str, ...] = ()  # invariants in the same induction query (proved jointly, or true in the CTI's first k states)
    cause: Cause | None = None  # for an unknown verdict: why

    def __post_init__(self) -> None:
        object.__setattr__(self, "method", Method(self.method))
        if self.verdict is Verdict.UNKNOWN and self.cause is None:
            object.__setattr__(self, "cause", Cause.CTI if self.trace is not None else Cause.of_solver(self.reason))

    @property
    def covered(self) -> int | None:
        """BMC: the depth up to which every reachable state was checked and none violates it."""
        if self.method not in ("bmc", "bmc-step"):
            return None
        return self.bound if self.verdict is Verdict.NO_VIOLATION else self.bound - 1

    @property
    def semantics(self) -> str:
        return "step" if self.method == "bmc-step" else "interleaving"

    @property
    def covers(self) -> str:
        """BMC in step semantics: what its covered depth says about interleaved behaviours."""
        c = self.covered
        if self.method != "bmc-step" or c is None:
            return ""
        return f"covers every interleaved behaviour of at most {c} actions (and more)"

    def summary(self) -> str:
        v = self.verdict
        if v is Verdict.PROVED:
            return f"proved: {self.bound}-inductive, and no violation in states reachable in fewer than {self.bound} steps"
        if v is Verdict.NO_VIOLATION and self.method == "bmc-step":
            return f"no violation within {self.bound} steps of step semantics: {self.covers} (not a proof)"
        if v is Verdict.NO_VIOLATION:
            return f"no violation in states reachable in at most {self.bound} steps (not a proof)"
        if v is Verdict.REFUTED and self.method == "bmc-step":
            n = self.trace.length if self.trace else "?"
            return (f"refuted: a behaviour of {n} interleaved steps from Init violates it (found at depth "
                    f"{self.bound} of step semantics, serialized one action per step)")
        if v is Verdict.REFUTED:
            return f"refuted: a behaviour of {self.trace.length if self.trace else '?'} steps from Init violates it"
        return f"unknown: {self.reason}"

    def to_json(self) -> dict:
        out = {
            "schema": SCHEMA,
            "spec": self.spec,
            "invariant": self.invariant,
            "verdict": self.verdict.value,
            "method": self.method,
            ("k" if self.method == "k-induction" else "depth"): self.bound,
            "scope": self.scope.as_dict(),
            "assumptions": list(self.assumptions),
            "together_with": list(self.together),
            "simple_path": self.simple_path,
            "seconds": round(self.seconds, 3),
            "reason": self.reason,
            "cause": None if self.cause is None else self.cause.value,
            "summary": self.summary(),
            "capacity_check": self.capacity_note,
            "stats": self.stats,
            "narrowings": list(self.narrowings),
            "reductions": list(self.reductions),
            "covered_depth": self.covered,
        }
        if self.method == "bmc-step":
            out["semantics"] = "step"
            out["depth_unit"] = "steps of step semantics (several independent actions per step)"
            out["covers"] = self.covers
        out["trace"] = self.trace_file  # the ITF file, when one was written
        out["length"] = self.trace.length if self.trace is not None else None
        if self.trace is not None:
            out["evidence"] = {
                "kind": self.trace.kind,
                "length": self.trace.length,
                "violated": list(self.trace.violated),
                "actions": [f"{s.action}" for s in self.trace.steps],
                **({"interleaved_length": self.trace.length,
                    "actions_per_step": self.trace.extra.get("actions_per_step")} if self.method == "bmc-step" else {}),
                "file": self.trace_file,
                "explanation": list(self.explanation),
            }
        return out
