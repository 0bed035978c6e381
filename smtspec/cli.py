"""The ``smtspec`` command line: parses, calls the engine, prints. No logic of its own.

Exit codes: 0 proved, or no violation up to the BMC depth (or a trace that replays as
claimed); 1 refuted (or a trace that does not replay); 3 unknown (CTI, timeout, solver
gave up, interrupted); 2 usage or input error (one line on stderr); 4 internal error
(a bug: one line, and the traceback with SMTSPEC_DEBUG=1).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

try:  # typer before 0.2x is built on click; newer typer vendors its own copy
    import click
except ImportError:  # pragma: no cover - depends on the installed typer
    click = None
from rich.console import Console

from . import engine, proofs, registry
from . import render, show
from . import trace as traces
from .progress import Progress
from .replay import replay as replay_trace
from .scope import ScopeError
from .solving import Interrupted
from .verdict import Result, Verdict, worst_exit_code

EXIT_HELP = (
    "Exit codes: 0 proved / no violation up to the depth; 1 refuted; 3 unknown "
    "(counterexample to induction, timeout, solver gave up); 2 usage or input error; 4 internal error."
)

app = typer.Typer(
    name="smtspec",
    help="Prove or refute safety invariants of TLA+ protocol specifications with Z3: bounded model "
    "checking (bmc) finds shortest counterexamples, k-induction (prove) proves invariants within a "
    "scope. Every verdict prints its scope. " + EXIT_HELP,
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


class InputError(Exception):
    """Bad input: reported as one line on stderr with exit code 2."""


SCOPE = "Scope (defaults: `smtspec list`)"
Spec = Annotated[Optional[str], typer.Option("--spec", help="parallel-raft (default) or onos-config; an invariant that exists in only one spec selects it.")]
Servers = Annotated[Optional[int], typer.Option(help="parallel-raft: number of servers N.", rich_help_panel=SCOPE)]
Terms = Annotated[Optional[int], typer.Option(help="Largest term T (Term = 0..T); onos-config: NumTerms.", rich_help_panel=SCOPE)]
Indexes = Annotated[Optional[int], typer.Option(help="parallel-raft: log length I (Index = 0..I-1).", rich_help_panel=SCOPE)]
Values = Annotated[Optional[int], typer.Option(help="Number of client values.", rich_help_panel=SCOPE)]
Capacity = Annotated[Optional[int], typer.Option(help="Induction: at most C arbitrary elements per grow-only set in the first state.", rich_help_panel=SCOPE)]
Nodes = Annotated[Optional[int], typer.Option(help="onos-config: number of nodes.", rich_help_panel=SCOPE)]
Paths = Annotated[Optional[int], typer.Option(help="onos-config: number of paths.", rich_help_panel=SCOPE)]
Transactions = Annotated[Optional[int], typer.Option(help="onos-config: NumTransactions.", rich_help_panel=SCOPE)]
Conns = Annotated[Optional[int], typer.Option(help="onos-config: NumConns.", rich_help_panel=SCOPE)]
Starts = Annotated[Optional[int], typer.Option(help="onos-config: target starts bound (the original's literal 2).", rich_help_panel=SCOPE)]
Timeout = Annotated[Optional[float], typer.Option(help="Seconds per solver query; a timeout gives verdict unknown.", min=0.001)]
TracePath = Annotated[Path, typer.Option("--trace", help="Where counterexamples and CTIs go as ITF JSON: a folder, or a .json file when there is one trace.")]
AsJson = Annotated[bool, typer.Option("--json", help="Print one JSON object per invariant on stdout instead of the report.")]
FullTrace = Annotated[bool, typer.Option("--full-trace", help="Show every variable of a CTI's first state, not only those the invariant reads or a step changes.")]
Seed = Annotated[int, typer.Option(help="Solver random seed.")]
Names = Annotated[list[str], typer.Argument(help="Invariant names, e.g. Lemma11 TypeSafety.", show_default=False)]


SCOPE_FLAGS = ("servers", "terms", "indexes", "values", "capacity", "nodes", "paths", "transactions", "conns", "starts")


def _scope_args(args: dict) -> dict:
    """The scope flags the user gave (from a command's ``locals()``)."""
    return {k: args[k] for k in SCOPE_FLAGS if args.get(k) is not None}


def _scope(spec: str | None, names: list[str], scope_kw: dict):
    """The spec (named, or the one owning the invariants) and the scope the flags give."""
    info = registry.resolve(spec, names)
    declared = {b.name for b in info.bounds}
    foreign = sorted(set(scope_kw) - declared)
    if foreign:
        raise InputError(f"--{foreign[0]} is not a bound of {info.name} (its bounds: {', '.join('--' + b for b in sorted(declared))})")
    return info, info.scope(scope_kw)


def _build(spec: str | None, names: list[str], scope_kw: dict):
    info, scope = _scope(spec, names, scope_kw)
    return info, info.build(scope)


def _write_traces(results: list[Result], target: Path) -> list[Result]:
    with_trace = [r for r in results if r.trace is not None]
    if not with_trace:
        return results
    as_file = target.suffix == ".json" and len(with_trace) == 1 and not target.is_dir()
    out = []
    for r in results:
        if r.trace is None:
            out.append(r)
            continue
        if as_file:
            path = target
        else:
            suffix = ".cti.itf.json" if r.trace.kind == "cti" else ".itf.json"
            path = target / f"{r.invariant}{suffix}"
        try:
            traces.write(r.trace, path)
        except OSError as e:
            raise InputError(f"cannot write {path}: {e.strerror or e}") from None
        out.append(_with_file(r, str(path)))
    return out


def _tla_helper(system, text):
    """TLA+ helpers of proof files (the front end needs tree-sitter, so it is imported on use)."""
    from .tla import TLAError, tla_helper

    try:
        return tla_helper(system, text)
    except TLAError as e:
        raise proofs.ProofError(f"TLA+ helper: {e}") from None


def _with_file(r: Result, path: str) -> Result:
    from dataclasses import replace

    return replace(r, trace_file=path)


def _report(results: list[Result], as_json: bool, full: bool = False) -> int:
    out = Console(highlight=False, soft_wrap=True)
    if as_json:
        for r in results:
            sys.stdout.write(json.dumps(r.to_json()) + "\n")
    else:
        shown: set = set()
        for r in results:
            # several invariants can share one CTI: print it once
            render.result(out, r, show_trace=id(r.trace) not in shown, full=full)
            shown.add(id(r.trace))
    return worst_exit_code(results)


def _run(mode: str, names: list[str], bound: int, spec, scope_kw, assume, simple_path, timeout, trace, as_json, seed,
         with_files: list[Path] = (), full: bool = False, capacity_check: bool = True, with_tla: list[str] = (),
         cone: bool = True, symmetry: bool = True, budget: float | None = None,
         semantics: str = "interleaving") -> int:
    if semantics not in engine.SEMANTICS:
        raise InputError(f"--semantics must be interleaving or step, got {semantics!r}")
    if not names:
        raise InputError("name at least one invariant (see `smtspec list`)")
    limit = 60 if mode == "prove" else 500
    if not (1 if mode == "prove" else 0) <= bound <= limit:
        raise InputError(f"{'--k' if mode == 'prove' else '--depth'} must be between {1 if mode == 'prove' else 0} and {limit}, got {bound}")
    info, system = _build(spec, list(names) + list(assume), scope_kw)
    names = list(names)
    for f in with_files:
        proof = proofs.load(f)
        if proof.spec != info.name:
            raise InputError(f"{f} is a proof for spec {proof.spec}, not {info.name}")
        system = proofs.with_invariants(system, proofs.helper_invariants(proof.helpers, system, proof.path.parent,
                                                                         tla=_tla_helper))
        names += [n for n in proofs.proof_names(proof)[1:] if n not in names]
    for n, text in enumerate(with_tla, start=1):
        from .tla import TLAError, tla_invariant

        try:
            inv = tla_invariant(system, text, f"TLA{n}", doc=" ".join(text.split()))
        except TLAError as e:
            raise InputError(f"--with-tla {n}: {e}") from None
        system = proofs.with_invariants(system, (inv,))
        names.append(inv.name)
    opts = engine.Options(timeout=timeout, simple_path=simple_path, seed=seed, capacity_check=capacity_check,
                          cone=cone, symmetry=symmetry, budget=budget, semantics=semantics)
    err = Console(stderr=True)
    with Progress(err, enabled=True) as p:
        try:
            if mode == "prove":
                res = engine.prove(system, names, bound, assume, opts, progress=p.update)
            else:
                res = engine.bmc(system, names, bound, opts, progress=p.update)
        except (Interrupted, KeyboardInterrupt):
            err.print("interrupted: no verdict for the query that was running")
            return 3
    results = _write_traces(list(res.values()), trace)
    if mode == "prove":
        results, refuted_by = _recorded_refutations(info, system.scope, results)
    else:
        refuted_by = {}
    code = _report(results, as_json, full)
    if refuted_by:
        _report_recorded(refuted_by, as_json)
        if any(c.ok and (c.scope == sc or lifted is not None) for c, lifted, sc in refuted_by.values()):
            code = 1  # refuted at the requested scope by a behaviour replayed just now
    return _check_counterexamples(info, system.scope, results) or code


def _recorded_refutations(info, scope, results: list[Result]):
    """Recorded refutations (proofs/<spec>/<Name>.cex.itf.json under the working directory) of the
    invariants just checked, replayed now, at their own scope and lifted to this one."""
    from . import recorded

    found = {}
    for r in results:
        c = recorded.lookup(Path("proofs"), info.name, r.invariant)
        if c is None:
            continue
        lifted = None
        if c.ok and c.scope != scope and info.interpreter is not None:
            lifted = recorded.lift(info.interpreter(), info.scope(scope.as_dict()), c.trace.steps, r.invariant)
        found[r.invariant] = (c, lifted, scope)
    return results, found


def _report_recorded(found: dict, as_json: bool) -> None:
    out = Console(highlight=False, soft_wrap=True)
    for name, (c, lifted, scope) in found.items():
        here = c.scope == scope or lifted is not None
        if as_json:
            sys.stdout.write(json.dumps({"schema": 1, "invariant": name, "recorded_refutation": c.to_json(),
                                         "behaviour_of_requested_scope": here}) + "\n")
            continue
        if not c.ok:
            out.print(f"[red]{name}[/red]: the recorded refutation {c.file} no longer replays: {c.problems[0]}")
            continue
        where = ("a behaviour of this scope too (its steps replayed here)" if lifted is not None and c.scope != scope
                 else "this scope" if c.scope == scope else f"not replayable at scope {scope}")
        out.print(f"[bold]{name}[/bold] is [red]refuted[/red] by the recorded behaviour {c.file}: {c.length} steps "
                  f"at scope {c.scope} ({where}), replayed just now by the concrete interpreter. "
                  f"What k-induction found above does not change this: the invariant is false.")


def _check_counterexamples(info, scope, results: list[Result]) -> int:
    """Every counterexample is replayed by the concrete interpreter; one that does not replay is a bug (exit 4)."""
    refuted = [r for r in results if r.verdict is Verdict.REFUTED and r.trace is not None]
    if not refuted or info.interpreter is None:
        return 0
    interp = info.interpreter()
    bad = []
    for r in refuted:
        rep = replay_trace(r.trace, interp, info.scope(scope.as_dict()))
        if not rep.ok:
            bad.append(f"{r.invariant}: {rep.problems[0]}")
    for line in bad:
        sys.stderr.write(f"smtspec: internal error: the concrete interpreter does not replay the counterexample of {line}\n")
    return 4 if bad else 0


@app.command("prove")
def prove_cmd(
    names: Names,
    k: Annotated[int, typer.Option("--k", help="Induction depth: k consecutive states satisfying the invariants, then one violating.")] = 1,
    spec: Spec = None,
    assume: Annotated[list[str], typer.Option("--assume", help="An invariant assumed in the k states of the inductive step (repeatable); listed in the verdict.")] = [],
    simple_path: Annotated[bool, typer.Option("--simple-path", help="Require the k+1 states of the inductive step to be pairwise distinct.")] = False,
    timeout: Timeout = None,
    trace: TracePath = Path("traces"),
    as_json: AsJson = False,
    seed: Seed = 0,
    with_: Annotated[list[Path], typer.Option("--with", help="A proof file whose helper invariants are proved together with the named invariants (repeatable).")] = [],
    with_tla: Annotated[list[str], typer.Option("--with-tla", help="A helper invariant in TLA+ (repeatable), proved together with the named ones, e.g. \"\\A i \\in Server : sync[i] <= currentTerm[i]\".")] = [],
    full_trace: FullTrace = False,
    capacity_check: Annotated[bool, typer.Option("--capacity-check/--no-capacity-check", help="After a proof, re-check it with capacity+1 and say whether it depends on the capacity bound.")] = True,
    servers: Servers = None, terms: Terms = None, indexes: Indexes = None, values: Values = None,
    capacity: Capacity = None, nodes: Nodes = None, paths: Paths = None, transactions: Transactions = None,
    conns: Conns = None, starts: Starts = None,
) -> None:
    """k-induction: prove the invariants (together) within the scope, or show why not."""
    scope_kw = _scope_args(locals())
    raise typer.Exit(_run("prove", names, k, spec, scope_kw, assume, simple_path, timeout, trace, as_json, seed, with_,
                          full_trace, capacity_check, with_tla))


@app.command("bmc")
def bmc_cmd(
    names: Names,
    depth: Annotated[int, typer.Option("--depth", help="Check every state reachable in at most this many steps.")] = 10,
    spec: Spec = None,
    timeout: Timeout = None,
    trace: TracePath = Path("traces"),
    as_json: AsJson = False,
    seed: Seed = 0,
    full_trace: FullTrace = False,
    servers: Servers = None, terms: Terms = None, indexes: Indexes = None, values: Values = None,
    capacity: Capacity = None, nodes: Nodes = None, paths: Paths = None, transactions: Transactions = None,
    conns: Conns = None, starts: Starts = None,
    cone: Annotated[bool, typer.Option(
        "--cone/--no-cone", help="Unroll only the variables the invariants depend on (counterexamples are "
        "confirmed on the full system).")] = True,
    symmetry: Annotated[bool, typer.Option(
        "--symmetry/--no-symmetry", help="Unroll only behaviours in the canonical order of the spec's "
        "symmetric servers (when every named invariant is declared symmetric).")] = True,
    budget: Annotated[Optional[float], typer.Option(
        "--budget", min=0.1, help="Stop after this many seconds in all; the verdict says which depths were "
        "covered (e.g. --depth 30 --budget 600: the depth reached in 10 minutes).")] = None,
    semantics: Annotated[str, typer.Option(
        "--semantics", help="interleaving (default): one action per step. step: several independent actions "
        "(one per server) per step, so --depth d covers every interleaved behaviour of at most d actions and "
        "more; counterexamples are serialized one action per step and replayed.")] = "interleaving",
) -> None:
    """Bounded model checking from Init: a shortest counterexample up to --depth, or none.

    Both reductions are sound and on by default; each verdict lists those it used.
    """
    scope_kw = _scope_args(locals())
    raise typer.Exit(_run("bmc", names, depth, spec, scope_kw, [], False, timeout, trace, as_json, seed, (), full_trace,
                          cone=cone, symmetry=symmetry, budget=budget, semantics=semantics))


@app.command("list")
def list_cmd(spec: Spec = None, as_json: AsJson = False) -> None:
    """The specifications, their invariants, the actions of Next and the default scope."""
    specs = [registry.get(spec)] if spec else list(registry.available().values())
    out = Console(highlight=False, soft_wrap=True)
    for info in specs:
        system = info.build(info.scope())
        if as_json:
            sys.stdout.write(json.dumps({
                "spec": info.name,
                "title": info.title,
                "bounds": {b.name: {"default": b.default, "low": b.low, "high": b.high, "meaning": b.meaning} for b in info.bounds},
                "invariants": [i.name for i in system.invariants],
                "actions": [a.name for a in system.next_actions],
                "not_in_next": [a.name for a in system.actions if not a.in_next],
                "symmetry": None if system.symmetry is None else {
                    "sort": system.symmetry.sort, "param": system.symmetry.param,
                    "invariants": [i.name for i in system.invariants if i.symmetric]},
            }) + "\n")
        else:
            render.spec_listing(out, info, system)
            out.print()


@app.command("check-proofs")
def check_proofs_cmd(
    path: Annotated[Path, typer.Argument(help="A proof file, or a folder searched for *.toml.")] = Path("proofs"),
    timeout: Timeout = None,
    as_json: AsJson = False,
) -> None:
    """Re-check recorded proofs (*.toml) and recorded refutations (*.cex.itf.json, replayed by the
    concrete interpreter); exit 1 if any verdict differs from the one recorded or a refutation
    no longer replays."""
    from . import recorded

    if not path.exists():
        raise InputError(f"no proof file or folder at {path}")
    files = proofs.find(path) if path.is_dir() or not path.name.endswith(recorded.SUFFIX) else []
    cexs = recorded.find(path)
    if not files and not cexs:
        raise InputError(f"no proof files or recorded refutations under {path}")
    out = Console(highlight=False, soft_wrap=True)
    changed = 0
    for f in cexs:
        c = recorded.check(f)
        changed += not c.ok
        if as_json:
            sys.stdout.write(json.dumps({"schema": 1, **c.to_json(), "expected": "refuted", "ok": c.ok}) + "\n")
        else:
            mark = "[green]ok[/green]" if c.ok else "[red]CHANGED[/red]"
            how = "replayed by the concrete interpreter" if c.ok else f"does not replay: {c.problems[0]}"
            out.print(f"{mark} {f}: {c.invariant} refuted by a recorded behaviour of {c.length} steps "
                      f"(scope {c.scope}), {how}")
    with Progress(Console(stderr=True)) as p:
        for f in files:
            proof = proofs.load(f)
            info = registry.get(proof.spec)
            scope = info.scope(dict(proof.scope))
            _system, res = proofs.run(proof, info.build, scope, engine.Options(timeout=timeout), p.update)
            r = res[proof.target]
            ok = r.verdict.value == proof.expect
            changed += not ok
            dropped = [n for n in proofs.proof_names(proof)[1:] if res[n].verdict.value != "proved"]
            if as_json:
                sys.stdout.write(json.dumps({"file": str(f), "target": proof.target, "expected": proof.expect,
                                             "verdict": r.verdict.value, "ok": ok, "k": proof.k,
                                             "scope": scope.as_dict(), "helpers": len(proof.helpers),
                                             "helpers_not_proved": dropped, "capacity_check": r.capacity_note,
                                             "seconds": round(r.seconds, 3)}) + "\n")
            else:
                mark = "[green]ok[/green]" if ok else "[red]CHANGED[/red]"
                out.print(f"{mark} {f}: {proof.target} {r.verdict.value} (expected {proof.expect}; k={proof.k}, "
                          f"{len(proof.helpers)} helper(s), scope {scope}, {r.seconds:.1f} s)")
                if dropped:
                    out.print(f"   helpers not proved with it: {', '.join(dropped)}", markup=False)
                if r.capacity_note:
                    out.print(f"   capacity check: {r.capacity_note}", markup=False)
    raise typer.Exit(1 if changed else 0)


@app.command("strengthen")
def strengthen_cmd(
    names: Names,
    k: Annotated[int, typer.Option("--k", help="Induction depth of the strengthened proof.")] = 1,
    spec: Spec = None,
    candidates: Annotated[Optional[Path], typer.Option("--candidates", help="A TOML file of [[helpers]] to add to the pool.")] = None,
    depth: Annotated[int, typer.Option("--depth", help="BMC depth that filters out refuted candidates (at least k-1).")] = 6,
    write: Annotated[Optional[Path], typer.Option("--write", help="Folder for the proof files found (default proofs/<spec>).")] = None,
    timeout: Timeout = None,
    as_json: AsJson = False,
    servers: Servers = None, terms: Terms = None, indexes: Indexes = None, values: Values = None,
    capacity: Capacity = None, nodes: Nodes = None, paths: Paths = None, transactions: Transactions = None,
    conns: Conns = None, starts: Starts = None,
) -> None:
    """Houdini: find helper invariants that make the targets k-inductive, shrink them with unsat cores,
    re-check, and write a proof file per proved target."""
    from . import strengthen as sth

    if not 1 <= k <= 20:
        raise InputError(f"--k must be between 1 and 20, got {k}")
    if not 0 <= depth <= 100:
        raise InputError(f"--depth must be between 0 and 100, got {depth}")
    scope_kw = _scope_args(locals())
    info, system = _build(spec, names, scope_kw)
    pool = sth.template_pool(system)
    pool += [sth.Candidate(i, "spec") for i in system.invariants if i.name not in names]
    extra_files = ([candidates] if candidates else []) + [f for f in sorted(Path("proofs", info.name).glob("*.toml"))]
    seen = {c.invariant.name for c in pool}
    for f in extra_files:
        pf = proofs.load(f) if f != candidates else proofs.load_helpers(f)
        if pf.spec != info.name:
            continue
        for inv, h in zip(proofs.helper_invariants(tuple(h for h in pf.helpers if not h.invariant), system, f.parent),
                          [h for h in pf.helpers if not h.invariant]):
            if inv.name not in seen:
                seen.add(inv.name)
                pool.append(sth.Candidate(inv, "user" if f == candidates else "proof", helper=h))
    with Progress(Console(stderr=True)) as p:
        extended, rep = sth.strengthen(system, names, pool, k, depth, engine.Options(timeout=timeout), p.update)
    by_name = {c.invariant.name: c for c in pool}
    by_name.update({i.name: sth.Candidate(i, "spec") for i in system.invariants if i.name in names})
    folder = write or Path("proofs", info.name)
    out = Console(highlight=False, soft_wrap=True)
    for t, o in rep.outcomes.items():
        file = None
        if o.survived and o.final is not None and o.final.verdict is Verdict.PROVED:
            proof = proofs.Proof(spec=info.name, target=t, k=k, expect="proved", scope=system.scope.items,
                                 helpers=tuple(sth.as_helper(by_name[n]) for n in o.kept),
                                 note=f"found by smtspec strengthen from a pool of {rep.pool} candidates")
            file = folder / f"{t}.toml"
            try:
                proofs.save(proof, file)
            except OSError as e:
                raise InputError(f"cannot write {file}: {e.strerror or e}") from None
        if as_json:
            sys.stdout.write(json.dumps({
                "target": t, "k": k, "scope": system.scope.as_dict(), "survived": o.survived,
                "verdict": o.final.verdict.value if o.final else "unknown", "helpers": o.kept,
                "helper_readings": {n: by_name[n].invariant.doc for n in o.kept}, "proof_file": str(file) if file else None,
                "pool": rep.pool, "refuted_by_bmc": len(rep.refuted_by_bmc), "dropped_by_houdini": len(rep.dropped_by_houdini),
                "survivors": len(rep.survivors), "seconds": {**rep.seconds, "target": o.seconds}}) + "\n")
        else:
            render.strengthened(out, t, o, rep, by_name, file)
    raise typer.Exit(worst_exit_code([o.final for o in rep.outcomes.values() if o.final]) if all(
        o.final for o in rep.outcomes.values()) else 3)


@app.command("report")
def report_cmd(
    spec: Annotated[Optional[list[str]], typer.Option("--spec", help="Specs to report (default: all).")] = None,
    proof_dir: Annotated[Path, typer.Option("--proofs", help="Folder of recorded proofs.")] = Path("proofs"),
    k: Annotated[int, typer.Option("--k", help="Largest k tried for an invariant without a proof file.")] = 3,
    depth: Annotated[int, typer.Option("--depth", help="BMC depth from Init.")] = 8,
    timeout: Timeout = None,
    readme: Annotated[Optional[Path], typer.Option("--update-readme", help="Write the tables into this README between the results markers.")] = None,
    depths: Annotated[Optional[list[Path]], typer.Option(
        "--depths", help="Recorded runs of `benchmarks/bench_bmc_depth.py reach` (JSON): adds the deepest depth "
        "BMC covered within their budget.")] = None,
) -> None:
    """The results table of every invariant (verdict, k, scope, helpers, time, BMC depth), as Markdown."""
    from . import report

    infos = [registry.get(s) for s in spec] if spec else list(registry.available().values())
    try:
        deepest = report.depth_summaries(list(depths or []))
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise InputError(f"--depths: {e}") from None
    command = (f"smtspec report --k {k} --depth {depth}" + "".join(f" --depths {f}" for f in depths or [])
               + (f" --update-readme {readme}" if readme else ""))
    parts = []
    with Progress(Console(stderr=True)) as p:
        for info in infos:
            table, scope = report.rows(info, proof_dir, k, depth, timeout, p.update, deepest)
            parts.append(report.markdown(info, table, scope, command))
    text = "\n".join(parts)
    sys.stdout.write(text)
    if readme is not None:
        try:
            report.update_readme(readme, text)
        except (OSError, ValueError) as e:
            raise InputError(str(e)) from None


@app.command("check-lemmas")
def check_lemmas_cmd(
    spec: Spec = None,
    timeout: Timeout = None,
    as_json: AsJson = False,
    servers: Servers = None, terms: Terms = None, indexes: Indexes = None, values: Values = None,
    capacity: Capacity = None, nodes: Nodes = None, paths: Paths = None, transactions: Transactions = None,
    conns: Conns = None, starts: Starts = None,
) -> None:
    """Check that every hand-encoded invariant is equivalent to its TLA+ transcription of the seed
    (encodings/<spec>/lemmas.tla) over all well-typed states of the scope; exit 1 on any difference."""
    from .tla import TLAError, check_lemmas

    info, scope = _scope(spec, [], _scope_args(locals()))
    try:
        rows = check_lemmas(info, scope, timeout=timeout)
    except TLAError as e:
        raise InputError(str(e)) from None
    out = Console(highlight=False, soft_wrap=True)
    bad = 0
    for r in rows:
        bad += not r.equivalent
        if as_json:
            sys.stdout.write(json.dumps({"spec": info.name, "invariant": r.name, "status": r.status,
                                         "scope": scope.as_dict(), "message": r.message,
                                         "state": traces.value_to_itf(r.state) if r.state is not None else None,
                                         "seconds": round(r.seconds, 3)}) + "\n")
            continue
        mark = "[green]equivalent[/green]" if r.equivalent else f"[red]{r.status}[/red]"
        out.print(f"{r.name}: {mark} ({r.seconds:.1f} s){' - ' + r.message if r.message else ''}")
        if r.state is not None:
            out.print(f"   distinguishing state (hand encoding {r.hand}, transcription {r.tla}):", markup=False)
            for v, x in r.state.items():
                out.print(f"     {v} = {show.tla(x)}", markup=False)
    if not as_json:
        out.print(f"{len(rows) - bad} of {len(rows)} invariants of {info.name} equivalent to their transcription (scope {scope})")
    raise typer.Exit(1 if bad else 0)


@app.command("simulate")
def simulate_cmd(
    names: Annotated[Optional[list[str]], typer.Argument(help="Invariants to check (default: all of the spec).", show_default=False)] = None,
    spec: Spec = None,
    strategy: Annotated[str, typer.Option("--strategy", help="guided: swarm walks restarted from a corpus of novel abstract states (the default); swarm: swarm walks from Init; uniform: walks from Init, uniform over actions (the baseline).")] = "guided",
    steps: Annotated[int, typer.Option("--steps", help="Steps in all (split over the workers).")] = 1_000_000,
    budget: Annotated[Optional[float], typer.Option("--budget", help="Seconds at most (the campaign also stops after --steps).")] = None,
    length: Annotated[int, typer.Option("--length", help="Steps per walk at most (each walk draws its length from 10..LENGTH).")] = 60,
    seed: Annotated[int, typer.Option("--seed", help="Worker w uses seed + w: the same seed, workers and --steps give the same result.")] = 0,
    workers: Annotated[Optional[int], typer.Option("--workers", help="Worker processes (default: every core).")] = None,
    weight: Annotated[list[str], typer.Option("--weight", help="ACTION=W: relative weight of an action (default 1; repeatable).")] = [],
    shrink: Annotated[bool, typer.Option("--shrink/--no-shrink", help="Shrink each violation by delta debugging before it is replayed and written.")] = True,
    trace: TracePath = Path("traces"),
    as_json: AsJson = False,
    servers: Servers = None, terms: Terms = None, indexes: Indexes = None, values: Values = None,
    capacity: Capacity = None, nodes: Nodes = None, paths: Paths = None, transactions: Transactions = None,
    conns: Conns = None, starts: Starts = None,
) -> None:
    """Search for violations by simulation. Every violation found is shrunk, replayed by the
    concrete interpreter and written as an ITF trace; finding none proves nothing. Exit 1 if
    a violation was found, 0 if none, 3 if interrupted."""
    from .commands import simulate as sim
    from .guided import STRATEGIES, default_workers

    workers = default_workers() if workers is None else workers
    if strategy not in STRATEGIES:
        raise InputError(f"--strategy must be one of {', '.join(STRATEGIES)}, got {strategy!r}")
    if not 1 <= steps <= 10**10 or not 10 <= length <= 10_000 or not 1 <= workers <= 64:
        raise InputError("--steps must be 1..10^10, --length 10..10000, --workers 1..64")
    if budget is not None and not 0 < budget < 10**7:
        raise InputError(f"--budget must be a positive number of seconds, got {budget}")
    weights = _weights(weight)
    info, scope = _scope(spec, list(names or []), _scope_args(locals()))
    unknown = [a for a in weights if a not in info.action_names]
    if unknown:
        raise InputError(f"--weight: unknown action '{unknown[0]}'{registry.suggest(unknown[0], info.action_names)}")
    if info.interpreter is None:
        raise InputError(f"spec {info.name} has no concrete interpreter to simulate with")
    names = tuple(names or info.invariant_names)
    _check_writable(trace)
    vars_ = [x.name for x in info.build(scope).vars]
    opts = sim.SimulateOptions(names=names, strategy=strategy, steps=steps, seconds=budget, seed=seed,
                               workers=workers, max_length=length, weights=tuple(weights.items()), shrink=shrink)
    with Progress(Console(stderr=True)) as p:
        def tick(info_: dict) -> None:
            found = ", ".join(f"{n} ({k})" for n, k in sorted(info_["found"].items())) or "none"
            p.update(f"simulate ({strategy}, {workers} worker(s)): {info_['steps']:,} steps, "
                     f"{info_['distinct_states']:,} states, depth {info_['max_depth']}; violated: {found}")
        rep = sim.run(info, scope, opts, vars_, tick)
    written = _write_traces([Result(info.name, r.invariant, Verdict.REFUTED, r.method, r.length, scope, (), 0.0,
                                    trace=r.trace) for r in rep.refutations], trace)
    for r, w in zip(rep.refutations, written):
        r.trace.extra["file"] = w.trace_file
    if as_json:
        sys.stdout.write(json.dumps(rep.to_json()) + "\n")
    else:
        render.search_report(Console(highlight=False, soft_wrap=True), rep)
    raise typer.Exit(3 if rep.search.interrupted else (1 if rep.refutations else 0))


def replace_trace_extra(tr, **extra):
    from dataclasses import replace

    return replace(tr, extra={**tr.extra, **{k: v for k, v in extra.items() if v is not None}})


def _weights(items: list[str]) -> dict[str, float]:
    import math

    weights: dict[str, float] = {}
    for w in items:
        action, sep, value = w.partition("=")
        try:
            weights[action] = float(value)
        except ValueError:
            raise InputError(f"--weight takes ACTION=NUMBER, got {w!r}") from None
        if not sep or not math.isfinite(weights[action]) or weights[action] < 0:
            raise InputError(f"--weight takes ACTION=NUMBER >= 0, got {w!r}")
    return weights


def _check_writable(target: Path) -> None:
    """Fail before a long run, not after it, when traces could not be written."""
    folder = target.parent if target.suffix == ".json" else target
    probe = folder
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    if probe.exists() and (not probe.is_dir() or not os.access(probe, os.W_OK)):
        raise InputError(f"cannot write traces to {target}: {probe} is not a writable folder")


@app.command("check")
def check_cmd(
    names: Annotated[Optional[list[str]], typer.Argument(help="Invariants to settle (default: all of the spec).", show_default=False)] = None,
    spec: Spec = None,
    budget: Annotated[float, typer.Option("--budget", help="Seconds for the whole run (every invariant, every engine).")] = 600.0,
    workers: Annotated[Optional[int], typer.Option("--workers", help="Worker processes (default: every core).")] = None,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the simulation campaigns.")] = 0,
    proofs_dir: Annotated[Path, typer.Option("--proofs", help="Where recorded proofs and refutations are looked up.")] = Path("proofs"),
    small: Annotated[bool, typer.Option("--small-scopes/--no-small-scopes", help="Search smaller scopes first (the spec declares which).")] = True,
    use_bmc: Annotated[bool, typer.Option("--bmc/--no-bmc", help="Run BMC (both semantics) on what simulation leaves open.")] = True,
    record: Annotated[bool, typer.Option("--record", help="Record each new refutation (replayed) as <proofs>/<spec>/<Name>.cex.itf.json, where check-proofs, prove and check find it.")] = False,
    update_readme: Annotated[Optional[Path], typer.Option("--update-readme", help="Write the final table into this README, between <!-- check:begin --> and <!-- check:end -->.")] = None,
    trace: TracePath = Path("traces"),
    as_json: AsJson = False,
    servers: Servers = None, terms: Terms = None, indexes: Indexes = None, values: Values = None,
    capacity: Capacity = None, nodes: Nodes = None, paths: Paths = None, transactions: Transactions = None,
    conns: Conns = None, starts: Starts = None,
) -> None:
    """Settle invariants within one budget: recorded proofs and refutations, k-induction, guided
    simulation (small scopes first), BMC in both semantics. One row per invariant: proved (its
    proof file), refuted (shortest trace found, its scope, replayed) or unknown (what was covered).
    Exit 1 if any is refuted, 3 if any is unknown, else 0."""
    from .commands import check as chk
    from .guided import default_workers

    workers = default_workers() if workers is None else workers
    if not 1 <= workers <= 64:
        raise InputError(f"--workers must be 1..64, got {workers}")
    import math

    if not math.isfinite(budget) or not 1 <= budget <= 10**7:
        raise InputError(f"--budget must be between 1 and 10^7 seconds, got {budget}")
    info, scope = _scope(spec, list(names or []), _scope_args(locals()))
    if info.interpreter is None:
        raise InputError(f"spec {info.name} has no concrete interpreter: check needs one to replay what it finds")
    _check_writable(trace)
    if update_readme is not None:  # refuse before the run, not after it
        from .report import CHECK_BEGIN, CHECK_END

        try:
            body = update_readme.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as e:
            raise InputError(f"cannot update {update_readme}: {getattr(e, 'strerror', None) or e}") from None
        if CHECK_BEGIN not in body or CHECK_END not in body:
            raise InputError(f"cannot update {update_readme}: it lacks the markers {CHECK_BEGIN} and {CHECK_END}")
    opts = chk.CheckOptions(names=tuple(names or info.invariant_names), budget=budget, workers=workers, seed=seed,
                            proofs_dir=proofs_dir, small_scopes=small, bmc=use_bmc)
    err = Console(stderr=True)
    live = None
    if err.is_terminal and not as_json:
        from rich.console import Group
        from rich.live import Live
        from rich.text import Text

        live = Live(console=err, refresh_per_second=2, transient=True)
        live.start()

    def update(rep, msg: str) -> None:
        if live is not None:
            live.update(Group(render.check_table(rep), Text(f"{msg}  [{rep_clock():.0f} s]", style="dim")))

    import time as _time

    t0 = _time.perf_counter()
    rep_clock = lambda: _time.perf_counter() - t0  # noqa: E731
    try:
        rep = chk.run(info, scope, opts, update)
    finally:
        if live is not None:
            live.stop()
    refuted = [r for r in rep.rows.values() if r.trace is not None]
    written = _write_traces([Result(info.name, r.invariant, Verdict.REFUTED, r.method, r.length, r.scope or scope, (),
                                    0.0, trace=r.trace) for r in refuted], trace)
    for r, w in zip(refuted, written):
        if r.method == "recorded-counterexample":
            r.notes.append(f"recorded as {r.recorded_file}; the trace at the row's scope is {w.trace_file}")
        r.trace_file = w.trace_file
        if r.method != "recorded-counterexample":
            if record and r.trace is not None:
                from . import recorded

                try:
                    f = recorded.record(replace_trace_extra(r.trace, found_by=r.method, found_length=r.found_length),
                                        proofs_dir)
                except OSError as e:
                    raise InputError(f"cannot record the refutation of {r.invariant}: {e.strerror or e}") from None
                r.notes.append(f"recorded as {f}")
                r.recorded_file = str(f)
    if update_readme is not None:
        import shlex

        from .report import CHECK_BEGIN, CHECK_END, check_markdown, update_readme_between

        argv = list(_ARGV)
        if "--update-readme" in argv:
            k = argv.index("--update-readme")
            del argv[k:k + 2]
        argv = [a for a in argv if not a.startswith("--update-readme=") and a not in ("--record", "--json")]
        try:
            update_readme_between(update_readme, CHECK_BEGIN, CHECK_END,
                                  check_markdown(rep, "smtspec " + " ".join(shlex.quote(a) for a in argv)))
        except (OSError, ValueError) as e:
            raise InputError(f"cannot update {update_readme}: {e}") from None
    if as_json:
        for row in rep.to_json():
            sys.stdout.write(json.dumps(row) + "\n")
    else:
        out = Console(highlight=False, soft_wrap=True, width=None if sys.stdout.isatty() else 200)
        out.print(render.check_table(rep))
        for r in rep.rows.values():
            for note in r.notes:
                out.print(f"  {r.invariant}: {note}", markup=False)
        out.print(f"{len(rep.rows)} invariant(s) in {rep.seconds:.0f} s with {workers} worker(s)"
                  + (" (interrupted: the rows show what finished)" if rep.interrupted else ""))
    raise typer.Exit(rep.exit_code())


@app.command("conform")
def conform_cmd(
    file: Annotated[Path, typer.Argument(help="A TLC transition log (.jsonl or .jsonl.gz) of ReconcileProposal steps.", show_default=False)],
    spec: Annotated[str, typer.Option("--spec", help="The spec the log belongs to (only onos-config has a log format).")] = "onos-config",
    exact: Annotated[bool, typer.Option("--exact", help="Also check, per (context, state), that the encoding admits no successor the log lacks (complete logs only).")] = False,
    as_json: AsJson = False,
    nodes: Nodes = None, paths: Paths = None, values: Values = None, transactions: Transactions = None,
    terms: Terms = None, conns: Conns = None, starts: Starts = None,
) -> None:
    """Check every logged transition against the Z3 transition relation; exit 0 only when nothing disagrees.
    Bad or truncated lines are reported with their line number and the rest is still checked."""
    from .conform import conform

    if spec != "onos-config":
        raise InputError(f"conform reads TLC logs of onos-config only, not of {spec}")
    if not file.is_file():
        raise InputError(f"cannot read {file}: no such file")
    info, scope = _scope("onos-config", [], _scope_args(locals()))
    with Progress(Console(stderr=True)) as p:
        summary = conform(file, exact=exact, scope=scope, progress=p.update)
    if as_json:
        sys.stdout.write(json.dumps({"file": str(file), "spec": info.name, "scope": scope.as_dict(),
                                     **summary.to_json()}) + "\n")
    else:
        Console(highlight=False, soft_wrap=True).print(str(summary), markup=False)
    raise typer.Exit(0 if summary.ok else 1)


@app.command("coverage")
def coverage_cmd(
    depth: Annotated[int, typer.Option("--depth", help="How deep BMC looks for a reachable state enabling each action.")] = 8,
    spec: Spec = None,
    timeout: Timeout = None,
    as_json: AsJson = False,
    servers: Servers = None, terms: Terms = None, indexes: Indexes = None, values: Values = None,
    capacity: Capacity = None, nodes: Nodes = None, paths: Paths = None, transactions: Transactions = None,
    conns: Conns = None, starts: Starts = None,
) -> None:
    """Action coverage: the shortest depth at which each action is enabled, whether it can change the
    state at all, and whether any well-typed state lets it leave the scope (those steps are disabled)."""
    from .coverage import coverage

    if not 0 <= depth <= 500:
        raise InputError(f"--depth must be between 0 and 500, got {depth}")
    scope_kw = _scope_args(locals())
    info, system = _build(spec, [], scope_kw)
    with Progress(Console(stderr=True)) as p:
        rows = coverage(system, depth, timeout, progress=p.update)
    if as_json:
        for r in rows:
            sys.stdout.write(json.dumps({"spec": info.name, "scope": system.scope.as_dict(), **r.__dict__}) + "\n")
    else:
        render.coverage(Console(highlight=False, soft_wrap=True), info.name, system, depth, rows)
    leaving = [r.action for r in rows if r.leaves_scope_at is not None]
    raise typer.Exit(3 if leaving else 0)


@app.command("replay")
def replay_cmd(
    file: Annotated[Path, typer.Argument(help="An ITF trace written by smtspec.", show_default=False)],
    as_json: AsJson = False,
) -> None:
    """Re-check a trace with the concrete interpreter (no solver). Exit 0 when it replays as claimed, 1 when not."""
    tr = traces.read(file)
    info = registry.get(tr.spec)
    if info.interpreter is None:
        raise InputError(f"spec {info.name} has no concrete interpreter to replay with")
    try:
        scope = info.scope(tr.scope.as_dict())
    except ScopeError as e:
        raise InputError(f"{file}: {e}") from None
    interp = info.interpreter() if callable(info.interpreter) else info.interpreter
    rep = replay_trace(tr, interp, scope)
    if as_json:
        sys.stdout.write(json.dumps({"file": str(file), "ok": rep.ok, "problems": rep.problems,
                                     "steps": rep.checked_steps, "last_state": rep.final_values}) + "\n")
    else:
        out = Console(highlight=False, soft_wrap=True)
        render.trace(out, tr)
        status = "[green]replays[/green]" if rep.ok else "[red]does not replay[/red]"
        out.print(f"{file}: {tr.kind} of {tr.length} step(s), {status} with the concrete interpreter "
                  f"({rep.checked_steps} step(s) checked; scope {scope})")
        for p in rep.problems:
            out.print(f"  problem: {p}", markup=False)
        for name, val in rep.final_values.items():
            out.print(f"  {name} in the last state: {'TRUE' if val else 'FALSE'}")
    raise typer.Exit(0 if rep.ok else 1)


def _usage_errors() -> tuple[type[BaseException], ...]:
    """Usage-error types of the installed typer (recent typer vendors click) and of click."""
    kinds: list[type[BaseException]] = []
    if click is not None:
        kinds.append(click.ClickException)
    if hasattr(typer, "TyperException"):
        kinds.append(typer.TyperException)
    return tuple(kinds)


def _kinds(name: str) -> tuple[type[BaseException], ...]:
    """typer's Exit or Abort, and click's when click is installed."""
    out = [getattr(typer, name)]
    if click is not None:
        out.append(getattr(click.exceptions, name))
    return tuple(out)


def _one_line(message: str) -> None:
    sys.stderr.write("smtspec: error: " + " ".join(message.split()) + "\n")


_ARGV: list[str] = []  # the arguments of this invocation (for "regenerate with" lines)


def main(argv: list[str] | None = None) -> int:
    """Entry point: every input error becomes one line on stderr and exit code 2."""
    _ARGV[:] = list(sys.argv[1:] if argv is None else argv)
    try:
        code = app(args=argv, standalone_mode=False)
        return int(code or 0)
    except _kinds("Exit") as e:
        return e.exit_code
    except _kinds("Abort") + (KeyboardInterrupt,):
        sys.stderr.write("smtspec: interrupted\n")
        return 3
    except (InputError, ScopeError, registry.LookupFailed, traces.TraceError, proofs.ProofError) as e:
        _one_line(e.args[0] if e.args else str(e))
        return 2
    except OSError as e:
        _one_line(f"{e.strerror or e}{f': {e.filename}' if e.filename else ''}")
        return 2
    except _usage_errors() as e:
        if type(e).__name__ == "NoArgsIsHelpError":
            sys.stdout.write(e.format_message() + "\n")
            return 0
        _one_line(e.format_message() + " (see --help)")
        return 2
    except Exception as e:  # a bug: one line, the traceback on request
        if os.environ.get("SMTSPEC_DEBUG"):
            raise
        sys.stderr.write(f"smtspec: internal error: {type(e).__name__}: {e} (SMTSPEC_DEBUG=1 shows the traceback)\n")
        return 4


def entry() -> None:  # pragma: no cover
    sys.exit(main())


if __name__ == "__main__":  # pragma: no cover
    entry()
