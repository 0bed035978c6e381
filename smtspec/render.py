"""Human reports with rich: verdicts with their scope, traces step by step, spec listings."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.markup import escape
from rich.text import Text

from .show import diff, tla
from .system import SpecInfo, System
from .trace import Trace
from .verdict import Result, Verdict

STYLE = {
    Verdict.PROVED: "bold green",
    Verdict.NO_VIOLATION: "green",
    Verdict.REFUTED: "bold red",
    Verdict.UNKNOWN: "bold yellow",
}


def scope_line(r: Result) -> str:
    return ", ".join(f"{k}={v}" for k, v in r.scope.as_dict().items())


def result(console: Console, r: Result, show_trace: bool = True, full: bool = False) -> None:
    """One verdict: name, verdict, bound, scope, assumptions, time, then its trace if any."""
    head = Text()
    head.append(f"{r.invariant}", style="bold")
    head.append(f"  {r.verdict.value}", style=STYLE[r.verdict])
    bound = f"k={r.bound}" if r.method == "k-induction" else f"depth={r.bound}"
    head.append(f"  ({r.method}, {bound}{', simple path' if r.simple_path else ''}, {r.seconds:.1f} s)")
    console.print(head)
    console.print(f"  {r.summary()}")
    if r.capacity_note:
        style = "yellow" if r.capacity_note.startswith("NOT") else ""
        console.print(Text(f"  capacity check: {r.capacity_note}", style=style))
    console.print(f"  scope: {scope_line(r)}   spec: {r.spec}")
    console.print(f"  assumptions (not proved here): {', '.join(r.assumptions) if r.assumptions else 'none'}")
    for note in r.reductions:
        console.print(f"  reduction: {note}", markup=False, highlight=False)
    if r.together:
        label = "proved together with" if r.verdict is Verdict.PROVED else "the CTI's first states also satisfy"
        console.print(f"  {label}: {', '.join(r.together)}")
    if r.stats:
        keys = ("conflicts", "decisions", "max memory", "queries", "solver seconds")
        console.print("  solver: " + ", ".join(f"{k} {r.stats[k]:g}" for k in keys if k in r.stats))
    if r.trace_file:
        console.print(f"  trace written to {r.trace_file}")
    for line in r.explanation:
        console.print(f"  {line}", markup=False, highlight=False)
    if show_trace and r.trace is not None:
        trace(console, r.trace, focus=None if full else (r.focus or None))


def trace(console: Console, tr: Trace, full_first: bool | None = None, focus: tuple[str, ...] | None = None) -> None:
    """A trace step by step, showing only what changed; a CTI's first state shows the ``focus``
    variables (all when None)."""
    title = "counterexample" if tr.kind == "counterexample" else "counterexample to induction (CTI)"
    console.print(f"  [bold]{title}[/bold], {tr.length} step(s); violated in the last state: {', '.join(tr.violated) or '-'}")
    first = tr.states[0]
    if tr.kind == "counterexample" and not full_first:
        console.print("    state 0: Init")
    else:
        console.print("    state 0 (arbitrary):" if tr.kind == "cti" else "    state 0:")
        shown = [v for v in tr.vars if focus is None or v in focus]
        t = Table(show_header=False, show_edge=False, box=None, padding=(0, 1))
        t.add_column(style="bold")
        t.add_column(overflow="fold")
        for v in shown:
            value = first[v]
            text = "\n".join(sorted(tla(x) for x in value)) if isinstance(value, frozenset) and value else tla(value)
            t.add_row(f"      {v}", escape(text))
        console.print(t)
        if len(shown) < len(tr.vars):
            console.print(f"      (+{len(tr.vars) - len(shown)} variables neither read by the invariant nor changed: "
                          f"{', '.join(v for v in tr.vars if v not in shown)}; --full-trace shows them)", markup=False)
    for n, step in enumerate(tr.steps, start=1):
        params = ", ".join(f"{k} = {tla(x)}" for k, x in step.params.items())
        console.print(Text.assemble("    step ", str(n), ": ", (step.action or "(no action named)", "cyan"),
                                    f"({params})"))
        changed = [line for v in tr.vars for line in diff(tr.states[n - 1][v], tr.states[n][v], v)]
        for line in changed or ["(no variable changed)"]:
            console.print(f"      {line}", markup=False, highlight=False)


def spec_listing(console: Console, info: SpecInfo, system: System) -> None:
    console.print(f"[bold]{info.name}[/bold]: {info.title} ({info.source})")
    t = Table(title="scope (defaults)", show_edge=False)
    t.add_column("flag")
    t.add_column("default", justify="right")
    t.add_column("range")
    t.add_column("meaning")
    for b in info.bounds:
        t.add_row(f"--{b.name}", str(b.default), f"{b.low}..{b.high}", escape(b.meaning))
    console.print(t)
    ti = Table(title=f"invariants ({len(system.invariants)})", show_edge=False)
    ti.add_column("name")
    ti.add_column("reading")
    for inv in system.invariants:
        ti.add_row(inv.name, escape(inv.doc))
    console.print(ti)
    ta = Table(title=f"actions of Next ({len(system.next_actions)})", show_edge=False)
    ta.add_column("name")
    ta.add_column("parameters")
    ta.add_column("note")
    for a in system.actions:
        note = a.doc if a.in_next else f"NOT in Next: {a.doc}"
        ta.add_row(a.name if a.in_next else f"({a.name})", ", ".join(p.name for p in a.params), escape(note))
    console.print(ta)
    console.print("[bold]encoding choices shown with every verdict:[/bold]")
    for n in system.narrowings:
        console.print(f"  - {n.text}", markup=False)
    if system.symmetry is not None:
        sym = [i.name for i in system.invariants if i.symmetric]
        console.print(f"[bold]declared symmetry[/bold] (BMC breaks it unless --no-symmetry): {system.symmetry.sort}, "
                      f"acting parameter {system.symmetry.param}; symmetric invariants: {', '.join(sym) or 'none'}",
                      markup=True, highlight=False)


def coverage(console: Console, spec: str, system: System, depth: int, rows) -> None:
    """The action-coverage table."""

    def yn(b):
        return {True: "yes", False: "no", None: "unknown"}[b]

    t = Table(title=f"action coverage of {spec} (scope {system.scope})", show_edge=False)
    for col in ("action", "in Next", f"first enabled (depth <= {depth})", "can change the state",
                "can leave the scope (any well-typed state)", f"leaves it from a reachable state (depth <= {depth})", "note"):
        t.add_column(col)
    for r in rows:
        t.add_row(r.action, yn(r.in_next), "-" if r.reachable_at is None else str(r.reachable_at),
                  yn(r.changes_state), yn(r.leaves_scope),
                  "no" if r.leaves_scope_at is None else f"yes, depth {r.leaves_scope_at}", escape(r.note))
    console.print(t)
    for r in rows:
        if r.leaves_scope_at is not None:
            console.print(f"[red]{r.action} leaves the scope from a reachable state at depth {r.leaves_scope_at}; "
                          f"those steps are disabled, so the bounded model cuts behaviours off[/red]")


def strengthened(console: Console, target: str, o, rep, by_name, file) -> None:
    """One target's strengthening outcome."""
    head = Text()
    head.append(target, style="bold")
    if o.final is not None:
        head.append(f"  {o.final.verdict.value}", style=STYLE[o.final.verdict])
    else:
        head.append("  not strengthened", style="bold yellow")
    head.append(f"  (k={o.k}; pool {rep.pool}: {len(rep.refuted_by_bmc)} refuted by BMC, "
                f"{len(rep.dropped_by_houdini)} dropped by Houdini, {len(rep.survivors)} inductive together)")
    console.print(head)
    if not o.survived:
        console.print("  the target was dropped: no inductive set in this pool contains it")
        return
    console.print(f"  {len(o.kept)} helper(s) needed after unsat-core shrinking:")
    for n in o.kept:
        c = by_name[n]
        console.print(f"    {n}: {c.invariant.doc}", markup=False)
    if o.final is not None:
        console.print(f"  re-checked from scratch: {o.final.summary()}")
        console.print(f"  scope: {scope_line(o.final)}")
    if file:
        console.print(f"  proof written to {file}")
    secs = ", ".join(f"{k} {v:.1f} s" for k, v in rep.seconds.items())
    console.print(f"  time: {secs}")


