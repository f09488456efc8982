"""Fault injection with real processes and real signals: after SIGKILL of the command alone, its
fork server, workers and resource tracker are gone within 10 s (checked by PID); SIGTERM stops
it like Ctrl-C: one line, exit code 143, a manifest that says "interrupted" with the true counts,
no process left, and the same command then finishes the rest."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from experiment_support import GRID, ROOT, SAVE_OFTEN, cli, stored, write_experiment
from process_support import descendants, wait_until_gone

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")

SLOW = GRID.replace("users = 300", "users = 5000").replace("days = 30", "days = 100") \
    .replace("replicates = 2", "replicates = 6")            # 24 runs of about 0.3 s
TOTAL = 2 * 2 * 6


def _start(tmp_path: Path) -> tuple[subprocess.Popen, Path, Path]:
    path = write_experiment(tmp_path, SLOW)
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "model.batch", "experiment", str(path),
                             "--workers", "2", "--out", str(out), "--quiet", *SAVE_OFTEN], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    return proc, path, out


def _wait_for_runs(proc: subprocess.Popen, out: Path, n: int) -> None:
    deadline = time.monotonic() + 120
    while len(stored(out)) < n:
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "no progress"
        time.sleep(0.02)


def _cleanup(proc: subprocess.Popen, pids: set[int]) -> None:
    for pid in pids | {proc.pid}:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    proc.communicate()


def test_sigkill_of_the_command_alone_leaves_no_worker_alive(tmp_path):
    proc, _, out = _start(tmp_path)
    pids: set[int] = set()
    try:
        _wait_for_runs(proc, out, 2)
        pids = descendants(proc.pid)
        assert len(pids) >= 3, pids          # fork server, two workers (and resource tracker)
        os.kill(proc.pid, signal.SIGKILL)    # the command only, not its process group
        proc.wait(timeout=30)
        assert wait_until_gone(pids, 10) == set()
    finally:
        _cleanup(proc, pids)
    assert len(stored(out)) < TOTAL, "killed too late to test"


def test_sigterm_stops_like_ctrl_c_and_the_same_command_resumes(tmp_path):
    proc, path, out = _start(tmp_path)
    pids: set[int] = set()
    try:
        _wait_for_runs(proc, out, 2)
        pids = descendants(proc.pid)
        os.kill(proc.pid, signal.SIGTERM)
        _, err = proc.communicate(timeout=30)
        assert wait_until_gone(pids, 10) == set()
    finally:
        _cleanup(proc, pids)
    assert proc.returncode == 143
    assert err == ("pressure experiment: stopped by SIGTERM; finished runs are kept, run the "
                   "same command again to resume\n")
    kept = len(stored(out))
    assert 2 <= kept < TOTAL, "stopped too late to test"
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["sessions"][-1]["status"] == "interrupted"
    assert manifest["counts"]["done"] == kept == manifest["sessions"][-1]["ran"]
    assert manifest["counts"]["pending"] == TOTAL - kept

    again = cli(["experiment", path, "--workers", "2", "--out", out, "--quiet"], cwd=ROOT,
                timeout=300)
    assert again.returncode == 0, again.stderr
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["counts"]["done"] == TOTAL and manifest["sessions"][-1]["ran"] == TOTAL - kept
