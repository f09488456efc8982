"""A calibration file (experiments/calibration_2017.toml): sampler settings, the cases' scenario
files, uniform prior ranges, and where the calibrated values are written.

Bad input raises ScenarioError naming the file, the key and what was expected.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..config.errors import ScenarioError
from ..config.parameters import BY_NAME
from .moments import BY_NAME as MOMENTS_BY_NAME
from .moments import MOMENTS, Moment
from .smc import Prior, Settings

SHARED_GROUPS = ("population", "behaviour")
"""Parameters of these groups are behavioural: shared by every case, written to the shared
scenario file; the others belong to the calibrated case."""

_NUMBERS = {"particles": (int, 4, 100000), "keep": (float, 0.05, 0.95),
            "min_acceptance": (float, 0.0, 1.0), "max_generations": (int, 1, 100),
            "replicates": (int, 1, 1000), "users": (int, 10, 10_000_000),
            "seed": (int, 0, 2**63 - 1)}
_KEYS = {"name", "description", "moments", "cases", "prior", "defaults", *_NUMBERS}


@dataclass(frozen=True)
class CalibrationFile:
    source: Path
    name: str
    description: str
    settings: Settings
    replicates: int
    users: int
    cases: dict[str, Path]
    prior: Prior
    moments: tuple[Moment, ...]
    shared_file: Path           # where behavioural values go
    case_file: Path             # where the case's own values go

    def destination(self, name: str) -> Path:
        return self.shared_file if BY_NAME[name].section in SHARED_GROUPS else self.case_file


def load(path: Path, overrides: dict[str, object] | None = None) -> CalibrationFile:
    path = Path(path)
    src = str(path)
    if not path.is_file():
        raise ScenarioError(src, None, "a calibration file (TOML)")
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ScenarioError(src, None, f"valid TOML ({exc})") from None
    for key, value in (overrides or {}).items():
        if key not in _NUMBERS:
            raise ScenarioError("--set", key, "one of " + ", ".join(sorted(_NUMBERS)))
        doc[key] = value
    unknown = sorted(set(doc) - _KEYS)
    if unknown:
        raise ScenarioError(src, unknown[0], "one of " + ", ".join(sorted(_KEYS)))
    numbers = {k: _number(doc, k, src) for k in _NUMBERS}
    if not numbers["particles"] * numbers["keep"] >= 2:
        raise ScenarioError(src, "keep", "a share keeping at least 2 of the particles",
                            doc.get("keep"))
    names = doc.get("moments", [m.name for m in MOMENTS])
    if not isinstance(names, list) or not names or any(n not in MOMENTS_BY_NAME for n in names):
        raise ScenarioError(src, "moments", "a list of moment names from "
                            + ", ".join(MOMENTS_BY_NAME), names)
    moments = tuple(MOMENTS_BY_NAME[n] for n in names)
    prior = _prior(doc, src)
    cases = _cases(doc, path, src, {m.case for m in moments})
    defaults = doc.get("defaults", {})
    if not isinstance(defaults, dict) or set(defaults) - {"shared", "case"}:
        raise ScenarioError(src, "defaults", "a table with shared and case (scenario files)")
    return CalibrationFile(
        path, str(doc.get("name", path.stem)), str(doc.get("description", "")),
        Settings(numbers["particles"], numbers["keep"], numbers["min_acceptance"],
                 numbers["max_generations"], numbers["seed"]),
        numbers["replicates"], numbers["users"], cases, prior, moments,
        _file(defaults.get("shared", "behaviour"), path, src, "defaults.shared"),
        _file(defaults.get("case", "china_2017"), path, src, "defaults.case"))


_DEFAULTS = {"particles": 100, "keep": 0.5, "min_acceptance": 0.1, "max_generations": 6,
             "replicates": 2, "users": 2000, "seed": 20171018}


def _number(doc: dict, key: str, src: str):
    kind, low, high = _NUMBERS[key]
    value = doc.get(key, _DEFAULTS[key])
    ok = isinstance(value, int | float) and not isinstance(value, bool)
    if kind is int:
        ok = ok and float(value).is_integer()
    if not ok or not low <= value <= high:
        raise ScenarioError(src, key, f"{'a whole number' if kind is int else 'a number'} in "
                            f"[{low}, {high}]", value)
    return kind(value)


def _cases(doc: dict, path: Path, src: str, needed: set[str]) -> dict[str, Path]:
    table = doc.get("cases", {})
    if not isinstance(table, dict):
        raise ScenarioError(src, "cases", "a table of case name = scenario file")
    files = {name: _file(value, path, src, f"cases.{name}") for name, value in table.items()}
    missing = sorted(needed - set(table))
    if missing:
        raise ScenarioError(src, f"cases.{missing[0]}", "the scenario file of this case "
                            "(a moment is computed from it)")
    return {name: files[name] for name in sorted(needed)}


def _file(value, path: Path, src: str, key: str) -> Path:
    """A path relative to the calibration file, else a shipped scenario by its name under
    scenarios/ (`china_2017`, `field/chen_yang`), so a file works from any folder."""
    from ..config.loader import SCENARIO_DIR

    if not isinstance(value, str):
        raise ScenarioError(src, key, "a scenario file's path (relative to this file) or a "
                            "shipped scenario's name", value)
    for target in (path.parent / value, SCENARIO_DIR / value,
                   SCENARIO_DIR / f"{value}.toml"):
        if target.is_file():
            return target.resolve()
    raise ScenarioError(src, key, "an existing scenario file or a shipped scenario's name "
                        "(e.g. field/chen_yang)", value)


def _prior(doc: dict, src: str) -> Prior:
    """`name = [low, high]` (uniform) or `name = {log_uniform = [low, high]}` (low > 0)."""
    table = doc.get("prior")
    if not isinstance(table, dict) or not table:
        raise ScenarioError(src, "prior", "a table of parameter = [low, high]")
    names, lows, highs, logs = [], [], [], []
    for name, bounds in table.items():
        key = f"prior.{name}"
        if name not in BY_NAME or BY_NAME[name].kind is not float:
            raise ScenarioError(src, key, "the short name of a real-valued parameter "
                                "(see `pressure params`)")
        param = BY_NAME[name]
        log = isinstance(bounds, dict)
        if log:
            if set(bounds) != {"log_uniform"}:
                raise ScenarioError(src, key, "[low, high] or {log_uniform = [low, high]}",
                                    bounds)
            bounds = bounds["log_uniform"]
        if (not isinstance(bounds, list) or len(bounds) != 2
                or not all(isinstance(b, int | float) and not isinstance(b, bool)
                           for b in bounds) or not bounds[0] < bounds[1]
                or (param.low is not None and bounds[0] < param.low)
                or (param.high is not None and bounds[1] > param.high)
                or (log and not bounds[0] > 0)):
            raise ScenarioError(src, key, f"[low, high] with {'0 < ' if log else ''}low < high "
                                f"inside the parameter's range [{param.low}, {param.high}]",
                                bounds)
        names.append(name)
        lows.append(float(bounds[0]))
        highs.append(float(bounds[1]))
        logs.append(log)
    return Prior(tuple(names), np.array(lows), np.array(highs), np.array(logs))
