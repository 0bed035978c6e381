"""Checking logged transitions against the Z3 transition relation (``smtspec conform``).

What: every line of a TLC transition log of the onos-config Proposal reconciler
(``encodings/onos_config/tlclog.py`` reads it) is a step ``ReconcileProposal(node,
index)`` from a logged pre-state to a logged post-state, both projected on ``proposal``,
``configuration``, ``mastership``, ``conn`` and ``target``. :func:`conform` asks the
encoding whether each such step is one of its own: a step of one of the four Proposal
actions with ``n`` and ``i`` fixed, from some state whose projection is the logged
pre-state, to a state whose projection is the logged post-state. With ``exact``, it
also checks, per (context, pre-state) group, that the encoding admits no projected
successor that the log lacks (meaningful on a complete log).

Why: TLC's transitions were produced by no one on this project, so agreeing with them
checks the encoding's reading of the seed from outside, without the interpreter.

How: ONE solver holds a symbolic well-formed, in-model pre-state and the transition
built once (:class:`StepOracle`); each group of lines pushes the pre-state's values and
the parameters, each distinct post-state is one more push/check/pop. ``transaction``
and ``history`` are not logged: they stay free in the pre-state (any well-formed
values inside the state constraints). That is the exact question: the Proposal actions
never read ``transaction`` and only append to ``history``, so the free choice changes
no projected successor (a history with room for the append always exists).
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

import z3

from .show import diff as show_diff
from .show import tla
from .solving import Solver
from .sorts import Sequence as SequenceSort
from .sorts import ival
from .system import SpecInfo, System
from .trace import decode_state
from .unroll import arbitrary, trans
from .values import Rec


class StepOracle:
    """One solver with ``trans(s0, s1)`` from a symbolic pre-state, asked about many
    concrete pre-states: successor sets and single steps, optionally projected on some
    variables. Also used by the differential tests (it encodes ``trans`` once).

    Concrete values are passed as *assumptions*, never asserted: every leaf ``x`` of a
    symbolic state gets, per value ``c`` it is asked about, a literal defined once as
    ``lit <=> x = c``. A query is then one incremental SAT call under literal
    assumptions (no push/pop, no re-encoding), and the literals of a value seen before
    (the same configuration on many lines) are reused from a cache. Blocking clauses of
    an enumeration are guarded by a fresh literal that is retired afterwards."""

    def __init__(self, system: System, actions: Iterable[str] | None = None, timeout: float | None = None):
        self.system = system
        acts = None if actions is None else tuple(system.action(a) for a in actions)
        self.solver = Solver(timeout)
        u, c0 = arbitrary(system, 0)
        self.solver.add(c0, trans(u, acts))
        self.u = u
        self.pre, self.post = u.states[0], u.states[1]
        self.params = u.steps[0].params
        self.fire = u.steps[0].fire
        self.psorts = system.param_sorts()
        # Redundant with trans's AtMost(fire, 1), as plain clauses: Z3's incremental QF_BV
        # solver has been seen to return models that violate that cardinality constraint
        # (two actions firing in one step), which would decode as a wrong successor.
        fires = list(self.fire.values())
        self.solver.add(*[z3.Or(z3.Not(a), z3.Not(b)) for a, b in itertools.combinations(fires, 2)])
        self._lit: dict[tuple[int, object], z3.BoolRef] = {}
        self._cache: dict[tuple, list] = {}
        self._guards = 0
        self.queries = 0

    # ------------------------------------------------------------------ literals
    def _leaf_literal(self, x, c) -> z3.BoolRef:
        key = (x.get_id(), c.get_id())  # Z3 terms are hash-consed: equal values, equal ids
        lit = self._lit.get(key)
        if lit is None:
            if z3.is_true(c):
                lit = x
            elif z3.is_false(c):
                lit = z3.Not(x)
            else:
                lit = z3.Bool(f"lit#{len(self._lit)}")
                self.solver.add(lit == (x == c))
            self._lit[key] = lit
        return lit

    def _literal(self, where: str, sort, sym, value) -> z3.BoolRef:
        """One literal, defined once, that says ``sym`` (at ``where``) equals ``value``."""
        key = (where, value)
        lit = self._cache.get(key)
        if lit is None:
            if isinstance(sort, SequenceSort):  # per element, so a changed element costs only itself
                if not isinstance(value, tuple) or len(value) > sort.max_len:
                    raise ValueError(f"not a sequence of at most {sort.max_len} elements: {value!r}")
                n, items = sym
                parts = [self._leaf_literal(n, ival(len(value)))]
                default = sort.elem.default()
                for k, x in enumerate(items):
                    parts.append(self._literal(f"{where}[{k}]", sort.elem, x, value[k] if k < len(value) else default))
            else:
                const = sort.const(value)  # ValueError when the value is outside the sort
                parts = [self._leaf_literal(x, c) for x, c in zip(sort.leaves(sym), sort.leaves(const))]
            lit = z3.Bool(f"is#{len(self._cache)}")
            self.solver.add(lit == z3.And(parts))
            self._cache[key] = lit
        return lit

    def state_literals(self, which: str, state: Mapping, names: Iterable[str] | None = None) -> list:
        """Assumptions fixing the pre- (``which="pre"``) or post-state on ``names``: one per variable."""
        sym = self.pre if which == "pre" else self.post
        return [self._literal(f"{which}:{n}", self.system.var[n].sort, sym.values[n], state[n])
                for n in (names or state.keys())]

    def param_literals(self, params: Mapping | None) -> list:
        return [self._literal(f"param:{k}", self.psorts[k], self.params[k], v) for k, v in (params or {}).items()]

    def _check(self, assumptions: list) -> bool | None:
        self.queries += 1
        ans = self.solver.check(*assumptions, label="step-oracle")
        return {"sat": True, "unsat": False}.get(ans.status)

    def _base(self, pre: Mapping, params: Mapping | None, action: str | None) -> list:
        out = self.state_literals("pre", pre, list(pre.keys())) + self.param_literals(params)
        if action is not None:
            out.append(self.fire[action])
        return out

    # ------------------------------------------------------------------ queries
    def admits(self, pre: Mapping, post: Mapping, params: Mapping | None = None,
               names: Iterable[str] | None = None, action: str | None = None) -> bool | None:
        """Is there a step from ``pre`` to ``post`` (both on ``names``)? None: unknown."""
        names = list(names or pre.keys())
        return self._check(self._base(pre, params, action) + self.state_literals("post", post, names))

    def successors(self, pre: Mapping, params: Mapping | None = None, names: Iterable[str] | None = None,
                   action: str | None = None, limit: int = 5000, exclude: Iterable[Mapping] = ()) -> set:
        """Every post-state (projected on ``names``, all variables by default) of one step
        from ``pre`` (given on its own keys) with the given parameters (and ``action``),
        except those in ``exclude``."""
        names = list(names or [v.name for v in self.system.vars])
        base = self._base(pre, params, action)
        self._guards += 1
        guard = z3.Bool(f"enum#{self._guards}")

        def block(state: Mapping) -> None:
            lits = self.state_literals("post", state, names)
            self.solver.add(z3.Or(z3.Not(guard), *[z3.Not(x) for x in lits]))

        for x in exclude:
            block(x)
        out: set = set()
        while self._check(base + [guard]):
            m = self.solver.model()
            full = decode_state(self.system, self.post, lambda t: m.eval(t, model_completion=True))
            nxt = Rec({n: full[n] for n in names})
            out.add(nxt)
            if len(out) > limit:
                raise RuntimeError(f"more than {limit} successors")
            block(nxt)
        self.solver.add(z3.Not(guard))  # retire this enumeration's blocking clauses
        return out

    def compare(self, pre: Mapping, expected: Iterable[Mapping], params: Mapping | None = None,
                names: Iterable[str] | None = None, action: str | None = None) -> tuple[set, set]:
        """(expected successors the encoding lacks, successors it has beyond ``expected``):
        one query per expected successor and one for the rest, decoding only the extras."""
        expected = list(expected)
        names = list(names or [v.name for v in self.system.vars])
        missing = {e for e in expected if not self.admits(pre, e, params, names, action)}
        extra = self.successors(pre, params, names, action, exclude=expected)
        return missing, extra


# ---------------------------------------------------------------------- the log check


@dataclass
class Disagreement:
    """A logged step the encoding does not admit, or a group whose successor sets differ."""

    lines: list[int]
    node: str
    index: int
    text: list[str]  # readable: the logged change and what the encoding admits instead

    def __str__(self) -> str:
        where = f"line {self.lines[0]}" if len(self.lines) == 1 else f"lines {self.lines[0]}..{self.lines[-1]}"
        return f"{where}: ReconcileProposal({self.node}, {self.index})\n" + "\n".join("  " + t for t in self.text)


@dataclass
class GroupDifference:
    """A (context, pre-state) group whose logged successors differ from the encoding's."""

    node: str
    index: int
    pre: Rec
    lines: list[int]
    not_logged: list[Rec]  # projected successors the encoding admits and the log lacks
    not_admitted: list[Rec]  # logged successors the encoding does not admit


