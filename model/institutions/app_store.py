"""What every app store does under `remove_vpn_apps`: foreign (iOS) or domestic (Android)."""

from __future__ import annotations

import numpy as np


class AppStore:
    """Mixed into an app-store agent: which VPN channel it lists and how fast it removes them.

    Once it has complied, it removes every day a share removal_rate x `depth` of its remaining
    listings (entrants too: cat and mouse), the most-installed first: partial compliance starts
    with the major apps (Apple, 2017: about 60 in the first days, 674 by November). A removed
    app stays installed and working for those who have it. When the store leaves the market its
    channel closes for good.
    """

    channel: str
    removal_rate: str          # the parameter holding the daily removal chance

    def depth(self) -> float:
        """How fully it complies (1: every listing it can find)."""
        return 1.0

    def act(self) -> None:
        if not self.complied("remove_vpn_apps"):
            return
        m, vpn = self.model, self.model.vpn
        listed = np.flatnonzero(vpn.channel_mask(self.channel) & vpn.listed & vpn.serving)
        if not listed.size:
            return
        count = int(self.stream.binomial(listed.size, min(1.0, m.p[self.removal_rate]
                                                         * self.depth())))
        if not count:
            return
        installs = np.bincount(m.users.provider[m.users.provider >= 0],
                               minlength=vpn.size)[listed]
        ties = m.streams.uniform_at(f"removal:{self.channel}", m.day, listed)
        order = np.lexsort((ties, -installs))          # most installed first, ties at random
        vpn.listed[listed[order[:count]]] = False

    def withdraw(self, revoked: bool = False) -> None:
        super().withdraw(revoked)
        self.model.vpn.close_store(self.channel)
