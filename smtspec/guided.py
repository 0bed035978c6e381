"""Guided random search for deep violations: swarm walks restarted from a novelty corpus.

Uniform random walks from Init almost never build the long, specific histories (several
elections, re-syncs of one term) that deep violations need: each walk starts again from
nothing. This search keeps what it has built (Go-Explore / AFL style):

- a **corpus** of reached states, one per *abstract state* (a spec-supplied feature tuple,
  e.g. per-server role/term/sync, log shape, how many elections exist); a new walk starts
  from a corpus entry drawn uniformly, so rare abstract states get as many restarts as
  common ones and depth accumulates instead of starting again at Init;
- **milestones** (optional, a coarser spec-supplied abstraction such as "roles, terms,
  syncs, how many elections"): half of the walks start from a milestone drawn uniformly,
  so that the few states that reached a rare milestone are not drowned by the many fine
  abstract states around common ones;
- **swarm walks**: each walk draws its own action weights and leaves some actions out, so
  that different walks push the protocol in different directions;
- TLC-simulator stepping: pick an action by weight, list only that action's instances,
  take one uniformly (an action with no instance is dropped for that state and another is
  drawn); a walk never "dies": it ends after its length, or when no action is enabled;
- no stuttering: guided and swarm walks pass over a step whose successor is the state
  itself (ParallelRaft's Restart of a follower); such a step reaches nothing new.

``strategy="uniform"`` is the baseline: walks from Init, uniform over actions, no corpus.

Nothing here narrows or widens the behaviours of the spec: every path is a sequence of
steps of the fast transition relation from Init, which is differential-tested against the
readable interpreter, and every violation is replayed by that interpreter before it is
reported (:mod:`smtspec.refute`). A search that finds nothing proves nothing.

The engine knows nothing of any protocol: a spec supplies a :class:`FastSystem`.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Protocol, Sequence

STRATEGIES = ("guided", "swarm", "uniform")


class FastSystem(Protocol):
    """What the search needs of a spec (states are hashable values of the spec's choosing)."""

    actions: tuple[str, ...]

    def initial(self) -> Any: ...
    def enum(self, action: str, st: Any) -> list: ...  # the instances of one action, as arguments
    def apply(self, action: str, st: Any, args: Any) -> list: ...  # successors, Next's extra conjuncts applied
    def violated(self, st: Any, names: Sequence[str]) -> list[str]: ...
    def changed(self, pre: Any, post: Any, names: Sequence[str]) -> list[str]: ...  # invariants to re-check
    def features(self, st: Any) -> Any: ...  # the abstract state (hashable)


@dataclass(frozen=True)
class SearchOptions:
    """One search campaign. ``steps`` and ``seconds`` both bound it (whichever comes first)."""

    names: tuple[str, ...]
    strategy: str = "guided"
    steps: int = 1_000_000
    seconds: float | None = None
    seed: int = 0
    min_length: int = 10  # walk length is drawn from min_length..max_length
    max_length: int = 60
    restart_from_init: float = 0.05  # guided: chance that a walk starts at Init
    corpus_limit: int = 300_000
    milestone_share: float = 0.5  # guided: chance that a walk starts from a uniformly drawn milestone
    per_milestone: int = 32  # corpus nodes kept per milestone
    frontier: int = 0  # guided: report paths to the deepest state of this many milestones
    drop_action: float = 0.25  # swarm: chance that a walk leaves an action out


@dataclass
class Found:
    """A violation: the path from Init as (action, args, successor number) steps."""

    invariant: str
    path: tuple
    walk: int
    at_step: int  # the campaign's step count when it was found

    @property
    def length(self) -> int:
        return len(self.path)


@dataclass
class SearchReport:
    """What TLC's simulator reports, and the violations (shortest found per invariant)."""

    strategy: str
    walks: int = 0
    steps: int = 0
    seconds: float = 0.0
    distinct_states: int = 0
    distinct_abstract: int = 0
    max_depth: int = 0
    action_counts: dict[str, int] = field(default_factory=dict)
    found: dict[str, Found] = field(default_factory=dict)
    workers: int = 1  # processes that ran the searches
    interrupted: bool = False
    frontier: list = field(default_factory=list)  # guided: paths to the deepest state of each milestone
    shards: int = 1  # the independent searches merged (search i: seed + i, 1/shards of the steps)
    events: list = field(default_factory=list)  # workers that died and the searches rerun


    def merge(self, other: "SearchReport") -> None:
        """Add another worker's report (distinct counts are summed: an upper bound across workers)."""
        self.walks += other.walks
        self.steps += other.steps
        self.seconds = max(self.seconds, other.seconds)
        self.distinct_states += other.distinct_states
        self.distinct_abstract += other.distinct_abstract
        self.max_depth = max(self.max_depth, other.max_depth)
        for a, c in other.action_counts.items():
            self.action_counts[a] = self.action_counts.get(a, 0) + c
        for n, f in other.found.items():
            if n not in self.found or f.length < self.found[n].length:
                self.found[n] = f
        self.frontier += other.frontier
        self.interrupted = self.interrupted or other.interrupted

    def to_json(self) -> dict:
        per_s = (lambda x: round(x / self.seconds, 1)) if self.seconds else (lambda x: 0.0)
        return {
            "strategy": self.strategy, "workers": self.workers, "searches": self.shards, "walks": self.walks,
            "steps": self.steps,
            "seconds": round(self.seconds, 3), "steps_per_second": per_s(self.steps),
            "distinct_states": self.distinct_states, "distinct_states_per_second": per_s(self.distinct_states),
            "distinct_abstract_states": self.distinct_abstract, "max_depth": self.max_depth,
            "action_counts": dict(sorted(self.action_counts.items())), "interrupted": self.interrupted,
            "violations": {n: {"length": f.length, "walk": f.walk, "at_step": f.at_step}
                           for n, f in sorted(self.found.items())},
            **({"worker_events": list(self.events)} if self.events else {}),
        }


class _Node:
    """A corpus entry: a state and how it was reached (parent node plus the steps after it)."""

    __slots__ = ("state", "parent", "steps", "depth")

    def __init__(self, state, parent: "_Node | None", steps: tuple, depth: int):
        self.state, self.parent, self.steps, self.depth = state, parent, steps, depth

    def path(self) -> tuple:
        parts = []
        node: _Node | None = self
        while node is not None:
            parts.append(node.steps)
            node = node.parent
        return tuple(s for part in reversed(parts) for s in part)


def _walk_weights(rng: random.Random, actions: Sequence[str], opts: SearchOptions,
                  base: dict[str, float] | None) -> list[float]:
    base = base or {}
    if opts.strategy == "uniform":
        return [base.get(a, 1.0) for a in actions]
    while True:
        w = [0.0 if rng.random() < opts.drop_action else rng.uniform(0.05, 1.0) * base.get(a, 1.0)
             for a in actions]
        if sum(w) > 0:
            return w


def search(fs: FastSystem, opts: SearchOptions, weights: dict[str, float] | None = None,
           tick: Callable[[dict], None] | None = None, stop: Callable[[], bool] | None = None) -> SearchReport:
    """One search in this process (see the module docstring). ``tick`` gets a progress
    summary about twice a second; Ctrl-C ends the search with what it has (``interrupted``)."""
    rng = random.Random(opts.seed)
    actions = fs.actions
    names = list(opts.names)
    rep = SearchReport(opts.strategy, action_counts={a: 0 for a in actions})
    init = fs.initial()
    root = _Node(init, None, (), 0)
    corpus: list[_Node] = [root]
    milestone = getattr(fs, "milestone", None) if opts.milestone_share > 0 else None
    tiers: dict = {}  # milestone -> a reservoir of corpus nodes
    tier_keys: list = []
    seen_abstract = {fs.features(init)}
    seen_states = {hash(init)}
    live = [n for n in names if n not in fs.violated(init, names)]
    for n in set(names) - set(live):
        rep.found[n] = Found(n, (), 0, 0)
    guided = opts.strategy == "guided"
    skip_stutter = opts.strategy != "uniform"
    by_step = getattr(fs, "violated_by_step", None)  # optional: a finer incremental check
    start = time.perf_counter()
    deadline = None if opts.seconds is None else start + opts.seconds
    counts = rep.action_counts
    steps = 0
    next_tick = start + 0.5
    try:
        while steps < opts.steps:
            now = time.perf_counter()
            if deadline is not None and now > deadline:
                break
            if now >= next_tick and stop is not None and stop():
                rep.interrupted = True
                break
            if now >= next_tick:
                next_tick = now + 0.5
                if tick is not None:
                        tick({"steps": steps, "walks": rep.walks, "max_depth": rep.max_depth,
                          "distinct_states": len(seen_states), "distinct_abstract": len(seen_abstract),
                          "found": {n: f.length for n, f in rep.found.items()}})
            if not guided or rng.random() < opts.restart_from_init:
                node = root
            elif tiers and rng.random() < opts.milestone_share:
                node = rng.choice(tiers[rng.choice(tier_keys)])
            else:
                node = rng.choice(corpus)
            st, depth = node.state, node.depth
            wts = _walk_weights(rng, actions, opts, weights)
            length = rng.randint(opts.min_length, opts.max_length)
            walk_steps: list = []
            rep.walks += 1
            for _ in range(length):
                avail = [k for k, w in enumerate(wts) if w > 0]
                succ = None
                while avail:
                    if len(avail) > 1:
                        x = rng.random() * sum(wts[j] for j in avail)
                        for k in avail:
                            x -= wts[k]
                            if x < 0:
                                break
                    else:
                        k = avail[0]
                    a = actions[k]
                    inst = fs.enum(a, st)
                    while inst:
                        args = inst.pop(rng.randrange(len(inst)))
                        outs = fs.apply(a, st, args)
                        if outs:
                            c = rng.randrange(len(outs))
                            if skip_stutter and outs[c] == st:
                                continue  # a step that changes nothing cannot lead anywhere new
                            succ = (a, args, c, outs[c])
                            break
                    if succ is not None:
                        break
                    avail.remove(k)
                if succ is None:
                    break  # nothing enabled under this walk's weights
                a, args, c, nxt = succ
                counts[a] += 1
                steps += 1
                depth += 1
                walk_steps.append((a, args, c))
                if live:
                    bad = by_step(st, nxt, live) if by_step is not None else fs.violated(nxt, fs.changed(st, nxt, live))
                    if bad:
                        for n in bad:
                            path = node.path() + tuple(walk_steps)
                            if n not in rep.found or len(path) < rep.found[n].length:
                                rep.found[n] = Found(n, path, rep.walks - 1, steps)
                        # keep looking for a shorter one: an invariant stays live until the end
                st = nxt
                h = hash(st)
                if h not in seen_states:
                    seen_states.add(h)
                    if depth > rep.max_depth:
                        rep.max_depth = depth
                    if guided:
                        f = fs.features(st)
                        if f not in seen_abstract:
                            seen_abstract.add(f)
                            new = _Node(st, node, tuple(walk_steps), depth)
                            if len(corpus) < opts.corpus_limit:
                                corpus.append(new)
                            else:
                                corpus[rng.randrange(1, len(corpus))] = new
                            if milestone is not None:
                                m = milestone(st)
                                bucket = tiers.get(m)
                                if bucket is None:
                                    tiers[m] = [new]
                                    tier_keys.append(m)
                                elif len(bucket) < opts.per_milestone:
                                    bucket.append(new)
                                else:
                                    bucket[rng.randrange(len(bucket))] = new
                            node, walk_steps = new, []
    except KeyboardInterrupt:
        rep.interrupted = True
    rep.steps = steps
    rep.seconds = time.perf_counter() - start
    rep.distinct_states = len(seen_states)
    rep.distinct_abstract = len(seen_abstract) if guided else 0
    if opts.frontier and tiers:
        deepest = [max(bucket, key=lambda nd: nd.depth) for bucket in tiers.values()]
        deepest.sort(key=lambda nd: -nd.depth)
        rep.frontier = [nd.path() for nd in deepest[:opts.frontier]]
    return rep


def replay_path(fs: FastSystem, path: Sequence) -> list:
    """The states ``s_0..s_n`` of a path of (action, args, successor number); raises if a step is not enabled."""
    st = fs.initial()
    states = [st]
    for a, args, c in path:
        if args not in fs.enum(a, st):
            raise ValueError(f"step {len(states)} ({a}) is not enabled")
        outs = fs.apply(a, st, args)
        if c >= len(outs):
            raise ValueError(f"step {len(states)} ({a}) has no successor {c}")
        st = outs[c]
        states.append(st)
    return states


# ------------------------------------------------------------------ several processes

# A campaign is split into searches ("shards"): search i uses seed + i and its share of the
# steps. How many there are is part of the campaign's options, never the number of workers
# that run them, so the same campaign gives the same merged report on one process, on a
# pool, or on a Dask cluster (with a --steps budget; a time budget is not reproducible).

_QUEUE = None  # a worker process's progress queue (handed over when the process starts)
_STOP = None  # and the event that asks it to stop (Ctrl-C in the main process)


def _init_worker(queue, stop_event) -> None:
    global _QUEUE, _STOP
    _QUEUE, _STOP = queue, stop_event


def _worker(job) -> SearchReport:
    loader, scope, opts, weights, w = job
    fs = loader(scope)

    def tick(info: dict) -> None:
        try:
            _QUEUE.put_nowait((w, info))  # type: ignore[union-attr]  # tick is handed over only when _QUEUE is set
        except Exception:  # progress is best effort; the search goes on
            pass

    return search(fs, opts, weights, tick if _QUEUE is not None else None,
                  (lambda: _STOP.is_set()) if _STOP is not None else None)


def _dask_worker(job) -> SearchReport:
    """One search on a Dask worker: progress as events on ``topic``, stopped by the named ``distributed.Event``."""
    loader, scope, opts, weights, w, topic, stop_name = job
    from distributed import Event, get_worker

    from distributed.worker import thread_state

    worker = get_worker()
    stop_event = Event(stop_name)
    key = getattr(thread_state, "key", None)

    def tick(info: dict) -> None:
        try:
            worker.log_event(topic, {"search": w, "info": info})
        except Exception:  # progress is best effort; the search goes on
            pass

    def wanted() -> bool:
        """False once the task was cancelled (its client gone, or a forced cancel): a thread cannot
        be stopped from outside, so the search looks for itself."""
        if key is None:
            return True
        try:
            ts = worker.state.tasks.get(key)
        except Exception:  # a worker without this state: assume it is wanted
            return True
        return ts is not None and ts.state not in ("cancelled", "released", "forgotten")

    def stop() -> bool:
        try:
            return not wanted() or stop_event.is_set()
        except Exception:  # the scheduler is gone: the client is too
            return True

    return search(loader(scope), opts, weights, tick, stop)


def _split(opts: SearchOptions, shards: int) -> list[SearchOptions]:
    return [SearchOptions(**{**opts.__dict__, "seed": opts.seed + w,
                             "steps": opts.steps // shards + (1 if w < opts.steps % shards else 0)})
            for w in range(shards)]


def plan(opts: SearchOptions, shards: int, slots: int) -> list[SearchOptions]:
    """The searches of a campaign of ``shards`` on ``slots`` workers: search i uses seed + i and
    1/shards of the steps; with a time budget, searches that run in waves share it."""
    per = _split(opts, shards)
    waves = -(-shards // max(1, slots))
    if opts.seconds is not None and waves > 1:
        per = [SearchOptions(**{**o.__dict__, "seconds": opts.seconds / waves}) for o in per]
    return per


def campaign(loader: Callable, scope, opts: SearchOptions, workers: int = 1,
             weights: dict[str, float] | None = None,
             tick: Callable[[dict], None] | None = None, shards: int | None = None,
             backend=None) -> tuple[SearchReport, list[tuple[int, Found]]]:
    """``shards`` independent searches (search i uses seed + i and 1/shards of the steps; default:
    one per worker), run on ``backend`` (an :class:`smtspec.backend.Backend`; default: ``workers``
    local processes) and merged in search order.

    Returns the merged report and, per violation kept, the search that found it. The same
    seed, shards and step budget give the same result on any number of workers, in any
    process; a time budget does not. ``tick`` receives the summed progress of all searches,
    with ``steps_per_second`` (summed over the workers) and ``tasks`` (done, running,
    queued). Ctrl-C stops every search; what they found so far is returned (``interrupted``).
    """
    from .backend import Counts, DaskBackend, LocalPool

    own = backend is None
    if backend is None:
        backend = LocalPool(max(1, workers))
    try:
        slots = backend.slots
        shards = max(1, shards or slots)
        per = plan(opts, shards, slots)
        latest: dict[int, dict] = {}
        parts: dict[int, SearchReport] = {}
        start = time.perf_counter()

        def progress(counts: Counts) -> None:
            if tick is None:
                return
            infos = [_info(parts[w]) if w in parts else latest[w] for w in sorted({*latest, *parts})]
            if not infos:
                return
            info = _sum_ticks(infos)
            elapsed = time.perf_counter() - start
            info["steps_per_second"] = info["steps"] / elapsed if elapsed > 0 else 0.0
            info["tasks"] = {"done": counts.done, "running": counts.running, "queued": counts.queued}
            info["workers"] = min(slots, shards)
            tick(info)

        interrupted = False
        if isinstance(backend, DaskBackend):
            interrupted = _on_dask(backend, loader, scope, per, weights, latest, parts, progress)
        elif slots <= 1 or shards == 1:
            for w, o in enumerate(per):  # in this process, one after the other
                def one(info: dict, w=w) -> None:
                    latest[w] = info
                    progress(Counts(len(parts), 1, shards - len(parts) - 1))
                try:
                    parts[w] = search(loader(scope), o, weights, one if tick is not None else None)
                except KeyboardInterrupt:  # before the search began (it catches its own)
                    interrupted = True
                    break
                if parts[w].interrupted:
                    interrupted = True
                    break
        else:
            interrupted = _on_pool(backend, loader, scope, per, weights, latest, parts, progress)
        rep = SearchReport(opts.strategy, workers=min(slots, shards), shards=shards)
        origin: dict[str, tuple[int, Found]] = {}
        for w in sorted(parts):
            part = parts[w]
            rep.merge(part)
            for n, hit in part.found.items():
                if n not in origin or hit.length < origin[n][1].length:
                    origin[n] = (w, hit)
        rep.seconds = time.perf_counter() - start  # the campaign's wall-clock time
        rep.interrupted = rep.interrupted or interrupted or len(parts) < shards
        rep.events = list(backend.events)
        return rep, list(origin.values())
    finally:
        if own:
            backend.close()


def _info(rep: SearchReport) -> dict:
    return {"steps": rep.steps, "walks": rep.walks, "max_depth": rep.max_depth,
            "distinct_states": rep.distinct_states, "distinct_abstract": rep.distinct_abstract,
            "found": {n: f.length for n, f in rep.found.items()}}


def _on_pool(backend, loader, scope, per, weights, latest, parts, progress) -> bool:
    """The searches on local worker processes, with a progress queue and a stop event."""
    import multiprocessing as mp
    import queue as queues

    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    stop_event = ctx.Event()

    def poll() -> None:
        try:
            while True:
                w, info = queue.get_nowait()
                latest[w] = info
        except queues.Empty:
            pass
        progress(backend.counts())

    jobs = [(loader, scope, o, weights, w) for w, o in enumerate(per)]
    for w, part in backend.map_indexed(_worker, jobs, poll=poll, on_interrupt=stop_event.set,
                                       initializer=_init_worker, initargs=(queue, stop_event)):
        parts[w] = part
    return backend.interrupted


def _on_dask(backend, loader, scope, per, weights, latest, parts, progress) -> bool:
    """The searches as Dask tasks: progress as worker events, a ``distributed.Event`` to stop."""
    topic, stop_event = backend.progress_channel()

    def on_event(msg) -> None:  # on the client's event loop thread
        if isinstance(msg, dict) and "search" in msg:
            latest[int(msg["search"])] = msg["info"]

    backend.subscribe(topic, on_event)
    try:
        jobs = [(loader, scope, o, weights, w, topic, stop_event.name) for w, o in enumerate(per)]
        for w, part in backend.map_indexed(_dask_worker, jobs, poll=lambda: progress(backend.counts()),
                                           on_interrupt=stop_event.set):
            parts[w] = part
        return backend.interrupted
    finally:
        backend.unsubscribe(topic)


def _sum_ticks(infos) -> dict:
    infos = list(infos)
    found: dict[str, int] = {}
    for i in infos:
        for n, length in i["found"].items():
            found[n] = min(length, found.get(n, length))
    return {"steps": sum(i["steps"] for i in infos), "walks": sum(i["walks"] for i in infos),
            "max_depth": max(i["max_depth"] for i in infos),
            "distinct_states": sum(i["distinct_states"] for i in infos),
            "distinct_abstract": sum(i["distinct_abstract"] for i in infos), "found": found}


def default_workers() -> int:
    """The cores this process may use."""
    from .backend import default_workers as cores

    return cores()
