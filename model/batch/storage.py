"""An experiment folder: one Parquet file per finished run, combined tables at the end.

    <folder>/manifest.json           what was run (manifest.py)
    <folder>/design.parquet          one row per design point
    <folder>/runs/<run_id>.parquet   one per finished run: its days, id columns first; the run's
                                     summary row in the file's metadata (key `pressure.summary`)
    <folder>/runs_long/<run_id>.parquet  its long table (scenario-dependent outcomes by key),
                                     written before the run's file above, which marks it done
    <folder>/failed/<run_id>.json    one per failed run: error and traceback
    <folder>/timeseries.parquet      all finished runs x days      } written when every run
    <folder>/outcomes_long.parquet   all finished runs' long tables } has been tried
    <folder>/summary.parquet, .csv   one row per finished run      }

Every file is written under a temporary name and moved into place with `os.replace`, so a run's
file exists only when complete: an experiment killed at any instant resumes by rerunning exactly
the runs without a file (failed runs are retried). A lock file keeps two processes from writing
one folder at once; the kernel releases it when its holder dies, even by SIGKILL.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ..config.errors import ScenarioError
from .designs import Design
from .manifest import read_manifest
from .runs import RunResult, RunSpec

SUMMARY_KEY = b"pressure.summary"


class ResultStore:
    """The files of one experiment folder."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.runs_dir = self.root / "runs"
        self.long_dir = self.root / "runs_long"
        self.failed_dir = self.root / "failed"
        self._lock = None

    # --- before anything is written ---------------------------------------------------------

    def check(self, fingerprint: str, name: str, source: str) -> dict | None:
        """Refuse a folder that holds something else; return its manifest when resuming.
        Reads only: a refused command leaves no trace."""
        if self.root.exists() and not self.root.is_dir():
            raise ScenarioError("--out", str(self.root), "a folder (this is a file)")
        if not self.root.exists():
            return None
        try:
            manifest = read_manifest(self.root)
        except (OSError, ValueError) as exc:
            raise ScenarioError("--out", str(self.root), "a readable manifest.json in the "
                                f"experiment folder ({exc.__class__.__name__})") from None
        if manifest is None:
            if any(self.root.iterdir()):
                raise ScenarioError("--out", str(self.root), "an empty folder or an experiment "
                                    "folder (it has files but no manifest.json)")
            return None
        if manifest.get("fingerprint") != fingerprint:
            held = manifest.get("experiment", {})
            raise ScenarioError(
                "--out", str(self.root),
                f"a folder for this experiment ({name!r} from {source}), but it holds a different "
                f"one ({held.get('name')!r} from {held.get('source')}; the file content, --set "
                "values or resolved scenarios differ): use another --out or remove the folder")
        return manifest

    # --- while running --------------------------------------------------------------------

    def open(self) -> None:
        """Create the folder, take the lock, and clear temporary files a killed run left."""
        for folder in (self.root, self.runs_dir, self.long_dir, self.failed_dir):
            folder.mkdir(parents=True, exist_ok=True)
        self._lock = _lock(self.root / ".lock")
        for folder in (self.root, self.runs_dir, self.long_dir, self.failed_dir):
            for stale in folder.glob(".*.tmp"):
                stale.unlink(missing_ok=True)

    def close(self) -> None:
        if self._lock is not None:
            self._lock.close()
            self._lock = None

    def finished(self) -> set[str]:
        """Run ids with a result file."""
        return {p.stem for p in self.runs_dir.glob("*.parquet")}

    def save(self, result: RunResult) -> None:
        """Write a finished run's file, or a failed run's error, atomically."""
        if result.status == "done":
            if result.long is not None:          # first: the run's file marks it done
                long = pa.Table.from_pandas(result.long, preserve_index=False)
                _atomic(self.long_dir / f"{result.run_id}.parquet",
                        lambda handle: pq.write_table(long, handle))
            table = pa.Table.from_pandas(result.timeseries, preserve_index=False)
            meta = dict(table.schema.metadata or {})
            meta[SUMMARY_KEY] = json.dumps(result.summary, default=str).encode("utf-8")
            table = table.replace_schema_metadata(meta)
            _atomic(self.runs_dir / f"{result.run_id}.parquet",
                    lambda handle: pq.write_table(table, handle))
            (self.failed_dir / f"{result.run_id}.json").unlink(missing_ok=True)
        else:
            record = {"run_id": result.run_id, "error": result.error,
                      "traceback": result.traceback, "host": result.host}
            text = json.dumps(record, indent=1).encode("utf-8")
            _atomic(self.failed_dir / f"{result.run_id}.json", lambda handle: handle.write(text))

    def write_design(self, design: Design) -> None:
        frame = design_frame(design)
        _atomic(self.root / "design.parquet",
                lambda handle: frame.to_parquet(handle, index=False))

    # --- at the end ------------------------------------------------------------------------

    def combine(self, specs: Iterable[RunSpec]) -> list[Path]:
        """timeseries.parquet, summary.parquet and summary.csv from the finished runs' files,
        in plan order. Summary rows are built from the spec (typed parameter values) and the
        statistics stored with the run."""
        tables, rows, longs = [], [], []
        for spec in specs:
            path = self.runs_dir / f"{spec.run_id}.parquet"
            if not path.exists():
                continue
            long_path = self.long_dir / f"{spec.run_id}.parquet"
            if long_path.exists():
                longs.append(pq.read_table(long_path))
            table = pq.read_table(path)
            stats = json.loads(table.schema.metadata[SUMMARY_KEY])
            rows.append({**spec.identity(), **spec.params,
                         **{k: v for k, v in stats.items() if k.endswith(("_final", "_mean"))}})
            tables.append(table.replace_schema_metadata(None))
        if not tables:
            return []
        timeseries = pa.concat_tables(tables)
        summary = pd.DataFrame(rows)
        out = [self.root / "timeseries.parquet", self.root / "summary.parquet",
               self.root / "summary.csv"]
        _atomic(out[0], lambda handle: pq.write_table(timeseries, handle))
        _atomic(out[1], lambda handle: summary.to_parquet(handle, index=False))
        _atomic(out[2], lambda handle: handle.write(summary.to_csv(index=False).encode()))
        if longs:
            long = pa.concat_tables(longs, promote_options="default")
            out.append(self.root / "outcomes_long.parquet")
            _atomic(out[-1], lambda handle: pq.write_table(long, handle))
        return out


def design_frame(design: Design) -> pd.DataFrame:
    """One row per point: the values run, and for sampled designs the unrounded sample."""
    frame = pd.DataFrame([{"point": i, **p} for i, p in enumerate(design.points)])
    if design.sample is not None:
        for j, name in enumerate(design.names):
            frame[f"sample.{name}"] = design.sample[:, j]
    return frame


def read_summary_stats(path: Path) -> dict[str, object]:
    """The summary row stored in one run's Parquet file."""
    return json.loads(pq.read_schema(path).metadata[SUMMARY_KEY])


def _atomic(path: Path, write: Callable) -> None:
    """Write through a temporary file in the same folder, fsync, then rename into place."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _lock(path: Path):
    """An exclusive lock on `path`, held while the returned file is open."""
    handle = open(path, "a+")
    try:
        import fcntl
    except ImportError:                        # no fcntl (Windows): no lock
        return handle
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        raise ScenarioError("--out", str(path.parent), "a folder no other `pressure experiment` "
                            "is writing to (one is running on it now)") from None
    return handle
