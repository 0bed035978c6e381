"""The one execution backend of ``simulate``, ``check``, ``check-proofs`` and the benchmarks.

A task is a module-level function and a job of plain data (a spec name, scope items, engine
options, a seed); each worker process builds its own systems (``engines.Problem.system``
caches them per process), so no Z3 object crosses a process boundary. Two backends run
tasks, with the same results for the same jobs wherever a task runs:

- :class:`LocalPool`: worker processes on this machine (spawned, not forked), or this
  process when there is one worker or one job;
- :class:`DaskBackend`: a Dask cluster, either a ``distributed.LocalCluster`` of N worker
  processes (one thread each) or an existing cluster at a scheduler's address (``dask
  scheduler`` / ``dask worker`` on several hosts). Dask is an optional extra
  (``pip install "smtspec[dask]"``).

:func:`backend_for` picks one. :meth:`Backend.map` yields each task's result as it finishes.
Ctrl-C (or closing the iterator) cancels what has not run. A worker that dies while running
a task has the task rerun (elsewhere on a cluster, on a fresh process locally) and the
rerun is reported in :attr:`Backend.events`; a task whose workers keep dying becomes its
``fallback`` (an ``unknown`` verdict, say) rather than being lost, or raises
:class:`TaskLost` when the caller gave no fallback.
"""

from __future__ import annotations

import itertools
import logging
import os
import time
import uuid
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor
from concurrent.futures import wait as wait_futures
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Iterator, Sequence

RETRIES = 2  # how many times a task is rerun after the worker running it died


class TaskLost(RuntimeError):
    """A task whose worker died on every attempt (and no fallback was given)."""


class BackendError(RuntimeError):
    """The backend cannot start: Dask missing, or no scheduler at the address."""


@dataclass(frozen=True)
class Counts:
    """Tasks of the current :meth:`Backend.map`: finished, running, waiting for a worker."""

    done: int = 0
    running: int = 0
    queued: int = 0

    def __str__(self) -> str:
        return f"tasks {self.done} done / {self.running} running / {self.queued} queued"


Fallback = Callable[[Any, BaseException], Any]


def default_workers() -> int:
    """The cores this process may use."""
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))


class Backend:
    """Runs tasks ``fn(job)``; see the module docstring. Use as a context manager."""

    slots: int = 1  # how many tasks run at once
    kind: str = "local"

    def __init__(self) -> None:
        self.events: list[str] = []  # workers that died and the tasks rerun, for the report
        self.interrupted = False  # the last map ended early by Ctrl-C (with on_interrupt)
        self._counts = Counts()

    # -- the interface
    def map_indexed(self, fn: Callable, jobs: Sequence, fallback: Fallback | None = None,
                    poll: Callable[[], None] | None = None,
                    on_interrupt: Callable[[], None] | None = None) -> Iterator[tuple[int, Any]]:
        """``(index, fn(jobs[index]))`` for each job, as they finish.

        ``fallback(job, error)`` stands for a task given up after its workers died (else
        :class:`TaskLost`); ``poll()`` is called on this thread about twice a second while
        waiting. Ctrl-C cancels what has not finished and raises KeyboardInterrupt, unless
        ``on_interrupt`` is given: then it is called (to ask running tasks to stop), the
        queued tasks are dropped, the running ones are waited for (a second Ctrl-C stops
        waiting) and the iteration ends with :attr:`interrupted` set.
        """
        raise NotImplementedError

    def map(self, fn: Callable, jobs: Sequence, fallback: Fallback | None = None) -> Iterator[Any]:
        """``fn(job)`` for each job, as they finish (not in order)."""
        for _i, r in self.map_indexed(fn, jobs, fallback):
            yield r

    def submit(self, fn: Callable, job: Any) -> Any:
        """One task now; the result when it finishes (``.result()``)."""
        raise NotImplementedError

    def counts(self) -> Counts:
        """Tasks done / running / queued in the current (or last) :meth:`map`."""
        return self._counts

    def close(self) -> None:
        pass

    def describe(self) -> str:
        return f"{self.slots} local worker(s)"

    def __enter__(self) -> "Backend":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _in_process(fn: Callable, jobs: Sequence, backend: Backend) -> Iterator[tuple[int, Any]]:
    n = len(jobs)
    for i, j in enumerate(jobs):
        backend._counts = Counts(i, 1, n - i - 1)
        r = fn(j)
        backend._counts = Counts(i + 1, 0, n - i - 1)
        yield i, r


