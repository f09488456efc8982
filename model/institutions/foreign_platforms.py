"""Foreign platforms: an app store (Apple-like) and clouds (AWS-, Azure-like).

Each weighs, for every directive addressed to it, what resisting is expected to cost (sanctions
over its planning horizon, in proportion to the revenue it has at risk in the country and
discounted by the regulator's credibility, its record of sanctions) against what complying
costs (users lost in the country, reputation at home, eased when its peers have complied; its
own reputational cost drawn for the firm). Each firm has a resolve of its own against each
order: it refuses while its leaning to comply is below it, and complies after a delay that
shortens as the balance tips once it is above; it complies partly (an app store removes the
most-used listings first, faster the more it leans to complying); and it leaves the market
when staying costs more than its business there is worth. Larger platforms are audited more, so delaying costs them more
(Liu, JEEA 2025). Cases: docs/evidence.md, Platform compliance.
"""

from __future__ import annotations

import math

from .app_store import AppStore
from .cloud import (Cloud, charge_monitoring, circumvention_left, police_customers,
                    send_warning_letters)
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
        self._resolve: dict[str, float] = {}

    # --- what the platform weighs ----------------------------------------------------------
    def daily_detection(self) -> float:
        return self.model.audit_rate(self) * self.model.p["audit_detection_prob"]

    def resistance_cost(self) -> float:
        """Expected sanctions over the planning horizon, as a share of global revenue, times
        the regulator's credibility (a regulator that has never sanctioned is half believed)."""
        p = self.model.p
        return self.model.credibility() * self.china_revenue_share * expected_sanction(
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

    def leaning(self, action: str) -> float:
        """How far the platform leans to complying: logistic(ln(E / C) / noise), E the
        expected cost of resisting, C the cost of complying (1: all in; 0: resisting)."""
        expected, cost = self.resistance_cost(), self.compliance_cost(action)
        if expected <= 0.0:
            return 0.0
        if cost <= 0.0:
            return 1.0
        z = math.log(expected / cost) / self.model.p["compliance_noise"]
        return 1.0 / (1.0 + math.exp(-max(min(z, 50.0), -50.0)))

    def resolve(self, action: str) -> float:
        """The firm's own resolve against `action`: a uniform draw made once, the day it first
        weighs the order (what the costs above leave out: its principles, its lawyers' view).
        It decides to comply once its leaning exceeds this; until then it refuses, however
        many days pass, and only a change in what it weighs (sanctions, peers, credibility)
        can turn it."""
        if action not in self._resolve:
            self._resolve[action] = float(self.stream.random())
        return self._resolve[action]

    def decide(self) -> None:
        """For each pending directive: refuse while the leaning is below the firm's resolve;
        once above, comply with daily chance speed x leaning (a delay that shortens as
        sanctions outweigh the cost of complying, so larger platforms comply sooner)."""
        p, rng = self.model.p, self.stream
        for action, state in list(self.obligations.items()):
            if state != PENDING:
                continue
            leaning = self.leaning(action)
            if leaning > self.resolve(action) and rng.random() < p["compliance_speed"] * leaning:
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

    def depth(self) -> float:
        """Having complied, how far it leans to complying sets how fast it removes."""
        return self.leaning("remove_vpn_apps")


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
        self.assets_owner = None        # the partner, once the cloud has sold it its assets

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
        elif action == "data_localization":
            self.localize(self.model.p["data_localization_cost"])

    def violation_probability(self, action: str, detection: float) -> float:
        """Having complied with the ban, it is still caught for circumvention it missed."""
        if action == "ban_cloud_circumvention" and self.complied(action):
            left = circumvention_left(self.model, self)
            return detection * (1.0 - self.monitoring_effort()) if left else 0.0
        return super().violation_probability(action, detection)

    def act(self) -> None:
        if self.partner is None:
            effort = self.monitoring_effort()
            charge_monitoring(self, self.model.p, effort)
            police_customers(self.model, self, effort, self.model.p["partner_detection_rate"])

    def sell_assets(self) -> bool:
        """Voluntary restructuring (AWS to Sinnet, 2017-11-10): the partner buys the cloud's
        infrastructure in China and the cloud keeps operating through it, under its own brand,
        as a foreign cloud. Should it leave later, the partner already owns what it would take
        over, so the service runs on for certain. Without an operating partner there is no
        one to sell to (False)."""
        if not self.operating or self.taken_over_by is not None or self.partner is None \
                or not self.partner.operating:
            return False
        self.assets_owner = self.partner
        return True

    def withdraw(self, revoked: bool = False) -> None:
        """Leave: the partner takes over assets and customers (they become domestic), or the
        cloud closes and its customers must move. A partner that already owns the assets
        takes over for certain."""
        super().withdraw(revoked)
        m = self.model
        partner = self.partner
        owns = partner is not None and self.assets_owner is partner
        if partner is not None and partner.operating and (owns or self.stream.random() < m.p[
                "takeover_probability"]):
            self.taken_over_by = partner
            self.operating = True           # the service runs on, as a domestic cloud
            self.obligations = {}
            self.brand = 0.0
            self.reprice(m.p["domestic_price"])      # run and priced as a domestic cloud
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
