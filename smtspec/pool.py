"""Independent tasks on several processes (``check``'s proofs, inductions, BMC runs and
frontier searches; a simulation campaign has its own pool in :mod:`guided`, for progress
and a stop signal).

Tasks are plain data (a spec name, a scope, options); each worker builds its own systems,
so no Z3 object crosses a process boundary. Worker processes are spawned, not forked.
"""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor, as_completed


def pool_map(fn, jobs, workers: int):
    """``fn`` over ``jobs`` (plain data) on ``workers`` fresh processes, results as they finish; in
    this process when there is one worker or one job. Ctrl-C, or a worker ended by it, cancels
    what is queued and raises KeyboardInterrupt."""
    if workers <= 1 or len(jobs) <= 1:
        for j in jobs:
            yield fn(j)
        return
    import multiprocessing as mp

    from concurrent.futures.process import BrokenProcessPool

    with ProcessPoolExecutor(max_workers=min(workers, len(jobs)), mp_context=mp.get_context("spawn")) as pool:
        futures = [pool.submit(fn, j) for j in jobs]
        try:
            for f in as_completed(futures):
                try:
                    yield f.result()
                except (BrokenProcessPool, KeyboardInterrupt):
                    raise KeyboardInterrupt from None  # a worker ended by Ctrl-C: the run is interrupted
        except KeyboardInterrupt:
            for f in futures:
                f.cancel()
            raise
