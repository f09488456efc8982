"""The app page: `solara run model.viz.app:page` (or `pressure viz`).

Layout: a sidebar with the run controls (Reset, play/pause, Step; `run_controls.py` says why
they are not Mesa's `ModelController`) and the parameter panel; beside it the current figures,
the network view and the chart tabs (cards side by side at 1280 px, stacked on narrower windows),
keys to the drawings' marks (`legends.py`), the values behind the charts on a click
(`values.py`) and the numbered list of the scenario's events. Everything is drawn with
matplotlib to PNG on the server: nothing is fetched from a CDN, so the page works offline (with
solara-assets installed); `page_script.py` adds what no widget offers (the page's language, alt
text, the drawer closing on Play).

The scenario the page opens with is `$PRESSURE_VIZ_SCENARIO` (set by `pressure viz --scenario`),
else china_2017.
"""

from __future__ import annotations

import os
import threading
import weakref

import solara
import solara.lab

from .about import About
from .charts import AllOutcomes, Charts, EventList
from .keyed_charts import Mechanisms, Regions
from .controls import Controls, initial_parameters
from .interactive import InteractiveModel
from .legends import chart_key_html
from .levers import DEFAULT_SCENARIO, SCENARIO_ENV
from .network_view import NetworkView, state_counts
from .page_script import PageScript
from .readout import Readout, current_figures
from .run_controls import RunControls
from .sessions import ModelSlot
from .values import Values

PAUSE_MS = 40
DAYS_PER_FRAME = 1
LAYOUT_CSS = """
.pp-cards { display: flex; flex-wrap: wrap; gap: 12px; align-items: flex-start; }
.pp-cards > .pp-card { flex: 1 1 380px; min-width: 0; }
"""
"""The network and outcome cards side by side while both fit 380 px (a 1280 px window),
stacked on narrower windows."""


def opening_scenario() -> str:
    return os.environ.get(SCENARIO_ENV) or DEFAULT_SCENARIO


@solara.component
def Page():
    extra = os.environ.get(SCENARIO_ENV) or None
    first = solara.use_memo(lambda: initial_parameters(opening_scenario()), [])
    params = solara.use_reactive(first)
    version = solara.use_reactive(0)           # bumped by Reset; the model is in the slot
    model = solara.use_memo(lambda: ModelSlot(InteractiveModel(**first), version), [])
    model.version                              # re-render when Reset replaces the model
    pause_ms = solara.use_reactive(PAUSE_MS)
    days_per_frame = solara.use_reactive(DAYS_PER_FRAME)
    drawn = solara.use_memo(threading.Event, [])
    frame = solara.use_reactive(0)             # bumped after each computed frame
    current = model.value

    solara.Title("platform-pressure")
    with solara.AppBar():
        solara.AppBarTitle(f"platform-pressure · {current.config.name} · seed {current.seed}")
    with solara.Sidebar():
        with solara.Card("Run", margin=0, classes=["pp-run"]):
            RunControls(model, params, days_per_frame, pause_ms, drawn, frame)
            solara.SliderInt(f"Days per step: {days_per_frame.value}", value=days_per_frame,
                             min=1, max=30)
            solara.SliderInt(f"Pause between frames: {pause_ms.value} ms", value=pause_ms,
                             min=0, max=500, step=10)
        with solara.Card("Scenario and levers", margin=0, classes=["pp-controls"]):
            Controls(params, weakref.ref(current), extra)
    Live(weakref.ref(current), drawn, frame.value)


@solara.component
def Live(model_ref: weakref.ref, drawn: threading.Event, frame: int):
    """Everything that changes with the day, redrawn for each `frame` (the page's own counter,
    not Mesa's module-wide `update_counter`, whose listeners outlived closed sessions and kept
    their models); tells the play loop when a frame has been drawn.

    The parts get the model by weak reference (`model_ref`): Solara keeps the arguments of
    elements it has replaced for a while, so passing the model itself left replaced models in
    memory after Reset (up to three after twenty resets); a weak reference keeps only the
    page's current model, which the page's `ModelSlot` holds."""
    solara.use_effect(drawn.set, None)      # after every render
    model = model_ref()
    if model is None:                       # replaced by Reset; the page re-renders
        return
    day = model.day        # the parts take it as an argument: Solara skips a part whose
    with solara.Column(style={"padding": "8px"}):      # arguments did not change
        PageScript(alt_texts(model))
        Readout(model_ref, day)
        solara.Style(LAYOUT_CSS)
        with solara.Div(classes=["pp-cards"]):
            with solara.Card("Network", margin=0, classes=["pp-card"]):
                NetworkView(model_ref, day)
            with solara.Card("Outcomes", margin=0, classes=["pp-card"]):
                with solara.lab.Tabs(lazy=True):
                    with solara.lab.Tab("Key outcomes"):
                        Charts(model_ref, day)
                    with solara.lab.Tab("Supply and services"):
                        Mechanisms(model_ref, day)
                    if not model.regions.single:
                        with solara.lab.Tab("Regions"):
                            Regions(model_ref, day)
                    with solara.lab.Tab("All outcomes"):
                        AllOutcomes(model_ref, day)
                Values(model_ref, day)
                solara.HTML(tag="div", unsafe_innerHTML=chart_key_html(),
                            classes=["pp-chart-legend"])
                EventList(model_ref, day)
        About(model.config.description)


def alt_texts(model) -> dict[str, str]:
    """Alt text of each drawing (by its CSS class): what it shows and today's main figures."""
    now = {r.key: r for r in current_figures(model)}
    date = now["date"].value
    counts = ", ".join(f"{state.replace('_', ' ')} {n:,}"
                       for state, n in state_counts(model).items())
    return {
        "pp-network": f"Network of sampled users coloured by state, with regulators, platforms "
                      f"and VPN channels around them, on {date}. All users: {counts}.",
        "pp-charts": f"Key outcomes to {date}: VPN supply, VPN use ({now['vpn_use'].value}), "
                     f"the cloud market (foreign share {now['foreign_share'].value}) and "
                     f"enforcement, with the scenario's events marked.",
        "pp-mechanisms": f"VPN availability and protocol-wide blocks by protocol, and consumer "
                         f"services' shares of users, to {date}.",
        "pp-regions": f"VPN availability, use and internet shutdowns in each region, to {date}.",
        "pp-outcomes": f"The chosen outcome over time, to {date}.",
    }


page = Page
