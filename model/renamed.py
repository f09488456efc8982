"""Names retired from the outputs, still read (with a warning) so older code keeps working.

The daily value of the enforcement intensity was recorded as `enforcement_intensity`, the name
of the input it starts from; it is `effective_intensity` now, so one name has one meaning. Code
written against the old name (an experiment's `outcomes`, a script reading a run's time
series) keeps working until it moves; `FutureWarning` says what to write instead.
"""

from __future__ import annotations

import warnings

METRICS = {"enforcement_intensity": "effective_intensity"}
"""Old daily metric name -> its name now."""
OUTCOMES = {f"{old}_{s}": f"{new}_{s}" for old, new in METRICS.items() for s in ("final", "mean")}
"""Old summary outcome name -> its name now."""


def warn(old: str, new: str, stacklevel: int = 3) -> None:
    warnings.warn(f"`{old}` is the old name of the daily value `{new}` (the input "
                  f"keeps the name `enforcement_intensity`): write `{new}`", FutureWarning,
                  stacklevel=stacklevel)


def outcome(name: str) -> str:
    """The outcome's name now (warning when `name` is an old one)."""
    if name in OUTCOMES:
        warn(name, OUTCOMES[name], stacklevel=4)
        return OUTCOMES[name]
    return name
