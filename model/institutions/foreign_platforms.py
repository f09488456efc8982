"""Foreign platforms: an app store (Apple-like) and clouds (AWS-, Azure-like).

Each weighs, for every directive addressed to it, the expected sanctions of resisting against
the cost of complying (lost users in China and reputation at home), and leaves the market when
staying costs more than its China business earns.
"""

from __future__ import annotations

import math

from .app_store import AppStore
from .cloud import Cloud, circumvention_left, police_customers, send_warning_letters
from .regulated import PENDING, RegulatedEntity
from .sanctions import expected_sanction, severities


class ForeignPlatform(RegulatedEntity):
    foreign = True

    def __init__(self, model, name: str, size: float, china_revenue_share: float) -> None:
        super().__init__(model, name, size)
        p = model.p
        self.china_revenue_share = china_revenue_share
        self.reputation_cost = p["reputation_cost"] * math.exp(
            p["reputation_spread"] * self.stream.standard_normal())

    # --- what the platform weighs ----------------------------------------------------------
    def daily_detection(self) -> float:
        return self.model.audit_rate(self) * self.model.p["audit_detection_prob"]

    def resistance_cost(self) -> float:
        """Expected sanctions over the planning horizon, as a share of global revenue."""
        p = self.model.p
        return self.china_revenue_share * expected_sanction(
            self.sanction_level, self.daily_detection(), p["planning_horizon_days"], severities(p))

    def compliance_cost(self, action: str) -> float:
        """China users lost plus reputation at home, eased when peers have complied."""
        p = self.model.p
        peers = self.model.peer_compliance(self, action)
        return (self.china_revenue_share * p["compliance_user_loss"]
                + self.reputation_cost * (1.0 - p["peer_compliance_weight"] * peers))

    def china_profit(self) -> float:
        """Yearly profit from China, as a share of global revenue."""
        return self.model.p["profit_margin"] * self.china_revenue_share

    def stance(self, action: str) -> str:
        """'complied', 'delaying' (sanctions outweigh the cost) or 'resisting'."""
        if self.complied(action):
            return "complied"
        return "delaying" if self.resistance_cost() >= self.compliance_cost(action) else "resisting"

    # --- what it does -------------------------------------------------------------------------
    def step(self) -> None:
        if not self.operating:
            return
        self.decide()
        self.consider_exit()
        if self.operating:
            self.act()

    def decide(self) -> None:
        """Comply with each pending directive with daily chance
        speed x logistic(ln(E / C) / noise): E expected sanctions, C cost of complying."""
        p, rng = self.model.p, self.stream
        expected = self.resistance_cost()
        for action, state in list(self.obligations.items()):
            if state != PENDING:
                continue
            cost = self.compliance_cost(action)
            if expected <= 0.0:
                chance = 0.0
            elif cost <= 0.0:
                chance = p["compliance_speed"]
            else:
                z = math.log(expected / cost) / p["compliance_noise"]
                chance = p["compliance_speed"] / (1.0 + math.exp(-max(min(z, 50.0), -50.0)))
            if rng.random() < chance:
                self.comply(action)

    def consider_exit(self) -> None:
        """Exit (daily chance exit_rate) when the cheaper of resisting and complying with what is
        pending costs more than the China business is worth (business_value_years of profit)."""
        pending = [a for a, s in self.obligations.items() if s == PENDING]
        if not pending:
            return
        p = self.model.p
        staying = min(self.resistance_cost(), sum(self.compliance_cost(a) for a in pending))
        worth = self.china_profit() * p["business_value_years"]
        if staying > worth and self.stream.random() < p["exit_rate"]:
            self.withdraw()

    def act(self) -> None:
        """Carry out what it has complied with."""


class ForeignAppStore(AppStore, ForeignPlatform):
    addressed_by = frozenset({"remove_vpn_apps", "data_localization"})
    channel, removal_rate = "foreign_store", "store_removal_rate"


class ForeignCloud(ForeignPlatform, Cloud):
    """Operates through a local partner when the ownership cap is below control; otherwise it
    is the regulated operator itself and polices its customers once it complies."""

    def __init__(self, model, name: str, size: float, index: int) -> None:
        super().__init__(model, name, size, model.p["cloud_china_revenue_share"])
        p = model.p
        self.init_cloud(index, p["foreign_price"], 0.0, p["foreign_brand_value"])
        self.partner = None
        self.initial_customers = 1
        self.taken_over_by = None

    @property
    def addressed_by(self) -> frozenset[str]:
        own = {"data_localization"}
        if self.partner is None:
            own.add("ban_cloud_circumvention")
        return frozenset(own)

    @property
    def foreign(self) -> bool:
        return self.taken_over_by is None

    def china_profit(self) -> float:
        """Margin on China revenue, scaled by customers kept, less the partner's cut."""
        p = self.model.p
        kept = self.model.customers.count_on(self.index) / max(1, self.initial_customers)
        cut = p["partner_revenue_share"] if self.partner is not None else 0.0
        return p["profit_margin"] * self.china_revenue_share * kept * (1.0 - cut)

    def monitoring_effort(self) -> float:
        """A self-operated cloud that has complied polices its customers. What it risks by
        policing too little is the sanction ladder ahead of it (in years of China revenue):
        e* = clip(expected sanctions over the horizon / (2 x monitoring_cost), 0, 1)."""
        if not self.complied("ban_cloud_circumvention"):
            return 0.0
        p = self.model.p
        at_risk = expected_sanction(self.sanction_level, self.daily_detection(),
                                    p["planning_horizon_days"], severities(p))
        return min(1.0, at_risk / (2.0 * p["monitoring_cost"]))

    def comply(self, action: str) -> None:
        super().comply(action)
        if action == "ban_cloud_circumvention":
            send_warning_letters(self.model, self)

    def violation_probability(self, action: str, detection: float) -> float:
        """Having complied with the ban, it is still caught for circumvention it missed."""
        if action == "ban_cloud_circumvention" and self.complied(action):
            left = circumvention_left(self.model, self)
            return detection * (1.0 - self.monitoring_effort()) if left else 0.0
        return super().violation_probability(action, detection)

    def act(self) -> None:
        if self.partner is None:
            police_customers(self.model, self, self.monitoring_effort(),
                             self.model.p["partner_detection_rate"])

    def withdraw(self, revoked: bool = False) -> None:
        """Leave: the partner takes over assets and customers (they become domestic), or the
        cloud closes and its customers must move."""
        super().withdraw(revoked)
        m = self.model
        partner = self.partner
        if partner is not None and partner.operating and self.stream.random() < m.p[
                "takeover_probability"]:
            self.taken_over_by = partner
            self.operating = True           # the service runs on, as a domestic cloud
            self.obligations = {}
            self.brand = 0.0
            self.price = m.p["domestic_price"]       # run and priced as a domestic cloud
            self.name = f"{partner.name} (ex-{self.name})"
            partner.cloud_foreign = False
        else:
            m.close_cloud(self)
            if partner is not None:
                partner.operating = False


def optimal_effort(daily_detection: float, horizon: int, stake: float, cost: float) -> float:
    """Monitoring effort e minimising (1 - e) x P(caught within horizon) x stake + cost x e^2:
    e* = clip(P x stake / (2 cost), 0, 1)."""
    caught = 1.0 - (1.0 - min(daily_detection, 1.0)) ** horizon
    return min(1.0, max(0.0, caught * stake / (2.0 * cost)))
