"""Russia 2022: the documented outcomes of scenarios/russia/2022.toml (timeline and sources:
scenarios/russia/README.md). None of these numbers is an input of the pack."""

from __future__ import annotations

import numpy as np

from .observation import Observation, column, keyed, mean_between, on

SCENARIO = "scenarios/russia/2022.toml"
LATER = "scenarios/russia/2023_2024.toml"
BEFORE = ("2022-02-01", "2022-02-23")        # February 2022 before the invasion
DEMAND_BASE = ("2022-02-17", "2022-02-23")   # Top10VPN's baseline: the week before the invasion
POLL = ("2022-03-24", "2022-03-30")          # Levada's fieldwork
DEMAND_FLOOR = 1e-4                          # one user in 10,000 a day: a baseline of no growth


def _use(wide, first, last):
    return mean_between(column(wide, "vpn_use"), first, last)


def _demand_rise(day):
    """Rise of the day's newcomers to VPNs over the baseline week's mean: a proxy for the search
    index, `(gain on day) / (mean gain in the base week) - 1`, a gain being the day's rise in
    the share of users with a working VPN (0 when it falls)."""
    def compute(wide, long):
        gain = column(wide, "vpn_access").diff().clip(lower=0.0)
        base = max(mean_between(gain, *DEMAND_BASE), DEMAND_FLOOR)
        return on(gain, day) / base - 1.0
    return compute


def _share_ratio(service, first, last):
    def compute(wide, long):
        share = keyed(long, "service_share", service)
        return mean_between(share, first, last) / mean_between(share, *BEFORE)
    return compute


def _meta_reach(wide, long):
    """Former Instagram and Facebook users still on them through a VPN in June 2022, the two
    pooled by their users before the blocks."""
    total = weight = 0.0
    for service in ("instagram", "facebook"):
        w = mean_between(keyed(long, "service_share", service), *BEFORE)
        total += w * mean_between(keyed(long, "service_reach", service), "2022-06-01",
                                  "2022-06-30")
        weight += w
    return total / weight if weight else float("nan")


_USE_CAVEAT = ("the model's vpn_use is the share of internet users using a VPN on a day; "
               "surveys and audience panels count who uses one at all (monthly): the model's "
               "daily share should sit at or below them")
_POLL_CAVEAT = ("Levada samples adults (18+), about a fifth of whom are not internet users, while "
                "the model's users are internet users: non-users fall mostly into 'had not heard', "
                "so the survey's use and know-but-do-not shares of internet users would be up to "
                "a quarter higher and its 'not heard' share lower")

