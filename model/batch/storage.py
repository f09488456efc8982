"""An experiment folder: its runs stored as they finish, combined tables at the end.

    <folder>/manifest.json           what was run (manifest.py), and in `storage` its layout
    <folder>/design.parquet          one row per design point
    <folder>/parts/, parts_long/, journal.jsonl   finished runs, batched (parts.py; the default)
    <folder>/runs/, runs_long/       or one pair of files per run (run_files.py; --storage
                                     per-run, and folders written before batching)
    <folder>/failed/<run_id>.json    one per failed run: error and traceback
    <folder>/corrupt/                stored runs that failed verify.py, set aside
    <folder>/timeseries.parquet      all finished runs x days      } written when every run
    <folder>/outcomes_long.parquet   all finished runs' long tables } has been tried
    <folder>/summary.parquet, .csv   one row per finished run      }

Every file is written under a temporary name and moved into place with `os.replace`, so it
exists only when complete, and a run counts as done only once its layout has stored it for good:
an experiment killed at any instant resumes by rerunning exactly the runs not stored (failed
runs are retried). The folder is locked (folder_lock.py) before it is looked at, so two commands
never write one folder, and a refused command leaves none of its own traces.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ..config.errors import ScenarioError
from . import parts, run_files
from .atomic import atomic_write
from .designs import Design
from .folder_lock import FolderLock
from .manifest import read_manifest
from .runs import RunResult, RunSpec

LAYOUTS = (parts.NAME, run_files.NAME)


@dataclass(frozen=True)
class Storage:
    """How a new folder stores its runs (`--storage`, `--save-every`); a folder keeps the
    layout it was written with."""

    layout: str = parts.NAME
    save_every: float = parts.SAVE_EVERY_S


def make_layout(root: Path, manifest: dict | None, storage: Storage):
    """The layout of the folder `manifest` describes (a folder without one: `storage`'s;
    a manifest from before layouts: per-run)."""
    if manifest is None:
        name = storage.layout
    else:
        record = manifest.get("storage") or {"layout": run_files.NAME}
        name = record.get("layout") if isinstance(record, dict) else None
        if name not in LAYOUTS:
            raise ScenarioError(str(Path(root) / "manifest.json"), "storage.layout",
                                " or ".join(LAYOUTS) + " (as `pressure experiment` writes it)",
                                name)
    if name == parts.NAME:
        return parts.PartFiles(root, storage.save_every)
    return run_files.RunFiles(root)


class ResultStore:
    """The files of one experiment folder."""

    def __init__(self, root: Path, storage: Storage | None = None) -> None:
        self.root = Path(root)
        self.storage = storage or Storage()
        self.failed_dir = self.root / "failed"
        self._layout = None
        self._lock: FolderLock | None = None
        self._created: list[Path] = []        # folders this command made (removed on refusal)

    # --- before anything is written ---------------------------------------------------------

    @property
    def layout(self):
        """The folder's run layout (run_files.RunFiles or parts.PartFiles)."""
        if self._layout is None:
            self._layout = make_layout(self.root, read_manifest(self.root), self.storage)
        return self._layout

    @property
    def claimed(self) -> bool:
        return self._lock is not None

    def claim(self, fingerprint: str, name: str, source: str, run_ids: set[str],
              new_points: bool = False) -> dict | None:
        """Take the folder for this experiment: create it if needed and lock it, then look at
        what it holds. Returns its manifest when resuming. A refused command releases the lock
        and removes whatever it created (the lock file, new folders): it leaves no trace."""
        self._created = _make_folder(self.root)
        try:
            self._lock = FolderLock.acquire(self.root / ".lock")
        except BaseException:
            _remove_empty(self._created)
            raise
        try:
            manifest = self._inspect(fingerprint, name, source, run_ids, new_points)
            self._layout = make_layout(self.root, manifest, self.storage)
            return manifest
        except BaseException:
            self.release(undo=True)
            raise

    def release(self, undo: bool = False) -> None:
        """Let go of the folder; with `undo` (nothing was written), also remove the lock file
        and folders this command created."""
        if self._layout is not None:
            self._layout.abort()                # a part left open: its runs run again
        if self._lock is not None:
            self._lock.release(remove=undo)
            self._lock = None
        if undo:
            _remove_empty(self._created)
        self._created = []

    def _inspect(self, fingerprint: str, name: str, source: str, run_ids: set[str],
                 new_points: bool = False) -> dict | None:
        """Refuse a folder that holds something else; return its manifest when resuming."""
        manifest = read_manifest(self.root)
        if manifest is None:
            if any(p.name != ".lock" for p in self.root.iterdir()):
                raise ScenarioError("--out", str(self.root), "an empty folder or an experiment "
                                    "folder (it has files but no manifest.json)")
            return None
        if manifest["fingerprint"] != fingerprint:
            held = manifest["experiment"]
            raise ScenarioError(
                "--out", str(self.root),
                f"a folder for this experiment ({name!r} from {source}), but it holds a different "
                f"one ({held.get('name')!r} from {held.get('source')}; the file content, --set "
                "values or resolved scenarios differ): use another --out or remove the folder")
        held_ids = {r["run_id"] for r in manifest["runs"]}
        last = max((r["replicate"] for r in manifest["runs"]), default=-1)
        points = 1 + max((r["point"] for r in manifest["runs"]), default=-1)
        added = run_ids - held_ids         # more replicates (or, growing, of new points)
        if not held_ids <= run_ids or any(_replicate(i) <= last and not
                                          (new_points and _point(i) >= points) for i in added):
            raise ScenarioError(str(self.root / "manifest.json"), "runs", "the runs of this "
                                "experiment or more replicates of them (it holds other runs: "
                                "fewer replicates, or the manifest was changed after it was "
                                "written)")
        return manifest

    # --- while running --------------------------------------------------------------------

    def open(self) -> None:
        """Create the run folders and clear temporary files a killed run left (the folder must
        be claimed)."""
        if self._lock is None:
            raise RuntimeError("open() before claim()")
        for folder in (self.root, self.failed_dir):
            folder.mkdir(parents=True, exist_ok=True)
        self.layout.open()
        self._created = []                     # written to now: never removed
        for folder in (self.root, self.failed_dir):
            for stale in folder.glob(".*.tmp"):
                stale.unlink(missing_ok=True)

    def close(self) -> None:
        self.release()

    def finished(self, run_ids) -> set[str]:
        """Those of `run_ids` the layout has stored; whether whole is `problems`' to say."""
        return self.layout.finished(run_ids)

    def problems(self, runs) -> dict[str, str]:
        """run_id -> what is wrong with its stored tables, for the runs (manifest records)
        whose tables do not hold them, whole (verify.py)."""
        return self.layout.problems(runs)

    def set_aside(self, run_ids) -> Path:
        """Move these runs' files out of the way, into corrupt/ (kept); they run again."""
        return self.layout.set_aside(run_ids)

    def save(self, result: RunResult) -> list[str]:
        """Store a finished run, or write a failed run's error, atomically. Returns the runs
        now stored for good (a batched layout holds runs back until its part is written)."""
        if result.status == "done":
            long = None if result.long is None else \
                pa.Table.from_pandas(result.long, preserve_index=False)
            wide = pa.Table.from_pandas(result.timeseries, preserve_index=False)
            (self.failed_dir / f"{result.run_id}.json").unlink(missing_ok=True)
            return self.layout.put(result.run_id, wide, result.summary, long)
        record = {"run_id": result.run_id, "error": result.error,
                  "traceback": result.traceback, "host": result.host}
        text = json.dumps(record, indent=1).encode("utf-8")
        atomic_write(self.failed_dir / f"{result.run_id}.json", lambda handle: handle.write(text))
        return []

    def flush(self) -> list[str]:
        """Store for good every run held back; returns them."""
        return self.layout.flush()

    def write_design(self, design: Design) -> None:
        frame = design_frame(design)
        atomic_write(self.root / "design.parquet",
                lambda handle: frame.to_parquet(handle, index=False))

    # --- at the end ------------------------------------------------------------------------

    def combine(self, specs: Iterable[RunSpec]) -> list[Path]:
        """timeseries.parquet, summary.parquet and summary.csv from the finished runs' files,
        in plan order. Summary rows are built from the spec (typed parameter values) and the
        statistics stored with the run."""
        tables, rows, longs = [], [], []
        specs = {spec.run_id: spec for spec in specs}
        for run_id, table, stats, long in self.layout.read(specs):
            spec = specs[run_id]
            if long is not None:
                longs.append(long)
            rows.append({**spec.columns(), **spec.params,
                         **{k: v for k, v in stats.items() if k.endswith(("_final", "_mean"))}})
            tables.append(table)
        from ..outputs.csv_tables import remove_csv_copies

        remove_csv_copies(self.root)            # `--format csv` writes them afresh
        out = [self.root / "timeseries.parquet", self.root / "summary.parquet",
               self.root / "summary.csv"]
        if not tables:                  # no run finished: no tables, and none from before
            for path in out:
                path.unlink(missing_ok=True)
            return []
        timeseries = pa.concat_tables(tables, promote_options="permissive")  # older float counts
        summary = pd.DataFrame(rows)
        atomic_write(out[0], lambda handle: pq.write_table(timeseries, handle))
        atomic_write(out[1], lambda handle: summary.to_parquet(handle, index=False))
        atomic_write(out[2], lambda handle: handle.write(summary.to_csv(index=False).encode()))
        if longs:
            long = pa.concat_tables(longs, promote_options="default")
            out.append(self.root / "outcomes_long.parquet")
            atomic_write(out[-1], lambda handle: pq.write_table(long, handle))
        return out


