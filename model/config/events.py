"""The calendar: dated events of a scenario (laws, sensitive periods, directives, service blocks
and bans, encouragement, protocol blocks and throttling, asset sales, regional shutdowns).

An event is data: the loader validates each field and the model reads them by date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from .channels import PROTOCOLS
from .errors import ScenarioError

KINDS = ("law", "sensitive_period", "directive", "block_service", "ban_service",
         "encouragement", "block_protocol", "throttle_protocol", "asset_sale",
         "internet_shutdown", "marker")
WITH_END = ("sensitive_period", "encouragement", "block_protocol", "throttle_protocol",
            "internet_shutdown")
ACTIONS = (
    "remove_vpn_apps",          # app stores remove VPN listings
    "ban_cloud_circumvention",  # clouds (through their operators) stop customers hosting VPNs
    "shut_domestic_vpns",       # regulators shut China-based commercial VPN sellers
    "party_member_rules",       # Party members punished harder for illegal sites
    "brand_restriction",        # foreign clouds may not use their own brand
    "data_localization",        # foreign platforms must store user data in China
    "require_local_partner",    # foreign clouds must operate through a licensed local partner
    "security_reviews",         # customers of foreign clouds face data-security reviews
)
_FIELDS = {"id", "date", "kind", "label", "end", "multiplier", "action", "popularity", "source",
           "service", "withdraw_days", "share", "boost", "interest_prob", "protocol",
           "friction", "recurs", "series", "cloud", "region"}


@dataclass(frozen=True)
class Event:
    """One dated entry of the calendar. `end` is the last day of a period (sensitive period,
    encouragement, protocol block or throttling)."""

    id: str
    date: dt.date
    kind: str
    label: str
    end: dt.date | None = None
    multiplier: float | None = None
    action: str | None = None
    popularity: float | None = None
    source: str = ""
    service: str | None = None         # block_service / ban_service: the service's id
    withdraw_days: int | None = None   # ban_service: days until the service withdraws itself
    share: float | None = None         # encouragement: share of users treated
    boost: float | None = None         # encouragement: value added while it lasts
    interest_prob: float | None = None  # encouragement: chance a treated user gains interest
    protocol: str | None = None        # block_protocol / throttle_protocol: a class or "all"
    friction: float | None = None      # throttle_protocol: friction added
    recurs: str | None = None          # sensitive_period: "yearly" repeats it every year
    series: str | None = None          # the recurring period this dated one stands for
    cloud: int | None = None           # asset_sale: which foreign cloud (1 = the first)
    region: str | None = None          # internet_shutdown: the region cut off

    def active_on(self, day: dt.date) -> bool:
        """Whether this event is in force on `day` (laws and directives stay in force)."""
        if self.kind in WITH_END:
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
    end = get("end", dt.date, True) if kind in WITH_END else None
    if end is not None and end < date:
        raise ScenarioError(source, f"{key}.end", f"a date on or after {date}", end)
    multiplier = None
    if kind in ("law", "sensitive_period"):
        multiplier = get("multiplier", float, check=lambda v: 1.0 <= v <= 5.0,
                         expected="a number in [1, 5]")
    popularity = service = withdraw_days = share = boost = interest_prob = None
    protocol = friction = None
    if kind == "block_service":
        if ("service" in raw) == ("popularity" in raw):
            raise ScenarioError(source, f"{key}.service",
                                "either service (a declared service's id) or popularity "
                                "(share of users of an undeclared service), not both")
        if "popularity" in raw:
            popularity = float(get("popularity", float, True,
                                   check=lambda v: 0.0 <= v <= 1.0,
                                   expected="a number in [0, 1] (share of users of the "
                                   "service)"))
    if kind in ("block_service", "ban_service") and "popularity" not in raw:
        service = get("service", str, True, expected="the id of a service of the scenario")
    if kind == "ban_service":
        withdraw_days = get("withdraw_days", int, check=lambda v: 0 <= v <= 3650,
                            expected="a whole number of days in [0, 3650]")
    if kind == "encouragement":
        share = float(get("share", float, True, check=lambda v: 0.0 <= v <= 1.0,
                          expected="a number in [0, 1] (share of users treated)"))
        boost = float(get("boost", float, True, check=lambda v: 0.0 <= v <= 100.0,
                          expected="a number in [0, 100] (price units/day)"))
        interest_prob = float(get("interest_prob", float, default=0.0,
                                  check=lambda v: 0.0 <= v <= 1.0,
                                  expected="a number in [0, 1]"))
    if kind in ("block_protocol", "throttle_protocol"):
        protocol = get("protocol", str, True, check=lambda v: v in (*PROTOCOLS, "all"),
                       expected="one of " + ", ".join((*PROTOCOLS, "all")))
    if kind == "throttle_protocol":
        friction = float(get("friction", float, True, check=lambda v: 0.0 <= v <= 10.0,
                             expected="a number in [0, 10] (price units/day)"))
    cloud = None
    if kind == "asset_sale":
        cloud = int(get("cloud", int, default=1, check=lambda v: 1 <= v <= 5,
                        expected="a foreign cloud's number, 1 to 5"))
    region = None
    if kind == "internet_shutdown":
        region = get("region", str, True, expected="the id of a region of the scenario")
    recurs = series = None
    if kind == "sensitive_period":
        recurs = get("recurs", str, check=lambda v: v == "yearly", expected='"yearly"')
        series = get("series", str, check=lambda v: bool(v) and v.isidentifier(),
                     expected="the id of a recurring period (a name)")
        if recurs and (end - date).days >= 365:
            raise ScenarioError(source, f"{key}.end", "a yearly period shorter than a year", end)
    for field, allowed in (("action", ("directive",)), ("end", WITH_END),
                           ("multiplier", ("law", "sensitive_period")),
                           ("popularity", ("block_service",)),
                           ("service", ("block_service", "ban_service")),
                           ("withdraw_days", ("ban_service",)),
                           ("share", ("encouragement",)), ("boost", ("encouragement",)),
                           ("interest_prob", ("encouragement",)),
                           ("protocol", ("block_protocol", "throttle_protocol")),
                           ("friction", ("throttle_protocol",)),
                           ("recurs", ("sensitive_period",)),
                           ("series", ("sensitive_period",)),
                           ("cloud", ("asset_sale",)),
                           ("region", ("internet_shutdown",))):
        if field in raw and kind not in allowed:
            raise ScenarioError(source, f"{key}.{field}",
                                f"no {field} on a {kind!r} event (only on {', '.join(allowed)})",
                                raw[field])
    what = action or service or protocol or region or ""
    ev_id = get("id", str, default=f"{kind}:{what}@{date.isoformat()}")
    return Event(id=ev_id, date=date, kind=kind, label=label or _default_label(kind, what),
                 end=end, multiplier=None if multiplier is None else float(multiplier),
                 action=action, popularity=popularity, source=get("source", str, default=""),
                 service=service, withdraw_days=withdraw_days, share=share, boost=boost,
                 interest_prob=interest_prob, protocol=protocol, friction=friction,
                 recurs=recurs, series=series, cloud=cloud, region=region)


def _is(kind: type, value: object) -> bool:
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if kind is float:
        return isinstance(value, int | float) and not isinstance(value, bool) and value == value
    if kind is dt.date:
        return isinstance(value, dt.date) and not isinstance(value, dt.datetime)
    return isinstance(value, kind)


def _kind_name(kind: type) -> str:
    return {str: "a string", float: "a number", int: "a whole number",
            dt.date: "a date (YYYY-MM-DD)"}[kind]


def _default_label(kind: str, what: str) -> str:
    if kind == "directive":
        return what.replace("_", " ")
    return kind.replace("_", " ") + (f" ({what})" if what else "")


def occurrences(events: tuple[Event, ...], first: dt.date, last: dt.date) -> tuple[Event, ...]:
    """The events with every yearly period repeated in each year from `first` to `last`.

    A period with `recurs = "yearly"` stands for every year (same month and day; 29 February
    falls on the 28th in other years). A period whose `series` names a recurring one replaces
    its occurrence in the year it starts in: the rule gives the dates where none are known.
    """
    dated = {(e.series, e.date.year) for e in events if e.series and not e.recurs}
    out = []
    for ev in events:
        if not ev.recurs:
            out.append(ev)
            continue
        length = ev.end - ev.date
        for year in range(min(first.year, ev.date.year), last.year + 1):
            start = _same_day(ev.date, year)
            if (ev.id, year) in dated or start + length < first or start > last:
                continue
            out.append(replace(ev, date=start, end=start + length,
                               id=ev.id if year == ev.date.year else f"{ev.id}@{year}"))
    return tuple(sorted(out, key=lambda e: (e.date, e.id)))


def _same_day(day: dt.date, year: int) -> dt.date:
    try:
        return day.replace(year=year)
    except ValueError:                      # 29 February in a year that has none
        return day.replace(year=year, day=28)
