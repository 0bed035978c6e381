"""``smtspec strengthen``: Houdini over a pool of candidate helpers (the spec's templates, its other
invariants, the helpers of its recorded proofs, a user's file), shrunk with unsat cores, and a
proof file written per proved target."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Mapping

from .. import engine, proofs
from .. import strengthen as sth
from ..errors import UsageError
from ..system import System
from ..verdict import SCHEMA, Verdict, worst_exit_code
from .common import build, check_writable

K_RANGE = (1, 20)
DEPTH_RANGE = (0, 100)


@dataclass(frozen=True)
class StrengthenOptions:
    names: tuple[str, ...]
    k: int = 1
    depth: int = 6  # BMC depth that filters out refuted candidates
    spec: str | None = None
    scope: Mapping[str, int] = field(default_factory=dict)
    candidates: Path | None = None  # a TOML file of [[helpers]]
    write: Path | None = None  # folder for the proof files (default <proofs_dir>/<spec>)
    proofs_dir: Path = Path("proofs")
    timeout: float | None = None


@dataclass
class StrengthenReport:
    spec: str
    system: System
    k: int
    report: sth.Report
    by_name: dict
    files: dict[str, Path | None]

    def exit_code(self) -> int:
        finals = [o.final for o in self.report.outcomes.values()]
        return worst_exit_code(finals) if all(finals) else 3

    def to_json(self) -> list[dict]:
        rep, out = self.report, []
        for t, o in rep.outcomes.items():
            file = self.files.get(t)
            out.append({
                "schema": SCHEMA, "spec": self.spec, "invariant": t, "target": t, "k": self.k,
                "scope": self.system.scope.as_dict(), "survived": o.survived,
                "verdict": o.final.verdict.value if o.final else "unknown",
                "method": "k-induction", "helpers": o.kept,
                "helper_readings": {n: self.by_name[n].invariant.doc for n in o.kept},
                "proof_file": str(file) if file else None, "pool": rep.pool,
                "refuted_by_bmc": len(rep.refuted_by_bmc), "dropped_by_houdini": len(rep.dropped_by_houdini),
                "survivors": len(rep.survivors), "seconds": {**rep.seconds, "target": o.seconds}, "trace": None})
        return out


def candidate_pool(system: System, names, spec: str, candidates: Path | None, proofs_dir: Path) -> list:
    """The spec's templates, its other invariants, and the helpers of the spec's proof files
    and of the user's candidates file, each once."""
    pool = sth.template_pool(system)
    pool += [sth.Candidate(i, "spec") for i in system.invariants if i.name not in names]
    extra_files = ([candidates] if candidates else []) + sorted(Path(proofs_dir, spec).glob("*.toml"))
    seen = {c.invariant.name for c in pool}
    for f in extra_files:
        pf = proofs.load(f) if f != candidates else proofs.load_helpers(f)
        if pf.spec != spec:
            continue
        plain = [h for h in pf.helpers if not h.invariant]
        for inv, h in zip(proofs.helper_invariants(tuple(plain), system, f.parent), plain):
            if inv.name not in seen:
                seen.add(inv.name)
                pool.append(sth.Candidate(inv, "user" if f == candidates else "proof", helper=h))
    return pool


def run(opts: StrengthenOptions, progress: Callable[[str], None] = lambda m: None) -> StrengthenReport:
    if not K_RANGE[0] <= opts.k <= K_RANGE[1]:
        raise UsageError(f"--k must be between {K_RANGE[0]} and {K_RANGE[1]}, got {opts.k}")
    if not DEPTH_RANGE[0] <= opts.depth <= DEPTH_RANGE[1]:
        raise UsageError(f"--depth must be between {DEPTH_RANGE[0]} and {DEPTH_RANGE[1]}, got {opts.depth}")
    names = list(opts.names)
    info, system = build(opts.spec, names, opts.scope)
    if opts.candidates is not None and not opts.candidates.is_file():
        raise UsageError(f"--candidates {opts.candidates}: no such file")
    check_writable(opts.write or Path(opts.proofs_dir, info.name))  # before the run, not after it
    pool = candidate_pool(system, names, info.name, opts.candidates, opts.proofs_dir)
    _extended, rep = sth.strengthen(system, names, pool, opts.k, opts.depth, engine.Options(timeout=opts.timeout),
                                    progress)
    by_name = {c.invariant.name: c for c in pool}
    by_name.update({i.name: sth.Candidate(i, "spec") for i in system.invariants if i.name in names})
    folder = opts.write or Path(opts.proofs_dir, info.name)
    files: dict[str, Path | None] = {}
    for t, o in rep.outcomes.items():
        files[t] = None
        if o.survived and o.final is not None and o.final.verdict is Verdict.PROVED:
            proof = proofs.Proof(spec=info.name, target=t, k=opts.k, expect="proved", scope=system.scope.items,
                                 helpers=tuple(sth.as_helper(by_name[n]) for n in o.kept),
                                 note=f"found by smtspec strengthen from a pool of {rep.pool} candidates")
            file = folder / f"{t}.toml"
            try:
                proofs.save(proof, file)
            except OSError as e:
                raise UsageError(f"cannot write {file}: {e.strerror or e}") from None
            files[t] = file
    return StrengthenReport(info.name, system, opts.k, rep, by_name, files)
