"""Bounded memory in a real browser: a page's session, model and play loop end when it closes.

Each test runs its own server (`pressure viz`'s, with its shortened session timeout), so the
counts it reads are its own. The counts are the About panel's ("This server: N open sessions,
M models in memory"), read from a fresh page, which is itself one session with one model.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

pytest.importorskip("solara", reason="the viz extra is not installed")
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")

from model.viz.browser import AppServer, find_chromium, open_browser  # noqa: E402

CHROMIUM = find_chromium()
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="no Chromium on this machine: run .ci/install-browser")

LOAD_TIMEOUT = 90_000
FREED_WITHIN_S = 30.0


@pytest.fixture
def server():
    srv = AppServer().start()
    yield srv
    srv.stop()


@pytest.fixture
def browser(tmp_path):
    with sync_api.sync_playwright() as pw:
        context = open_browser(pw, str(tmp_path / "chromium-profile"), CHROMIUM)
        yield context
        context.close()


def open_app(browser, server):
    tab = browser.new_page()
    tab.goto(server.url)
    tab.wait_for_selector("img.pp-network", state="visible", timeout=LOAD_TIMEOUT)
    return tab


def counts(tab) -> tuple[int, int]:
    """(sessions, models) as the About panel counts them now."""
    tab.get_by_text("About this model").click()
    tab.locator(".pp-count").click()
    tab.wait_for_timeout(1000)                   # the server counts and sends the text
    found = re.search(r"(\d+) open sessions?, (\d+) models? in memory",
                      tab.inner_text(".pp-server"))
    assert found, tab.inner_text(".pp-server")
    return int(found.group(1)), int(found.group(2))


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / 100       # utime + stime, in clock ticks


def rss_mb(pid: int) -> float:
    found = re.search(r"VmRSS:\s+(\d+) kB", Path(f"/proc/{pid}/status").read_text())
    return int(found.group(1)) / 1024


def test_closed_pages_free_their_sessions_models_and_play_loops(server, browser):
    tabs = [open_app(browser, server) for _ in range(3)]
    tabs[0].get_by_role("button", name="Step").click()
    tabs[1].get_by_role("button", name="▶ Play").click()
    tabs[1].wait_for_function("/day [1-9]/.test(document.querySelector('.pp-fig-date')"
                              ".innerText)", timeout=60_000)
    assert counts(tabs[2]) == (3, 3)
    for tab in tabs:
        tab.close()
    closed = time.monotonic()
    time.sleep(FREED_WITHIN_S - 8)
    spent = cpu_seconds(server.proc.pid)
    time.sleep(5)
    busy = (cpu_seconds(server.proc.pid) - spent) / 5
    assert busy < 0.1, f"the server still uses {busy:.0%} of a core after its pages closed"
    time.sleep(max(0.0, FREED_WITHIN_S - (time.monotonic() - closed)))
    probe = open_app(browser, server)
    assert counts(probe) == (1, 1)
    probe.close()


def test_twenty_resets_leave_one_model(server, browser):
    tab = open_app(browser, server)
    step, reset = (tab.get_by_role("button", name=n) for n in ("Step", "Reset"))
    started = time.monotonic()
    for _ in range(20):
        step.click()
        tab.wait_for_function("/day 1 of/.test(document.querySelector('.pp-fig-date')"
                              ".innerText)", timeout=60_000)
        reset.click()
        tab.wait_for_function("!/day 1 of/.test(document.querySelector('.pp-fig-date')"
                              ".innerText)", timeout=60_000)
    print(f"20 step+reset cycles: {time.monotonic() - started:.1f} s")
    tab.wait_for_timeout(1000)                   # the last reset settles
    assert counts(tab) == (1, 1)


def test_memory_stays_flat_as_pages_open_and_close(server, browser):
    def cycle(n: int) -> None:
        for _ in range(n):
            tab = open_app(browser, server)
            tab.get_by_role("button", name="Step").click()
            tab.wait_for_function("/day 1 of/.test(document.querySelector('.pp-fig-date')"
                                  ".innerText)", timeout=60_000)
            tab.close()
        time.sleep(FREED_WITHIN_S)

    cycle(10)                                    # warm-up: imports, caches, allocator pools
    warm = rss_mb(server.proc.pid)
    cycle(10)
    grown = rss_mb(server.proc.pid) - warm
    print(f"resident memory after 10 pages {warm:.0f} MB, growth over pages 11-20 "
          f"{grown:.1f} MB ({grown / 10:.2f} MB a page)")
    assert grown / 10 < 5, f"{grown / 10:.1f} MB a page"
