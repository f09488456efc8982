"""The firewall operator (run by the telecom regulator each day, docs/ODD.md 7.5): protocol-wide
blocks in waves, active probing of servers after a delay, and throttling.

- **Waves.** The operator blocks a protocol class by its fingerprint (deep packet inspection)
  when what it would catch outweighs what it would break. Each day without a wave on class q,
  one starts with chance

      wave_rate x max(0, I_t x S_t x u_q - collateral_weight x collateral_q)

  where u_q is the share of yesterday's VPN users on q and collateral_q the share of legitimate
  traffic that looks like q and would break. Firms' licensed enterprise lines are whitelisted,
  so for plain protocols (which firms' VPNs use) collateral_q is `plain_collateral` x (1 -
  enterprise_traffic_share x the share of multinationals' cross-border traffic on licensed
  lines): the more firms buy licensed lines, the cheaper a plain block becomes. A wave lasts
  Geometric(1 / wave_days) days; while it is in force
  each server of q is caught with daily chance `<q>_fingerprint`; when it ends they work again.
  Scheduled blocks (`block_protocol` events) are waves with fixed dates.
- **Licensed lines** (the enterprise channel) are never caught by a wave nor probed.
- **Probing.** A server whose address has been live for at least `<q>_probe_delay_days` is found
  and its address blocked with daily chance `<q>_discovery_rate` x I_t x S_t; it moves to a new
  address after Geometric(`block_recovery_rate`) days (cat and mouse).
- **Throttling.** In a sensitive period every circumvention protocol is slowed: friction rises
  by `throttle_friction` x I_t; `throttle_protocol` events add scheduled slowdowns.
"""

from __future__ import annotations

import numpy as np

from ..config.channels import PROTOCOLS
from ..streams import Streams
from .providers import N_PROTOCOLS, PR, VPNProviders

PR_PLAIN = PR["plain"]


class Firewall:
    def __init__(self, params: dict) -> None:
        p = self.p = params
        self.fingerprint = np.array([p[f"{q}_fingerprint"] for q in PROTOCOLS])
        self.discovery = np.array([p[f"{q}_discovery_rate"] for q in PROTOCOLS])
        self.delay = np.array([p[f"{q}_probe_delay_days"] for q in PROTOCOLS])
        self.collateral = np.array([p[f"{q}_collateral"] for q in PROTOCOLS])
        self.wave_until = np.full(N_PROTOCOLS, -1, dtype=np.int64)      # emergent waves
        self.scheduled: list[tuple[np.ndarray, int, int]] = []          # (classes, first, last)
        self.throttles: list[tuple[np.ndarray, int, int, float]] = []
        self.throttle = np.zeros(N_PROTOCOLS)          # friction added today, per class
        self.waves_started = np.zeros(N_PROTOCOLS, dtype=np.int64)
        self.blocked_by_probing = 0
        self.probed: tuple[np.ndarray, np.ndarray] = (np.zeros(0, np.int64),) * 2
        """Today's probing hits and how long their addresses had been live (for tests)."""

    # --- what the calendar schedules ----------------------------------------------------------
    def schedule_block(self, classes: np.ndarray, first: int, last: int) -> None:
        self.scheduled.append((classes, first, last))

    def schedule_throttle(self, classes: np.ndarray, first: int, last: int,
                          friction: float) -> None:
        self.throttles.append((classes, first, last, friction))

    def in_wave(self, day: int) -> np.ndarray:
        active = self.wave_until >= day
        for classes, first, last in self.scheduled:
            if first <= day <= last:
                active |= classes
        return active

    # --- the day ------------------------------------------------------------------------------
    def step(self, streams: Streams, vpn: VPNProviders, day: int, intensity: float,
             sensitive: float, usage: np.ndarray, licensed_share: float = 0.0) -> None:
        """`licensed_share`: share of multinationals' cross-border traffic on licensed lines."""
        p = self.p
        pressure = intensity * sensitive
        gen = streams.generator("firewall:waves")
        collateral = self.collateral_today(licensed_share)
        for q in range(N_PROTOCOLS):
            chance = p["wave_rate"] * max(0.0, pressure * usage[q]
                                          - p["collateral_weight"] * collateral[q])
            if self.wave_until[q] < day and chance > 0 and gen.random() < chance:
                self.wave_until[q] = day + gen.geometric(1.0 / p["wave_days"]) - 1
                self.waves_started[q] += 1
        active = self.in_wave(day)
        vpn.wave_blocked &= active[vpn.protocol]          # a wave that ended lifts its blocks
        licensed = vpn.is_licensed()
        cand = np.flatnonzero(active[vpn.protocol] & vpn.serving & ~vpn.wave_blocked & ~licensed)
        if cand.size:
            u = streams.uniform_at("firewall:fingerprint", day, cand)
            vpn.wave_blocked[cand[u < self.fingerprint[vpn.protocol[cand]]]] = True
        self._probe(streams, vpn, day, pressure, licensed)
        self.throttle = np.full(N_PROTOCOLS, p["throttle_friction"] * intensity
                                if sensitive > 1.0 else 0.0)
        for classes, first, last, friction in self.throttles:
            if first <= day <= last:
                self.throttle = self.throttle + classes * friction

    def collateral_today(self, licensed_share: float) -> np.ndarray:
        """What a block of each class would break: licensed enterprise lines are whitelisted."""
        out = self.collateral.copy()
        out[PR_PLAIN] *= 1.0 - self.p["enterprise_traffic_share"] * licensed_share
        return out

    def _probe(self, streams: Streams, vpn: VPNProviders, day: int, pressure: float,
               licensed: np.ndarray) -> None:
        q = vpn.protocol
        ready = vpn.serving & (vpn.blocked_until < day) & ~vpn.wave_blocked & ~licensed \
            & (day - vpn.live_since >= self.delay[q])
        cand = np.flatnonzero(ready)
        self.probed = (np.zeros(0, np.int64),) * 2
        if not cand.size or pressure <= 0:
            return
        hit = cand[streams.uniform_at("firewall:probing", day, cand)
                   < self.discovery[q[cand]] * pressure]
        if not hit.size:
            return
        self.probed = (hit, day - vpn.live_since[hit])
        r = self.p["block_recovery_rate"]
        spell = np.zeros(hit.size, dtype=np.int64)
        if r > 0:     # Geometric(r) by inversion of one keyed uniform per server
            u = streams.uniform_at("firewall:recovery", day, hit)
            spell = np.maximum(1, np.ceil(np.log(u) / np.log1p(-min(r, 1 - 1e-12)))
                               ).astype(np.int64)
        vpn.block_addresses(hit, day, r, spell)
        self.blocked_by_probing += hit.size
