"""``smtspec check-proofs``: re-check recorded proofs (``*.toml``) and recorded refutations
(``*.cex.itf.json``, replayed by the concrete interpreter)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .. import engine, proofs, recorded, registry
from ..errors import UsageError
from ..scope import Scope, ScopeError
from ..system import SpecInfo
from ..cache import Cache, default_dir
from ..solving import caching, interrupt_requested
from ..verdict import SCHEMA, Cause, Method, Result, Verdict
from .common import check_scheduler, open_backend


@dataclass(frozen=True)
class CheckProofsOptions:
    path: Path = Path("proofs")
    timeout: float | None = None
    workers: int = 1  # proof files re-checked at once (one per worker process)
    scheduler: str | None = None  # a Dask scheduler's address (tcp://HOST:PORT): re-check the proofs there
    cache: bool = True  # answer a query already shown unsat (same text, solver, options) from the answer cache
    cache_dir: Path | None = None  # default: smtspec.cache.default_dir() (the user's cache folder)


@dataclass(frozen=True)
class ProofRow:
    """One proof file re-checked."""

    file: Path
    proof: proofs.Proof
    scope: Scope
    result: Result
    helpers_not_proved: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return self.result.verdict.value == self.proof.expect

    @property
    def status(self) -> str:
        """``ok``; ``unknown`` when the re-check did not finish (a timeout, Ctrl-C, the solver
        gave up, a lost worker), which says nothing about the recorded verdict; else ``changed``."""
        if self.ok:
            return "ok"
        r = self.result
        if r.verdict is Verdict.UNKNOWN and r.cause is not None and r.cause is not Cause.CTI:
            return "unknown"
        return "changed"

    def to_json(self) -> dict:
        r = self.result
        return {"schema": SCHEMA, "spec": self.proof.spec, "invariant": self.proof.target, "file": str(self.file),
                "target": self.proof.target, "expected": self.proof.expect, "verdict": r.verdict.value,
                "method": r.method, "ok": self.ok, "status": self.status,
                "cause": None if r.cause is None else r.cause.value, "k": self.proof.k, "scope": self.scope.as_dict(),
                "helpers": len(self.proof.helpers), "helpers_not_proved": list(self.helpers_not_proved),
                "capacity_check": r.capacity_note, "seconds": round(r.seconds, 3), "trace": None}


@dataclass(frozen=True)
class RefutationRow:
    """One recorded refutation replayed."""

    file: Path
    check: recorded.Check

    @property
    def ok(self) -> bool:
        return self.check.ok

    @property
    def status(self) -> str:
        return "ok" if self.ok else "changed"

    def to_json(self) -> dict:
        return {"schema": SCHEMA, **self.check.to_json(), "expected": "refuted", "ok": self.ok, "status": self.status,
                "method": "recorded-counterexample", "trace": str(self.file)}


@dataclass
class CheckProofsReport:
    refutations: list[RefutationRow] = field(default_factory=list)
    proofs: list[ProofRow] = field(default_factory=list)
    events: list[str] = field(default_factory=list)  # workers that died and the proofs re-run (the backend's)

    @property
    def _rows(self) -> list[RefutationRow | ProofRow]:
        return [*self.refutations, *self.proofs]

    interrupted: bool = False  # Ctrl-C: the rows are what finished

    def exit_code(self) -> int:
        """1 if a recorded verdict changed; 3 if a re-check did not finish (or Ctrl-C); else 0."""
        statuses = {r.status for r in self._rows}
        if "changed" in statuses:
            return 1
        return 3 if "unknown" in statuses or self.interrupted else 0

    def to_json(self) -> list[dict]:
        return [r.to_json() for r in self._rows]


def files(path: Path) -> tuple[list[Path], list[Path]]:
    """The proof files and the recorded refutations at ``path`` (a file or a folder)."""
    if not path.exists():
        raise UsageError(f"no proof file or folder at {path}")
    found = proofs.find(path) if path.is_dir() or not path.name.endswith(recorded.SUFFIX) else []
    cexs = recorded.find(path)
    if not found and not cexs:
        raise UsageError(f"no proof files or recorded refutations under {path}")
    return found, cexs


def run(opts: CheckProofsOptions, progress: Callable[[str], None] = lambda m: None,
        row_done: Callable[[object], None] = lambda row: None) -> CheckProofsReport:
    """Each refutation replayed and each proof re-run (one task per proof file, on ``opts.workers``
    processes or the cluster at ``opts.scheduler``); ``row_done`` sees each row as it finishes.
    The report lists the proofs in file order, however the tasks were run."""
    if not 1 <= opts.workers <= 64:
        raise UsageError(f"--workers must be 1..64, got {opts.workers}")
    check_scheduler(opts.scheduler)
    proof_files, cexs = files(opts.path)
    for f in proof_files:  # every file read and checked before any is run: a bad one stops the run here
        validated(f)
    rep = CheckProofsReport()
    for f in cexs:
        rep.refutations.append(RefutationRow(f, recorded.check(f)))
        row_done(rep.refutations[-1])
    if not proof_files:
        return rep
    cache_dir = str(opts.cache_dir or default_dir()) if opts.cache else None
    jobs = [(str(f), opts.timeout, cache_dir) for f in proof_files]
    if opts.workers <= 1 and opts.scheduler is None:  # in this process, with the solver's progress
        try:
            for job in jobs:
                rep.proofs.append(_proof_row(job, progress))
                row_done(rep.proofs[-1])
                if rep.proofs[-1].result.cause is Cause.INTERRUPTED or interrupt_requested():
                    rep.interrupted = True  # Ctrl-C: the rest is not re-checked
                    break
        except KeyboardInterrupt:
            rep.interrupted = True
        return rep
    rows: dict[int, ProofRow] = {}
    try:
        with open_backend(opts.workers, opts.scheduler) as backend:
            progress(f"re-checking {len(jobs)} proof(s) on {backend.describe()}")
            poll = lambda: progress(f"re-checking {len(jobs)} proof(s): {backend.counts()}")  # noqa: E731
            for i, row in backend.map_indexed(_proof_row, jobs, _lost, poll=poll):
                rows[i] = row
                row_done(row)
            rep.events = list(backend.events)
    except KeyboardInterrupt:
        rep.interrupted = True
    rep.proofs = [rows[i] for i in sorted(rows)]
    rep.interrupted = rep.interrupted or any(r.result.cause is Cause.INTERRUPTED for r in rep.proofs)
    return rep


def _proof_row(job, progress: Callable[[str], None] = lambda m: None) -> ProofRow:
    """One proof file re-run (in whatever process runs the task)."""
    file, timeout, cache_dir = job
    proof = proofs.load(Path(file))
    info = registry.get(proof.spec)
    scope = info.scope(dict(proof.scope))
    with caching(Cache(Path(cache_dir)) if cache_dir is not None else None):
        _system, res = proofs.run(proof, info.build, scope, engine.Options(timeout=timeout), progress)
    dropped = tuple(n for n in proofs.proof_names(proof)[1:] if res[n].verdict.value != "proved")
    return ProofRow(Path(file), proof, scope, res[proof.target], dropped)


def _lost(job, err) -> ProofRow:
    """A proof whose worker processes kept dying: unknown, reported, never dropped."""
    file = job[0]
    proof = proofs.load(Path(file))
    scope = registry.get(proof.spec).scope(dict(proof.scope))
    res = Result(proof.spec, proof.target, Verdict.UNKNOWN, Method.K_INDUCTION, proof.k, scope, (), 0.0,
                 reason=str(err), cause=Cause.WORKER_LOST)
    return ProofRow(Path(file), proof, scope, res, ())


def validated(f: Path) -> tuple[proofs.Proof, SpecInfo, Scope]:
    """A proof file read and checked against its spec: the spec exists, the target and the
    assumptions are its invariants, the scope is one of its scopes."""
    proof = proofs.load(f)
    try:
        info = registry.get(proof.spec)
    except registry.LookupFailed as e:
        raise proofs.ProofError(f"{f}: {e}") from None
    unknown = [n for n in (proof.target, *proof.assume) if n not in info.invariant_names]
    if unknown:
        raise proofs.ProofError(f"{f}: {unknown[0]} is not an invariant of {info.name}"
                                f"{registry.suggest(unknown[0], info.invariant_names)}")
    try:
        scope = info.scope(dict(proof.scope))
    except ScopeError as e:
        raise proofs.ProofError(f"{f}: [scope]: {e}") from None
    return proof, info, scope