def design_frame(design: Design) -> pd.DataFrame:
    """One row per point: the values run, and for sampled designs the unrounded sample."""
    frame = pd.DataFrame([{"point": i, **p} for i, p in enumerate(design.points)])
    if design.sample is not None:
        for j, name in enumerate(design.names):
            frame[f"sample.{name}"] = design.sample[:, j]
    return frame


def _make_folder(root: Path) -> list[Path]:
    """Create `root` and missing parents; return those created, innermost last. Refuses, as bad
    input, a path under a file or one the system will not create (read-only, /proc, too long)."""
    missing: list[Path] = []
    try:
        existing = root
        while not existing.exists():
            missing.append(existing)
            existing = existing.parent
        usable = existing.is_dir()
    except OSError as exc:
        raise ScenarioError("--out", str(root), f"a usable folder path ({exc.strerror})") from None
    if not usable:
        raise ScenarioError("--out", str(root), "a folder (this is a file)" if existing == root
                            else f"a folder ({existing} is a file)")
    created: list[Path] = []
    for folder in reversed(missing):
        try:
            folder.mkdir()
        except FileExistsError:
            continue
        except OSError as exc:
            _remove_empty(created)
            raise ScenarioError("--out", str(root), "a folder that can be created "
                                f"({exc.strerror or type(exc).__name__})") from None
        created.append(folder)
    return created


def _remove_empty(created: list[Path]) -> None:
    """Remove folders this command created, innermost first, if they are still empty."""
    for folder in reversed(created):
        try:
            folder.rmdir()
        except OSError:
            pass


def _point(run_id: str) -> int:
    """The design point a run id names."""
    return int(run_id.rsplit("__p", 1)[1].split("__r", 1)[0])


def _replicate(run_id: str) -> int:
    """The replicate a run id names (`<scenario>__p<point>__r<replicate>`)."""
    return int(run_id.rsplit("__r", 1)[1])
