"""Shared helpers for tests/test_experiment_*.py: tiny experiments and how to run them.

The *reduced form* of an experiment is the same file with `--set` overrides that shrink it
(fewer users, days, replicates, trajectories); `reduced()` builds those flags.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
EXPERIMENTS = ROOT / "experiments"
SCENARIOS = ROOT / "scenarios"
TINY = {"users": 300, "days": 30, "replicates": 2}


# batched parts written every 0.1 s: a test that kills an experiment sees its progress at once
SAVE_OFTEN = ["--save-every", "0.1"]


def stored(folder: Path) -> set[str]:
    """The runs a folder has stored for good, in either layout: a per-run file, or a line of
    the journal whose part is there."""
    from model.batch.parts import read_journal

    ids = {p.stem for p in (folder / "runs").glob("*.parquet")}
    entries = read_journal(folder / "journal.jsonl")
    return ids | {r for r, e in entries.items()
                  if (folder / "parts" / f"{e['part']}.parquet").is_file()}


def reduced(**extra) -> list[str]:
    """`--set` flags for a reduced run: tiny population and horizon, two replicates."""
    values = {**TINY, **extra}
    return [flag for k, v in values.items() for flag in ("--set", f"{k}={v}")]


def write_experiment(folder: Path, text: str, name: str = "exp.toml") -> Path:
    """An experiment file in `folder`; `{scenarios}` in the text is the shipped scenarios dir."""
    path = folder / name
    path.write_text(text.replace("{scenarios}", SCENARIOS.as_posix()), encoding="utf-8")
    return path


GRID = """
name = "grid_test"
scenarios = ["{scenarios}/baseline.toml", "{scenarios}/china_2017.toml"]
replicates = 2
seed = 11
[settings]
users = 300
days = 30
[design]
kind = "grid"
[design.parameters]
enforcement_intensity = [0.1, 0.9]
"""


def cli(args: list[str], cwd: Path | None = None, **kwargs) -> subprocess.CompletedProcess:
    """`python -m model.batch ARGS` in a subprocess (the same code `pressure` runs)."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.run([sys.executable, "-m", "model.batch", *map(str, args)], cwd=cwd,
                          env=env, capture_output=True, text=True, **kwargs)


def tables(folder: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The combined summary and time series, sorted by run, for comparing two folders."""
    summary = pd.read_parquet(folder / "summary.parquet").sort_values("run_id")
    series = pd.read_parquet(folder / "timeseries.parquet").sort_values(["run_id", "day"])
    return summary.reset_index(drop=True), series.reset_index(drop=True)


def files(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file under `folder` with its size and modification time (to prove nothing moved)."""
    return {str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}
