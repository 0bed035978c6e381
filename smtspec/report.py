"""The results table: every invariant of a spec with its verdict, k, scope, helpers, time, BMC depth.

For each invariant: its recorded proof (``proofs/<spec>/<Name>.toml``) is re-checked if there
is one, else k-induction is tried for k = 1..K alone; one BMC run over all invariants gives
the deepest depth covered without a violation, or the shortest counterexample. The table is
Markdown, and :func:`update_readme` replaces the part of a README between two markers.
"""

from __future__ import annotations

import json
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

from . import engine, proofs, recorded
from .solving import Interrupted
from .atomic import write_text
from .system import SpecInfo
from .verdict import Cause, Verdict

BEGIN = "<!-- results:begin -->"
END = "<!-- results:end -->"


def reach_rows(raw: dict) -> list[dict]:
    """The runs of a ``benchmarks/bench_bmc_depth.py reach`` file, one row per (lemma, run).

    A run of several lemmas on one solver (``--together``) gives a row for each of them.
    """
    out = []
    for r in raw.get("reach", []):
        for name, x in r.get("each", {r["lemma"]: r}).items():
            out.append({**r, "lemma": name, "verdict": x["verdict"], "bound": x["bound"], "covered": x["covered"],
                        "together": "," in r["lemma"]})
    return out


def depth_summaries(files: list[Path]) -> dict[tuple[str, str], str]:
    """(spec, invariant) -> one cell: the median depth BMC covered within the budget, or the counterexample."""
    rows = []
    for f in files:
        raw = json.loads(Path(f).read_text(encoding="utf-8"))
        if not isinstance(raw, dict) or not isinstance(raw.get("reach", []), list):
            raise ValueError(f"{f} is not a file of `bench_bmc_depth.py reach` runs (a JSON object with 'reach')")
        rows += reach_rows(raw)
    out = {}
    for key in dict.fromkeys((r["spec"], r["lemma"]) for r in rows):
        runs = [r for r in rows if (r["spec"], r["lemma"]) == key]
        cex = sorted({r["bound"] for r in runs if r["verdict"] == "refuted"})
        if cex:
            out[key] = f"counterexample of {cex[0]} steps"
            continue
        covered = statistics.median(r["covered"] for r in runs)
        budget = runs[0]["budget"]
        how = "all invariants on one solver" if runs[0]["together"] else "alone"
        reached = " (the depth asked for)" if all(r["verdict"] == "no-violation" for r in runs) else ""
        out[key] = (f"none up to depth {covered:g}{reached} in {budget:g} s ({how}, "
                    f"{'median of ' + str(len(runs)) + ' runs' if len(runs) > 1 else '1 run'})")
    return out


@dataclass
class Row:
    invariant: str
    verdict: str
    k: int | None
    helpers: int | None
    seconds: float
    bmc: str
    source: str
    capacity: str = "-"
    deepest: str = "-"


def rows(info: SpecInfo, proof_dir: Path, max_k: int, depth: int, timeout: float | None,
         progress=lambda m: None, depths: dict | None = None) -> tuple[list[Row], str]:
    scope = info.scope()
    system = info.build(scope)
    opts = engine.Options(timeout=timeout)
    progress(f"report: BMC of {info.name} to depth {depth}")
    bmc = engine.bmc(system, list(info.invariant_names), depth, opts, progress)
    out = []
    _stop_if_interrupted(bmc.values())
    for name in info.invariant_names:
        b = bmc[name]
        if b.verdict is Verdict.REFUTED:
            bmc_text = f"counterexample of {b.bound} steps"
        elif b.verdict is Verdict.NO_VIOLATION:
            bmc_text = f"none up to depth {b.bound}"
        else:
            bmc_text = f"unknown ({b.reason})"
        file = proof_dir / info.name / f"{name}.toml"
        t0 = time.perf_counter()
        if file.is_file():
            proof = proofs.load(file)
            _s, res = proofs.run(proof, info.build, info.scope(dict(proof.scope)), opts, progress)
            r = res[name]
            _stop_if_interrupted([r])
            cap = dict(proof.scope).get("capacity", "-")
            note = r.capacity_note
            cap_text = f"{cap}" + (" (also at +1)" if note.startswith("also") else " (NOT at +1)" if note.startswith("NOT") else "")
            out.append(Row(name, r.verdict.value, proof.k, len(proof.helpers), time.perf_counter() - t0, bmc_text,
                           str(file), cap_text, (depths or {}).get((info.name, name), "-")))
            continue
        verdict, k_used = "unknown", None
        for k in range(1, max_k + 1):
            progress(f"report: {name} alone, k={k}")
            r = engine.prove(system, [name], k, opts=opts)[name]
            _stop_if_interrupted([r])
            verdict, k_used = r.verdict.value, k
            if r.verdict is not Verdict.UNKNOWN:
                break
        source = f"alone, k = 1..{max_k}"
        if b.verdict is Verdict.REFUTED:
            verdict = "refuted"
        cex = recorded.lookup(proof_dir, info.name, name)
        if cex is not None and cex.ok and verdict != "refuted":
            verdict = "refuted"
            source = (f"{cex.file}: a recorded behaviour of {cex.length} steps at scope {cex.scope}, replayed now "
                      f"(k-induction alone, k = 1..{max_k}: {r.verdict.value})")
        out.append(Row(name, verdict, k_used, 0, time.perf_counter() - t0, bmc_text,
                       source, str(scope.as_dict().get("capacity", "-")),
                       (depths or {}).get((info.name, name), "-")))
    return out, str(scope)


