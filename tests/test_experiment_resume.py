"""Kill an experiment with SIGKILL half-way, run the same command again: it completes with exactly
one result per run, identical to an uninterrupted run, whether runs are stored in batched parts
(a part left open by the kill is dropped and its runs redone) or one pair of files each."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pandas as pd
import pyarrow.parquet as pq
import pytest

from experiment_support import GRID, ROOT, SAVE_OFTEN, cli, stored, tables, write_experiment
from model.batch.cli import main

SLOWER = GRID.replace("users = 300", "users = 1000").replace("days = 30", "days = 60") \
    .replace("replicates = 2", "replicates = 8")             # 32 runs of about 0.1 s
TOTAL = 2 * 2 * 8


@pytest.mark.parametrize("storage", [SAVE_OFTEN, ["--storage", "per-run"]],
                         ids=["batched", "per-run"])
def test_sigkill_then_resume_gives_one_identical_result_per_run(storage, tmp_path):
    path = write_experiment(tmp_path, SLOWER)
    out = tmp_path / "killed"
    proc = subprocess.Popen([sys.executable, "-m", "model.batch", "experiment", str(path),
                             "--workers", "2", "--out", str(out), "--quiet", *storage], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while len(stored(out)) < TOTAL // 4:
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "no progress"
            time.sleep(0.02)
        os.kill(proc.pid, signal.SIGKILL)                     # the experiment's own process
        proc.wait(timeout=30)
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)               # its orphaned pool workers
        except ProcessLookupError:
            pass
        proc.communicate()
    assert proc.returncode == -signal.SIGKILL
    survived = stored(out)
    assert TOTAL // 4 <= len(survived) < TOTAL, "killed too late to test resuming"
    for file in (out / "runs").glob("*.parquet"):             # every result file is whole
        assert pq.read_table(file).num_rows == 60
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["sessions"][-1]["status"] == "running" and manifest["ended"] is None

    again = cli(["experiment", path, "--workers", "1", "--out", out, "--quiet"], cwd=ROOT,
                timeout=300)
    assert again.returncode == 0, again.stderr
    assert len(stored(out)) == TOTAL
    assert not list(out.rglob(".*.tmp"))
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["counts"]["done"] == TOTAL
    assert manifest["sessions"][-1]["ran"] == TOTAL - len(survived)
    assert manifest["sessions"][-1]["status"] == "complete"

    assert main(["experiment", str(path), "--workers", "1", "--out", str(tmp_path / "whole"),
                 "--quiet"]) == 0
    resumed, whole = tables(out), tables(tmp_path / "whole")
    assert resumed[0]["run_id"].is_unique and len(resumed[0]) == TOTAL
    for mine, theirs in zip(resumed, whole):
        pd.testing.assert_frame_equal(mine, theirs)
