"""The batched layout: finished runs go into a few Parquet part files and a journal says which
(the default for new experiments; `--storage per-run` writes run_files.py's layout instead).

    parts/part-<n>.parquet        many runs' days, one row group per run, id columns first
    parts_long/part-<n>.parquet   the same runs' long tables
    journal.jsonl                 one line per finished run: its id, its part, its row counts
                                  and its summary row; the record of what is done

A Parquet file cannot be read until its footer is written, so a part is written under a
temporary name while runs arrive and is closed and renamed into place when it is due (every
`save_every` seconds, or at MAX_RUNS_PER_PART runs, or when a run's columns differ, or when the
session ends however it ends); only then are its runs' lines appended to the journal, in one
write, and only then do they count as done. An experiment killed at any instant therefore
redoes at most the runs of the part it had open (a part renamed into place but not journalled,
or a journal line cut short, is ignored, its runs redone): the journal decides, and readers
take from a part only the rows of the runs the journal places there.

Verification (verify.py) reads each part once. A run that fails leaves the journal (rewritten
whole); a part no journalled run still needs is moved to corrupt/, never deleted.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from .atomic import atomic_write, fsync_folder
from .run_files import move_aside
from .verify import CORRUPT, check_long, check_wide, unreadable

NAME = "batched"
SAVE_EVERY_S = 30.0             # default: how often finished runs are written for good
MAX_RUNS_PER_PART = 2000        # a part is closed at this many runs whatever the time
JOURNAL = "journal.jsonl"
_PART = re.compile(r"part-(\d+)\.parquet")


class PartFiles:
    """One experiment folder's parts and journal."""

    name = NAME

    def __init__(self, root: Path, save_every: float = SAVE_EVERY_S) -> None:
        self.root = Path(root)
        self.wide_dir = self.root / "parts"
        self.long_dir = self.root / "parts_long"
        self.journal = self.root / JOURNAL
        self.save_every = float(save_every)
        self._entries: dict[str, dict] | None = None
        self._open: _OpenPart | None = None
        self._next = 1

    def record(self) -> dict:
        return {"layout": NAME, "save_every_s": self.save_every}

    # --- what is stored ---------------------------------------------------------------------

    def entries(self) -> dict[str, dict]:
        """run_id -> its journal line (the last, if a run was journalled twice)."""
        if self._entries is None:
            self._entries = read_journal(self.journal)
        return self._entries

    def open(self) -> None:
        """Create the folders, clear temporary files a killed session left, number parts on."""
        for folder in (self.wide_dir, self.long_dir):
            folder.mkdir(parents=True, exist_ok=True)
            for stale in folder.glob(".*.tmp"):
                stale.unlink(missing_ok=True)
        self._entries = None
        numbers = [int(m[1]) for folder in (self.wide_dir, self.long_dir)
                   for p in folder.iterdir() if (m := _PART.fullmatch(p.name))]
        numbers += [int(m[1]) for e in self.entries().values()
                    if (m := _PART.fullmatch(f"{e['part']}.parquet"))]
        self._next = 1 + max(numbers, default=0)

    def finished(self, run_ids: Iterable[str]) -> set[str]:
        """Those of `run_ids` the journal lists, in a part that is there."""
        entries, present = self.entries(), {}
        found = set()
        for run_id in run_ids:
            entry = entries.get(run_id)
            if entry is None:
                continue
            part = entry["part"]
            if part not in present:
                present[part] = (self.wide_dir / f"{part}.parquet").is_file()
            if present[part]:
                found.add(run_id)
        return found

    def newest(self, run_ids: Iterable[str]) -> Path | None:
        """The most recently written file holding these runs: a part, or the journal."""
        parts = {self.entries()[r]["part"] for r in run_ids if r in self.entries()}
        paths = [p for part in parts for p in (self.wide_dir / f"{part}.parquet",
                                               self.long_dir / f"{part}.parquet") if p.exists()]
        paths += [self.journal] if self.journal.exists() else []
        return max(paths, key=lambda p: p.stat().st_mtime_ns, default=None)

    # --- verification -----------------------------------------------------------------------

    def problems(self, runs: Iterable[Mapping]) -> dict[str, str]:
        """run_id -> what is wrong (`<folder>/<file> <problem>`) for each of `runs` (manifest
        run records) whose stored rows do not hold it, whole; each part is read once."""
        entries, found = self.entries(), {}
        by_part: dict[str, list[Mapping]] = defaultdict(list)
        for run in runs:
            entry = entries.get(run["run_id"])
            if entry is None:
                found[run["run_id"]] = f"{JOURNAL} does not list {run['run_id']} as finished"
            else:
                by_part[entry["part"]].append(run)
        for part, group in by_part.items():
            wide = _load(self.wide_dir / f"{part}.parquet")
            long = None
            if any(entries[r["run_id"]].get("long_rows") is not None for r in group):
                long = _load(self.long_dir / f"{part}.parquet")
            for run in group:
                problem = self._problem(part, wide, long, entries[run["run_id"]], run)
                if problem is not None:
                    found[run["run_id"]] = problem
        return found

    def _problem(self, part: str, wide, long, entry: dict, run: Mapping) -> str | None:
        if entry.get("long_rows") is not None:
            where = f"parts_long/{part}.parquet"
            if isinstance(long, str):
                return f"{where} {long}"
            table = long.get(run["run_id"], _empty(long))
            if table.num_rows != entry["long_rows"]:
                return f"{where} has {table.num_rows} rows of {run['run_id']} where the " \
                       f"journal says {entry['long_rows']}"
            if (problem := check_long(table, run)) is not None:
                return f"{where} {problem}"
        where = f"parts/{part}.parquet"
        if isinstance(wide, str):
            return f"{where} {wide}"
        table = wide.get(run["run_id"], _empty(wide))
        if (problem := check_wide(table, entry.get("summary"), run, "the journal")) is not None:
            return f"{where} {problem}"
        return None

    def set_aside(self, run_ids: Iterable[str]) -> Path:
        """Take these runs out of the journal (rewritten whole) and move each part no
        journalled run still needs into `corrupt/`; returns that folder."""
        entries, leaving = self.entries(), set(run_ids)
        target = self.root / CORRUPT
        target.mkdir(exist_ok=True)
        parts = {entries[r]["part"] for r in leaving if r in entries}
        kept = {r: e for r, e in entries.items() if r not in leaving}
        text = "".join(json.dumps(e, default=str) + "\n" for e in kept.values())
        atomic_write(self.journal, lambda handle: handle.write(text.encode("utf-8")))
        self._entries = kept
        needed = {e["part"] for e in kept.values()}
        for part in sorted(parts - needed):
            for folder in (self.wide_dir, self.long_dir):
                path = folder / f"{part}.parquet"
                if path.exists():
                    move_aside(path, target, f"{folder.name}-{part}")
        return target

    # --- writing ----------------------------------------------------------------------------

    def put(self, run_id: str, wide: pa.Table, stats: dict, long: pa.Table | None) -> list[str]:
        """Add a finished run to the open part; returns the runs now stored for good (those of
        a part this closed), in the order they arrived."""
        done = []
        if self._open is not None and not self._open.accepts(wide, long):
            done += self.flush()
        if self._open is None:
            self._open = _OpenPart(self, f"part-{self._next:05d}")
            self._next += 1
        self._open.add(run_id, wide, stats, long)
        if self._open.due(self.save_every):
            done += self.flush()
        return done

    def flush(self) -> list[str]:
        """Close the open part, move it into place and journal its runs."""
        part, self._open = self._open, None
        if part is None:
            return []
        lines = part.close()
        text = "".join(json.dumps(e, default=str) + "\n" for e in lines).encode("utf-8")
        with open(self.journal, "a+b") as handle:
            if handle.tell():                    # a line a kill cut short stays apart
                handle.seek(-1, os.SEEK_END)
                if handle.read(1) != b"\n":
                    text = b"\n" + text
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        entries = self.entries()
        for entry in lines:
            entries[entry["run_id"]] = entry
        return [e["run_id"] for e in lines]

    def abort(self) -> None:
        """Drop the open part (its runs were not stored; they run again)."""
        part, self._open = self._open, None
        if part is not None:
            part.discard()

    # --- reading ----------------------------------------------------------------------------

    def read(self, run_ids: Iterable[str]
             ) -> Iterator[tuple[str, pa.Table, dict, pa.Table | None]]:
        """(run_id, wide table, summary row, long table or None) of each finished run, in the
        order given; each part is read once and let go when its last run has been given."""
        entries, run_ids = self.entries(), list(run_ids)
        done = self.finished(run_ids)
        wanted = [r for r in run_ids if r in done]
        left = defaultdict(int)
        for run_id in wanted:
            left[entries[run_id]["part"]] += 1
        loaded: dict[str, tuple] = {}
        for run_id in wanted:
            entry = entries[run_id]
            part = entry["part"]
            if part not in loaded:
                wide = _load(self.wide_dir / f"{part}.parquet", raise_errors=True)
                long = _load(self.long_dir / f"{part}.parquet", raise_errors=True) \
                    if (self.long_dir / f"{part}.parquet").exists() else {}
                loaded[part] = (wide, long)
            wide, long = loaded[part]
            table = wide.get(run_id, _empty(wide)).replace_schema_metadata(None)
            rows = long.get(run_id) if entry.get("long_rows") is not None else None
            yield run_id, table, entry["summary"], rows
            left[part] -= 1
            if not left[part]:
                del loaded[part]


