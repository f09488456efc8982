"""What every cloud offers business customers, and how an operator polices its customers."""

from __future__ import annotations

import numpy as np


class Cloud:
    """Market attributes of a cloud (mixed into foreign and domestic cloud agents).

    `event_risk` is the regulatory risk customers read from warnings, shutdowns and sanctions
    on this cloud; it decays with the customers' memory.
    """

    foreign = False

    def init_cloud(self, index: int, price: float, quality: float, brand: float) -> None:
        self.index, self.quality, self.brand = index, quality, brand
        self.base_price = price
        self.markups: dict[str, float] = {}     # what the cloud passes on in its price
        self.price = price
        self.event_risk = 0.0
        self.localized = False

    def mark_up(self, reason: str, share: float) -> None:
        """Pass a cost on to customers: price = base price x product of (1 + markup)."""
        self.markups[reason] = share
        self.price = self.base_price * float(np.prod([1.0 + m for m in self.markups.values()]))

    def reprice(self, base_price: float) -> None:
        """A new base price, and no markups (a cloud taken over is priced anew)."""
        self.base_price, self.markups = base_price, {}
        self.price = base_price

    def localize(self, cost: float) -> None:
        """Store its users' data in China (`data_localization`): once, at a cost passed on in
        its price."""
        if not self.localized:
            self.localized = True
            self.mark_up("data_localization", cost)

    def accepting(self, day: int) -> bool:
        """A suspended cloud (or one whose operating partner is suspended) takes no new
        customers."""
        operator = getattr(self, "partner", None) or self
        return not (self.suspended(day) or operator.suspended(day))

    def perceived_risk(self) -> float:
        """The regulatory risk customers read in this cloud: what they have met (warnings,
        shutdowns, sanctions), decaying with their memory (7.21)."""
        return self.event_risk


def police_customers(model, cloud: Cloud, effort: float, detection: float) -> None:
    """Find (chance effort x detection a day) and act on customers hosting circumvention: VPN
    servers are shut at once; business customers are warned first, shut if caught again."""
    p = effort * detection
    if p <= 0.0 or not getattr(cloud, "operating", True):
        return
    u = model.streams.uniform_at(f"policing:{cloud.index}", model.day, np.arange(model.vpn.size))
    servers = model.vpn.shut(u, model.vpn.host == cloud.index, p)
    firms = model.customers.police(model.streams, model.day, cloud.index, p,
                                   model.p["warning_compliance"])
    model.customers_shut_down_total += servers + firms
    if firms:
        on_cloud = max(1, model.customers.count_on(cloud.index))
        cloud.event_risk += model.p["shutdown_risk"] * 100.0 * firms / on_cloud


def circumvention_left(model, cloud: Cloud) -> bool:
    """Whether any VPN server or circumventing business customer is still on `cloud`."""
    return bool((model.vpn.serving & (model.vpn.host == cloud.index)).any()) or \
        model.customers.circumventing_on(cloud.index) > 0


def send_warning_letters(model, cloud: Cloud) -> None:
    """Tell every customer to stop hosting circumvention (Sinnet's letters)."""
    model.customers.warn_all(model.streams, model.day, cloud.index,
                             model.p["warning_compliance"])
    cloud.event_risk += model.p["warning_risk"]


def charge_monitoring(cloud: Cloud, params: dict, effort: float) -> None:
    """Monitoring customers costs the operator `monitoring_cost` x effort^2 (a share of a year's
    revenue; 7.11); `monitoring_pass_through` of it is passed on in the cloud's price. The
    harder regulators press, the dearer a policed foreign cloud: one way enforcement reaches
    its market share (domestic clouds' compliance is part of their base price)."""
    cloud.mark_up("monitoring", params["monitoring_pass_through"] * params["monitoring_cost"]
                  * effort ** 2)
