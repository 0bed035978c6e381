"""Simulation throughput and search quality, measured (never asserted in tests).

    python benchmarks/bench_simulation.py speed   [--runs 3] [--steps 200000]
    python benchmarks/bench_simulation.py compare [--runs 3] [--steps 2000000] [--scope 3,2,1,1]
    python benchmarks/bench_simulation.py show FILE

``speed``: steps per second on one core at servers=3 terms=3 indexes=2 values=2 with all
15 invariants checked in every state: the readable interpreter's random walks (the
baseline, ``smtspec.simulate``), the fast form stepping uniformly over actions (TLC's
simulator), and the guided search. Each run is a fresh process; the median of the runs.

``compare``: the three strategies (uniform, swarm, guided) with the same step budget and
seeds: distinct states and abstract states per second, the deepest state, and the step at
which each violation was first found. Results go to ``benchmarks/results/``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from datetime import date
from pathlib import Path

from smtspec import registry

RESULTS = Path(__file__).parent / "results"
NAMES = registry.get("parallel-raft").invariant_names  # all 15


def _scope(items):
    from smtspec.scope import Scope

    s, t, i, v = items
    return Scope.of(servers=s, terms=t, indexes=i, values=v, capacity=3)


def _run_interpreter(job) -> dict:
    from smtspec import simulate
    from smtspec.encodings.parallel_raft import interpreter

    scope_items, steps, seed = job
    walks = max(1, steps // 50)
    rep = simulate.simulate(lambda: interpreter, _scope(scope_items), NAMES, walks, 50, seed)
    return {"steps": rep.steps, "seconds": rep.seconds}


def _run_search(job) -> dict:
    from smtspec import guided
    from smtspec.encodings.parallel_raft import fastsim

    scope_items, strategy, steps, seed = job
    rep = guided.search(fastsim.load(_scope(scope_items)),
                        guided.SearchOptions(names=NAMES, strategy=strategy, steps=steps, seed=seed))
    j = rep.to_json()
    j["first_found_at_step"] = {n: f.at_step for n, f in rep.found.items()}
    return j


def _fresh(fn, job):
    """``fn(job)`` in a fresh worker process (smtspec's execution backend, one task per process)."""
    from smtspec.backend import LocalPool

    with LocalPool(1, max_tasks_per_child=1) as pool:
        return pool.submit(fn, job).result()


def speed(args) -> dict:
    scope = (3, 3, 2, 2)
    rows = {}
    for label, fn, job in (
        ("interpreter random walks (baseline)", _run_interpreter, lambda s: (scope, args.steps // 20, s)),
        ("fast form, uniform over actions", _run_search, lambda s: (scope, "uniform", args.steps, s)),
        ("fast form, guided search", _run_search, lambda s: (scope, "guided", args.steps, s)),
    ):
        runs = []
        for r in range(args.runs):
            out = _fresh(fn, job(r + 1))
            runs.append(out["steps"] / out["seconds"])
            print(f"{label}: run {r + 1}: {runs[-1]:,.0f} steps/s", file=sys.stderr)
        rows[label] = {"runs": runs, "median": statistics.median(runs)}
    base = rows["interpreter random walks (baseline)"]["median"]
    for row in rows.values():
        row["ratio"] = row["median"] / base
    return {"mode": "speed", "date": str(date.today()), "scope": scope, "invariants": len(NAMES), "rows": rows}


def compare(args) -> dict:
    scope = tuple(int(x) for x in args.scope.split(","))
    rows = {}
    for strategy in ("uniform", "swarm", "guided"):
        runs = []
        for r in range(args.runs):
            out = _fresh(_run_search, (scope, strategy, args.steps, r + 1))
            runs.append(out)
            print(f"{strategy}: run {r + 1}: {out['steps_per_second']:,.0f} steps/s, "
                  f"{out['distinct_states']:,} states, depth {out['max_depth']}, found {out['first_found_at_step']}",
                  file=sys.stderr)
        rows[strategy] = runs
    return {"mode": "compare", "date": str(date.today()), "scope": scope, "steps": args.steps, "rows": rows}


def show(doc: dict) -> str:
    lines = []
    if doc["mode"] == "speed":
        lines.append(f"Steps per second, one core, scope {doc['scope']}, all {doc['invariants']} invariants "
                     f"checked in every state ({doc['date']}, median of {len(next(iter(doc['rows'].values()))['runs'])}):")
        lines.append("")
        lines.append("| stepping | median steps/s | runs | ratio to the interpreter |")
        lines.append("|---|---|---|---|")
        for label, row in doc["rows"].items():
            lines.append(f"| {label} | {row['median']:,.0f} | {', '.join(f'{x:,.0f}' for x in row['runs'])} | "
                         f"{row['ratio']:.0f}x |")
    else:
        n = len(next(iter(doc["rows"].values())))
        lines.append(f"{doc['steps']:,} steps per run, scope {doc['scope']} ({doc['date']}, median of {n} seeds):")
        lines.append("")
        lines.append("| strategy | distinct states/s | distinct states | abstract states | deepest state | "
                     "violations found (runs that found it; median step of the first) |")
        lines.append("|---|---|---|---|---|---|")
        for strategy, runs in doc["rows"].items():
            med = lambda k: statistics.median(r[k] for r in runs)  # noqa: E731
            found: dict[str, list] = {}
            for r in runs:
                for name, at in r["first_found_at_step"].items():
                    found.setdefault(name, []).append(at)
            ftxt = "; ".join(f"{k} ({len(v)}/{n}; {statistics.median(v):,.0f})" for k, v in sorted(found.items())) or "none"
            lines.append(f"| {strategy} | {med('distinct_states_per_second'):,.0f} | {med('distinct_states'):,.0f} | "
                         f"{med('distinct_abstract_states'):,.0f} | {med('max_depth'):.0f} | {ftxt} |")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("mode", choices=("speed", "compare", "show"))
    ap.add_argument("file", nargs="?")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--steps", type=int, default=None)
    ap.add_argument("--scope", default="3,2,1,1", help="servers,terms,indexes,values (compare)")
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args()
    if args.mode == "show":
        print(show(json.loads(Path(args.file).read_text())))
        return
    args.steps = args.steps or (200_000 if args.mode == "speed" else 2_000_000)
    t0 = time.perf_counter()
    doc = speed(args) if args.mode == "speed" else compare(args)
    doc["seconds"] = round(time.perf_counter() - t0, 1)
    out = args.out or RESULTS / f"simulation-{args.mode}-{doc['date']}.json"
    out.write_text(json.dumps(doc, indent=1) + "\n")
    print(show(doc))
    print(f"written to {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
