"""`--cluster slurm|pbs`: Dask workers submitted as batch jobs through dask-jobqueue, scaled
to the work.

The command starts the scheduler in its own process (on the login node), and dask-jobqueue
submits jobs of `cores` single-threaded workers each (a run is Python and numpy and does not
gain from threads) as the runs handed out call for them, up to `jobs` jobs (adaptive scaling:
jobs end when there is nothing left for them). Workers run this command's Python
(`sys.executable`), so the virtual environment must be on a file system the compute nodes
share; every worker's code is checked against the command's (executors.py). `--job-script`
prints the batch script one job would run, without submitting anything.
"""

from __future__ import annotations

from dataclasses import dataclass

KINDS = {"slurm": "SLURMCluster", "pbs": "PBSCluster"}


@dataclass(frozen=True)
class JobSpec:
    kind: str                   # slurm or pbs
    jobs: int                   # at most this many jobs at once
    cores: int                  # worker processes (one thread each) per job
    memory: str                 # per job, e.g. "16GB"
    walltime: str               # per job, e.g. "02:00:00"
    queue: str | None = None    # partition (SLURM) or queue (PBS)
    account: str | None = None
    prologue: tuple[str, ...] = ()   # shell lines before the worker starts (module load ...)

    @property
    def threads(self) -> int:
        return self.jobs * self.cores


def start(spec: JobSpec):
    """A dask-jobqueue cluster for `spec`, not yet scaled (its scheduler runs here)."""
    import dask_jobqueue

    cluster_class = getattr(dask_jobqueue, KINDS[spec.kind])
    return cluster_class(cores=spec.cores, processes=spec.cores, memory=spec.memory,
                         walltime=spec.walltime, queue=spec.queue, account=spec.account,
                         job_script_prologue=list(spec.prologue), job_name="pressure-worker")


def scale(cluster, spec: JobSpec) -> None:
    """Adaptive: from no job to `spec.jobs`, following the runs handed out."""
    cluster.adapt(minimum_jobs=0, maximum_jobs=spec.jobs)
