"""The scenario's calendar turned into per-day arrays the daily step reads."""

from __future__ import annotations

import datetime as dt

import numpy as np

from .config.events import Event


class Calendar:
    """Events by simulated day, and the intensity multipliers they imply.

    Events dated before the start take effect on day 0 (a law already in force, a directive
    already issued). A day's multiplier is the product of the laws in force times the largest
    multiplier of the sensitive periods covering it.
    """

    def __init__(self, events: tuple[Event, ...], start: dt.date, days: int,
                 law_multiplier: float, sensitive_multiplier: float) -> None:
        self.start, self.days, self.events = start, days, events
        self.law_factor = np.ones(days)
        self.sensitive_factor = np.ones(days)
        self._due: dict[int, list[Event]] = {}
        for ev in events:
            first = (ev.date - start).days
            if first >= days:
                continue
            if ev.kind == "law":
                self.law_factor[max(first, 0):] *= ev.multiplier or law_multiplier
            elif ev.kind == "sensitive_period":
                last = (ev.end - start).days
                if last < 0:
                    continue
                window = slice(max(first, 0), min(last, days - 1) + 1)
                self.sensitive_factor[window] = np.maximum(
                    self.sensitive_factor[window], ev.multiplier or sensitive_multiplier)
            elif ev.kind in ("directive", "block_service") and (
                    ev.kind == "directive" or first >= 0):   # a past block is no sudden shock
                self._due.setdefault(max(first, 0), []).append(ev)

    @classmethod
    def of(cls, scenario) -> Calendar:
        """The calendar of a loaded scenario."""
        p = scenario.params
        return cls(scenario.events, p["start_date"], p["days"], p["law_multiplier"],
                   p["sensitive_multiplier"])

    def date(self, day: int) -> dt.date:
        return self.start + dt.timedelta(days=day)

    def due(self, day: int) -> list[Event]:
        """Directives and service blocks that take effect on `day`."""
        return self._due.get(day, [])

    def multiplier(self, day: int) -> float:
        return float(self.law_factor[day] * self.sensitive_factor[day])

    def sensitive(self, day: int) -> bool:
        return bool(self.sensitive_factor[day] > 1.0)

    def markers(self) -> list[Event]:
        """Every dated event inside the horizon, for figures."""
        end = self.date(self.days - 1)
        return [e for e in self.events if self.start <= e.date <= end]
