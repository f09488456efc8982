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
        # who a thin channel reaches; stored channel by channel for fast column reads
        self._luck = np.ascontiguousarray(rng.random((n, len(CHANNELS)), dtype=np.float32).T)
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
        self._eligible: dict[tuple, np.ndarray] = {}
        self._derived: dict[str, tuple[tuple, np.ndarray]] = {}

    @property
    def luck(self) -> np.ndarray:
        """Each user's fixed luck per channel, shape (users, channels)."""
        return self._luck.T

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
        unaware = np.flatnonzero(~self.aware)
        if unaware.size:        # contacts who use a VPN: count the few users' rows, not all
            users_rows = adj[np.flatnonzero(self.using)].indices
            using_contacts = np.bincount(users_rows, minlength=self.n)[unaware]
            stay = np.exp(using_contacts * np.log1p(-min(p["awareness_transmission"], 1 - 1e-12)))
            stay *= 1.0 - p["awareness_media_rate"]
            self.aware[unaware] = rng.random(unaware.size) >= stay

        # most users see no recent punishment: one target for them, a correction for the rest
        k, rate = p["risk_sensitivity"], p["risk_learning_rate"]
        seen = k * p["risk_visibility"] * intensity
        self.perceived_risk += rate * ((1.0 - np.exp(-seen)) - self.perceived_risk)
        recent = np.flatnonzero((day - self.punished_day) < p["fear_memory_days"])
        if recent.size:
            exposed = np.unique(adj[recent].indices)
            share = (adj[exposed] @ _indicator(recent, self.n)) * self._inv_degree[exposed]
            extra = np.exp(-seen) - np.exp(-(seen + k * p["fear_weight"] * share))
            self.perceived_risk[exposed] += rate * extra

    def decide(self, rng: np.random.Generator, view: ChannelView, day: int) -> None:
        """Access: aware, and some working channel fits the device and skill (the least
        frictional one is used). Use when value beats price + friction + perceived risk x
        penalty, with logistic noise; value grows with habit. Users punished today do not."""
        p = self.p
        friction, channel = self._best_channel(view)
        self.access = self.aware & (channel != NO_CHANNEL)
        self.channel = np.where(self.access, channel, NO_CHANNEL).astype(np.int8)

        margin = self.demand * (1.0 + p["habit_weight"] * self.habit)
        margin -= p["vpn_price"]
        margin -= friction * self._skill_factor()
        margin -= self.perceived_risk * self._risk_scale()
        who = np.flatnonzero(self.access)            # only users with access draw a choice
        chosen = margin[who] + rng.logistic(0.0, p["choice_noise"], who.size) > 0.0
        self.using = np.zeros(self.n, dtype=bool)
        self.using[who[chosen]] = True
        self.using[self.punished_day == day] = False
        self.habit *= 1.0 - p["habit_rate"]
        self.habit += p["habit_rate"] * self.using

    def _skill_factor(self) -> np.ndarray:
        """1 - skill discount x skill: the share of friction each user bears."""
        d = self.p["skill_friction_discount"]
        return self._cached("skill", (d,), lambda: 1.0 - d * self.skill)

    def _risk_scale(self) -> np.ndarray:
        """penalty x (0.5 + risk aversion); Party members' penalty is multiplied once the
        Party-member rules are in force."""
        pen, mult = self.p["user_penalty"], self.p["party_penalty_multiplier"]
        return self._cached("risk", (pen, mult, self.party_rules), lambda: pen * np.where(
            self.party & self.party_rules, mult, 1.0) * (0.5 + self.risk_aversion))

    def _cached(self, name: str, key: tuple, compute) -> np.ndarray:
        """Per-user arrays that depend only on fixed traits and a few parameters: computed
        once, again only when those parameters change."""
        if name not in self._derived or self._derived[name][0] != key:
            self._derived[name] = (key, compute())
        return self._derived[name][1]

    def _best_channel(self, view: ChannelView) -> tuple[np.ndarray, np.ndarray]:
        """Per user, the least frictional working channel its device, skill and luck allow.

        A channel with a share a_c = working_c / initial_c of its providers left reaches a
        share min(1, a_c / saturation) of users (each user's fixed luck decides whom), and
        costs base friction_c + scarcity x (1 - a_c).

        Each user's usable channels are a bit set (device and skill: fixed; luck: only for
        thin channels); a 64-entry table maps each set to its cheapest channel today."""
        avail = np.minimum(1.0, view.working / np.maximum(view.initial, 1))
        reach = np.minimum(1.0, avail / self.p["provider_saturation"])
        chan_friction = view.friction + self.p["friction_scarcity"] * (1.0 - avail)
        bits = self._static_bits(view)
        today = 0
        for c in np.flatnonzero((view.working > 0) & (reach >= 1.0)):
            today |= 1 << int(c)
        usable = bits & np.uint8(today)
        for c in np.flatnonzero((view.working > 0) & (reach < 1.0)):
            lucky = (self._luck[c] <= reach[c]).view(np.uint8) << np.uint8(c)
            usable |= bits & lucky
        best, cost = _cheapest_table(chan_friction)
        return cost[usable], best[usable]

    def _static_bits(self, view: ChannelView) -> np.ndarray:
        """Per user, the channels its device and skill allow, as bits (fixed per run)."""
        key = (view.skill.tobytes(), view.ios.tobytes(), view.android.tobytes())
        if key not in self._eligible:
            bits = np.zeros(self.n, dtype=np.uint8)
            for c in range(view.skill.size):
                device = np.where(self.ios, view.ios[c], view.android[c])
                ok = device & (self.skill >= view.skill[c])
                bits |= ok.view(np.uint8) << np.uint8(c)
            self._eligible[key] = bits
        return self._eligible[key]

    # --- read-outs ----------------------------------------------------------------------------
    def states(self, day: int) -> np.ndarray:
        """Each user's state code (index into STATES)."""
        code = np.where(self.aware, 1, 0)
        code = np.where(self.aware & ~self.access, 3, code)
        code = np.where(self.using, 2, code)
        recent = (day - self.punished_day) < self.p["fear_memory_days"]
        return np.where(recent & ~self.using, 4, code).astype(np.int8)


def _indicator(idx: np.ndarray, n: int) -> np.ndarray:
    out = np.zeros(n, dtype=np.float32)
    out[idx] = 1.0
    return out


def _cheapest_table(friction: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For every bit set of channels: the cheapest channel in it (ties: lowest index) and its
    friction; the empty set maps to NO_CHANNEL and 0."""
    n = friction.size
    best = np.full(1 << n, NO_CHANNEL, dtype=np.int8)
    cost = np.zeros(1 << n)
    for c in np.argsort(friction, kind="stable")[::-1]:    # cheapest written last, wins
        has = (np.arange(1 << n) >> c) & 1 == 1
        best[has] = c
        cost[has] = friction[c]
    return best, cost
