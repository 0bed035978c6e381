"""Reading TLC's transition logs of the Proposal reconciler, and checking them.

What: the oracle ``shared/oracles/onos-proposal-tlc-sample.jsonl.gz`` (format in
``shared/oracles/README.md``) holds one JSON object per ``ReconcileProposal(n, i)``
step that TLC evaluated: the arguments (``context``), the pre-state projected on
``proposals``/``configuration``/``mastership``/``conn``/``target`` (``currState``) and
the variables the step changed (``succState``). This module turns each line into
concrete values of :mod:`smtspec.values` (the same shapes the interpreter uses), writes
such lines back (to build logs from the interpreter), and compares logs with the
interpreter: every logged step must be one of the interpreter's steps
(:func:`conform_with_interpreter`), and on a complete log the logged successor sets must
equal the interpreter's (:func:`exact_check`).

Why: TLC's transitions were produced by no one on this project, so agreeing with them
is evidence that the interpreter (and through it the Z3 encoding) reads the seed as TLC
does.

Decoding is driven by the known shape of each variable, so that TLC's ``[]`` for a
function with empty domain becomes an empty value map where a value map is expected and
an empty sequence where a sequence is expected. A proposal may carry the ``index`` (or
``ordinal``) field that the seed's ``CurrState`` adds with ``@@``; it must equal the
proposal's position and is dropped.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from smtspec.scope import Scope
from smtspec.values import Fn, Rec

from . import interpreter as onos

LOGGED = ("proposal", "configuration", "mastership", "conn", "target")
# the name of each logged variable in the log (the seed logs ``proposal`` as ``proposals``)
LOG_NAME = {"proposal": "proposals", "configuration": "configuration",
            "mastership": "mastership", "conn": "conn", "target": "target"}
STATE_NAME = {v: k for k, v in LOG_NAME.items()}


class LogLineError(Exception):
    """A line of a log that is not a well-formed transition (or could not be read)."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line
        self.message = message


class _Shape(ValueError):
    """A JSON value that does not have the expected shape (message says where)."""


@dataclass(frozen=True)
class LogEntry:
    """One logged step ``ReconcileProposal(node, index)`` from ``pre`` to ``post``.

    ``pre`` and ``post`` are projections (see :func:`project`); ``post`` is ``pre`` with
    the logged ``succState`` applied.
    """

    line: int
    node: str
    index: int
    pre: Rec
    post: Rec


# --------------------------------------------------------------------------- decoding

def _need(cond: object, where: str, what: str) -> None:
    if not cond:
        raise _Shape(f"{where}: expected {what}")


def _obj(j, where: str, fields: Collection[str], optional: Iterable[str] = ()) -> dict:
    """``j`` as an object with exactly ``fields`` (plus any of ``optional``)."""
    if type(j) is dict and len(j) == len(fields) and all(f in j for f in fields):
        return j  # the common case, checked without building messages
    _need(isinstance(j, dict), where, "an object")
    fields, optional = tuple(fields), tuple(optional)
    missing = [f for f in fields if f not in j]
    extra = [f for f in j if f not in fields and f not in optional]
    _need(not missing, where, f"fields {', '.join(fields)} (missing {', '.join(missing)})")
    _need(not extra, where, f"only fields {', '.join(fields)} (unexpected {', '.join(extra)})")
    return j


def _nat(j, where: str) -> int:
    _need(isinstance(j, int) and not isinstance(j, bool) and j >= 0, where, "a natural number")
    return j


def _str(j, where: str) -> str:
    _need(isinstance(j, str), where, "a string")
    return j


def _bool(j, where: str) -> bool:
    _need(isinstance(j, bool), where, "a boolean")
    return j


def decode_value_map(j, where: str) -> Fn:
    """A value map: ``[]`` (empty domain) or ``{path: {index, value}}``."""
    if j == []:
        return Fn({})
    _need(isinstance(j, dict), where, "a value map (an object or [])")
    out = {}
    for p, e in j.items():
        e = _obj(e, f"{where}.{p}", ("index", "value"))
        out[p] = Rec(index=_nat(e["index"], f"{where}.{p}.index"),
                     value=_str(e["value"], f"{where}.{p}.value"))
    return Fn(out)