def search_report(console: Console, rep) -> None:
    """A simulation campaign: TLC-simulator style figures, then each replayed violation."""
    s = rep.search
    per = (lambda x: f"{x / s.seconds:,.0f}/s") if s.seconds else (lambda x: "-")
    console.print(f"{s.strategy} search, {s.workers} worker(s), scope {rep.scope}, seed {rep.options.seed}"
                  + (" [yellow](interrupted)[/yellow]" if s.interrupted else ""))
    console.print(f"  {s.walks:,} walks, {s.steps:,} steps in {s.seconds:.1f} s ({per(s.steps)}); "
                  f"{s.distinct_states:,} distinct states ({per(s.distinct_states)})"
                  + (f", {s.distinct_abstract:,} distinct abstract states" if s.distinct_abstract else "")
                  + f"; deepest state at depth {s.max_depth}")
    fired = ", ".join(f"{a} {c:,}" for a, c in sorted(s.action_counts.items(), key=lambda x: -x[1]))
    console.print(f"  actions fired: {fired}", markup=False)
    if not rep.refutations:
        console.print(f"  no violation of {', '.join(rep.options.names)} (a search that finds nothing proves nothing)")
    for r in rep.refutations:
        console.print(f"[bold]{r.invariant}[/bold] [red]violated[/red]: found after {r.found_length} steps, "
                      f"shrunk to {r.length}, replayed by the concrete interpreter; trace {r.trace.extra.get('file')}")
        trace(console, r.trace)


