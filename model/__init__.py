"""platform-pressure: an agent-based model of regulatory pressure on internet platforms.

The names below are loaded on first use (PEP 562), so `import model` and `pressure --help` do
not pay for pandas, Mesa and scipy until a run needs them.
"""

from __future__ import annotations

import importlib

_WHERE = {"run": ".api", "simulate": ".api", "ScenarioError": ".config.errors",
          "Scenario": ".config.loader", "load_scenario": ".config.loader",
          "METRICS": ".outcomes", "METRIC_NAMES": ".outcomes", "PHASES": ".simulation",
          "PressureModel": ".simulation"}

__all__ = sorted(_WHERE)


def __getattr__(name: str):
    if name not in _WHERE:
        raise AttributeError(f"module 'model' has no attribute {name!r}")
    value = getattr(importlib.import_module(_WHERE[name], __name__), name)
    globals()[name] = value                  # once loaded, a plain attribute
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_WHERE})
