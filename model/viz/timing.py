"""How long a day of the app takes: `python -m model.viz.timing [--users N] [--scenario S]`.

Times, over a whole run, the model's step and the two redraws a frame needs (the network view
and the main chart, each to PNG), in CPU time of this process so that other work on the machine
does not inflate them. The browser adds sending the PNGs over loopback and the page update;
`tests/test_viz_browser.py` covers that path end to end.
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np

from .charts import main_chart
from .interactive import InteractiveModel
from .levers import DEFAULT_SCENARIO
from .network_view import render_png


def measure(scenario: str = DEFAULT_SCENARIO, users: int | None = None, seed: int = 0
            ) -> dict[str, np.ndarray]:
    """Per-day CPU seconds of step, network redraw and chart redraw, plus the first draw."""
    extra = {"users": users} if users else {}
    t = time.process_time()
    model = InteractiveModel(scenario, seed=seed, **extra)
    render_png(model)
    main_chart(model).png()
    first = time.process_time() - t
    out = {"step": [], "network": [], "chart": []}
    while model.running:
        for name, work in (("step", model.step), ("network", lambda: render_png(model)),
                           ("chart", lambda: main_chart(model).png())):
            t = time.process_time()
            work()
            out[name].append(time.process_time() - t)
    return {"build (new model + first draw)": np.array([first]),
            **{k: np.array(v) for k, v in out.items()}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m model.viz.timing")
    parser.add_argument("--scenario", default=DEFAULT_SCENARIO)
    parser.add_argument("--users", type=int)
    args = parser.parse_args(argv)
    times = measure(args.scenario, args.users)
    days = len(times["step"])
    frame = times["step"] + times["network"] + times["chart"]
    print(f"{args.scenario}, {args.users or 'scenario default'} users, {days} days "
          "(CPU ms: median, 90th percentile, max)")
    for name, t in {**times, "frame (step + both redraws)": frame}.items():
        ms = t * 1000
        print(f"  {name:32} {np.median(ms):7.1f} {np.percentile(ms, 90):7.1f} {ms.max():7.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
