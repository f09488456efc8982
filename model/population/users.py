"""Individual users as arrays (one numpy array per attribute; a user's index is its id).

Every rule here is vectorized: no per-user Python loop. Neighbour effects are sparse-matrix
products over the social layer.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..config.parameters import CHANNELS
from ..network import SocialLayer

# User states, for counts and colours (a partition: every user is in exactly one).
STATES = ("unaware", "aware", "using", "lost_access", "punished")
NO_CHANNEL = -1


@dataclass
class ChannelView:
    """What users see of VPN supply today, per channel."""

    working: np.ndarray      # providers working (active, not blocked)
    initial: np.ndarray      # providers at the start
    friction: np.ndarray     # base friction
    skill: np.ndarray        # skill needed
    ios: np.ndarray          # channel usable from iOS
    android: np.ndarray      # channel usable from Android


def beta(rng: np.random.Generator, mean: float, n: int, concentration: float) -> np.ndarray:
    return rng.beta(mean * concentration, (1.0 - mean) * concentration, n)


class Users:
    """Heterogeneous users: demand, skill, risk aversion, Party membership, device; awareness,
    perceived risk, habit and use evolve daily."""

    def __init__(self, params: dict, social: SocialLayer, rng: np.random.Generator) -> None:
        n = params["users"]
        self.p, self.n, self.social = params, n, social
        # fixed traits
        self.demand = params["demand_median"] * rng.lognormal(0.0, params["demand_sigma"], n)
        self.skill = beta(rng, params["skill_mean"], n, params["trait_concentration"])
        self.risk_aversion = beta(rng, params["risk_aversion_mean"], n,
                                  params["trait_concentration"])
        self.party = rng.random(n) < params["party_member_share"]
        self.ios = rng.random(n) < params["ios_share"]
        self.luck = rng.random((n, len(CHANNELS)), dtype=np.float32)   # who a thin channel reaches
        # dynamic state
        self.aware = rng.random(n) < params["initial_awareness"]
        self.perceived_risk = np.zeros(n)
        self.habit = np.zeros(n)
        self.using = np.zeros(n, dtype=bool)
        self.access = np.zeros(n, dtype=bool)
        self.channel = np.full(n, NO_CHANNEL, dtype=np.int8)
        self.punished_day = np.full(n, np.iinfo(np.int32).min // 2, dtype=np.int32)
        self.punished_total = 0
        self.party_rules = False
        self._inv_degree = 1.0 / np.maximum(social.degree, 1.0)

    # --- submodels, in the order the day runs them ---------------------------------------------
    def detect_and_punish(self, rng: np.random.Generator, rate: float,
                          detectability: np.ndarray, day: int) -> int:
        """Each user of a VPN is detected with chance rate x detectability of its channel.
        The punished stop using, know the risk first-hand and are seen by their contacts."""
        idx = np.flatnonzero(self.using)
        if idx.size == 0 or rate <= 0.0:
            return 0
        caught = idx[rng.random(idx.size) < rate * detectability[self.channel[idx]]]
        self.using[caught] = False
        self.perceived_risk[caught] = 1.0
        self.punished_day[caught] = day
        self.punished_total += caught.size
        return int(caught.size)

    def service_blocked(self, rng: np.random.Generator, popularity: float) -> None:
        """A popular service is suddenly blocked: its users' demand for circumvention jumps and
        many of them find out how to get over the wall."""
        hit = rng.random(self.n) < popularity
        self.demand[hit] += self.p["block_demand_boost"]
        learn = hit & (rng.random(self.n) < self.p["block_awareness_prob"])
        self.aware |= learn

    def spread(self, rng: np.random.Generator, intensity: float, day: int) -> None:
        """Awareness spreads from using contacts; fear from recently punished ones.

        P(learn) = 1 - (1 - tau)^(using contacts) x (1 - media rate);
        perceived risk -> 1 - exp(-k (visibility x I + fear x share of contacts punished)).
        """
        p, adj = self.p, self.social.adjacency
        using_contacts = adj @ self.using.astype(np.float32)
        stay_unaware = np.exp(using_contacts * np.log1p(-min(p["awareness_transmission"],
                                                              1 - 1e-12)))
        stay_unaware *= 1.0 - p["awareness_media_rate"]
        unaware = np.flatnonzero(~self.aware)
        self.aware[unaware] = rng.random(unaware.size) >= stay_unaware[unaware]

        recent = (day - self.punished_day) < p["fear_memory_days"]
        punished_share = (adj @ recent.astype(np.float32)) * self._inv_degree
        target = 1.0 - np.exp(-p["risk_sensitivity"] * (p["risk_visibility"] * intensity
                                                        + p["fear_weight"] * punished_share))
        self.perceived_risk += p["risk_learning_rate"] * (target - self.perceived_risk)

    def decide(self, rng: np.random.Generator, view: ChannelView, day: int) -> None:
        """Access: aware, and some working channel fits the device and skill (the least
        frictional one is used). Use when value beats price + friction + perceived risk x
        penalty, with logistic noise; value grows with habit. Users punished today do not."""
        p = self.p
        friction, channel = self._best_channel(view)
        self.access = self.aware & (channel != NO_CHANNEL)
        self.channel = np.where(self.access, channel, NO_CHANNEL).astype(np.int8)

        penalty = p["user_penalty"] * np.where(self.party & self.party_rules,
                                               p["party_penalty_multiplier"], 1.0)
        value = self.demand * (1.0 + p["habit_weight"] * self.habit)
        cost = (p["vpn_price"] + friction * (1.0 - p["skill_friction_discount"] * self.skill)
                + self.perceived_risk * penalty * (0.5 + self.risk_aversion))
        noise = rng.logistic(0.0, p["choice_noise"], self.n)
        self.using = self.access & (value - cost + noise > 0.0) & (self.punished_day != day)
        self.habit += p["habit_rate"] * (self.using - self.habit)

    def _best_channel(self, view: ChannelView) -> tuple[np.ndarray, np.ndarray]:
        """Per user, the least frictional working channel its device, skill and luck allow.

        A channel with a share a_c = working_c / initial_c of its providers left reaches a
        share min(1, a_c / saturation) of users (each user's fixed luck decides whom), and
        costs base friction_c + scarcity x (1 - a_c)."""
        avail = np.minimum(1.0, view.working / np.maximum(view.initial, 1))
        reach = np.minimum(1.0, avail / self.p["provider_saturation"])
        chan_friction = view.friction + self.p["friction_scarcity"] * (1.0 - avail)
        usable = ((self.skill[:, None] >= view.skill[None, :])
                  & (self.luck <= reach[None, :])
                  & np.where(self.ios[:, None], view.ios[None, :], view.android[None, :])
                  & (view.working > 0)[None, :])
        costs = np.where(usable, chan_friction[None, :], np.inf)
        channel = costs.argmin(axis=1)
        friction = costs[np.arange(self.n), channel]
        none = np.isinf(friction)
        return np.where(none, 0.0, friction), np.where(none, NO_CHANNEL, channel).astype(np.int8)

    # --- read-outs ----------------------------------------------------------------------------
    def states(self, day: int) -> np.ndarray:
        """Each user's state code (index into STATES)."""
        code = np.where(self.aware, 1, 0)
        code = np.where(self.aware & ~self.access, 3, code)
        code = np.where(self.using, 2, code)
        recent = (day - self.punished_day) < self.p["fear_memory_days"]
        return np.where(recent & ~self.using, 4, code).astype(np.int8)