def decode_proposal(j, where: str, position: int) -> Rec:
    j = _obj(j, where, ("change", "rollback"), optional=("index", "ordinal"))
    for extra in ("index", "ordinal"):
        if extra in j:
            _need(j[extra] == position, f"{where}.{extra}", f"the proposal's position {position}")
    c = _obj(j["change"], f"{where}.change", ("phase", "state", "values"))
    r = _obj(j["rollback"], f"{where}.rollback", ("phase", "state", "revision", "values"))
    return Rec(
        change=Rec(phase=_str(c["phase"], f"{where}.change.phase"),
                   state=_str(c["state"], f"{where}.change.state"),
                   values=decode_value_map(c["values"], f"{where}.change.values")),
        rollback=Rec(phase=_str(r["phase"], f"{where}.rollback.phase"),
                     state=_str(r["state"], f"{where}.rollback.state"),
                     revision=_nat(r["revision"], f"{where}.rollback.revision"),
                     values=decode_value_map(r["values"], f"{where}.rollback.values")),
    )


def decode_proposals(j, where: str = "proposals") -> tuple:
    _need(isinstance(j, list), where, "an array")
    return tuple(decode_proposal(p, f"{where}[{k}]", k) for k, p in enumerate(j, 1))


def decode_configuration(j, where: str = "configuration") -> Rec:
    j = _obj(j, where, ("state", "term", "committed", "applied"))
    c = _obj(j["committed"], f"{where}.committed", ("index", "revision", "values"))
    a = _obj(j["applied"], f"{where}.applied", ("index", "revision", "target", "values"))
    return Rec(
        state=_str(j["state"], f"{where}.state"),
        term=_nat(j["term"], f"{where}.term"),
        committed=Rec(index=_nat(c["index"], f"{where}.committed.index"),
                      revision=_nat(c["revision"], f"{where}.committed.revision"),
                      values=decode_value_map(c["values"], f"{where}.committed.values")),
        applied=Rec(index=_nat(a["index"], f"{where}.applied.index"),
                    revision=_nat(a["revision"], f"{where}.applied.revision"),
                    target=_nat(a["target"], f"{where}.applied.target"),
                    values=decode_value_map(a["values"], f"{where}.applied.values")),
    )


def decode_mastership(j, where: str = "mastership") -> Rec:
    j = _obj(j, where, ("master", "term", "conn"))
    return Rec(master=_str(j["master"], f"{where}.master"),
               term=_nat(j["term"], f"{where}.term"),
               conn=_nat(j["conn"], f"{where}.conn"))


def decode_conn(j, where: str = "conn") -> Fn:
    _need(isinstance(j, dict) and j, where, "an object keyed by node")
    out = {}
    for n, c in j.items():
        c = _obj(c, f"{where}.{n}", ("id", "connected"))
        out[n] = Rec(id=_nat(c["id"], f"{where}.{n}.id"),
                     connected=_bool(c["connected"], f"{where}.{n}.connected"))
    return Fn(out)


def decode_target(j, where: str = "target") -> Rec:
    j = _obj(j, where, ("id", "running", "values"))
    return Rec(id=_nat(j["id"], f"{where}.id"),
               running=_bool(j["running"], f"{where}.running"),
               values=decode_value_map(j["values"], f"{where}.values"))


DECODERS = {
    "proposals": decode_proposals,
    "configuration": decode_configuration,
    "mastership": decode_mastership,
    "conn": decode_conn,
    "target": decode_target,
}


def decode_state(j, where: str = "currState") -> Rec:
    """A logged ``currState`` as a projected state (fields of :data:`LOGGED`)."""
    j = _obj(j, where, tuple(DECODERS))
    return Rec({STATE_NAME[k]: dec(j[k], f"{where}.{k}") for k, dec in DECODERS.items()})


