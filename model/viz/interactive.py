"""The model as the app builds it: a scenario reference, a numeric seed and slider overrides.

`InteractiveModel` is exactly `PressureModel(scenario_ref, rng=seed, **overrides)`: same seed,
same run as `pressure run` or `model.run`. It remembers the scenario reference and the seed as
given, so the parameter panel can tell what Reset would change, and it insists on a
non-negative integer seed (Mesa's text seed input hands a model a string; numpy rejects
negative seeds with a less helpful message).
"""

from __future__ import annotations

from numbers import Integral

from ..simulation import PressureModel
from .levers import DEFAULT_SCENARIO
from .sessions import track


class InteractiveModel(PressureModel):
    """`PressureModel` built from the app's controls.

    Args:
        scenario_ref: a name in scenarios/ or a path to a scenario TOML file.
        seed: a non-negative integer; the model's generator is `numpy.random.default_rng(seed)`.
        **overrides: flat parameter values from the sliders (`users`, levers).
    """

    def __init__(self, scenario_ref: str = DEFAULT_SCENARIO, seed: int = 0, **overrides):
        if isinstance(seed, bool) or not isinstance(seed, Integral) or seed < 0:
            raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
        self.scenario_ref, self.seed = str(scenario_ref), int(seed)
        super().__init__(self.scenario_ref, rng=self.seed, **overrides)
        track(self)
