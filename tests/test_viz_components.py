"""The app's parts without a browser: Solara renders the page into widgets in this process.

The page is wrapped in an AppLayout as `solara run` does, so the sidebar (run controls,
parameter panel) is rendered too. Buttons are clicked and inputs set on the widgets, which runs
the same handlers a browser would.
"""

from __future__ import annotations

import argparse
import html
import re
import threading

import numpy as np
import pytest

solara = pytest.importorskip("solara", reason="the viz extra is not installed")
v = pytest.importorskip("ipyvuetify")
ipywidgets = pytest.importorskip("ipywidgets")

from matplotlib.colors import to_rgba  # noqa: E402

from model import PressureModel, load_scenario  # noqa: E402
from model.config.parameters import BY_NAME  # noqa: E402
from model.population.users import STATES  # noqa: E402
from model.viz import charts, cli, levers, network_view, readout, sample  # noqa: E402
from model.viz.app import Page  # noqa: E402
from model.viz.controls import initial_parameters, pending_changes  # noqa: E402
from model.viz.interactive import InteractiveModel  # noqa: E402

SMALL = {"users": 2000}


@solara.component
def _InLayout():
    with solara.AppLayout():
        Page()


@pytest.fixture
def app():
    """A rendered page: (render context, helpers)."""
    _, rc = solara.render(_InLayout(), handle_error=False)
    yield App(rc)
    rc.close()


class App:
    def __init__(self, rc) -> None:
        self.rc = rc

    def widgets(self, kind=ipywidgets.Widget):
        """Every widget of the page, depth first (the finder skips nested matches)."""
        stack = [self.rc.find().widget]
        while stack:
            w = stack.pop()
            if isinstance(w, kind):
                yield w
            stack.extend(c for c in reversed(getattr(w, "children", None) or ())
                         if isinstance(c, ipywidgets.Widget))

    def with_class(self, kind, cls: str):
        return next(w for w in self.widgets(kind) if cls in (w.class_ or "").split())

    def reset(self) -> None:
        """Press Reset and wait for the new model (it is built in a thread of its own)."""
        self.button("Reset").click()
        for worker in threading.enumerate():
            if worker.name == "pp-page-work":
                worker.join(60)

    def button(self, label: str):
        return next(w for w in self.widgets(v.Btn) if w.children == [label])

    def figure(self, key: str) -> str:
        """The text of a card of current figures (label, value, detail)."""
        cards = self.html("pp-readout")
        card = cards[cards.index(f'class="pp-fig-{key}"'):]
        card = card[:card.index('<div class="pp-fig-', 1) if '<div class="pp-fig-' in
                    card[1:] else len(card)]
        return html.unescape(" ".join(re.sub(r"<[^>]+>", " ", card).split()))

    def lever(self, name: str):
        return next(self._in_lever(name, v.Slider))

    def typed(self, name: str):
        """The field beside a lever's slider where its value can be typed."""
        return next(w for w in self._in_lever(name, v.TextField)
                    if "pp-typed" in (w.class_ or "").split())

    def _in_lever(self, name: str, kind):
        box = self.with_class(v.Sheet, f"pp-lever-{name}")
        stack = list(box.children)
        while stack:
            w = stack.pop(0)
            if isinstance(w, kind):
                yield w
            stack.extend(c for c in getattr(w, "children", None) or ()
                         if isinstance(c, ipywidgets.Widget))

    def select(self):
        return next(self.widgets(v.Select))

    def seed(self):
        return self.with_class(v.TextField, "pp-seed")

    def image(self, cls: str) -> bytes:
        return next(w for w in self.widgets(ipywidgets.Image) if cls in w._dom_classes).value

    def html(self, cls: str) -> str:
        return next(w.unsafe_innerHTML for w in self.widgets(solara.widgets.HTML)
                    if (w.attributes or {}).get("class") == cls)

    def texts(self) -> str:
        return " ".join(str(w.children) for w in self.widgets(v.Alert))


# --- the page -------------------------------------------------------------------------------

