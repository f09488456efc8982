"""The app end to end: a real server on 127.0.0.1 and a real headless Chromium (Playwright).

The server is `pressure viz`'s (a child process, a free port); the browser is the system's
Chromium (`.ci/install-browser` installs it), driven through Playwright's sync API. Every page
is watched for console errors, uncaught exceptions and error text ("solara is not defined",
tracebacks), and the server's log for errors, until teardown stops the server.
"""

from __future__ import annotations

import re
import time

import pytest

pytest.importorskip("solara", reason="the viz extra is not installed")
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")

from model.config.loader import load_scenario  # noqa: E402
from model.viz.browser import AppServer, find_chromium, open_browser  # noqa: E402

CHROMIUM = find_chromium()
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="no Chromium on this machine: run .ci/install-browser")

LOAD_TIMEOUT = 60_000
PAGE_ERRORS = ("solara is not defined", "Traceback", "Error in ", "error in step")
LOG_ERRORS = re.compile(r"Traceback|\bERROR\b|Exception|error in step", re.IGNORECASE)


@pytest.fixture(scope="module")
def server():
    srv = AppServer().start()
    yield srv
    srv.stop()
    log = srv.log()
    assert not LOG_ERRORS.search(log), f"errors in the server log:\n{log}"


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    with sync_api.sync_playwright() as pw:
        context = open_browser(pw, str(tmp_path_factory.mktemp("chromium-profile")), CHROMIUM)
        yield context
        context.close()


@pytest.fixture
def page(server, browser):
    """The app in a fresh tab (a fresh Solara session); fails on any error it shows."""
    tab = browser.new_page()
    problems: list[str] = []
    tab.on("console", lambda m: problems.append(f"console {m.type}: {m.text}")
           if m.type == "error" else None)
    tab.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    tab.goto(server.url)
    tab.wait_for_selector("img.pp-network", state="visible", timeout=LOAD_TIMEOUT)
    tab.wait_for_selector("img.pp-charts", state="visible", timeout=LOAD_TIMEOUT)
    yield tab
    text = tab.inner_text("body")
    problems += [f"page shows {p!r}: ...{text[max(0, text.index(p) - 200):][:1500]}"
                 for p in PAGE_ERRORS if p in text]
    tab.close()
    assert not problems, "\n".join(problems)


def day(tab) -> int:
    found = re.search(r"day (\d+) of", tab.inner_text(".pp-fig-date"))
    return int(found.group(1)) if found else 0


def wait_for_day(tab, at_least: int, timeout: float = 60.0) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if (d := day(tab)) >= at_least:
            return d
        time.sleep(0.1)
    raise AssertionError(f"the date did not reach day {at_least} (at day {day(tab)})")


def shot(tab, selector: str) -> bytes:
    return tab.locator(selector).screenshot()


def figure(tab, key: str) -> str:
    return tab.inner_text(f".pp-fig-{key}")


def test_page_loads_with_network_charts_and_controls(page):
    for selector in ("img.pp-network", "img.pp-charts"):
        width = page.eval_on_selector(selector, "img => img.naturalWidth")
        assert width > 300, selector
    assert "01 Jan 2017" in figure(page, "date")
    for name in ("Reset", "▶ Play", "Step"):
        assert page.get_by_role("button", name=name).is_visible()
    assert page.locator(".pp-lever-enforcement_intensity [role=slider]").count() == 1
    assert page.locator(".pp-seed input").get_attribute("type") in ("number", "text")
    assert "MIIT clean-up notice" in page.inner_text(".pp-events")
    assert page.title() == "platform-pressure"


def test_the_supply_and_services_tab_draws_the_mechanisms(page):
    page.get_by_role("tab", name="Supply and services").click()
    page.wait_for_selector("img.pp-mechanisms", state="visible", timeout=LOAD_TIMEOUT)
    width = page.eval_on_selector("img.pp-mechanisms", "img => img.naturalWidth")
    assert width > 300
    assert page.get_by_role("tab", name="Regions").count() == 0   # the 2017 case has one


def test_step_advances_the_date_and_changes_the_charts(page):
    charts0, network0 = shot(page, "img.pp-charts"), shot(page, "img.pp-network")
    step = page.get_by_role("button", name="Step")
    step.click()
    wait_for_day(page, 1)
    for _ in range(4):
        step.click()
    wait_for_day(page, 5)
    assert "06 Jan 2017" in figure(page, "date")
    page.wait_for_timeout(300)        # the image that goes with day 5 has arrived
    assert shot(page, "img.pp-charts") != charts0
    assert shot(page, "img.pp-network") != network0


def test_play_runs_and_pause_stops(page):
    page.get_by_role("button", name="▶ Play").click()
    wait_for_day(page, 10)
    charts_playing = shot(page, "img.pp-charts")
    wait_for_day(page, min(day(page) + 10, 365))
    page.wait_for_timeout(300)
    assert shot(page, "img.pp-charts") != charts_playing
    page.get_by_role("button", name="❚❚ Pause").click()
    sync_api.expect(page.get_by_role("button", name="Step")).to_be_enabled(timeout=10_000)
    page.wait_for_timeout(1000)       # the frame in flight when pause was pressed arrives
    paused = day(page)
    page.wait_for_timeout(1500)
    assert day(page) == paused < 365, "the run went on after pause"


