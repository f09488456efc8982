"""Run parameter sets on the calibration's cases through the batch engine and score moments.

Every case is one experiment with a list design (one point per parameter set), so each run is
seeded, kept, resumable and recorded in a manifest like any other, and a Dask scheduler can run
them. A parameter that a case's own file sets (the field experiments fix price, friction and
intensity) is left out of that case's design: the case keeps its setting.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..config.errors import ScenarioError
from ..config.parameters import BY_NAME
from .moments import Moment, compute

Statistic = Moment
"""Anything with `name`, `case` and `compute(wide, long)`: a moment, a held-out pattern, an
out-of-sample observation."""


@dataclass(frozen=True)
class Runner:
    cases: dict[str, Path]        # case name -> scenario file
    replicates: int
    users: int
    workers: int | None = None
    scheduler: str | None = None
    quiet: bool = True
    applies: dict | None = None   # case -> the parameters it takes (default: all)

    def moments(self, sets: pd.DataFrame, folder: Path, seed: int,
                moments: tuple[Statistic, ...], header: str) -> pd.DataFrame:
        """One row per (set, replicate): `point`, `replicate` and each statistic's value, the
        sets' rows in order as points 0, 1, ... Every statistic's case must be in `cases`."""
        frames: dict[str, dict[tuple[int, int], tuple]] = {}
        for case in dict.fromkeys(m.case for m in moments):
            frames[case] = self._run_case(case, sets, folder / case, seed, header)
        rows = []
        for key in sorted(frames[next(iter(frames))]):
            per_case = {case: runs[key] for case, runs in frames.items()}
            rows.append({"point": key[0], "replicate": key[1],
                         **compute(moments, per_case)})
        return pd.DataFrame(rows)

    def _run_case(self, case: str, sets: pd.DataFrame, folder: Path, seed: int,
                  header: str) -> dict[tuple[int, int], tuple]:
        from ..analysis.load import load_experiment_folder
        from ..batch.engine import run_in_folder
        from ..batch.experiment import load_experiment

        scenario = self.cases[case]
        free = [p for p in sets.columns if p not in fixed_by(scenario)
                and p in (self.applies or {}).get(case, sets.columns)]
        path = folder.with_suffix(".toml")
        write_list_experiment(path, header, f"{folder.parent.name}_{case}", scenario,
                              sets[free], self.replicates, seed, self.users)
        outcome = run_in_folder(load_experiment(path), folder, self.workers, self.scheduler,
                                quiet=self.quiet)
        if outcome.failed:
            raise ScenarioError(str(folder), None, f"every run to finish ({outcome.failed} "
                                "failed; see manifest.json, then run the command again)")
        data = load_experiment_folder(folder)
        long = pd.read_parquet(folder / "outcomes_long.parquet")
        longs = {k: g for k, g in long.groupby(["point", "replicate"])}
        out = {}
        for key, wide in data.timeseries.groupby(["point", "replicate"]):
            out[(int(key[0]), int(key[1]))] = (wide.set_index("date"),
                                               longs.get(key, long.iloc[:0]))
        return out


def fixed_by(scenario: Path) -> set[str]:
    """Short names of the parameters the scenario's own file sets (not its parents'), leaving
    out its calibrated block: those are the values the calibration itself proposes."""
    from .defaults import BEGIN, END

    text = Path(scenario).read_text(encoding="utf-8")
    if BEGIN in text and END in text:
        text = text[:text.index(BEGIN)] + text[text.index(END) + len(END):]
    doc = tomllib.loads(text)
    names = set()
    for key, value in doc.items():
        if isinstance(value, dict):
            names |= {k for k in value if k in BY_NAME}
        elif key in BY_NAME:
            names.add(key)
    return names


def write_list_experiment(path: Path, header: str, name: str, scenario: Path,
                          design: pd.DataFrame, replicates: int, seed: int, users: int,
                          outcomes: tuple[str, ...] = ("vpn_use_mean",)) -> Path:
    """An experiment file with a list design: one point per row of `design`."""
    import os

    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [
        f"# {header}",
        f'name = "{name}"',
        f'description = "{header}"',
        f'scenarios = ["{os.path.relpath(Path(scenario).resolve(), path.parent.resolve())}"]',
        f"replicates = {replicates}",
        f"seed = {seed}",
        "outcomes = [" + ", ".join(f'"{o}"' for o in outcomes) + "]",
        "",
        "[settings]",
        f"users = {users}",
        "",
        "[design]",
        'kind = "list"',
        "",
        "[design.parameters]",
    ]
    for p in design.columns:
        values = design[p].to_numpy()
        typed = (str(int(v)) if BY_NAME[p].kind is int else repr(float(v)) for v in values)
        lines.append(f"{p} = [{', '.join(typed)}]")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def mean_by_point(runs: pd.DataFrame, moments: tuple[Moment, ...]) -> pd.DataFrame:
    """Each set's moments averaged over its replicates."""
    return runs.groupby("point")[[m.name for m in moments]].mean().reset_index()