def test_page_builds_with_controls_network_and_charts(app):
    for label in ("Reset", "▶ Play", "Step"):
        assert app.button(label) is not None
    assert app.image("pp-network")[:8] == b"\x89PNG\r\n\x1a\n"
    assert app.image("pp-charts")[:8] == b"\x89PNG\r\n\x1a\n"
    assert "01 Jan 2017" in app.figure("date")
    assert "initial state" in app.figure("date")
    assert app.select().v_model == levers.DEFAULT_SCENARIO
    assert set(app.select().items) == {p.stem for p in levers.SCENARIO_DIR.glob("*.toml")}


def test_step_advances_the_date_and_redraws(app):
    network0, chart0 = app.image("pp-network"), app.image("pp-charts")
    app.button("Step").click()
    assert "day 1 of 365" in app.figure("date")
    for _ in range(3):
        app.button("Step").click()
    assert "05 Jan 2017" in app.figure("date") and "day 4 of 365" in app.figure("date")
    assert app.image("pp-charts") != chart0
    assert app.image("pp-network") != network0


def test_sliders_start_at_the_scenario_and_span_the_schema(app):
    scenario = load_scenario(levers.DEFAULT_SCENARIO)
    for name in levers.LEVERS:
        slider, param = app.lever(name), BY_NAME[name]
        spec = levers.slider_spec(name, scenario)
        if levers.log_scaled(spec):             # positions; the ends are the schema's
            assert (slider.min, slider.max) == (0, levers.LOG_STOPS), name
            assert levers.log_value(spec, 0) == param.low, name
            assert levers.log_value(spec, levers.LOG_STOPS) == param.high, name
            assert slider.v_model == levers.log_position(spec, scenario.params[name]), name
            continue
        assert (slider.min, slider.max) == (param.low, param.high), name
        assert slider.v_model == scenario.params[name], name
    users = app.lever("users")
    assert users.v_model == scenario.params["users"]
    assert users.max == levers.MAX_LIVE_USERS


def test_slider_defaults_are_the_schema_defaults_unless_the_scenario_sets_them():
    baseline = load_scenario("baseline")
    for name in levers.LEVERS:
        spec, param = levers.slider_spec(name, baseline), BY_NAME[name]
        assert (spec.low, spec.high, spec.unit, spec.meaning) == \
            (param.low, param.high, param.unit, param.meaning)
        assert spec.value == baseline.params[name]
        # the step lands exactly on the starting value
        k = (spec.value - spec.low) / spec.step
        assert abs(k - round(k)) < 1e-6
    assert levers.slider_spec("sensitive_multiplier", baseline).value == \
        BY_NAME["sensitive_multiplier"].default
    assert levers.slider_spec("enforcement_intensity", baseline).value == 0.2   # the file's


def test_picking_a_scenario_moves_the_sliders_and_reset_applies_it(app):
    app.select().v_model = "maximal_enforcement"
    assert app.lever("enforcement_intensity").v_model == 1.0
    assert "scenario" in app.texts() and "Reset" in app.texts()
    app.reset()
    assert "base 1" in app.figure("intensity")
    assert app.lever("enforcement_intensity").v_model == 1.0
    assert "Reset" not in app.texts()


def test_moving_a_slider_and_resetting_changes_the_model(app):
    app.lever("enforcement_intensity").v_model = 0.9
    app.lever("users").v_model = 1500
    app.reset()
    app.button("Step").click()
    assert "base 0.9" in app.figure("intensity")
    assert "All 1,500 users" in app.html("pp-states")


def test_seed_is_numeric_and_reproduces_a_run(app):
    seed = app.seed()
    seed.v_model = "-3"
    assert "seed must be" in app.texts()
    seed.v_model = "7"
    assert "seed must be" not in app.texts()
    app.reset()
    for _ in range(20):
        app.button("Step").click()
    shown = app.figure("vpn_use")
    reference = PressureModel(levers.DEFAULT_SCENARIO, rng=7)
    for _ in range(20):
        reference.step()
    assert f"{reference.recorder.latest('vpn_use'):.1%}" in shown


# --- the model the app builds ----------------------------------------------------------------

