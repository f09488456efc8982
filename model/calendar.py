"""The scenario's calendar turned into per-day arrays the daily step reads."""

from __future__ import annotations

import datetime as dt

import numpy as np

from .config.events import Event, occurrences


class HorizonWarning(UserWarning):
    """A scenario's event is dated after its last simulated day."""


class Calendar:
    """Events by simulated day, and the intensity multipliers they imply.

    Events dated before the start take effect on day 0 (a law already in force, a directive
    already issued). Yearly periods repeat in every year of the horizon (`occurrences`). A day's
    multiplier is the product of the laws in force times the largest multiplier of the
    sensitive periods covering it: a factor on the odds of enforcement (7.2).
    """

    def __init__(self, events: tuple[Event, ...], start: dt.date, days: int,
                 law_multiplier: float, sensitive_multiplier: float) -> None:
        events = occurrences(events, start, start + dt.timedelta(days=days - 1))
        self.start, self.days, self.events = start, days, events
        self.law_factor = np.ones(days)
        self.sensitive_factor = np.ones(days)
        self._due: dict[int, list[Event]] = {}
        self._ending: dict[int, list[Event]] = {}
        self._withdrawals: dict[int, list[Event]] = {}
        self.before_start: list[Event] = []        # service blocks and bans already in force
        self.protocol_periods: list[tuple[Event, int, int]] = []
        self.shutdowns: list[tuple[str, int, int]] = []   # (region id, first day, last day)
        for ev in events:
            first = (ev.date - start).days
            if first >= days:
                continue
            last = (ev.end - start).days if ev.end is not None else None
            if ev.kind == "law":
                self.law_factor[max(first, 0):] *= ev.multiplier or law_multiplier
            elif ev.kind == "sensitive_period":
                if last < 0:
                    continue
                window = slice(max(first, 0), min(last, days - 1) + 1)
                self.sensitive_factor[window] = np.maximum(
                    self.sensitive_factor[window], ev.multiplier or sensitive_multiplier)
            elif ev.kind in ("directive", "asset_sale"):      # before the start: on day 0
                self._due.setdefault(max(first, 0), []).append(ev)
            elif ev.kind in ("block_service", "ban_service"):
                if first >= 0:
                    self._due.setdefault(first, []).append(ev)
                else:                         # a past block is no sudden shock
                    self.before_start.append(ev)
                if ev.kind == "ban_service" and ev.withdraw_days is not None \
                        and first + ev.withdraw_days >= 0:   # else withdrawn before the start
                    self._withdrawals.setdefault(first + ev.withdraw_days, []).append(ev)
            elif ev.kind == "encouragement":
                if last < 0:
                    continue
                self._due.setdefault(max(first, 0), []).append(ev)
                self._ending.setdefault(last + 1, []).append(ev)
            elif ev.kind in ("block_protocol", "throttle_protocol") and last >= 0:
                self.protocol_periods.append((ev, max(first, 0), min(last, days - 1)))
            elif ev.kind == "internet_shutdown" and last >= 0:
                self.shutdowns.append((ev.region, max(first, 0), min(last, days - 1)))

    @classmethod
    def of(cls, scenario) -> Calendar:
        """The calendar of a loaded scenario."""
        p = scenario.params
        return cls(scenario.events, p["start_date"], p["days"], p["law_multiplier"],
                   p["sensitive_multiplier"])

    def date(self, day: int) -> dt.date:
        return self.start + dt.timedelta(days=day)

    def due(self, day: int) -> list[Event]:
        """Directives, service blocks and bans, encouragements and asset sales that start on
        `day`."""
        return self._due.get(day, [])

    def ending(self, day: int) -> list[Event]:
        """Encouragements whose last day was yesterday."""
        return self._ending.get(day, [])

    def withdrawals(self, day: int) -> list[Event]:
        """Bans whose service withdraws itself on `day`."""
        return self._withdrawals.get(day, [])

    def offline(self, day: int) -> set[str]:
        """Regions whose internet is shut on `day`."""
        return {region for region, first, last in self.shutdowns if first <= day <= last}

    def multiplier(self, day: int) -> float:
        return float(self.law_factor[day] * self.sensitive_factor[day])

    def sensitive(self, day: int) -> bool:
        return bool(self.sensitive_factor[day] > 1.0)

    def markers(self) -> list[Event]:
        """Every dated event inside the horizon, for figures."""
        end = self.date(self.days - 1)
        return [e for e in self.events if self.start <= e.date <= end]
