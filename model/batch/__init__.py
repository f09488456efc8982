"""The batch engine: experiment files, designs and seeds, one run, executors, storage.

Split as EMA Workbench splits it, so that where runs execute (one process, local processes, a
Dask cluster) never touches what a run is or how its results are kept:

- `experiment.py`  parse and validate an experiment TOML file into an `Experiment`
- `designs.py`     the design points (grid, list, lhs, morris, sobol)
- `seeds.py`       every run's seed from the root seed (common random numbers)
- `runs.py`        plan the runs; execute one run, capturing a failure as data
- `limits.py`      how many runs, and how much memory, before any work
- `executors.py`   serial, local processes, Dask distributed (runs in flight capped, retries,
                   every worker's code checked)
- `job_cluster.py` `--cluster slurm|pbs`: workers as batch jobs (dask-jobqueue), adaptive
- `parent_watch.py` local workers end with the command, however it ends
- `scheduler_address.py` `--scheduler`: the address checked, the scheduler asked, in bounded time
- `storage.py`     an experiment folder: claimed, runs stored as they finish, combined tables
- `parts.py`       the default layout: a few Parquet part files and a journal of finished runs
- `run_files.py`   `--storage per-run`: two Parquet files per run (and older folders)
- `atomic.py`      whole files or none: temporary name, fsync, rename
- `folder_lock.py` one command per results folder, locked before it is looked at
- `verify.py`      a run counts as done only when its stored tables hold it, whole
- `manifest.py`    what was run, with which code, when
- `progress.py`    the progress bar
- `adaptive.py`    `--precision W`: replicates added in rounds until every interval is narrow
- `shards.py`      `--shard I/N`: every Nth run of the plan, for splitting across machines
- `merge.py`       `pressure merge`: shards checked to belong together, then one folder
- `engine.py`      ties them together: `run_experiment`
- `cli.py`         `pressure experiment`, `pressure report` and `pressure merge`
"""

import importlib

_WHERE = {"Design": ".designs", "build_design": ".designs", "ExperimentOutcome": ".engine",
          "run_experiment": ".engine", "Experiment": ".experiment",
          "load_experiment": ".experiment", "RunResult": ".runs", "RunSpec": ".runs",
          "plan_runs": ".runs", "run_one": ".runs", "design_seed": ".seeds",
          "run_seed": ".seeds"}


def __getattr__(name: str):
    """The names above, loaded on first use: `pressure --help` need not import pandas."""
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_WHERE[name], __name__), name)
    globals()[name] = value
    return value

__all__ = ["Design", "Experiment", "ExperimentOutcome", "RunResult", "RunSpec", "build_design",
           "design_seed", "load_experiment", "plan_runs", "run_experiment", "run_one",
           "run_seed"]
