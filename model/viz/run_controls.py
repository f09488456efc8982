"""Reset, play/pause and step, with playback paced by the page's own drawing.

Why not Mesa's `ModelController`: its play loop steps and asks for a redraw every
`play_interval` ms whatever the redraw costs. When a redraw takes longer than that (a loaded
machine, a big figure), the thread that is drawing never finishes: every pass finds the state
changed again, and after a hundred passes Solara gives up with "Too many renders triggered"
(seen in the browser tests, 2 cores shared with other work). Here the loop waits until the page
has drawn the last frame (`Live` sets `drawn` after each render) and then pauses, so frames are
never stacked and the pace adapts to the machine. Its reset also builds the model from the
parameter panel directly: Mesa's would pass its own `scenario=` object (see
`mesa.visualization.solara_viz._build_model_init_kwargs`), which this model reads as a file.
"""

from __future__ import annotations

import threading
import time
import traceback

import solara
import solara.lab
from mesa.visualization.utils import force_update

from ..config.errors import ScenarioError
from .interactive import InteractiveModel

FRAME_TIMEOUT_S = 10.0     # go on even if no frame was drawn (e.g. the tab is in the background)


@solara.component
def RunControls(model: solara.Reactive, params: solara.Reactive[dict],
                days_per_frame: solara.Reactive[int], pause_ms: solara.Reactive[int],
                drawn: threading.Event):
    """Buttons that drive `model` (a reactive holding the current model)."""
    playing = solara.use_reactive(False)
    finished = solara.use_reactive(not model.value.running)
    error = solara.use_reactive(None)

    def advance() -> None:
        current = model.value
        for _ in range(days_per_frame.value):
            if not current.running:
                break
            current.step()
        drawn.clear()
        force_update()                          # Mesa's redraw signal; `Live` listens to it
        if not current.running:
            finished.set(True)

    def play_loop() -> None:
        try:
            while playing.value and not finished.value:
                advance()
                drawn.wait(FRAME_TIMEOUT_S)
                time.sleep(pause_ms.value / 1000)
        except Exception as exc:               # shown in the sidebar, the server keeps going
            traceback.print_exc()
            error.set(f"error in step: {exc}")
        finally:
            playing.set(False)

    solara.lab.use_task(play_loop, dependencies=[playing.value], prefer_threaded=True)

    def step() -> None:
        try:
            advance()
        except Exception as exc:
            traceback.print_exc()
            error.set(f"error in step: {exc}")

    def reset() -> None:
        playing.set(False)
        try:
            new = InteractiveModel(**params.value)
        except (ScenarioError, ValueError) as exc:
            error.set(str(exc))
            return
        error.set(None)
        finished.set(False)
        model.set(new)

    with solara.Row(justify="space-between"):
        solara.Button("Reset", color="primary", on_click=reset)
        solara.Button("❚❚ Pause" if playing.value else "▶ Play", color="primary",
                      on_click=lambda: playing.set(not playing.value),
                      disabled=finished.value)
        solara.Button("Step", color="primary", on_click=step,
                      disabled=playing.value or finished.value)
    if error.value:
        solara.Error(error.value)