OBSERVATIONS: tuple[Observation, ...] = (
    Observation(
        "vpn_use_before", "russia", SCENARIO, observed=1.6 / 97.5,
        # one audience figure, "just over one and a half million", in one report: 0.5 points
        error=0.005,
        source="Mediascope via The Times (2022-06): 1.6 million VPN users in February 2022 of 97.5 "
        "million internet users aged 12+",
        statistic="mean vpn_use, 2022-02-01..02-23", compute=lambda w, l: _use(w, *BEFORE),
        caveat=_USE_CAVEAT),
    Observation(
        "vpn_use_growth_may", "russia", SCENARIO, observed=24.0 / 1.6,
        # the ratio of two rounded audience counts with a small base (1.5 to 1.7 million gives
        # 14 to 16) and a different way of counting than the model's daily use: 5
        error=5.0,
        source="Mediascope via The Times (2022-06): 24 million VPN users in May 2022 against 1.6 "
        "million in February",
        statistic="mean vpn_use in May 2022 / mean vpn_use 2022-02-01..02-23",
        compute=lambda w, l: _use(w, "2022-05-01", "2022-05-31") / _use(w, *BEFORE),
        caveat=_USE_CAVEAT),
    Observation(
        "vpn_demand_march_5", "russia", SCENARIO, observed=10.92,
        # demand indices disagree: searches +1,092% (Top10VPN), downloads of the top VPN apps
        # 16,000 to 700,000 a day (+4,275%, Appfigures) or 15,000 to 475,000 (+3,067%,
        # Apptopia): 10 (1,000 percentage points)
        error=10.0,
        source="Top10VPN demand index: +1,092% on 2022-03-05 over the daily average of the week "
        "before the invasion",
        statistic="daily rise in vpn_access on 2022-03-05 / its mean 2022-02-17..23 (floor 1e-4) "
        "- 1", compute=_demand_rise("2022-03-05"),
        caveat="the index counts searches (and the others downloads); the model's proxy is the "
        "day's net gain in users with a working VPN, whose baseline is near zero in a settled "
        "market (hence the floor): the proxy is volatile at small sizes"),
    Observation(
        "vpn_demand_peak_march_13", "russia", SCENARIO, observed=20.88,
        error=10.0,                       # as vpn_demand_march_5
        source="Top10VPN demand index: +2,088% at its peak on 2022-03-13 (the weekend of the "
        "Instagram block announcement)",
        statistic="daily rise in vpn_access on 2022-03-13 / its mean 2022-02-17..23 (floor 1e-4) "
        "- 1", compute=_demand_rise("2022-03-13"),
        caveat="as vpn_demand_march_5; the model blocks Instagram on 03-14, the announcement on "
        "03-11 (users acting before the block) is not modelled"),
    Observation(
        "levada_use", "russia", SCENARIO, observed=0.23,
        # sampling error of a share of 0.23 in about 1,600 interviews is 1.1 points; doubled for
        # the design effect of a multi-stage sample: 2 points
        error=0.02,
        source="Levada Center, 24-30 March 2022 (levada.ru/2022/04/08/internet-sotsialnye-seti-i-vpn/): "
        "23% use a VPN",
        statistic="mean vpn_use, 2022-03-24..30", compute=lambda w, l: _use(w, *POLL),
        caveat=_USE_CAVEAT + "; " + _POLL_CAVEAT),
    Observation(
        "levada_aware_not_using", "russia", SCENARIO, observed=0.25,
        error=0.03,                        # 2 points of sampling error, plus "about" a quarter
        source="Levada Center, 24-30 March 2022: about a quarter know of VPNs but do not use one",
        statistic="mean (vpn_aware - vpn_use), 2022-03-24..30",
        compute=lambda w, l: mean_between(column(w, "vpn_aware") - column(w, "vpn_use"), *POLL),
        caveat=_POLL_CAVEAT),
    Observation(
        "levada_not_heard", "russia", SCENARIO, observed=0.5,
        error=0.03,                        # 2 points of sampling error, plus "about" half
        source="Levada Center, 24-30 March 2022: about half had not heard of VPNs",
        statistic="mean (1 - vpn_aware), 2022-03-24..30",
        compute=lambda w, l: mean_between(1.0 - column(w, "vpn_aware"), *POLL),
        caveat=_POLL_CAVEAT),
    Observation(
        "meta_users_through_vpn", "russia", SCENARIO, observed=0.26,
        # a bank's online survey, sample size and fieldwork dates not published: 5 points
        error=0.05,
        source="Otkritie bank survey (TASS, June 2022): 26% of Instagram and Facebook users kept "
        "using them through a VPN after the blocks (39% stopped on principle, 5% out of fear)",
        statistic="service_reach of instagram and facebook pooled by their users before the "
        "blocks, mean over June 2022", compute=_meta_reach,
        caveat="the survey's base (former users of either) and dates are not published; the "
        "model's reach counts users still holding the service and using a VPN that day"),
    Observation(
        "instagram_daily_april", "russia", SCENARIO, observed=14.2 / 37.8,
        # Mediascope counts sessions of any length, failed ones included (0.38); with sessions
        # of 5 minutes or more the ratio is 6.0 / 28.9 = 0.21: 0.08 covers half that range
        error=0.08,
        source="Mediascope via Forbes Russia (2022-08): Instagram's average daily audience 37.8 "
        "million in February 2022, 14.2 million in April",
        statistic="mean service_share of instagram in April 2022 / its mean 2022-02-01..02-23",
        compute=_share_ratio("instagram", "2022-04-01", "2022-04-30"),
        caveat="a daily audience against the model's share of users holding the service as their "
        "main one in its category"),
    Observation(
        "instagram_daily_july", "russia", SCENARIO, observed=10.6 / 37.8,
        error=0.05,                        # sessions of 5 minutes or more: 5.5 / 28.9 = 0.19
        source="Mediascope via Forbes Russia (2022-08): Instagram's average daily audience 10.6 "
        "million in July 2022 against 37.8 million in February",
        statistic="mean service_share of instagram in July 2022 / its mean 2022-02-01..02-23",
        compute=_share_ratio("instagram", "2022-07-01", "2022-07-31"),
        caveat="as instagram_daily_april"),
    Observation(
        "facebook_daily_july", "russia", SCENARIO, observed=1.9 / 9.0,
        # "around 9 million" in February; with 5-minute sessions 0.305 / 2.7 = 0.11
        error=0.05,
        source="Mediascope via Forbes Russia (2022-08): Facebook's average daily audience about 9 "
        "million in February 2022, 1.9 million in July",
        statistic="mean service_share of facebook in July 2022 / its mean 2022-02-01..02-23",
        compute=_share_ratio("facebook", "2022-07-01", "2022-07-31"),
        caveat="as instagram_daily_april"),
    Observation(
        "rocit_use_september_2023", "russia", LATER, observed=0.221,
        # a non-probability online panel of 7,000 adults: sampling error is small (0.5 points),
        # the panel's lean towards active internet users is not: 3 points
        error=0.03,
        source="ROCIT and V-Project survey, September 2023, 7,000 respondents aged 18+: 22.1% "
        "actively use VPNs, 62.5% do not",
        statistic="mean vpn_use in September 2023", compute=lambda w, l: _use(
            w, "2023-09-01", "2023-09-30"),
        caveat=_USE_CAVEAT + "; taken during the model's block of plain protocols"),
    Observation(
        "apple_complied_july_2024", "russia", LATER, observed=1.0,
        # a fact, not a measurement: Apple removed the apps. The error is chosen so that a store
        # that has not complied by the end of July (the model's 0) lies 4 sd away
        error=0.25,
        source="Apple removes 25 VPN apps from its Russian store on 2024-07-04 at Roskomnadzor's "
        "demand (Interfax; Reuters)",
        statistic="foreign_compliance on 2024-07-31 (the store is the only foreign entity with "
        "an obligation in the pack)",
        compute=lambda w, l: on(column(w, "foreign_compliance"), "2024-07-31"),
        caveat="the pack dates the order on the removal (its own date was not published), so "
        "any delay the model has is a miss; Apple removed some apps (25; 98 unavailable in all "
        "by AppleCensorship's count), the model's store removes its listings gradually once it "
        "complies"),
)

assert all(np.isfinite([o.observed, o.error]).all() for o in OBSERVATIONS)
