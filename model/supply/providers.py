"""VPN providers as arrays: one slot per provider (its index is its id), each with a channel, a
protocol class and a state. Slots are only ever appended (entry), so a user's provider index stays
valid for the whole run.

State of a provider:
- `listed`: a store app still listed in the local store (new installs possible). Always True for
  channels that are not stores.
- `serving`: in business, its servers up; an installed app of a delisted provider keeps working
  while it serves (docs/evidence.md: removed apps in Russia 2024 kept working).
- `blocked_until`: last day of a block of its current address (probing, address blocks) or of
  downtime while it migrates; -1 when none.
- `wave_blocked`: caught by a protocol-wide block (fingerprinting) now in force.
- `live_since`: day its current address went live (the probing delay counts from it).

Licensed enterprise lines (channel `enterprise`) are providers too, but the firewall leaves them
alone and no provider enters the channel: lines come from the few licensed operators.
"""

from __future__ import annotations

import numpy as np

from ..config.channels import (CHANNELS, CLOUD_CHANNELS, LICENSED_CHANNELS, PROTOCOLS,
                               STORE_CHANNELS)

CH = {name: k for k, name in enumerate(CHANNELS)}
PR = {name: k for k, name in enumerate(PROTOCOLS)}
N_CHANNELS, N_PROTOCOLS = len(CHANNELS), len(PROTOCOLS)
NEVER = np.iinfo(np.int64).max // 4
_STORE = np.array([c in STORE_CHANNELS for c in CHANNELS])
_LICENSED = np.array([c in LICENSED_CHANNELS for c in CHANNELS])
_CLOUD_IDX = tuple(CH[c] for c in CLOUD_CHANNELS)


def class_of(channel: np.ndarray, protocol: np.ndarray) -> np.ndarray:
    """The provider class index: channel x protocol."""
    return channel.astype(np.int64) * N_PROTOCOLS + protocol