def test_interactive_model_is_the_plain_model_with_the_same_seed():
    a = InteractiveModel("baseline", seed=11, enforcement_intensity=0.7, **SMALL)
    b = PressureModel("baseline", rng=11, enforcement_intensity=0.7, **SMALL)
    for _ in range(40):
        a.step()
        b.step()
    for metric, values in a.recorder.values.items():
        np.testing.assert_array_equal(values, b.recorder.values[metric], err_msg=metric)


def test_interactive_model_wants_a_whole_non_negative_seed():
    for bad in ("3", -1, 2.5, True):
        with pytest.raises(ValueError, match="seed"):
            InteractiveModel("baseline", seed=bad, users=100)
    assert InteractiveModel("baseline", seed=np.int64(3), users=100).seed == 3


def test_pending_changes_name_what_reset_would_change():
    params = {**initial_parameters("china_2017"), "users": 1000}
    model = InteractiveModel(**params)
    assert pending_changes(params, model) == []
    params.update(seed=4, enforcement_intensity=0.8)
    assert pending_changes(params, model) == ["seed", "enforcement_intensity"]


# --- the network view ------------------------------------------------------------------------

def test_network_draws_the_sample_in_its_state_colours():
    model = InteractiveModel("china_2017", seed=2, **SMALL)
    for _ in range(240):
        model.step()
    fig = network_view.network_figure(model)
    fig.png()
    drawn = network_view.current_states(model)[fig.sample.users]
    expected = np.array([to_rgba(network_view.STATE_COLOURS[STATES[s]]) for s in drawn])
    np.testing.assert_allclose(fig.users.get_facecolors(), expected)
    assert len(set(drawn.tolist())) >= 3          # a run in August shows several states
    assert set(network_view.STATE_COLOURS) == set(STATES)
    counts = network_view.state_counts(model)
    assert sum(counts.values()) == model.users.n


def test_network_sample_and_layout_stay_the_same_across_steps():
    model = InteractiveModel("china_2017", seed=2)
    first = sample.sample_of(model)
    users, xy = first.users.copy(), first.user_xy.copy()
    assert len(users) == sample.SAMPLE_SIZE < model.users.n
    for _ in range(30):
        model.step()
        network_view.render_png(model)
    assert sample.sample_of(model) is first
    np.testing.assert_array_equal(first.users, users)
    np.testing.assert_array_equal(first.user_xy, xy)


def test_sample_is_neighbourhoods_and_small_populations_are_drawn_whole():
    model = InteractiveModel("china_2017", seed=4)
    s = sample.sample_of(model)
    sub = model.social.adjacency[s.users][:, s.users]
    with_contact = np.asarray(sub.sum(axis=1)).ravel() > 0
    assert with_contact.mean() > 0.9
    tiny = InteractiveModel("china_2017", seed=4, users=120)
    assert len(sample.sample_of(tiny).users) == 120


def test_layout_is_seeded_by_the_model_and_drawing_does_not_change_the_run():
    a = InteractiveModel("china_2017", seed=9, **SMALL)
    b = InteractiveModel("china_2017", seed=9, **SMALL)
    c = InteractiveModel("china_2017", seed=10, **SMALL)
    sa, sb, sc = (sample.build_sample(m) for m in (a, b, c))
    np.testing.assert_array_equal(sa.users, sb.users)
    np.testing.assert_array_equal(sa.user_xy, sb.user_xy)
    assert not np.array_equal(sa.users, sc.users)
    for _ in range(25):                 # a is drawn every day, b never
        a.step()
        b.step()
        network_view.render_png(a)
    for metric, values in a.recorder.values.items():
        np.testing.assert_array_equal(values, b.recorder.values[metric], err_msg=metric)