def _covered_text(covered: dict) -> str:
    parts = []
    for key, label in (("bmc_interleaving_depth", "BMC depth {}"), ("bmc_step_depth", "step-BMC depth {}")):
        if covered.get(key) is not None:
            parts.append(label.format(covered[key]))
    if covered.get("steps_simulated"):
        parts.append(f"{covered['steps_simulated']:,} steps simulated, {covered.get('distinct_states', 0):,} states")
    return "; ".join(parts)


def check_table(rep) -> "Table":
    """One row per invariant of a ``check`` run (live while it runs, then final)."""
    from rich.table import Table

    colour = {"proved": "green", "refuted": "red", "unknown": "yellow"}
    t = Table(title=f"{rep.spec}, scope {rep.scope}", show_lines=False)
    for col in ("invariant", "verdict", "how", "scope of the verdict", "trace length", "covered / evidence"):
        t.add_column(col)
    for r in rep.rows.values():
        v = r.verdict.value
        scope = "" if r.scope is None else ("requested" if r.scope == rep.scope else str(r.scope))
        if r.trace is not None:
            length = str(r.length) + (f" (found {r.found_length})" if r.found_length and r.found_length != r.length else "")
        else:
            length = ""
        evidence = r.proof_file or r.trace_file or ""
        cov = _covered_text(r.covered)
        t.add_row(r.invariant, f"[{colour.get(v, 'white')}]{v}[/]", r.method, scope, length,
                  "; ".join(x for x in (evidence, cov) if x))
    return t


# ------------------------------------------------------------------ command reports


def verify_report(console: Console, rep, full: bool = False) -> None:
    """``prove``/``bmc``: each verdict (a CTI shared by several invariants once), then the
    recorded refutations of the invariants checked."""
    if rep.interrupted:
        console.print("interrupted: no verdict for the query that was running")
    shown: set = set()
    for r in rep.results:
        result(console, r, show_trace=id(r.trace) not in shown, full=full)
        shown.add(id(r.trace))
    for rr in rep.recorded:
        c, name = rr.check, rr.invariant
        if not c.ok:
            console.print(f"[red]{name}[/red]: the recorded refutation {c.file} no longer replays: {c.problems[0]}")
            continue
        other = c.scope != rr.requested
        where = ("a behaviour of this scope too (its steps replayed here)" if rr.lifted is not None and other
                 else "this scope" if not other else f"not replayable at scope {rr.requested}")
        console.print(f"[bold]{name}[/bold] is [red]refuted[/red] by the recorded behaviour {c.file}: {c.length} steps "
                      f"at scope {c.scope} ({where}), replayed just now by the concrete interpreter. "
                      f"What k-induction found above does not change this: the invariant is false.")


