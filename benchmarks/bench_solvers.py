"""Benchmark: would a solver portfolio help? One BMC query, several SMT solvers.

Run by hand (not in CI), from the repository root:

    python benchmarks/bench_solvers.py --lemma Lemma3 --depth 9 --runs 3 --timeout 60

builds the query ``smtspec bmc`` asks at that depth (default reductions, see
:func:`smtspec.engine.bmc_query`), writes it as SMT-LIB 2 (QF_BV), and gives it to Z3
(``QF_BV``, as smtspec does), Bitwuzla and cvc5, each installed or skipped (``pip install
bitwuzla cvc5``; neither is a dependency of smtspec). Every run is a separate process
killed at the timeout. Prints the answer and median seconds per solver, and the ratio to
Z3. The query is one non-incremental check; smtspec's own runs are incremental.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import statistics
import sys
import tempfile
import time

import z3

from smtspec import engine, registry
from smtspec.atomic import write_text


def run_z3(path: str) -> str:
    s = z3.SolverFor("QF_BV")
    s.from_file(path)
    return str(s.check())


def run_bitwuzla(path: str) -> str:
    import bitwuzla

    parser = bitwuzla.Parser(bitwuzla.TermManager(), bitwuzla.Options())
    parser.parse(path, True, True)  # assert only; the check-sat is ours, so its answer is returned
    return str(parser.bitwuzla().check_sat())


def run_cvc5(path: str, *options: str) -> str:
    import cvc5

    tm = cvc5.TermManager()
    solver = cvc5.Solver(tm)
    for kv in options:
        k, v = kv.split("=")
        solver.setOption(k, v)
    sm = cvc5.SymbolManager(tm)
    parser = cvc5.InputParser(solver, sm)
    parser.setFileInput(cvc5.InputLanguage.SMT_LIB_2_6, path)
    answer = ""
    while True:
        cmd = parser.nextCommand()
        if cmd.isNull():
            break
        text = cmd.invoke(solver, sm).strip()
        answer = text or answer
    return answer


SOLVERS = {
    "z3": (run_z3, ()),
    "bitwuzla": (run_bitwuzla, ()),
    "cvc5": (run_cvc5, ()),
    "cvc5-bitblast": (run_cvc5, ("bv-solver=bitblast-internal",)),
}


def _child(name: str, path: str, conn) -> None:
    fn, extra = SOLVERS[name]
    t0 = time.perf_counter()
    try:
        ans = fn(path, *extra)
    except ImportError:
        conn.send(("not installed", 0.0))
        return
    conn.send((ans, time.perf_counter() - t0))


def timed(name: str, path: str, timeout: float) -> tuple[str, float]:
    """(answer, seconds) of one solver on the file, in its own process; ('timeout', timeout) if killed."""
    recv, send = mp.Pipe(duplex=False)
    p = mp.Process(target=_child, args=(name, path, send))
    p.start()
    if recv.poll(timeout):
        ans = recv.recv()
        p.join()
        return ans
    p.kill()
    p.join()
    return "timeout", timeout


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--spec", default="parallel-raft")
    ap.add_argument("--lemma", default="Lemma3")
    ap.add_argument("--depth", type=int, default=9)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--timeout", type=float, default=60.0)
    ap.add_argument("--solvers", default=",".join(SOLVERS))
    ap.add_argument("--out", default=None, help="JSON file for the raw figures")
    args = ap.parse_args(argv)
    unknown = [n for n in args.solvers.split(",") if n not in SOLVERS]
    if unknown:
        ap.error(f"unknown solver(s) {', '.join(unknown)}; choose from {', '.join(SOLVERS)}")
    info = registry.get(args.spec)
    system = info.build(info.scope())
    s = z3.Solver()
    s.add(*engine.bmc_query(system, args.lemma, args.depth))
    fd, path = tempfile.mkstemp(suffix=".smt2")
    os.close(fd)
    write_text(path, "(set-logic QF_BV)\n" + s.to_smt2())
    rows = {}
    try:
        for name in args.solvers.split(","):
            rows[name] = [timed(name, path, args.timeout) for _ in range(args.runs)]
            if rows[name][0][0] == "not installed":
                rows[name] = rows[name][:1]
    finally:
        os.unlink(path)
    print(f"{args.spec} {args.lemma}, BMC query at depth {args.depth} (default reductions), "
          f"{args.runs} runs, timeout {args.timeout:g} s, {os.cpu_count()} cpus")
    print("| solver | answers | median seconds | ratio to z3 |")
    print("|---|---|---|---|")
    base = statistics.median(t for _, t in rows["z3"]) if "z3" in rows else None
    for name, runs in rows.items():
        answers = sorted({a for a, _ in runs})
        med = statistics.median(t for _, t in runs)
        timeout = any(a == "timeout" for a, _ in runs)
        ratio = f"{med / base:.1f}" if base and "not installed" not in answers else "-"
        print(f"| {name} | {', '.join(answers)} | {'>' if timeout else ''}{med:.2f} | "
              f"{'>' if timeout else ''}{ratio} |")
    if args.out:
        write_text(args.out, json.dumps({"spec": args.spec, "lemma": args.lemma, "depth": args.depth,
                                         "timeout": args.timeout, "runs": rows}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
