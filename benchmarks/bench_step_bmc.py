"""Benchmark: how deep BMC gets in a budget with interleaving semantics and with step semantics.

Run by hand (not in CI), from the repository root:

    python benchmarks/bench_step_bmc.py --lemmas Lemma3,Lemma8 --budget 120 --runs 1

For each lemma, semantics and run, ``bmc --depth MAX --budget B`` runs alone in a fresh
process (one at a time unless ``--jobs``; Z3 state left by one run would change the next,
as in ``bench_bmc_depth.py``, whose per-depth figures are reused). It records the depth
covered without a violation (in steps of that semantics) and, for step semantics, the
interleaved length that depth covers: every interleaved behaviour of at most that many
actions (a step may also hold up to one action per server, so more). A counterexample is
recorded with its step depth and its serialized (interleaved) length. The JSON goes to
``--out`` (default ``benchmarks/results/bmc-step-<date>.json``), rewritten after every
run; runs already in it are skipped, so an interrupted campaign resumes.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import statistics
import sys
import time

from smtspec import engine, registry
from smtspec.atomic import write_text
from smtspec.backend import LocalPool

SEMANTICS = ("interleaving", "step")
CONFIG = dict(cone=True, symmetry=True)  # the defaults; step semantics turns symmetry breaking off itself


def one_run(spec: str, lemma: str, max_depth: int, semantics: str, budget: float, scope: dict) -> dict:
    """BMC of one lemma alone in one semantics; the depth covered in the budget, per-depth seconds."""
    info = registry.get(spec)
    system = info.build(info.scope(scope))
    per_depth: dict[str, dict] = {}

    def observe(d, fig):
        per_depth[str(d)] = {"seconds": round(fig["seconds"], 4), "elapsed": round(fig["elapsed"], 3)}

    opts = engine.Options(budget=budget, semantics=semantics, **CONFIG)
    t0 = time.perf_counter()
    r = engine.bmc(system, [lemma], max_depth, opts, observe=observe)[lemma]
    out = {
        "spec": spec, "lemma": lemma, "semantics": semantics, "method": r.method, "budget": budget,
        "max_depth": max_depth, "scope": system.scope.as_dict(), "verdict": r.verdict.value, "bound": r.bound,
        "covered": r.covered, "reason": r.reason, "seconds": round(time.perf_counter() - t0, 3),
        "reductions": list(r.reductions), "per_depth": per_depth, "pid": os.getpid(),
        # every interleaved behaviour of at most `covered` actions is covered, in both semantics
        "interleaved_covered": r.covered,
    }
    if r.trace is not None:
        out["trace_length"] = r.trace.length
        out["actions_per_step"] = r.trace.extra.get("actions_per_step")
    return out


def _one_run(args):
    """``one_run(*args)``: a task of plain data for the backend."""
    return one_run(*args)


def _load(path) -> dict:
    if path and os.path.exists(path):
        with open(path) as f:
            return json.load(f)
    return {}


def campaign(args, raw) -> None:
    runs = raw.setdefault("runs", [])
    done = {(r["lemma"], r["semantics"], r["run"]) for r in runs}
    tasks = [((args.spec, lemma, args.max_depth, sem, args.budget, args.scope), n)
             for n in range(args.runs) for lemma in args.lemmas for sem in args.semantics
             if (lemma, sem, n) not in done]
    print(f"{len(tasks)} run(s) to do, {len(done)} already recorded", flush=True)
    with LocalPool(args.jobs, max_tasks_per_child=1) as pool:  # smtspec's execution backend
        for i, res in pool.map_indexed(_one_run, [t for t, _n in tasks]):
            res["run"] = tasks[i][1]
            runs.append(res)
            write_text(args.out, json.dumps(raw, indent=1))
            print(f"{res['lemma']:16} {res['semantics']:12} run {res['run']}: {res['verdict']} "
                  f"depth covered {res['covered']} in {res['seconds']:.1f} s", flush=True)


def table(raw) -> list[str]:
    rows = raw.get("runs", [])
    out = ["| lemma | semantics | runs | depth covered (median; each run) | counterexample (steps / actions) | "
           "seconds of the last finished depth's query (median) |", "|---|---|---|---|---|---|"]
    for lemma in dict.fromkeys(r["lemma"] for r in rows):
        for sem in SEMANTICS:
            rs = [r for r in rows if r["lemma"] == lemma and r["semantics"] == sem]
            if not rs:
                continue
            cov = [r["covered"] for r in rs]
            cex = sorted({(r["bound"], r.get("trace_length")) for r in rs if r["verdict"] == "refuted"})
            q = [r["per_depth"][str(r["covered"])]["seconds"] for r in rs
                 if r["covered"] is not None and str(r["covered"]) in r["per_depth"]]
            qcell = f"{statistics.median(q):.1f}" if q else "-"
            out.append(f"| {lemma} | {sem} | {len(rs)} | {statistics.median(cov):g}; {', '.join(map(str, cov))} | "
                       f"{', '.join(f'{a} / {b}' for a, b in cex) or 'none'} | {qcell} |")
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--spec", default="parallel-raft")
    ap.add_argument("--lemmas", default="Lemma3,Lemma8", help="comma-separated")
    ap.add_argument("--semantics", default=",".join(SEMANTICS))
    ap.add_argument("--budget", type=float, default=120.0, help="seconds per run")
    ap.add_argument("--max-depth", type=int, default=30)
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--scope", default="", help="e.g. servers=3,terms=3 (default: the spec's default scope)")
    ap.add_argument("--out", default=None)
    ap.add_argument("--show", action="store_true", help="only print the table of --out")
    args = ap.parse_args(argv)
    args.lemmas = args.lemmas.split(",")
    args.semantics = [s for s in args.semantics.split(",") if s]
    bad = [s for s in args.semantics if s not in SEMANTICS]
    if bad:
        ap.error(f"unknown semantics {bad[0]!r} (interleaving or step)")
    args.scope = {k: int(v) for k, v in (kv.split("=") for kv in args.scope.split(",") if kv)}
    args.out = args.out or os.path.join("benchmarks", "results", f"bmc-step-{datetime.date.today()}.json")
    raw = _load(args.out)
    if not args.show:
        info = registry.get(args.spec)
        raw.setdefault("machine", {"cpus": os.cpu_count()})
        raw.setdefault("scope", info.scope(args.scope).as_dict())
        campaign(args, raw)
    print("\n".join(table(raw)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
