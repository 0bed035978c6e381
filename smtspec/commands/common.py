"""What several commands share: the spec and scope a request names, writing traces, helpers in TLA+."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import Mapping, Sequence

from .. import proofs, registry, show
from .. import trace as traces
from ..errors import UsageError
from ..scope import Scope, ScopeError
from ..system import Invariant, SpecInfo, System
from ..verdict import Result


def resolve_scope(spec: str | None, names: Sequence[str], scope: Mapping[str, int]) -> tuple[SpecInfo, Scope]:
    """The spec (named, or the one owning the invariants) and the scope the given bounds make."""
    info = registry.resolve(spec, list(names))
    declared = {b.name for b in info.bounds}
    foreign = sorted(set(scope) - declared)
    if foreign:
        raise UsageError(f"--{foreign[0]} is not a bound of {info.name} "
                         f"(its bounds: {', '.join('--' + b for b in sorted(declared))})")
    return info, info.scope(dict(scope))


def build(spec: str | None, names: Sequence[str], scope: Mapping[str, int]) -> tuple[SpecInfo, System]:
    info, sc = resolve_scope(spec, names, scope)
    return info, info.build(sc)


def check_writable(target: Path) -> None:
    """Fail before a long run, not after it, when traces could not be written."""
    folder = target.parent if target.suffix == ".json" else target
    probe = folder
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    if probe.exists() and (not probe.is_dir() or not os.access(probe, os.W_OK)):
        raise UsageError(f"cannot write traces to {target}: {probe} is not a writable folder")


def write_traces(results: Sequence[Result], target: Path, errors: list[str] | None = None) -> list[Result]:
    """Each result's trace written as ITF under ``target`` (a folder, or one .json file for one
    trace); the results returned carry the file's path. A file that cannot be written raises
    UsageError, or, given ``errors``, is listed there and its result kept without a file (so a
    finished verdict is never lost for want of a file)."""
    with_trace = [r for r in results if r.trace is not None]
    if not with_trace:
        return list(results)
    as_file = target.suffix == ".json" and len(with_trace) == 1 and not target.is_dir()
    out = []
    for r in results:
        if r.trace is None:
            out.append(r)
            continue
        if as_file:
            path = target
        else:
            suffix = ".cti.itf.json" if r.trace.kind == "cti" else ".itf.json"
            path = target / f"{r.invariant}{suffix}"
        try:
            traces.write(r.trace, path)
        except OSError as e:
            if errors is None:
                raise UsageError(f"cannot write {path}: {e.strerror or e}") from None
            errors.append(f"cannot write {path}: {e.strerror or e}")
            out.append(r)
            continue
        out.append(replace(r, trace_file=str(path)))
    return out


def tla_helper(system: System, text: str) -> Invariant:
    """A TLA+ helper of a proof file (the front end needs tree-sitter, so it is imported on use)."""
    from ..tla import TLAError
    from ..tla import tla_helper as translate

    try:
        return translate(system, text)
    except TLAError as e:
        raise proofs.ProofError(f"TLA+ helper: {e}") from None


def with_helpers(info: SpecInfo, system: System, names: list[str], with_files: Sequence[Path],
                 with_tla: Sequence[str]) -> tuple[System, list[str]]:
    """The system with the helpers of proof files and ``--with-tla`` texts added, and the
    invariant names to check (the named ones, then the helpers)."""
    names = list(names)
    for f in with_files:
        proof = proofs.load(f)
        if proof.spec != info.name:
            raise UsageError(f"{f} is a proof for spec {proof.spec}, not {info.name}")
        assert proof.path is not None  # proofs.load sets it
        system = proofs.with_invariants(system, proofs.helper_invariants(proof.helpers, system, proof.path.parent,
                                                                         tla=tla_helper))
        names += [n for n in proofs.proof_names(proof)[1:] if n not in names]
    for n, text in enumerate(with_tla, start=1):
        from ..tla import TLAError, tla_invariant

        try:
            inv = tla_invariant(system, text, f"TLA{n}", doc=" ".join(text.split()))
        except TLAError as e:
            raise UsageError(f"--with-tla {n}: {e}") from None
        system = proofs.with_invariants(system, (inv,))
        names.append(inv.name)
        TLA_TEXTS[inv.name] = text
    return system, names


TLA_TEXTS: dict[str, str] = {}  # --with-tla name -> its text, recorded in the traces that mention it


def record_tla_texts(results: Sequence[Result], texts: dict[str, str]) -> list[Result]:
    """Each trace that names a ``--with-tla`` invariant carries its text (``#meta.tla_invariants``),
    so that ``smtspec replay`` can evaluate the claim later instead of refusing it."""
    out = []
    for r in results:
        if r.trace is not None:
            used = {n: texts[n] for n in (*r.trace.invariants, *r.trace.violated) if n in texts}
            if used:
                r = replace(r, trace=with_trace_extra(r.trace, tla_invariants=used))
        out.append(r)
    return out


def with_trace_extra(tr: traces.Trace, **extra) -> traces.Trace:
    return replace(tr, extra={**tr.extra, **{k: v for k, v in extra.items() if v is not None}})


SCHEDULER_PROTOCOLS = ("tcp", "tls", "ws", "wss", "inproc", "ucx")


def check_scheduler(address: str | None) -> None:
    """``--scheduler``: a Dask scheduler's address, ``tcp://HOST:PORT`` (or ``HOST:PORT``)."""
    if address is None:
        return
    import re

    m = re.fullmatch(r"(?:([a-z]+)://)?(\[[0-9a-fA-F:]+\]|[^\s:/\[\]]+)(?::(\d{1,5}))?/?", address.strip())
    if not m or (m.group(1) is not None and m.group(1) not in SCHEDULER_PROTOCOLS) or \
            (m.group(3) is not None and not 0 < int(m.group(3)) < 65536):
        raise UsageError(f"--scheduler takes a Dask scheduler's address such as tcp://127.0.0.1:8786, got {address!r}")


def open_backend(workers: int, scheduler: str | None):
    """The execution backend of a command (``smtspec.backend``); what stops it from starting is a usage error."""
    from ..backend import BackendError, backend_for

    check_scheduler(scheduler)
    try:
        return backend_for(workers, scheduler)
    except BackendError as e:
        raise UsageError(str(e)) from None


def load_trace(file: Path, spec: str | None = None, scope: Mapping[str, int] | None = None):
    """A trace file read and checked against its spec: ``(trace, info, scope, system)``, with
    every value inside its variable's type at the trace's scope (``replay``, ``triage``)."""
    tr = traces.read(file, spec=spec, scope=dict(scope) if scope else None)
    info = registry.get(tr.spec)
    try:
        sc = info.scope(tr.scope.as_dict())
    except ScopeError as e:
        raise UsageError(f"{file}: {e}") from None
    system = info.build(sc)
    problem = out_of_scope(tr, system)
    if problem:
        raise UsageError(f"{file}: {problem}")
    return tr, info, sc, system


def out_of_scope(tr: traces.Trace, system: System) -> str | None:
    """The first value of the trace outside its variable's sort at the scope (a server that does
    not exist, a term above the bound, a value of the wrong shape), or None."""
    for n, st in enumerate(tr.states):
        for v in system.vars:
            if v.name not in st:
                continue  # the replay reports variables that are missing or extra
            values = st[v.name] if v.grow else [st[v.name]]
            try:
                bad = next((x for x in values if not v.sort.contains(x)), None)
            except TypeError:  # a grow-only set that is not a set
                return f"state {n} {v.name}: not a set"
            if bad is not None or (v.grow and not isinstance(st[v.name], frozenset)):
                return f"state {n} {v.name}: {show.tla(bad)} is not a value of its type at scope {system.scope}"
    return None
