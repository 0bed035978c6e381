"""The obligation matrix as a rich table: rows = invariants, columns = Init + Next's actions."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

MARKS = {"holds": ("✓", "green"), "fails": ("✗", "bold red"), "unknown": ("?", "yellow")}


def _mark(cell) -> Text:
    mark, style = MARKS.get(cell.verdict, ("?", "yellow"))
    return Text(mark, style=style)


def _abbreviations(names) -> dict[str, str]:
    """Short column heads: a name's capitals (HandleUpdateSyncRequest: HUSR), numbered when two agree."""
    out: dict[str, str] = {}
    taken: set[str] = set()
    for n in names:
        if n == "Init":
            out[n] = n
            taken.add(n)
            continue
        short = "".join(ch for ch in n if ch.isupper() or ch.isdigit()) or n[:3]
        if len(short) >= len(n):
            short = n
        head, i = short, 2
        while head in taken:
            head, i = f"{short}{i}", i + 1
        taken.add(head)
        out[n] = head
    return out


def matrix_table(console: Console, report) -> None:
    """``report``: a :class:`smtspec.commands.matrix.MatrixReport`."""
    m = report.matrix
    scope = ", ".join(f"{k}={v}" for k, v in m.scope.as_dict().items())
    title = f"{m.spec} ({scope}): 1-induction obligations, capacity {m.capacity}"
    if m.assumptions:
        title += f", assuming {', '.join(m.assumptions)}"
    cols = m.columns
    inv_width = len(max(m.invariants, key=len))

    def need(heads: dict[str, str]) -> int:
        return inv_width + sum(len(heads[c]) + 3 for c in cols) + 4

    heads = dict(zip(cols, cols))
    if need(heads) > console.width:
        heads = _abbreviations(cols)
    if need(heads) <= console.width:  # rows = invariants, columns = Init + actions
        t = Table(title=title, show_edge=False, header_style="bold")
        t.add_column("invariant", overflow="fold")
        for col in cols:
            t.add_column(heads[col], justify="center", no_wrap=True)
        for inv in m.invariants:
            t.add_row(inv, *[_mark(m.cell(inv, col)) for col in cols])
        legend = [f"{heads[c]} = {c}" for c in cols if heads[c] != c]
    else:  # too narrow a console: the same table transposed, invariants numbered
        nums = {inv: f"#{n}" for n, inv in enumerate(m.invariants, start=1)}
        t = Table(title=title, show_edge=False, header_style="bold")
        t.add_column("obligation", overflow="fold")
        for inv in m.invariants:
            t.add_column(nums[inv], justify="center", no_wrap=True)
        for col in cols:
            t.add_row(col, *[_mark(m.cell(inv, col)) for inv in m.invariants])
        legend = [f"{nums[i]} = {i}" for i in m.invariants]
    console.print(t)
    if legend:
        console.print("  " + ", ".join(legend), markup=False, highlight=False)
    failed = [c for c in m.rows if c.verdict != "holds"]
    for c in failed:
        where = report.trace_files.get((c.invariant, c.action))
        what = "Init violates" if c.action == "Init" else f"{c.action} breaks"
        line = f"  {MARKS[c.verdict][0]} {what} {c.invariant}" if c.verdict == "fails" else \
            f"  ? {c.action} × {c.invariant}: {c.reason}"
        console.print(line + (f"  → {where}" if where else ""), markup=False, highlight=False)
    n = len(m.rows)
    held = sum(c.verdict == "holds" for c in m.rows)
    cached = sum(c.cached for c in m.rows)
    summary = f"{held}/{n} obligations hold"
    if report.cache_counts is not None:
        summary += f"; {cached} answered from the cache"
    if m.interrupted:
        summary += "; interrupted"
    if m.all_hold:
        summary += f": {', '.join(m.invariants)} 1-inductive together"
    console.print(summary, markup=False, highlight=False)


__all__ = ["matrix_table"]
