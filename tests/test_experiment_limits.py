"""Limits checked before any work: the number of runs (from the design's size, without building
it) and the memory the runs in flight need; one line, exit code 2, nothing written, and a flag
to allow more."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from experiment_support import GRID, ROOT, write_experiment
from model import ScenarioError
from model.batch import limits
from model.batch.cli import main as batch_main
from model.cli import main

HUGE = {
    "a billion replicates": (GRID.replace("replicates = 2", "replicates = 1000000000"),
                             "has 4,000,000,000: 2 scenarios x 2 grid design points x "
                             "1,000,000,000 replicates"),
    "a billion samples": (GRID.replace('kind = "grid"', 'kind = "lhs"\nsamples = 1000000000')
                          .replace("[0.1, 0.9]", "[0.1, 0.9]\naudit_capacity = [0.1, 1.0]"),
                          "1,000,000,000 lhs design points"),
    "a grid of a trillion points": (GRID.replace("enforcement_intensity = [0.1, 0.9]", "\n".join(
        f"{name} = [{', '.join(str(lo + i * 0.001) for i in range(100))}]"
        for name, lo in (("enforcement_intensity", 0.1), ("demand_median", 0.1),
                         ("demand_sigma", 0.1), ("vpn_price", 0.1), ("learning_max", 0.1),
                         ("fear_weight", 0.1)))),
        "1,000,000,000,000 grid design points"),
}


@pytest.mark.parametrize("case", list(HUGE), ids=list(HUGE))
def test_too_many_runs_are_refused_at_once_in_a_real_process(case, tmp_path):
    text, fragment = HUGE[case]
    path = write_experiment(tmp_path, text)
    start = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "model.batch", "experiment", str(path),
                           "--out", str(tmp_path / "out")], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert time.monotonic() - start < 60
    assert done.returncode == 2 and done.stderr.count("\n") == 1, done.stderr
    assert f"{path}: expected at most 100,000 runs (this experiment " in done.stderr
    assert fragment in done.stderr and "pass --max-runs N to allow more" in done.stderr
    assert not (tmp_path / "out").exists()


def test_max_runs_lowers_or_raises_the_limit(tmp_path, capsys):
    path = write_experiment(tmp_path, GRID)
    out = tmp_path / "out"
    assert batch_main(["experiment", str(path), "--workers", "1", "--out", str(out),
                       "--quiet", "--max-runs", "7"]) == 2
    assert "expected at most 7 runs (this experiment has 8" in capsys.readouterr().err
    assert not out.exists()
    assert batch_main(["experiment", str(path), "--workers", "1", "--out", str(out),
                       "--quiet", "--max-runs", "8"]) == 0


def test_runs_that_cannot_fit_in_memory_are_refused(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(limits, "machine_bytes", lambda: 3 * 2**30)   # a 3 GB machine
    path = write_experiment(tmp_path, GRID)
    out = tmp_path / "out"
    assert batch_main(["experiment", str(path), "--workers", "2", "--out", str(out), "--quiet",
                       "--set", "users=3000000"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "expected runs that fit in this machine's memory (3.0 " \
        "GB): 2 runs at once of 3,000,000 users with 10 contacts each need about 6.5 GB; use " \
        "fewer --workers, fewer users, or pass --skip-memory-check" in err
    assert not out.exists()
    assert main(["run", "baseline", "--users", "6000000", "--out", str(out)]) == 2
    assert "one run of 6,000,000 users with 10 contacts each needs about 6.3 GB" in \
        capsys.readouterr().err
    assert main(["run", "baseline", "--users", "300", "--days", "5", "--no-figure",
                 "--out", str(out)]) == 0


def test_the_memory_estimate_scales_with_runs_in_flight_users_and_contacts(monkeypatch):
    monkeypatch.setattr(limits, "machine_bytes", lambda: 12 * 2**30)
    small = {"users": 1_000_000, "mean_degree": 10.0}
    per_run = limits.RUN_BASE_BYTES + 1_000_000 * (limits.BYTES_PER_USER
                                                   + 10 * limits.BYTES_PER_CONTACT)
    assert limits.run_bytes(small) == per_run
    assert 8 * per_run < 12 * 2**30 < 16 * per_run
    limits.check_memory([small], 8, "x")                      # 8 runs fit in 12 GB
    with pytest.raises(ScenarioError, match="16 runs at once"):
        limits.check_memory([small], 16, "x")
    with pytest.raises(ScenarioError, match="one run of 2,000,000 users with 200 contacts"):
        limits.check_memory([small, {"users": 2_000_000, "mean_degree": 200.0}], 1, "x")
