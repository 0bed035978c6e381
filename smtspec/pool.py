"""Independent tasks on several processes (``check``'s proofs, inductions, BMC runs and
frontier searches), as before :mod:`smtspec.backend`: a thin wrapper kept for its callers.

Tasks are plain data (a spec name, a scope, options); each worker builds its own systems,
so no Z3 object crosses a process boundary. Worker processes are spawned, not forked.
"""

from __future__ import annotations

from .backend import Backend, LocalPool


def pool_map(fn, jobs, workers: int, backend: Backend | None = None):
    """``fn`` over ``jobs`` (plain data), results as they finish: on ``backend`` when one is given,
    else on ``workers`` fresh processes (in this process when there is one worker or one job).
    Ctrl-C, or a worker ended by it, cancels what is queued and raises KeyboardInterrupt."""
    jobs = list(jobs)
    if backend is not None:
        yield from backend.map(fn, jobs)
        return
    with LocalPool(min(workers, max(1, len(jobs)))) as pool:
        yield from pool.map(fn, jobs)
