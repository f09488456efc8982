"""Live charts of the outcome time series, with the scenario's dated events marked.

The main chart follows the questions the model asks: VPN supply, VPN awareness/access/use, the
cloud market (foreign vs domestic), and enforcement. A second chart draws every recorded metric
(`model.METRIC_NAMES`, the columns of `timeseries.parquet`) one at a time, picked from a list
(twenty small multiples were unreadable and slow). Both read the
model's preallocated recorder arrays, span the whole horizon from the start (so a run fills in
from left to right and every event is visible before it happens), and are redrawn by blitting
(`live_figure.py`). Events are drawn as in `pressure run`'s figure: directives, laws and blocks
as numbered vertical lines, sensitive periods as shaded spans; `event_rows` lists them.

Legible as shown: a chart is drawn about as wide as the page shows it (`WIDTH_IN` at `DPI`, the
card's width at 1280 px; CSS shrinks it, never enlarges it), and no text in it is smaller than
`FONT_PT`, so chart text is at least 11 px on the screen.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass

import matplotlib.dates as mdates
import numpy as np
import solara
from matplotlib.figure import Figure

from ..outcomes import METRICS
from . import palette
from .cache import per_model
from .live_figure import LiveFigure, grown_limit

EVENT_COLOURS: dict[str, str] = {}      # every event is drawn in `palette.EVENT_LINE`
DPI = 100
WIDTH_IN = 4.0          # 400 px drawn; shown 376 px at 1280x800 (text x 0.94)
FONT_PT = 9.0           # 12.5 px drawn, 11.75 px shown at 1280x800


@dataclass(frozen=True)
class Series:
    metric: str
    label: str
    colour: str
    style: str = "-"
    width: float = 1.7
    per_initial: bool = False      # a count shown as a share of its day-one value
    key: str | None = None         # a series of the long table: (metric, key)


@dataclass(frozen=True)
class Panel:
    title: str
    series: tuple[Series, ...]
    top: float = 1.05              # initial upper y-limit
    cap: float = 1.05              # the limit grows with the data up to this


PANELS: tuple[Panel, ...] = (
    Panel("VPN supply\n(share of day 1)", (
        Series("vpn_availability", "availability", palette.INTENSITY),
        Series("vpn_listings_foreign_store", "store apps", palette.SIDE["foreign"], "--",
               1.3, per_initial=True),
        Series("vpn_domestic_commercial", "sellers", palette.SIDE["domestic"], ":", 1.5,
               per_initial=True),
    )),
    Panel("VPN use\n(share of users)", (
        Series("vpn_aware", "aware", palette.STATE["aware"], "-", 1.3),
        Series("vpn_access", "access", palette.NEUTRAL, "--"),
        Series("vpn_use", "use", palette.STATE["using"], "-", 2.0),
    ), top=0.1),
    Panel("cloud market\nshare", (
        Series("domestic_cloud_share", "domestic", palette.SIDE["domestic"]),
        Series("foreign_cloud_share", "foreign", palette.SIDE["foreign"]),
        Series("foreign_cloud_revenue_share", "foreign revenue", palette.SIDE["foreign"], "--", 1.2),
    )),
    Panel("enforcement", (
        Series("effective_intensity", "intensity", palette.INTENSITY),
        Series("mean_perceived_risk", "perceived risk", palette.STATE["punished"], "-", 1.4),
        Series("foreign_compliance", "foreign compliance", palette.SIDE["foreign"], ":", 1.4),
    )),
)


def outcome_panels() -> tuple[Panel, ...]:
    """One panel per recorded metric, titled with its name and unit."""
    out = []
    for m in METRICS:
        bounded = m.unit.startswith(("share", "index"))
        out.append(Panel(f"{m.name} ({m.unit})", (Series(m.name, m.name, palette.INTENSITY),),
                         top=1.05 if bounded else 1.0, cap=1.05 if bounded else np.inf))
    return tuple(out)


METRIC_CHOICES: tuple[str, ...] = tuple(m.name for m in METRICS)


def main_chart(model) -> LiveFigure:
    """The model's main chart (built on first use, then updated in place)."""
    return per_model(model, "main_chart", lambda m: build_chart(
        m, PANELS, figsize=(WIDTH_IN, 7.6), columns=1, legends=True))