def test_scenario_and_slider_change_the_model_on_reset(page):
    page.locator(".v-select").first.click()
    page.get_by_role("option", name="maximal_enforcement").click()
    page.wait_for_selector(".pp-pending")
    assert "scenario" in page.inner_text(".pp-pending")
    calibrated = load_scenario("china_2017").params["enforcement_intensity"]
    assert f"base {calibrated:g}" in figure(page, "intensity")  # nothing changed before Reset
    page.get_by_role("button", name="Reset").click()
    page.wait_for_function("document.querySelector('.pp-fig-intensity').innerText"
                           ".includes('base 1')", timeout=20_000)
    page.wait_for_function("document.querySelector('header').innerText"
                           ".includes('maximal_enforcement')", timeout=10_000)

    thumb = page.locator(".pp-lever-enforcement_intensity [role=slider]")
    thumb.focus()
    thumb.press("Home")                                       # to the schema's lower end: 0
    page.wait_for_function("/\\(base\\): 0\\s/.test(document.querySelector("
                           "'.pp-lever-enforcement_intensity').innerText)", timeout=10_000)
    page.get_by_role("button", name="Reset").click()
    page.wait_for_function("/base 0\\s*$/.test(document.querySelector('.pp-fig-intensity')"
                           ".innerText)", timeout=20_000)
    page.get_by_role("button", name="Step").click()
    wait_for_day(page, 1)


def test_seed_field_reseeds_the_run(page):
    field = page.locator(".pp-seed input")
    field.fill("42")
    page.wait_for_selector(".pp-pending")
    page.get_by_role("button", name="Reset").click()
    page.wait_for_function("document.querySelector('header').innerText.includes('seed 42')",
                           timeout=20_000)


def test_pending_note_sits_by_reset_above_the_fold_at_laptop_size(page):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.locator(".pp-seed input").fill("7")
    note = page.wait_for_selector(".pp-pending", timeout=10_000)
    box = note.bounding_box()
    assert box is not None and box["y"] + box["height"] <= 800, box
    assert page.locator(".pp-reset-pending").count() == 1          # Reset is highlighted
    page.get_by_role("button", name="Reset").click()
    page.wait_for_function("document.querySelector('header').innerText.includes('seed 7')",
                           timeout=30_000)
    assert page.locator(".pp-pending").count() == 0
    assert page.locator(".pp-reset-pending").count() == 0


def test_every_slider_and_field_is_named(page):
    sliders = page.locator("[role=slider]")
    assert sliders.count() >= 7
    for k in range(sliders.count()):
        name = sliders.nth(k).get_attribute("aria-label") or ""
        assert name.strip(), f"slider {k} has no accessible name"
    hidden = page.locator(".pp-lever .v-input__slider .v-label")
    for k in range(hidden.count()):
        assert not hidden.nth(k).is_visible()                   # named once on screen
    fields = page.locator(".pp-typed input")
    assert fields.count() == sliders.count() - 2                # each lever, not the run's two
    for k in range(fields.count()):
        named = fields.nth(k).evaluate(
            "i => (document.querySelector(`label[for='${i.id}']`) || {}).textContent || ''")
        assert named.strip(), f"typed field {k} has no label"


def _luminance(rgb: str) -> float:
    channels = [int(c) / 255 for c in re.findall(r"\d+", rgb)[:3]]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def test_help_text_contrast_is_at_least_4_5_to_1(page):
    colours = page.eval_on_selector_all(
        ".pp-help, .pp-description, .pp-lever > span", "els => els.map(e => getComputedStyle(e).color)")
    assert colours
    for colour in colours:                            # on the sidebar's white background
        ratio = (1.0 + 0.05) / (_luminance(colour) + 0.05)
        assert ratio >= 4.5, f"text colour {colour}: contrast {ratio:.2f}:1"


def _smallest_text_px_drawn(build) -> float:
    """The smallest text of a freshly built figure, in pixels as drawn (points x dpi / 72)."""
    from model.viz import charts
    from model.viz.interactive import InteractiveModel

    live = build(InteractiveModel("china_2017", seed=0, users=500))
    live.png()                                  # tick labels exist once drawn
    return charts.smallest_text_pt(live.fig) * live.fig.dpi / 72


@pytest.mark.parametrize("width, height", [(1280, 800), (800, 900)])
def test_chart_text_is_at_least_11_px_as_shown(page, width, height):
    from model.viz import charts, keyed_charts, network_view

    def check(selector: str, build) -> None:
        page.wait_for_selector(selector, state="visible", timeout=LOAD_TIMEOUT)
        shown, drawn = page.eval_on_selector(
            selector, "i => [i.getBoundingClientRect().width, i.naturalWidth]")
        px = _smallest_text_px_drawn(build) * shown / drawn
        assert px >= 11, f"{selector} at {width}x{height}: text {px:.1f} px as shown"

    page.set_viewport_size({"width": width, "height": height})
    page.wait_for_timeout(800)
    check("img.pp-network", network_view.network_figure)
    check("img.pp-charts", charts.main_chart)
    page.get_by_role("tab", name="Supply and services").click()
    check("img.pp-mechanisms", keyed_charts.mechanisms_chart)
    page.get_by_role("tab", name="All outcomes").click()
    check("img.pp-outcomes", lambda m: charts.outcome_chart(m, charts.METRIC_CHOICES[0]))


