"""The sanction ladder and what a regulated entity expects it to cost.

Rungs: warning, fine, suspension, licence revocation. Each detected violation moves the entity
one rung up. Severities are shares of the entity's China revenue; revocation costs all of it.
"""

from __future__ import annotations

import math

LEVELS = ("none", "warning", "fine", "suspension", "revocation")
SUSPENSION = LEVELS.index("suspension")
REVOCATION = LEVELS.index("revocation")


def severities(params: dict) -> tuple[float, ...]:
    """Cost of reaching each rung, as a share of China revenue."""
    return (0.0, 0.0, params["fine_severity"], params["suspension_severity"], 1.0)


def expected_sanction(level: int, daily_detection: float, horizon: int,
                      severity: tuple[float, ...]) -> float:
    """Expected cost of staying non-compliant for `horizon` days, from rung `level`.

    Detections N ~ Poisson(daily_detection x horizon); reaching rung level + k costs
    severity[level + k] and happens when N >= k:  E = sum_k P(N >= k) x severity[level + k].
    """
    lam = daily_detection * horizon
    pmf = math.exp(-lam)
    cdf = pmf
    total = 0.0
    for k in range(1, REVOCATION - level + 1):
        total += (1.0 - cdf) * severity[level + k]
        pmf *= lam / k
        cdf += pmf
    return total