def test_institutions_are_drawn_with_their_links():
    model = InteractiveModel("china_2017", seed=1, **SMALL)
    s = sample.sample_of(model)
    agents = {node.agent for node in s.nodes.values() if node.agent is not None}
    assert {*model.regulators, model.app_store, model.domestic_store, *model.clouds,
            *model.partners} == agents
    layers = {layer for _, _, layer in s.links}
    assert layers == {"oversees", "operates"}
    for node in s.nodes.values():        # outside the users' disc
        assert np.hypot(*node.xy) > sample.USER_DISC + 0.1
    assert np.hypot(s.user_xy[:, 0], s.user_xy[:, 1]).max() <= sample.USER_DISC + 0.031


def test_partners_that_appear_mid_run_are_drawn():
    model = InteractiveModel("no_partner_requirement", seed=1, **SMALL)
    fig = network_view.network_figure(model)
    for _ in range(5):
        model.step()
    fig.png()
    assert not model.partners
    model.issue("require_local_partner")
    model.step()
    fig.png()
    assert model.partners
    drawn = {node.agent for node in fig.sample.nodes.values()}
    assert set(model.partners) <= drawn
    assert {layer for _, _, layer in fig.sample.links} == {"oversees", "operates"}


# --- charts and figures ----------------------------------------------------------------------

def test_charts_follow_the_recorder_and_mark_the_events():
    model = InteractiveModel("china_2017", seed=1, **SMALL)
    live = charts.main_chart(model)
    before = live.png()
    for _ in range(60):
        model.step()
    after = live.png()
    assert before != after
    plotted = {s.metric for p in charts.PANELS for s in p.series}
    assert {"vpn_availability", "vpn_access", "vpn_use", "foreign_cloud_share",
            "domestic_cloud_share", "effective_intensity"} <= plotted
    line = next(ln for ln in live.moving if ln.get_label() == "use")
    np.testing.assert_array_equal(line.get_ydata(), model.recorder.values["vpn_use"][:60])
    rows = charts.event_rows(model)
    assert [r[1] for r in rows] == [e.date for e in model.calendar.markers()]
    assert [r[4] for r in rows][:2] == [True, False]      # 22 Jan passed, 3 Mar not yet


def test_all_outcomes_chart_has_every_metric():
    from model import METRIC_NAMES

    panels = charts.outcome_panels()
    assert [p.series[0].metric for p in panels] == list(METRIC_NAMES)


def test_current_figures():
    model = InteractiveModel("china_2017", seed=1, **SMALL)
    figures = {f.key: f for f in readout.current_figures(model)}
    assert set(figures) == {"date", "intensity", "vpn_use", "vpn_availability", "foreign_share",
                            "sanctions"}
    assert figures["date"].value == "01 Jan 2017"
    for _ in range(10):
        model.step()
    figures = {f.key: f for f in readout.current_figures(model)}
    assert figures["date"].value == "11 Jan 2017"
    assert figures["vpn_use"].value == f"{model.recorder.latest('vpn_use'):.1%}"


# --- command line ----------------------------------------------------------------------------

def _parse(argv):
    parser = argparse.ArgumentParser(prog="pressure")
    cli.add_commands(parser.add_subparsers(dest="command", required=True))
    return parser.parse_args(argv)


def test_viz_command_binds_to_loopback_by_default():
    args = _parse(["viz"])
    assert (args.host, args.port, args.scenario) == ("127.0.0.1", 8765, None)
    cmd = cli.server_command(args.host, args.port)
    assert cmd[cmd.index("--host") + 1] == "127.0.0.1" and "--production" in cmd
    assert cli.APP in cmd
    args = _parse(["viz", "--scenario", "scenarios/baseline.toml", "--host", "0.0.0.0",
                   "--port", "9000"])
    assert (args.host, args.port) == ("0.0.0.0", 9000)
    assert cli.resolve_scenario(args.scenario) == "baseline"
    env = cli.server_env("baseline")
    assert env[levers.SCENARIO_ENV] == "baseline"
    assert env["SOLARA_TELEMETRY_MIXPANEL_ENABLE"] == "False"
    with pytest.raises(SystemExit):
        _parse(["viz", "--port", "70000"])