def test_cards_stack_on_a_narrow_window_and_sit_side_by_side_at_1280(page):
    def tops():
        return page.eval_on_selector_all(
            ".pp-card", "cs => cs.map(c => [c.getBoundingClientRect().top, "
            "c.getBoundingClientRect().bottom])")

    page.set_viewport_size({"width": 1280, "height": 800})
    page.wait_for_timeout(500)
    (top0, _), (top1, _) = tops()
    assert abs(top0 - top1) < 2, "the cards do not sit side by side at 1280 px"
    page.set_viewport_size({"width": 800, "height": 900})
    page.wait_for_timeout(500)
    (_, bottom0), (top1, _) = tops()
    assert top1 >= bottom0, "the cards do not stack at 800 px"


def test_playing_on_a_narrow_window_uncovers_the_network(server, browser):
    tab = browser.new_page()              # opened narrow: the controls drawer is over the page
    tab.set_viewport_size({"width": 800, "height": 900})
    tab.goto(server.url)
    tab.wait_for_selector("img.pp-network", state="visible", timeout=LOAD_TIMEOUT)
    tab.get_by_role("button", name="▶ Play").click()
    wait_for_day(tab, 3)
    tab.wait_for_timeout(800)                   # the drawer slides away
    tab.locator("img.pp-network").scroll_into_view_if_needed()
    on_top = tab.eval_on_selector("img.pp-network", """img => {
        const b = img.getBoundingClientRect();
        return document.elementFromPoint(b.left + b.width / 2, b.top + b.height / 2) === img}""")
    tab.close()
    assert on_top, "something covers the network while playing"


def test_all_outcomes_shows_one_chosen_outcome(page):
    page.get_by_role("tab", name="All outcomes").click()
    page.wait_for_selector("img.pp-outcomes", state="visible", timeout=LOAD_TIMEOUT)
    first = shot(page, "img.pp-outcomes")
    assert page.locator("img.pp-outcomes").count() == 1
    page.locator(".pp-outcome-pick").click()
    page.get_by_role("option", name="vpn_use", exact=True).click()
    page.wait_for_timeout(1000)
    assert shot(page, "img.pp-outcomes") != first


def test_legends_for_events_periods_and_shapes_are_shown(page):
    for selector, words in ((".pp-chart-legend", "sensitive period"),
                            (".pp-network-legend", "domestic platform")):
        legend = page.locator(selector)
        assert legend.is_visible() and words in legend.inner_text()
    assert page.locator(".pp-network-legend svg").count() >= 7


def test_the_page_has_a_language_and_every_drawing_alt_text(page):
    assert page.eval_on_selector("html", "h => h.lang") == "en"
    page.wait_for_function("[...document.querySelectorAll('img')].every(i => i.alt)",
                           timeout=10_000)
    assert "Network of sampled users" in page.get_attribute("img.pp-network", "alt")
    assert "Key outcomes" in page.get_attribute("img.pp-charts", "alt")


def test_a_typed_value_moves_its_slider_and_back(page):
    field = page.locator(".pp-lever-enforcement_intensity .pp-typed input")
    field.fill("0.7")
    field.press("Enter")
    page.wait_for_function("/\\(base\\): 0.7\\s/.test(document.querySelector("
                           "'.pp-lever-enforcement_intensity').innerText)", timeout=10_000)
    thumb = page.locator(".pp-lever-enforcement_intensity [role=slider]")
    # the slider is redrawn after the label: wait for it rather than read it at once
    sync_api.expect(thumb).to_have_attribute("aria-valuenow", "0.7", timeout=10_000)
    assert thumb.get_attribute("aria-valuenow") == "0.7"
    thumb.focus()
    thumb.press("Home")
    sync_api.expect(field).to_have_value(re.compile(r"^0(\.0*)?$"), timeout=10_000)
    rate = page.locator(".pp-lever-entry_rate [role=slider]")
    assert 0.4 < int(rate.get_attribute("aria-valuenow")) / int(
        rate.get_attribute("aria-valuemax")) < 0.7          # a log track: mid-way, not at 2%


def test_values_on_demand_read_the_last_day_on_a_click(page):
    page.get_by_role("button", name="Step").click()
    wait_for_day(page, 1)
    page.get_by_role("button", name="Read the values").click()
    table = page.wait_for_selector(".pp-values", timeout=10_000)
    text = table.inner_text()
    assert "VPN use" in text and "availability" in text
    assert "Day 1: 01 Jan 2017" in page.inner_text(".pp-card:nth-child(2)")
    page.get_by_role("button", name="Step").click()
    page.wait_for_function("document.querySelector('.pp-card:nth-child(2)').innerText"
                           ".includes('Day 2: 02 Jan 2017')", timeout=10_000)
