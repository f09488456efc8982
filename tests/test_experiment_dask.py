"""A real Dask cluster on loopback (one scheduler, two workers, separate processes) gives the
same tables as a serial run of the same experiment."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from dask_support import loopback_cluster
from experiment_support import GRID, tables, write_experiment
from model.batch.cli import main

pytest.importorskip("distributed")


@pytest.fixture
def cluster(tmp_path):
    """`dask scheduler` and two `dask worker` processes on 127.0.0.1; torn down after."""
    with loopback_cluster(tmp_path) as (address, scheduler_file, _):
        yield address, scheduler_file


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
