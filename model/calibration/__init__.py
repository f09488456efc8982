"""Tying the model to the 2017 record: the documented patterns as checkable targets."""

from __future__ import annotations

__all__ = ["TARGETS", "Target", "evaluate"]


def __getattr__(name: str):
    """The targets, loaded on first use: `pressure --help` need not import pandas."""
    if name not in __all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from . import targets

    value = getattr(targets, name)
    globals()[name] = value
    return value
