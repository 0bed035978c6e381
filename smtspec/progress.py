"""A progress line on stderr that appears once a query has run for a second."""

from __future__ import annotations

import threading
import time

from rich.console import Console
from rich.live import Live
from rich.text import Text


class ProgressLine:
    """``with ProgressLine(console) as p: p.update("bmc: Lemma1 at depth 3")``; silent on non-terminals."""

    def __init__(self, console: Console, delay: float = 1.0, enabled: bool = True):
        self.console = console
        self.delay = delay
        self.enabled = enabled and console.is_terminal
        self.message = ""
        self.start = time.perf_counter()
        self._live: Live | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> "ProgressLine":
        if self.enabled:
            self._thread = threading.Thread(target=self._run, daemon=True)
            self._thread.start()
        return self

    def _render(self) -> Text:
        return Text(f"⏳ {self.message}  [{time.perf_counter() - self.start:.0f} s]", style="dim")

    def _run(self) -> None:
        if self._stop.wait(self.delay):
            return
        with Live(self._render(), console=self.console, transient=True, refresh_per_second=4) as live:
            self._live = live
            while not self._stop.wait(0.25):
                live.update(self._render())

    def update(self, message: str) -> None:
        self.message = message

    def __exit__(self, *exc) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()


def campaign_status(strategy: str, info: dict) -> str:
    """A simulation campaign's progress line (``guided.campaign``'s tick): steps and steps per
    second summed over the workers, states, depth, the searches done / running / queued, and
    the violations found so far (shortest length each)."""
    found = ", ".join(f"{n} ({k})" for n, k in sorted(info.get("found", {}).items())) or "none"
    t = info.get("tasks") or {}
    workers = info.get("workers", 1)
    return (f"simulate ({strategy}): {info['steps']:,} steps, {info.get('steps_per_second', 0.0):,.0f} steps/s over "
            f"{workers} worker(s); {info['distinct_states']:,} states, depth {info['max_depth']}; searches "
            f"{t.get('done', 0)} done / {t.get('running', 0)} running / {t.get('queued', 0)} queued; violated: {found}")
