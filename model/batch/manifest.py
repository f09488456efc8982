"""The manifest: what an experiment folder holds and how it was made.

`manifest.json` records the experiment file's content and `--set` values, the resolved scenarios,
the design, every run's seed and status (pending, done, failed with its error), package
versions, the code's git revision, whether the tree was dirty and a hash of the package's source,
and the start and end time of every session that worked on the folder (a resumed experiment has
several).

The *fingerprint* is a hash of the experiment file's content, the `--set` values and the resolved
scenarios: a folder only ever holds runs of one fingerprint.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import platform
import subprocess
import sys
from importlib import metadata
from pathlib import Path

from ..config.errors import ScenarioError
from ..config.reading import read_input
from .atomic import atomic_write
from .experiment import Experiment

FORMAT = 1
STATUSES = ("pending", "done", "failed")
_RUN_KEYS = (("run_id", str), ("scenario", str), ("point", int), ("replicate", int),
             ("seed", int))
PACKAGES = ("platform-pressure", "mesa", "numpy", "scipy", "pandas", "pyarrow", "networkx",
            "SALib", "dask", "distributed", "tqdm", "matplotlib")


def fingerprint(experiment: Experiment) -> str:
    """sha256 of the file content, the `--set` values and the resolved scenarios. A `--set
    replicates=N` is left out: more replicates grow the same experiment (run ids and seeds of
    the finished runs do not depend on it)."""
    overrides = {k: v for k, v in experiment.overrides.items() if k != "replicates"}
    data = {"experiment": experiment.text, "overrides": overrides,
            "scenarios": [s.to_dict() for s in experiment.scenarios]}
    blob = json.dumps(data, sort_keys=True, default=str).encode("utf-8")
    return hashlib.sha256(blob).hexdigest()


def now() -> str:
    return dt.datetime.now(dt.timezone.utc).astimezone().isoformat(timespec="seconds")


def environment() -> dict[str, object]:
    """Python, platform, package versions and the git state of this code."""
    packages = {}
    for name in PACKAGES:
        try:
            packages[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            packages[name] = None
    return {"python": platform.python_version(), "platform": platform.platform(),
            "executable": sys.executable, "packages": packages, "git": git_state(),
            "code_sha256": code_hash()}


def code_hash() -> str:
    """sha256 of the `model` package's source: tells sessions apart even when the git tree is
    dirty (same revision, edited files)."""
    package = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode("utf-8") + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def git_state() -> dict[str, object]:
    """The revision of the repository this package runs from, and whether its tree is dirty."""
    repo = Path(__file__).resolve().parents[2]

    def git(*args: str) -> str | None:
        try:
            done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True,
                                  text=True, timeout=10, check=True)
        except (OSError, subprocess.SubprocessError):
            return None
        return done.stdout.strip()

    revision = git("rev-parse", "HEAD")
    if revision is None:
        return {"revision": None, "dirty": None, "repository": None}
    status = git("status", "--porcelain")
    return {"revision": revision, "dirty": bool(status), "repository": str(repo)}


def new_manifest(experiment: Experiment, fingerprint_: str, design_points: int,
                 runs: list[dict[str, object]]) -> dict[str, object]:
    """A manifest for a fresh folder; `runs` are the runs' records (identity and days; all
    pending)."""
    return {
        "format": FORMAT,
        "fingerprint": fingerprint_,
        "experiment": {**experiment.describe(), "content": experiment.text},
        "scenarios": [{"name": s.name, "files": list(s.files), "resolved": s.to_dict()}
                      for s in experiment.scenarios],
        "design_points": design_points,
        "started": None,
        "ended": None,
        "counts": {},
        "sessions": [],
        "runs": [{**r, "status": "pending", "error": None} for r in runs],
    }


def set_counts(manifest: dict) -> dict[str, int]:
    counts = {"total": len(manifest["runs"]), "done": 0, "failed": 0, "pending": 0}
    for run in manifest["runs"]:
        counts[run["status"]] += 1
    manifest["counts"] = counts
    return counts


def read_manifest(folder: Path) -> dict | None:
    """The folder's manifest, None when it has none; ScenarioError (one line naming the file and
    the key) when it is not a manifest `pressure experiment` wrote."""
    path = folder / "manifest.json"
    if not (path.exists() or path.is_symlink()):
        return None
    source = str(path)
    data = read_input(path, "manifest (manifest.json as `pressure experiment` writes it)",
                      limit=None)
    try:
        manifest = json.loads(data)
    except json.JSONDecodeError as exc:
        raise ScenarioError(source, None, f"valid JSON ({exc})") from None
    except (ValueError, RecursionError) as exc:       # not UTF-8, nested too deeply
        raise ScenarioError(source, None, f"valid JSON ({type(exc).__name__})") from None
    check_manifest(manifest, source)
    return manifest


def check_manifest(manifest: object, source: str) -> None:
    """The keys the engine and the report rely on, with their types."""
    def bad(key: str | None, expected: str) -> ScenarioError:
        return ScenarioError(source, key, expected + " (as `pressure experiment` writes it)")

    if not isinstance(manifest, dict):
        raise bad(None, "a JSON object")
    for key, kind, what in (("fingerprint", str, "a string"),
                            ("experiment", dict, "an object"),
                            ("runs", list, "an array of run records"),
                            ("sessions", list, "an array of sessions")):
        if not isinstance(manifest.get(key), kind):
            raise bad(key, what)
    for i, run in enumerate(manifest["runs"]):
        if not (isinstance(run, dict) and run.get("status") in STATUSES
                and all(isinstance(run.get(k), kind) and not isinstance(run.get(k), bool)
                        for k, kind in _RUN_KEYS)):
            raise bad(f"runs[{i}]", "a run record with a run_id, scenario, point, replicate, "
                      "seed and a status (" + ", ".join(STATUSES) + ")")
    for i, session in enumerate(manifest["sessions"]):
        if not isinstance(session, dict):
            raise bad(f"sessions[{i}]", "an object")


def write_manifest(folder: Path, manifest: dict) -> None:
    """Replace manifest.json atomically: a reader never sees half of it."""
    text = (json.dumps(manifest, indent=1, default=str) + "\n").encode("utf-8")
    atomic_write(folder / "manifest.json", lambda handle: handle.write(text))
