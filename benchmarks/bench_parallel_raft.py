"""Benchmark: BMC depth 1..D and k-induction k = 1..K for every ParallelRaft-CE lemma.

Run by hand (not in CI): ``python benchmarks/bench_parallel_raft.py [--depth D] [--k K]
[--runs R] [--lemmas L1,L2] [--timeout S] [--out FILE.json]``. BMC checks all lemmas on
one incremental solver per run (as ``smtspec bmc`` does) and records the seconds of each
lemma's query at each depth; k-induction runs ``prove --k k`` for each lemma and k (each
its own solver). It prints tables of medians over the runs and can write the raw
figures as JSON.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time

from smtspec import engine
from smtspec.atomic import write_text
from smtspec.encodings.parallel_raft import SPEC


def bmc_query_times(system, lemmas, depth, timeout):
    """One BMC run over all lemmas: seconds of each (lemma, depth) query, and per depth in all."""
    times: dict[str, dict[int, float]] = {"(building the step)": {}, **{n: {} for n in lemmas}}
    per_depth: dict[int, float] = {}
    state = {"key": None, "t": time.perf_counter(), "start": time.perf_counter()}

    def close(now):
        if state["key"] is not None:
            lemma, d = state["key"]
            times[lemma][d] = now - state["t"]
            per_depth[d] = now - state["start"]

    def progress(msg):
        # "bmc: NAME at depth d/D" is reported as each query starts
        now = time.perf_counter()
        close(now)
        name = "(building the step)" if "building step" in msg else msg.split(": ", 1)[1].split(" at depth")[0]
        d = int(msg.rsplit(" ", 1)[1].split("/")[0])
        state.update(key=(name, d), t=now)

    res = engine.bmc(system, lemmas, depth, engine.Options(timeout=timeout), progress=progress)
    close(time.perf_counter())
    return times, per_depth, res


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--depth", type=int, default=8)
    ap.add_argument("--k", type=int, default=6)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--lemmas", default=",".join(SPEC.invariant_names))
    ap.add_argument("--timeout", type=float, default=600.0, help="seconds per solver query")
    ap.add_argument("--out", default=None)
    ap.add_argument("--skip-bmc", action="store_true")
    ap.add_argument("--skip-prove", action="store_true")
    args = ap.parse_args(argv)
    system = SPEC.build(SPEC.scope())
    lemmas = args.lemmas.split(",")
    raw: dict = {"scope": system.scope.as_dict(), "runs": args.runs, "bmc": {}, "prove": {}}
    if not args.skip_bmc:
        for run in range(args.runs):
            times, per_depth, res = bmc_query_times(system, lemmas, args.depth, args.timeout)
            raw["bmc"].setdefault("runs", []).append(
                {"times": times, "cumulative": per_depth,
                 "verdicts": {n: [r.verdict.value, r.bound] for n, r in res.items()}})
            print(f"bmc run {run + 1}: depth {args.depth} in {max(per_depth.values()):.1f}s", flush=True)
            if args.out:
                write_text(args.out, json.dumps(raw, indent=1))
    for lemma in lemmas:
        if not args.skip_prove:
            raw["prove"][lemma] = {}
            for k in range(1, args.k + 1):
                times, verdicts = [], []
                for _ in range(args.runs):
                    t0 = time.perf_counter()
                    r = engine.prove(system, [lemma], k, opts=engine.Options(timeout=args.timeout))[lemma]
                    times.append(time.perf_counter() - t0)
                    verdicts.append(r.verdict.value)
                raw["prove"][lemma][k] = {"seconds": times, "verdicts": verdicts}
                print(f"prove {lemma} k={k}: {verdicts[0]} median {statistics.median(times):.1f}s", flush=True)
        if args.out:
            write_text(args.out, json.dumps(raw, indent=1))
    print_tables(raw, args)
    return 0


def print_tables(raw, args) -> None:
    if raw["bmc"]:
        runs = raw["bmc"]["runs"]
        depths = range(args.depth + 1)
        print(f"\nBMC of all lemmas on one solver: seconds of each lemma's query at each depth "
              f"(median of {len(runs)} runs), scope {raw['scope']}")
        print("| lemma | verdict | " + " | ".join(f"d{d}" for d in depths) + " |")
        print("|---|---|" + "---|" * len(depths))
        for lemma in runs[0]["times"]:
            cells = []
            for d in depths:
                vals = [run["times"][lemma][d] for run in runs if d in run["times"][lemma]]
                cells.append(f"{statistics.median(vals):.2f}" if vals else "-")
            v, b = runs[0]["verdicts"].get(lemma, ["", 0])
            print(f"| {lemma} | {v}{'@' + str(b) if v == 'refuted' else ''} | " + " | ".join(cells) + " |")
        cum = [statistics.median(run["cumulative"][d] for run in runs if d in run["cumulative"]) for d in depths]
        print("| all, cumulative | | " + " | ".join(f"{c:.1f}" for c in cum) + " |")
    if raw["prove"]:
        print(f"\nk-induction, seconds per run (median of {args.runs}), verdict")
        ks = range(1, args.k + 1)
        print("| lemma | " + " | ".join(f"k={k}" for k in ks) + " |")
        print("|---|" + "---|" * len(ks))
        for lemma, per_k in raw["prove"].items():
            cells = [f"{statistics.median(per_k[k]['seconds']):.1f} {per_k[k]['verdicts'][0]}" if k in per_k else "-" for k in ks]
            print(f"| {lemma} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    sys.exit(main())
