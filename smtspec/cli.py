"""The ``smtspec`` command line: parses flags into a command's options, calls the command
(:mod:`smtspec.commands`), renders its report. No logic of its own.

Exit codes: 0 proved, or no violation up to the BMC depth (or a trace that replays as
claimed); 1 refuted (or a trace that does not replay, or a changed recorded verdict);
3 unknown (CTI, timeout, budget, solver gave up, interrupted); 2 usage or input error (one
line on stderr); 4 internal error (a bug: one line, the traceback with SMTSPEC_DEBUG=1).
"""

from __future__ import annotations

import functools
import inspect
import json
import math
import os
import shlex
import sys
import time
from pathlib import Path
from typing import Annotated, Any, Callable, Optional

import typer

try:  # typer before 0.2x is built on click; newer typer vendors its own copy
    import click
except ImportError:  # pragma: no cover - depends on the installed typer
    click = None  # type: ignore[assignment]  # no click: only typer's own exceptions are caught
from rich.console import Console

from . import engine, proofs, registry, render
from . import trace as traces
from .commands import check as check_command
from .commands import check_proofs, conformance, coverage, lemmas, listing, replaying, results, verify
from .commands import simulate as simulate_command
from .commands import strengthen as strengthen_command
from .errors import GaveUp, UsageError
from .progress import ProgressLine
from .scope import ScopeError
from .solving import Interrupted, install_interrupt_handler, is_interrupt
from .version import __version__

EXIT_HELP = (
    "Exit codes: 0 proved / no violation up to the depth; 1 refuted; 3 unknown "
    "(counterexample to induction, timeout, budget, solver gave up, interrupted); 2 usage or input error; "
    "4 internal error."
)

app = typer.Typer(
    name="smtspec",
    help="Prove or refute safety invariants of TLA+ protocol specifications with Z3: bounded model "
    "checking (bmc) finds shortest counterexamples, k-induction (prove) proves invariants within a "
    "scope, check settles invariants within one budget. Every verdict prints its scope. " + EXIT_HELP,
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

InputError = UsageError  # the name the tests and older code know

SCOPE = "Scope (defaults: `smtspec list`)"
Spec = Annotated[Optional[str], typer.Option("--spec", help="The specification (`smtspec list`; default parallel-raft); an invariant that exists in only one spec selects it.")]
Timeout = Annotated[Optional[float], typer.Option(help="Seconds per solver query (0.001..10^6); a timeout gives verdict unknown.", min=0.001, max=1e6)]
TracePath = Annotated[Path, typer.Option("--trace", help="Where counterexamples and CTIs go as ITF JSON: a folder, or a .json file when there is one trace.")]
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON (one object per line, `\"schema\": 1`) on stdout instead of the report.")]
FullTrace = Annotated[bool, typer.Option("--full-trace", help="Show every variable of a CTI's first state, not only those the invariant reads or a step changes.")]
Seed = Annotated[int, typer.Option(help="Solver random seed (0..2^32-1).", min=0, max=2**32 - 1)]
Names = Annotated[list[str], typer.Argument(help="Invariant names, e.g. Lemma11 TypeSafety.", show_default=False)]
Workers = Annotated[Optional[int], typer.Option("--workers", help="Worker processes (default: every core; with Dask installed, a local Dask cluster of that many processes).")]
Scheduler = Annotated[Optional[str], typer.Option("--scheduler", help="Run the tasks on the Dask cluster whose scheduler is at this address, e.g. tcp://10.0.0.5:8786 (pip install \"smtspec[dask]\"); --workers is then ignored: the cluster's workers run them.")]


# ------------------------------------------------------------------ scope flags, from the specs' bounds


def _bound_parameters() -> list[inspect.Parameter]:
    """One ``--NAME`` option per bound any registered spec declares, its help from the declarations."""
    helps: dict[str, list[str]] = {}
    for info in registry.loadable().values():  # a spec that fails to load is reported when a command looks it up
        for b in info.bounds:
            helps.setdefault(b.name, []).append(f"{info.name}: {b.meaning} (default {b.default}, {b.low}..{b.high})")
    return [inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=None,
                              annotation=Annotated[Optional[int], typer.Option(f"--{name}", help="; ".join(h),
                                                                              rich_help_panel=SCOPE)])
            for name, h in helps.items()]


