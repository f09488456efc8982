"""CSV copies of a folder's Parquet tables, for those who want CSV (`--format csv`).

Parquet stays the tables of record (the report, `pressure rerun` and the checks of a folder read
it); the copies are written beside it, and a later run without `--format csv` removes them so no
stale copy is left beside newer tables.
"""

from __future__ import annotations

from pathlib import Path

FORMATS = ("parquet", "csv")
TABLES = ("timeseries", "outcomes_long")
"""The tables written as Parquet that get a CSV copy (an experiment's summary always has one)."""


def write_csv_copies(folder: Path, tables=TABLES) -> list[Path]:
    """`<table>.csv` beside every `<table>.parquet` of `folder`; the paths written."""
    import pandas as pd

    written = []
    for name in tables:
        source = folder / f"{name}.parquet"
        if source.is_file():
            target = folder / f"{name}.csv"
            pd.read_parquet(source).to_csv(target, index=False)
            written.append(target)
    return written


def remove_csv_copies(folder: Path, tables=TABLES) -> None:
    for name in tables:
        (folder / f"{name}.csv").unlink(missing_ok=True)
