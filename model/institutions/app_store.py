"""What every app store does under `remove_vpn_apps`: foreign (iOS) or domestic (Android)."""

from __future__ import annotations

import numpy as np


class AppStore:
    """Mixed into an app-store agent: which VPN channel it lists and how fast it removes them.

    Once it has complied, it removes each remaining listing with daily chance `removal_rate`
    (entrants too: cat and mouse). A removed app stays installed and working for those who have
    it. When the store leaves the market its channel closes for good.
    """

    channel: str
    removal_rate: str          # the parameter holding the daily removal chance

    def act(self) -> None:
        if self.complied("remove_vpn_apps"):
            m = self.model
            u = m.streams.uniform_at(f"removal:{self.channel}", m.day, np.arange(m.vpn.size))
            m.vpn.delist(u, m.vpn.channel_mask(self.channel), m.p[self.removal_rate])

    def withdraw(self, revoked: bool = False) -> None:
        super().withdraw(revoked)
        self.model.vpn.close_store(self.channel)