class VPNProviders:
    """Removal (by hosts and stores), blocking (by the firewall), migration and entry."""

    def __init__(self, params: dict, rng: np.random.Generator) -> None:
        p = self.p = params
        self.initial = np.array([p[f"{c}_providers"] for c in CHANNELS], dtype=np.int64)
        self.mix = np.array([[1.0 - p[f"{c}_obfuscated_share"] - p[f"{c}_tor_share"],
                              p[f"{c}_obfuscated_share"], p[f"{c}_tor_share"]]
                             for c in CHANNELS]).clip(0.0, 1.0)
        self.mix /= np.maximum(self.mix.sum(axis=1, keepdims=True), 1e-12)
        channel = np.repeat(np.arange(N_CHANNELS, dtype=np.int8), self.initial)
        protocol = np.concatenate([rng.choice(N_PROTOCOLS, size=n, p=self.mix[c])
                                   for c, n in enumerate(self.initial)]).astype(np.int8) \
            if channel.size else np.zeros(0, dtype=np.int8)
        self.channel = channel
        self.protocol = protocol
        self.listed = np.ones(channel.size, dtype=bool)
        self.serving = np.ones(channel.size, dtype=bool)
        self.blocked_until = np.full(channel.size, -1, dtype=np.int64)
        self.wave_blocked = np.zeros(channel.size, dtype=bool)
        self.live_since = np.zeros(channel.size, dtype=np.int64)
        self.host = np.full(channel.size, -1, dtype=np.int64)
        self.open = ~_LICENSED          # a closed channel takes no entrants; licences are few
        self.entered = np.zeros(N_CHANNELS, dtype=np.int64)
        self.migrated = 0
        # per class (channel x protocol) properties
        ch_f = np.array([p[f"{c}_friction"] for c in CHANNELS])
        pr_f = np.array([p[f"{q}_friction"] for q in PROTOCOLS])
        self.friction = (ch_f[:, None] + pr_f[None, :]).ravel()
        ch_s = np.array([p[f"{c}_skill"] for c in CHANNELS])
        pr_s = np.array([p[f"{q}_skill"] for q in PROTOCOLS])
        self.skill = np.maximum(ch_s[:, None], pr_s[None, :]).ravel()
        ch_d = np.array([p[f"{c}_detectability"] for c in CHANNELS])
        pr_d = np.array([p[f"{q}_detectability"] for q in PROTOCOLS])
        self.detectability = (ch_d[:, None] * pr_d[None, :]).ravel()
        self.price = np.repeat(np.array([p["vpn_price"] * p[f"{c}_price"] for c in CHANNELS]),
                               N_PROTOCOLS)

    @property
    def size(self) -> int:
        return self.channel.size

    @property
    def klass(self) -> np.ndarray:
        """Each provider's class index (channel x protocol)."""
        return class_of(self.channel, self.protocol)

    def channel_mask(self, name: str) -> np.ndarray:
        return self.channel == CH[name]

    # --- what users and metrics read --------------------------------------------------------
    def works(self, day: int) -> np.ndarray:
        """Serving, and its current address neither blocked nor caught by a protocol block."""
        return self.serving & (self.blocked_until < day) & ~self.wave_blocked

    def is_store(self) -> np.ndarray:
        return _STORE[self.channel]

    def is_licensed(self) -> np.ndarray:
        """Licensed enterprise lines: the firewall neither fingerprints nor probes them."""
        return _LICENSED[self.channel]

    def working_counts(self, day: int) -> np.ndarray:
        """Working providers per channel."""
        return np.bincount(self.channel[self.works(day)], minlength=N_CHANNELS)

    def working_by_protocol(self, day: int) -> np.ndarray:
        return np.bincount(self.protocol[self.works(day)], minlength=N_PROTOCOLS)

    def listed_counts(self) -> np.ndarray:
        """Listings per channel (for store channels: apps in the local store)."""
        return np.bincount(self.channel[self.listed & self.serving], minlength=N_CHANNELS)

    def serving_counts(self) -> np.ndarray:
        return np.bincount(self.channel[self.serving], minlength=N_CHANNELS)

    # --- what platforms, regulators and the market do to providers -----------------------------
    def assign_hosts(self, rng: np.random.Generator, foreign: list[int], domestic: list[int],
                     mask: np.ndarray | None = None) -> None:
        """Put cloud-hosted servers (all, or those in `mask`) on a random operating cloud."""
        for ch, hosts in zip(_CLOUD_IDX, (foreign, domestic), strict=True):
            sel = self.channel == ch
            if mask is not None:
                sel &= mask
            idx = np.flatnonzero(sel)
            if hosts:
                self.host[idx] = rng.choice(np.asarray(hosts), size=idx.size)
            else:                       # no cloud of that kind operates: the channel is gone
                self.open[ch] = False
                self.serving[idx] = False
                self.host[idx] = -1

    def delist(self, u: np.ndarray, mask: np.ndarray, prob: float) -> int:
        """A store removes each listing in `mask` with chance `prob` (`u`: one uniform per
        provider). Installed copies keep working."""
        gone = mask & self.listed & self.serving & (u < prob)
        self.listed[gone] = False
        return int(gone.sum())

    def shut(self, u: np.ndarray, mask: np.ndarray, prob: float) -> int:
        """Providers in `mask` stop serving with chance `prob` (seller shut, server closed)."""
        gone = mask & self.serving & (u < prob)
        self.serving[gone] = False
        return int(gone.sum())

    def close_store(self, name: str) -> None:
        """The store left the market: no listing, no entrant; installed apps still serve."""
        self.open[CH[name]] = False
        self.listed[self.channel_mask(name)] = False

    def close_host(self, cloud: int) -> None:
        self.serving[self.host == cloud] = False

    def block_addresses(self, hit: np.ndarray, day: int, recovery: float,
                        spell: np.ndarray) -> None:
        """Block the current address of providers `hit`; each moves to a new address after a
        spell of `spell` days (Geometric(recovery), today included); no recovery: for good."""
        if not hit.size:
            return
        if recovery > 0:
            self.blocked_until[hit] = day + spell - 1
            self.live_since[hit] = day + spell
        else:
            self.blocked_until[hit] = NEVER

    def migrate(self, idx: np.ndarray, day: int, downtime: int) -> None:
        """Providers caught by a protocol block move to the next harder protocol class; they are
        down for `downtime` days and their new servers go live after it."""
        if not idx.size:
            return
        self.protocol[idx] = np.minimum(self.protocol[idx] + 1, N_PROTOCOLS - 1)
        self.wave_blocked[idx] = False
        self.blocked_until[idx] = day + downtime - 1
        self.live_since[idx] = day + downtime
        self.migrated += idx.size

    def add(self, channel: int, protocols: np.ndarray, day: int, hosts: list[int],
            rng: np.random.Generator) -> np.ndarray:
        """Append entrants of one channel (listed, serving, live today); returns their slots."""
        n = protocols.size
        start = self.size
        self.channel = np.concatenate([self.channel, np.full(n, channel, dtype=np.int8)])
        self.protocol = np.concatenate([self.protocol, protocols.astype(np.int8)])
        self.listed = np.concatenate([self.listed, np.ones(n, dtype=bool)])
        self.serving = np.concatenate([self.serving, np.ones(n, dtype=bool)])
        self.blocked_until = np.concatenate([self.blocked_until, np.full(n, -1, dtype=np.int64)])
        self.wave_blocked = np.concatenate([self.wave_blocked, np.zeros(n, dtype=bool)])
        self.live_since = np.concatenate([self.live_since, np.full(n, day, dtype=np.int64)])
        host = np.full(n, -1, dtype=np.int64)
        if channel in _CLOUD_IDX and hosts:
            host[:] = rng.choice(np.asarray(hosts), size=n)
        self.host = np.concatenate([self.host, host])
        self.entered[channel] += n
        return np.arange(start, start + n)
