"""The app page: `solara run model.viz.app:page` (or `pressure viz`).

Layout: a sidebar with the run controls (Reset, play/pause, Step; `run_controls.py` says why
they are not Mesa's `ModelController`) and the parameter panel; beside it the current figures,
the network view, the charts (key outcomes, and every metric on a second tab) and the numbered
list of the scenario's events. Everything is drawn with matplotlib to PNG on the
server: nothing is fetched from a CDN, so the page works offline (with solara-assets installed).

The scenario the page opens with is `$PRESSURE_VIZ_SCENARIO` (set by `pressure viz --scenario`),
else china_2017.
"""

from __future__ import annotations

import os
import threading

import solara
import solara.lab

from .about import About
from .charts import AllOutcomes, Charts, EventList
from .keyed_charts import Mechanisms, Regions
from .controls import Controls, initial_parameters
from .interactive import InteractiveModel
from .levers import DEFAULT_SCENARIO, SCENARIO_ENV
from .network_view import NetworkView
from .readout import Readout
from .run_controls import RunControls
from .sessions import ModelSlot

PAUSE_MS = 40
DAYS_PER_FRAME = 1


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
            Controls(params, current, extra)
    Live(current, drawn, frame.value)


@solara.component
def Live(model, drawn: threading.Event, frame: int):
    """Everything that changes with the day, redrawn for each `frame` (the page's own counter,
    not Mesa's module-wide `update_counter`, whose listeners outlived closed sessions and kept
    their models); tells the play loop when a frame has been drawn."""
    solara.use_effect(drawn.set, None)      # after every render
    day = model.day        # the parts take it as an argument: Solara skips a part whose
    with solara.Column(style={"padding": "8px"}):      # arguments did not change
        Readout(model, day)
        with solara.Columns([1, 1]):
            with solara.Card("Network", margin=0):
                NetworkView(model, day)
            with solara.Card("Outcomes", margin=0):
                with solara.lab.Tabs(lazy=True):
                    with solara.lab.Tab("Key outcomes"):
                        Charts(model, day)
                    with solara.lab.Tab("Supply and services"):
                        Mechanisms(model, day)
                    if not model.regions.single:
                        with solara.lab.Tab("Regions"):
                            Regions(model, day)
                    with solara.lab.Tab("All outcomes"):
                        AllOutcomes(model, day)
                EventList(model, day)
        About(model.config.description)


page = Page
