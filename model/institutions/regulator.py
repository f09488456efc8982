"""Regulators: effective intensity, directives, audits with limited capacity, sanctions,
network blocking, seller shutdowns and detection of VPN users."""

from __future__ import annotations

import mesa
import numpy as np
from scipy.special import expit, logit

ROLES = ("cyberspace", "telecom", "public_security")
JURISDICTION = {
    "cyberspace": frozenset({"remove_vpn_apps", "data_localization", "brand_restriction"}),
    "telecom": frozenset({"ban_cloud_circumvention", "shut_domestic_vpns"}),
    "public_security": frozenset({"shut_domestic_vpns", "party_member_rules"}),
}


def effective_intensity(base: float, calendar_factor: float, adaptation: float) -> float:
    """I_t on a logistic scale: odds(I_t) = odds(base) x laws-in-force x sensitive-period
    factor x exp(adaptation). Multipliers act on the odds, so the base lever keeps its effect
    over its whole range and I_t reaches 1 only at base 1 (no clipping artefact); base 0 stays
    0 (no enforcement)."""
    if base <= 0.0:
        return 0.0
    if base >= 1.0:
        return 1.0
    return float(expit(logit(base) + np.log(calendar_factor) + adaptation))


ADAPTATION_BOUND = 5.0
"""Largest change of the log-odds of intensity adaptive regulators make (a factor of ~150)."""


def adapt(adaptation: float, observed_use: float, target: float, rate: float) -> float:
    """Adaptive regulators move the log-odds of intensity by rate x the relative gap between
    the use they observe and the use they tolerate: up while it is above, down (they relax)
    while it is below."""
    gap = (observed_use - target) / max(target, 1e-3)
    return float(np.clip(adaptation + rate * gap, -ADAPTATION_BOUND, ADAPTATION_BOUND))


class Regulator(mesa.Agent):
    """One authority. Its roles decide which directives it audits and which duties it runs;
    with fewer than three regulators the roles are shared out, with more they repeat."""

    def __init__(self, model, roles: tuple[str, ...], duties: tuple[str, ...]) -> None:
        super().__init__(model)
        self.roles, self.duties = roles, duties
        self.name = "+".join(roles)
        self.jurisdiction = frozenset().union(*(JURISDICTION[r] for r in roles))
        self.audits = 0
        self.stream = model.streams.generator(f"regulator:{self.name}")
        self._targets: list = []
        self._weights = np.zeros(0)

    @property
    def capacity(self) -> float:
        """Audits a day: grows linearly with effective intensity."""
        return self.model.p["audit_capacity"] * self.model.intensity

    def refresh_targets(self) -> None:
        """Entities under an order this regulator oversees, weighted by visibility."""
        self._targets = [e for e in self.model.regulated if e.operating
                         and self.jurisdiction.intersection(e.obligations)]
        self._weights = np.array([e.size for e in self._targets], dtype=float)

    def audit_rate(self, entity) -> float:
        """Expected audits of `entity` a day (what a rational target expects)."""
        if entity not in self._targets:
            return 0.0
        return min(1.0, self.capacity * entity.size / self._weights.sum())

    def step(self) -> None:
        self.audit()
        for duty in self.duties:
            getattr(self, duty)()

    def audit(self) -> None:
        """Audit up to capacity targets (drawn by size); a violation found moves the target up
        the sanction ladder."""
        if not self._targets:
            return
        rng, p = self.stream, self.model.p
        cap = self.capacity
        n = int(cap) + int(rng.random() < cap - int(cap))
        if n == 0:
            return
        picks = rng.choice(len(self._targets), size=n, p=self._weights / self._weights.sum())
        day, issued = self.model.day, self.model.directives
        for k in picks:
            target = self._targets[k]
            self.audits += 1
            # an order issued today cannot have been obeyed yet: it is not audited until tomorrow
            caught = max((target.violation_probability(a, p["audit_detection_prob"])
                          for a in self.jurisdiction.intersection(target.obligations)
                          if issued.get(a, day) < day), default=0.0)
            if target.operating and rng.random() < caught:
                target.sanction()

    # --- duties: each run by the first regulator holding the role ---------------------------
    def run_firewall(self) -> None:
        """Telecom: the firewall's protocol-wide blocks, probing and throttling (7.5)."""
        m = self.model
        m.firewall.step(m.streams, m.vpn, m.day, m.intensity,
                        float(m.calendar.sensitive_factor[m.day]),
                        m.users.protocol_shares(m.vpn), m.customers.licensed_share(m.clouds))

    def review_customers(self) -> None:
        """Cyberspace: once security reviews are ordered (the Cybersecurity Law's reviews of
        cross-border data and foreign network services), review business customers of
        foreign clouds, each with chance security_review_rate x intensity a day."""
        m = self.model
        if "security_reviews" in m.directives:
            foreign = np.array([c.foreign and c.operating for c in m.clouds])
            m.customers.security_review(m.streams, m.day, foreign,
                                        m.p["security_review_rate"] * m.intensity)

    def shut_sellers(self) -> None:
        """Public security: shut China-based commercial VPN sellers once ordered."""
        m = self.model
        if "shut_domestic_vpns" in m.directives:
            u = m.streams.uniform_at("regulators:seller_shutdown", m.day, np.arange(m.vpn.size))
            m.vpn.shut(u, m.vpn.channel_mask("domestic_commercial"),
                       m.p["seller_shutdown_rate"] * m.intensity)

    def detect_users(self) -> None:
        """Public security: detect VPN users (chance grows with intensity and with how
        detectable their provider's channel and protocol are) and punish them."""
        m = self.model
        m.users.detect_and_punish(m.streams, m.day, m.p["user_detection_rate"] * m.intensity,
                                  m.vpn.detectability, m.vpn)


def assign_roles(n: int) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    """(roles, duties) for each of n regulators."""
    duty_of = {"telecom": ("run_firewall",),
               "public_security": ("shut_sellers", "detect_users"),
               "cyberspace": ("review_customers",)}
    if n <= len(ROLES):
        roles = [tuple(r for i, r in enumerate(ROLES) if i % n == k) for k in range(n)]
    else:
        roles = [(ROLES[k % len(ROLES)],) for k in range(n)]
    out, done = [], set()
    for rs in roles:
        duties = tuple(d for r in rs if r not in done for d in duty_of[r])
        done.update(rs)
        out.append((rs, duties))
    return out
