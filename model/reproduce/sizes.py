"""How big each step of `pressure reproduce` is.

`full` runs the calibration and experiment files as shipped (their sizes are the documented
ones); `reduced` runs the same pipeline with fewer particles, points, replicates and users, as
`--set` overrides, so a reader can check every step end to end in a few minutes. The
calibration's parameter recovery runs at the calibration's size.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Size:
    name: str
    calibration: list[str] = field(default_factory=list)      # --set for calibration_2017
    validation: dict[str, int] = field(default_factory=dict)  # sets, replicates, users
    morris: list[str] = field(default_factory=list)           # --set for sensitivity
    sobol_top: int = 5                                         # parameters given Sobol indices
    sobol: dict[str, int] = field(default_factory=dict)       # samples, users
    sweep: list[str] = field(default_factory=list)            # --set for intensity_sweep
    counterfactuals: list[str] = field(default_factory=list)  # --set for counterfactuals
    posterior_sweep: dict[str, int] = field(default_factory=dict)  # sets, users


FULL = Size(
    "full",
    validation={"sets": 16, "replicates": 1, "users": 2000},
    sobol_top=5, sobol={"samples": 128, "users": 5000},
    posterior_sweep={"sets": 20, "users": 10000},
)

REDUCED = Size(
    "reduced",
    calibration=["particles=16", "replicates=1", "users=500", "max_generations=3"],
    validation={"sets": 6, "replicates": 1, "users": 500},
    morris=["design.trajectories=6", "users=2000"],
    sobol_top=4, sobol={"samples": 32, "users": 2000},
    sweep=["replicates=5", "users=2000"],
    counterfactuals=["replicates=8", "users=2000"],
    posterior_sweep={"sets": 5, "users": 2000},
)

SIZES = {s.name: s for s in (FULL, REDUCED)}
