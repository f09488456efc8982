"""Read an experiment folder: manifest, design, summary and time series.

The combined tables are written when an experiment completes; for a folder still running or
interrupted, they are assembled from the per-run files so that a report can be had at any time
(it then says how many runs it covers).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ..config.errors import ScenarioError


@dataclass
class ExperimentData:
    folder: Path
    manifest: dict
    design: pd.DataFrame        # one row per design point
    summary: pd.DataFrame       # one row per finished run
    timeseries: pd.DataFrame    # one row per finished run and day
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


def load_experiment_folder(folder: Path) -> ExperimentData:
    folder = Path(folder)
    path = folder / "manifest.json"
    if not path.is_file():
        raise ScenarioError(str(folder), None, "an experiment folder (with manifest.json) made "
                            "by `pressure experiment`")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ScenarioError(str(path), None, f"a readable manifest ({exc})") from None
    design = pd.read_parquet(folder / "design.parquet")
    combined = (folder / "summary.parquet").is_file() and (folder / "timeseries.parquet").is_file()
    pending = manifest.get("counts", {}).get("pending", 1)
    if combined and pending == 0:
        summary = pd.read_parquet(folder / "summary.parquet")
        timeseries = pd.read_parquet(folder / "timeseries.parquet")
        return ExperimentData(folder, manifest, design, summary, timeseries, True)
    summary, timeseries = _from_run_files(folder, manifest, design)
    return ExperimentData(folder, manifest, design, summary, timeseries, False)


def _from_run_files(folder: Path, manifest: dict, design: pd.DataFrame):
    """Summary and time series from runs/*.parquet, for a folder that has not completed."""
    from ..batch.storage import SUMMARY_KEY

    points = design.set_index("point")
    params = [c for c in design.columns if c != "point" and not c.startswith("sample.")]
    tables, rows = [], []
    for run in manifest["runs"]:
        path = folder / "runs" / f"{run['run_id']}.parquet"
        if not path.is_file():
            continue
        table = pq.read_table(path)
        stats = json.loads(table.schema.metadata[SUMMARY_KEY])
        ids = {k: run[k] for k in ("run_id", "scenario", "point", "replicate", "seed")}
        values = {p: points.at[run["point"], p] for p in params}
        rows.append({**ids, **values,
                     **{k: v for k, v in stats.items() if k.endswith(("_final", "_mean"))}})
        tables.append(table.replace_schema_metadata(None))
    summary = pd.DataFrame(rows)
    timeseries = pa.concat_tables(tables).to_pandas() if tables else pd.DataFrame()
    return summary, timeseries
