"""The execution backend (smtspec/backend.py) on a real ``distributed.LocalCluster`` of two
worker processes and on the local process pool: the same results and traces wherever a
task ran (the workers run with another PYTHONHASHSEED than this process), a killed
worker's task rerun and reported, Ctrl-C cancelling what has not finished."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import threading
import time
from pathlib import Path

import pytest

from smtspec import guided
from smtspec.backend import BackendError, DaskBackend, LocalPool, TaskLost, backend_for
from smtspec.commands import check, check_proofs, simulate
from smtspec.errors import UsageError
from smtspec.verdict import Verdict

distributed = pytest.importorskip("distributed")

from test_guided import Ladder  # noqa: E402  # a tiny FastSystem whose deep violation needs the corpus

ROOT = Path(__file__).resolve().parent.parent
PROOFS = ROOT / "proofs"
TWO = {"servers": 2, "terms": 2, "indexes": 1, "values": 1}
WORKER_HASH_SEED = "4242"


@pytest.fixture(scope="module")
def cluster():
    """Two worker processes, one thread each, started with a PYTHONHASHSEED of their own."""
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0",
                                  silence_logs=50, env={"PYTHONHASHSEED": WORKER_HASH_SEED}) as c:
        yield c.scheduler_address


@pytest.fixture
def on_cluster(cluster):
    with DaskBackend(scheduler=cluster) as backend:
        yield backend


def _square(x: int) -> int:
    return x * x


def _string_hash(_: object) -> int:
    return hash("smtspec")


def _die_once(job) -> int:
    """Kills its own process the first time it runs (the marker file says it did)."""
    marker, value = job
    if not Path(marker).exists():
        Path(marker).write_text("died")
        os.kill(os.getpid(), signal.SIGKILL)
    return value


def _always_die(_job) -> int:
    os.kill(os.getpid(), signal.SIGKILL)
    return 0  # never reached


def _nap(seconds: float) -> float:
    time.sleep(seconds)
    return seconds


def _timeless(report: dict) -> dict:
    return {k: v for k, v in report.items() if "second" not in k and k not in ("workers", "refuted")}


def _digest(obj) -> str:
    return hashlib.sha256(json.dumps(obj, sort_keys=True, default=str).encode()).hexdigest()


# ------------------------------------------------------------------ the same results wherever a task ran


def test_the_workers_hash_strings_differently_from_this_process(on_cluster):
    hashes = set(on_cluster.map(_string_hash, range(4)))
    assert hash("smtspec") not in hashes  # so the results below do not rest on a shared hash seed


def test_a_cluster_and_the_local_pool_give_the_same_results(on_cluster):
    with LocalPool(2) as pool:
        local = sorted(pool.map(_square, range(12)))
    assert sorted(on_cluster.map(_square, range(12))) == local == [x * x for x in range(12)]
    assert on_cluster.counts().done == 12 and on_cluster.slots == 2 and on_cluster.events == []


def test_a_campaign_gives_the_same_report_and_paths_on_one_process_a_pool_and_a_cluster(on_cluster):
    opts = guided.SearchOptions(names=("Low",), steps=40_000, seed=3, frontier=4)
    runs = [guided.campaign(Ladder, None, opts, workers=1, shards=2),
            guided.campaign(Ladder, None, opts, workers=2, shards=2),
            guided.campaign(Ladder, None, opts, shards=2, backend=on_cluster)]
    shapes = [(_timeless(rep.to_json()), rep.frontier, sorted((w, f.invariant, f.path) for w, f in found))
              for rep, found in runs]
    assert shapes[0] == shapes[1] == shapes[2]
    rep, found = runs[2]
    assert rep.shards == 2 and rep.workers == 2 and "Low" in rep.found and not rep.interrupted


def test_simulate_on_two_workers_and_on_a_cluster_gives_what_one_process_gives(cluster, tmp_path):
    """The issue's acceptance test: ``simulate --workers 2`` (a local Dask cluster of its own) and
    ``simulate --scheduler ADDRESS`` give the report and the traces of ``--workers 1``."""
    common = dict(names=(), steps=30_000, seed=0, max_length=80, scope=TWO, shards=3)
    reports = []
    for k, extra in enumerate(({"workers": 1}, {"workers": 2}, {"scheduler": cluster})):
        rep = simulate.run(simulate.SimulateOptions(**common, **extra, trace_dir=tmp_path / str(k)))
        traces = {r.invariant: (tmp_path / str(k) / f"{r.invariant}.itf.json").read_text() for r in rep.refutations}
        reports.append((_timeless(rep.to_json()), traces))
    assert reports[0] == reports[1] == reports[2]
    assert reports[0][0]["searches"] == 3 and reports[0][0]["steps"] >= 30_000


def test_without_a_steps_share_the_searches_do_not_depend_on_the_workers():
    assert simulate.shards_for(100_000, None) == 1 and simulate.shards_for(1_000_000, None) == 4
    assert simulate.shards_for(10**9, None) == 16 and simulate.shards_for(10**9, 20.0) is None


def test_check_proofs_on_a_cluster_gives_the_rows_of_one_process(cluster, tmp_path):
    folder = tmp_path / "parallel-raft"
    folder.mkdir()
    for name in ("Lemma1.toml", "Lemma2.toml", "helpers.py", "Lemma9.cex.itf.json"):
        (folder / name).write_bytes((PROOFS / "parallel-raft" / name).read_bytes())
    one = check_proofs.run(check_proofs.CheckProofsOptions(tmp_path))
    seen = []
    there = check_proofs.run(check_proofs.CheckProofsOptions(tmp_path, scheduler=cluster), row_done=seen.append)
    strip = lambda rows: [{k: v for k, v in r.items() if k != "seconds"} for r in rows]  # noqa: E731
    assert strip(there.to_json()) == strip(one.to_json()) and len(seen) == 3
    assert there.exit_code() == 0 and [p.file.name for p in there.proofs] == ["Lemma1.toml", "Lemma2.toml"]


def test_check_runs_its_tasks_on_a_cluster(cluster, tmp_path):
    opts = dict(names=("Lemma1", "Lemma9"), budget=30, proofs_dir=PROOFS, scope=TWO, small_scopes=False, bmc=False)
    rep = check.run(check.CheckOptions(**opts, scheduler=cluster, trace_dir=tmp_path))
    assert rep.rows["Lemma1"].verdict is Verdict.PROVED and rep.rows["Lemma9"].verdict is Verdict.REFUTED
    assert rep.events == []


# ------------------------------------------------------------------ failures


def test_a_killed_workers_task_is_rerun_elsewhere_and_reported(on_cluster, tmp_path):
    jobs = [(str(tmp_path / "marker"), 7), (str(tmp_path / "other"), 8)]
    (tmp_path / "other").write_text("never dies")
    assert sorted(on_cluster.map(_die_once, jobs)) == [7, 8]
    assert any("died" in e and "rerun" in e for e in on_cluster.events), on_cluster.events


def test_a_killed_worker_process_of_the_local_pool_has_its_task_rerun(tmp_path):
    with LocalPool(2) as pool:
        results = sorted(pool.map(_die_once, [(str(tmp_path / "m"), 1), (str(tmp_path / "m2"), 2)]))
        assert results == [1, 2] and any("rerun" in e for e in pool.events)


def test_a_task_whose_workers_keep_dying_is_its_fallback_never_lost():
    with LocalPool(2, retries=1) as pool:
        out = sorted(pool.map(_always_die, [0, 1], fallback=lambda job, err: f"unknown: {err}"))
        assert len(out) == 2 and all(o.startswith("unknown: task") for o in out)
    with LocalPool(2, retries=0) as pool, pytest.raises(TaskLost):
        list(pool.map(_always_die, [0, 1]))


# ------------------------------------------------------------------ choosing a backend


def test_backend_for_picks_the_pool_the_cluster_or_this_process(cluster, monkeypatch):
    monkeypatch.setenv("SMTSPEC_BACKEND", "local")
    with backend_for(2) as b:
        assert isinstance(b, LocalPool) and b.slots == 2
    with backend_for(1, kind="auto") as b:
        assert isinstance(b, LocalPool) and b.slots == 1
    with backend_for(2, cluster) as b:
        assert isinstance(b, DaskBackend) and b.slots == 2
    monkeypatch.setenv("SMTSPEC_BACKEND", "kubernetes")
    with pytest.raises(BackendError):
        backend_for(2)


def test_a_bad_or_unreachable_scheduler_is_a_usage_error():
    with pytest.raises(UsageError, match="--scheduler"):
        simulate.run(simulate.SimulateOptions(("Lemma9",), steps=10, scope=TWO, scheduler="http://x:1"))
    with pytest.raises(BackendError, match="cannot reach"):
        DaskBackend(scheduler="tcp://127.0.0.1:9", connect_timeout=1)


# ------------------------------------------------------------------ Ctrl-C (last: a cancelled task's thread runs on)


def _interrupt_in(seconds: float) -> threading.Timer:
    t = threading.Timer(seconds, os.kill, (os.getpid(), signal.SIGINT))
    t.start()
    return t


def test_ctrl_c_stops_a_campaign_on_a_cluster_with_what_its_searches_found(on_cluster):
    opts = guided.SearchOptions(names=("Low",), steps=10**10, seed=1)
    ticks = []
    timer = _interrupt_in(3.0)
    t0 = time.perf_counter()
    rep, _found = guided.campaign(Ladder, None, opts, shards=3, backend=on_cluster, tick=ticks.append)
    timer.join()
    assert rep.interrupted and rep.steps > 0 and time.perf_counter() - t0 < 20
    assert ticks and {"steps_per_second", "tasks"} <= set(ticks[-1]) and ticks[-1]["tasks"]["running"] <= 2


def test_ctrl_c_cancels_the_tasks_on_a_cluster_and_keeps_what_finished(on_cluster):
    got = []
    timer = _interrupt_in(2.0)
    with pytest.raises(KeyboardInterrupt):
        for r in on_cluster.map(_nap, [0.1, 0.1] + [4.0] * 4):
            got.append(r)
    timer.join()
    assert got == [0.1, 0.1]
    deadline = time.monotonic() + 10
    while on_cluster.client.run_on_scheduler(lambda dask_scheduler: len(dask_scheduler.tasks)) and \
            time.monotonic() < deadline:
        time.sleep(0.2)
    assert on_cluster.client.run_on_scheduler(lambda dask_scheduler: len(dask_scheduler.tasks)) == 0


def test_ctrl_c_in_the_local_pool_cancels_the_queued_tasks_and_ends_the_running_ones():
    got = []
    timer = _interrupt_in(3.0)
    t0 = time.perf_counter()
    with LocalPool(2) as pool, pytest.raises(KeyboardInterrupt):
        for r in pool.map(_nap, [0.1, 0.1] + [20.0] * 4):
            got.append(r)
    timer.join()
    assert got == [0.1, 0.1] and time.perf_counter() - t0 < 15


def test_the_progress_line_shows_steps_per_second_over_the_workers_and_the_searches():
    from smtspec.progress import campaign_status

    info = {"steps": 120_000, "walks": 9, "max_depth": 31, "distinct_states": 5_000, "distinct_abstract": 40,
            "found": {"Lemma9": 41}, "steps_per_second": 20_500.4, "workers": 2,
            "tasks": {"done": 1, "running": 2, "queued": 1}}
    line = campaign_status("guided", info)
    assert "20,500 steps/s over 2 worker(s)" in line and "searches 1 done / 2 running / 1 queued" in line
    assert "Lemma9 (41)" in line


@pytest.mark.parametrize("address", ["tcp://127.0.0.1:8786", "10.0.0.5:8786", "tls://sched.example:8786",
                                     "tcp://[::1]:8786"])
def test_a_scheduler_address_is_accepted(address):
    from smtspec.commands.common import check_scheduler

    check_scheduler(address)


@pytest.mark.parametrize("address", ["http://x:1", "tcp://a b:1", "tcp://x:99999", ""])
def test_a_malformed_scheduler_address_is_a_usage_error(address):
    from smtspec.commands.common import check_scheduler

    with pytest.raises(UsageError, match="--scheduler"):
        check_scheduler(address)