def scoped(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Give a command the scope flags of every spec's declared bounds; the command receives the
    ones given as ``scope: dict``. A new spec's bounds become flags with no edit here."""
    sig = inspect.signature(fn, eval_str=True)
    own = [p for p in sig.parameters.values() if p.name != "scope"]
    bounds = [p for p in _bound_parameters() if p.name not in {q.name for q in own}]
    names = [p.name for p in bounds]

    @functools.wraps(fn)
    def wrapper(**kw: Any) -> Any:
        scope = {n: kw.pop(n) for n in names if kw.get(n) is not None}
        for n in names:
            kw.pop(n, None)
        return fn(scope=scope, **kw)

    params = own + bounds
    wrapper.__signature__ = sig.replace(parameters=params)  # type: ignore[attr-defined]
    wrapper.__annotations__ = {p.name: p.annotation for p in params}
    del wrapper.__wrapped__  # typer reads the signature above, not the function's own
    return wrapper


# ------------------------------------------------------------------ rendering helpers


def _out() -> Console:
    return Console(highlight=False, soft_wrap=True)


def _json_lines(rows) -> None:
    for row in rows if isinstance(rows, list) else [rows]:
        sys.stdout.write(json.dumps(row) + "\n")


def _progress() -> ProgressLine:
    return ProgressLine(Console(stderr=True))


def _finish(rep, as_json: bool, render_fn: Callable[[], None]) -> None:
    if as_json:
        _json_lines(rep.to_json())
    else:
        render_fn()
    raise typer.Exit(rep.exit_code())


def _engine_options(**kw: Any) -> engine.Options:
    return engine.Options(**{k: v for k, v in kw.items() if v is not None})


def _verify(opts: verify.VerifyOptions, as_json: bool, full: bool) -> None:
    with _progress() as p:
        rep = verify.run(opts, p.update)
    for line in rep.not_replayed:
        sys.stderr.write("smtspec: internal error: the concrete interpreter does not replay the counterexample "
                         f"of {line}\n")
    try:
        _finish(rep, as_json, lambda: render.verify_report(_out(), rep, full))
    finally:  # after the verdicts, which are printed all the same
        for e in rep.write_errors:
            sys.stderr.write(f"smtspec: error: {e} (the verdict above stands)\n")


# ------------------------------------------------------------------ commands


@app.command("prove")
@scoped
def prove_cmd(
    names: Names,
    scope: dict,
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
    matrix: Annotated[bool, typer.Option("--matrix", help="Show the obligations of 1-induction instead of one verdict: Init and each action of Next (columns) against each invariant (rows), with a CTI trace per failing cell.")] = False,
    cache: Annotated[bool, typer.Option("--cache/--no-cache", help="With --matrix: answer a query whose exact SMT-LIB text (same Z3 version and options) was shown unsat before from the answer cache ($SMTSPEC_CACHE_DIR, else $XDG_CACHE_HOME/smtspec or ~/.cache/smtspec).")] = True,
) -> None:
    """k-induction: prove the invariants (together) within the scope, or show why not. A recorded
    refutation of an invariant (proofs/<spec>/<Name>.cex.itf.json) is replayed and reported too."""
    if matrix:
        from .commands import matrix as matrix_command
        from .render_matrix import matrix_table

        mopts = matrix_command.MatrixOptions(
            tuple(names), spec, scope, with_files=tuple(with_), with_tla=tuple(with_tla), timeout=timeout,
            trace_dir=trace, assume=tuple(assume), seed=seed, simple_path=simple_path, cache=cache, k=k)
        with _progress() as p:
            mrep = matrix_command.run(mopts, p.update)
        try:
            _finish(mrep, as_json, lambda: matrix_table(_out(), mrep))
        finally:
            for e in mrep.write_errors:
                sys.stderr.write(f"smtspec: error: {e} (the obligations above stand)\n")
    _verify(verify.VerifyOptions(
        "prove", tuple(names), k, spec, scope, tuple(assume), tuple(with_), tuple(with_tla), trace,
        engine=_engine_options(timeout=timeout, simple_path=simple_path, seed=seed, capacity_check=capacity_check)),
        as_json, full_trace)


@app.command("bmc")
@scoped
def bmc_cmd(
    names: Names,
    scope: dict,
    depth: Annotated[int, typer.Option("--depth", help="Check every state reachable in at most this many steps.")] = 10,
    spec: Spec = None,
    timeout: Timeout = None,
    trace: TracePath = Path("traces"),
    as_json: AsJson = False,
    seed: Seed = 0,
    full_trace: FullTrace = False,
    cone: Annotated[bool, typer.Option(
        "--cone/--no-cone", help="Unroll only the variables the invariants depend on (counterexamples are "
        "confirmed on the full system).")] = True,
    symmetry: Annotated[bool, typer.Option(
        "--symmetry/--no-symmetry", help="Unroll only behaviours in the canonical order of the spec's "
        "symmetric servers (when every named invariant is declared symmetric).")] = True,
    budget: Annotated[Optional[float], typer.Option(
        "--budget", min=0.1, max=1e7, help="Stop after this many seconds in all; the verdict says which depths were "
        "covered (e.g. --depth 30 --budget 600: the depth reached in 10 minutes).")] = None,
    semantics: Annotated[str, typer.Option(
        "--semantics", help="interleaving (default): one action per step. step: several independent actions "
        "(one per server) per step, so --depth d covers every interleaved behaviour of at most d actions and "
        "more; counterexamples are serialized one action per step and replayed.")] = "interleaving",
) -> None:
    """Bounded model checking from Init: a shortest counterexample up to --depth, or none.

    Both reductions are sound and on by default; each verdict lists those it used.
    """
    _verify(verify.VerifyOptions(
        "bmc", tuple(names), depth, spec, scope, trace_dir=trace,
        engine=_engine_options(timeout=timeout, seed=seed, cone=cone, symmetry=symmetry, budget=budget,
                               semantics=semantics)), as_json, full_trace)


@app.command("list")
def list_cmd(spec: Spec = None, as_json: AsJson = False) -> None:
    """The specifications, their invariants, the actions of Next and the default scope."""
    rep = listing.run(listing.ListOptions(spec))

    def show() -> None:
        out = _out()
        for info, system in rep.specs:
            render.spec_listing(out, info, system)
            out.print()

    _finish(rep, as_json, show)


@app.command("check-proofs")
def check_proofs_cmd(
    path: Annotated[Path, typer.Argument(help="A proof file, or a folder searched for *.toml and *.cex.itf.json.")] = Path("proofs"),
    timeout: Timeout = None,
    workers: Workers = None,
    scheduler: Scheduler = None,
    cache: Annotated[bool, typer.Option("--cache/--no-cache", help="Answer a query whose exact SMT-LIB text (same Z3 version and options) was shown unsat before from the answer cache ($SMTSPEC_CACHE_DIR, else $XDG_CACHE_HOME/smtspec or ~/.cache/smtspec); --no-cache solves every query.")] = True,
    as_json: AsJson = False,
) -> None:
    """Re-check recorded proofs (*.toml) and recorded refutations (*.cex.itf.json, replayed by the
    concrete interpreter); exit 1 if any verdict differs from the one recorded or a refutation
    no longer replays."""
    out = _out()

    def row_done(row) -> None:  # stream each row as it finishes
        if as_json:
            _json_lines(row.to_json())
        else:
            render.proof_row(out, row)

    with _progress() as p:
        from .backend import default_workers

        rep = check_proofs.run(check_proofs.CheckProofsOptions(
            path, timeout, default_workers() if workers is None else workers, scheduler, cache=cache), p.update,
            row_done)
    for event in rep.events:  # a worker that died: its proofs were re-run elsewhere
        Console(stderr=True).print(f"note: {event}", style="yellow", highlight=False)
    if rep.interrupted:
        sys.stderr.write("smtspec: interrupted: the rows above are what finished\n")
    raise typer.Exit(rep.exit_code())


@app.command("strengthen")
@scoped
def strengthen_cmd(
    names: Names,
    scope: dict,
    k: Annotated[int, typer.Option("--k", help="Induction depth of the strengthened proof.")] = 1,
    spec: Spec = None,
    candidates: Annotated[Optional[Path], typer.Option("--candidates", help="A TOML file of [[helpers]] to add to the pool.")] = None,
    depth: Annotated[int, typer.Option("--depth", help="BMC depth that filters out refuted candidates (at least k-1).")] = 6,
    write: Annotated[Optional[Path], typer.Option("--write", help="Folder for the proof files found (default proofs/<spec>).")] = None,
    timeout: Timeout = None,
    as_json: AsJson = False,
) -> None:
    """Houdini: find helper invariants that make the targets k-inductive, shrink them with unsat cores,
    re-check, and write a proof file per proved target."""
    opts = strengthen_command.StrengthenOptions(tuple(names), k, depth, spec, scope, candidates, write,
                                                timeout=timeout)
    with _progress() as p:
        rep = strengthen_command.run(opts, p.update)

    def show() -> None:
        out = _out()
        for t, o in rep.report.outcomes.items():
            render.strengthened(out, t, o, rep.report, rep.by_name, rep.files.get(t))

    _finish(rep, as_json, show)


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
    opts = results.ReportOptions(tuple(spec or ()), proof_dir, k, depth, timeout, readme, tuple(depths or ()))
    with _progress() as p:
        rep = results.run(opts, p.update)
    sys.stdout.write(rep.markdown)


@app.command("check-lemmas")
@scoped
def check_lemmas_cmd(scope: dict, spec: Spec = None, timeout: Timeout = None, as_json: AsJson = False) -> None:
    """Check that every hand-encoded invariant is equivalent to its TLA+ transcription of the seed
    (encodings/<spec>/lemmas.tla) over all well-typed states of the scope; exit 1 on any difference."""
    rep = lemmas.run(lemmas.CheckLemmasOptions(spec, scope, timeout))
    _finish(rep, as_json, lambda: render.lemma_checks(_out(), rep))


@app.command("simulate")
@scoped
def simulate_cmd(
    scope: dict,
    names: Annotated[Optional[list[str]], typer.Argument(help="Invariants to check (default: all of the spec).", show_default=False)] = None,
    spec: Spec = None,
    strategy: Annotated[str, typer.Option("--strategy", help="guided: swarm walks restarted from a corpus of novel abstract states (the default); swarm: swarm walks from Init; uniform: walks from Init, uniform over actions (the baseline).")] = "guided",
    steps: Annotated[int, typer.Option("--steps", help="Steps in all (split over the workers).")] = 1_000_000,
    budget: Annotated[Optional[float], typer.Option("--budget", help="Seconds at most (the campaign also stops after --steps).")] = None,
    length: Annotated[int, typer.Option("--length", help="Steps per walk at most (each walk draws its length from 10..LENGTH).")] = 60,
    seed: Annotated[int, typer.Option("--seed", min=0, max=2**32 - 1, help="Search i uses seed + i: the same seed, --searches and --steps give the same result on any number of workers, here or on a cluster (0..2^32-1).")] = 0,
    workers: Workers = None,
    scheduler: Scheduler = None,
    searches: Annotated[Optional[int], typer.Option("--searches", min=1, max=1024, help="Independent searches the campaign is split into, each with its share of --steps (default: one per 250,000 steps, at most 16; with --budget, one per worker).")] = None,
    weight: Annotated[list[str], typer.Option("--weight", help="ACTION=W: relative weight of an action (default 1; repeatable).")] = [],
    shrink: Annotated[bool, typer.Option("--shrink/--no-shrink", help="Shrink each violation by delta debugging before it is replayed and written.")] = True,
    trace: TracePath = Path("traces"),
    as_json: AsJson = False,
) -> None:
    """Search for violations by simulation. Every violation found is shrunk, replayed by the
    concrete interpreter and written as an ITF trace; finding none proves nothing. Exit 1 if
    a violation was found, 0 if none, 3 if interrupted."""
    from .guided import default_workers

    workers = default_workers() if workers is None else workers
    opts = simulate_command.SimulateOptions(
        tuple(names or ()), strategy, steps, budget, seed, workers, max_length=length,
        weights=tuple(_weights(weight).items()), shrink=shrink, spec=spec, scope=scope, trace_dir=trace,
        shards=searches, scheduler=scheduler)
    with _progress() as p:
        from .progress import campaign_status

        rep = simulate_command.run(opts, lambda info_: p.update(campaign_status(strategy, info_)))
    for event in rep.search.events:
        Console(stderr=True).print(f"note: {event}", style="yellow", highlight=False)
    _finish(rep, as_json, lambda: render.search_report(_out(), rep))


def _weights(items: list[str]) -> dict[str, float]:
    """``--weight ACTION=NUMBER`` flags as a mapping (the command checks the names)."""
    weights: dict[str, float] = {}
    for w in items:
        action, sep, value = w.partition("=")
        try:
            weights[action] = float(value)
        except ValueError:
            raise UsageError(f"--weight takes ACTION=NUMBER, got {w!r}") from None
        if not sep or not math.isfinite(weights[action]) or weights[action] < 0:
            raise UsageError(f"--weight takes ACTION=NUMBER >= 0, got {w!r}")
    return weights


@app.command("check")
@scoped
def check_cmd(
    scope: dict,
    names: Annotated[Optional[list[str]], typer.Argument(help="Invariants to settle (default: all of the spec).", show_default=False)] = None,
    spec: Spec = None,
    budget: Annotated[float, typer.Option("--budget", help="Seconds for the whole run (every invariant, every engine).")] = 600.0,
    workers: Workers = None,
    scheduler: Scheduler = None,
    seed: Annotated[int, typer.Option("--seed", min=0, max=2**32 - 1, help="Seed of the simulation campaigns (0..2^32-1).")] = 0,
    proofs_dir: Annotated[Path, typer.Option("--proofs", help="Where recorded proofs and refutations are looked up.")] = Path("proofs"),
    small: Annotated[bool, typer.Option("--small-scopes/--no-small-scopes", help="Search smaller scopes first (the spec declares which).")] = True,
    use_bmc: Annotated[bool, typer.Option("--bmc/--no-bmc", help="Run BMC (both semantics) on what simulation leaves open.")] = True,
    record: Annotated[bool, typer.Option("--record", help="Record each new refutation (replayed) as <proofs>/<spec>/<Name>.cex.itf.json, where check-proofs, prove and check find it.")] = False,
    update_readme: Annotated[Optional[Path], typer.Option("--update-readme", help="Write the final table into this README, between <!-- check:begin --> and <!-- check:end -->.")] = None,
    trace: TracePath = Path("traces"),
    as_json: AsJson = False,
) -> None:
    """Settle invariants within one budget: recorded proofs and refutations, k-induction, guided
    simulation (small scopes first), BMC in both semantics. One row per invariant: proved (its
    proof file), refuted (shortest trace found, its scope, replayed) or unknown (what was covered).
    Exit 1 if any is refuted, 3 if any is unknown, else 0."""
    from .guided import default_workers

    workers = default_workers() if workers is None else workers
    opts = check_command.CheckOptions(
        tuple(names or ()), budget, workers, seed, proofs_dir, small, use_bmc, spec, scope, trace, record,
        update_readme, _regenerate_line(), scheduler=scheduler)
    err = Console(stderr=True)
    live = None
    t0 = time.perf_counter()
    if err.is_terminal and not as_json:
        from rich.console import Group
        from rich.live import Live
        from rich.text import Text

        live = Live(console=err, refresh_per_second=2, transient=True)
        live.start()

    def update(rep, msg: str) -> None:
        if live is not None:
            live.update(Group(render.check_table(rep), Text(f"{msg}  [{time.perf_counter() - t0:.0f} s]", style="dim")))

    try:
        rep = check_command.run(opts, update)
    finally:
        if live is not None:
            live.stop()
    for event in rep.events:
        err.print(f"note: {event}", style="yellow", highlight=False)
    out = Console(highlight=False, soft_wrap=True, width=None if sys.stdout.isatty() else 200)
    _finish(rep, as_json, lambda: render.check_final(out, rep, workers))


def _regenerate_line() -> str:
    """This invocation as the command that regenerates a README table (without the flags that write)."""
    argv = list(_ARGV)
    if "--update-readme" in argv:
        k = argv.index("--update-readme")
        del argv[k:k + 2]
    argv = [a for a in argv if not a.startswith("--update-readme=") and a not in ("--record", "--json")]
    return "smtspec " + " ".join(shlex.quote(a) for a in argv)


@app.command("conform")
@scoped
def conform_cmd(
    scope: dict,
    file: Annotated[Path, typer.Argument(help="A TLC transition log (.jsonl or .jsonl.gz) of ReconcileProposal steps.", show_default=False)],
    spec: Annotated[Optional[str], typer.Option("--spec", help="The spec the log belongs to (default: the one spec with a TLC log format, onos-config).")] = None,
    exact: Annotated[bool, typer.Option("--exact", help="Also check, per (context, state), that the encoding admits no successor the log lacks (complete logs only).")] = False,
    as_json: AsJson = False,
) -> None:
    """Check every logged transition against the Z3 transition relation; exit 0 only when nothing disagrees.
    Bad or truncated lines are reported with their line number and the rest is still checked."""
    with _progress() as p:
        rep = conformance.run(conformance.ConformOptions(file, spec, exact, scope), p.update)
    _finish(rep, as_json, lambda: _out().print(str(rep.summary), markup=False))


@app.command("coverage")
@scoped
def coverage_cmd(
    scope: dict,
    depth: Annotated[int, typer.Option("--depth", help="How deep BMC looks for a reachable state enabling each action.")] = 8,
    spec: Spec = None,
    timeout: Timeout = None,
    as_json: AsJson = False,
) -> None:
    """Action coverage: the shortest depth at which each action is enabled, whether it can change the
    state at all, and whether any well-typed state lets it leave the scope (those steps are disabled)."""
    with _progress() as p:
        rep = coverage.run(coverage.CoverageOptions(depth, spec, scope, timeout), p.update)
    _finish(rep, as_json, lambda: render.coverage(_out(), rep.spec, rep.system, rep.depth, rep.rows))


@app.command("replay")
@scoped
def replay_cmd(
    scope: dict,
    file: Annotated[Path, typer.Argument(help="An ITF trace: written by smtspec, or by another ITF tool (TLC, Apalache, Quint, itf-py).", show_default=False)],
    spec: Annotated[Optional[str], typer.Option("--spec", help="For another tool's trace: the spec it is a behaviour of (its integer params and the scope flags give the bounds).")] = None,
    as_json: AsJson = False,
) -> None:
    """Re-check a trace with the concrete interpreter (no solver). A step without an action label
    gets the action instance that links its two states. Exit 0 when it replays as claimed, 1 when not."""
    rep = replaying.run(replaying.ReplayOptions(file, spec, scope))
    _finish(rep, as_json, lambda: render.replay_report(_out(), rep))


@app.command("triage")
def triage_cmd(
    file: Annotated[Path, typer.Argument(help="A CTI trace that prove wrote (traces/<Name>.cti.itf.json); its spec and scope come from the trace.", show_default=False)],
    depth: Annotated[int, typer.Option("--depth", help="Search from Init for the CTI's projected first state up to this many steps (0..500).")] = 8,
    budget: Annotated[float, typer.Option("--budget", min=0.1, max=1e7, help="Seconds for the whole search; the verdict says which depths were covered.")] = 60.0,
    timeout: Timeout = None,
    trace: TracePath = Path("traces"),
    as_json: AsJson = False,
) -> None:
    """Triage a CTI: is its first state, on the variables that matter (read by the violated invariant
    or changed by a step), reachable from Init? Reached and the CTI's steps then violate the invariant
    (the behaviour from Init replayed): refuted, exit 1. Reached otherwise, or not reached within
    --depth (likely unreachable: the projection a helper must exclude): exit 3."""
    from .commands import triage as triage_command

    with _progress() as p:
        rep = triage_command.run(triage_command.TriageOptions(file, depth, budget, timeout, trace), p.update)
    _finish(rep, as_json, lambda: render.triage_report(_out(), rep))


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"smtspec {__version__}\n")
        raise typer.Exit(0)