def proof_row(console: Console, row) -> None:
    """One line (and its notes) of ``check-proofs``: a recorded refutation or a proof file."""
    mark = {"ok": "[green]ok[/green]", "unknown": "[yellow]UNKNOWN[/yellow] (not re-checked to the end)",
            "changed": "[red]CHANGED[/red]"}[row.status]
    if hasattr(row, "check"):
        c = row.check
        how = "replayed by the concrete interpreter" if c.ok else f"does not replay: {c.problems[0]}"
        console.print(f"{mark} {row.file}: {c.invariant} refuted by a recorded behaviour of {c.length} steps "
                      f"(scope {c.scope}), {how}")
        return
    p, r = row.proof, row.result
    console.print(f"{mark} {row.file}: {p.target} {r.verdict.value} (expected {p.expect}; k={p.k}, "
                  f"{len(p.helpers)} helper(s), scope {row.scope}, {r.seconds:.1f} s)")
    if row.helpers_not_proved:
        console.print(f"   helpers not proved with it: {', '.join(row.helpers_not_proved)}", markup=False)
    if r.capacity_note:
        console.print(f"   capacity check: {r.capacity_note}", markup=False)


def lemma_checks(console: Console, rep) -> None:
    """``check-lemmas``: each invariant equivalent to its transcription, or a distinguishing state."""
    for r in rep.rows:
        mark = "[green]equivalent[/green]" if r.equivalent else f"[red]{r.status}[/red]"
        console.print(f"{r.name}: {mark} ({r.seconds:.1f} s){' - ' + r.message if r.message else ''}")
        if r.state is not None:
            console.print(f"   distinguishing state (hand encoding {r.hand}, transcription {r.tla}):", markup=False)
            for v, x in r.state.items():
                console.print(f"     {v} = {tla(x)}", markup=False)
    console.print(f"{len(rep.rows) - rep.differing} of {len(rep.rows)} invariants of {rep.spec} equivalent to "
                  f"their transcription (scope {rep.scope})")


def replay_report(console: Console, rep) -> None:
    """``replay``: the trace, then whether the interpreter replays it as claimed."""
    tr, r = rep.trace, rep.replay
    trace(console, tr)
    status = "[green]replays[/green]" if r.ok else "[red]does not replay[/red]"
    console.print(f"{rep.file}: {tr.kind} of {tr.length} step(s), {status} with the concrete interpreter "
                  f"({r.checked_steps} step(s) checked; scope {rep.scope})")
    if r.labelled:
        console.print(f"  actions found for unlabelled step(s) {', '.join(map(str, r.labelled))} (the instance "
                      "linking the two states)", markup=False)
    for n in r.notes:
        console.print(f"  note: {n}", markup=False)
    for p in r.problems:
        console.print(f"  problem: {p}", markup=False)
    for name, val in r.final_values.items():
        console.print(f"  {name} in the last state: {'TRUE' if val else 'FALSE'}")


def check_final(console: Console, rep, workers: int) -> None:
    """``check`` at the end: the table, each row's notes, the run's figures."""
    console.print(check_table(rep))
    for r in rep.rows.values():
        for note in r.notes:
            console.print(f"  {r.invariant}: {note}", markup=False)
    console.print(f"{len(rep.rows)} invariant(s) in {rep.seconds:.0f} s with {workers} worker(s)"
                  + (" (interrupted: the rows show what finished)" if rep.interrupted else ""))


def triage_report(console: Console, rep) -> None:
    """``triage``: the verdict, why, and the projection a helper must exclude."""
    r = rep.result
    console.print(f"{rep.invariant}: {r.verdict} (depth {r.depth}, {r.seconds:.1f} s)", markup=False)
    console.print(f"  {r.reason}", markup=False)
    console.print(f"  scope: {rep.scope}", markup=False)
    if r.projection:
        console.print("  projection of the CTI's first state:", markup=False)
        for line in r.projection:
            console.print(f"    {line}", markup=False)
    if rep.trace_file is not None:
        console.print(f"  trace: {rep.trace_file}", markup=False)
