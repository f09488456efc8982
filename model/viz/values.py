"""Values on demand: the numbers behind the charts' lines for a day, on a click.

Why a panel and not hover: the charts are server-drawn PNGs, and the front-end chart pieces at
hand do not work offline (Altair/Vega load their scripts from a CDN; nothing else that is
installed draws interactive charts), so hovering a line cannot show its value. "Read the
values" opens a table of every line of the charts (key outcomes, supply and services, regions)
on the last simulated day, with a slider to read any earlier day.
"""

from __future__ import annotations

import html

import solara

from .charts import PANELS, Panel
from .keyed_charts import mechanism_panels, region_panels


def chart_panels(model) -> tuple[Panel, ...]:
    """Every panel the chart tabs draw for `model`."""
    regions = () if model.regions.single else region_panels(model)
    return (*PANELS, *mechanism_panels(model), *regions)


def value_rows(model, day: int) -> list[tuple[str, str, float]]:
    """(chart, line, value) of every line on recorded `day` (0 is the first day simulated);
    a line drawn as a share of its day-one value gives that share, as the chart does."""
    rec = model.recorder
    rows = []
    for panel in chart_panels(model):
        for s in panel.series:
            series = rec.values[s.metric] if s.key is None else rec.long[s.metric, s.key]
            value = float(series[day])
            if s.per_initial:
                value /= max(float(series[0]), 1e-12)
            rows.append((" ".join(panel.title.split()), s.label, value))
    return rows


def _number(x: float) -> str:
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:.3g}"


def values_html(model, day: int) -> str:
    cells = []
    last = None
    for chart, line, value in value_rows(model, day):
        head = html.escape(chart) if chart != last else ""
        last = chart
        cells.append(f'<tr><td style="color:#444;padding-right:12px">{head}</td>'
                     f"<td>{html.escape(line)}</td>"
                     f'<td style="text-align:right;font-weight:600">{_number(value)}</td></tr>')
    return ('<table style="font-size:13px;border-collapse:collapse;line-height:1.6">'
            + "".join(cells) + "</table>")


@solara.component
def Values(model_ref, day: int):
    """The toggle and, when open, the table (`model_ref`: a weak reference, see `app.Live`)."""
    shown = solara.use_reactive(False)
    chosen = solara.use_reactive(0)           # a day to read (1-based); 0 follows the last
    model = model_ref()
    if model is None:
        return
    solara.Button("Hide the values" if shown.value else "Read the values", text=True,
                  color="primary", on_click=lambda: shown.set(not shown.value),
                  classes=["pp-values-toggle"])
    if not shown.value:
        return
    n = model.recorder.recorded
    if n == 0:
        solara.Text("No day simulated yet: press Step or Play.", classes=["pp-values"])
        return
    at = n if not 0 < chosen.value < n else chosen.value
    solara.SliderInt(f"Day {at}: {model.calendar.date(at - 1):%d %b %Y}", value=at, min=1,
                     max=n, on_value=lambda k: chosen.set(0 if k >= n else k))
    solara.HTML(tag="div", unsafe_innerHTML=values_html(model, at - 1), classes=["pp-values"])
