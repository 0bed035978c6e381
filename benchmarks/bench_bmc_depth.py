"""Benchmark: how deep BMC gets, and what each reduction buys.

Run by hand (not in CI), from the repository root:

- ``python benchmarks/bench_bmc_depth.py reductions --depth 10 --runs 3 --lemmas Lemma3,Lemma11``
  runs BMC of each lemma alone under each reduction setting (none, cone of influence,
  symmetry, both) and records, per depth, the seconds of that depth's query, the
  cumulative seconds, and the size of the formula the SAT solver holds (variables and
  clauses Z3 made so far). It prints medians over the runs and ratios against "none".
- ``python benchmarks/bench_bmc_depth.py reach --budget 600 --max-depth 30 --runs 3 --jobs 2``
  runs ``bmc --depth 30 --budget 600`` for each lemma (all of the spec's by default) and
  records the deepest depth covered without a violation, or the counterexample depth.
  ``--jobs`` runs that many in parallel processes (each gets one core of its own only if
  the machine has that many). The JSON is rewritten after every run, and a run already
  in it is skipped, so an interrupted campaign resumes.

- ``python benchmarks/bench_bmc_depth.py show --files A.json B.json`` prints the reach table
  of several result files together: depth covered per run, the growth of query time per
  depth, and an extrapolation to ``--max-depth`` (an estimate).

``--out FILE.json`` keeps the raw figures; ``--spec onos-config`` works too.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time

from smtspec import engine, registry
from smtspec.atomic import write_text
from smtspec.backend import LocalPool
from smtspec.report import reach_rows

CONFIGS = {
    "none": dict(cone=False, symmetry=False),
    "cone": dict(cone=True, symmetry=False),
    "symmetry": dict(cone=False, symmetry=True),
    "cone+symmetry": dict(cone=True, symmetry=True),
}


def one_run(spec: str, lemma: str, depth: int, config: str, budget: float | None) -> dict:
    """BMC of one lemma alone (or of several, comma-separated, on one solver); per-depth figures and verdicts."""
    info = registry.get(spec)
    system = info.build(info.scope())
    names = lemma.split(",")
    per_depth: dict[int, dict] = {}

    def observe(d, fig):
        st = fig["stats"]
        per_depth[str(d)] = {
            "seconds": round(fig["seconds"], 4),
            "elapsed": round(fig["elapsed"], 3),
            "sat_vars": st.get("sat mk var", 0),
            "sat_clauses": st.get("sat mk clause 2ary", 0) + st.get("sat mk clause nary", 0),
        }

    opts = engine.Options(budget=budget, **CONFIGS[config])
    t0 = time.perf_counter()
    res = engine.bmc(system, names, depth, opts, observe=observe)
    r = res[names[0]]
    return {
        "spec": spec, "lemma": lemma, "config": config, "budget": budget, "max_depth": depth,
        "verdict": r.verdict.value, "bound": r.bound, "covered": r.covered, "reason": r.reason,
        "seconds": round(time.perf_counter() - t0, 3), "reductions": list(r.reductions),
        "per_depth": per_depth, "pid": os.getpid(),
        "each": {n: {"verdict": x.verdict.value, "bound": x.bound, "covered": x.covered} for n, x in res.items()},
    }


def _one_run(args):
    """``one_run(*args)``: a task of plain data for the backend."""
    return one_run(*args)


def _save(path, raw) -> None:
    if path:
        write_text(path, json.dumps(raw, indent=1))


def _load(path) -> dict:
    if path and os.path.exists(path):
        with open(path) as f:
            return json.load(f)
    return {}


def _campaign(tasks, jobs, raw, key, out) -> None:
    """Run (lemma, run, args...) tasks, ``jobs`` at a time, saving after each."""
    done = {(r["lemma"], r["config"], r["run"]) for r in raw.setdefault(key, [])}
    todo = [t for t in tasks if (t[0][1], t[0][3], t[1]) not in done]
    print(f"{len(todo)} run(s) to do, {len(tasks) - len(todo)} already recorded", flush=True)
    # a fresh process per run: Z3 state left by an earlier run in the same process would change the next
    with LocalPool(jobs, max_tasks_per_child=1) as pool:  # smtspec's execution backend
        for i, res in pool.map_indexed(_one_run, [args for args, _run in todo]):
            res["run"] = todo[i][1]
            raw[key].append(res)
            _save(out, raw)
            print(f"{res['lemma']:18} {res['config']:14} run {res['run']}: {res['verdict']} "
                  f"covered {res['covered']} in {res['seconds']:.1f}s", flush=True)


def reductions(args, raw) -> None:
    tasks = [((args.spec, lemma, args.depth, config, None), run)
             for run in range(args.runs) for lemma in args.lemmas for config in args.configs]
    _campaign(tasks, args.jobs, raw, "reductions", args.out)
    print_reductions(raw, args.depth)


def reach(args, raw) -> None:
    groups = [",".join(args.lemmas)] if args.together else args.lemmas
    tasks = [((args.spec, lemma, args.max_depth, config, args.budget), run)
             for run in range(args.runs) for lemma in groups for config in args.configs]
    _campaign(tasks, args.jobs, raw, "reach", args.out)
    print_reach(raw, args.max_depth)


def _median(xs):
    return statistics.median(xs) if xs else None


def print_reductions(raw, depth) -> None:
    rows = raw.get("reductions", [])
    lemmas = list(dict.fromkeys(r["lemma"] for r in rows))
    configs = [c for c in CONFIGS if any(r["config"] == c for r in rows)]
    print(f"\nBMC of one lemma to depth {depth}: cumulative seconds (median over runs), ratio to 'none', "
          f"and SAT variables/clauses at depth {depth}")
    print("| lemma | " + " | ".join(configs) + " |")
    print("|---|" + "---|" * len(configs))
    for lemma in lemmas:
        cells, base = [], None
        for c in configs:
            runs = [r for r in rows if r["lemma"] == lemma and r["config"] == c]
            secs = _median([r["seconds"] for r in runs])
            last = [r["per_depth"].get(str(depth))
                    for r in runs]
            last = [x for x in last if x]
            if c == "none":
                base = secs
            ratio = f" ({base / secs:.1f}x)" if base and secs and c != "none" else ""
            size = (f", {int(_median([x['sat_vars'] for x in last])):,} vars / "
                    f"{int(_median([x['sat_clauses'] for x in last])):,} clauses") if last else ""
            cells.append(f"{secs:.1f} s{ratio}{size} ({len(runs)} runs)" if secs is not None else "-")
        print(f"| {lemma} | " + " | ".join(cells) + " |")
    for lemma in lemmas:
        print(f"\n{lemma}: seconds of each depth's query (median), per reduction setting")
        depths = range(depth + 1)
        print("| setting | " + " | ".join(f"d{d}" for d in depths) + " |")
        print("|---|" + "---|" * len(depths))
        for c in configs:
            runs = [r for r in rows if r["lemma"] == lemma and r["config"] == c]
            cells = []
            for d in depths:
                xs = [r["per_depth"][str(d)]["seconds"] for r in runs if str(d) in r["per_depth"]]
                cells.append(f"{_median(xs):.2f}" if xs else "-")
            print(f"| {c} | " + " | ".join(cells) + " |")


def growth(run: dict, last: int = 3) -> float | None:
    """Geometric mean of the last ``last`` depth-to-depth ratios of query seconds up to the covered depth."""
    c = run["covered"]
    qs = [run["per_depth"][str(d)]["seconds"] for d in range(max(0, c - last), c + 1) if str(d) in run["per_depth"]]
    ratios = [b / a for a, b in zip(qs, qs[1:]) if a > 0 and b > 0]
    return statistics.geometric_mean(ratios) if ratios else None


def extrapolated(run: dict, target: int) -> float | None:
    """Seconds from the covered depth to ``target`` if each further query grows by :func:`growth` (an estimate)."""
    g, c = growth(run), run["covered"]
    if g is None or c >= target:
        return None
    q = run["per_depth"][str(c)]["seconds"]
    return sum(q * g ** n for n in range(1, target - c + 1))


def reach_table(rows: list[dict], target: int) -> list[str]:
    """Markdown table: per (lemma, setting), depth covered in the budget and what the next depths would cost."""
    keys = list(dict.fromkeys((r["lemma"], r["config"]) for r in rows))
    out = ["| lemma | reductions | runs | depth covered (median; each run) | counterexample | "
           "seconds to reach it (median) | its query, s (median) | next depth: s without an answer (median) | "
           "growth per depth (median) | extrapolated hours to depth " + str(target) + " |",
           "|---|---|---|---|---|---|---|---|---|---|"]
    for lemma, config in keys:
        runs = [r for r in rows if (r["lemma"], r["config"]) == (lemma, config)]
        covered = [r["covered"] for r in runs]
        cex = sorted({r["bound"] for r in runs if r["verdict"] == "refuted"})
        have = [r for r in runs if r["covered"] is not None and str(r["covered"]) in r["per_depth"]]
        deepest = _median([r["per_depth"][str(r["covered"])]["elapsed"] for r in have])
        query = _median([r["per_depth"][str(r["covered"])]["seconds"] for r in have])
        unfinished = [r for r in have if r["verdict"] == "unknown"]
        waited = _median([r["seconds"] - r["per_depth"][str(r["covered"])]["elapsed"] for r in unfinished])
        g = _median([x for x in map(growth, unfinished) if x is not None])
        est = _median([x for x in (extrapolated(r, target) for r in unfinished) if x is not None])
        out.append(f"| {lemma} | {config} | {len(runs)} | {_median(covered):g}; {', '.join(map(str, covered))} | "
                   f"{', '.join(map(str, cex)) or 'none'} | {deepest or 0:.0f} | {query or 0:.1f} | "
                   f"{'-' if waited is None else f'{waited:.0f}'} | {'-' if g is None else f'{g:.1f}x'} | "
                   f"{'-' if est is None else f'{est / 3600:.3g}'} |")
    return out


def print_reach(raw, target: int = 30) -> None:
    print("\nBMC, one lemma at a time (or together): depth reached within the budget. 'growth' is the "
          "geometric mean of the last three depth-to-depth ratios of query seconds; the last column "
          "extrapolates it (an estimate, not a measurement)")
    print("\n".join(reach_table(reach_rows(raw), target)))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("mode", choices=("reductions", "reach", "show"))
    ap.add_argument("--spec", default="parallel-raft")
    ap.add_argument("--lemmas", default=None, help="comma-separated; default: every invariant of the spec")
    ap.add_argument("--depth", type=int, default=10, help="reductions: the depth")
    ap.add_argument("--configs", default=None, help="reduction settings (default: all for reductions, "
                    "cone+symmetry for reach)")
    ap.add_argument("--max-depth", type=int, default=30, help="reach: the depth asked for")
    ap.add_argument("--budget", type=float, default=600.0, help="reach: seconds per run")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--together", action="store_true", help="reach: all lemmas in one BMC run (one solver)")
    ap.add_argument("--out", default=None)
    ap.add_argument("--files", nargs="+", default=None, help="show: the reach table of these result files together")
    args = ap.parse_args(argv)
    info = registry.get(args.spec)
    args.lemmas = args.lemmas.split(",") if args.lemmas else list(info.invariant_names)
    args.configs = args.configs.split(",") if args.configs else (
        list(CONFIGS) if args.mode == "reductions" else ["cone+symmetry"])
    if args.mode == "show" and args.files:
        rows = [r for f in args.files for r in reach_rows(_load(f))]
        print("\n".join(reach_table(rows, args.max_depth)))
        return 0
    raw = _load(args.out)
    raw.setdefault("machine", {"cpus": os.cpu_count()})
    raw.setdefault("scope", info.scope().as_dict())
    if args.mode == "reductions":
        reductions(args, raw)
    elif args.mode == "reach":
        reach(args, raw)
    else:
        print_reductions(raw, args.depth)
        print_reach(raw, args.max_depth)
    return 0


if __name__ == "__main__":
    sys.exit(main())