# ------------------------------------------------------------------ this machine's processes


class LocalPool(Backend):
    """Worker processes on this machine (spawned), started when first needed and reused for
    every :meth:`map` until :meth:`close` (so each builds a spec's system once); one worker,
    or one job, runs in this process. ``max_tasks_per_child=1`` gives every task a fresh
    process, even with one worker (the benchmarks: no Z3 state left by an earlier run)."""

    kind = "local"

    def __init__(self, workers: int = 1, max_tasks_per_child: int | None = None, retries: int = RETRIES):
        super().__init__()
        self.slots = max(1, workers)
        self.max_tasks_per_child = max_tasks_per_child
        self.retries = retries
        self._pool: ProcessPoolExecutor | None = None

    def describe(self) -> str:
        return f"{self.slots} local worker process(es)" if self.slots > 1 else "this process"

    def executor(self, workers: int | None = None, **kw: Any) -> ProcessPoolExecutor:
        """A new spawned pool of ``workers`` (default: the backend's) with this backend's settings,
        e.g. with an ``initializer`` (the campaign's progress queue); the caller shuts it down."""
        import multiprocessing as mp

        args: dict[str, Any] = dict(max_workers=workers or self.slots, mp_context=mp.get_context("spawn"), **kw)
        if self.max_tasks_per_child is not None:
            args["max_tasks_per_child"] = self.max_tasks_per_child
        return ProcessPoolExecutor(**args)

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = self.executor()
        return self._pool

    def submit(self, fn: Callable, job: Any) -> Future:
        if self.slots <= 1 and self.max_tasks_per_child is None:
            f: Future = Future()
            try:
                f.set_result(fn(job))
            except Exception as e:  # noqa: BLE001 - handed to the caller through the future
                f.set_exception(e)
            return f
        return self._executor().submit(fn, job)

    def map_indexed(self, fn: Callable, jobs: Sequence, fallback: Fallback | None = None,
                    poll: Callable[[], None] | None = None, on_interrupt: Callable[[], None] | None = None,
                    initializer: Callable | None = None, initargs: tuple = ()) -> Iterator[tuple[int, Any]]:
        jobs = list(jobs)
        if (self.slots <= 1 or len(jobs) <= 1) and initializer is None and self.max_tasks_per_child is None:
            yield from _in_process(fn, jobs, self)
            return
        own: list[ProcessPoolExecutor] = []  # with an initializer: a pool of its own

        def make() -> ProcessPoolExecutor:
            if initializer is None:
                return self._executor()
            if not own:
                own.append(self.executor(min(self.slots, len(jobs)), initializer=initializer, initargs=initargs))
            return own[0]

        def forget() -> None:
            if initializer is None:
                self._pool = None
            else:
                own.clear()

        try:
            yield from self._run(make, forget, fn, jobs, fallback, poll, on_interrupt)
        finally:
            if own:
                own[0].shutdown(wait=True, cancel_futures=True)

    def _run(self, make: Callable[[], ProcessPoolExecutor], forget: Callable[[], None], fn: Callable, jobs: list,
             fallback: Fallback | None, poll: Callable[[], None] | None,
             on_interrupt: Callable[[], None] | None) -> Iterator[tuple[int, Any]]:
        from concurrent.futures.process import BrokenProcessPool

        attempts = [0] * len(jobs)
        pool = make()
        futures: dict[Future, int] = {pool.submit(fn, j): i for i, j in enumerate(jobs)}
        done_count = 0
        stopping = False
        self.interrupted = False
        try:
            while futures:
                try:
                    self._counts = self._local_counts(done_count, futures)
                    if poll is not None:
                        poll()
                    finished, _ = wait_futures(list(futures), timeout=0.5, return_when=FIRST_COMPLETED)
                except KeyboardInterrupt:
                    if on_interrupt is None or stopping:
                        raise
                    stopping = self.interrupted = True  # ask the running tasks to stop; drop the queued ones
                    on_interrupt()
                    for f in futures:
                        f.cancel()
                    futures = {f: i for f, i in futures.items() if not f.cancelled()}
                    continue
                broken = []
                for f in finished:
                    i = futures.pop(f)
                    try:
                        r = f.result()
                    except BrokenProcessPool:
                        broken.append(i)
                        continue
                    except KeyboardInterrupt:  # a worker ended by Ctrl-C
                        if on_interrupt is None:
                            raise
                        stopping = self.interrupted = True
                        continue
                    done_count += 1
                    self._counts = self._local_counts(done_count, futures)
                    yield i, r
                if broken:
                    time.sleep(0.2)  # a Ctrl-C that ended the workers also reaches this process: let it arrive
                    if stopping:
                        break
                    broken += [futures.pop(f) for f in list(futures)]
                    self._drop(pool)
                    forget()
                    pool = make()
                    dead = sorted(broken)
                    self.events.append(f"a worker process died: task(s) {', '.join(map(str, dead))} rerun "
                                       "on fresh processes")
                    for i in dead:
                        attempts[i] += 1
                        if attempts[i] > self.retries:
                            err = TaskLost(f"task {i}: its worker process died {attempts[i]} times")
                            if fallback is None:
                                raise err
                            self.events.append(f"task {i} given up after {attempts[i]} worker deaths")
                            done_count += 1
                            yield i, fallback(jobs[i], err)
                        else:
                            futures[pool.submit(fn, jobs[i])] = i
        except (KeyboardInterrupt, GeneratorExit):
            for f in futures:
                f.cancel()
            if any(not f.done() for f in futures):
                self._drop(pool)  # running tasks are not waited for: their processes are ended
                forget()
            raise
        self._counts = Counts(done_count, 0, 0)

    def _local_counts(self, done: int, futures: dict[Future, int]) -> Counts:
        running = min(self.slots, sum(1 for f in futures if f.running()))
        return Counts(done, running, len(futures) - running)

    @staticmethod
    def _drop(pool: ProcessPoolExecutor) -> None:
        """End a pool now, its running tasks too (after Ctrl-C, or when a worker died)."""
        procs = list((getattr(pool, "_processes", None) or {}).values())  # no public way to end running tasks
        for p in procs:
            try:
                p.terminate()
            except Exception:  # noqa: BLE001 - already gone
                pass
        pool.shutdown(wait=False, cancel_futures=True)
        for p in procs:
            p.join(timeout=5)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


