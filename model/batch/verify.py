"""Whether a stored run holds that run, whole: checked before a run counts as done.

A file can be truncated (a full disk, a copy cut short), emptied, or copied under another run's
name; each would otherwise break the combined tables, or silently duplicate another run's days.
The checks here look at what a run's tables hold against what the run is: its id, scenario,
point, replicate and seed in every row, one row per simulated day, and the summary row stored
with it. The storage layouts (run_files.py, parts.py) read the tables and set aside, never
delete, a run that fails; it then runs again.
"""

from __future__ import annotations

from collections.abc import Mapping

import pyarrow as pa

from .runs import ID_COLUMNS

SUMMARY_KEY = b"pressure.summary"     # a per-run file's metadata key for its summary row
CORRUPT = "corrupt"                   # the folder a failed run's files are moved to


def check_wide(table: pa.Table, stats: object, run: Mapping,
               kept_in: str = "its metadata") -> str | None:
    """The wide table: one row per day, id columns first, and the run's summary row (`stats`,
    read from where `kept_in` says)."""
    missing = [c for c in ID_COLUMNS if c not in table.column_names]
    if missing:
        return f"is not a run file (it has no {missing[0]} column)"
    for column in ID_COLUMNS:
        values = table.column(column).unique().to_pylist()
        if values != [run[column]]:
            shown = ", ".join(repr(v) for v in values[:2]) or "nothing"
            return f"holds another run ({column} {shown}, expected {run[column]!r})"
    days = run.get("days")
    if days is not None and table.num_rows != days:
        return f"has {table.num_rows} rows where the run has {days} days"
    if stats is None:
        return f"has no summary row in {kept_in}"
    if not isinstance(stats, dict) or stats.get("run_id") != run["run_id"] \
            or stats.get("seed") != run["seed"]:
        return f"has the summary row of another run in {kept_in}"
    return None


def check_long(table: pa.Table, run: Mapping) -> str | None:
    """The long table: id columns constant, then date, day, metric, key, value; no day past
    the horizon."""
    missing = [c for c in (*ID_COLUMNS, "day", "metric", "key", "value")
               if c not in table.column_names]
    if missing:
        return f"is not a long table of a run (it has no {missing[0]} column)"
    for column in ID_COLUMNS:
        values = table.column(column).unique().to_pylist()
        if table.num_rows and values != [run[column]]:
            shown = ", ".join(repr(v) for v in values[:2]) or "nothing"
            return f"holds another run ({column} {shown}, expected {run[column]!r})"
    days = run.get("days")
    if days is not None and table.num_rows:
        last = max(table.column("day").to_pylist())
        if last >= days or table.num_rows % days:
            return f"does not hold whole series of the run's {days} days"
    return None


def unreadable(exc: BaseException) -> str:
    return f"is not a readable Parquet file ({type(exc).__name__})"
