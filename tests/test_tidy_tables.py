"""Tidy tables: counts stored as integers, seeds also as text, the design joined to the time
series without clashing columns, and CSV copies for those who want CSV (`--format csv`)."""

from __future__ import annotations

import pandas as pd
import pytest

from experiment_support import GRID, write_experiment
from model import METRICS
from model.batch.cli import main as batch_main
from model.cli import main

COUNTS = [m.name for m in METRICS if m.count]


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    root = tmp_path_factory.mktemp("tidy")
    path = write_experiment(root, GRID)
    assert batch_main(["experiment", str(path), "--workers", "1", "--out", str(root / "out"),
                       "--quiet", "--format", "csv"]) == 0
    return root / "out"


def test_counts_are_integers_and_seeds_are_also_text(folder):
    series = pd.read_parquet(folder / "timeseries.parquet")
    summary = pd.read_parquet(folder / "summary.parquet")
    assert COUNTS and all(series[c].dtype == "int64" for c in COUNTS)
    assert all(summary[f"{c}_final"].dtype == "int64" for c in COUNTS)
    for table in (series, summary):
        assert (table["seed_str"] == table["seed"].astype(str)).all()
    csv = pd.read_csv(folder / "summary.csv", dtype={"seed_str": str})
    assert list(csv["seed_str"]) == list(summary["seed_str"])


def test_the_design_joins_the_time_series_without_suffixes(folder):
    series = pd.read_parquet(folder / "timeseries.parquet")
    design = pd.read_parquet(folder / "design.parquet")
    joined = series.merge(design, on="point")
    assert not [c for c in joined.columns if c.endswith(("_x", "_y"))]
    assert {"enforcement_intensity", "effective_intensity"} <= set(joined.columns)
    assert len(joined) == len(series)


def test_format_csv_writes_csv_copies_and_a_later_run_without_it_removes_them(folder, tmp_path):
    copy = pd.read_csv(folder / "timeseries.csv")
    assert copy.shape == pd.read_parquet(folder / "timeseries.parquet").shape
    assert (folder / "outcomes_long.csv").is_file()

    out = tmp_path / "run"
    small = ["--users", "200", "--days", "20", "--no-figure", "--out", str(out)]
    assert main(["run", "baseline", *small, "--format", "csv"]) == 0
    csv = pd.read_csv(out / "timeseries.csv")
    parquet = pd.read_parquet(out / "timeseries.parquet")
    assert list(csv.columns) == list(parquet.columns) and len(csv) == 20
    assert all(parquet[c].dtype == "int64" for c in COUNTS)
    assert main(["run", "baseline", *small]) == 0
    assert not (out / "timeseries.csv").exists() and not (out / "outcomes_long.csv").exists()
