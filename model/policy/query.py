"""`pressure query DIR "SQL"`: DuckDB views over an experiment folder's tables, for questions
the report does not answer (which runs, which days, which combinations).

The views scan the Parquet files in place through Arrow datasets (nothing is loaded that the
query does not touch), and the connection has no file access of its own: a query cannot write
into a results folder, or anywhere else.

    summary     one row per run: ids, the design's inputs, every outcome's mean and final value
    timeseries  one row per run and day
    long        per-service and per-region outcomes, one row per run, day and key
    design      one row per design point
    runs        the manifest's runs: run_id, scenario, point, replicate, seed, status
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..config.errors import ScenarioError

VIEWS = {"summary": "summary.parquet", "timeseries": "timeseries.parquet",
         "long": "outcomes_long.parquet", "design": "design.parquet"}


def query(folder: Path, sql: str) -> pd.DataFrame:
    """The query's result; ScenarioError (one line) for a folder that is not a finished
    experiment or a query DuckDB refuses."""
    import duckdb
    import pyarrow.dataset

    from ..batch.manifest import read_manifest

    folder = Path(folder)
    manifest = read_manifest(folder) if folder.is_dir() else None
    if manifest is None:
        raise ScenarioError(str(folder), None, "an experiment folder (with manifest.json) made "
                            "by `pressure experiment`")
    pending = sum(r["status"] == "pending" for r in manifest["runs"])
    if pending or not (folder / "summary.parquet").is_file():
        raise ScenarioError(str(folder), None, "a finished experiment (its combined tables are "
                            "written when every run has been tried: run `pressure experiment` "
                            "again with the same file and flags)")
    con = duckdb.connect(":memory:")
    try:
        for view, name in VIEWS.items():
            if (folder / name).is_file():
                con.register(view, pyarrow.dataset.dataset(folder / name, format="parquet"))
        runs = pd.DataFrame([{k: r.get(k) for k in ("run_id", "scenario", "point", "replicate",
                                                      "status")} | {"seed": str(r.get("seed"))}
                             for r in manifest["runs"]])
        con.register("runs", runs)
        con.execute("SET enable_external_access = false")
        try:
            return con.execute(sql).df()
        except duckdb.Error as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise ScenarioError(str(folder), "SQL", f"a query DuckDB can run over the views "
                                f"{', '.join([*VIEWS, 'runs'])} ({first})") from None
    finally:
        con.close()
