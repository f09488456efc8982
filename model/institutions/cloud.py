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
        self.index, self.price, self.quality, self.brand = index, price, quality, brand
        self.event_risk = 0.0

    def accepting(self, day: int) -> bool:
        """A suspended cloud (or one whose operating partner is suspended) takes no new
        customers."""
        operator = getattr(self, "partner", None) or self
        return not (self.suspended(day) or operator.suspended(day))

    def perceived_risk(self, intensity: float, exposure: float) -> float:
        return (exposure * intensity if self.foreign else 0.0) + self.event_risk


def police_customers(model, cloud: Cloud, effort: float, detection: float) -> None:
    """Find (chance effort x detection a day) and act on customers hosting circumvention: VPN
    servers are shut at once; business customers are warned first, shut if caught again."""
    p = effort * detection
    if p <= 0.0 or not getattr(cloud, "operating", True):
        return
    u = model.streams.uniform_at(f"policing:{cloud.index}", model.day, np.arange(model.vpn.size))
    servers = model.vpn.shut(u, model.vpn.host == cloud.index, p)
    firms = model.customers.police(model.streams.generator("customers:policing"), cloud.index,
                                   p, model.p["warning_compliance"])
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
    model.customers.warn_all(model.streams.generator("customers:warnings"), cloud.index,
                             model.p["warning_compliance"])
    cloud.event_risk += model.p["warning_risk"]
