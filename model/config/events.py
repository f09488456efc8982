"""The calendar: dated events of a scenario (laws, sensitive periods, directives, blocks).

An event is data: the loader validates each field and the model reads them by date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .errors import ScenarioError

KINDS = ("law", "sensitive_period", "directive", "block_service", "marker")
ACTIONS = (
    "remove_vpn_apps",          # app stores remove VPN listings
    "ban_cloud_circumvention",  # clouds (through their operators) stop customers hosting VPNs
    "shut_domestic_vpns",       # regulators shut China-based commercial VPN sellers
    "party_member_rules",       # Party members punished harder for illegal sites
    "brand_restriction",        # foreign clouds may not use their own brand
    "data_localization",        # foreign platforms must store user data in China
    "require_local_partner",    # foreign clouds must operate through a licensed local partner
)
_FIELDS = {"id", "date", "kind", "label", "end", "multiplier", "action", "popularity", "source"}


@dataclass(frozen=True)
class Event:
    """One dated entry of the calendar. `end` is the last day of a sensitive period."""

    id: str
    date: dt.date
    kind: str
    label: str
    end: dt.date | None = None
    multiplier: float | None = None
    action: str | None = None
    popularity: float | None = None
    source: str = ""

    def active_on(self, day: dt.date) -> bool:
        """Whether this event is in force on `day` (laws and directives stay in force)."""
        if self.kind == "sensitive_period":
            return self.date <= day <= self.end
        return self.date <= day


def parse_event(raw: object, source: str, index: int) -> Event:
    """Validate one `[[events]]` table; raise ScenarioError naming `events[index].field`."""
    key = f"events[{index}]"
    if not isinstance(raw, dict):
        raise ScenarioError(source, key, "a table with date and kind", raw)
    for field in raw:
        if field not in _FIELDS:
            raise ScenarioError(source, f"{key}.{field}",
                                "one of the event fields " + ", ".join(sorted(_FIELDS)), field)

    def get(field, kind, required=False, default=None, check=None, expected=None):
        if field not in raw:
            if required:
                raise ScenarioError(source, f"{key}.{field}", expected or _kind_name(kind))
            return default
        value = raw[field]
        ok = _is(kind, value) and (check is None or check(value))
        if not ok:
            raise ScenarioError(source, f"{key}.{field}", expected or _kind_name(kind), value)
        return value

    kind = get("kind", str, True, check=lambda v: v in KINDS,
               expected="one of " + ", ".join(KINDS))
    date = get("date", dt.date, True)
    label = get("label", str, default="")
    action = get("action", str, kind == "directive", check=lambda v: v in ACTIONS,
                 expected="one of " + ", ".join(ACTIONS)) if kind == "directive" else None
    end = get("end", dt.date, kind == "sensitive_period") if kind == "sensitive_period" else None
    if end is not None and end < date:
        raise ScenarioError(source, f"{key}.end", f"a date on or after {date}", end)
    multiplier = None
    if kind in ("law", "sensitive_period"):
        multiplier = get("multiplier", float, check=lambda v: 1.0 <= v <= 5.0,
                         expected="a number in [1, 5]")
    popularity = None
    if kind == "block_service":
        popularity = float(get("popularity", float, True, check=lambda v: 0.0 <= v <= 1.0,
                               expected="a number in [0, 1] (share of users of the service)"))
    for field, allowed in (("action", ("directive",)), ("end", ("sensitive_period",)),
                           ("multiplier", ("law", "sensitive_period")),
                           ("popularity", ("block_service",))):
        if field in raw and kind not in allowed:
            raise ScenarioError(source, f"{key}.{field}",
                                f"no {field} on a {kind!r} event (only on {', '.join(allowed)})",
                                raw[field])
    ev_id = get("id", str, default=f"{kind}:{action or ''}@{date.isoformat()}")
    return Event(id=ev_id, date=date, kind=kind, label=label or _default_label(kind, action),
                 end=end, multiplier=None if multiplier is None else float(multiplier),
                 action=action, popularity=popularity, source=get("source", str, default=""))


def _is(kind: type, value: object) -> bool:
    if kind is float:
        return isinstance(value, int | float) and not isinstance(value, bool) and value == value
    if kind is dt.date:
        return isinstance(value, dt.date) and not isinstance(value, dt.datetime)
    return isinstance(value, kind)


def _kind_name(kind: type) -> str:
    return {str: "a string", float: "a number", dt.date: "a date (YYYY-MM-DD)"}[kind]


def _default_label(kind: str, action: str | None) -> str:
    return (action or kind).replace("_", " ")
