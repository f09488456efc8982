"""The outcomes a run records each day: declared once, preallocated for the horizon.

Two tables. The wide one has one column per metric of `METRICS`, the same for every scenario,
so runs of different scenarios combine. The long one (`LONG_METRICS`) holds outcomes whose set
depends on the scenario (per consumer service, per category, per channel, per protocol, per
encouragement): one row per day, metric and key.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import renamed


@dataclass(frozen=True)
class Metric:
    name: str
    label: str              # in words, for figures and tables (a title, not an identifier)
    unit: str
    meaning: str
    count: bool = False     # a whole number every day: stored as an integer, not a float


METRICS: tuple[Metric, ...] = (
    Metric("effective_intensity", "Effective enforcement intensity", "index [0, 1]",
           "Effective enforcement intensity today: the base's (`enforcement_intensity`) odds "
           "times the laws in force, the sensitive period and adaptation (7.2); below 1 for any "
           "base below 1."),
    Metric("vpn_availability", "VPN availability", "share of interested users",
           "Users with some interest in what is blocked who have a working VPN today (theirs "
           "works, or they found one): availability measured from the user's side."),
    Metric("vpn_interested", "Interest in blocked content", "share of users",
           "Users with some demand for what is blocked (interest, attachment to a blocked "
           "service, or encouragement)."),
    Metric("vpn_aware", "VPN awareness", "share of users", "Users who know how to get a VPN."),
    Metric("vpn_access", "VPN access", "share of users", "Users with a working VPN today."),
    Metric("vpn_use", "VPN use", "share of users", "Users who used a VPN that day."),
    Metric("vpn_providers_working", "Working VPN providers", "providers",
           "VPN providers serving whose address is neither blocked nor caught by a "
           "protocol-wide block.", count=True),
    Metric("vpn_listings_foreign_store", "VPN apps in the foreign app store", "apps", "VPN apps listed in the foreign app store.",
           count=True),
    Metric("vpn_listings_domestic_store", "VPN apps in domestic app stores", "apps", "VPN apps listed in domestic app stores.",
           count=True),
    Metric("vpn_domestic_commercial", "Domestic commercial VPN sellers", "providers",
           "China-based commercial VPN sellers in business (not shut; blocks aside).", count=True),
    Metric("vpn_installed_delisted", "Installed VPNs delisted from the store", "share of users",
           "Users whose VPN is an app the local store has removed (still installed)."),
    Metric("protocol_blocks_active", "Protocol-wide blocks in force", "protocol classes",
           "Protocol classes under a protocol-wide block today.", count=True),
    Metric("service_domestic_share", "Domestic share of consumer services", "share of service users",
           "Domestic services' share of the users of consumer services, all categories pooled "
           "(NaN without services)."),
    Metric("blocked_service_reach", "Reach of blocked services", "share of former users",
           "Of the users a service had when it was blocked or banned during the run, the share "
           "who still reach it today (through a VPN); NaN before any such block."),
    Metric("foreign_cloud_share", "Foreign cloud share (customers)", "share of customers",
           "Business customers on a foreign-operated cloud."),
    Metric("domestic_cloud_share", "Domestic cloud share (customers)", "share of customers",
           "Business customers on a domestic cloud (including assets a partner took over)."),
    Metric("foreign_cloud_revenue_share", "Foreign cloud share (revenue)", "share of revenue",
           "Foreign clouds' share of cloud revenue (customers weighted by spend)."),
    Metric("domestic_cloud_revenue_share", "Domestic cloud share (revenue)", "share of revenue",
           "Domestic clouds' share of cloud revenue."),
    Metric("foreign_compliance", "Foreign platforms' compliance", "share",
           "Share of directives addressed to foreign platforms (or their partners) complied "
           "with; 1 when none has been issued."),
    Metric("foreign_platforms_active", "Foreign platforms operating", "platforms", "Foreign platforms still operating in China.",
           count=True),
    Metric("partner_monitoring_effort", "Local partners' monitoring effort", "index [0, 1]",
           "Mean monitoring effort of the local partners (0 when there are none)."),
    Metric("foreign_cloud_circumvention", "Circumvention on foreign clouds", "hosts",
           "Circumvention hosted on foreign-operated clouds: serving VPN servers plus business "
           "customers hosting circumvention there (what a partner's monitoring acts on).",
           count=True),
    Metric("sanctions_total", "Sanctions on platforms (cumulative)", "sanctions", "Sanctions applied to platforms and partners, cumulative.",
           count=True),
    Metric("users_punished_total", "Users punished (cumulative)", "users", "Users punished for VPN use, cumulative.", count=True),
    Metric("users_punished_share", "Share of users punished (cumulative)", "share of users",
           "Users punished for VPN use, cumulative, as a share of all users."),
    Metric("customers_shut_down_total", "Cloud customers shut down (cumulative)", "customers",
           "Cloud customers shut down for hosting circumvention (VPN servers and business "
           "customers), cumulative.", count=True),
    Metric("mean_perceived_risk", "Mean perceived risk", "index [0, 1]", "Users' mean perceived risk of punishment."),
)
METRIC_NAMES: tuple[str, ...] = tuple(m.name for m in METRICS)
COUNTS = frozenset(m.name for m in METRICS if m.count)
OPTIONAL_METRICS = frozenset({"service_domestic_share", "blocked_service_reach"})
"""Metrics that are NaN when the scenario has nothing to measure (no services, no block)."""

LONG_METRICS: tuple[Metric, ...] = (
    Metric("service_share", "Share of users on the service", "share of users", "Users on the service (key: service id)."),
    Metric("category_domestic_share", "Domestic share of the category", "share of category users",
           "Domestic services' share of the category's users (key: category)."),
    Metric("service_reach", "Reach of a blocked service", "share of former users",
           "Former users of a blocked or banned service who still reach it (key: service id; "
           "NaN before its block)."),
    Metric("providers_working", "Working providers", "providers",
           "Working providers by channel (key: `channel:<name>`) and by protocol class "
           "(key: `protocol:<name>`)."),
    Metric("region_vpn_use", "VPN use in the region", "share of users",
           "Share of the region's users who used a VPN today (key: region id; only in "
           "scenarios that declare [[regions]])."),
    Metric("region_vpn_availability", "VPN availability in the region", "share of users",
           "As vpn_availability, among the region's users (key: region id)."),
    Metric("region_offline", "Region offline", "0 or 1", "An internet shutdown of the region is in force "
           "(key: region id)."),
    Metric("protocol_availability", "Availability of the protocol class", "share of users",
           "Of the users whose VPN runs a protocol class, the share whose VPN works today "
           "(key: protocol class)."),
    Metric("protocol_block", "Protocol-wide block", "0 or 1", "A protocol-wide block of the class is in force "
           "(key: protocol class)."),
    Metric("treated_use", "VPN use among treated users", "share of treated users",
           "VPN use among the users an encouragement treated (key: event id)."),
    Metric("untreated_use", "VPN use among untreated users", "share of untreated users",
           "VPN use among the users an encouragement did not treat (key: event id)."),
)
LONG_NAMES: tuple[str, ...] = tuple(m.name for m in LONG_METRICS)
LONG_COLUMNS = ("date", "day", "metric", "key", "value")


class TimeSeries(pd.DataFrame):
    """A time series table that still answers a retired daily metric name (`renamed.METRICS`),
    with a warning, when it has no column of that name (an input column of that name wins)."""

    @property
    def _constructor(self):
        return TimeSeries

    def __getitem__(self, key):
        if isinstance(key, str) and key in renamed.METRICS and key not in self.columns:
            renamed.warn(key, renamed.METRICS[key])
            key = renamed.METRICS[key]
        return super().__getitem__(key)


class Recorder:
    """One preallocated array per metric, one slot per day; the long table's series are
    declared at set-up (`declare`) and preallocated the same way."""

    def __init__(self, days: int) -> None:
        self.days = days
        self.values = {m: np.full(days, np.nan) for m in METRIC_NAMES}
        self.long: dict[tuple[str, str], np.ndarray] = {}
        self.recorded = 0

    def declare(self, metric: str, key: str) -> None:
        assert metric in LONG_NAMES, metric
        self.long.setdefault((metric, key), np.full(self.days, np.nan))

    def record(self, day: int, values: dict[str, float],
               long: dict[tuple[str, str], float] | None = None) -> None:
        for name in METRIC_NAMES:
            self.values[name][day] = values[name]
        for key, value in (long or {}).items():
            self.long[key][day] = value
        self.recorded = day + 1

    def latest(self, name: str) -> float:
        return float(self.values[name][self.recorded - 1]) if self.recorded else float("nan")

    def frame(self, start: dt.date) -> pd.DataFrame:
        n = self.recorded
        dates = pd.date_range(start, periods=n, freq="D")
        data = {"date": dates, "day": np.arange(n, dtype=np.int64)}
        data.update({m: self.values[m][:n].astype(np.int64) if m in COUNTS
                     else self.values[m][:n] for m in METRIC_NAMES})
        return TimeSeries(data)

    def long_frame(self, start: dt.date) -> pd.DataFrame:
        """The long table: date, day, metric, key, value (one row per day and series)."""
        n = self.recorded
        dates = pd.date_range(start, periods=n, freq="D")
        keys = list(self.long)
        if not keys or not n:
            return pd.DataFrame({"date": pd.Series([], dtype="datetime64[ns]"),
                                 "day": pd.Series([], dtype=np.int64),
                                 "metric": pd.Series([], dtype=object),
                                 "key": pd.Series([], dtype=object),
                                 "value": pd.Series([], dtype=np.float64)})
        return pd.DataFrame({
            "date": np.tile(dates.values, len(keys)),
            "day": np.tile(np.arange(n, dtype=np.int64), len(keys)),
            "metric": np.repeat([k[0] for k in keys], n),
            "key": np.repeat([k[1] for k in keys], n),
            "value": np.concatenate([self.long[k][:n] for k in keys]),
        })


def summarize(frame: pd.DataFrame) -> dict[str, dict[str, float]]:
    """Final and mean value of every metric over a run (a mean skips NaN days); a count's final
    value stays an integer."""
    return {"final": {m: (int if m in COUNTS else float)(frame[m].iloc[-1])
                      for m in METRIC_NAMES},
            "mean": {m: float(frame[m].mean()) for m in METRIC_NAMES}}


def summarize_long(long: pd.DataFrame) -> pd.DataFrame:
    """Final and mean of every long series: metric, key, final, mean."""
    if long.empty:
        return pd.DataFrame(columns=["metric", "key", "final", "mean"])
    g = long.sort_values("day").groupby(["metric", "key"], sort=False)["value"]
    return pd.DataFrame({"final": g.agg(lambda x: x.iloc[-1]), "mean": g.mean()}
                        ).reset_index()
