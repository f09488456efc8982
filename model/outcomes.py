"""The outcomes a run records each day: declared once, preallocated for the horizon."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Metric:
    name: str
    unit: str
    meaning: str


METRICS: tuple[Metric, ...] = (
    Metric("enforcement_intensity", "index [0, 1]",
           "Effective enforcement intensity: base x laws in force x sensitive period "
           "(+ adaptation), clipped to [0, 1]."),
    Metric("vpn_supply", "share",
           "Share of the initial VPN provider population active and not blocked."),
    Metric("vpn_listings_foreign_store", "apps", "VPN apps listed in the foreign app store."),
    Metric("vpn_listings_domestic_store", "apps", "VPN apps listed in domestic app stores."),
    Metric("vpn_domestic_commercial", "providers",
           "China-based commercial VPN sellers active and not blocked."),
    Metric("vpn_aware", "share of users", "Users who know how to get a VPN."),
    Metric("vpn_access", "share of users",
           "Users who could get a working VPN today (aware, and a working channel fits their "
           "device and skill)."),
    Metric("vpn_use", "share of users", "Users who used a VPN that day."),
    Metric("foreign_cloud_share", "share of customers",
           "Business customers on a foreign-operated cloud."),
    Metric("domestic_cloud_share", "share of customers",
           "Business customers on a domestic cloud (including assets a partner took over)."),
    Metric("foreign_cloud_revenue_share", "share of revenue",
           "Foreign clouds' share of cloud revenue (customers weighted by spend)."),
    Metric("domestic_cloud_revenue_share", "share of revenue",
           "Domestic clouds' share of cloud revenue."),
    Metric("foreign_compliance", "share",
           "Share of directives addressed to foreign platforms (or their partners) complied "
           "with; 1 when none has been issued."),
    Metric("foreign_platforms_active", "platforms", "Foreign platforms still operating in China."),
    Metric("partner_monitoring_effort", "index [0, 1]",
           "Mean monitoring effort of the local partners (0 when there are none)."),
    Metric("sanctions_total", "sanctions", "Sanctions applied to platforms and partners, cumulative."),
    Metric("users_punished_total", "users", "Users punished for VPN use, cumulative."),
    Metric("users_punished_share", "share of users",
           "Users punished for VPN use, cumulative, as a share of all users."),
    Metric("customers_shut_down_total", "customers",
           "Cloud customers shut down for hosting circumvention (VPN servers and business "
           "customers), cumulative."),
    Metric("mean_perceived_risk", "index [0, 1]", "Users' mean perceived risk of punishment."),
)
METRIC_NAMES: tuple[str, ...] = tuple(m.name for m in METRICS)


class Recorder:
    """One preallocated array per metric, one slot per day."""

    def __init__(self, days: int) -> None:
        self.days = days
        self.values = {m: np.full(days, np.nan) for m in METRIC_NAMES}
        self.recorded = 0

    def record(self, day: int, values: dict[str, float]) -> None:
        for name in METRIC_NAMES:
            self.values[name][day] = values[name]
        self.recorded = day + 1

    def latest(self, name: str) -> float:
        return float(self.values[name][self.recorded - 1]) if self.recorded else float("nan")

    def frame(self, start: dt.date) -> pd.DataFrame:
        n = self.recorded
        dates = pd.date_range(start, periods=n, freq="D")
        data = {"date": dates, "day": np.arange(n, dtype=np.int64)}
        data.update({m: self.values[m][:n] for m in METRIC_NAMES})
        return pd.DataFrame(data)


def summarize(frame: pd.DataFrame) -> dict[str, dict[str, float]]:
    """Final and mean value of every metric over a run."""
    return {"final": {m: float(frame[m].iloc[-1]) for m in METRIC_NAMES},
            "mean": {m: float(frame[m].mean()) for m in METRIC_NAMES}}
