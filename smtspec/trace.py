"""Traces: counterexamples and counterexamples to induction, and their ITF JSON form.

A :class:`Trace` is a sequence of concrete states (:mod:`smtspec.values`) with, for each
step, the action and its parameters. It is decoded from a solver model through the
step-indexed table of an unrolling, and written as ITF (the Informal Trace Format of
Apalache and Quint), which ``itf-py`` reads. The ITF shape of a value follows from its
Python type: ``frozenset`` is ``#set``, ``tuple`` is ``#tup``, ``Fn`` is ``#map``, ``Rec``
is a JSON object, integers are ``#bigint``.

The written document follows ADR-015: a top-level ``#meta`` with ``format``,
``format-description``, ``description`` (one sentence saying what the trace shows) and
``source``, beside smtspec's own fields (``spec``, ``kind``, ``scope``...); ``params``
names the scope bounds, whose values are set in the first state, as the ADR wants for
``CONSTANTS``; each state's ``#meta`` names the action that reached it.

:func:`read` also reads traces other ITF tools wrote (Apalache, Quint, itf-py): their
spec and scope come from the caller, or from ``params``; their steps are labelled from
Quint's and Apalache's ``mbt::actionTaken``/``action_taken`` and
``mbt::nondetPicks``/``nondet_picks`` variables when present, and are otherwise left
unlabelled (``Step.action is None``) for :mod:`smtspec.label` to find.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping

import z3

from .atomic import write_text
from .errors import UsageError
from .scope import Scope
from .system import System
from .unroll import Unrolling
from .values import Fn, Rec, Seq

ITF_FORMAT = "ITF"
MAX_TRACE_BYTES = 256 * 2**20  # a larger file is refused rather than read (e.g. /dev/zero)
KINDS = ("counterexample", "cti")
ITF_FORMAT_DESCRIPTION = "https://apalache-mc.org/docs/adr/015adr-trace.html"
TRACE_VERSION = 1

# the state variables in which Quint (``quint run --mbt``) and Apalache record, in state
# n, the action that reached it and its nondeterministic picks
ACTION_VARS = ("mbt::actionTaken", "action_taken")
PICKS_VARS = ("mbt::nondetPicks", "nondet_picks")


class TraceError(UsageError):
    """A trace file is malformed."""


@dataclass(frozen=True)
class Step:
    """One transition: the action that fired and its parameters (``i``, ``m``, ``Q``...).

    ``action`` is None for a step of a foreign trace that does not say which action it
    took; :func:`smtspec.label.label` finds one with the spec's interpreter.
    """

    action: str | None
    params: Rec = Rec()

    @property
    def labelled(self) -> bool:
        return self.action is not None


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


def describe(trace: Trace) -> str:
    """One sentence saying what the trace is (ITF ``#meta.description``)."""
    n = trace.length
    steps = f"{n} step{'' if n == 1 else 's'}"
    violated = ", ".join(trace.violated)
    scope = f"scope {trace.scope}" if trace.scope.items else "its default scope"
    if trace.kind == "cti":
        held = ", ".join(trace.invariants) or "no invariant"
        also = f" and the assumptions {', '.join(trace.assumptions)}" if trace.assumptions else ""
        return (f"counterexample to induction of {violated or '-'} of {trace.spec} at {scope}: {steps} from an "
                f"arbitrary state, {held}{also} holding in every state but the last")
    if violated:
        return f"counterexample to {violated} of {trace.spec} at {scope}: {steps} from Init"
    return f"behaviour of {trace.spec} at {scope}: {steps} from Init"


def _param_names(trace: Trace) -> list[str]:
    """The scope bounds written as ITF params (a bound named like a variable stays in #meta only)."""
    return [k for k, _ in trace.scope.items if k not in trace.vars]


def to_itf(trace: Trace) -> dict:
    """The ITF document of a trace; ``#meta`` carries everything a replay needs."""
    meta = {
        "format": ITF_FORMAT,
        "format-description": ITF_FORMAT_DESCRIPTION,
        "description": describe(trace),
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
        **{k: v for k, v in trace.extra.items() if k not in _OWN_META},
    }
    params = _param_names(trace)
    states = []
    for n, st in enumerate(trace.states):
        smeta: dict = {"index": n}
        values: dict = {}
        if n == 0:
            smeta["action"] = "Init" if trace.kind == "counterexample" else "Arbitrary"
            values = {k: value_to_itf(trace.scope[k]) for k in params}
        else:
            step = trace.steps[n - 1]
            if step.action is not None:
                smeta["action"] = step.action
                smeta["params"] = {k: value_to_itf(v) for k, v in step.params.items()}
        states.append({"#meta": smeta, **values, **{v: value_to_itf(st[v]) for v in trace.vars}})
    return {"#meta": meta, "params": params, "vars": list(trace.vars), "states": states}


def from_itf(doc: Any, spec: str | None = None, scope: Mapping[str, int | None] | None = None) -> Trace:
    """Read an ITF document (raises TraceError, one line, when it is malformed).

    A document smtspec wrote names its spec and scope in ``#meta``. Any other ITF trace
    (Apalache, Quint, itf-py) is read as a counterexample from Init of ``spec``; its scope
    is ``scope`` together with the integer-valued ``params`` of its first state. When both
    the document and the caller give the spec or a bound, they must agree.
    """
    if not isinstance(doc, dict) or "states" not in doc or "vars" not in doc:
        raise TraceError("not an ITF trace: needs 'vars' and 'states'")
    meta = doc.get("#meta", {})
    if not isinstance(meta, dict):
        raise TraceError("ITF #meta must be an object")
    own = "spec" in meta
    if not own and spec is None:
        raise TraceError("ITF #meta lacks 'spec': not written by smtspec; name the spec it is a trace of (replay --spec)")
    if own and spec is not None and str(meta["spec"]) != spec:
        raise TraceError(f"the trace is of spec {meta['spec']}, not {spec}")
    raw_states = _list(doc["states"], "states")
    if not raw_states:
        raise TraceError("trace has no states")
    names = _list(doc["vars"], "vars")
    if not all(isinstance(v, str) for v in names):
        raise TraceError("vars must be a list of names")
    label_vars = [v for v in ACTION_VARS + PICKS_VARS if v in names]
    vars_ = tuple(dict.fromkeys(v for v in names if v not in label_vars))  # Quint repeats its mbt:: vars
    action_var = next((v for v in ACTION_VARS if v in names), None)
    picks_var = next((v for v in PICKS_VARS if v in names), None)
    states, steps = [], []
    for n, raw in enumerate(raw_states):
        if not isinstance(raw, dict):
            raise TraceError(f"state {n} is not an object")
        missing = [v for v in vars_ if v not in raw]
        if missing:
            raise TraceError(f"state {n} lacks {', '.join(missing)}")
        states.append(Rec({v: _value(raw[v], f"state {n} {v}") for v in vars_}))
        smeta = raw.get("#meta", {})
        if not isinstance(smeta, dict):
            raise TraceError(f"state {n}: #meta must be an object")
        if n > 0:
            steps.append(_step(n, raw, smeta, action_var, picks_var))
    params = _params(doc, raw_states[0])
    trace_scope = _scope_of(meta, params, own)
    for k, v in dict(scope or {}).items():
        if v is None:
            continue
        if not isinstance(v, int) or isinstance(v, bool):
            raise TraceError(f"scope bound {k} must be a whole number, got {v!r}")
        if trace_scope.get(k, v) != v:
            raise TraceError(f"the trace has {k}={trace_scope[k]}, but the scope given has {k}={v}")
        trace_scope[k] = v
    extra = {k: v for k, v in meta.items() if k not in _OWN_META}
    if doc.get("loop") is not None:
        extra["loop"] = doc["loop"]
    return Trace(
        spec=str(meta["spec"]) if own else str(spec),  # a str: a foreign trace without one is refused above
        kind=_kind(meta) if own else "counterexample",
        invariants=tuple(meta.get("invariants", ())) if own else (),
        violated=tuple(meta.get("violated", ())) if own else (),
        scope=Scope(tuple(trace_scope.items())),
        assumptions=tuple(meta.get("assumptions", ())) if own else (),
        vars=vars_,
        states=tuple(states),
        steps=tuple(steps),
        extra=extra,
    )


_OWN_META = {"format", "format-description", "description", "source", "version", "spec", "kind", "invariants",
             "violated", "length", "k", "depth", "scope", "assumptions"}


def _value(j: Any, where: str) -> Any:
    try:
        return value_from_itf(j)
    except TraceError as e:
        raise TraceError(f"{where}: {e}") from None


def _step(n: int, raw: dict, smeta: dict, action_var: str | None, picks_var: str | None) -> Step:
    """The step into state ``n``: smtspec's ``#meta.action``, else Quint's/Apalache's label variables."""
    if "action" in smeta:
        params = smeta.get("params", {})
        if not isinstance(smeta["action"], str) or not isinstance(params, dict):
            raise TraceError(f"state {n}: #meta action must be a name and params an object")
        return Step(smeta["action"], Rec({k: _value(v, f"state {n} parameter {k}") for k, v in params.items()}))
    action = raw.get(action_var) if action_var else None
    if not isinstance(action, str) or not action:
        return Step(None)
    picks = _value(raw.get(picks_var, {}), f"state {n} {picks_var}") if picks_var else Rec()
    return Step(action, Rec(_picked(picks)))


def _picked(picks: Any) -> dict:
    """Nondeterministic picks as parameters: ``Some(v)`` is ``v``, ``None`` is no parameter."""
    if not isinstance(picks, Rec):
        return {}
    out = {}
    for k, v in picks.items():
        if isinstance(v, Rec) and set(v) == {"tag", "value"}:
            if v["tag"] == "Some":
                out[k] = v["value"]
        else:
            out[k] = v
    return out


def _params(doc: dict, first: dict) -> dict[str, Any]:
    """The ITF params (the spec's constants) with their values in the first state."""
    names = _list(doc.get("params") or [], "params")
    if not all(isinstance(p, str) for p in names):
        raise TraceError("params must be a list of names")
    missing = [p for p in names if p not in first]
    if missing:
        raise TraceError(f"state 0 lacks the parameter(s) {', '.join(missing)} that params names")
    return {p: _value(first[p], f"parameter {p}") for p in names}


def _scope_of(meta: dict, params: dict[str, Any], own: bool) -> dict[str, int]:
    """The bounds in ``#meta.scope`` and the integer params; both must agree where both are given."""
    out: dict[str, int] = {}
    if own or "scope" in meta:
        given = meta.get("scope", {})
        if not isinstance(given, dict) or not all(
                isinstance(v, int) and not isinstance(v, bool) for v in given.values()):
            raise TraceError("#meta scope must map bound names to integers")
        out = {str(k): v for k, v in given.items()}
    for k, v in params.items():
        if not isinstance(v, int) or isinstance(v, bool):
            continue  # a constant that is not a bound (a set of servers, ...): the interpreter builds its own
        if out.get(k, v) != v:
            raise TraceError(f"params set {k}={v} in state 0, but #meta scope says {k}={out[k]}")
        out[k] = v
    return out


def write(trace: Trace, path: Path) -> None:
    write_text(path, json.dumps(to_itf(trace), indent=1) + "\n")


def _kind(meta: Mapping) -> str:
    kind = meta.get("kind", "counterexample")
    if kind not in KINDS:
        raise TraceError(f"#meta kind must be one of {', '.join(KINDS)}, got {kind!r}")
    return str(kind)


def read(path: Path, spec: str | None = None, scope: Mapping[str, int | None] | None = None) -> Trace:
    """The trace in an ITF file, smtspec's own or another tool's (see :func:`from_itf`).

    Raises TraceError with one line naming the file and what is wrong.
    """
    p = Path(path)
    if p.is_dir():
        raise TraceError(f"cannot read {path}: it is a folder, not a trace file")
    if p.exists() and not p.is_file():
        raise TraceError(f"cannot read {path}: not a regular file")
    try:
        with open(p, "rb") as f:
            raw = f.read(MAX_TRACE_BYTES + 1)
    except OSError as e:
        raise TraceError(f"cannot read {path}: {e.strerror or e}") from None
    if len(raw) > MAX_TRACE_BYTES:
        raise TraceError(f"cannot read {path}: larger than {MAX_TRACE_BYTES // 2**20} MiB")
    if raw[:2] == b"\x1f\x8b":
        raise TraceError(f"{path} is gzip-compressed: decompress it first (gunzip)")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise TraceError(f"{path} is not UTF-8 text") from None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as e:
        raise TraceError(f"{path} is not JSON: {e.msg} at line {e.lineno} column {e.colno}") from None
    except RecursionError:
        raise TraceError(f"{path}: JSON nested too deeply") from None
    try:
        return from_itf(doc, spec=spec, scope=scope)
    except TraceError as e:
        raise TraceError(f"{path}: {e}") from None
    except RecursionError:
        raise TraceError(f"{path}: values nest too deeply") from None
