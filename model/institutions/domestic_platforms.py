"""Domestic platforms: app stores and clouds (Alibaba-like). They comply quickly, face low
regulatory risk (customers see no foreign exposure) and compete on price and scale."""

from __future__ import annotations

from .app_store import AppStore
from .cloud import Cloud, police_customers, send_warning_letters
from .regulated import PENDING, RegulatedEntity


class DomesticPlatform(RegulatedEntity):
    def step(self) -> None:
        if not self.operating:
            return
        m = self.model
        for action, state in list(self.obligations.items()):
            if state == PENDING and self.stream.random() < m.p["domestic_compliance_speed"]:
                self.comply(action)
        self.act()

    def act(self) -> None:
        """Carry out what it has complied with."""


class DomesticAppStore(AppStore, DomesticPlatform):
    """Android app stores, taken together."""

    addressed_by = frozenset({"remove_vpn_apps"})
    channel, removal_rate = "domestic_store", "domestic_removal_rate"


class DomesticCloud(DomesticPlatform, Cloud):
    addressed_by = frozenset({"ban_cloud_circumvention"})

    def __init__(self, model, name: str, size: float, index: int, quality: float) -> None:
        super().__init__(model, name, size)
        self.init_cloud(index, model.p["domestic_price"], quality, 0.0)

    def comply(self, action: str) -> None:
        super().comply(action)
        if action == "ban_cloud_circumvention":
            send_warning_letters(self.model, self)

    def act(self) -> None:
        if self.complied("ban_cloud_circumvention"):
            police_customers(self.model, self, 1.0, self.model.p["domestic_removal_rate"])

    def withdraw(self, revoked: bool = False) -> None:
        """Revoked: the cloud closes, servers on it go dark and its customers must move."""
        super().withdraw(revoked)
        self.model.close_cloud(self)