@dataclass
class ConformSummary:
    lines: int = 0
    entries: int = 0
    distinct_states: int = 0  # distinct logged pre-states
    distinct_groups: int = 0  # distinct (node, index, pre-state)
    distinct_steps: int = 0  # distinct (node, index, pre-state, post-state): solver queries
    accepted: int = 0
    rejected: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line, message)
    exact: bool = False
    differing_groups: list[GroupDifference] = field(default_factory=list)
    disagreements: list[Disagreement] = field(default_factory=list)  # the first few
    seconds: float = 0.0

    @property
    def lines_per_second(self) -> float:
        return self.lines / self.seconds if self.seconds > 0 else 0.0

    @property
    def ok(self) -> bool:
        return not self.rejected and not self.errors and not self.differing_groups

    def to_json(self) -> dict:
        """A JSON-ready summary (for ``--json``)."""
        return {
            "lines": self.lines, "entries": self.entries, "distinct_states": self.distinct_states,
            "distinct_groups": self.distinct_groups, "distinct_steps": self.distinct_steps,
            "accepted": self.accepted, "rejected": self.rejected,
            "errors": [{"line": line, "message": msg} for line, msg in self.errors],
            "exact": self.exact, "differing_groups": [
                {"node": g.node, "index": g.index, "lines": g.lines, "not_logged": len(g.not_logged),
                 "not_admitted": len(g.not_admitted)} for g in self.differing_groups],
            "disagreements": [str(d) for d in self.disagreements],
            "seconds": round(self.seconds, 3), "lines_per_second": round(self.lines_per_second, 1), "ok": self.ok,
        }

    def __str__(self) -> str:
        out = (f"{self.lines} lines: {self.accepted} accepted, {self.rejected} rejected, {len(self.errors)} unreadable; "
               f"{self.distinct_states} distinct pre-states, {self.distinct_groups} (context, pre-state) groups, "
               f"{self.distinct_steps} distinct steps; {self.seconds:.1f} s ({self.lines_per_second:.0f} lines/s)")
        if self.exact:
            out += f"; exact: {len(self.differing_groups)} group(s) differ"
        for line, msg in self.errors[:5]:
            out += f"\n  line {line}: {msg}"
        for d in self.disagreements:
            out += "\n" + str(d)
        return out