def decode_changes(j, pre: Rec, where: str = "succState") -> dict:
    """A logged ``succState`` as {state variable: new value}.

    ``proposals`` is normally the whole new array; an object keyed by proposal index
    (the seed's ``SuccState`` lists only the changed proposals) is accepted too.
    """
    _need(isinstance(j, dict), where, "an object")
    unknown = [k for k in j if k not in DECODERS]
    _need(not unknown, where, f"only {', '.join(DECODERS)} (unexpected {', '.join(unknown)})")
    out: dict[str, Any] = {}
    for k, v in j.items():
        if k == "proposals" and isinstance(v, dict):
            prop = list(pre.proposal)
            for key, p in v.items():
                _need(key.isdigit() and 1 <= int(key) <= len(prop) + 1, f"{where}.proposals",
                      "keys that are proposal indexes")
                position = int(key)
                decoded = decode_proposal(p, f"{where}.proposals.{key}", position)
                if position == len(prop) + 1:
                    prop.append(decoded)
                else:
                    prop[position - 1] = decoded
            out["proposal"] = tuple(prop)
        else:
            out[STATE_NAME[k]] = DECODERS[k](v, f"{where}.{k}")
    return out


def parse_line(text: str, line: int, memo: dict | None = None) -> LogEntry:
    """One line of the log; raises :class:`LogLineError` when it is not a transition.

    ``memo`` (shared across the lines of a log) keeps decoded pre-states: a log repeats
    the same ``currState`` on many lines."""
    try:
        j = json.loads(text)
    except json.JSONDecodeError as e:
        raise LogLineError(line, f"not valid JSON (truncated?): {e}") from None
    try:
        j = _obj(j, "line", ("context", "currState", "succState"))
        ctx = _obj(j["context"], "context", ("node", "index"))
        node = _str(ctx["node"], "context.node")
        index = _nat(ctx["index"], "context.index")
        if memo is None:
            pre = decode_state(j["currState"])
        else:
            key = json.dumps(j["currState"], sort_keys=True)
            hit = memo.get(key)
            if hit is None:
                if len(memo) >= _MEMO_LIMIT:
                    memo.clear()
                hit = memo[key] = decode_state(j["currState"])
            pre = hit
        changes = decode_changes(j["succState"], pre)
    except _Shape as e:
        raise LogLineError(line, str(e)) from None
    return LogEntry(line=line, node=node, index=index, pre=pre, post=onos.upd(pre, **changes))


_MEMO_LIMIT = 200_000


def _open_binary(path: str | Path):
    path = Path(path)
    return gzip.open(path, "rb") if path.suffix == ".gz" else open(path, "rb")


def read_log(path: str | Path) -> Iterator[LogEntry | LogLineError]:
    """Every line of a ``.jsonl`` or ``.jsonl.gz`` log: a :class:`LogEntry`, or a
    :class:`LogLineError` (with its 1-based line number) for a line that is not one;
    reading goes on after a bad line. A compressed file cut short ends the log with a
    LogLineError for the line that could not be read."""
    memo: dict = {}
    with _open_binary(path) as f:
        line = 0
        while True:
            try:
                raw = f.readline()
            except (EOFError, OSError, gzip.BadGzipFile) as e:
                yield LogLineError(line + 1, f"the file could not be read further: {e}")
                return
            if not raw:
                return
            line += 1
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as e:
                yield LogLineError(line, f"not UTF-8: {e}")
                continue
            if not text.strip():
                yield LogLineError(line, "empty line")
                continue
            try:
                yield parse_line(text, line, memo)
            except LogLineError as e:
                yield e


# --------------------------------------------------------------------------- encoding

def encode_value(v):
    """A concrete value as TLC writes it in the log (an empty function is ``[]``)."""
    if isinstance(v, Fn):
        return {str(k): encode_value(x) for k, x in v.items()} if len(v) else []
    if isinstance(v, Rec):
        return {k: encode_value(x) for k, x in v.items()}
    if isinstance(v, tuple):
        return [encode_value(x) for x in v]
    return v


