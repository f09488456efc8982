"""What the app computes once per model (network sample and layout, figures), kept on the model.

Kept on the model itself rather than in a module-level weak dictionary: the cached objects
refer back to the model (a figure updates from it, the sample holds its agents), which would
keep a weakly keyed entry alive for ever; stored on the model they are freed with it after a
reset.
"""

from __future__ import annotations

from collections.abc import Callable


def per_model[T](model, key: str, build: Callable[[object], T]) -> T:
    """`build(model)` the first time `key` is asked for this model; the same object after."""
    store = model.__dict__.setdefault("_viz_cache", {})
    if key not in store:
        store[key] = build(model)
    return store[key]