# ------------------------------------------------------------------ Dask


def dask_available() -> bool:
    try:
        import distributed  # noqa: F401
    except ImportError:
        return False
    return True


_TOPIC_START = "smtspec-task-start"


def _dask_call(fn: Callable, job: Any, topic: str, index: int) -> Any:
    """A task on a Dask worker: says it started (for the running count), then runs."""
    try:
        from distributed import get_worker

        get_worker().log_event(topic, {"task": index})
    except Exception:  # noqa: BLE001 - progress is best effort
        pass
    return fn(job)


class DaskBackend(Backend):
    """A Dask cluster: ``LocalCluster(n_workers=workers, threads_per_worker=1, processes=True)``,
    or the cluster whose scheduler is at ``scheduler`` (``tcp://HOST:8786``)."""

    kind = "dask"

    def __init__(self, workers: int | None = None, scheduler: str | None = None, retries: int = RETRIES,
                 connect_timeout: float = 20.0):
        super().__init__()
        try:
            import dask
            from distributed import Client, LocalCluster
        except ImportError:
            raise BackendError('the Dask backend needs Dask: pip install "smtspec[dask]"') from None
        self.scheduler = scheduler
        self._cluster = None
        self._run_id = uuid.uuid4().hex[:12]
        self._keys: dict[str, int] = {}  # task key -> index, of the current map
        self._started: set[int] = set()
        self._finished: set[int] = set()
        self._lost_workers: list[tuple[str, set[str]]] = []
        try:
            if scheduler:  # its own configuration says how often a task is rerun (allowed-failures)
                self.client = Client(scheduler, timeout=connect_timeout)
            else:
                # a task is rerun after its worker died; it fails (KilledWorker) after `retries` reruns
                with dask.config.set({"distributed.scheduler.allowed-failures": retries}):
                    self._cluster = LocalCluster(n_workers=max(1, workers or default_workers()), threads_per_worker=1,
                                                 processes=True, dashboard_address=":0", silence_logs=logging.CRITICAL)
                self.client = Client(self._cluster)
        except (OSError, TimeoutError) as e:
            if self._cluster is not None:
                self._cluster.close()
            raise BackendError(f"cannot reach a Dask scheduler at {scheduler}: {e}") from None
        self._topic = f"{_TOPIC_START}-{self._run_id}"
        self.client.subscribe_topic(self._topic, self._on_start)
        self.client.subscribe_topic("all", self._on_cluster_event)
        self.slots = self._nthreads()

    def _nthreads(self) -> int:
        try:
            return max(1, sum(self.client.nthreads().values()))
        except Exception:  # noqa: BLE001
            return 1

    def describe(self) -> str:
        where = f"the Dask cluster at {self.scheduler}" if self.scheduler else "a local Dask cluster"
        return f"{where} ({self.slots} worker thread(s))"

    # events arrive on the client's event loop thread
    def _on_start(self, event: tuple) -> None:
        _ts, msg = event
        if isinstance(msg, dict) and "task" in msg:
            self._started.add(int(msg["task"]))

    def _on_cluster_event(self, event: tuple) -> None:
        _ts, msg = event
        if isinstance(msg, dict) and msg.get("action") == "remove-worker" and not msg.get("expected", True):
            ours = {k for k in msg.get("processing-tasks", ()) if str(k) in self._keys}
            self._lost_workers.append((str(msg.get("worker", "?")), {str(k) for k in ours}))

    def _report_lost(self) -> None:
        while self._lost_workers:
            worker, keys = self._lost_workers.pop(0)
            idx = sorted(self._keys[k] for k in keys if k in self._keys)
            for i in idx:
                self._started.discard(i)
            if idx:
                self.events.append(f"worker {worker} died: task(s) {', '.join(map(str, idx))} rerun elsewhere")
            else:
                self.events.append(f"worker {worker} died (none of this run's tasks was on it)")

    def counts(self) -> Counts:
        pending = len(self._keys) - len(self._finished)
        running = min(pending, len(self._started - self._finished), self.slots)
        return Counts(len(self._finished), running, pending - running)

    def submit(self, fn: Callable, job: Any) -> Any:
        return self.client.submit(fn, job, pure=False)

    def map_indexed(self, fn: Callable, jobs: Sequence, fallback: Fallback | None = None,
                    poll: Callable[[], None] | None = None,
                    on_interrupt: Callable[[], None] | None = None) -> Iterator[tuple[int, Any]]:
        from distributed import KilledWorker, as_completed

        jobs = list(jobs)
        self.interrupted = False
        if not jobs:
            return
        batch = next(_BATCH)
        keys = [f"smtspec-{self._run_id}-{batch}-{i}" for i in range(len(jobs))]
        self._keys = {k: i for i, k in enumerate(keys)}
        self._started, self._finished = set(), set()
        futures = [self.client.submit(_dask_call, fn, j, self._topic, i, key=k, pure=False)
                   for i, (j, k) in enumerate(zip(jobs, keys))]
        index = {f.key: i for i, f in enumerate(futures)}
        pending = set(futures)
        ready = as_completed(futures)
        stopping = False
        next_poll = 0.0
        try:
            while not ready.is_empty():
                try:
                    if poll is not None and time.monotonic() >= next_poll:
                        next_poll = time.monotonic() + 0.5
                        poll()
                    batch_done = ready.next_batch(block=False)
                    if not batch_done:
                        time.sleep(0.05)
                        continue
                except KeyboardInterrupt:
                    if on_interrupt is None or stopping:
                        raise
                    stopping = self.interrupted = True  # ask the running tasks to stop; drop the queued ones
                    on_interrupt()
                    queued = [f for f in pending if index[f.key] not in self._started]
                    self.client.cancel(queued, force=True)
                    continue
                for f in batch_done:
                    pending.discard(f)
                    i = index[f.key]
                    self._report_lost()
                    if f.status == "cancelled":
                        continue
                    if f.status == "error":
                        exc = f.exception()
                        if isinstance(exc, KilledWorker):
                            err = TaskLost(f"task {i}: {exc}")
                            if fallback is None:
                                raise err
                            self.events.append(f"task {i} given up: {exc}")
                            self._finished.add(i)
                            yield i, fallback(jobs[i], err)
                            continue
                    r = f.result()  # re-raises a task's own exception, with its traceback
                    self._finished.add(i)
                    yield i, r
            self._report_lost()
        finally:
            if pending:  # Ctrl-C, an error, or the caller stopped iterating
                self.client.cancel(list(pending), force=True)

    def progress_channel(self) -> tuple[str, Any]:
        """A topic the campaign's tasks log their progress on, and a ``distributed.Event`` that stops them."""
        from distributed import Event

        name = f"smtspec-stop-{self._run_id}-{next(_BATCH)}"
        return f"smtspec-progress-{name}", Event(name, client=self.client)

    def subscribe(self, topic: str, handler: Callable[[Any], None]) -> None:
        self.client.subscribe_topic(topic, lambda ev: handler(ev[1]))

    def unsubscribe(self, topic: str) -> None:
        try:
            self.client.unsubscribe_topic(topic)
        except Exception:  # noqa: BLE001
            pass

    def close(self) -> None:
        for topic in (self._topic, "all"):
            self.unsubscribe(topic)
        if self._cluster is not None:  # our own cluster's teardown (after Ctrl-C, say) logs no tracebacks
            for name in ("distributed", "tornado", "asyncio"):
                logging.getLogger(name).setLevel(logging.CRITICAL)
        try:
            self.client.close()
        finally:
            if self._cluster is not None:
                self._cluster.close()
                self._cluster = None


