"""Benchmark: BMC depth 1..D and k-induction k = 1..K for every ParallelRaft-CE lemma.

Run by hand (not in CI): ``python benchmarks/bench_parallel_raft.py [--depth D] [--k K]
[--runs R] [--lemmas L1,L2] [--timeout S] [--out FILE.json]``. For each lemma it runs BMC
once per run on one incremental solver and records the cumulative time at which each
depth was finished, and runs ``prove --k k`` for every k (each its own solver). It prints a
table of medians over the runs and can write the raw figures as JSON.
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


def bmc_depth_times(system, lemma, depth, timeout):
    marks: dict[int, float] = {}
    start = time.perf_counter()
    last = [None]

    def progress(msg):
        # "bmc: NAME at depth d/D": depth d-1 is finished once depth d starts
        d = int(msg.rsplit(" ", 1)[1].split("/")[0])
        if last[0] is not None and d != last[0]:
            marks[last[0]] = time.perf_counter() - start
        last[0] = d

    r = engine.bmc(system, [lemma], depth, engine.Options(timeout=timeout), progress=progress)[lemma]
    if last[0] is not None:
        marks[last[0]] = time.perf_counter() - start
    return marks, r


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
    for lemma in lemmas:
        if not args.skip_bmc:
            runs = []
            for _ in range(args.runs):
                marks, r = bmc_depth_times(system, lemma, args.depth, args.timeout)
                runs.append({"marks": marks, "verdict": r.verdict.value, "bound": r.bound})
            raw["bmc"][lemma] = runs
            med = {d: statistics.median(run["marks"][d] for run in runs if d in run["marks"]) for d in runs[0]["marks"]}
            print(f"bmc {lemma}: {runs[0]['verdict']} (depth {runs[0]['bound']}); "
                  + " ".join(f"d{d}={t:.1f}s" for d, t in sorted(med.items())), flush=True)
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
        print(f"\nBMC, cumulative seconds to finish each depth (median of {args.runs}), scope {raw['scope']}")
        depths = range(args.depth + 1)
        print("| lemma | verdict | " + " | ".join(f"d{d}" for d in depths) + " |")
        print("|---|---|" + "---|" * len(depths))
        for lemma, runs in raw["bmc"].items():
            cells = []
            for d in depths:
                vals = [run["marks"][d] for run in runs if d in run["marks"]]
                cells.append(f"{statistics.median(vals):.1f}" if vals else "-")
            v = runs[0]["verdict"] + (f"@{runs[0]['bound']}" if runs[0]["verdict"] == "refuted" else "")
            print(f"| {lemma} | {v} | " + " | ".join(cells) + " |")
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
