"""What an experiment (or one run) may ask of this machine, checked before any work starts.

- Runs: at most `MAX_RUNS` unless `--max-runs` allows more. Counted from the design's size, never
  by building it, so `replicates = 1000000000` or `samples = 1000000000` is one line, not an
  hour of planning or a numpy ArrayMemoryError.
- Memory: a run needs about `RUN_BASE_BYTES` plus, per user, `BYTES_PER_USER` and
  `BYTES_PER_CONTACT` for each mean contact (measured with Model 2.0's users and services, the
  shipped 2017 case: peak RSS 389 MB at 200,000 users and 10 contacts, 823 MB at 40 contacts,
  803 MB at 600,000 users and 10 contacts). Runs in flight at once times the largest run's need must fit in the machine's
  memory (or its cgroup's limit), unless `--skip-memory-check`. The constants follow the model's
  data structures: measure them again when those change (docs/performance.md).
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Mapping
from pathlib import Path

from ..config.errors import ScenarioError
from .experiment import SAMPLED, Experiment

MAX_RUNS = 100_000
RUN_BASE_BYTES = 200 * 2**20             # the interpreter and the libraries a run imports
BYTES_PER_USER = 330                     # traits, state, services' choices and contacts
BYTES_PER_CONTACT = 76                   # per user and mean contact: the social network
_CGROUP_LIMIT = Path("/sys/fs/cgroup/memory.max")


def design_points(experiment: Experiment) -> int:
    """The number of design points, from the design's sizes alone."""
    d = experiment.design
    match d.kind:
        case "grid":
            return math.prod(len(v) for v in d.parameters.values())
        case "list":
            return len(next(iter(d.parameters.values()), [None]))
        case "lhs":
            return d.samples
        case "morris":
            return d.trajectories * (len(d.parameters) + 1)
        case "sobol":
            return d.samples * ((2 if d.second_order else 1) * len(d.parameters) + 2)
    raise ValueError(f"unknown design kind {d.kind!r}")


def check_run_count(experiment: Experiment, max_runs: int = MAX_RUNS) -> int:
    """The number of runs; ScenarioError when it exceeds `max_runs`."""
    points = design_points(experiment)
    scenarios = len(experiment.scenarios)
    runs = scenarios * points * experiment.replicates
    if runs > max_runs:
        kind = experiment.design.kind
        plural = "s" if scenarios != 1 else ""
        raise ScenarioError(experiment.source, None, f"at most {max_runs:,} runs (this "
                            f"experiment has {runs:,}: {scenarios} scenario{plural} x "
                            f"{points:,} {kind} design points x {experiment.replicates:,} "
                            "replicates"
                            + ("; the design's size is its samples or trajectories"
                               if kind in SAMPLED else "")
                            + "); pass --max-runs N to allow more")
    return runs


def run_bytes(params: Mapping[str, object]) -> int:
    """The estimated peak memory of one run with these parameter values."""
    users = int(params["users"])
    return RUN_BASE_BYTES + users * int(BYTES_PER_USER + BYTES_PER_CONTACT
                                        * float(params["mean_degree"]))


def machine_bytes() -> int | None:
    """This machine's memory, or the cgroup's limit when lower; None when unknown."""
    try:
        total = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, OSError, ValueError):
        total = None
    try:
        limit = int(_CGROUP_LIMIT.read_text().strip())
    except (OSError, ValueError):               # "max", or no cgroup v2
        limit = None
    known = [b for b in (total, limit) if b and b > 0]
    return min(known) if known else None


def check_memory(runs: Iterable[Mapping[str, object]], in_flight: int, source: str) -> None:
    """ScenarioError when `in_flight` runs at once of the largest of `runs` (parameter
    dictionaries) would not fit in this machine's memory."""
    available = machine_bytes()
    largest = max(runs, key=run_bytes, default=None)
    if available is None or largest is None:
        return
    need = run_bytes(largest) * in_flight
    if need > available:
        at_once = f"{in_flight} runs at once" if in_flight > 1 else "one run"
        verb = "need" if in_flight > 1 else "needs"
        fewer = "fewer --workers, " if in_flight > 1 else ""
        raise ScenarioError(source, None, f"runs that fit in this machine's memory "
                            f"({_gb(available)}): {at_once} of {int(largest['users']):,} users "
                            f"with {float(largest['mean_degree']):g} contacts each {verb} about "
                            f"{_gb(need)}; use {fewer}fewer users, or pass --skip-memory-check")


def _gb(size: int) -> str:
    return f"{size / 2**30:.1f} GB"