def _diff(old: Any, new: Any, path: str) -> list[str]:
    """State differences, with sequences compared element by element."""
    if isinstance(old, tuple) and isinstance(new, tuple) and len(old) == len(new) and old != new:
        return [x for k, (a, b) in enumerate(zip(old, new), 1) for x in _diff(a, b, f"{path}[{k}]")]
    if isinstance(old, tuple) and isinstance(new, tuple) and len(new) == len(old) + 1 and new[: len(old)] == old:
        return [f"{path}: Append {tla(new[-1])}"]
    return list(show_diff(old, new, path))


def step_diff(pre: Mapping, post: Mapping, names: Iterable[str]) -> list[str]:
    out = [x for n in names for x in _diff(pre[n], post[n], n)]
    return out or ["(no change)"]


def conform(path: str | Path, exact: bool = False, scope=None, keep: int = 5,
            progress: Callable[[str], None] = lambda m: None, entries: Iterable | None = None,
            *, spec: SpecInfo) -> ConformSummary:
    """Check a TLC log of ``spec`` (its ``tlc_log`` format) against the spec's encoding.

    ``entries`` (log entries, or the format's line-error objects) replaces reading ``path``
    when given."""
    if spec.tlc_log is None:
        raise ValueError(f"spec {spec.name} has no TLC log format")
    log = spec.tlc_log
    SPEC, LOGGED, LogLineError, read_log = spec, log.logged, log.line_error, log.read
    start = time.perf_counter()
    scope = scope if scope is not None else SPEC.scope()
    system = SPEC.build(scope)
    oracle = StepOracle(system, log.actions)
    names = list(LOGGED)
    summary = ConformSummary(exact=exact)

    groups: dict[tuple, dict] = {}  # (node, index, pre) -> {post: [lines]}
    for e in (read_log(path) if entries is None else entries):
        summary.lines += 1
        if isinstance(e, LogLineError):
            summary.errors.append((e.line, e.message))
            continue
        summary.entries += 1
        groups.setdefault((e.node, e.index, e.pre), {}).setdefault(e.post, []).append(e.line)
    summary.distinct_groups = len(groups)
    summary.distinct_states = len({pre for _, _, pre in groups})
    progress(f"conform: {summary.entries} steps in {len(groups)} groups")

    def reject(lines, node, index, pre, post, why=None):
        summary.rejected += len(lines)
        if len(summary.disagreements) < keep:
            text = ["logged: " + "; ".join(step_diff(pre, post, names))]
            if why:
                text.append(why)
            else:
                admitted = oracle.successors(pre, {"n": node, "i": index}, names)
                text += ["encoding admits: " + "; ".join(step_diff(pre, a, names))
                         for a in sorted(admitted, key=repr)] or ["encoding admits: no step"]
            summary.disagreements.append(Disagreement(sorted(lines), node, index, text))

    done = 0
    for (node, index, pre), posts in groups.items():
        summary.distinct_steps += len(posts)
        ctx = {"n": node, "i": index}
        try:
            oracle.state_literals("pre", pre, names)
            oracle.param_literals(ctx)
        except (ValueError, KeyError, TypeError) as err:
            for post, lines in posts.items():
                reject(lines, node, index, pre, post, f"pre-state or context outside the scope {scope}: {err}")
            continue
        bad = []
        for post, lines in posts.items():
            try:
                ok = oracle.admits(pre, post, ctx, names)
            except (ValueError, KeyError, TypeError) as err:
                reject(lines, node, index, pre, post, f"post-state outside the scope {scope}: {err}")
                bad.append(post)
                continue
            if ok:
                summary.accepted += len(lines)
            else:
                reject(lines, node, index, pre, post, None if ok is False else "the solver gave up (unknown)")
                bad.append(post)
        if exact:
            admitted = oracle.successors(pre, ctx, names)
            extra = sorted(admitted - set(posts), key=repr)
            if extra or bad:
                all_lines = sorted(x for ls in posts.values() for x in ls)
                summary.differing_groups.append(GroupDifference(node, index, pre, all_lines, extra, bad))
                if extra and len(summary.disagreements) < keep:
                    summary.disagreements.append(Disagreement(
                        all_lines, node, index,
                        ["the encoding admits successors the log lacks:"]
                        + ["  " + "; ".join(step_diff(pre, a, names)) for a in extra]))
        done += 1
        if done % 500 == 0:
            progress(f"conform: {done}/{len(groups)} groups")
    summary.seconds = time.perf_counter() - start
    return summary


__all__ = ["StepOracle", "ConformSummary", "GroupDifference", "Disagreement", "conform", "step_diff"]
