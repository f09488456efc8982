"""The parameter panel: scenario picker, lever sliders, users, a numeric seed.

It edits one reactive dict, the keyword arguments of `InteractiveModel`, which the Reset
button reads: nothing changes the running model until Reset, as in Mesa's own apps. Unlike
Mesa's generic parameter panel it knows about scenarios: picking one moves every slider to that
scenario's value, so a slider never silently overrides what the scenario sets; and the seed is
an integer field (Mesa's text input would hand the model a string).
"""

from __future__ import annotations

import solara

from ..config.errors import ScenarioError
from ..config.loader import load_scenario
from .levers import (LEVERS, LOG_STOPS, choice_for, log_position, log_scaled, log_value,
                     scenario_choices, slider_spec, snap, starting_values)


def first_sentence(text: str, limit: int = 180) -> str:
    """A scenario's description up to its first full stop, at most `limit` characters (the
    sidebar is narrow; `pressure check` prints the whole scenario)."""
    text = " ".join(text.split())
    end = text.find(". ")
    text = text if end < 0 else text[:end + 1]
    return text if len(text) <= limit else text[:text.rfind(" ", 0, limit)] + " …"


@solara.component
def _Lever(spec, value, on_value, help_text: str, label: str | None = None):
    """A slider with its label and value above it, a field to type the value beside it, and
    what it means below it (in a box with the CSS class `pp-lever-<parameter>`, which the
    browser tests find it by). Rates move on a log scale (`levers.log_scaled`)."""
    def typed(number) -> None:              # out of range: to the nearest end
        if number is not None:
            on_value(min(max(number, spec.low), spec.high))

    with solara.Column(gap="0px", classes=["pp-lever", f"pp-lever-{spec.name}"]):
        solara.Text(label or f"{spec.label}: {value:g}",
                    style={"font-size": "13px", "font-weight": "500", "display": "block"})
        with solara.Row(gap="8px", style={"align-items": "center"}):
            # named for screen readers (Vuetify makes the label the thumb's aria-label); the
            # visible name is the text above, so the slider's own label is hidden (LEVER_CSS)
            with solara.Column(style={"flex": "1 1 auto", "min-width": "0"}):
                if log_scaled(spec):
                    solara.SliderInt(spec.label, value=log_position(spec, value), min=0,
                                     max=LOG_STOPS, on_value=lambda k: on_value(
                                         log_value(spec, k)))
                else:
                    slider = solara.SliderInt if spec.kind is int else solara.SliderFloat
                    slider(spec.label, value=value, min=spec.low, max=spec.high,
                           step=spec.step, on_value=on_value)
            field = solara.InputInt if spec.kind is int else solara.InputFloat
            field(spec.label, value=value, on_value=typed, continuous_update=False,
                  classes=["pp-typed"])
        solara.Text(help_text, classes=["pp-help"],     # #595959 on white: 7:1 (at least 4.5)
                    style={"font-size": "12px", "color": "#595959", "display": "block",
                           "margin": "-6px 0 12px 0", "line-height": "1.3"})


LEVER_CSS = """
.pp-lever .v-input__slider .v-label { display: none; }
.pp-lever .pp-typed { flex: 0 0 92px; max-width: 92px; margin-top: 0; padding-top: 0; }
.pp-lever .pp-typed .v-label { font-size: 11px; }
"""


def initial_parameters(scenario_ref: str, seed: int = 0) -> dict[str, object]:
    """The model keywords the app starts with: a scenario, its own lever values, a seed."""
    _, values = starting_values(scenario_ref)
    return {"scenario_ref": scenario_ref, "seed": seed, **values}


def pending_changes(params: dict[str, object], model) -> list[str]:
    """What Reset would change in the running model (names of the differing settings)."""
    out = []
    if params["scenario_ref"] != model.scenario_ref:
        out.append("scenario")
    if params["seed"] != model.seed:
        out.append("seed")
    out += [name for name in ("users", *LEVERS) if params[name] != model.p[name]]
    return out


@solara.component
def Controls(params: solara.Reactive[dict], model_ref, extra_scenario: str | None = None):
    """The panel; `model_ref` (a weak reference to the running model, see `app.Live`) is
    unused here but re-renders the panel after a Reset."""
    ref = params.value["scenario_ref"]
    scenario = solara.use_memo(lambda: load_scenario(ref), [ref])
    error = solara.use_reactive(None)
    choices = solara.use_memo(lambda: scenario_choices(extra_scenario), [extra_scenario])

    def pick(choice: str) -> None:
        try:
            _, values = starting_values(choice)
        except ScenarioError as exc:
            error.set(str(exc))
            return
        error.set(None)
        params.set({**params.value, "scenario_ref": choice, **values})

    def setter(name: str, convert):
        def on_value(value) -> None:
            params.set({**params.value, name: convert(value)})
        return on_value

    def set_seed(value: int | None) -> None:
        if value is None or value < 0:
            error.set("The seed must be a whole number, 0 or more.")
            return
        error.set(None)
        params.set({**params.value, "seed": int(value)})

    solara.Style(LEVER_CSS)
    solara.Select("Scenario", value=choice_for(ref), values=choices, on_value=pick)
    solara.Text(first_sentence(scenario.description), classes=["pp-description"],
                style={"font-size": "12px", "color": "#555", "display": "block",
                       "margin-bottom": "10px"})
    for name in LEVERS:
        spec = slider_spec(name, scenario)
        _Lever(spec, params.value[name], setter(name, lambda v, spec=spec: snap(spec, v)),
               f"{name}: {spec.meaning} ({spec.unit})")
    users = slider_spec("users", scenario)
    _Lever(users, params.value["users"], setter("users", int),
           "Simulated users (the network shows a fixed sample of them).",
           label=f"{users.label}: {params.value['users']:,}")
    solara.InputInt("Seed", value=params.value["seed"], on_value=set_seed,
                    continuous_update=True, classes=["pp-seed"])
    if error.value:
        solara.Error(error.value)
