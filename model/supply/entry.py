"""Providers' responses (docs/ODD.md 7.14): migration to a harder protocol after a protocol-wide
block, and entry of new providers (commercial services, free tools, self-hosted servers) that
responds to unmet demand.

- Migration: a provider caught by a wave moves to the next harder protocol class with daily
  chance `migration_rate`, and is down for `migration_days` while it does (the cost of the arms
  race; its users' friction then follows the new class).
- Entry: each open channel c gets Poisson(entry_rate x unmet x N_c) new providers a day, where
  unmet is the share of interested users without a working VPN yesterday and N_c the channel's
  initial providers; an entrant runs a protocol drawn from the channel's mix, among the classes
  not under a protocol-wide block. Store entrants are listed until the store removes them.
"""

from __future__ import annotations

import numpy as np

from ..streams import Streams
from .providers import CH, N_CHANNELS, VPNProviders

_CLOUD = {CH["foreign_cloud"]: 0, CH["domestic_cloud"]: 1}


def migrate(streams: Streams, vpn: VPNProviders, day: int, rate: float,
            downtime: int) -> np.ndarray:
    """Wave-blocked providers that move to a harder protocol today (their indices)."""
    cand = np.flatnonzero(vpn.wave_blocked & vpn.serving)
    if not cand.size or rate <= 0:
        return cand[:0]
    moving = cand[streams.uniform_at("supply:migration", day, cand) < rate]
    vpn.migrate(moving, day, downtime)
    return moving


def enter(streams: Streams, vpn: VPNProviders, day: int, rate: float, unmet: float,
          in_wave: np.ndarray, hosts: tuple[list[int], list[int]]) -> int:
    """New providers answering unmet demand; returns how many entered."""
    if rate <= 0 or unmet <= 0:
        return 0
    gen = streams.generator("supply:entry")
    total = 0
    for c in range(N_CHANNELS):
        n = int(gen.poisson(rate * unmet * vpn.initial[c]))
        if not n or not vpn.open[c]:
            continue
        cloud_hosts = hosts[_CLOUD[c]] if c in _CLOUD else []
        if c in _CLOUD and not cloud_hosts:
            continue
        weights = vpn.mix[c] * ~in_wave
        if weights.sum() <= 0:
            weights = vpn.mix[c]
        protocols = gen.choice(weights.size, size=n, p=weights / weights.sum())
        vpn.add(c, protocols, day, cloud_hosts, gen)
        total += n
    return total
