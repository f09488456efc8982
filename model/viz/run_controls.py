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

The loop ends when its page goes: Solara does not stop a running task when a session closes, so
a tab closed while playing went on stepping (more than half a core) to the end of its run and
kept its model alive until then. Unmounting the controls sets `closed`, which the loop checks
after every frame (and which wakes it from waiting for a frame that will never be drawn).
"""

from __future__ import annotations

import threading
import traceback

import solara

from ..config.errors import ScenarioError
from .controls import pending_changes
from .interactive import InteractiveModel
from .sessions import ModelSlot

FRAME_TIMEOUT_S = 10.0     # go on even if no frame was drawn (e.g. the tab is in the background)


@solara.component
def RunControls(model: ModelSlot, params: solara.Reactive[dict],
                days_per_frame: solara.Reactive[int], pause_ms: solara.Reactive[int],
                drawn: threading.Event, frame: solara.Reactive[int]):
    """Buttons that drive `model` (a slot holding the current model); `frame` is bumped after
    each computed frame (`Live` redraws on it)."""
    playing = solara.use_reactive(False)
    building = solara.use_reactive(False)
    finished = solara.use_reactive(not model.value.running)
    error = solara.use_reactive(None)
    closed = solara.use_memo(threading.Event, [])
    kernel = solara.use_memo(_kernel_context, [])

    def on_unmount() -> None:
        closed.set()
        drawn.set()

    solara.use_effect(lambda: on_unmount, [])

    def advance() -> None:
        current = model.value
        for _ in range(days_per_frame.peek()):
            if not current.running:
                break
            current.step()
        drawn.clear()
        frame.set(frame.peek() + 1)
        if not current.running:
            finished.set(True)

    def play_loop() -> None:
        try:
            while playing.peek() and not finished.peek() and not closed.is_set():
                advance()
                drawn.wait(FRAME_TIMEOUT_S)
                closed.wait(pause_ms.peek() / 1000)
        except Exception as exc:               # shown in the sidebar, the server keeps going
            if closed.is_set():
                return                         # the page went while a day was being computed
            traceback.print_exc()
            error.set(f"error in step: {exc}")
        finally:
            if not closed.is_set():
                playing.set(False)

    def play() -> None:
        playing.set(True)
        _in_thread(kernel, play_loop)

    def step() -> None:
        try:
            advance()
        except Exception as exc:
            traceback.print_exc()
            error.set(f"error in step: {exc}")

    def build() -> None:
        try:
            new = InteractiveModel(**params.peek())
        except (ScenarioError, ValueError) as exc:
            error.set(str(exc))
            return
        finally:
            building.set(False)
        if closed.is_set():
            return
        error.set(None)
        finished.set(False)
        model.set(new)

    def reset() -> None:
        playing.set(False)
        building.set(True)
        _in_thread(kernel, build)

    model.version                              # re-render after a Reset
    changes = pending_changes(params.value, model.value)
    busy = building.value
    with solara.Row(justify="space-between"):
        solara.Button("Reset", color="warning" if changes else "primary", on_click=reset,
                      disabled=busy, classes=["pp-reset"] + (["pp-reset-pending"] * bool(changes)))
        solara.Button("❚❚ Pause" if playing.value else "▶ Play", color="primary",
                      on_click=(lambda: playing.set(False)) if playing.value else play,
                      disabled=finished.value or busy, classes=["pp-play"])
        solara.Button("Step", color="primary", on_click=step,
                      disabled=playing.value or finished.value or busy)
    if busy:
        solara.ProgressLinear(True)
        solara.Text("Building the model…", classes=["pp-busy"], style={"font-size": "13px"})
    elif changes:
        solara.Info(f"Press Reset to apply: {', '.join(changes)}.", dense=True,
                    classes=["pp-pending"])
    if error.value:
        solara.Error(error.value)


def _kernel_context():
    from solara.server import kernel_context

    try:
        return kernel_context.get_current_context()
    except RuntimeError:                         # rendered outside a server (tests)
        return None


def _in_thread(kernel, work) -> None:
    """Run `work` in a thread of its own, inside the page's kernel context (so the reactives
    it sets reach this page). Not `use_task`: its task object is kept by Solara's thread-local
    bookkeeping after the session closes, and with it the page's model (see `sessions.py`)."""
    def run() -> None:
        if kernel is None:
            work()
        else:
            with kernel:
                work()
    threading.Thread(target=run, daemon=True, name="pp-page-work").start()
