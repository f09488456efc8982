"""What every app store does under `remove_vpn_apps`: foreign (iOS) or domestic (Android)."""

from __future__ import annotations


class AppStore:
    """Mixed into an app-store agent: which VPN channel it lists and how fast it removes them.

    Once it has complied, it removes each remaining listing with daily chance `removal_rate`
    (relaunched apps too: cat and mouse); when it leaves the market its channel closes for good.
    """

    channel: str
    removal_rate: str          # the parameter holding the daily removal chance

    def act(self) -> None:
        if self.complied("remove_vpn_apps"):
            m = self.model
            m.vpn.remove(m.rng, m.vpn.channel_mask(self.channel), m.p[self.removal_rate])

    def withdraw(self, revoked: bool = False) -> None:
        super().withdraw(revoked)
        self.model.vpn.close_channel(self.channel)
