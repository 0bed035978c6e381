"""``smtspec check-proofs``: re-check recorded proofs (``*.toml``) and recorded refutations
(``*.cex.itf.json``, replayed by the concrete interpreter)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .. import engine, proofs, recorded, registry
from ..errors import UsageError
from ..scope import Scope
from ..verdict import SCHEMA, Result


@dataclass(frozen=True)
class CheckProofsOptions:
    path: Path = Path("proofs")
    timeout: float | None = None


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

    def to_json(self) -> dict:
        r = self.result
        return {"schema": SCHEMA, "spec": self.proof.spec, "invariant": self.proof.target, "file": str(self.file),
                "target": self.proof.target, "expected": self.proof.expect, "verdict": r.verdict.value,
                "method": r.method, "ok": self.ok, "k": self.proof.k, "scope": self.scope.as_dict(),
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

    def to_json(self) -> dict:
        return {"schema": SCHEMA, **self.check.to_json(), "expected": "refuted", "ok": self.ok,
                "method": "recorded-counterexample", "trace": str(self.file)}


@dataclass
class CheckProofsReport:
    refutations: list[RefutationRow] = field(default_factory=list)
    proofs: list[ProofRow] = field(default_factory=list)

    @property
    def _rows(self) -> list[RefutationRow | ProofRow]:
        return [*self.refutations, *self.proofs]

    def exit_code(self) -> int:
        return 1 if any(not r.ok for r in self._rows) else 0

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
    """Each refutation replayed and each proof re-run; ``row_done`` sees each row as it finishes."""
    proof_files, cexs = files(opts.path)
    rep = CheckProofsReport()
    for f in cexs:
        rep.refutations.append(RefutationRow(f, recorded.check(f)))
        row_done(rep.refutations[-1])
    for f in proof_files:
        proof = proofs.load(f)
        info = registry.get(proof.spec)
        scope = info.scope(dict(proof.scope))
        _system, res = proofs.run(proof, info.build, scope, engine.Options(timeout=opts.timeout), progress)
        dropped = tuple(n for n in proofs.proof_names(proof)[1:] if res[n].verdict.value != "proved")
        rep.proofs.append(ProofRow(f, proof, scope, res[proof.target], dropped))
        row_done(rep.proofs[-1])
    return rep
