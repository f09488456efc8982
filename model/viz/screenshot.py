"""Refresh the README's picture of the app: `python -m model.viz.screenshot [PATH]`.

Serves the app, opens it in headless Chromium, advances the 2017 scenario to a fixed day with
the Step button (30 days a frame, so the picture is the same run and day every time), and saves
a screenshot of the page (default `docs/figures/app.png`).
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from pathlib import Path

from .browser import AppServer, open_browser
from .cli import resolve_scenario

DEFAULT_PATH = Path("docs/figures/app.png")
DAYS_PER_FRAME = 30
FRAMES = 10        # 300 days: late October 2017, after the Party Congress


def take(path: Path, scenario: str | None = None) -> Path:
    from playwright.sync_api import sync_playwright

    path.parent.mkdir(parents=True, exist_ok=True)
    with AppServer(resolve_scenario(scenario)) as server, sync_playwright() as pw, \
            tempfile.TemporaryDirectory(prefix="pressure-chromium-") as profile:
        browser = open_browser(pw, profile)
        page = browser.new_page()
        page.goto(server.url)
        page.wait_for_selector("img.pp-network", state="visible", timeout=60_000)
        frames = page.locator(".pp-run [role=slider]").first   # "Days per step"
        frames.focus()
        frames.press("End")                                     # its maximum, 30
        page.wait_for_function(f"document.querySelector('.pp-run').innerText"
                               f".includes('Days per step: {DAYS_PER_FRAME}')")
        step = page.get_by_role("button", name="Step")
        for k in range(1, FRAMES + 1):
            step.click()
            page.wait_for_function(
                "n => /day (\\d+) of/.exec(document.querySelector('.pp-fig-date').innerText)"
                "?.[1] >= n", arg=k * DAYS_PER_FRAME, timeout=30_000)
        page.wait_for_timeout(1500)          # the last frame's images arrive
        page.screenshot(path=str(path), full_page=False)
        date = re.sub(r"\s+", " ", page.inner_text(".pp-fig-date"))
        browser.close()
    print(f"wrote {path} ({date})")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m model.viz.screenshot",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT_PATH)
    parser.add_argument("--scenario", help="scenario file or name (default china_2017)")
    args = parser.parse_args(argv)
    take(args.path, args.scenario)
    return 0


if __name__ == "__main__":
    sys.exit(main())
