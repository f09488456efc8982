"""Documented 2017 patterns the calibration never sees: held out for the validation page.

Each says what was observed, its source, the statistic the model gives and the interval it
must fall in. They are qualitative (a disruption, platforms staying) and so are judged as
intervals; the quantitative facts are calibration moments (moments.py), and a fact is never
both. The first model's interval targets became moments in Model 2.0's calibration.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class Target:
    name: str
    observed: str          # what the record says
    source: str
    statistic: str         # what the model gives, in words
    low: float
    high: float
    compute: Callable[[pd.DataFrame], float]     # from a run's daily table, by date
    caveat: str = ""           # what a reader should know when judging the comparison


def _access_ratio(f: pd.DataFrame, during: tuple[str, str], before: tuple[str, str]) -> float:
    access = f["vpn_access"]
    return access[during[0]:during[1]].mean() / max(access[before[0]:before[1]].mean(), 1e-9)


def _foreign_platforms_kept(f: pd.DataFrame) -> float:
    active = f["foreign_platforms_active"]
    return float(active.iloc[-1] / max(active.iloc[0], 1.0))


HELD_OUT: tuple[Target, ...] = (
    Target("disruption_at_congress",
           "VPN disruption reported when the 19th Party Congress opened (2017-10-18)",
           "docs/evidence.md, timeline and VPN supply",
           "mean VPN access 10-16..10-24 relative to 09-01..09-14 (below 1: disrupted)", 0.0,
           0.99, lambda f: _access_ratio(f, ("2017-10-16", "2017-10-24"),
                                         ("2017-09-01", "2017-09-14"))),
    Target("disruption_at_two_sessions",
           "VPN disruptions reported around the Two Sessions in several years (2017-03)",
           "docs/evidence.md, timeline",
           "mean VPN access 03-03..03-15 relative to February (below 1: disrupted)", 0.0, 0.99,
           lambda f: _access_ratio(f, ("2017-03-03", "2017-03-15"),
                                   ("2017-02-01", "2017-02-28")),
           caveat="In the first model network blocking took single providers offline and, "
           "with hundreds of listings left before the app-store removals, almost every user "
           "kept another channel: the reported slowdowns did not show in users' access. Since "
           "Model 2.0 the firewall blocks whole protocol classes in waves (docs/ODD.md 7.5), "
           "so a Two Sessions wave can cut access; 2017's own disruption is not documented, "
           "only other years' (docs/evidence.md)."),
    Target("foreign_platforms_stay",
           "Apple, AWS and Azure all stayed in China through 2017; AWS sold its Beijing "
           "assets to its partner Sinnet (2017-11-10) but kept operating through it",
           "docs/evidence.md, timeline",
           "foreign platforms operating on 12-31 relative to 01-01", 1.0, 1.0,
           _foreign_platforms_kept),
)
