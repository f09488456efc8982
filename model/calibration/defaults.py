"""Calibrated defaults: write the calibration's point estimate into the scenario files.

Behavioural parameters go to the shared file (scenarios/behaviour.toml, which every case
extends), the case's own parameters to the case's file (scenarios/china_2017.toml). The values
go in a block the command owns, between two marker lines, so the rest of each file is kept as
written. The block records the provenance: calibration file, seed, sizes, code revision and
each parameter's 95% posterior interval. The calibration record (posterior.csv,
parameters.csv, moments.csv, generations.csv, calibration.json) is copied beside the
documentation so the defaults can be traced to the runs that chose them.
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
RECORD_FILES = ("calibration.json", "posterior.csv", "parameters.csv", "moments.csv",
                "generations.csv")
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
        raise ScenarioError(summary.get("calibration", "calibration"), "estimate",
                            "a posterior (run `pressure calibrate` to the end first)")
    return {name: _typed(name, value) for name, value in estimate["values"].items()}


def revision_text(git: dict | None) -> str:
    """A code revision as the records show it: ten digits, and whether the tree was dirty."""
    git = git or {}
    return (git.get("revision") or "unknown")[:10] + (" (uncommitted changes)"
                                                     if git.get("dirty") else "")


def block(summary: dict, parameters: pd.DataFrame, names: list[str], record: str) -> str:
    """The generated block: provenance comments and one line per parameter in `names`."""
    revision = revision_text(summary.get("git"))
    lines = [
        BEGIN,
        f"# ABC-SMC: {summary['file']} (root seed {summary['seed']}; {summary['particles']} "
        f"particles, {summary['generations']} generations, {summary['runs']} runs of "
        f"{summary['users']:,} users), code revision {revision}.",
        "# Values: the posterior particle nearest the weighted posterior median, "
        f"{DIGITS} significant digits.",
        "# In brackets: the 95% posterior interval. Record: " + record,
    ]
    spread = parameters.set_index("parameter")
    values = calibrated_values(summary)
    for name in names:
        row = spread.loc[name]
        line = f"{BY_NAME[name].key} = {values[name]!r}"
        lines.append(f"{line:<43} # [{row['low95']:.3g}, {row['high95']:.3g}]")
    return "\n".join([*lines, END])


def apply(calibration_dir: Path, record_dir: Path) -> list[Path]:
    """Write each file's block (replacing an earlier one; the first time, before the first
    table, dropping top-level assignments of the calibrated keys) and copy the record to
    `record_dir`. Every new file is loaded before any replaces the old one: nothing is written
    when one would not load."""
    summary = json.loads((calibration_dir / "calibration.json").read_text(encoding="utf-8"))
    parameters = pd.read_csv(calibration_dir / "parameters.csv")
    calibrated_values(summary)                       # fail before writing anything
    by_file: dict[str, list[str]] = {}
    for name, file in summary["destinations"].items():
        by_file.setdefault(file, []).append(name)
    scratches = []
    try:
        for file, names in by_file.items():
            scenario = Path(file)
            if not scenario.is_file():
                raise ScenarioError(file, None, "the scenario file calibrated values go to")
            text = scenario.read_text(encoding="utf-8")
            new = _with_block(text, block(summary, parameters, names, shown_path(record_dir)),
                              scenario)
            scratch = scenario.with_name(f".{scenario.stem}.calibrated.toml")
            scratch.write_text(new, encoding="utf-8")
            scratches.append((scratch, scenario))
        for scratch, scenario in scratches:
            try:
                load_scenario(scratch)          # e.g. a [section] clashing with the block
            except ScenarioError as exc:
                raise ScenarioError(str(scenario), None, "a scenario the calibrated block can "
                                    f"be written into (with it: {exc})") from None
    except ScenarioError:
        for scratch, _ in scratches:
            scratch.unlink(missing_ok=True)
        raise
    record_dir.mkdir(parents=True, exist_ok=True)
    for name in RECORD_FILES:
        shutil.copyfile(calibration_dir / name, record_dir / name)
    for scratch, scenario in scratches:
        scratch.replace(scenario)
    return [scenario for _, scenario in scratches]


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
