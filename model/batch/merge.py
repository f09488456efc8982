"""`pressure merge DIR... --out DIR`: one experiment folder from the folders of its shards.

Refused, with one line and nothing written, unless the folders are every shard of one
experiment (same fingerprint: file content, `--set` values and resolved scenarios; same number
of shards and runs), each shard once, every run done and every run file whole (verify.py). The
merged folder is what an unsharded `pressure experiment` would have written: the run files,
the design, the combined tables in plan order, and a manifest whose sessions are all the
shards' (each labelled with its shard). The same experiment command resumes it (nothing left to
run) or grows it by replicates; `pressure report` reads it as any other.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..config.errors import ScenarioError
from .manifest import now, read_manifest, set_counts, write_manifest
from .runs import ID_COLUMNS
from .storage import ResultStore, Storage


@dataclass(frozen=True)
class RecordedRun:
    """A run as its manifest record gives it: what `ResultStore.combine` reads of a spec."""

    record: dict

    @property
    def run_id(self) -> str:
        return self.record["run_id"]

    @property
    def params(self) -> dict:
        return dict(self.record.get("params") or {})

    def columns(self) -> dict:
        ids = {k: self.record[k] for k in ID_COLUMNS}
        return {**ids, "seed_str": str(ids["seed"])}


def merge(folders: list[Path], out: Path) -> tuple[Path, int]:
    """Write `out` from the shard folders; returns it and the number of runs. The folder is
    built under a temporary name beside `out` and renamed into place when whole."""
    out = Path(out)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise ScenarioError("--out", str(out), "a new or empty folder for the merged experiment")
    if any(out.resolve() == Path(f).resolve() for f in folders):
        raise ScenarioError("--out", str(out), "a folder other than the shards'")
    shards = _read_shards(folders)
    first = shards[0][1]
    runs = _plan_order(shards)
    for folder, manifest in shards:
        _check_done(folder, manifest)
    out.parent.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix=f".{out.name}.merging-", dir=out.parent))
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(building, 0o777 & ~umask)          # as a folder made by mkdir would be
    try:
        layout = ResultStore(shards[0][0]).layout
        store = ResultStore(building, Storage(layout.name, float("inf")))   # parts by size
        store.claim(first["fingerprint"], first["experiment"].get("name", "?"),
                    first["experiment"].get("source", "?"), {r["run_id"] for r in runs})
        store.open()
        _copy_runs(shards, runs, store)
        shutil.copyfile(shards[0][0] / "design.parquet", building / "design.parquet")
        write_manifest(building, _merged_manifest(shards, runs, folders))
        store.combine([RecordedRun(r) for r in runs])
        store.release()
        if out.exists():
            out.rmdir()                          # empty, checked above
        os.replace(building, out)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    return out, len(runs)


def _read_shards(folders: list[Path]) -> list[tuple[Path, dict]]:
    shards = []
    for folder in folders:
        manifest = read_manifest(folder) if folder.is_dir() else None
        if manifest is None:
            raise ScenarioError(str(folder), None, "a shard folder written by `pressure "
                                "experiment --shard I/N` (it has no manifest.json)")
        if not isinstance(manifest.get("shard"), dict):
            raise ScenarioError(str(folder / "manifest.json"), "shard", "a shard folder "
                                "(written with --shard I/N; this one ran every run)")
        shards.append((folder, manifest))
    (base, ref), count = shards[0], shards[0][1]["shard"]["count"]
    for folder, manifest in shards[1:]:
        if manifest["fingerprint"] != ref["fingerprint"]:
            raise ScenarioError(str(folder / "manifest.json"), "fingerprint",
                                f"a shard of the experiment in {base} (the file content, --set "
                                "values or resolved scenarios differ)")
        mine, theirs = manifest["shard"], ref["shard"]
        if (mine["count"], mine["total_runs"]) != (theirs["count"], theirs["total_runs"]):
            raise ScenarioError(str(folder / "manifest.json"), "shard",
                                f"one of {theirs['count']} shards of {theirs['total_runs']} runs "
                                f"like {base} (it is one of {mine['count']} of "
                                f"{mine['total_runs']})")
    indices = [m["shard"]["index"] for _, m in shards]
    twice = sorted({i for i in indices if indices.count(i) > 1})
    if twice:
        raise ScenarioError("merge", None, "each shard once", f"shard {twice[0]} twice")
    missing = sorted(set(range(1, count + 1)) - set(indices))
    if missing:
        raise ScenarioError("merge", None, f"all {count} shards",
                            "missing shard " + ", ".join(str(i) for i in missing))
    return sorted(shards, key=lambda s: s[1]["shard"]["index"])


def _plan_order(shards: list[tuple[Path, dict]]) -> list[dict]:
    """The runs in the unsharded plan's order: shard I's m-th run sat at m*N + I - 1."""
    count = len(shards)
    total = shards[0][1]["shard"]["total_runs"]
    order: list[dict | None] = [None] * total
    for _, manifest in shards:
        index = manifest["shard"]["index"]
        for m, run in enumerate(manifest["runs"]):
            order[m * count + index - 1] = run
    if any(r is None for r in order):
        raise ScenarioError(str(shards[0][0] / "manifest.json"), "runs",
                            f"{total} runs over the shards (the manifests hold fewer)")
    return order


def _check_done(folder: Path, manifest: dict) -> None:
    store = ResultStore(folder)
    left = [r for r in manifest["runs"] if r["status"] != "done"]
    if left:
        raise ScenarioError(str(folder), None, f"a finished shard ({len(left)} of "
                            f"{len(manifest['runs'])} runs not done: run its command again)")
    problems = store.problems(manifest["runs"])
    for run in manifest["runs"]:
        if run["run_id"] in problems:
            raise ScenarioError(str(folder), None, f"whole run files ({problems[run['run_id']]}"
                                ": run the shard's command again, it redoes that run)")


def _copy_runs(shards: list[tuple[Path, dict]], runs: list[dict], store: ResultStore) -> None:
    """Every shard's runs into `store`, in plan order (each shard is read once, in order, as
    its runs sit in every N-th place of the plan)."""
    readers = {manifest["shard"]["index"]: ResultStore(folder).layout.read(
        [r["run_id"] for r in manifest["runs"]]) for folder, manifest in shards}
    count = len(shards)
    for position, run in enumerate(runs):
        run_id, wide, stats, long = next(readers[position % count + 1])
        if run_id != run["run_id"]:
            raise ScenarioError(str(shards[position % count][0]), None, "a shard whose runs "
                                f"follow its manifest (found {run_id}, expected "
                                f"{run['run_id']})")
        store.layout.put(run_id, wide, stats, long)
    store.flush()


def _merged_manifest(shards: list[tuple[Path, dict]], runs: list[dict],
                     folders: list[Path]) -> dict:
    merged = {k: v for k, v in shards[0][1].items() if k != "shard"}
    merged["runs"] = runs
    merged["sessions"] = [{**s, "shard": f"{m['shard']['index']}/{m['shard']['count']}"}
                          for _, m in shards for s in m["sessions"]]
    starts = [m["started"] for _, m in shards if m.get("started")]
    ends = [m["ended"] for _, m in shards if m.get("ended")]
    merged["started"] = min(starts) if starts else None
    merged["ended"] = max(ends) if ends else None
    merged["merged"] = {"at": now(), "shards": len(shards),
                        "from": [str(f) for f in folders]}
    set_counts(merged)
    return merged
