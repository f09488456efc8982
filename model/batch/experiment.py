"""Experiment files: parse and validate an experiment TOML file into an `Experiment`.

An experiment file is data, like a scenario file: parsed with `tomllib`, every key checked, and
every problem a `ScenarioError` naming the file (or `--set`), the key and what was expected, so
the CLI prints one line and exits 2 before anything is written. The format is documented key by
key in docs/experiments.md.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .. import renamed
from ..config.errors import ScenarioError
from ..config.loader import Scenario, load_scenario, lookup, resolve_path
from ..config.reading import NESTING, check_nesting, kind_of, read_toml
from ..config.parameters import BY_NAME, SECTIONS
from ..outcomes import METRIC_NAMES

DESIGN_KINDS = ("grid", "list", "lhs", "morris", "sobol")
SAMPLED = ("lhs", "morris", "sobol")
STATISTICS = ("final", "mean")
OUTCOME_NAMES = tuple(f"{m}_{s}" for m in METRIC_NAMES for s in STATISTICS)
DEFAULT_OUTCOMES = ("vpn_availability_mean", "vpn_access_mean", "vpn_use_mean",
                    "foreign_cloud_share_final", "foreign_cloud_revenue_share_final")

_TOP = ("name", "description", "scenarios", "reference", "replicates", "seed",
        "common_random_numbers", "outcomes", "settings", "design")
_DESIGN_KEYS = {"kind": DESIGN_KINDS, "parameters": DESIGN_KINDS, "samples": ("lhs", "sobol"),
                "trajectories": ("morris",), "levels": ("morris",), "second_order": ("sobol",)}
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
MAX_NAME = 120      # the experiment and scenario names make folder and run file names (255 max)


@dataclass(frozen=True)
class DesignSpec:
    """The `[design]` table. `parameters` maps a parameter name to its values (grid, list) or
    to its `(low, high)` range (lhs, morris, sobol)."""

    kind: str = "grid"
    parameters: dict[str, tuple] = field(default_factory=dict)
    samples: int = 0            # lhs: points; sobol: base sample N (a power of two)
    trajectories: int = 0       # morris: trajectories r (points = r x (parameters + 1))
    levels: int = 4             # morris: grid levels p
    second_order: bool = False  # sobol: also second-order indices (more runs)


@dataclass(frozen=True)
class Experiment:
    """A validated experiment: resolved scenarios (settings applied), design, replicates, seed."""

    name: str
    description: str
    source: str                       # the experiment file, as given
    text: str                         # its content, verbatim (kept in the manifest)
    overrides: dict[str, object]      # `--set` values applied on top of the file
    scenarios: tuple[Scenario, ...]   # settings applied; names are distinct
    reference: str                    # name of the scenario others are compared with
    replicates: int
    seed: int
    common_random_numbers: bool
    settings: dict[str, object]
    design: DesignSpec
    outcomes: tuple[str, ...]

    @property
    def scenario_names(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.scenarios)

    def describe(self) -> dict[str, object]:
        """The validated experiment as plain data (for the manifest)."""
        d = self.design
        design: dict[str, object] = {"kind": d.kind,
                                     "parameters": {k: list(v) for k, v in d.parameters.items()}}
        design.update({"samples": d.samples} if d.kind in ("lhs", "sobol") else {})
        design.update({"trajectories": d.trajectories, "levels": d.levels}
                      if d.kind == "morris" else {})
        design.update({"second_order": d.second_order} if d.kind == "sobol" else {})
        return {"name": self.name, "description": self.description, "source": self.source,
                "scenarios": list(self.scenario_names), "reference": self.reference,
                "replicates": self.replicates, "seed": self.seed,
                "common_random_numbers": self.common_random_numbers,
                "settings": self.settings, "design": design, "outcomes": list(self.outcomes),
                "overrides": self.overrides}


def load_experiment(path: str | Path, sets: list[str] | None = None) -> Experiment:
    """Read and validate an experiment file; `sets` are `KEY=VALUE` overrides (`--set`)."""
    source = str(path)
    path = Path(path)
    text, doc = read_toml(path, "experiment file")
    overrides = parse_sets(sets or [])
    for key, value in overrides.items():
        _apply(doc, key, value)
    return _Validator(source, path.parent, set(overrides)).experiment(doc, text, overrides)


def parse_sets(items: list[str]) -> dict[str, object]:
    """`KEY=VALUE` strings to {dotted key: value}. Values are read as TOML values (`2`, `0.5`,
    `[0, 1]`, `true`), else kept as strings. Bare parameter names go to `settings`."""
    out: dict[str, object] = {}
    for item in items:
        key, sep, raw = item.partition("=")
        key = key.strip()
        if not sep or not key or any(not part for part in key.split(".")):
            raise ScenarioError("--set", item or "''", "KEY=VALUE (e.g. replicates=2, users=500)")
        value = _set_value(raw.strip(), key)
        head = key.split(".", 1)[0]
        if head not in _TOP and (head in BY_NAME or head in SECTIONS):
            key = f"settings.{key}"
        out[key] = value
    return out


def _set_value(raw: str, key: str) -> object:
    """A `--set` value as TOML (`2`, `[0, 1]`, `true`), else the text itself."""
    try:
        value = tomllib.loads(f"v = {raw}")["v"]
    except tomllib.TOMLDecodeError:
        return raw
    except RecursionError:
        raise ScenarioError("--set", key, NESTING) from None
    except ValueError:                  # an integer beyond Python's 4300-digit conversion limit
        raise ScenarioError("--set", key, "a number with at most 4300 digits") from None
    check_nesting(value, "--set", key)
    return value


def _apply(doc: dict, key: str, value: object) -> None:
    *parents, last = key.split(".")
    node = doc
    for i, part in enumerate(parents):
        node = node.setdefault(part, {})
        if not isinstance(node, dict):
            raise ScenarioError("--set", ".".join(parents[:i + 1]), "a table to set a key in",
                                node)
    node[last] = value


class _Validator:
    """Checks one experiment document; knows which keys came from `--set`."""

    def __init__(self, source: str, folder: Path, overridden: set[str]) -> None:
        self.source, self.folder, self.overridden = source, folder, overridden

    def error(self, key: str | None, expected: str, got: object = ...) -> ScenarioError:
        from_set = key is not None and any(
            key == k or key.startswith((k + ".", k + "[")) or k.startswith(key + ".")
            for k in self.overridden)
        return ScenarioError("--set" if from_set else self.source, key, expected, got)

    def experiment(self, doc: dict, text: str, overrides: dict[str, object]) -> Experiment:
        for key in doc:
            if key not in _TOP:
                raise self.error(key, "one of the experiment keys " + ", ".join(_TOP))
        name = self.string(doc, "name", Path(self.source).stem)
        if not _NAME.match(name) or len(name) > MAX_NAME:
            raise self.error("name", "a name usable as a folder (letters, digits, _ . -; at "
                             f"most {MAX_NAME} characters)", name)
        description = self.string(doc, "description", "")
        settings = self.settings(doc.get("settings", {}))
        scenarios = self.scenarios(doc.get("scenarios"), settings)
        design = self.design(doc.get("design", {}), settings)
        names = [s.name for s in scenarios]
        reference = self.string(doc, "reference", names[0])
        if reference not in names:
            raise self.error("reference", "the name of one of the scenarios (" + ", ".join(names)
                             + ")", reference)
        replicates = self.integer(doc, "replicates", 1, low=1)
        seed = self.integer(doc, "seed", 0, low=0)
        crn = doc.get("common_random_numbers", True)
        if not isinstance(crn, bool):
            raise self.error("common_random_numbers", "true or false", crn)
        return Experiment(name=name, description=description.strip(), source=self.source,
                          text=text, overrides=overrides, scenarios=scenarios,
                          reference=reference, replicates=replicates, seed=seed,
                          common_random_numbers=crn, settings=settings, design=design,
                          outcomes=self.outcomes(doc.get("outcomes", list(DEFAULT_OUTCOMES))))

    # --- plain values ---------------------------------------------------------------------

    def string(self, doc: dict, key: str, default: str, prefix: str = "") -> str:
        value = doc.get(key, default)
        if not isinstance(value, str):
            raise self.error(prefix + key, "a string", value)
        return value

    def integer(self, doc: dict, key: str, default: int | None, low: int,
                prefix: str = "") -> int:
        if key not in doc and default is not None:
            return default
        value = doc.get(key)
        if key not in doc:
            raise self.error(prefix + key, f"an integer >= {low} (required)")
        if isinstance(value, bool) or not isinstance(value, int) or value < low:
            raise self.error(prefix + key, f"an integer >= {low}", value)
        return value

    def outcomes(self, value: object) -> tuple[str, ...]:
        if not isinstance(value, list) or not value:
            raise self.error("outcomes", "a non-empty array of outcome names", value)
        value = [renamed.outcome(v) if isinstance(v, str) else v for v in value]
        for i, name in enumerate(value):
            if name not in OUTCOME_NAMES:
                raise self.error(f"outcomes[{i}]", "<metric>_final or <metric>_mean for a metric "
                                 "in docs/parameters.md (e.g. vpn_access_mean)", name)
        return tuple(dict.fromkeys(value))

    # --- scenarios and settings -----------------------------------------------------------

    def settings(self, table: object) -> dict[str, object]:
        if not isinstance(table, dict):
            raise self.error("settings", "a table of parameter values ([settings])", table)
        flat: dict[str, object] = {}
        for key, value in _flatten(table):
            dotted = f"settings.{key}"
            param = self.param(key, dotted)
            if param.name in flat:
                raise self.error(dotted, "each parameter once in [settings]")
            flat[param.name] = self.coerce(param, value, dotted)
        return flat

    def scenarios(self, refs: object, settings: dict[str, object]) -> tuple[Scenario, ...]:
        if refs is None:
            raise self.error("scenarios", "an array of scenario files or names (required)")
        if not isinstance(refs, list) or not refs:
            raise self.error("scenarios", "a non-empty array of scenario files or names", refs)
        out: list[Scenario] = []
        for i, ref in enumerate(refs):
            key = f"scenarios[{i}]"
            if not isinstance(ref, str) or not ref:
                raise self.error(key, "a scenario file (relative to this file) or a name", ref)
            path = resolve_path(ref, self.folder)
            if not path.is_file():
                kind = kind_of(path)
                raise self.error(key, f"a scenario file (this is {kind}, not a regular file)"
                                 if kind else "an existing scenario file (relative to this "
                                 "file) or a name in scenarios/", ref)
            scenario = load_scenario(path)
            try:
                scenario = scenario.with_overrides(settings, source=self.source)
            except ScenarioError as exc:
                raise self.error("settings", f"settings valid for scenario {scenario.name!r}: "
                                 f"{exc.key} {exc.expected}", exc.got) from None
            if any(s.name == scenario.name for s in out):
                raise self.error(key, "scenarios with distinct names (two are named "
                                 f"{scenario.name!r})", ref)
            if not _NAME.match(scenario.name) or len(scenario.name) > MAX_NAME:
                raise self.error(key, "a scenario whose name is usable in file names (letters, "
                                 f"digits, _ . -; at most {MAX_NAME} characters)", scenario.name)
            out.append(scenario)
        return tuple(out)

    def param(self, key: str, dotted: str):
        try:
            return lookup(key, self.source)
        except ScenarioError:
            raise self.error(dotted, "a known parameter (see docs/parameters.md)") from None

    def coerce(self, param, value: object, key: str) -> object:
        try:
            return param.coerce(value)
        except ValueError as exc:
            raise self.error(key, str(exc), value) from None

    # --- the design -----------------------------------------------------------------------

    def design(self, table: object, settings: dict[str, object]) -> DesignSpec:
        if not isinstance(table, dict):
            raise self.error("design", "a table ([design])", table)
        kind = table.get("kind", "grid")
        if kind not in DESIGN_KINDS:
            raise self.error("design.kind", "one of " + ", ".join(DESIGN_KINDS), kind)
        for key in table:
            if key not in _DESIGN_KEYS:
                raise self.error(f"design.{key}", "one of the design keys "
                                 + ", ".join(_DESIGN_KEYS))
            if kind not in _DESIGN_KEYS[key]:
                raise self.error(f"design.{key}", "a key of " + " or ".join(_DESIGN_KEYS[key])
                                 + f" designs (this one is {kind!r})")
        raw = table.get("parameters", {})
        if not isinstance(raw, dict):
            raise self.error("design.parameters", "a table of parameters", raw)
        params: dict[str, tuple] = {}
        for key, value in _flatten(raw):
            dotted = f"design.parameters.{key}"
            param = self.param(key, dotted)
            if param.name in params:
                raise self.error(dotted, "each parameter once in [design.parameters]")
            if param.name in settings:
                raise self.error(dotted, "a parameter not also fixed in [settings]")
            params[param.name] = (self.range(param, value, dotted) if kind in SAMPLED
                                  else self.values(param, value, dotted))
        if kind in SAMPLED and not params:
            raise self.error("design.parameters", f"at least one parameter range for a {kind} "
                             "design")
        if kind == "list" and len({len(v) for v in params.values()}) > 1:
            lengths = ", ".join(f"{k}: {len(v)}" for k, v in params.items())
            raise self.error("design.parameters", "arrays of one length in a list design "
                             f"(point i takes the i-th value of each; lengths {lengths})")
        spec = {"kind": kind, "parameters": params}
        if kind in ("lhs", "sobol"):
            spec["samples"] = self.integer(table, "samples", None, low=2, prefix="design.")
        if kind == "sobol":
            n = spec["samples"]
            if n & (n - 1):
                raise self.error("design.samples", "a power of two for a sobol design "
                                 "(Sobol' sequences need it)", n)
            spec["second_order"] = table.get("second_order", False)
            if not isinstance(spec["second_order"], bool):
                raise self.error("design.second_order", "true or false", spec["second_order"])
        if kind == "morris":
            spec["trajectories"] = self.integer(table, "trajectories", None, low=2,
                                                prefix="design.")
            spec["levels"] = self.integer(table, "levels", 4, low=2, prefix="design.")
        return DesignSpec(**spec)

    def values(self, param, value: object, key: str) -> tuple:
        if not isinstance(value, list) or not value:
            raise self.error(key, "a non-empty array of values", value)
        typed = tuple(self.coerce(param, v, f"{key}[{i}]") for i, v in enumerate(value))
        return typed

    def range(self, param, value: object, key: str) -> tuple:
        if param.kind not in (int, float):
            raise self.error(key, "a numeric parameter (sampled designs need a range)")
        if not isinstance(value, list) or len(value) != 2:
            raise self.error(key, "a range [low, high]", value)
        low, high = (self.coerce(param, v, f"{key}[{i}]") for i, v in enumerate(value))
        if not low < high:
            raise self.error(key, "a range [low, high] with low < high", value)
        return (low, high)


def _flatten(table: dict):
    """(key, value) pairs; a section table (`[settings.network]`) gives `section.name` keys."""
    for key, value in table.items():
        if key in SECTIONS and isinstance(value, dict):
            for sub, subvalue in value.items():
                yield f"{key}.{sub}", subvalue
        else:
            yield key, value
