"""The reference scenario's calendar (laws, directives, blocks, sensitive periods) marked on an
experiment's time series, as the single-run figure marks it, numbered and listed in the text."""

from __future__ import annotations

import pandas as pd

from .load import ExperimentData

LINE, SPAN = "#777777", "#d9d2e9"


def reference_events(data: ExperimentData) -> list:
    """The dated events of the reference scenario (as the manifest resolved it) inside the
    runs' dates; none when the scenario cannot be rebuilt."""
    from ..calendar import Calendar
    from ..config.errors import ScenarioError
    from ..outputs.record import scenario_from_dict

    ref = data.experiment["reference"]
    found = [s for s in data.manifest.get("scenarios", []) if s.get("name") == ref]
    if not found or data.timeseries.empty:
        return []
    try:
        scenario = scenario_from_dict(found[0]["resolved"], "manifest.json")
    except (ScenarioError, KeyError, TypeError):
        return []
    dates = data.timeseries["date"]
    lo, hi = pd.Timestamp(dates.min()).date(), pd.Timestamp(dates.max()).date()
    return [e for e in Calendar.of(scenario).events if lo <= e.date <= hi]


def mark(axes, events: list, until=None, numbered: bool = True) -> None:
    """Each event as a line (a period as a band, cut at `until`) on every panel, numbered on
    top of each."""
    for k, ev in enumerate(events, start=1):
        start = pd.Timestamp(ev.date)
        for ax in axes:
            if ev.end is not None:
                end = pd.Timestamp(ev.end) if until is None else min(pd.Timestamp(ev.end),
                                                                     pd.Timestamp(until))
                ax.axvspan(start, end, color=SPAN, alpha=0.5, lw=0, zorder=0)
            else:
                ax.axvline(start, color=LINE, lw=0.6, ls="--", zorder=0)
            if numbered:
                ax.annotate(str(k), xy=(start, 1.0), xycoords=("data", "axes fraction"),
                            xytext=(1, 1), textcoords="offset points", fontsize=6,
                            color=LINE, annotation_clip=False)


def legend(events: list) -> str:
    """Markdown: the numbered events, their dates and labels."""
    if not events:
        return ""
    rows = [f"{k}. {ev.date:%Y-%m-%d}" + (f" to {ev.end:%Y-%m-%d}" if ev.end else "")
            + f": {ev.label}" for k, ev in enumerate(events, start=1)]
    return ("Events of the reference scenario marked on the figure (dashed lines; periods "
            "shaded):\n\n" + "\n".join(rows) + "\n")
