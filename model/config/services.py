"""Consumer services a scenario declares (`[[services]]`): messaging, social, video, search...
each foreign or domestic, with the share of users it has at the start.

A service is data: the loader validates each field; the model (`model/services/`) turns the
shares into users' choices. Shares are of all users; within a category they sum to at most 1,
the rest using no service of that category.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import ScenarioError

_FIELDS = {"id", "name", "category", "foreign", "share", "source"}
_ID = r"[a-z][a-z0-9_]*"


@dataclass(frozen=True)
class Service:
    id: str
    category: str
    foreign: bool
    share: float
    name: str = ""
    source: str = ""
    implicit: bool = False       # declared by a `block_service` event's popularity

    @property
    def label(self) -> str:
        return self.name or self.id


def parse_service(raw: object, source: str, index: int) -> Service:
    """Validate one `[[services]]` table; raise ScenarioError naming `services[index].field`."""
    key = f"services[{index}]"
    if not isinstance(raw, dict):
        raise ScenarioError(source, key, "a table with id, category, foreign and share", raw)
    for field in raw:
        if field not in _FIELDS:
            raise ScenarioError(source, f"{key}.{field}",
                                "one of the service fields " + ", ".join(sorted(_FIELDS)), field)
    for field in ("id", "category", "foreign", "share"):
        if field not in raw:
            raise ScenarioError(source, f"{key}.{field}", _EXPECTED[field])
    for field in ("id", "category"):
        if not isinstance(raw[field], str) or not re.fullmatch(_ID, raw[field]):
            raise ScenarioError(source, f"{key}.{field}", _EXPECTED[field], raw[field])
    if not isinstance(raw["foreign"], bool):
        raise ScenarioError(source, f"{key}.foreign", _EXPECTED["foreign"], raw["foreign"])
    share = raw["share"]
    if isinstance(share, bool) or not isinstance(share, int | float) or not 0.0 <= share <= 1.0:
        raise ScenarioError(source, f"{key}.share", _EXPECTED["share"], share)
    for field in ("name", "source"):
        if field in raw and not isinstance(raw[field], str):
            raise ScenarioError(source, f"{key}.{field}", "a string", raw[field])
    return Service(id=raw["id"], category=raw["category"], foreign=raw["foreign"],
                   share=float(share), name=raw.get("name", ""), source=raw.get("source", ""))


_EXPECTED = {
    "id": "an id of lowercase letters, digits and _ (e.g. \"wechat\")",
    "category": "a category of lowercase letters, digits and _ (e.g. \"messaging\")",
    "foreign": "true or false (a foreign service)",
    "share": "a number in [0, 1] (share of all users on the service at the start)",
}


def check_shares(services: tuple[Service, ...], source: str) -> None:
    """Within a category, the services' shares sum to at most 1."""
    totals: dict[str, float] = {}
    for s in services:
        totals[s.category] = totals.get(s.category, 0.0) + s.share
    for category, total in totals.items():
        if total > 1.0 + 1e-9:
            raise ScenarioError(source, "services",
                                f"shares of category {category!r} summing to at most 1",
                                round(total, 6))
