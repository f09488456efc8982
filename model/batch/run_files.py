"""The per-run layout: two Parquet files per finished run (`--storage per-run`, and every folder
written before batched parts).

    runs/<run_id>.parquet        its days, id columns first; the summary row in the file's
                                 metadata (key `pressure.summary`); written last, so it marks
                                 the run done
    runs_long/<run_id>.parquet   its long table (scenario-dependent outcomes by key)

Easy to look at one run by hand; on a cluster's shared file system, thousands of small files
are slow to write and to list, which is why new experiments write batched parts (parts.py).
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from .atomic import atomic_write
from .verify import CORRUPT, SUMMARY_KEY, check_long, check_wide, unreadable

NAME = "per-run"


class RunFiles:
    """One experiment folder's run files, one pair per run."""

    name = NAME

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.wide_dir = self.root / "runs"
        self.long_dir = self.root / "runs_long"

    def record(self) -> dict:
        return {"layout": NAME}

    def open(self) -> None:
        for folder in (self.wide_dir, self.long_dir):
            folder.mkdir(parents=True, exist_ok=True)
            for stale in folder.glob(".*.tmp"):
                stale.unlink(missing_ok=True)

    def files(self, run_id: str) -> list[Path]:
        """The run's files, the marker (written last) last."""
        return [self.long_dir / f"{run_id}.parquet", self.wide_dir / f"{run_id}.parquet"]

    def finished(self, run_ids: Iterable[str]) -> set[str]:
        """Those of `run_ids` whose marker file exists (whether whole is `problems`' to say)."""
        return {r for r in run_ids if self.files(r)[-1].is_file()}

    def newest(self, run_ids: Iterable[str]) -> Path | None:
        """The most recently written file of these runs."""
        paths = [p for r in run_ids for p in self.files(r) if p.exists()]
        return max(paths, key=lambda p: p.stat().st_mtime_ns, default=None)

    def problems(self, runs: Iterable[Mapping]) -> dict[str, str]:
        """run_id -> what is wrong with the first of its files that does not hold it, whole
        (`<folder>/<file> <problem>`), for each of `runs` (manifest run records) that fails."""
        found = {}
        for run in runs:
            problem = self._problem(run)
            if problem is not None:
                found[run["run_id"]] = problem
        return found

    def _problem(self, run: Mapping) -> str | None:
        long, wide = self.files(run["run_id"])
        if not wide.is_file():
            return f"runs/{wide.name} is missing"
        if not long.is_file():
            return f"runs_long/{long.name} is missing"
        try:
            table = pq.read_table(long)
        except Exception as exc:  # noqa: BLE001 - any reader error means an unreadable file
            return f"runs_long/{long.name} {unreadable(exc)}"
        if (problem := check_long(table, run)) is not None:
            return f"runs_long/{long.name} {problem}"
        try:
            table = pq.read_table(wide)
        except Exception as exc:  # noqa: BLE001
            return f"runs/{wide.name} {unreadable(exc)}"
        if (problem := check_wide(table, _stats(table), run)) is not None:
            return f"runs/{wide.name} {problem}"
        return None

    def set_aside(self, run_ids: Iterable[str]) -> Path:
        """Move every file of these runs into `corrupt/` (under names stamped with the time, so
        nothing is overwritten); returns that folder."""
        target = self.root / CORRUPT
        target.mkdir(exist_ok=True)
        for run_id in run_ids:
            for path in self.files(run_id):
                if path.exists():
                    move_aside(path, target, f"{path.parent.name}-{path.stem}")
        return target

    def put(self, run_id: str, wide: pa.Table, stats: dict, long: pa.Table | None) -> list[str]:
        """Write the run's files (its long table first: the wide file marks it done); returns
        the runs now stored for good: this one."""
        if long is not None:
            atomic_write(self.long_dir / f"{run_id}.parquet",
                         lambda handle: pq.write_table(long, handle))
        meta = dict(wide.schema.metadata or {})
        meta[SUMMARY_KEY] = json.dumps(stats, default=str).encode("utf-8")
        wide = wide.replace_schema_metadata(meta)
        atomic_write(self.wide_dir / f"{run_id}.parquet",
                     lambda handle: pq.write_table(wide, handle))
        return [run_id]

    def flush(self) -> list[str]:
        return []                               # nothing is held back

    def abort(self) -> None:
        pass

    def read(self, run_ids: Iterable[str]
             ) -> Iterator[tuple[str, pa.Table, dict, pa.Table | None]]:
        """(run_id, wide table, summary row, long table or None) of each finished run, in the
        order given."""
        for run_id in run_ids:
            long, wide = self.files(run_id)
            if not wide.is_file():
                continue
            table = pq.read_table(wide)
            stats = _stats(table)
            yield (run_id, table.replace_schema_metadata(None), stats,
                   pq.read_table(long) if long.is_file() else None)


def _stats(table: pa.Table) -> dict | None:
    try:
        return json.loads((table.schema.metadata or {})[SUMMARY_KEY])
    except (KeyError, ValueError):
        return None


def move_aside(path: Path, target: Path, base: str) -> Path:
    """Move `path` into `target` as `<base>.<time stamp>[-n]<suffix>`, never over a file."""
    stamp = dt.datetime.now().strftime("%Y%m%dT%H%M%S")
    dest, n = target / f"{base}.{stamp}{path.suffix}", 1
    while dest.exists():
        dest, n = target / f"{base}.{stamp}-{n}{path.suffix}", n + 1
    os.replace(path, dest)
    return dest
