"""The specifications smtspec knows, looked up by name, with closest-name suggestions.

A specification is a :class:`~smtspec.system.SpecInfo`. It is found in three places, in
this order:

1. every subpackage of ``smtspec.encodings`` (the top-level ``encodings/`` folder of the
   repository) whose ``SPEC`` is a ``SpecInfo``: adding ``encodings/<name>/`` is enough;
2. the entry-point group ``smtspec.specs`` of installed distributions, each value
   ``module:ATTR`` (``module`` alone means ``module:SPEC``), e.g. in a plug-in's
   ``pyproject.toml``: ``[project.entry-points."smtspec.specs"]`` ``myspec = "myspec:SPEC"``;
3. the environment variable ``SMTSPEC_SPECS``: ``module:ATTR`` entries separated by
   commas or by ``os.pathsep`` (``SMTSPEC_SPECS=toyplug:SPEC,other.pkg:SPEC``), for tests
   and ad-hoc use; the modules must be importable (e.g. on ``PYTHONPATH``).

Each is registered under ``SPEC.name``; parallel-raft and onos-config come first. A
registration that cannot be loaded (its module does not import, it has no such attribute,
or the attribute is not a ``SpecInfo``), or two different specs under one name, make
:func:`available` (and so ``get``, ``resolve``, ``spec_names``) raise
:class:`RegistrationError`: one line naming the module (``SMTSPEC_DEBUG=1`` raises a failed
import's own exception instead, with its traceback). :func:`loadable` skips them, for code
that runs at import time.
"""

from __future__ import annotations

import difflib
import functools
import importlib
import os
import pkgutil
from importlib import metadata
from typing import Iterable

from .errors import UsageError
from .system import SpecInfo

DEFAULT_SPEC = "parallel-raft"
FIRST = ("parallel-raft", "onos-config")  # listed first, in this order; the rest in discovery order
ENV_VAR = "SMTSPEC_SPECS"
ENTRY_POINT_GROUP = "smtspec.specs"


class LookupFailed(UsageError, LookupError):
    """An unknown spec, invariant or action name (the message suggests the closest)."""


class RegistrationError(LookupFailed):
    """A spec registration that cannot be loaded, or two specs under one name (one line)."""


def suggest(name: str, known: Iterable[str]) -> str:
    known = list(known)
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.5)
    if not close:
        lowered = {k.lower(): k for k in known}
        close = difflib.get_close_matches(name.lower(), list(lowered), n=1, cutoff=0.5)
        close = [lowered[c] for c in close]
    return f" (did you mean {close[0]}?)" if close else ""


def _one_line(text: object) -> str:
    return " ".join(str(text).split())


def _load(module: str, attr: str | None, where: str, required: bool = True) -> SpecInfo | None:
    """``module.attr`` (dotted ``attr`` allowed), checked to be a SpecInfo; None when the
    attribute is absent and not ``required`` (a subpackage of encodings that is no spec)."""
    try:
        obj = importlib.import_module(module)
    except Exception as e:  # any failure while importing: one line, not a traceback
        if os.environ.get("SMTSPEC_DEBUG"):
            raise
        raise RegistrationError(
            f"{where}: cannot import module '{module}': {type(e).__name__}: {_one_line(e)} "
            f"(SMTSPEC_DEBUG=1 shows the traceback)") from e
    attr = attr or "SPEC"
    for part in attr.split("."):
        if not hasattr(obj, part):
            if not required:
                return None
            raise RegistrationError(f"{where}: module '{module}' has no attribute '{attr}'")
        obj = getattr(obj, part)
    if not isinstance(obj, SpecInfo):
        raise RegistrationError(
            f"{where}: {module}:{attr} is a {type(obj).__name__}, not a smtspec.system.SpecInfo")
    return obj


def _attempt(out: list, where: str, load) -> None:
    """Append ``(where, spec)``, or ``(where, error)`` when the registration does not load."""
    try:
        spec = load()
    except RegistrationError as e:
        out.append((where, e))
    else:
        if spec is not None:
            out.append((where, spec))


def _builtin(out: list) -> None:
    # (imported by name: smtspec.encodings is the folder encodings/, mapped by package-dir, which a
    # type checker does not see as a submodule of the checkout's smtspec/)
    encodings = importlib.import_module(f"{__package__}.encodings")

    for m in sorted(pkgutil.iter_modules(encodings.__path__), key=lambda m: m.name):
        if m.ispkg and not m.name.startswith("_"):
            module = f"{encodings.__name__}.{m.name}"
            where = f"spec package {module}"
            _attempt(out, where, lambda: _load(module, "SPEC", where, required=False))