def test_viz_command_rejects_a_bad_scenario_before_serving(tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text('name = "bad"\nenforcement_intensity = 2.0\n')
    assert cli.dispatch(_parse(["viz", "--scenario", str(bad)])) == cli.EXIT_BAD_INPUT
    err = capsys.readouterr().err
    assert err.startswith("pressure viz: error:") and "enforcement_intensity" in err
    assert cli.dispatch(_parse(["viz", "--scenario", str(tmp_path / "nope.toml")])) == 2


def test_a_scenario_file_outside_scenarios_is_offered_by_path(tmp_path):
    own = tmp_path / "mine.toml"
    own.write_text('name = "mine"\nextends = "%s"\nenforcement_intensity = 0.9\n'
                   % (levers.SCENARIO_DIR / "china_2017.toml"))
    ref = cli.resolve_scenario(str(own))
    assert ref == str(own.resolve())
    assert ref in levers.scenario_choices(ref)
    assert levers.choice_for(ref) == ref
    params = initial_parameters(ref)
    assert params["enforcement_intensity"] == 0.9
    assert InteractiveModel(**{**params, "users": 300}).config.name == "mine"


def test_one_colour_language_for_app_and_run_figure():
    from model.outputs import figure
    from model.viz import palette

    assert network_view.STATE_COLOURS == palette.STATE
    states = set(palette.STATE.values())
    kinds = {colour for _, colour in palette.KIND.values()}
    assert not states & kinds, "a platform kind is drawn in a state's colour"
    assert palette.EVENT_LINE not in states | kinds and palette.PERIOD_BAND not in states
    assert len({marker for marker, _ in palette.KIND.values()}) == len(palette.KIND)
    assert figure._PROTOCOL_COLOURS is palette.PROTOCOL
    by_metric = {s.metric: s.colour for p in charts.PANELS for s in p.series}
    for metric, state in (("vpn_aware", "aware"), ("vpn_use", "using")):
        assert by_metric[metric] == palette.STATE[state]


def test_the_mechanisms_chart_follows_the_long_table():
    from model.viz import keyed_charts

    model = InteractiveModel("china_2017", seed=1, **SMALL)
    live = keyed_charts.mechanisms_chart(model)
    for _ in range(40):
        model.step()
    live.png()
    titles = [p.title for p in keyed_charts.mechanism_panels(model)]
    assert titles[0].startswith("VPN availability") and "services" in titles[-1]
    line = next(ln for ln in live.moving if ln.get_label() == "plain"
                and ln.axes.get_ylabel().startswith("VPN availability"))
    np.testing.assert_array_equal(line.get_ydata(),
                                  model.recorder.long["protocol_availability", "plain"][:40])
    shares = {ln.get_label() for ln in live.moving} & set(model.services.ids)
    assert shares == {sid for sid in model.services.ids if not sid.startswith("_")}


def test_the_regions_tab_draws_one_small_multiple_per_region():
    from model.viz import keyed_charts

    model = InteractiveModel("china_2017_regions", seed=1, **SMALL)
    panels = keyed_charts.region_panels(model)
    assert [p.title for p in panels] == [r.label for r in model.regions.regions]
    live = keyed_charts.regions_chart(model)
    for _ in range(20):
        model.step()
    live.png()
    use = [ln for ln in live.moving if ln.get_label() == "use"]
    assert len(use) == len(model.regions.ids)
    np.testing.assert_array_equal(use[0].get_ydata(),
                                  model.recorder.long["region_vpn_use", "xinjiang"][:20])
    assert InteractiveModel("china_2017", seed=1, **SMALL).regions.single   # no tab there


def test_twenty_resets_leave_one_model():
    import gc

    from model.viz import sessions

    gc.collect()
    earlier = {id(m) for m in sessions._models}     # other tests' models, if not yet freed
    _, rc = solara.render(_InLayout(), handle_error=False)
    page = App(rc)
    for _ in range(20):
        page.button("Step").click()
        page.reset()
    gc.collect()
    assert len([m for m in sessions._models if id(m) not in earlier]) == 1
    rc.close()


def test_readout_before_the_first_step_shows_the_initial_state_and_step_moves_the_date():
    model = InteractiveModel("china_2017", seed=1, **SMALL)
    figures = {f.key: f for f in readout.current_figures(model)}
    assert "–" not in " ".join(f.value + f.detail for f in figures.values())
    counts = network_view.state_counts(model)         # what the network shows
    using = counts["using"] / sum(counts.values())
    assert figures["vpn_use"].value == f"{using:.1%}"
    assert figures["date"].value == "01 Jan 2017"
    model.step()
    assert readout.current_figures(model)[0].value == "02 Jan 2017"
    plain = PressureModel("china_2017", rng=1, **SMALL)       # reading did not change the run
    plain.step()
    assert plain.recorder.latest("vpn_use") == model.recorder.latest("vpn_use")


def test_legends_for_events_periods_and_platform_shapes(app):
    from model.viz import palette

    key = app.html("pp-chart-legend")
    for words in ("dated event", "marker event", "sensitive period", "today"):
        assert words in key
    assert palette.PERIOD_BAND in key and palette.EVENT_LINE in key
    shapes = app.html("pp-network-legend")
    for kind in ("regulator", "foreign platform", "local partner", "domestic platform",
                 "VPN channel"):
        assert kind in shapes
    assert shapes.count("<polygon") == len(palette.KIND) + 2      # and exited, in trouble
    for _, colour in palette.KIND.values():
        assert colour in shapes


def test_rates_move_on_a_log_scale():
    scenario = load_scenario(levers.DEFAULT_SCENARIO)
    logs = [n for n in levers.LEVERS if levers.log_scaled(levers.slider_spec(n, scenario))]
    assert logs == ["entry_rate"]                       # the only rate (1/day) among the levers
    spec = levers.slider_spec("entry_rate", scenario)
    at = levers.log_position(spec, 0.0176)
    assert 0.4 < at / levers.LOG_STOPS < 0.7            # mid-track, not at 1.8%
    assert abs(levers.log_value(spec, at) - 0.0176) / 0.0176 < 0.05
    values = [levers.log_value(spec, k) for k in range(levers.LOG_STOPS + 1)]
    assert values == sorted(values) and values[1] == 1e-4
    ratios = [b / a for a, b in zip(values[1:], values[2:], strict=False)]
    assert max(ratios) < 1.06                           # even steps in ratio, not in value


def test_typed_values_and_sliders_stay_in_sync(app):
    field = app.typed("enforcement_intensity")
    field.v_model = "0.7"
    field.fire_event("focusout", None)                      # typed and left: committed
    assert app.lever("enforcement_intensity").v_model == 0.7
    app.lever("enforcement_intensity").v_model = 0.25
    assert float(app.typed("enforcement_intensity").v_model) == 0.25
    app.typed("entry_rate").v_model = "0.05"
    app.typed("entry_rate").fire_event("focusout", None)
    spec = levers.slider_spec("entry_rate", load_scenario(levers.DEFAULT_SCENARIO))
    assert app.lever("entry_rate").v_model == levers.log_position(spec, 0.05)
    app.typed("users").v_model = "999999"               # beyond the slider: its upper end
    app.typed("users").fire_event("focusout", None)
    assert app.lever("users").v_model == levers.MAX_LIVE_USERS
    app.reset()                                         # the typed values build a model
    assert "error" not in app.texts().lower() and "Press Reset" not in app.texts()



def test_values_on_demand_show_the_charts_numbers_for_a_day(app):
    from model.viz import values

    assert not any("pp-values" == (w.attributes or {}).get("class")
                   for w in app.widgets(solara.widgets.HTML))          # closed until asked
    for _ in range(3):
        app.button("Step").click()
    app.button("Read the values").click()
    table = html.unescape(app.html("pp-values"))
    use = next(r for r in values.value_rows(_current_model(app), 2) if r[1] == "use")
    assert f"{use[2]:.3g}" in table
    assert use[2] == _current_model(app).recorder.values["vpn_use"][2]
    assert "VPN availability by protocol" in table and "consumer services" in table
    app.button("Hide the values").click()


def _current_model(app):
    from model.viz import sessions

    return next(m for m in sessions._models if m.recorder.recorded == 3)
