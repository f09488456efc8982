"""VPN providers as arrays: one slot per provider, its channel, whether it is active, until
when it is blocked and, for cloud-hosted servers, which cloud hosts it."""

from __future__ import annotations

import numpy as np

from ..config.parameters import CHANNELS

CH = {name: k for k, name in enumerate(CHANNELS)}
CLOUD_CHANNELS = (CH["foreign_cloud"], CH["domestic_cloud"])


class VPNProviders:
    """Removal (by the host), blocking (by the network), relaunch (driven by unmet demand)."""

    def __init__(self, params: dict, rng: np.random.Generator) -> None:
        self.initial = np.array([params[f"{c}_providers"] for c in CHANNELS], dtype=np.int64)
        self.channel = np.repeat(np.arange(len(CHANNELS), dtype=np.int8), self.initial)
        n = self.channel.size
        self.active = np.ones(n, dtype=bool)
        self.blocked_until = np.full(n, -1, dtype=np.int64)
        self.host = np.full(n, -1, dtype=np.int64)
        self.open = np.ones(len(CHANNELS), dtype=bool)     # a closed channel cannot relaunch
        self.friction = np.array([params[f"{c}_friction"] for c in CHANNELS])
        self.skill = np.array([params[f"{c}_skill"] for c in CHANNELS])
        self.detectability = np.array([params[f"{c}_detectability"] for c in CHANNELS])
        self.blockability = np.array([params[f"{c}_blockability"] for c in CHANNELS])

    def channel_mask(self, name: str) -> np.ndarray:
        return self.channel == CH[name]

    def working(self, day: int) -> np.ndarray:
        """Active and not blocked today."""
        return self.active & (self.blocked_until < day)

    def working_counts(self, day: int) -> np.ndarray:
        return np.bincount(self.channel[self.working(day)], minlength=len(CHANNELS))

    def active_counts(self) -> np.ndarray:
        return np.bincount(self.channel[self.active], minlength=len(CHANNELS))

    def assign_hosts(self, rng: np.random.Generator, foreign: list[int], domestic: list[int],
                     mask: np.ndarray | None = None) -> None:
        """Put cloud-hosted servers (all, or those in `mask`) on a random operating cloud."""
        for ch, hosts in zip(CLOUD_CHANNELS, (foreign, domestic), strict=True):
            sel = self.channel == ch
            if mask is not None:
                sel &= mask
            idx = np.flatnonzero(sel)
            if hosts:
                self.host[idx] = rng.choice(np.asarray(hosts), size=idx.size)
            else:                       # no cloud of that kind operates: the channel is gone
                self.open[ch] = False
                self.active[self.channel == ch] = False
                self.host[self.channel == ch] = -1

    def remove(self, rng: np.random.Generator, mask: np.ndarray, prob: float) -> int:
        """Remove each active provider in `mask` with probability `prob`."""
        idx = np.flatnonzero(mask & self.active)
        gone = idx[rng.random(idx.size) < prob]
        self.active[gone] = False
        return int(gone.size)

    def close_channel(self, name: str) -> None:
        """The channel's host left the market: every provider in it is gone for good."""
        self.open[CH[name]] = False
        self.active[self.channel_mask(name)] = False

    def close_host(self, cloud: int) -> None:
        self.active[self.host == cloud] = False

    def block(self, rng: np.random.Generator, rate: float, recovery: float, day: int) -> None:
        """Block working providers (chance = rate x channel blockability) for a spell of
        G ~ Geometric(recovery) days, today included (mean 1 / recovery)."""
        work = np.flatnonzero(self.working(day))
        hit = work[rng.random(work.size) < rate * self.blockability[self.channel[work]]]
        if hit.size and recovery > 0:
            self.blocked_until[hit] = day + rng.geometric(recovery, size=hit.size) - 1
        elif hit.size:
            self.blocked_until[hit] = np.iinfo(np.int64).max

    def relaunch(self, rng: np.random.Generator, rate: float, unmet: float,
                 foreign_hosts: list[int], domestic_hosts: list[int]) -> int:
        """Cat and mouse: each removed provider in an open channel comes back with chance
        rate x unmet demand (cloud servers on a new host)."""
        idx = np.flatnonzero(~self.active & self.open[self.channel])
        back = idx[rng.random(idx.size) < rate * unmet]
        if back.size:
            self.active[back] = True
            self.blocked_until[back] = -1
            mask = np.zeros(self.active.size, dtype=bool)
            mask[back] = True
            self.assign_hosts(rng, foreign_hosts, domestic_hosts, mask)
        return int(back.size)
