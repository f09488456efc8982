"""Whether a run's files hold that run, whole: checked before a run counts as done.

A file can be truncated (a full disk, a copy cut short), emptied, or copied under another run's
name; each would otherwise break the combined tables, or silently duplicate another run's days.
`verify_run` reads every file of a run and checks what is inside against what the run is: its
id, scenario, point, replicate and seed in every row, one row per simulated day, and the summary
row stored with it. A run whose files fail is set aside (moved to `corrupt/`, never deleted) and
runs again.

A run has two files: its long table of scenario-dependent outcomes (`runs_long/`) and its wide
table (`runs/`), each with its check in `RUN_FILES`; the wide file last, as it is the one written
last and so the marker that the run is done.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable, Mapping
from pathlib import Path

import pyarrow.parquet as pq

from .runs import ID_COLUMNS

SUMMARY_KEY = b"pressure.summary"
CORRUPT = "corrupt"


def _check_wide(path: Path, run: Mapping) -> str | None:
    """The wide table: one row per day, id columns first, the summary row in its metadata."""
    try:
        table = pq.read_table(path)
    except Exception as exc:  # noqa: BLE001 - any reader error means an unreadable file
        return f"is not a readable Parquet file ({type(exc).__name__})"
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
    try:
        stats = json.loads((table.schema.metadata or {})[SUMMARY_KEY])
    except (KeyError, ValueError):
        return "has no summary row in its metadata"
    if not isinstance(stats, dict) or stats.get("run_id") != run["run_id"] \
            or stats.get("seed") != run["seed"]:
        return "has the summary row of another run in its metadata"
    return None


def _check_long(path: Path, run: Mapping) -> str | None:
    """The long table: id columns constant, then date, day, metric, key, value; no day past
    the horizon."""
    try:
        table = pq.read_table(path)
    except Exception as exc:  # noqa: BLE001 - any reader error means an unreadable file
        return f"is not a readable Parquet file ({type(exc).__name__})"
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


# (file of run `run_id`, relative to the experiment folder, and its check); the wide file, the
# marker of a finished run, last.
RUN_FILES: tuple[tuple[Callable[[str], str], Callable[[Path, Mapping], str | None]], ...] = (
    (lambda run_id: f"runs_long/{run_id}.parquet", _check_long),
    (lambda run_id: f"runs/{run_id}.parquet", _check_wide),
)


def run_files(store, run_id: str) -> list[Path]:
    """Every file of a finished run in `store` (a ResultStore), the marker last."""
    return [store.root / name(run_id) for name, _ in RUN_FILES]


def verify_run(store, run: Mapping) -> str | None:
    """None when every file of `run` (a manifest run record: run_id, scenario, point,
    replicate, seed and, when known, days) in `store` holds that run, whole; else what is wrong
    with the first that does not, as `<folder>/<file> <problem>`."""
    for path, (_, check) in zip(run_files(store, run["run_id"]), RUN_FILES):
        shown = f"{path.parent.name}/{path.name}"
        if not path.is_file():
            return f"{shown} is missing"
        problem = check(path, run)
        if problem is not None:
            return f"{shown} {problem}"
    return None


def set_aside(store, run_id: str) -> Path:
    """Move every file of the run into `corrupt/` in the experiment folder (under a name stamped
    with the time, so nothing is overwritten); returns that folder."""
    target = store.root / CORRUPT
    target.mkdir(exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%dT%H%M%S")
    for path in run_files(store, run_id):
        if path.exists():
            base = f"{path.parent.name}-{path.stem}"       # runs-<id>, runs_long-<id>
            dest, n = target / f"{base}.{stamp}{path.suffix}", 1
            while dest.exists():
                dest, n = target / f"{base}.{stamp}-{n}{path.suffix}", n + 1
            os.replace(path, dest)
    return target
