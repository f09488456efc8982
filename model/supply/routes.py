"""How users find a VPN: routes (a channel, or the foreign store of another region) crossed with
protocol classes, and today's table of what can be found along each.

A user searching today finds a working provider with chance

    P(find) = 1 - exp(-sum_k e_k x W_k / scale_k)

over route-classes k: e_k is 1 when the user's device and skill allow k, W_k the providers that
work and can be found along it today, scale_k the route's search scale. Access therefore falls
smoothly with supply: there is no saturation threshold. The provider found is drawn from the
classes in proportion to their terms, then uniformly among that class's providers.

The foreign store of another region: an iOS user who switches the store account's region can
install (and update) apps the local store has delisted, if the user has the skill for it
(`region_switch_skill`) and at a harder search (`region_switch_effort`). VPN providers advised
exactly this after the 2017 and 2024 removals (docs/evidence.md).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..config.channels import CHANNELS, PROTOCOLS
from .providers import CH, N_PROTOCOLS, VPNProviders

ROUTES: tuple[str, ...] = (*CHANNELS, "foreign_store_abroad")
ABROAD = len(CHANNELS)
N_ROUTE_CLASSES = len(ROUTES) * N_PROTOCOLS
_IOS_ONLY = {CH["foreign_store"], ABROAD}
_ANDROID_ONLY = {CH["domestic_store"]}
_EMPLOYER_ONLY = {CH["enterprise"]}


@dataclass(frozen=True)
class RouteTable:
    """Fixed per route-class: who can use it and how hard it is to search."""

    skill: np.ndarray      # skill needed
    ios: np.ndarray        # usable from iOS
    android: np.ndarray    # usable from Android
    scale: np.ndarray      # search scale (providers)
    klass: np.ndarray      # the provider class (channel x protocol) a route-class finds
    employer: np.ndarray   # only through one's employer (a licensed enterprise line)

    @classmethod
    def of(cls, params: dict, providers: VPNProviders) -> RouteTable:
        skill, ios, android, scale, klass, employer = [], [], [], [], [], []
        for r, route in enumerate(ROUTES):
            channel = "foreign_store" if r == ABROAD else route
            c = CH[channel]
            for q in range(N_PROTOCOLS):
                need = providers.skill[c * N_PROTOCOLS + q]
                s = params[f"{channel}_search_scale"]
                if r == ABROAD:
                    need = max(need, params["region_switch_skill"])
                    s *= params["region_switch_effort"]
                skill.append(need)
                ios.append(r not in _ANDROID_ONLY)
                android.append(r not in _IOS_ONLY)
                scale.append(s)
                klass.append(c * N_PROTOCOLS + q)
                employer.append(r in _EMPLOYER_ONLY)
        return cls(np.array(skill), np.array(ios), np.array(android), np.array(scale),
                   np.array(klass), np.array(employer))

    def eligible(self, ios: np.ndarray, skill: np.ndarray, employed: np.ndarray
                 ) -> np.ndarray:
        """(users, route-classes): which route-classes each user's device, skill and employer
        allow (the enterprise line only to employees of multinationals)."""
        device = np.where(ios[:, None], self.ios[None, :], self.android[None, :])
        return device & (skill[:, None] >= self.skill[None, :]) \
            & (employed[:, None] | ~self.employer[None, :])


@dataclass
class Findable:
    """Today's providers that work and can be found, grouped by route-class."""

    counts: np.ndarray      # W_k
    order: np.ndarray       # provider indices sorted by route-class
    offsets: np.ndarray     # order[offsets[k]:offsets[k+1]] are the providers of class k

    @classmethod
    def today(cls, providers: VPNProviders, day: int,
              closed: tuple[int, ...] = ()) -> Findable:
        """`closed`: channels whose store serves no downloads today (suspended)."""
        works = providers.works(day)
        store = providers.is_store()
        route = providers.channel.astype(np.int64)
        abroad = (providers.channel == CH["foreign_store"]) & ~providers.listed
        route[abroad] = ABROAD
        # delisted domestic-store apps cannot be found any more (their developers were local)
        findable = works & (providers.listed | ~store | abroad)
        for c in closed:
            findable &= providers.channel != c
        idx = np.flatnonzero(findable)
        klass = route[idx] * N_PROTOCOLS + providers.protocol[idx]
        sort = np.argsort(klass, kind="stable")
        counts = np.bincount(klass, minlength=N_ROUTE_CLASSES)
        offsets = np.concatenate([[0], np.cumsum(counts)])
        return cls(counts=counts, order=idx[sort], offsets=offsets)

    def by_route(self) -> np.ndarray:
        """Findable providers per route (summed over protocol classes)."""
        return self.counts.reshape(len(ROUTES), N_PROTOCOLS).sum(axis=1)

    def rates(self, eligible: np.ndarray, scale: np.ndarray) -> np.ndarray:
        """Per user and route-class: e_k x W_k / scale_k."""
        return eligible * (self.counts / scale)[None, :]

    def pick(self, rates: np.ndarray, u_class: np.ndarray, u_provider: np.ndarray
             ) -> np.ndarray:
        """The provider each user finds, given positive total rates and two uniforms each."""
        cum = np.cumsum(rates, axis=1)
        target = u_class * cum[:, -1]
        k = np.minimum((cum <= target[:, None]).sum(axis=1), rates.shape[1] - 1)
        # guard against landing on an empty class through rounding
        k = np.where(self.counts[k] > 0, k, np.argmax(rates > 0, axis=1))
        within = np.minimum((u_provider * self.counts[k]).astype(np.int64), self.counts[k] - 1)
        return self.order[self.offsets[k] + within]


def route_class_names() -> list[str]:
    return [f"{r}/{q}" for r in ROUTES for q in PROTOCOLS]