@app.callback()
def _root(version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                                help="Print the version and exit.")] = False) -> None:
    """Prove or refute safety invariants of TLA+ protocol specifications with Z3."""


# ------------------------------------------------------------------ entry point


def _usage_errors() -> tuple[type[Any], ...]:  # exceptions with format_message()
    """Usage-error types of the installed typer (recent typer vendors click) and of click."""
    kinds: list[type[Any]] = []
    if click is not None:
        kinds.append(click.ClickException)
    if hasattr(typer, "TyperException"):
        kinds.append(typer.TyperException)
    return tuple(kinds)


def _kinds(name: str) -> tuple[type[Any], ...]:  # exceptions (Exit has exit_code)
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
    if argv is None:  # the real command line, not a test calling main() in process
        install_interrupt_handler()
    try:
        code = app(args=argv, standalone_mode=False)
        if code == 130:  # typer turned a KeyboardInterrupt into Exit(130) and click returned it
            sys.stderr.write("smtspec: interrupted\n")
            return 3
        return int(code or 0)
    except _kinds("Exit") as e:
        if e.exit_code == 130:  # typer's own answer to Ctrl-C: an interruption, exit 3 as everywhere
            sys.stderr.write("smtspec: interrupted\n")
            return 3
        return e.exit_code
    except _kinds("Abort") + (KeyboardInterrupt, Interrupted):
        sys.stderr.write("smtspec: interrupted\n")
        return 3
    except (UsageError, ScopeError, registry.LookupFailed, traces.TraceError, proofs.ProofError) as e:
        _one_line(e.args[0] if e.args else str(e))
        return 2
    except GaveUp as e:  # no verdict: unknown
        sys.stderr.write("smtspec: unknown: " + " ".join(str(e).split()) + "\n")
        return e.exit_code
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
        if is_interrupt(e):  # Ctrl-C inside a Z3 call (ctypes.ArgumentError)
            sys.stderr.write("smtspec: interrupted\n")
            return 3
        if os.environ.get("SMTSPEC_DEBUG"):
            raise
        sys.stderr.write(f"smtspec: internal error: {type(e).__name__}: {e} (SMTSPEC_DEBUG=1 shows the traceback)\n")
        return 4


def entry() -> None:  # pragma: no cover
    sys.exit(main())


if __name__ == "__main__":  # pragma: no cover
    entry()
