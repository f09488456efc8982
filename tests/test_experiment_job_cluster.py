"""`--cluster slurm|pbs`: SLURM and PBS cannot run here, so the batch script a job would run is
checked (the scheduler dask-jobqueue starts is real; nothing is submitted); misuse is one line."""

from __future__ import annotations

import pytest

from experiment_support import GRID, write_experiment
from model.batch.cli import main

pytest.importorskip("dask_jobqueue")

FLAGS = ["--jobs", "3", "--job-cores", "4", "--job-memory", "8GB", "--walltime", "00:30:00",
         "--queue", "short", "--account", "proj42", "--job-prologue", "module load python/3.12",
         "--job-script"]


@pytest.mark.parametrize("kind, lines", [
    ("slurm", ["#SBATCH -p short", "#SBATCH -A proj42", "#SBATCH --cpus-per-task=4",
               "#SBATCH -t 00:30:00", "#SBATCH -J pressure-worker"]),
    ("pbs", ["#PBS -q short", "#PBS -A proj42", "#PBS -l select=1:ncpus=4",
             "#PBS -l walltime=00:30:00", "#PBS -N pressure-worker"]),
])
def test_the_job_script_asks_for_what_the_flags_say(tmp_path, capsys, monkeypatch, kind, lines):
    monkeypatch.chdir(tmp_path)
    path = write_experiment(tmp_path, GRID)
    assert main(["experiment", str(path), "--cluster", kind, *FLAGS]) == 0
    script = capsys.readouterr().out
    for line in lines:
        assert line in script, script
    assert "module load python/3.12" in script
    worker = next(line for line in script.splitlines() if "dask_worker" in line)
    assert "--nthreads 1" in worker and "--nworkers 4" in worker     # one thread per process
    assert worker.split()[0].endswith("python") and "tcp://" in worker
    assert not (tmp_path / "results").exists()                       # nothing ran


@pytest.mark.parametrize("extra, says", [
    (["--cluster", "slurm", "--scheduler", "tcp://127.0.0.1:1"], "no --scheduler or --workers"),
    (["--cluster", "slurm", "--workers", "2"], "no --scheduler or --workers"),
    (["--job-script"], "--cluster slurm or --cluster pbs"),
])
def test_cluster_flags_misused_are_one_line(tmp_path, capsys, extra, says):
    path = write_experiment(tmp_path, GRID)
    assert main(["experiment", str(path), *extra, "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert says in err and len(err.strip().splitlines()) == 1, err
    assert not (tmp_path / "out").exists()