_BATCH = itertools.count()


def backend_for(workers: int | None = 1, scheduler: str | None = None, kind: str | None = None) -> Backend:
    """The backend for ``--workers``/``--scheduler``: the Dask cluster at ``scheduler``; else for
    more than one worker a local Dask cluster of ``workers`` processes when Dask is installed,
    a local process pool when it is not; one worker runs in this process. ``kind`` (default
    ``$SMTSPEC_BACKEND``): ``dask`` or ``local`` to choose, ``auto`` (the default) as above."""
    if scheduler:
        return DaskBackend(scheduler=scheduler)
    n = default_workers() if workers is None else max(1, workers)
    kind = (kind or os.environ.get("SMTSPEC_BACKEND") or "auto").lower()
    if kind not in KINDS:
        raise BackendError(f"SMTSPEC_BACKEND must be one of {', '.join(KINDS)}, got {kind!r}")
    if kind == "dask" and not dask_available():
        raise BackendError('the Dask backend needs Dask: pip install "smtspec[dask]"')
    if n > 1 and (kind == "dask" or (kind == "auto" and dask_available())):
        return DaskBackend(workers=n)
    return LocalPool(n)


KINDS = ("auto", "dask", "local")


def run_all(fn: Callable, jobs: Iterable, backend: Backend | None = None, workers: int = 1,
            fallback: Fallback | None = None) -> Iterator[Any]:
    """``fn`` over ``jobs`` on ``backend`` (or on a :class:`LocalPool` of ``workers`` made for the call)."""
    jobs = list(jobs)
    if backend is not None:
        yield from backend.map(fn, jobs, fallback)
        return
    with LocalPool(workers) as pool:
        yield from pool.map(fn, jobs, fallback)


__all__ = ["Backend", "BackendError", "Counts", "DaskBackend", "LocalPool", "TaskLost", "backend_for",
           "dask_available", "default_workers", "run_all"]
