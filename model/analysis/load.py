"""Read an experiment folder: manifest, design, summary and time series, checked for consistency.

A report (or a calibration) is only as good as the folder it reads, so the folder is refused,
in one line naming what is wrong, unless it is complete and consistent: every run tried, every
finished run stored whole and holding that run (verify.py), and combined tables that cover
exactly the finished runs and are not older than the stored runs. With `partial=True` an unfinished
experiment is read from its stored runs instead (the report then says how many runs it covers);
its files must still be whole.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa

from ..config.errors import ScenarioError
from ..outcomes import TimeSeries

AGAIN = "run `pressure experiment` again with the same file and flags"


@dataclass
class ExperimentData:
    folder: Path
    manifest: dict
    design: pd.DataFrame        # one row per design point
    summary: pd.DataFrame       # one row per finished run
    timeseries: pd.DataFrame    # one row per finished run and day (a `TimeSeries`)
    complete: bool              # every run has been tried and the tables combined

    @property
    def experiment(self) -> dict:
        return self.manifest["experiment"]

    @property
    def parameters(self) -> list[str]:
        return list(self.experiment["design"]["parameters"])

    @property
    def scenarios(self) -> list[str]:
        return list(self.experiment["scenarios"])

    @property
    def outcomes(self) -> list[str]:
        return list(self.experiment["outcomes"])


def load_experiment_folder(folder: Path, partial: bool = False) -> ExperimentData:
    """The folder's data; ScenarioError (one line) when it is not complete and consistent (see
    the module docstring), or with `partial`, when its run files are not whole."""
    from ..batch.manifest import read_manifest
    from ..batch.storage import ResultStore

    folder = Path(folder)
    what = "an experiment folder (with manifest.json) made by `pressure experiment`"
    if not folder.is_dir():
        raise ScenarioError(str(folder), None, what + (" (this is a file)" if folder.exists()
                                                       else ""))
    manifest = read_manifest(folder)
    if manifest is None:
        raise ScenarioError(str(folder), None, what)
    _check_experiment(manifest["experiment"], str(folder / "manifest.json"))
    design = _read_table(folder / "design.parquet", "the design table")
    store = ResultStore(folder)
    done = [r for r in manifest["runs"] if r["status"] == "done"]
    _check_run_files(store, done, folder)
    pending = sum(r["status"] == "pending" for r in manifest["runs"])
    if pending == 0:
        summary, timeseries = _combined(folder, store, done)
        return ExperimentData(folder, manifest, design, summary, TimeSeries(timeseries), True)
    if not partial:
        raise ScenarioError(str(folder), None, f"a complete experiment ({pending} of "
                            f"{len(manifest['runs'])} runs not run yet: {AGAIN} to finish it, or "
                            f"pass --partial for a report on the {len(done)} finished so far)")
    summary, timeseries = _from_run_files(store, manifest, design)
    return ExperimentData(folder, manifest, design, summary, TimeSeries(timeseries), False)


def _check_experiment(experiment: dict, source: str) -> None:
    """The keys of the manifest's `experiment` record the analyses read."""
    for key, kind in (("name", str), ("source", str), ("scenarios", list), ("reference", str),
                      ("replicates", int), ("seed", int), ("common_random_numbers", bool),
                      ("settings", dict), ("outcomes", list), ("design", dict)):
        if not isinstance(experiment.get(key), kind):
            raise ScenarioError(source, f"experiment.{key}", f"a {kind.__name__} (as `pressure "
                                "experiment` writes it)")
    design = experiment["design"]
    if not (isinstance(design.get("kind"), str) and isinstance(design.get("parameters"), dict)):
        raise ScenarioError(source, "experiment.design", "a design with a kind and parameters "
                            "(as `pressure experiment` writes it)")


def _read_table(path: Path, what: str) -> pd.DataFrame:
    if not path.is_file():
        raise ScenarioError(str(path), None, f"{what} `pressure experiment` writes (it is "
                            f"missing: {AGAIN} to write it)")
    try:
        return pd.read_parquet(path)
    except Exception as exc:  # noqa: BLE001 - any reader error means an unreadable table
        raise ScenarioError(str(path), None, f"{what} as a readable Parquet file "
                            f"({type(exc).__name__}: {AGAIN} to rewrite it)") from None


def _check_run_files(store, runs: list[dict], folder: Path) -> None:
    problems = store.problems(runs)
    for run in runs:
        if run["run_id"] in problems:
            raise ScenarioError(str(folder), None, f"an experiment whose run files are whole "
                                f"({problems[run['run_id']]}: {AGAIN} to set it aside and redo "
                                "the run)")


def _combined(folder: Path, store, done: list[dict]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The combined tables, checked against the finished runs."""
    ids = {r["run_id"] for r in done}
    if not ids:
        return pd.DataFrame(), pd.DataFrame()
    summary = _read_table(folder / "summary.parquet", "the combined summary table")
    timeseries = _read_table(folder / "timeseries.parquet", "the combined time series")
    newest = store.layout.newest(ids)
    for name, table in (("summary.parquet", summary), ("timeseries.parquet", timeseries)):
        covered = set(table["run_id"]) if "run_id" in table.columns else set()
        if covered != ids or (name == "summary.parquet" and not table["run_id"].is_unique):
            problem = f"{name} covers other runs than the {len(ids)} finished"
        elif (folder / name).stat().st_mtime_ns < newest.stat().st_mtime_ns:
            problem = f"{name} is older than {newest.relative_to(folder)}"
        else:
            continue
        raise ScenarioError(str(folder), None, f"combined tables that match its run files "
                            f"({problem}: {AGAIN} to rebuild them)")
    return summary, timeseries


def _from_run_files(store, manifest: dict, design: pd.DataFrame):
    """Summary and time series from the whole stored runs, for a folder not complete."""
    points = design.set_index("point")
    params = [c for c in design.columns if c != "point" and not c.startswith("sample.")]
    runs = {r["run_id"]: r for r in manifest["runs"]}
    stored = store.finished(runs)
    unchecked = [runs[r] for r in stored if runs[r]["status"] != "done"]
    _check_run_files(store, unchecked, store.root)
    tables, rows = [], []
    for run_id, table, stats, _ in store.layout.read([r for r in runs if r in stored]):
        run = runs[run_id]
        ids = {k: run[k] for k in ("run_id", "scenario", "point", "replicate", "seed")}
        ids["seed_str"] = str(run["seed"])
        values = {p: points.at[run["point"], p] for p in params}
        rows.append({**ids, **values,
                     **{k: v for k, v in stats.items() if k.endswith(("_final", "_mean"))}})
        tables.append(table)
    summary = pd.DataFrame(rows)
    timeseries = pa.concat_tables(tables).to_pandas() if tables else pd.DataFrame()
    return summary, timeseries