class _OpenPart:
    """The part runs are being added to, under a temporary name."""

    def __init__(self, layout: PartFiles, name: str) -> None:
        self.layout, self.name = layout, name
        self.wide_tmp = layout.wide_dir / f".{name}.parquet.tmp"
        self.long_tmp = layout.long_dir / f".{name}.parquet.tmp"
        self.wide_writer: pq.ParquetWriter | None = None
        self.long_writer: pq.ParquetWriter | None = None
        self.lines: list[dict] = []
        self.started = time.monotonic()

    def accepts(self, wide: pa.Table, long: pa.Table | None) -> bool:
        """Whether the run's tables have this part's columns (a part has one schema)."""
        same = self.wide_writer is None or wide.schema.equals(self.wide_writer.schema,
                                                              check_metadata=False)
        if long is not None and self.long_writer is not None:
            same = same and long.schema.equals(self.long_writer.schema, check_metadata=False)
        return same

    def add(self, run_id: str, wide: pa.Table, stats: dict, long: pa.Table | None) -> None:
        if self.wide_writer is None:
            self.wide_writer = pq.ParquetWriter(self.wide_tmp, wide.schema)
        self.wide_writer.write_table(wide)
        if long is not None:
            if self.long_writer is None:
                self.long_writer = pq.ParquetWriter(self.long_tmp, long.schema)
            self.long_writer.write_table(long)
        self.lines.append({"run_id": run_id, "part": self.name, "rows": wide.num_rows,
                           "long_rows": None if long is None else long.num_rows,
                           "summary": stats})

    def due(self, save_every: float) -> bool:
        return (len(self.lines) >= MAX_RUNS_PER_PART
                or time.monotonic() - self.started >= save_every)

    def close(self) -> list[dict]:
        """Write the footers, make the files durable and move them into place (the long part
        first); returns the journal lines of its runs."""
        for writer, tmp, folder in ((self.long_writer, self.long_tmp, self.layout.long_dir),
                                    (self.wide_writer, self.wide_tmp, self.layout.wide_dir)):
            if writer is None:
                continue
            writer.close()
            fd = os.open(tmp, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
            os.replace(tmp, folder / f"{self.name}.parquet")
            fsync_folder(folder)
        return self.lines

    def discard(self) -> None:
        for writer, tmp in ((self.long_writer, self.long_tmp), (self.wide_writer, self.wide_tmp)):
            try:
                if writer is not None:
                    writer.close()
            except Exception:  # noqa: BLE001 - dropping it: how it ends does not matter
                pass
            tmp.unlink(missing_ok=True)


def read_journal(path: Path) -> dict[str, dict]:
    """run_id -> its last journal line; a line cut short by a kill, or not one of ours, is
    ignored (its run is not done)."""
    try:
        text = path.read_bytes().decode("utf-8", errors="replace")
    except FileNotFoundError:
        return {}
    entries = {}
    for line in text.splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if isinstance(entry, dict) and isinstance(entry.get("run_id"), str) \
                and isinstance(entry.get("part"), str) and isinstance(entry.get("rows"), int):
            entries[entry["run_id"]] = entry
    return entries


def _load(path: Path, raise_errors: bool = False) -> dict[str, pa.Table] | str:
    """A part's rows by run id (runs are contiguous: a row group each), or, when the part
    cannot be read, what is wrong with it."""
    try:
        table = pq.read_table(path)
    except FileNotFoundError:
        if raise_errors:
            raise
        return "is missing"
    except Exception as exc:  # noqa: BLE001 - any reader error means an unreadable file
        if raise_errors:
            raise
        return unreadable(exc)
    if "run_id" not in table.column_names:
        return {None: table}                   # check_wide says it is not a run file
    ids = table.column("run_id").to_pylist()
    spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
    start = 0
    for i in range(1, len(ids) + 1):
        if i == len(ids) or ids[i] != ids[start]:
            spans[ids[start]].append((start, i - start))
            start = i
    return {run_id: pa.concat_tables([table.slice(a, n) for a, n in found])
            for run_id, found in spans.items()}


def _empty(rows: dict[str, pa.Table]) -> pa.Table:
    """No rows, with the part's columns (a run the part does not hold)."""
    first = next(iter(rows.values()), None)
    return first.slice(0, 0) if first is not None else pa.table({})
