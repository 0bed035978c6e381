"""Traces: counterexamples and counterexamples to induction, and their ITF JSON form.

A :class:`Trace` is a sequence of concrete states (:mod:`smtspec.values`) with, for each
step, the action and its parameters. It is decoded from a solver model through the
step-indexed table of an unrolling, and written as ITF (the Informal Trace Format of
Apalache and Quint), which ``itf-py`` reads. The ITF shape of a value follows from its
Python type: ``frozenset`` is ``#set``, ``tuple`` is ``#tup``, ``Fn`` is ``#map``, ``Rec``
is a JSON object, integers are ``#bigint``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import z3

from .atomic import write_text
from .scope import Scope
from .system import System
from .unroll import Unrolling
from .values import Fn, Rec, Seq

ITF_FORMAT = "ITF"
TRACE_VERSION = 1


class TraceError(ValueError):
    """A trace file is malformed."""


@dataclass(frozen=True)
class Step:
    """One transition: the action that fired and its parameters (``i``, ``m``, ``Q``...)."""

    action: str
    params: Rec


@dataclass(frozen=True)
class Trace:
    """States ``s_0..s_n`` and the ``n`` steps between them."""

    spec: str
    kind: str  # "counterexample" (from Init) or "cti" (from an arbitrary state)
    invariants: tuple[str, ...]  # the invariants checked; the last state violates `violated`
    violated: tuple[str, ...]
    scope: Scope
    assumptions: tuple[str, ...]
    vars: tuple[str, ...]
    states: tuple[Rec, ...]
    steps: tuple[Step, ...]
    extra: dict = field(default_factory=dict, compare=False)

    @property
    def length(self) -> int:
        return len(self.steps)


# ------------------------------------------------------------------ decoding a model


def evaluator(model: z3.ModelRef) -> Callable:
    """``ev(term)``: the term's value in the model (completed), each term evaluated once."""
    cache: dict = {}

    def ev(t):
        key = t.get_id()
        if key not in cache:
            cache[key] = model.eval(t, model_completion=True)
        return cache[key]

    return ev


def decode(
    model: z3.ModelRef,
    u: Unrolling,
    *,
    kind: str,
    invariants: tuple[str, ...],
    violated: tuple[str, ...],
    assumptions: tuple[str, ...] = (),
) -> Trace:
    """Read the trace of an unrolling out of a model (never by parsing constant names)."""
    system = u.system
    ev = evaluator(model)

    states = tuple(decode_state(system, s, ev) for s in u.states)
    steps = []
    for sv in u.steps:
        fired = [a for a, f in sv.fire.items() if z3.is_true(ev(f))]
        if len(fired) != 1:
            raise AssertionError(f"model fires {fired} in one step")
        action = system.action(fired[0])
        params = Rec({p.name: p.sort.decode(ev, sv.params[p.name]) for p in action.params})
        steps.append(Step(action.name, params))
    return Trace(
        spec=system.spec,
        kind=kind,
        invariants=invariants,
        violated=violated,
        scope=system.scope,
        assumptions=assumptions,
        vars=tuple(v.name for v in system.vars),
        states=states,
        steps=tuple(steps),
    )


def decode_state(system: System, s, ev: Callable) -> Rec:
    out = {}
    for v in system.vars:
        if v.grow:
            out[v.name] = frozenset(v.sort.decode(ev, x) for p, x in s.sets[v.name].slots if z3.is_true(ev(p)))
        else:
            out[v.name] = v.sort.decode(ev, s.values[v.name])
    return Rec(out)


# ------------------------------------------------------------------ ITF values


def _sort_key(v: Any) -> str:
    return json.dumps(value_to_itf(v), sort_keys=True)


def value_to_itf(v: Any) -> Any:
    """The ITF JSON of a concrete value."""
    if isinstance(v, bool) or isinstance(v, str):
        return v
    if isinstance(v, int):
        return {"#bigint": str(v)}
    if isinstance(v, Seq):
        return [value_to_itf(x) for x in v]
    if isinstance(v, tuple):
        return {"#tup": [value_to_itf(x) for x in v]}
    if isinstance(v, frozenset):
        return {"#set": sorted((value_to_itf(x) for x in v), key=lambda j: json.dumps(j, sort_keys=True))}
    if isinstance(v, Rec):
        return {k: value_to_itf(x) for k, x in v.items()}
    if isinstance(v, Fn):
        return {"#map": [[value_to_itf(k), value_to_itf(x)] for k, x in v.items()]}
    raise TypeError(f"no ITF form for {v!r}")


