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

import functools
import math
import multiprocessing
import os
import time
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


IN_FLIGHT_PER_THREAD = 2
"""Runs handed to the cluster per worker thread at once: enough to keep every worker busy
while results come back, few enough that the scheduler never holds the whole plan."""
RETRIES = 2
"""Times a run whose task raised outside the model (a worker's error) is tried again; a worker
that dies is the scheduler's to handle (its `allowed-failures`, 3 by default)."""


class DaskExecutor:
    """An existing Dask distributed cluster (`--scheduler tcp://HOST:PORT` or a scheduler file).

    The workers need this package installed at the same code (checked: every worker's hash of
    the `model` package's source must be this command's, or nothing starts; a worker joining
    later with other code fails its runs, with the reason); they never read experiment or
    scenario files, and results come back to this process, which alone writes them. The
    scheduler must answer within `timeout` seconds (scheduler_address.py), or nothing starts.
    At most `IN_FLIGHT_PER_THREAD` runs per worker thread are submitted at a time (at least
    `min_in_flight`: an adaptive cluster scales to the work it sees), each with `RETRIES`.
    """

    def __init__(self, scheduler: str, timeout: float = DEFAULT_TIMEOUT_S,
                 min_in_flight: int = 4) -> None:
        from distributed import Client

        from .manifest import code_hash

        self.scheduler = resolve(scheduler)
        probe(self.scheduler, timeout)
        self.client = Client(self.scheduler, timeout=timeout, set_as_default=False)
        self._tag = uuid.uuid4().hex[:8]         # task keys unique to this session
        self.code = code_hash()
        self.min_in_flight = min_in_flight
        self._threads, self._asked = 0, -math.inf
        try:
            self._check_code()
        except BaseException:
            self.client.close()
            raise

    def _check_code(self) -> None:
        from ..config.errors import ScenarioError

        try:
            held = self.client.run(worker_code)
        except Exception as exc:  # noqa: BLE001 - a worker that cannot import this package
            raise ScenarioError("--scheduler", None, "workers with this package installed "
                                f"({type(exc).__name__}: {exc})", self.scheduler) from None
        other = {w: h for w, h in held.items() if h != self.code}
        if other:
            worker, code = next(iter(other.items()))
            raise ScenarioError("--scheduler", None, f"workers that run this command's code "
                                f"(model package sha256 {self.code[:12]}); {len(other)} of "
                                f"{len(held)} run other code ({worker}: {code[:12]}): install "
                                "the same revision on every worker", self.scheduler)

    def _limit(self) -> int:
        """Runs to keep submitted: the workers' threads asked for at most once a second (an
        adaptive cluster's count changes)."""
        now = time.monotonic()
        if now - self._asked > 1.0:
            threads = sum(w.get("nthreads", 0)
                          for w in self.client.scheduler_info().get("workers", {}).values())
            self._threads, self._asked = threads, now
        return max(self.min_in_flight, IN_FLIGHT_PER_THREAD * self._threads)

    def run(self, specs: Sequence[RunSpec]) -> Iterator[RunResult]:
        from distributed import as_completed as dask_completed

        todo = iter(list(specs))
        pending: dict[str, tuple[object, RunSpec]] = {}

        def submit(spec: RunSpec):
            future = self.client.submit(run_checked, spec, self.code, retries=RETRIES,
                                        key=f"pressure-{self._tag}-{spec.run_id}", pure=False)
            pending[future.key] = (future, spec)
            return future

        first = [submit(s) for _, s in zip(range(self._limit()), todo)]   # range first: zip
        # must not draw a spec from `todo` it then drops
        done = dask_completed(first, loop=self.client.loop)
        try:
            for future in done:
                _, spec = pending.pop(future.key)
                yield _result(future, spec)
                future.release()
                for _, spec in zip(range(self._limit() - len(pending)), todo):
                    done.add(submit(spec))
        finally:
            if pending:
                self.client.cancel([f for f, _ in pending.values()])

    def describe(self) -> dict[str, object]:
        info = self.client.scheduler_info()
        workers = info.get("workers", {})
        return {"kind": "dask", "scheduler": self.client.scheduler.address,
                "workers": len(workers),
                "threads": sum(w.get("nthreads", 0) for w in workers.values()),
                "code_sha256": self.code}

    def close(self) -> None:
        self.client.close()


class WrongCode(RuntimeError):
    """A worker's `model` package is not the driver's."""


@functools.cache
def worker_code() -> str:
    """This process's hash of the `model` package's source (computed once per process)."""
    from .manifest import code_hash

    return code_hash()


def run_checked(spec: RunSpec, expected: str) -> RunResult:
    """`run_one`, on a worker whose code is the driver's; else WrongCode (the run fails)."""
    if worker_code() != expected:
        raise WrongCode(f"this worker runs other code (model package sha256 "
                        f"{worker_code()[:12]}, the command's {expected[:12]}): install the "
                        "same revision on every worker")
    return run_one(spec)


def make_executor(workers: int | None, scheduler: str | None,
                  timeout: float = DEFAULT_TIMEOUT_S, min_in_flight: int = 4):
    """The executor the command-line flags ask for."""
    if scheduler:
        return DaskExecutor(scheduler, timeout, min_in_flight)
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
