"""Tying the model to the 2017 record: the documented patterns as checkable targets."""

from .targets import TARGETS, Target, evaluate

__all__ = ["TARGETS", "Target", "evaluate"]