def outcome_chart(model, metric: str) -> LiveFigure:
    """One recorded metric's chart (built when it is first picked, then kept)."""
    panel = next(p for p in outcome_panels() if p.series[0].metric == metric)
    return per_model(model, f"outcome:{metric}", lambda m: build_chart(
        m, (panel,), figsize=(WIDTH_IN, 2.6), columns=1, legends=False))


def build_chart(model, panels: tuple[Panel, ...], figsize: tuple[float, float], columns: int,
                legends: bool) -> LiveFigure:
    """Panels sharing the date axis over the whole horizon. `legends`: the main chart's style
    (a legend row above each panel, numbered events); without, small multiples with titles."""
    start, days = model.p["start_date"], model.days
    x = mdates.date2num(start) + np.arange(days)
    rows = -(-len(panels) // columns)
    fig = Figure(figsize=figsize, dpi=DPI)
    axes = fig.subplots(rows, columns, sharex=True, squeeze=False).ravel()
    height = figsize[1]           # margins in inches, whatever the figure's height
    if legends:       # a fixed layout: "constrained" costs a second for each new model
        fig.subplots_adjust(left=0.17, right=0.97, top=1 - 0.85 / height,
                            bottom=0.3 / height, hspace=0.62)
    else:                         # a shared legend row on top of small multiples
        fig.subplots_adjust(left=0.1 + 0.02 * (columns == 1), right=0.97,
                            top=1 - (0.3 if columns == 1 else 0.6) / height,
                            bottom=0.3 / height, hspace=0.45, wspace=0.35)
    for ax in axes[len(panels):]:
        ax.set_visible(False)
    lines: list[tuple[object, Series, Panel]] = []
    todays = []
    for ax, panel in zip(axes, panels, strict=False):
        if legends:
            ax.set_ylabel(panel.title, fontsize=FONT_PT)
        else:
            ax.set_title(panel.title, fontsize=FONT_PT, loc="left")
        ax.set_xlim(x[0], x[-1] + 1)
        ax.set_ylim(0, panel.top)
        ax.grid(alpha=0.3)
        ax.tick_params(labelsize=FONT_PT)
        for s in panel.series:
            (line,) = ax.plot([], [], s.style, color=s.colour, lw=s.width, label=s.label)
            lines.append((line, s, panel))
        todays.append(ax.axvline(x[0], color="#444444", lw=0.8, ls=(0, (2, 2))))
        if legends:     # one row above the panel
            ax.legend(loc="lower left", bbox_to_anchor=(-0.02, 0.98), ncol=_columns(panel),
                      fontsize=FONT_PT,
                      frameon=False, borderaxespad=0.1, handlelength=1.3, handletextpad=0.3,
                      columnspacing=0.7)
    if not legends and columns > 1:
        fig.legend(handles=[ln for ln, _, p in lines if p is panels[0]], loc="upper center",
                   ncol=3, fontsize=FONT_PT, frameon=False, handlelength=1.3,
                   bbox_to_anchor=(0.5, 1.0))
    _mark_events(axes[:len(panels)], model, x, numbered=legends)
    months = (1, 4, 7, 10) if columns > 1 or days > 400 else (1, 3, 5, 7, 9, 11)
    for ax in axes:
        ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=months))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%b" if days <= 400 else "%b %y"))

    def update() -> bool:
        n = model.recorder.recorded
        grew = False
        for line, s, panel in lines:
            y = (model.recorder.values[s.metric] if s.key is None
                 else model.recorder.long[s.metric, s.key])[:n]
            if s.per_initial and n:
                y = y / max(float(y[0]), 1e-12)
            line.set_data(x[:n], y)
            top = grown_limit(y, line.axes.get_ylim()[1], cap=panel.cap)
            if top is not None:
                line.axes.set_ylim(0, top)
                grew = True
        for marker in todays:
            marker.set_xdata([x[max(n - 1, 0)]] * 2)
        return grew

    return LiveFigure(fig, [line for line, _, _ in lines] + todays, update)


def _columns(panel: Panel) -> int:
    """Legend columns: three when the labels fit the chart's width in one row, else two."""
    return 3 if sum(len(s.label) + 4 for s in panel.series) <= 46 else 2