def project(state: Rec) -> Rec:
    """A full state projected on the logged variables (``proposal``, ``configuration``,
    ``mastership``, ``conn``, ``target``)."""
    return Rec({k: state[k] for k in LOGGED})


def full_state(projected: Rec) -> Rec:
    """A projected state completed with ``transaction = <<>>`` and ``history = <<>>``
    (neither is logged; ReconcileProposal does not read them)."""
    return onos.upd(projected, transaction=(), history=())


def entry_json(node: str, index: int, pre: Rec, post: Rec) -> dict:
    """The log object of a step (``pre``/``post`` full or projected states)."""
    pre, post = project(pre), project(post)
    return {
        "context": {"node": node, "index": index},
        "currState": {LOG_NAME[k]: encode_value(pre[k]) for k in LOGGED},
        "succState": {LOG_NAME[k]: encode_value(post[k]) for k in LOGGED if post[k] != pre[k]},
    }


def write_log(path: str | Path, steps: Iterable[tuple[str, int, Rec, Rec]]) -> int:
    """Write ``(node, index, pre, post)`` steps as a log (gzip when ``path`` ends in .gz);
    returns the number of lines written."""
    path = Path(path)
    opener = gzip.open if path.suffix == ".gz" else open
    count = 0
    with opener(path, "wt", encoding="utf-8") as f:
        for node, index, pre, post in steps:
            f.write(json.dumps(entry_json(node, index, pre, post), separators=(",", ":")) + "\n")
            count += 1
    return count


# --------------------------------------------------------------------------- checks

class _ProjectedSteps:
    """Memo of the interpreter's projected ReconcileProposal successors per (node, index, pre)."""

    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self.memo: dict[tuple[str, int, Rec], frozenset] = {}

    def __call__(self, node: str, index: int, pre: Rec) -> frozenset:
        key = (node, index, pre)
        if key not in self.memo:
            succ = onos.reconcile_proposal(full_state(pre), self.scope, node, index)
            self.memo[key] = frozenset(project(s) for s in succ)
        return self.memo[key]


@dataclass
class Rejection:
    """A logged step that the interpreter cannot take."""

    line: int
    node: str
    index: int
    pre: Rec
    post: Rec
    interpreter_posts: frozenset


@dataclass
class ConformanceSummary:
    lines: int = 0
    entries: int = 0
    distinct_states: int = 0  # distinct logged pre-states
    distinct_groups: int = 0  # distinct (node, index, pre-state)
    accepted: int = 0
    rejected: int = 0
    errors: int = 0
    first_rejections: list[Rejection] = field(default_factory=list)
    first_errors: list[LogLineError] = field(default_factory=list)

    def __str__(self) -> str:
        return (f"{self.lines} lines: {self.accepted} accepted, {self.rejected} rejected, "
                f"{self.errors} unreadable; {self.distinct_states} distinct pre-states, "
                f"{self.distinct_groups} distinct (node, index, pre-state) groups")


def conform_with_interpreter(entries: Iterable[LogEntry | LogLineError], scope: Scope,
                             keep: int = 5) -> ConformanceSummary:
    """Is every logged step a step of the interpreter's ``ReconcileProposal(node, index)``
    from the logged pre-state (completed by :func:`full_state`)?"""
    steps = _ProjectedSteps(scope)
    summary = ConformanceSummary()
    pres, groups = set(), set()
    for e in entries:
        summary.lines += 1
        if isinstance(e, LogLineError):
            summary.errors += 1
            if len(summary.first_errors) < keep:
                summary.first_errors.append(e)
            continue
        summary.entries += 1
        pres.add(e.pre)
        groups.add((e.node, e.index, e.pre))
        posts = steps(e.node, e.index, e.pre)
        if e.post in posts:
            summary.accepted += 1
        else:
            summary.rejected += 1
            if len(summary.first_rejections) < keep:
                summary.first_rejections.append(
                    Rejection(e.line, e.node, e.index, e.pre, e.post, posts))
    summary.distinct_states = len(pres)
    summary.distinct_groups = len(groups)
    return summary


