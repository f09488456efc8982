"""platform-pressure: an agent-based model of regulatory pressure on internet platforms."""

from .api import run, simulate
from .config.errors import ScenarioError
from .config.loader import Scenario, load_scenario
from .outcomes import METRICS, METRIC_NAMES
from .simulation import PHASES, PressureModel

__all__ = ["METRICS", "METRIC_NAMES", "PHASES", "PressureModel", "Scenario", "ScenarioError",
           "load_scenario", "run", "simulate"]
