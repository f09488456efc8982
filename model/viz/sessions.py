"""What the server holds: open sessions and models in memory, and how long a lost page keeps its.

Each browser tab is a Solara session (a virtual kernel) with its own model. Solara keeps a
session whose page disconnected without saying goodbye for `SOLARA_KERNEL_CULL_TIMEOUT`, 24 hours
by default, so a server used by many tabs only grew (1.45 GB after half an hour of testing).
`pressure viz` shortens that to `CULL_TIMEOUT` (a page that reconnects sooner, e.g. after a
network hiccup, keeps its run). A tab that closes cleanly ends its session at once. The counts
are shown in the About panel, so a person or a test can see that closed pages freed theirs.
"""

from __future__ import annotations

import gc
import weakref

CULL_ENV = "SOLARA_KERNEL_CULL_TIMEOUT"
CULL_TIMEOUT = "15s"

_models: weakref.WeakSet = weakref.WeakSet()


def track(model) -> None:
    """Count `model` among the live models (weakly: tracking keeps nothing alive)."""
    _models.add(model)


def counts() -> tuple[int, int]:
    """(open sessions, models in memory), after a garbage collection so freed models are gone."""
    from solara.server import kernel_context

    gc.collect()
    return len(kernel_context.contexts), len(_models)


def describe() -> str:
    sessions, models = counts()
    return (f"This server: {sessions} open session{'s' * (sessions != 1)}, "
            f"{models} model{'s' * (models != 1)} in memory.")


class ModelSlot:
    """The page's current model, held outside Solara's reactive state.

    Why: Solara (1.58) leaves a set of the reactives last read on a worker thread in that
    thread's local storage, so a model kept in a `solara.reactive` stayed in memory after its
    session closed (seen: every closed page left its model). The slot is owned by the page's
    render context alone and goes with it; a small integer reactive, `version`, tells the
    page when Reset put a new model in.
    """

    def __init__(self, model, version) -> None:
        self.value, self._version = model, version

    @property
    def version(self) -> int:
        """How many times Reset replaced the model (reading it in a component re-renders the
        component on the next Reset)."""
        return self._version.value

    def set(self, model) -> None:
        self.value = model
        self._version.set(self._version.peek() + 1)