def _stop_if_interrupted(results) -> None:
    """Ctrl-C during a query: stop the report, so no table with an interrupted row is written."""
    if any(r.cause is Cause.INTERRUPTED for r in results):
        raise Interrupted()


def markdown(info: SpecInfo, table: list[Row], scope: str, command: str) -> str:
    deep = any(r.deepest != "-" for r in table)
    lines = [
        f"**{info.name}** ({info.title}), scope {scope} (a proof file may set another capacity; "
        f"'also at +1' means the proof also holds with one more element per grow-only set). "
        f"Regenerate with `{command}`.",
        "",
        "| invariant | verdict | k | capacity | helpers | seconds | BMC from Init |"
        + (" deepest BMC (recorded runs) |" if deep else "") + " how |",
        "|---|---|---|---|---|---|---|" + ("---|" if deep else "") + "---|",
    ]
    for r in table:
        lines.append(f"| {r.invariant} | {r.verdict} | {r.k if r.k is not None else '-'} | {r.capacity} | "
                     f"{r.helpers if r.helpers is not None else '-'} | {r.seconds:.1f} | {r.bmc} |"
                     + (f" {r.deepest} |" if deep else "") + f" {r.source} |")
    return "\n".join(lines) + "\n"


def spec_markers(spec: str) -> tuple[str, str]:
    return f"<!-- results:{spec}:begin -->", f"<!-- results:{spec}:end -->"


def marked(spec: str, text: str) -> str:
    """One spec's table between its own markers, so ``report --spec S`` replaces only that one."""
    b, e = spec_markers(spec)
    return f"{b}\n{text.rstrip()}\n{e}\n"


def update_readme(readme: Path, parts: dict[str, str], every_spec: bool) -> None:
    """Write each spec's table into the README: between its own markers when the README has
    them, else (all specs reported) the whole block between the results markers. A subset of
    the specs never replaces the others' tables (raises ValueError instead)."""
    body = readme.read_text(encoding="utf-8")
    if all(all(m in body for m in spec_markers(spec)) for spec in parts):
        for spec, text in parts.items():
            b, e = spec_markers(spec)
            update_readme_between(readme, b, e, text)
        return
    if not every_spec:
        missing = next(spec for spec in parts if not all(m in body for m in spec_markers(spec)))
        raise ValueError(f"{readme} has no markers {' and '.join(spec_markers(missing))}: run `smtspec report "
                         f"--update-readme` for every spec once, or add them")
    update_readme_between(readme, BEGIN, END, "\n".join(marked(spec, text) for spec, text in parts.items()))


CHECK_BEGIN = "<!-- check:begin -->"
CHECK_END = "<!-- check:end -->"


def check_markdown(rep, command: str) -> str:
    """The rows of a ``smtspec check`` run as a Markdown table, with the command that made it."""
    lines = [f"**{rep.spec}**, requested scope {rep.scope}; `{command}` ({rep.seconds:.0f} s"
             f"{', interrupted' if rep.interrupted else ''}). Regenerate with `{command} --update-readme README.md`.", "",
             "| invariant | verdict | how | scope of the verdict | trace length | covered / evidence |",
             "|---|---|---|---|---|---|"]
    for r in rep.rows.values():
        scope = "" if r.scope is None else ("requested" if r.scope == rep.scope else str(r.scope))
        length = "" if r.trace is None else f"{r.length}" + (
            f" (found {r.found_length})" if r.found_length and r.found_length != r.length else "")
        cov = []
        if r.covered.get("bmc_interleaving_depth") is not None:
            cov.append(f"BMC: no violation up to depth {r.covered['bmc_interleaving_depth']}")
        if r.covered.get("bmc_step_depth") is not None:
            cov.append(f"step-BMC: none within {r.covered['bmc_step_depth']} steps")
        if r.covered.get("steps_simulated"):
            cov.append(f"{r.covered['steps_simulated']:,} steps simulated, {r.covered['distinct_states']:,} distinct states")
        evidence = r.proof_file or r.recorded_file or r.trace_file or ""
        lines.append(f"| {r.invariant} | {r.verdict.value} | {r.method} | {scope} | {length} | "
                     f"{'; '.join(x for x in [evidence] + cov if x)} |")
    return "\n".join(lines) + "\n"


def update_readme_between(readme: Path, begin: str, end: str, text: str) -> None:
    """Replace what stands between two markers (raises ValueError when they are missing)."""
    body = readme.read_text(encoding="utf-8")
    if begin not in body or end not in body:
        raise ValueError(f"{readme} lacks the markers {begin} and {end}")
    head, rest = body.split(begin, 1)
    _old, tail = rest.split(end, 1)
    write_text(readme, f"{head}{begin}\n{text}{end}{tail}")