def _entry_points(out: list) -> None:
    for ep in metadata.entry_points(group=ENTRY_POINT_GROUP):
        dist = getattr(ep, "dist", None)
        where = f"entry point '{ep.name} = {ep.value}' (group {ENTRY_POINT_GROUP}" + (
            f", distribution {dist.name})" if dist is not None else ")")
        module, _, attr = ep.value.partition(":")
        _attempt(out, where, lambda: _load(module.strip(), attr.strip() or None, where))


def env_entries(text: str) -> list[tuple[str, str]]:
    """The ``(module, attr)`` pairs of a ``SMTSPEC_SPECS`` value. Entries are separated by
    commas or ``os.pathsep``; where ``os.pathsep`` is ``:`` (POSIX) ``a:SPEC:b:SPEC`` is
    read as two entries, so each entry must name its attribute."""
    if os.pathsep != ":":
        text = text.replace(os.pathsep, ",")
    out = []
    for chunk in text.split(","):
        parts = [p.strip() for p in chunk.split(":")]
        if parts == [""]:
            continue
        if len(parts) % 2 or not all(parts):
            raise RegistrationError(f"{ENV_VAR}: '{chunk.strip()}' is not a list of module:ATTR entries "
                                    f"(e.g. {ENV_VAR}=mypkg:SPEC)")
        out += list(zip(parts[::2], parts[1::2]))
    return out


def _from_env(out: list, text: str) -> None:
    try:
        entries = env_entries(text)
    except RegistrationError as e:
        out.append((ENV_VAR, e))
        return
    for m, a in entries:
        where = f"{ENV_VAR} entry {m}:{a}"
        _attempt(out, where, lambda: _load(m, a, where))


@functools.lru_cache(maxsize=8)
def _discover(env: str) -> tuple[tuple[tuple[str, SpecInfo], ...], tuple[RegistrationError, ...]]:
    """The specs that load, in listing order, and the errors of the registrations that do not."""
    found: dict[str, tuple[str, SpecInfo]] = {}
    errors: list[RegistrationError] = []
    registrations: list = []
    _builtin(registrations)
    _entry_points(registrations)
    _from_env(registrations, env)
    for where, spec in registrations:
        if isinstance(spec, RegistrationError):
            errors.append(spec)
        elif spec.name not in found:
            found[spec.name] = (where, spec)
        elif found[spec.name][1] is not spec:  # the same spec registered twice (e.g. also by SMTSPEC_SPECS) is one
            errors.append(RegistrationError(f"two specs are named '{spec.name}': {found[spec.name][0]} and {where}"))
    order = [n for n in FIRST if n in found] + [n for n in found if n not in FIRST]
    return tuple((n, found[n][1]) for n in order), tuple(errors)


def available() -> dict[str, SpecInfo]:
    """Every spec registered in this installation (see the module docstring), by name.
    Raises :class:`RegistrationError` (one line) if any registration does not load."""
    specs, errors = _discover(os.environ.get(ENV_VAR, ""))
    if errors:  # a fresh exception each time (the cached one would collect tracebacks)
        raise RegistrationError(*errors[0].args) from errors[0].__cause__
    return dict(specs)


def loadable() -> dict[str, SpecInfo]:
    """The registered specs that load, without raising for those that do not (of two specs
    under one name, the first). For code that runs at import time, such as building the
    command line's scope flags: the commands then call :func:`available`, which reports the
    failing registration as one error line."""
    return dict(_discover(os.environ.get(ENV_VAR, ""))[0])


def spec_names() -> list[str]:
    return list(available())


def get(name: str) -> SpecInfo:
    specs = available()
    if name not in specs:
        raise LookupFailed(f"unknown spec '{name}'{suggest(name, specs)}; known: {', '.join(specs)}")
    return specs[name]


def resolve(spec: str | None, invariants: Iterable[str]) -> SpecInfo:
    """The spec named, or the one spec that has all the invariants, or the default."""
    invariants = list(invariants)
    specs = available()
    if spec is not None:
        info = get(spec)
    else:
        owners = [s for s in specs.values() if invariants and all(i in s.invariant_names for i in invariants)]
        info = owners[0] if len(owners) == 1 else specs[DEFAULT_SPEC]
    for name in invariants:
        if name not in info.invariant_names:
            elsewhere = [s.name for s in specs.values() if name in s.invariant_names]
            hint = f" (it is an invariant of --spec {elsewhere[0]})" if elsewhere else suggest(name, info.invariant_names)
            raise LookupFailed(f"unknown invariant '{name}' in spec {info.name}{hint}")
    return info
