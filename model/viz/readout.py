"""The small panel of current figures above the network and charts.

It answers "where are we now" at a glance while a run plays: the simulated date, enforcement
intensity (and whether a sensitive period is on), VPN use and access, VPN availability, the foreign
share of the cloud market, and sanctions and punishments so far. The values are the last
recorded day's, from the same recorder the charts and `timeseries.parquet` read; before the
first step they are the initial state's, measured as the recorder would (so they agree with the
network, which shows that state), not dashes.

The date is the morning after the days simulated: 01 Jan before any step, 02 Jan after the
first (a step simulates a whole day, so the date moves with every Step).
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import solara


@dataclass(frozen=True)
class Reading:
    key: str        # a stable name (also the CSS class `pp-fig-<key>` the browser tests read)
    label: str
    value: str
    detail: str


def current_figures(model) -> list[Reading]:
    """Today's figures, formatted."""
    rec = model.recorder
    n = rec.recorded
    day = max(n - 1, 0)
    date = model.calendar.date(n)
    initial = None if n else model.measure()

    def v(name: str) -> float:
        return rec.latest(name) if n else initial[name]

    status = f"day {n} of {model.days}" if n else "initial state (press Step or Play)"
    if n and n >= model.days:
        status += " (end)"
    sensitive = model.calendar.sensitive(day)
    return [
        Reading("date", "Date", f"{date:%d %b %Y}", status),
        Reading("intensity", "Effective intensity", f"{model.intensity:.2f}",
               "sensitive period" if sensitive else f"base {model.p['enforcement_intensity']:g}"),
        Reading("vpn_use", "VPN use", _pct(v("vpn_use")), f"access {_pct(v('vpn_access'))}"),
        Reading("vpn_availability", "VPN availability", _pct(v("vpn_availability")),
                f"of interested users; {v('vpn_providers_working'):,.0f} providers working"),
        Reading("foreign_share", "Foreign cloud share", _pct(v("foreign_cloud_share")),
               f"revenue {_pct(v('foreign_cloud_revenue_share'))}"),
        Reading("sanctions", "Sanctions", f"{model.sanctions_total:,}",
               f"{model.users.punished_total:,} users punished, "
               f"{model.customers_shut_down_total:,} customers shut"),
    ]


def _pct(x: float) -> str:
    return "–" if x != x else f"{x:.1%}"


_CARD = ("flex:1 1 150px;min-width:150px;padding:8px 12px;border-radius:4px;"
         "box-shadow:0 1px 3px rgba(0,0,0,.2),0 1px 1px rgba(0,0,0,.14);background:white")


def readout_html(model) -> str:
    """The cards as one HTML block: one widget to update a frame, not thirty."""
    cards = [f'<div class="pp-fig-{r.key}" style="{_CARD}">'
             f'<div style="font-size:12px;color:#666">{html.escape(r.label)}</div>'
             f'<div class="pp-value" style="font-size:20px;font-weight:600">'
             f"{html.escape(r.value)}</div>"
             f'<div style="font-size:11px;color:#777">{html.escape(r.detail)}</div></div>'
             for r in current_figures(model)]
    return '<div style="display:flex;flex-wrap:wrap;gap:8px">' + "".join(cards) + "</div>"


@solara.component
def Readout(model_ref, day: int):
    """A row of cards, one per current figure (`model_ref`: a weak reference, see `app.Live`)."""
    model = model_ref()
    if model is None:
        return
    solara.HTML(tag="div", unsafe_innerHTML=readout_html(model), classes=["pp-readout"])
