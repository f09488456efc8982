"""The calibration's data: documented facts as moments with observation error.

A moment is a number the record gives (`observed`), one standard deviation of how far the truth
may lie from it (`error`: sampling error, the spread of estimates, or a judgement where the
record gives a range or a word; each says which), and the statistic a run gives for it
(`compute`, from one run's daily table and long table). Each belongs to a case: the 2017 China
scenario, or a field experiment's setting (scenarios/field/). The distance of a run from the
data is the root mean square of (simulated - observed) / error over the moments.

A quantity set from evidence as an input is not a moment: the probing delay, the 700 listings
of the store at the start and the services' shares are inputs, so what is fitted is how they
move, not where they start.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

PUNISHMENT_FLOOR = 1e-6     # log10 scale: a run with nobody punished counts as 1 in a million
USE_FLOOR = 1e-4            # log10 scale: a run with no daily VPN use counts as 1 in 10,000


@dataclass(frozen=True)
class Moment:
    name: str
    case: str                  # which scenario of the calibration gives it
    observed: float
    error: float               # one standard deviation of observation error
    source: str
    statistic: str             # what the model gives, in words
    compute: Callable[[pd.DataFrame, pd.DataFrame], float]
    error_basis: str           # how `error` was chosen
    caveat: str = ""


def _series(long: pd.DataFrame, metric: str, key: str) -> pd.Series:
    part = long[(long["metric"] == metric) & (long["key"] == key)]
    return part.set_index("day")["value"].sort_index()


def _removed_by(wide: pd.DataFrame, date: str) -> float:
    listings = wide["vpn_listings_foreign_store"]
    return float(listings.loc["2017-07-28"] - listings.loc[date])


def _sellers_left(wide: pd.DataFrame, _long) -> float:
    sellers = wide["vpn_domestic_commercial"]
    return float(sellers.loc["2017-12-31"] / max(sellers[:"2017-06-30"].mean(), 1.0))


def _daily_use_log10(wide: pd.DataFrame, _long) -> float:
    return float(np.log10(wide["vpn_use"].mean() + USE_FLOOR))


def _punished_log10(wide: pd.DataFrame, _long) -> float:
    return float(np.log10(wide["users_punished_share"].iloc[-1] + PUNISHMENT_FLOOR))


PUSH_START, PUSH_END = 100, 159          # days of scenarios/field/chen_yang.toml's push


def _free_access_use(wide: pd.DataFrame, _long) -> float:
    """Daily use over the 60 days before the push: free access alone."""
    return float(wide["vpn_use"].iloc[PUSH_START - 60:PUSH_START].mean())


def _persistence(_wide, long: pd.DataFrame) -> float:
    """The treated-minus-untreated gap in use three months after the push, as a share of the
    gap over its last two weeks (clipped to [-1, 2] when the gap during the push is tiny)."""
    gap = _series(long, "treated_use", "push") - _series(long, "untreated_use", "push")
    during = gap.loc[PUSH_END - 13:PUSH_END].mean()
    after = gap.loc[PUSH_END + 85:PUSH_END + 95].mean()
    return float(np.clip(after / during, -1.0, 2.0)) if during > 0.005 else 0.0


def _reach_after_block(_wide, long: pd.DataFrame) -> float:
    return float(_series(long, "service_reach", "gram").loc[100 + 28])


MOMENTS: tuple[Moment, ...] = (
    Moment("removals_first_days", "china_2017", 60.0, 20.0,
           "press from 2017-07-29 to 07-31: Apple removed 'about 60' VPN apps in the first days",
           "foreign-store VPN listings gone between 07-28 and 08-01",
           lambda w, _l: _removed_by(w, "2017-08-01"),
           "judgement: reports say 'about 60' and 'more than 60'; one third of it"),
    Moment("removals_by_november", "china_2017", 674.0, 15.0,
           "Apple's letter to US senators, 2017-11-21: 674 VPN apps removed in 2017",
           "foreign-store VPN listings gone between 07-28 and 11-21",
           lambda w, _l: _removed_by(w, "2017-11-21"),
           "the count is exact; the error stands for the store's starting listings (700, an "
           "input set from the same letter) being uncertain by a few dozen",
           caveat="Removals can reach at most the starting listings: the moment says how fast "
                  "they go, not how many there were."),
    Moment("domestic_sellers_left", "china_2017", 0.2, 0.15,
           "GreenVPN stopped on 2017-07-01 and dozens of China-based providers shut in the "
           "summer (press reports, July 2017)",
           "domestic commercial VPNs working on 12-31, relative to January-June",
           _sellers_left,
           "judgement: 'dozens shut' of a few score is read as about a fifth left, +-0.15",
           caveat="The record counts shutdowns, not survivors; the value is the least certain "
                  "of the China moments."),
    Moment("daily_vpn_use", "china_2017", float(np.log10(0.03)), 0.2,
           "20-30 million VPN users in 2018-19, 2.4-3.6 percent of internet users; surveys "
           "asking about any use give 29 percent (GlobalWebIndex 2016)",
           "log10 of the mean daily share of users using a VPN in 2017 (floor 1e-4)",
           _daily_use_log10,
           "a count of users known to a factor, so on the log scale: 3 percent, the 2.4-3.6 "
           "range (a factor of 1.2 each side) widened to a factor of 1.6 (0.2 in log10) for the "
           "estimates being a year or two later and counting regular rather than daily users; "
           "two errors span 1.2 to 7.5 percent. (On the share itself, 0.03 +- 0.015, two errors "
           "reached down to no use at all and the moment ruled out 8% of the prior's runs.)",
           caveat="Survey 'use' counts anyone who used a VPN in a month or a year; the model's "
                  "is daily, so it should sit near the regular-user estimates and far below the "
                  "survey's 29 percent."),
    Moment("foreign_cloud_share", "china_2017", 0.08, 0.05,
           "IDC 2016: Alibaba above 40 percent of China IaaS, AWS and Azure among 'others'; "
           "CCID puts Azure 4th and AWS China 5th",
           "mean foreign share of cloud revenue in 2017",
           lambda w, _l: float(w["foreign_cloud_revenue_share"].mean()),
           "the two rankings disagree (a few percent against up to about ten each): their "
           "midpoint, +-0.05"),
    Moment("users_punished", "china_2017", -5.0, 1.0,
           "a handful of documented fines of individual users a year (Guangdong 2018: 1,000 "
           "yuan; Chongqing rules: a warning for first use) among some 750 million users",
           "log10 of the share of users punished in 2017 (floor 1e-6)",
           _punished_log10,
           "the record gives cases, not a rate: a few publicised cases a year, each read as "
           "standing for about a thousand unpublicised warnings and fines (an assumption), "
           "about 1e-5 a year; one order of magnitude each way",
           caveat="At a few thousand users the model cannot resolve rates below 1 in the "
                  "population: a run with nobody punished reads as 1e-6."),
    Moment("free_access_use", "chen_yang", 0.05, 0.04,
           "Chen & Yang (AER 2019): with free access alone fewer than 5 percent used the tool "
           "to read foreign news",
           "mean daily VPN use under free access, the 60 days before the push",
           _free_access_use,
           "'fewer than 5 percent' read as 0.05 with an error that keeps 0 to 0.13 within two",
           caveat="The subjects were Beijing students, the model's users are the baseline's "
                  "population; and the model's use is of any blocked content, not foreign news "
                  "alone."),
    Moment("encouragement_persistence", "chen_yang", 0.5, 0.2,
           "Chen & Yang (AER 2019): the temporary encouragement led to a persistent rise in "
           "use of the tool after it ended",
           "gap in use (treated - untreated) 85-95 days after the push, over its last two weeks",
           _persistence,
           "'persistent' read as about half of the gain kept, +-0.2 (judgement)"),
    Moment("blocked_service_reach", "sudden_block", 0.5, 0.15,
           "Hobbs & Roberts (APSR 2018): after Instagram's 2014 block in China about half its "
           "users stopped and about half found ways around it",
           "share of the blocked service's former users still reaching it 28 days after",
           _reach_after_block,
           "the half/half split comes from an interview (medium confidence): +-0.15"),
)

BY_NAME = {m.name: m for m in MOMENTS}
CASES = tuple(dict.fromkeys(m.case for m in MOMENTS))


def compute(moments: tuple[Moment, ...], frames: dict[str, tuple[pd.DataFrame, pd.DataFrame]]
            ) -> dict[str, float]:
    """Each moment's value from one run per case: `frames[case] = (wide by date, long)`."""
    return {m.name: m.compute(*frames[m.case]) for m in moments}


def distance(simulated: pd.DataFrame, moments: tuple[Moment, ...],
             observed: dict[str, float] | None = None) -> np.ndarray:
    """Root mean square of (simulated - observed) / error per row of `simulated` (one column
    per moment). `observed` replaces the record's values (parameter recovery)."""
    obs = np.array([(observed or {}).get(m.name, m.observed) for m in moments])
    err = np.array([m.error for m in moments])
    z = (simulated[[m.name for m in moments]].to_numpy(float) - obs) / err
    return np.sqrt(np.mean(np.where(np.isfinite(z), z, 1e3) ** 2, axis=1))   # NaN: far


def ruled_out(simulated: pd.DataFrame, moments: tuple[Moment, ...]) -> dict[str, float]:
    """Share of runs more than two observation errors from each moment's observed value."""
    return {m.name: float((np.abs(simulated[m.name] - m.observed) > 2 * m.error).mean())
            for m in moments}
