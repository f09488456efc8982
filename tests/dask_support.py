"""A real Dask cluster on loopback for tests: one `dask scheduler` and `dask worker` processes
(no nanny, so a killed worker stays dead), each started in its own session and torn down."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def start(args: list[str], log, env: dict | None = None, cwd: Path | None = None
          ) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", *args], cwd=cwd or ROOT, stdout=log,
                            stderr=subprocess.STDOUT, start_new_session=True,
                            env={**os.environ, **(env or {})})


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)


@contextmanager
def loopback_cluster(folder: Path, workers: int = 2, worker_home=lambda i: None):
    """Yields (address, scheduler file, worker processes) once every worker has joined;
    `worker_home(i)`, when not None, is a folder worker i starts in and imports `model` from
    first (another copy of the package)."""
    from distributed import Client

    scheduler_file = folder / "scheduler.json"
    log = open(folder / "cluster.log", "w")
    procs = [start(["distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port", "0",
                    "--no-dashboard", "--scheduler-file", str(scheduler_file)], log)]
    try:
        deadline = time.monotonic() + 90
        while not scheduler_file.exists():
            assert procs[0].poll() is None, (folder / "cluster.log").read_text()
            assert time.monotonic() < deadline, "the scheduler did not start"
            time.sleep(0.2)
        time.sleep(0.2)                      # the file is written whole, but be safe
        address = json.loads(scheduler_file.read_text())["address"]
        assert address.startswith("tcp://127.0.0.1:")
        for i in range(workers):
            procs.append(start(["distributed.cli.dask_worker", address, "--nthreads", "1",
                                "--no-nanny", "--no-dashboard", "--host", "127.0.0.1",
                                "--name", f"w{i}", "--local-directory",
                                str(folder / f"w{i}")], log,
                               {"PYTHONPATH": str(worker_home(i))} if worker_home(i) else None,
                               worker_home(i)))
        with Client(address, timeout=60) as client:
            client.wait_for_workers(workers, timeout=90)
        yield address, scheduler_file, procs[1:]
    finally:
        for proc in reversed(procs):
            stop(proc)
        log.close()
