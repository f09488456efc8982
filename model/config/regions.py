"""Regions a scenario declares (`[[regions]]`): provinces, or groups of them, with their share of
users (and of business customers) and their own enforcement: an intensity multiplier, detection
and penalties. An `internet_shutdown` event names a region (docs/ODD.md 7.24).

A scenario without `[[regions]]` has one region, `all`, with share 1 and multipliers 1: every
draw and outcome is then as it was before regions existed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import ScenarioError

_FIELDS = {"id", "name", "share", "intensity", "detection", "penalty", "source"}
_ID = r"[a-z][a-z0-9_]*"
_MULTIPLIERS = ("intensity", "detection", "penalty")


@dataclass(frozen=True)
class Region:
    id: str
    share: float
    intensity: float = 1.0      # multiplies the intensity users of the region meet
    detection: float = 1.0      # multiplies the chance a VPN user there is detected
    penalty: float = 1.0        # multiplies the penalty a punished user there expects
    name: str = ""
    source: str = ""

    @property
    def label(self) -> str:
        return self.name or self.id


WHOLE_COUNTRY = Region(id="all", share=1.0, name="whole country")


def parse_region(raw: object, source: str, index: int) -> Region:
    """Validate one `[[regions]]` table; raise ScenarioError naming `regions[index].field`."""
    key = f"regions[{index}]"
    if not isinstance(raw, dict):
        raise ScenarioError(source, key, "a table with id and share", raw)
    for field in raw:
        if field not in _FIELDS:
            raise ScenarioError(source, f"{key}.{field}",
                                "one of the region fields " + ", ".join(sorted(_FIELDS)), field)
    for field in ("id", "share"):
        if field not in raw:
            raise ScenarioError(source, f"{key}.{field}", _EXPECTED[field])
    if not isinstance(raw["id"], str) or not re.fullmatch(_ID, raw["id"]):
        raise ScenarioError(source, f"{key}.id", _EXPECTED["id"], raw["id"])
    values = {}
    for field, low, high in (("share", 0.0, 1.0), *((m, 0.0, 10.0) for m in _MULTIPLIERS)):
        if field not in raw:
            continue
        v = raw[field]
        if isinstance(v, bool) or not isinstance(v, int | float) or not low <= v <= high:
            raise ScenarioError(source, f"{key}.{field}", _EXPECTED[field], v)
        values[field] = float(v)
    for field in ("name", "source"):
        if field in raw and not isinstance(raw[field], str):
            raise ScenarioError(source, f"{key}.{field}", "a string", raw[field])
    return Region(id=raw["id"], name=raw.get("name", ""), source=raw.get("source", ""),
                  **values)


_EXPECTED = {
    "id": "an id of lowercase letters, digits and _ (e.g. \"xinjiang\")",
    "share": "a number in [0, 1] (share of users and business customers in the region)",
    "intensity": "a number in [0, 10] (multiplier of the intensity users there meet)",
    "detection": "a number in [0, 10] (multiplier of the detection rate there)",
    "penalty": "a number in [0, 10] (multiplier of the penalty there)",
}


def check_regions(regions: tuple[Region, ...], source: str) -> tuple[Region, ...]:
    """The declared regions' shares sum to 1; none declared: the whole country."""
    if not regions:
        return (WHOLE_COUNTRY,)
    total = sum(r.share for r in regions)
    if abs(total - 1.0) > 1e-6:
        raise ScenarioError(source, "regions", "shares of all regions summing to 1",
                            round(total, 6))
    return regions
