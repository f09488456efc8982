"""`pressure run` records what it was given; `pressure rerun` and `model.rerun` reproduce a run
(or an experiment's sampled-design run) bit for bit from that record."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pandas as pd

from experiment_support import ROOT, cli, write_experiment
from model.outputs.record import rerun, same_series

SMALL = ["--users", "300", "--days", "20"]


def pressure(*args, cwd):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "model.cli", *map(str, args)], cwd=cwd,
                          env=env, capture_output=True, text=True)


def test_run_records_inputs_and_reruns_bit_for_bit(tmp_path):
    done = pressure("run", "china_2017", "--seed", "4", *SMALL, "--set",
                    "fear_memory_days=40", "--no-figure", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    folder = tmp_path / "results" / "runs" / "china_2017-seed4-days=20-fear_memory_days=40-users=300"
    record = json.loads((folder / "run.json").read_text())
    assert record["seed"] == 4 and record["scenario"] == "china_2017"
    assert record["overrides"] == {"fear_memory_days": "40", "users": 300, "days": 20}
    assert record["resolved"]["behaviour"]["fear_memory_days"] == 40
    assert "china_2017.toml" in next(iter(record["file_content"]))
    assert "[" in next(iter(record["file_content"].values()))        # the file's TOML text
    env = record["environment"]
    assert env["packages"]["mesa"] and "dirty" in env["git"] and "revision" in env["git"]
    frame, _ = rerun(folder)
    assert same_series(pd.read_parquet(folder / "timeseries.parquet"), frame)
    assert not same_series(pd.read_parquet(folder / "timeseries.parquet"),
                           rerun(folder)[0].assign(vpn_use=lambda f: f["vpn_use"] + 1e-12))
    again = pressure("rerun", folder, cwd=tmp_path)
    assert again.returncode == 0 and "identical" in again.stdout


def test_runs_with_other_overrides_get_their_own_folder_and_no_stale_files(tmp_path):
    plain = pressure("run", "china_2017", *SMALL, cwd=tmp_path)
    assert plain.returncode == 0, plain.stderr
    out = tmp_path / "same"
    assert pressure("run", "china_2017", *SMALL, "--out", out, cwd=tmp_path).returncode == 0
    assert (out / "figure.png").exists()
    assert pressure("run", "china_2017", *SMALL, "--out", out, "--no-figure",
                    cwd=tmp_path).returncode == 0
    assert not (out / "figure.png").exists()                  # no older figure beside new data
    other = pressure("run", "china_2017", *SMALL, "--set", "enforcement_intensity=0.9",
                     cwd=tmp_path)
    assert other.returncode == 0, other.stderr
    folders = sorted(p.name for p in (tmp_path / "results" / "runs").iterdir()
                     if not p.name.startswith("."))
    assert len(folders) == 2 and all(f.startswith("china_2017-seed0-") for f in folders)


def test_rerun_of_a_sampled_design_run_from_the_manifest(tmp_path):
    exp = write_experiment(tmp_path, """
name = "lhs_rerun"
scenarios = ["{scenarios}/china_2017.toml"]
replicates = 1
seed = 5
[settings]
users = 300
days = 20
[design]
kind = "lhs"
samples = 3
[design.parameters]
enforcement_intensity = [0.2, 0.8]
fear_memory_days = [10, 90]
""")
    out = tmp_path / "exp"
    done = cli(["experiment", exp, "--out", out, "--quiet"], cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    # --quiet: no progress bar, but the one line saying where the results are
    assert done.stdout.strip().splitlines() == [f"lhs_rerun: 3 of 3 runs done; results in {out}/"]
    manifest = json.loads((out / "manifest.json").read_text())
    run_id = manifest["runs"][-1]["run_id"]
    frame, _ = rerun(out, run_id)
    stored = pd.read_parquet(out / "timeseries.parquet")
    assert same_series(stored[stored["run_id"] == run_id], frame)
    again = pressure("rerun", out, "--run", run_id, cwd=tmp_path)
    assert again.returncode == 0 and "identical" in again.stdout, again.stdout + again.stderr


def test_rerun_of_a_folder_without_a_record_is_one_line_and_exit_2(tmp_path):
    done = pressure("rerun", tmp_path, cwd=tmp_path)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and "run.json" in done.stderr


def test_a_single_run_shows_a_progress_bar_on_a_terminal_only(tmp_path):
    """On a terminal (stderr a pseudo-terminal) `pressure run` draws a bar over the days; piped,
    it prints none."""
    import os
    import pty
    import subprocess
    import sys

    argv = [sys.executable, "-m", "model.cli", "run", "china_2017", "--users", "300",
            "--days", "40", "--no-figure"]
    main_fd, child_fd = pty.openpty()
    import fcntl
    import struct
    import termios

    fcntl.ioctl(child_fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # 100 columns
    done = subprocess.run([*argv, "--out", str(tmp_path / "tty")], stderr=child_fd,
                          stdout=subprocess.DEVNULL, timeout=300)
    os.close(child_fd)
    shown = b""
    while True:
        try:
            chunk = os.read(main_fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
    os.close(main_fd)
    assert done.returncode == 0
    assert b"/40 [" in shown and b"day/s" in shown        # a bar over the 40 days
    piped = subprocess.run([*argv, "--out", str(tmp_path / "piped")], capture_output=True,
                           timeout=300)
    assert piped.returncode == 0 and b"day/s" not in piped.stderr
