"""Where runs execute: this process, local worker processes, or a Dask distributed cluster.

An executor takes run specs and yields their results as they finish, in whatever order. It
knows nothing about seeds or storage, and a run's result does not depend on which executor ran
it (the seed is in the spec), so the three give identical tables.

A worker that dies (killed, out of memory) fails the runs it held; they are recorded as failed
and rerun when the experiment is resumed. Local workers end with the command, however it ends
(parent_watch.py); when the command is interrupted it stops them at once, so their unfinished
runs are simply not done.
"""

from __future__ import annotations

import multiprocessing
import os
import uuid
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed

from .parent_watch import init_worker
from .scheduler_address import DEFAULT_TIMEOUT_S, probe, resolve
from .runs import RunResult, RunSpec, run_one


def default_workers() -> int:
    """All cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:                     # not on Linux
        return os.cpu_count() or 1


class SerialExecutor:
    """Runs one after another in this process: for debugging and for one worker."""

    def run(self, specs: Sequence[RunSpec]) -> Iterator[RunResult]:
        for spec in specs:
            yield run_one(spec)

    def describe(self) -> dict[str, object]:
        return {"kind": "serial", "workers": 1}

    def close(self) -> None:
        pass


class ProcessExecutor:
    """Local worker processes (`--workers N`, default all cores).

    Workers are never forked from this process: a fork of a process with threads (the progress
    bar has one) can deadlock. Where it exists, a fork server (a fresh process that imports the
    model once) forks them, so each worker starts without paying the imports again; elsewhere
    (Windows) they are spawned.
    """

    def __init__(self, workers: int) -> None:
        self.workers = workers

    def run(self, specs: Sequence[RunSpec]) -> Iterator[RunResult]:
        pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=_worker_context(),
                                   initializer=init_worker, initargs=(os.getpid(),))
        futures: dict[Future, RunSpec] = {pool.submit(run_one, s): s for s in specs}
        try:
            for future in as_completed(futures):
                yield _result(future, futures.pop(future))
        finally:                               # done, or interrupted: stop the workers now
            if futures:
                _kill_workers(pool)
            pool.shutdown(wait=not futures, cancel_futures=True)

    def describe(self) -> dict[str, object]:
        return {"kind": "processes", "workers": self.workers}

    def close(self) -> None:
        pass


_ONE_THREAD = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def _worker_context():
    # The workers are the parallelism: numeric libraries' own threads on top would oversubscribe
    # the cores (measured: 2 workers gave 1.75x one worker's runs/min, 1.92x with one thread
    # each). Worker processes inherit this environment; a user's own setting wins.
    for name in _ONE_THREAD:
        os.environ.setdefault(name, "1")
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["model.batch.runs"])
        return context
    return multiprocessing.get_context("spawn")


class DaskExecutor:
    """An existing Dask distributed cluster (`--scheduler tcp://HOST:PORT` or a scheduler file).

    The workers need this package installed (the same version); they never read experiment or
    scenario files, and results come back to this process, which alone writes them. The
    scheduler must answer within `timeout` seconds (scheduler_address.py), or nothing starts.
    """

    def __init__(self, scheduler: str, timeout: float = DEFAULT_TIMEOUT_S) -> None:
        from distributed import Client

        self.scheduler = resolve(scheduler)
        probe(self.scheduler, timeout)
        self.client = Client(self.scheduler, timeout=timeout, set_as_default=False)
        self._tag = uuid.uuid4().hex[:8]         # task keys unique to this session

    def run(self, specs: Sequence[RunSpec]) -> Iterator[RunResult]:
        from distributed import as_completed as dask_completed

        futures = self.client.map(run_one, list(specs),
                                  key=[f"pressure-{self._tag}-{s.run_id}" for s in specs])
        pending = {f.key: (f, s) for f, s in zip(futures, specs)}
        try:
            for future in dask_completed(futures, loop=self.client.loop):
                _, spec = pending.pop(future.key)
                yield _result(future, spec)
                future.release()
        finally:
            if pending:
                self.client.cancel([f for f, _ in pending.values()])

    def describe(self) -> dict[str, object]:
        info = self.client.scheduler_info()
        workers = info.get("workers", {})
        return {"kind": "dask", "scheduler": self.client.scheduler.address,
                "workers": len(workers),
                "threads": sum(w.get("nthreads", 0) for w in workers.values())}

    def close(self) -> None:
        self.client.close()


def make_executor(workers: int | None, scheduler: str | None,
                  timeout: float = DEFAULT_TIMEOUT_S):
    """The executor the command-line flags ask for."""
    if scheduler:
        return DaskExecutor(scheduler, timeout)
    workers = workers or default_workers()
    return SerialExecutor() if workers == 1 else ProcessExecutor(workers)


def _result(future, spec: RunSpec) -> RunResult:
    """The future's result; an executor-level failure (a dead worker) fails just this run."""
    try:
        return future.result()
    except Exception as exc:  # noqa: BLE001 - recorded as the run's failure
        return RunResult(spec.run_id, "failed",
                         error=f"worker failed: {type(exc).__name__}: {exc}")


def _kill_workers(pool: ProcessPoolExecutor) -> None:
    """End the pool's workers mid-run (they ignore SIGINT and SIGTERM): an interrupted command
    does not wait for their runs, which it would not keep."""
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        try:
            process.kill()
        except (OSError, ValueError):          # already gone, or already closed
            pass
