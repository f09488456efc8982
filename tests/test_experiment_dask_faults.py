"""The Dask path under faults, on a real loopback cluster: a worker killed mid-experiment costs
no run (the scheduler hands its runs to another worker, each run is kept once), a worker whose
`model` package differs from the command's is refused before anything runs, and runs are handed
out a few at a time, not all at once."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time

import pandas as pd
import pytest

from dask_support import ROOT, loopback_cluster
from experiment_support import GRID, SAVE_OFTEN, stored, write_experiment
from model.batch.cli import main

pytest.importorskip("distributed")

SLOWER = GRID.replace("users = 300", "users = 1000").replace("days = 30", "days = 90") \
    .replace("replicates = 2", "replicates = 6")            # 24 runs of about half a second
TOTAL = 2 * 2 * 6


def test_a_worker_killed_mid_run_loses_no_run_and_repeats_none(tmp_path):
    path = write_experiment(tmp_path, SLOWER)
    out = tmp_path / "out"
    with loopback_cluster(tmp_path) as (address, _, workers):
        proc = subprocess.Popen([sys.executable, "-m", "model.batch", "experiment", str(path),
                                 "--scheduler", address, "--out", str(out), "--quiet",
                                 *SAVE_OFTEN],
                                cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True, start_new_session=True)
        try:
            deadline = time.monotonic() + 180
            while len(stored(out)) < 4:
                assert proc.poll() is None, proc.communicate()
                assert time.monotonic() < deadline, "no progress"
                time.sleep(0.05)
            os.kill(workers[0].pid, signal.SIGKILL)              # one of the two workers
            stdout, stderr = proc.communicate(timeout=300)
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
    assert workers[0].wait(timeout=10) == -signal.SIGKILL
    assert proc.returncode == 0, stderr
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["counts"] == {"total": TOTAL, "done": TOTAL, "failed": 0, "pending": 0}
    ids = [r["run_id"] for r in manifest["runs"]]
    assert len(ids) == len(set(ids)) == TOTAL
    assert len(stored(out)) == TOTAL
    summary = pd.read_parquet(out / "summary.parquet")
    assert summary["run_id"].is_unique and len(summary) == TOTAL


def test_a_worker_with_other_code_is_refused_before_anything_runs(tmp_path, capsys):
    other = tmp_path / "other"
    shutil.copytree(ROOT / "model", other / "model",
                    ignore=shutil.ignore_patterns("__pycache__"))
    with open(other / "model" / "outcomes.py", "a", encoding="utf-8") as handle:
        handle.write("\n# an edit this worker has and the command has not\n")
    path = write_experiment(tmp_path, GRID)
    out = tmp_path / "refused"
    with loopback_cluster(tmp_path, worker_home=lambda i: other if i == 1 else None) as (
            address, _, _):
        assert main(["experiment", str(path), "--scheduler", address, "--out", str(out),
                     "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "run other code" in err and "1 of 2" in err and len(err.strip().splitlines()) == 1
    assert not out.exists()


def test_runs_are_handed_out_a_few_at_a_time(tmp_path):
    from model.batch.designs import build_design
    from model.batch.executors import IN_FLIGHT_PER_THREAD, DaskExecutor
    from model.batch.experiment import load_experiment
    from model.batch.runs import plan_runs

    import cloudpickle

    cloudpickle.register_pickle_by_value(sys.modules[__name__])   # `_tasks` runs on the
    experiment = load_experiment(write_experiment(tmp_path, SLOWER))  # scheduler
    specs = plan_runs(experiment, build_design(experiment.design, experiment.seed))
    with loopback_cluster(tmp_path) as (address, _, _):
        executor = DaskExecutor(address)
        try:
            known = []
            for result in executor.run(specs):
                assert result.status == "done"
                known.append(executor.client.run_on_scheduler(_tasks))
        finally:
            executor.close()
    assert len(known) == TOTAL
    assert max(known) <= IN_FLIGHT_PER_THREAD * 2         # 2 workers of 1 thread each
    assert max(known) >= 2                                 # but more than one at a time


def _tasks(dask_scheduler) -> int:
    return sum(str(k).startswith("pressure-") for k in dask_scheduler.tasks)
