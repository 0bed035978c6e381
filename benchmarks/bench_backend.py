"""Throughput of the execution backend (smtspec/backend.py) with 1 and 2 workers, measured
(never asserted in tests).

    python benchmarks/bench_backend.py simulate     [--runs 3] [--seconds 20] [--backends local,dask]
    python benchmarks/bench_backend.py check-proofs [--runs 3] [--proofs proofs] [--files Lemma1,Lemma2]
    python benchmarks/bench_backend.py all          [...both...]
    python benchmarks/bench_backend.py show FILE

``simulate``: a guided campaign on parallel-raft at its default scope, all 15 invariants,
bounded by ``--seconds`` (one search per worker): steps per second summed over the workers
(the campaign's steps over its wall-clock time, worker start-up included), per backend: the
local process pool and a local Dask cluster (``LocalCluster``, processes, one thread each;
its start-up is timed apart).

``check-proofs``: the recorded proofs re-checked, one task per proof file: wall-clock seconds
with 1 worker (in this process) and with 2 (the local pool, and a local Dask cluster). A
folder's time with several workers is bounded below by its longest proof.

Each figure is the median of ``--runs`` runs; the ratio is the 1-worker median over the
2-worker one (throughput ratio for the campaign, time ratio for check-proofs). The machine's
load is recorded with the results (``os.getloadavg`` before each run): a core shared with
another job makes the 2-worker ratio a lower bound. Results go to ``benchmarks/results/``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

RESULTS = Path(__file__).parent / "results"
ROOT = Path(__file__).resolve().parent.parent


def _load() -> float:
    return round(os.getloadavg()[0], 2)


def _backend(kind: str, workers: int):
    from smtspec.backend import DaskBackend, LocalPool

    return DaskBackend(workers=workers) if kind == "dask" and workers > 1 else LocalPool(workers)


def simulate(args) -> dict:
    from smtspec import guided, registry
    from smtspec.search import loader_for

    info = registry.get("parallel-raft")
    scope = info.scope({})
    opts = guided.SearchOptions(names=tuple(info.invariant_names), steps=10**12, seconds=args.seconds, seed=1)
    rows: dict = {}
    for kind in args.backends:
        for workers in (1, 2):
            label = f"{kind}, {workers} worker(s)" if workers > 1 else "1 worker (this process)"
            if label in rows:
                continue
            runs, starts, loads = [], [], []
            for r in range(args.runs):
                loads.append(_load())
                t0 = time.perf_counter()
                with _backend(kind, workers) as backend:
                    starts.append(time.perf_counter() - t0)
                    rep, _found = guided.campaign(loader_for(info), scope, guided.SearchOptions(
                        **{**opts.__dict__, "seed": opts.seed + 100 * r}), workers, backend=backend)
                runs.append(rep.steps / rep.seconds)
                print(f"simulate, {label}: run {r + 1}: {runs[-1]:,.0f} steps/s ({rep.steps:,} steps in "
                      f"{rep.seconds:.1f} s, start-up {starts[-1]:.1f} s, load {loads[-1]})", file=sys.stderr)
            rows[label] = {"backend": kind if workers > 1 else "in-process", "workers": workers, "steps_per_second": runs,
                           "median": statistics.median(runs), "startup_seconds": starts, "load_before": loads}
    base = rows["1 worker (this process)"]["median"]
    for row in rows.values():
        row["ratio"] = row["median"] / base
    return {"mode": "simulate", "spec": "parallel-raft", "scope": scope.as_dict(), "invariants": 15,
            "strategy": "guided", "seconds_per_campaign": args.seconds, "rows": rows}


def check_proofs(args) -> dict:
    from smtspec.commands import check_proofs as cp

    source = Path(args.proofs)
    folder = source
    tmp = None
    if args.files:
        tmp = tempfile.TemporaryDirectory()
        folder = Path(tmp.name)
        for spec_dir in sorted(p for p in source.iterdir() if p.is_dir()):
            (folder / spec_dir.name).mkdir()
            for f in spec_dir.iterdir():
                if f.suffix == ".py" or f.stem in args.files:
                    (folder / spec_dir.name / f.name).write_bytes(f.read_bytes())
    rows: dict = {}
    try:
        for kind in args.backends:
            for workers in (1, 2):
                label = f"{kind}, {workers} worker(s)" if workers > 1 else "1 worker (this process)"
                if label in rows:
                    continue
                runs, loads, per_file = [], [], {}
                for r in range(args.runs):
                    loads.append(_load())
                    old = os.environ.get("SMTSPEC_BACKEND")
                    os.environ["SMTSPEC_BACKEND"] = kind
                    t0 = time.perf_counter()
                    try:
                        rep = cp.run(cp.CheckProofsOptions(folder, workers=workers))
                    finally:
                        if old is None:
                            os.environ.pop("SMTSPEC_BACKEND", None)
                        else:
                            os.environ["SMTSPEC_BACKEND"] = old
                    runs.append(time.perf_counter() - t0)
                    assert rep.exit_code() == 0, "a recorded proof did not re-check"
                    per_file = {p.file.name: round(p.result.seconds, 2) for p in rep.proofs}
                    print(f"check-proofs, {label}: run {r + 1}: {runs[-1]:.1f} s ({len(rep.proofs)} proofs, "
                          f"load {loads[-1]})", file=sys.stderr)
                rows[label] = {"backend": kind if workers > 1 else "in-process", "workers": workers, "seconds": runs,
                               "median": statistics.median(runs), "load_before": loads,
                               "per_proof_seconds_last_run": per_file}
    finally:
        if tmp is not None:
            tmp.cleanup()
    base = rows["1 worker (this process)"]["median"]
    for row in rows.values():
        row["ratio"] = base / row["median"]
    return {"mode": "check-proofs", "proofs": str(args.proofs), "files": args.files or "all", "rows": rows}


def show(path: Path) -> None:
    data = json.loads(path.read_text())
    print(f"{data['date']}: {data['note']}")
    for part in data["parts"]:
        unit = "steps/s" if part["mode"] == "simulate" else "s"
        print(f"\n{part['mode']}")
        for label, row in part["rows"].items():
            print(f"  {label:<28} median {row['median']:>10,.1f} {unit}   ratio {row['ratio']:.2f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("mode", choices=("simulate", "check-proofs", "all", "show"))
    ap.add_argument("file", nargs="?")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--seconds", type=float, default=20.0)
    ap.add_argument("--backends", default="local,dask", help="comma-separated: local, dask")
    ap.add_argument("--proofs", default=str(ROOT / "proofs"))
    ap.add_argument("--files", default="", help="comma-separated proof names (default: every proof file)")
    ap.add_argument("--note", default="", help="recorded with the results (e.g. what else the machine ran)")
    ap.add_argument("--out", default=None)
    args = ap.parse_args()
    if args.mode == "show":
        show(Path(args.file))
        return
    args.backends = [b for b in args.backends.split(",") if b]
    args.files = [f for f in args.files.split(",") if f]
    t0 = time.perf_counter()
    parts = []
    if args.mode in ("simulate", "all"):
        parts.append(simulate(args))
    if args.mode in ("check-proofs", "all"):
        parts.append(check_proofs(args))
    out = {"date": date.today().isoformat(), "cores": len(os.sched_getaffinity(0)), "runs": args.runs,
           "note": args.note, "parts": parts, "seconds": round(time.perf_counter() - t0, 1)}
    RESULTS.mkdir(exist_ok=True)
    path = Path(args.out) if args.out else RESULTS / f"backend-{args.mode}-{out['date']}.json"
    path.write_text(json.dumps(out, indent=1) + "\n")
    print(f"wrote {path}", file=sys.stderr)
    show(path)


if __name__ == "__main__":
    main()