def _number_rows(days: np.ndarray, apart: float) -> list[int]:
    """A row (0, 1, 2) for each event number, so that numbers less than `apart` days apart
    never share a row (they read as one number: "68")."""
    last: list[float] = [-np.inf] * 3
    rows = []
    for at in days:
        row = next((r for r in range(3) if at - last[r] >= apart), 0)
        last[row] = at
        rows.append(row)
    return rows


def _mark_events(axes, model, x: np.ndarray, numbered: bool) -> None:
    first = mdates.date2num(model.p["start_date"])
    markers = model.calendar.markers()
    where = [max(mdates.date2num(ev.date), first) for ev in markers]
    rows = _number_rows(np.array(where), apart=len(x) * 0.06)
    for k, ev in enumerate(markers, start=1):
        at = max(mdates.date2num(ev.date), first)
        colour = EVENT_COLOURS.get(ev.kind, palette.EVENT_LINE)
        for ax in axes:
            if ev.kind == "sensitive_period":
                ax.axvspan(at, min(mdates.date2num(ev.end), x[-1]) + 1, color=palette.PERIOD_BAND,
                           alpha=0.25, lw=0)
            else:
                ax.axvline(at, color=colour, lw=0.8, alpha=0.6,
                           ls="--" if ev.kind == "marker" else "-")
        if numbered:    # above the top panel's legend row
            axes[0].annotate(str(k), xy=(at, 1.0), xycoords=("data", "axes fraction"),
                             xytext=(1, 15 + 10 * rows[k - 1]), textcoords="offset points",
                             fontsize=FONT_PT, color=colour, annotation_clip=False)


def event_rows(model) -> list[tuple[int, dt.date, str, str, bool]]:
    """The numbered events of the charts: (number, date, label, colour, already happened)."""
    today = model.calendar.date(max(model.recorder.recorded - 1, 0))
    done = model.recorder.recorded > 0
    return [(k, ev.date, ev.label, EVENT_COLOURS.get(ev.kind, palette.EVENT_LINE),
             done and ev.date <= today)
            for k, ev in enumerate(model.calendar.markers(), start=1)]


CHART_CSS = ".pp-chart { max-width: 100%; height: auto; }"
"""Shown at the size drawn, or smaller on a narrow card (never blown up: blurred text)."""


def smallest_text_pt(fig) -> float:
    """The smallest font size (points) of any text drawn in `fig` (tests check it as shown)."""
    from matplotlib.text import Text

    return min(t.get_fontsize() for t in fig.findobj(Text)
               if t.get_visible() and t.get_text().strip())


@solara.component
def ChartImage(chart, model_ref, day: int, css: str, which: str = ""):
    """`chart(model)`'s picture, redrawn when the day, the model or `which` (the chart's
    choice, if it has one) changes (`model_ref`: a weak reference, see `app.Live`)."""
    png = solara.use_memo(lambda: chart(model_ref()).png() if model_ref() else b"",
                          [model_ref, day, which])
    solara.Style(CHART_CSS)
    solara.Image(png, classes=["pp-chart", css])


@solara.component
def Charts(model_ref, day: int):
    """The main chart."""
    ChartImage(main_chart, model_ref, day, "pp-charts")


@solara.component
def AllOutcomes(model_ref, day: int):
    """Any recorded metric, one at a time (rendered only while its tab is open)."""
    metric = solara.use_reactive(METRIC_CHOICES[0])
    solara.Select("Outcome", value=metric, values=list(METRIC_CHOICES),
                  classes=["pp-outcome-pick"])
    ChartImage(lambda m: outcome_chart(m, metric.value), model_ref, day, "pp-outcomes",
               which=metric.value)


@solara.component
def EventList(model_ref, day: int):
    """The numbered events of the charts; those already past are in bold."""
    model = model_ref()
    if model is None:
        return
    rows = [f'<li style="color:{colour};{"font-weight:600" if done else "opacity:0.75"}">'
            f"{k} · {date:%d %b %Y} · {html.escape(label)}</li>"
            for k, date, label, colour, done in event_rows(model)]
    solara.HTML(tag="div", unsafe_innerHTML=(
        '<ul style="list-style:none;padding-left:4px;margin:0;font-size:12px;'
        'columns:2;column-gap:24px">' + "".join(rows) + "</ul>"),
        classes=["pp-events"])