@dataclass
class GroupDifference:
    """A (node, index, pre-state) whose logged successors differ from the interpreter's."""

    node: str
    index: int
    pre: Rec
    lines: list[int]
    missing_from_log: frozenset  # the interpreter's successors the log lacks
    not_in_interpreter: frozenset  # logged successors the interpreter cannot reach


@dataclass
class ExactCheckReport:
    groups: int = 0
    errors: int = 0
    differences: list[GroupDifference] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.differences and not self.errors


def exact_check(entries: Iterable[LogEntry | LogLineError], scope: Scope) -> ExactCheckReport:
    """Per (node, index, pre-state) group: the logged successor set against the
    interpreter's (projected) successor set. Meaningful on a complete log; on a sampled
    log ``missing_from_log`` is expected and only ``not_in_interpreter`` is a finding."""
    logged: dict[tuple[str, int, Rec], set] = {}
    lines: dict[tuple[str, int, Rec], list[int]] = {}
    report = ExactCheckReport()
    for e in entries:
        if isinstance(e, LogLineError):
            report.errors += 1
            continue
        key = (e.node, e.index, e.pre)
        logged.setdefault(key, set()).add(e.post)
        lines.setdefault(key, []).append(e.line)
    steps = _ProjectedSteps(scope)
    report.groups = len(logged)
    for key, posts in logged.items():
        expected = steps(*key)
        if posts != expected:
            report.differences.append(GroupDifference(
                node=key[0], index=key[1], pre=key[2], lines=lines[key],
                missing_from_log=frozenset(expected - posts),
                not_in_interpreter=frozenset(posts - expected)))
    return report


# --------------------------------------------------------------------------- reachability of logged states

def _monotone(state: Rec) -> tuple[int, ...]:
    """Quantities that no action of the model decreases (checked against the rules:
    each is only ever set to a larger value): the numbers of proposals, the committed and
    applied indexes, the target incarnation, the terms and the connection ids."""
    cfg = state.configuration
    return (len(state.proposal), cfg.committed.index, cfg.applied.index, state.target.id,
            state.mastership.term, cfg.term, *(c.id for _, c in sorted(state.conn.items())))


@dataclass
class ReachabilityReport:
    found: dict  # logged pre-state -> BFS depth of a full state projecting to it
    unreached: set
    states_explored: int
    depth_reached: int
    complete: bool  # the pruned search ran out of states (no limit cut it short)


def reach_logged_states(entries: Iterable[LogEntry | LogLineError], scope: Scope,
                        max_states: int | None = None, max_depth: int | None = None) -> ReachabilityReport:
    """Breadth-first search from Init for full states whose projection is a logged
    pre-state. Every logged pre-state is reachable in TLC's model, so it must be reachable
    in the interpreter's. The search is pruned, soundly, at states where a
    :func:`_monotone` quantity exceeds its largest logged value: no such state leads
    back to a logged one."""
    targets = {e.pre for e in entries if isinstance(e, LogEntry)}
    if not targets:
        return ReachabilityReport({}, set(), 0, 0, True)
    bound = tuple(max(vals) for vals in zip(*(_monotone(t) for t in targets)))

    def within(state: Rec) -> bool:
        return all(x <= b for x, b in zip(_monotone(state), bound))

    init = onos.initial_state(scope)
    seen = {init}
    level, depth = [init], 0
    found: dict = {}
    complete = True
    while level:
        for s in level:
            p = project(s)
            if p in targets and p not in found:
                found[p] = depth
        if len(found) == len(targets):
            break
        if max_depth is not None and depth >= max_depth:
            complete = False
            break
        nxt = []
        for s in level:
            for _, _, n in onos.instances(s, scope):
                if n not in seen and onos.in_model(n, scope) and within(n):
                    seen.add(n)
                    nxt.append(n)
            if max_states is not None and len(seen) >= max_states:
                complete = False
                break
        if not complete:
            break
        level, depth = nxt, depth + 1
    return ReachabilityReport(found, targets - set(found), len(seen), depth, complete)
