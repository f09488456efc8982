"""A real Dask cluster on loopback (one scheduler, two workers, separate processes) gives the
same tables as a serial run of the same experiment."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pandas as pd
import pytest

from experiment_support import GRID, ROOT, tables, write_experiment
from model.batch.cli import main

pytest.importorskip("distributed")


def _start(args: list[str], log) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", *args], cwd=ROOT, stdout=log,
                            stderr=subprocess.STDOUT, start_new_session=True)


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)


@pytest.fixture
def cluster(tmp_path):
    """`dask scheduler` and two `dask worker` processes on 127.0.0.1; torn down after."""
    from distributed import Client

    scheduler_file = tmp_path / "scheduler.json"
    log = open(tmp_path / "cluster.log", "w")
    procs = [_start(["distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port", "0",
                     "--no-dashboard", "--scheduler-file", str(scheduler_file)], log)]
    try:
        deadline = time.monotonic() + 90
        while not scheduler_file.exists():
            assert procs[0].poll() is None, (tmp_path / "cluster.log").read_text()
            assert time.monotonic() < deadline, "the scheduler did not start"
            time.sleep(0.2)
        time.sleep(0.2)                      # the file is written whole, but be safe
        address = json.loads(scheduler_file.read_text())["address"]
        assert address.startswith("tcp://127.0.0.1:")
        for i in range(2):
            procs.append(_start(["distributed.cli.dask_worker", address, "--nthreads", "1",
                                 "--no-nanny", "--no-dashboard", "--host", "127.0.0.1",
                                 "--name", f"w{i}", "--local-directory",
                                 str(tmp_path / f"w{i}")], log))
        with Client(address, timeout=60) as client:
            client.wait_for_workers(2, timeout=90)
        yield address, scheduler_file
    finally:
        for proc in reversed(procs):
            _stop(proc)
        log.close()


def test_dask_serial_and_local_runs_are_identical(cluster, tmp_path):
    address, scheduler_file = cluster
    path = write_experiment(tmp_path, GRID)
    assert main(["experiment", str(path), "--workers", "1", "--out", str(tmp_path / "serial"),
                 "--quiet"]) == 0
    assert main(["experiment", str(path), "--scheduler", address,
                 "--out", str(tmp_path / "dask"), "--quiet"]) == 0
    for mine, theirs in zip(tables(tmp_path / "dask"), tables(tmp_path / "serial")):
        pd.testing.assert_frame_equal(mine, theirs)
    manifest = json.loads((tmp_path / "dask" / "manifest.json").read_text())
    executor = manifest["sessions"][0]["executor"]
    assert executor["kind"] == "dask" and executor["workers"] == 2
    hosts = {r["host"].split(":")[-1] for r in manifest["runs"]}
    assert len(hosts) == 2                   # both workers took runs (by process id)

    # the scheduler file works as well as the address; everything is done already
    assert main(["experiment", str(path), "--scheduler", str(scheduler_file),
                 "--out", str(tmp_path / "dask"), "--quiet"]) == 0
