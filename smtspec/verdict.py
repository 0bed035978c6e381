"""Verdicts: what the engine concluded about one invariant, with its evidence."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from .scope import Scope
from .trace import Trace


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
    method: str  # "bmc", "bmc-step" (BMC in step semantics, smtspec/stepsem.py) or "k-induction"
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
        if self.trace is not None:
            out["trace"] = {
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
