"""A run file that is truncated, empty, padded, short of days or another run's copy never counts
as done: the next session names it in one line, moves it to corrupt/ (kept) and runs it again,
and the tables come out identical to an undamaged experiment's."""

from __future__ import annotations

import json
import os
import shutil

import pandas as pd
import pyarrow.parquet as pq
import pytest

from experiment_support import GRID, tables, write_experiment
from model.batch.cli import main


def _truncate(path):
    os.truncate(path, path.stat().st_size // 2)


def _empty(path):
    os.truncate(path, 0)


def _padded(path):                                # `truncate -s` past the end: zeros
    os.truncate(path, path.stat().st_size + 15000)


def _short(path):                                 # a whole Parquet file, with days missing
    table = pq.read_table(path)
    pq.write_table(table.slice(0, 10), path)


def _another_run(path):
    shutil.copy(path.with_name("china_2017__p1__r001.parquet"), path)


DAMAGE = {"truncated": (_truncate, "is not a readable Parquet file"),
          "empty": (_empty, "is not a readable Parquet file"),
          "padded with zeros": (_padded, "is not a readable Parquet file"),
          "short of days": (_short, "has 10 rows where the run has 30 days"),
          "another run's copy": (_another_run, "holds another run (run_id "
                                               "'china_2017__p1__r001', expected")}


@pytest.fixture(scope="module")
def whole(tmp_path_factory):
    folder = tmp_path_factory.mktemp("whole")
    path = write_experiment(folder, GRID)
    assert main(["experiment", str(path), "--workers", "1", "--out", str(folder / "out"),
                 "--quiet", "--storage", "per-run"]) == 0
    return path, folder / "out"


@pytest.mark.parametrize("case", list(DAMAGE), ids=list(DAMAGE))
def test_a_damaged_run_file_is_set_aside_and_run_again(case, whole, tmp_path, capsys):
    path, good = whole
    out = tmp_path / "out"
    shutil.copytree(good, out)
    damage, problem = DAMAGE[case]
    victim = out / "runs" / "baseline__p0__r001.parquet"
    damage(victim)
    damaged = victim.read_bytes()

    assert main(["experiment", str(path), "--workers", "1", "--out", str(out), "--quiet"]) == 0
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    assert err.startswith("pressure experiment: note: runs/baseline__p0__r001.parquet "
                          f"{problem}") and "moved to corrupt/" in err
    kept = {p.name.split(".")[0]: p for p in (out / "corrupt").iterdir()}
    assert set(kept) == {"runs-baseline__p0__r001", "runs_long-baseline__p0__r001"}
    assert kept["runs-baseline__p0__r001"].read_bytes() == damaged   # moved, never deleted
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["counts"]["done"] == 8 and manifest["sessions"][-1]["ran"] == 1
    assert manifest["sessions"][-1]["status"] == "complete"
    for mine, theirs in zip(tables(out), tables(good)):
        pd.testing.assert_frame_equal(mine, theirs)


@pytest.mark.parametrize("damage", [_truncate, _another_run], ids=["truncated", "another"])
def test_a_damaged_long_table_is_set_aside_with_its_run(damage, whole, tmp_path, capsys):
    path, good = whole
    out = tmp_path / "out"
    shutil.copytree(good, out)
    damage(out / "runs_long" / "baseline__p0__r001.parquet")
    assert main(["experiment", str(path), "--workers", "1", "--out", str(out), "--quiet"]) == 0
    err = capsys.readouterr().err
    assert err.startswith("pressure experiment: note: runs_long/baseline__p0__r001.parquet ")
    assert len(list((out / "corrupt").iterdir())) == 2
    long = pd.read_parquet(out / "outcomes_long.parquet").sort_values(
        ["run_id", "metric", "key", "day"]).reset_index(drop=True)
    expected = pd.read_parquet(good / "outcomes_long.parquet").sort_values(
        ["run_id", "metric", "key", "day"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(long, expected)