def value_from_itf(j: Any) -> Any:
    """The concrete value of an ITF JSON value."""
    if isinstance(j, (bool, str)):
        return j
    if isinstance(j, int):
        return j
    if isinstance(j, list):
        return Seq(value_from_itf(x) for x in j)
    if isinstance(j, dict):
        if "#bigint" in j:
            try:
                return int(j["#bigint"])
            except (TypeError, ValueError):
                raise TraceError(f"bad #bigint {j['#bigint']!r}") from None
        if "#tup" in j:
            return tuple(value_from_itf(x) for x in _list(j["#tup"], "#tup"))
        if "#set" in j:
            return frozenset(value_from_itf(x) for x in _list(j["#set"], "#set"))
        if "#map" in j:
            pairs = _list(j["#map"], "#map")
            if not all(isinstance(p, list) and len(p) == 2 for p in pairs):
                raise TraceError("#map entries must be [key, value] pairs")
            return Fn({value_from_itf(k): value_from_itf(x) for k, x in pairs})
        if any(k.startswith("#") for k in j):
            raise TraceError(f"unsupported ITF value {sorted(j)}")
        return Rec({k: value_from_itf(x) for k, x in j.items()})
    raise TraceError(f"unsupported ITF value {j!r}")


def _list(x: Any, what: str) -> list:
    if not isinstance(x, list):
        raise TraceError(f"{what} must hold a list")
    return x


# ------------------------------------------------------------------ ITF traces


def to_itf(trace: Trace) -> dict:
    """The ITF document of a trace; ``#meta`` carries everything a replay needs."""
    meta = {
        "format": ITF_FORMAT,
        "format-description": "https://apalache-mc.org/docs/adr/015adr-trace.html",
        "source": "smtspec",
        "version": TRACE_VERSION,
        "spec": trace.spec,
        "kind": trace.kind,
        "invariants": list(trace.invariants),
        "violated": list(trace.violated),
        "length": trace.length,
        ("k" if trace.kind == "cti" else "depth"): trace.length,
        "scope": trace.scope.as_dict(),
        "assumptions": list(trace.assumptions),
        **trace.extra,
    }
    states = []
    for n, st in enumerate(trace.states):
        smeta: dict = {"index": n}
        if n == 0:
            smeta["action"] = "Init" if trace.kind == "counterexample" else "Arbitrary"
        else:
            step = trace.steps[n - 1]
            smeta["action"] = step.action
            smeta["params"] = {k: value_to_itf(v) for k, v in step.params.items()}
        states.append({"#meta": smeta, **{v: value_to_itf(st[v]) for v in trace.vars}})
    return {"#meta": meta, "vars": list(trace.vars), "states": states}


def from_itf(doc: Any) -> Trace:
    """Read an ITF document written by :func:`to_itf` (raises TraceError when malformed)."""
    if not isinstance(doc, dict) or "states" not in doc or "vars" not in doc:
        raise TraceError("not an ITF trace: needs 'vars' and 'states'")
    meta = doc.get("#meta", {})
    if not isinstance(meta, dict) or "spec" not in meta:
        raise TraceError("ITF #meta lacks 'spec': not written by smtspec")
    vars_ = tuple(doc["vars"])
    states, steps = [], []
    for n, raw in enumerate(_list(doc["states"], "states")):
        if not isinstance(raw, dict):
            raise TraceError(f"state {n} is not an object")
        missing = [v for v in vars_ if v not in raw]
        if missing:
            raise TraceError(f"state {n} lacks {', '.join(missing)}")
        states.append(Rec({v: value_from_itf(raw[v]) for v in vars_}))
        smeta = raw.get("#meta", {})
        if n > 0:
            if "action" not in smeta:
                raise TraceError(f"state {n} does not name the action that reached it")
            params = smeta.get("params", {})
            steps.append(Step(smeta["action"], Rec({k: value_from_itf(v) for k, v in params.items()})))
    if not states:
        raise TraceError("trace has no states")
    try:
        scope = Scope(tuple((str(k), int(v)) for k, v in meta.get("scope", {}).items()))
    except (TypeError, ValueError, AttributeError):
        raise TraceError("#meta scope must map bound names to integers") from None
    return Trace(
        spec=str(meta["spec"]),
        kind=str(meta.get("kind", "counterexample")),
        invariants=tuple(meta.get("invariants", ())),
        violated=tuple(meta.get("violated", ())),
        scope=scope,
        assumptions=tuple(meta.get("assumptions", ())),
        vars=vars_,
        states=tuple(states),
        steps=tuple(steps),
        extra={k: v for k, v in meta.items() if k not in _OWN_META},
    )


_OWN_META = {"format", "format-description", "source", "version", "spec", "kind", "invariants", "violated", "length",
             "k", "depth", "scope", "assumptions"}


def write(trace: Trace, path: Path) -> None:
    write_text(path, json.dumps(to_itf(trace), indent=1) + "\n")


def read(path: Path) -> Trace:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as e:
        raise TraceError(f"cannot read {path}: {e.strerror or e}") from None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as e:
        raise TraceError(f"{path} is not JSON: {e.msg} at line {e.lineno} column {e.colno}") from None
    return from_itf(doc)
