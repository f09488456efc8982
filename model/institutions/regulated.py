"""What platforms and partners share: obligations from directives and the sanction ladder."""

from __future__ import annotations

import mesa

from .sanctions import REVOCATION, SUSPENSION

PENDING, COMPLIED = "pending", "complied"


class RegulatedEntity(mesa.Agent):
    """An institution regulators can order, audit and sanction.

    `size` is its political visibility: audits pick targets in proportion to it (the political
    cost of non-compliance grows with platform size).
    """

    foreign = False
    addressed_by: frozenset[str] = frozenset()   # directive actions this entity must carry out

    def __init__(self, model, name: str, size: float) -> None:
        super().__init__(model)
        self.name, self.size = name, size
        self.stream = model.streams.generator(f"agent:{name}")   # its own decisions' stream
        self.obligations: dict[str, str] = {}
        self.sanction_level = 0
        self.sanctions = 0
        self.suspended_until = -1
        self.operating = True

    def suspended(self, day: int) -> bool:
        """Under a suspension (third rung) on `day`."""
        return day <= self.suspended_until

    def oblige(self, action: str) -> None:
        """A directive addressed to this entity has been issued."""
        if self.operating and action in self.addressed_by and action not in self.obligations:
            self.obligations[action] = PENDING
            self.on_obliged(action)

    def on_obliged(self, action: str) -> None:
        """Hook: what the entity does the day it is ordered (e.g. warn customers)."""

    def comply(self, action: str) -> None:
        self.obligations[action] = COMPLIED

    def complied(self, action: str) -> bool:
        return self.obligations.get(action) == COMPLIED

    def violation_probability(self, action: str, detection: float) -> float:
        """Chance an audit about `action` finds a violation (0 when compliant or not ordered)."""
        state = self.obligations.get(action)
        return 0.0 if state in (None, COMPLIED) else detection

    def sanction(self) -> None:
        """Move one rung up the ladder and suffer its effect."""
        self.sanction_level = min(self.sanction_level + 1, REVOCATION)
        self.sanctions += 1
        self.model.on_sanction(self)
        if self.sanction_level == SUSPENSION:     # suspended today and the days after
            self.suspended_until = self.model.day + self.model.p["suspension_days"] - 1
        elif self.sanction_level == REVOCATION:
            self.withdraw(revoked=True)

    def withdraw(self, revoked: bool = False) -> None:
        """Leave the market (licence revoked or the business no longer pays)."""
        self.operating = False
