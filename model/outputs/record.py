"""What a single run was given, written beside its data, and the public way to run it again.

`pressure run` writes `run.json` (scenario files and their content, `--set`/`--users`/`--days`
overrides, seed, the resolved parameters, package versions, code revision and dirty flag) and
`scenario.toml` (the resolved scenario, loadable as it is). `rerun` rebuilds the run from that
record, or from an experiment's manifest and a run id, and returns the same time series bit for
bit.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import tempfile
from pathlib import Path

from ..config.errors import ScenarioError

RECORD = "run.json"
RESOLVED = "scenario.toml"
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def run_record(scenario, seed: int, overrides: dict[str, object]) -> dict[str, object]:
    """The record of one run: enough to rebuild it and to tell which code made it."""
    from ..batch.manifest import environment

    sources = {}
    for name in scenario.files:
        try:
            sources[name] = Path(name).read_text(encoding="utf-8")
        except OSError:
            sources[name] = None
    return {"scenario": scenario.name, "files": list(scenario.files), "file_content": sources,
            "overrides": {k: _plain(v) for k, v in overrides.items()}, "seed": seed,
            "resolved": scenario.to_dict(), "environment": environment()}


def folder_name(scenario_name: str, seed: int, overrides: dict[str, object]) -> str:
    """`<scenario>-seed<N>`, plus the overrides (`-users=2000-enforcement_intensity=0.8`) or,
    when they make too long a name, a short hash of them: runs with different inputs never
    share a folder."""
    base = f"{scenario_name}-seed{seed}"
    if not overrides:
        return base
    items = sorted((k, str(_plain(v))) for k, v in overrides.items())
    text = "-".join(f"{k}={re.sub(r'[^A-Za-z0-9._-]', '_', v)}" for k, v in items)
    if len(text) <= 80:
        return f"{base}-{text}"
    digest = hashlib.sha256(json.dumps(items).encode("utf-8")).hexdigest()[:10]
    return f"{base}-set{digest}"


def scenario_from_dict(data: dict[str, object], source: str = "resolved scenario"):
    """A `Scenario` from its resolved form (`Scenario.to_dict()`, or the same read back from
    JSON, where dates are ISO strings): what a run record and an experiment's manifest store."""
    from ..config.loader import load_scenario
    from ..config.toml_out import dumps

    if not isinstance(data, dict) or "name" not in data:
        raise ScenarioError(source, None, "a resolved scenario (a table with a name)")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{data['name']}.toml"
        path.write_text(dumps(_dates(data)), encoding="utf-8")
        try:
            return load_scenario(path)
        except ScenarioError as exc:        # name the record, not the scratch file
            raise ScenarioError(source, exc.key, exc.expected, exc.got) from None


def rerun(folder: str | Path, run_id: str | None = None, long: bool = False):
    """Run again what `folder` records: a `pressure run` folder (its `run.json`), or an
    experiment folder's `manifest.json` and `run_id`. Returns what `model.run` returns."""
    from ..api import run

    scenario, seed = recorded(Path(folder), run_id)
    return run(scenario, seed=seed, long=long)


def recorded(folder: Path, run_id: str | None = None):
    """The (scenario, seed) a run folder or an experiment's run records; ScenarioError naming
    the file and key when the record is missing or is not one `pressure` wrote."""
    if run_id is None:
        path = folder / RECORD
        data = _read(path, f"a run folder written by `pressure run` (with {RECORD})")
        for key in ("resolved", "seed"):
            if key not in data:
                raise ScenarioError(str(path), key, "a run record as `pressure run` writes it")
        return scenario_from_dict(data["resolved"], f"{path}: resolved"), int(data["seed"])
    path = folder / "manifest.json"
    data = _read(path, "an experiment folder (with manifest.json) for --run")
    runs = {r.get("run_id"): r for r in data.get("runs", []) if isinstance(r, dict)}
    if run_id not in runs:
        import difflib

        close = difflib.get_close_matches(run_id, [str(k) for k in runs], n=1)
        hint = f" (did you mean {close[0]}?)" if close else ""
        raise ScenarioError(str(path), "runs", f"a run id of this experiment{hint}", run_id)
    entry = runs[run_id]
    scenarios = {s["name"]: s for s in data.get("scenarios", [])}
    if entry.get("scenario") not in scenarios or "params" not in entry:
        raise ScenarioError(str(path), f"runs[{run_id}]", "a run record with its scenario and "
                            "design point (manifests written before runs kept their point "
                            "cannot be rerun)")
    base = scenario_from_dict(scenarios[entry["scenario"]]["resolved"],
                              f"{path}: scenarios[{entry['scenario']}]")
    return (base.with_overrides(_dates(entry["params"]), source=f"{path}: runs[{run_id}]"),
            int(entry["seed"]))


def _read(path: Path, expected: str) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ScenarioError(str(path.parent), None, expected) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ScenarioError(str(path), None, f"JSON as `pressure` writes it ({exc})") from None
    if not isinstance(data, dict):
        raise ScenarioError(str(path), None, "a JSON object as `pressure` writes it")
    return data


def _dates(value: object) -> object:
    """ISO date strings (as JSON stores dates) back to dates, inside tables and arrays."""
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, dict):
        return {k: _dates(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_dates(v) for v in value]
    return value


def _plain(value: object) -> object:
    from ..config.schema import plain_scalar

    value = plain_scalar(value)
    return value.isoformat() if isinstance(value, dt.date) else value


def same_series(stored, fresh) -> bool:
    """Whether a stored time series equals a fresh one bit for bit, over the fresh one's
    columns (an experiment's run file adds id and design columns). Dates are compared as
    dates: Parquet keeps them in milliseconds, a fresh frame in seconds."""
    if not set(fresh.columns) <= set(stored.columns) or len(stored) != len(fresh):
        return False
    for column in fresh.columns:
        a, b = stored[column].reset_index(drop=True), fresh[column].reset_index(drop=True)
        if a.dtype.kind == "M" and b.dtype.kind == "M":
            a, b = a.astype("datetime64[ns]"), b.astype("datetime64[ns]")
        if not a.equals(b):
            return False
    return True
