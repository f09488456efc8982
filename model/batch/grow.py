"""Growing a grid experiment by points: more values of its parameters into the same folder.

A folder holds one experiment (manifest.fingerprint). An edited file (or `--set`) whose only
differences are more values in the grid's lists, or more replicates, still describes a larger
version of the same experiment, provided every finished run keeps its id, seed and values. Grid
points are numbered in the order of `itertools.product`, so a value added anywhere but at the
end of the first list would renumber the old points (and, without common random numbers, their
seeds); here the folder's points keep their numbers and the new points are numbered after them.
The manifest and design.parquet record every point's number and values, so any run can still be
rebuilt from the folder (`pressure rerun`). Anything else that differs is still refused.
"""

from __future__ import annotations

import json

from .designs import Design

_GROWABLE = ("replicates", "design", "overrides", "source")


def _plain(value: object) -> object:
    return json.loads(json.dumps(value, sort_keys=True, default=str))


def grown_design(experiment, design: Design, manifest: dict) -> Design | None:
    """`design` with the folder's points first, under their numbers, when `experiment` only
    adds grid values (or replicates) to the folder's experiment; else None."""
    held, new = manifest.get("experiment") or {}, experiment.describe()
    if held.get("design", {}).get("kind") != "grid" or new["design"]["kind"] != "grid":
        return None
    rest = {k: v for k, v in new.items() if k not in _GROWABLE}
    if _plain(rest) != _plain({k: held.get(k) for k in rest}):
        return None
    old, grown = held["design"]["parameters"], new["design"]["parameters"]
    if list(old) != list(grown) or any(not all(v in grown[k] for v in old[k]) for k in old):
        return None
    scenarios = [s.get("resolved") for s in manifest.get("scenarios", [])]
    if _plain(scenarios) != _plain([s.to_dict() for s in experiment.scenarios]):
        return None
    held_points = {r["point"]: _plain(r["params"]) for r in manifest["runs"]}
    if sorted(held_points) != list(range(len(held_points))):
        return None
    remaining = list(design.points)
    ordered = []
    for index in range(len(held_points)):
        match = next((p for p in remaining if _plain(p) == held_points[index]), None)
        if match is None:
            return None
        remaining.remove(match)
        ordered.append(match)
    return Design(design.kind, design.names, tuple(ordered + remaining))


def keeps_runs(manifest: dict, specs) -> bool:
    """Whether every run of the folder is planned again with the same id, seed and values."""
    planned = {s.run_id: _plain(s.record()) for s in specs}
    keys = ("run_id", "scenario", "point", "replicate", "seed", "params")
    return all(r["run_id"] in planned
               and all(planned[r["run_id"]][k] == _plain(r[k]) for k in keys)
               for r in manifest["runs"])
