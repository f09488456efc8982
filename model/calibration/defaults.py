"""Calibrated defaults: write the calibration's point estimate into its scenario file.

The values go in a block the command owns, between two marker lines, so the rest of the file
(its description, events, comments) is kept as written. The block records the provenance:
experiment, seed, size, code revision, acceptance, and each parameter's 95% posterior interval.
The whole calibration record (calibration.json, posterior.csv, points.csv, runs.csv) is copied
beside the documentation so the defaults can be traced to the runs that chose them.
"""

from __future__ import annotations

import json
import math
import re
import shutil
from pathlib import Path

import pandas as pd

from ..config.errors import ScenarioError
from ..config.loader import load_scenario
from ..config.parameters import BY_NAME

BEGIN = "# --- calibrated defaults: written by `pressure calibrate --apply`; do not edit ---"
END = "# --- end of calibrated defaults ---"
RECORD_FILES = ("calibration.json", "posterior.csv", "points.csv", "runs.csv")
DIGITS = 3          # significant digits of a written default


def rounded(value: float) -> float:
    """A calibrated value as written in the scenario file (DIGITS significant digits)."""
    if value == 0:
        return 0.0
    return round(value, DIGITS - 1 - int(math.floor(math.log10(abs(value)))))


def calibrated_values(summary: dict) -> dict[str, float]:
    """The defaults a calibration summary implies, rounded as they are written."""
    estimate = summary.get("estimate")
    if not estimate:
        raise ScenarioError(summary.get("folder", "calibration"), "estimate",
                            "at least one accepted design point (none met every target)")
    return {name: _typed(name, value) for name, value in estimate["values"].items()}


def block(summary: dict, posterior: pd.DataFrame, record: str) -> str:
    """The generated block: provenance comments and one line per calibrated parameter."""
    git = summary.get("git") or {}
    revision = (git.get("revision") or "unknown")[:10] + (" (uncommitted changes)"
                                                         if git.get("dirty") else "")
    settings = ", ".join(f"{k} = {v}" for k, v in summary.get("settings", {}).items())
    lines = [
        BEGIN,
        f"# Calibration by rejection: experiment {summary['experiment']} (root seed "
        f"{summary['seed']}; {summary['points']} points x {summary['replicates']} replicates; "
        f"{settings}),",
        f"# code revision {revision}; {summary['accepted_points']} of {summary['points']} points "
        f"met every target in {summary['acceptance']:.0%} of their replicates.",
        "# Values: the accepted point nearest the posterior median (point "
        f"{summary['estimate']['point']}), {DIGITS} significant digits.",
        "# In brackets: the 95% interval of the accepted points. Record: " + record,
    ]
    spread = posterior.set_index("parameter")
    for name, value in calibrated_values(summary).items():
        row = spread.loc[name]
        line = f"{BY_NAME[name].key} = {value!r}"
        lines.append(f"{line:<43} # [{row['q2.5']:.3g}, {row['q97.5']:.3g}]")
    return "\n".join([*lines, END])


def apply(calibration_dir: Path, scenario_file: Path, record_dir: Path) -> Path:
    """Write the block into `scenario_file` (replacing an earlier block; the first time, before
    the first table, dropping top-level assignments of the calibrated keys) and copy the record
    to `record_dir`. The new file is loaded before it replaces the old one: nothing is written
    when it would not load."""
    summary = json.loads((calibration_dir / "calibration.json").read_text(encoding="utf-8"))
    posterior = pd.read_csv(calibration_dir / "posterior.csv")
    calibrated_values(summary)                       # fail before writing anything
    if not scenario_file.is_file():
        raise ScenarioError(str(scenario_file), None, "the calibrated scenario file")
    text = scenario_file.read_text(encoding="utf-8")
    new = _with_block(text, block(summary, posterior, shown_path(record_dir)), scenario_file)
    scratch = scenario_file.with_name(f".{scenario_file.stem}.calibrated.toml")
    scratch.write_text(new, encoding="utf-8")
    try:
        load_scenario(scratch)              # e.g. a [section] table clashing with the block
    except ScenarioError as exc:
        scratch.unlink()
        raise ScenarioError(str(scenario_file), None, "a scenario the calibrated block can be "
                            f"written into (with it: {exc})") from None
    record_dir.mkdir(parents=True, exist_ok=True)
    for name in RECORD_FILES:
        shutil.copyfile(calibration_dir / name, record_dir / name)
    scratch.replace(scenario_file)
    return scenario_file


def _with_block(text: str, new_block: str, source: Path) -> str:
    if BEGIN in text:
        start, end = text.index(BEGIN), text.find(END)
        if end < 0:
            raise ScenarioError(str(source), None, f"the line {END!r} closing the block")
        return text[:start] + new_block + text[end + len(END):]
    # first time: drop top-level assignments of calibrated keys, put the block before the
    # first table so its keys stay top-level
    keys = set(re.findall(r"^([\w.]+) = ", new_block, re.M))
    lines = [ln for ln in text.splitlines()
             if not any(re.match(rf"^{re.escape(k)}\s*=", ln) for k in keys)]
    first_table = next((i for i, ln in enumerate(lines) if ln.startswith("[")), len(lines))
    while first_table > 0 and not lines[first_table - 1].strip():
        first_table -= 1
    out = [*lines[:first_table], "", new_block, *lines[first_table:]]
    return "\n".join(out).rstrip("\n") + "\n"


def _typed(name: str, value: float):
    return int(round(value)) if BY_NAME[name].kind is int else rounded(float(value))


def shown_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
