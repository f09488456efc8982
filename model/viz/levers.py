"""What the app's sliders move, and where their ranges and starting values come from.

The levers are the parameters a policy researcher reaches for first when asking how the
intensity and design of pressure change VPN use and the cloud market:

- `enforcement_intensity`: the base intensity every experiment sweeps.
- `sensitive_multiplier`: how hard enforcement spikes around political dates (Two Sessions,
  June 4, the Party Congress).
- `foreign_ownership_cap`: the partner requirement: below 0.5 a foreign cloud must operate
  through a local licence holder who polices its customers (the Sinnet/AWS case).
- `peer_compliance_weight`: whether foreign platforms give in when their competitors do (the
  `platforms_refuse` counterfactual sets it to 0).
- `entry_rate`: the cat and mouse: how fast new VPN providers answer unmet demand.

Ranges, units and meanings are read from the parameter schema (`model/config/parameters.py`);
a slider's starting value is the chosen scenario's resolved value, which is the schema default
unless the scenario sets it. Nothing here repeats a number the schema holds, except the users
slider's upper end, which is a property of the app (what stays live), not of the model.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from ..config.loader import SCENARIO_DIR, Scenario, load_scenario
from ..config.parameters import BY_NAME

LEVERS: tuple[str, ...] = (
    "enforcement_intensity",
    "sensitive_multiplier",
    "foreign_ownership_cap",
    "peer_compliance_weight",
    "entry_rate",
)
LABELS: dict[str, str] = {
    "enforcement_intensity": "Enforcement intensity (base)",
    "sensitive_multiplier": "Sensitive-period crackdown (x)",
    "foreign_ownership_cap": "Foreign ownership cap",
    "peer_compliance_weight": "Platforms follow their peers",
    "entry_rate": "VPN entry rate",
    "users": "Users",
}
MAX_LIVE_USERS = 50_000
"""Largest population the users slider offers: a day then takes about 20 ms on 2 cores, so
playing stays live; the network view draws a fixed sample whatever the population."""
USERS_STEP = 100
DEFAULT_SCENARIO = "china_2017"
SCENARIO_ENV = "PRESSURE_VIZ_SCENARIO"
"""Environment variable naming the scenario the app opens with (`pressure viz --scenario`)."""


@dataclass(frozen=True)
class SliderSpec:
    """One slider: its range and step from the schema, its value from a scenario."""

    name: str
    label: str
    kind: type
    value: int | float
    low: int | float
    high: int | float
    step: int | float
    unit: str
    meaning: str


def slider_spec(name: str, scenario: Scenario) -> SliderSpec:
    """The slider for parameter `name`, starting at `scenario`'s value."""
    param = BY_NAME[name]
    value = scenario.params[name]
    if name == "users":
        low = max(int(param.low), USERS_STEP)
        return SliderSpec(name, LABELS[name], int, int(min(max(value, low), MAX_LIVE_USERS)),
                          low, MAX_LIVE_USERS, USERS_STEP, param.unit, param.meaning)
    if param.kind is int:
        step = 1
    else:
        step = _step_through(float(param.low), float(param.high), float(value))
    return SliderSpec(name, LABELS.get(name, name), param.kind, value, param.low, param.high,
                      step, param.unit, param.meaning)


def _step_through(low: float, high: float, value: float) -> float:
    """A round step giving about 100 to 1,000 positions, fine enough to land on `value`."""
    step = 10.0 ** math.floor(math.log10((high - low) / 100.0))
    for _ in range(4):
        k = (value - low) / step
        if abs(k - round(k)) < 1e-6:
            break
        step /= 10.0
    return step


def snap(spec: SliderSpec, value: float) -> int | float:
    """A slider's value as the parameter's type, without float noise from the step grid."""
    if spec.kind is int:
        return round(value)
    decimals = max(0, -math.floor(math.log10(spec.step)))
    return round(min(max(float(value), spec.low), spec.high), decimals + 1)


LOG_STOPS = 240
"""Positions of a log-scale slider: 0 is the parameter's lower end, 1 to `LOG_STOPS` run
geometrically from `LOG_FLOOR` x its upper end to the upper end."""
LOG_FLOOR = 1e-4


def log_scaled(spec: SliderSpec) -> bool:
    """Rates (a unit per time, e.g. 1/day) get a log-scale slider: their plausible values span
    orders of magnitude, and on a linear 0-1 track a rate like 0.0176 sat at 1.8%."""
    return spec.kind is float and spec.unit.startswith("1/") and spec.high > 0


def log_position(spec: SliderSpec, value: float) -> int:
    """The log-scale slider's position for `value`."""
    floor = LOG_FLOOR * spec.high
    if value < floor:
        return 0
    share = math.log(value / floor) / math.log(spec.high / floor)
    return 1 + round((LOG_STOPS - 1) * min(share, 1.0))


def log_value(spec: SliderSpec, position: int) -> float:
    """The value at a log-scale slider's `position`, to three significant digits."""
    if position <= 0:
        return spec.low
    floor = LOG_FLOOR * spec.high
    value = floor * (spec.high / floor) ** ((position - 1) / (LOG_STOPS - 1))
    return min(float(f"{value:.3g}"), spec.high)


def scenario_choices(extra: str | None = None) -> list[str]:
    """The scenario picker's entries: every file in scenarios/ by name, plus `extra` (a file
    given on the command line) by path when it lives elsewhere."""
    names = sorted(p.stem for p in SCENARIO_DIR.glob("*.toml"))
    if extra:
        path = Path(extra)
        if path.suffix == "" and path.name in names:
            return names
        if path.resolve().parent == SCENARIO_DIR and path.stem in names:
            return names
        names.append(str(path))
    return names


def choice_for(ref: str) -> str:
    """The picker entry for a scenario reference (a file in scenarios/ shows as its name)."""
    path = Path(ref)
    if path.suffix == ".toml" and path.resolve().parent == SCENARIO_DIR:
        return path.stem
    return ref


def starting_values(scenario_ref: str) -> tuple[Scenario, dict[str, int | float]]:
    """Load a scenario; the users slider and each lever start at its resolved values."""
    scenario = load_scenario(scenario_ref)
    values = {name: slider_spec(name, scenario).value for name in ("users", *LEVERS)}
    return scenario, values
