"""Individual users as arrays (one numpy array per attribute; a user's index is its id).

Users decide in two stages (docs/ODD.md 7.15-7.19). Interest first: a user with no demand for
what is blocked (no interest in information behind the wall, no attachment to a blocked service,
no encouragement) never uses a VPN, whatever the noise. Among the interested, use weighs value
against price, friction, an attention cost and perceived risk. Know-how gained by using never
decays and lowers the user's own friction and attention cost (learning by using).

Every rule is vectorized; neighbour effects are sparse-matrix products over the social layer;
every draw comes from a per-decision stream keyed by the user's index (`model.streams`).
"""

from __future__ import annotations

import numpy as np

from ..network import SocialLayer, neighbours
from ..streams import Streams
from ..supply.providers import N_PROTOCOLS, VPNProviders
from ..supply.routes import Findable, RouteTable
from .regions import RegionMap
from .traits import draw_traits, foreign_affinity

# User states, for counts and colours (a partition: every user is in exactly one).
STATES = ("unaware", "aware", "using", "lost_access", "punished")
NO_PROVIDER = -1
NEVER = np.iinfo(np.int32).min // 2


class Users:
    """Heterogeneous users and their daily submodels."""

    def __init__(self, params: dict, social: SocialLayer, streams: Streams,
                 regions: RegionMap | None = None) -> None:
        """`regions`: where users live (none: one region, every multiplier 1)."""
        n = params["users"]
        self.p, self.n, self.social = params, n, social
        t = draw_traits(params, streams)
        self.taste, self.skill, self.risk_aversion = t.taste, t.skill, t.risk_aversion
        self.party, self.ios, self.ties = t.party, t.ios, t.ties
        # employees of multinationals reach the licensed enterprise line (own stream: adding it
        # left every other draw as it was)
        self.employed = streams.uniform_at("users:employer", -1, np.arange(n)) \
            < params["enterprise_vpn_user_share"]
        # the region's multipliers (1.0 with one region) and today's shutdown
        self.region_intensity = 1.0 if regions is None else regions.intensity
        self.region_detection = 1.0 if regions is None else regions.detection
        self.region_penalty = 1.0 if regions is None else regions.penalty
        self.offline = np.zeros(n, dtype=bool)
        self.affinity = foreign_affinity(t, t.interested, params["foreign_affinity"]).astype(
            np.float32)
        # dynamic state
        self.interested = t.interested.copy()
        self.aware = t.aware.copy()
        self.experience = np.zeros(n, dtype=np.float32)    # days of use, never decays
        self.perceived_risk = np.zeros(n, dtype=np.float32)
        self.provider = np.full(n, NO_PROVIDER, dtype=np.int32)
        self.access = np.zeros(n, dtype=bool)
        self.using = np.zeros(n, dtype=bool)
        self.attachment = np.zeros(n, dtype=np.float32)   # VPN value of blocked services held
        self.boost = np.zeros(n, dtype=np.float32)        # value added by encouragement
        self.has_interest = self.interested.copy()   # see refresh_interest
        # the day each user would learn how from outside the network (media): a daily chance
        # awareness_media_rate, drawn once as a waiting time
        self.media_day = (streams.geometric_at("users:media", -1, np.arange(n),
                                               params["awareness_media_rate"]) - 1
                          ).astype(np.int32)
        self.punished_day = np.full(n, NEVER, dtype=np.int32)
        self.punished_total = 0
        self.party_rules = False
        self.treatments: dict[str, np.ndarray] = {}       # who each encouragement treated
        self._encouraged: dict[str, tuple[np.ndarray, float]] = {}
        self._inv_degree = (1.0 / np.maximum(social.degree, 1.0)).astype(np.float32)
        self._derived: dict[str, tuple[tuple, np.ndarray]] = {}
        self.findable: Findable | None = None
        self.routes: RouteTable | None = None

    # --- what the two stages read ---------------------------------------------------------------
    def refresh_interest(self, idx: np.ndarray | None = None) -> None:
        """Recompute `has_interest` (for users `idx`, or everyone) after what it depends on
        changed: some demand for what is blocked (interest, attachment to a blocked service,
        encouragement) is the hurdle of the first stage."""
        sel = slice(None) if idx is None else idx
        self.has_interest[sel] = self.interested[sel] | (self.attachment[sel] > 0.0) \
            | (self.boost[sel] > 0.0)

    def value(self, idx: np.ndarray) -> np.ndarray:
        """Daily value of a VPN to users `idx`: information behind the wall (if interested),
        attachment to blocked services, encouragement."""
        return np.where(self.interested[idx], self.taste[idx], 0.0) + self.attachment[idx] \
            + self.boost[idx]

    def learning(self, idx) -> np.ndarray:
        """Share of friction and attention cost users `idx` still bear after their
        experience: 1 - learning_max x (1 - exp(-experience / learning_days))."""
        p = self.p
        return 1.0 - p["learning_max"] * (1.0 - np.exp(-self.experience[idx]
                                                         / p["learning_days"]))

    def cost(self, vpn: VPNProviders, throttle: np.ndarray, idx: np.ndarray | None = None
             ) -> np.ndarray:
        """Daily cost of using one's VPN: price + (friction + throttling) x skill share x
        learning + attention x learning + perceived risk x penalty (users `idx`, or all with a
        provider; users without one get the cost of their cheapest possible provider: inf)."""
        p = self.p
        sel = slice(None) if idx is None else idx
        prov = self.provider[sel]
        has = prov >= 0
        klass = np.where(has, vpn.klass[np.maximum(prov, 0)], 0) if vpn.size else \
            np.zeros(prov.size, dtype=np.int64)
        learn = self.learning(sel)
        friction = vpn.friction[klass] + throttle[klass % N_PROTOCOLS]
        c = vpn.price[klass] + friction * self._skill_factor()[sel] * learn \
            + p["attention_cost"] * learn + self.perceived_risk[sel] * self._risk_scale()[sel]
        return np.where(has, c, np.inf)

    # --- submodels, in the order the day runs them ---------------------------------------------
    def detect_and_punish(self, streams: Streams, day: int, rate: float,
                          detectability: np.ndarray, vpn: VPNProviders) -> int:
        """Each user of a VPN is detected with chance rate x detectability of its provider's
        class. The punished stop using, know the risk first-hand and are seen by contacts."""
        idx = np.flatnonzero(self.using)
        if idx.size == 0 or rate <= 0.0:
            return 0
        chance = rate * detectability[vpn.klass[self.provider[idx]]]
        if not np.isscalar(self.region_detection):      # the region's detection and intensity
            chance = chance * (self.region_detection * self.region_intensity)[idx]
        caught = idx[streams.uniform_at("users:detection", day, idx) < chance]
        self.using[caught] = False
        self.perceived_risk[caught] = 1.0
        self.punished_day[caught] = day
        self.punished_total += caught.size
        return int(caught.size)

    def spread(self, streams: Streams, intensity: float, day: int) -> None:
        """Know-how, interest and fear spread on the network.

        P(learn how) = 1 - (1 - awareness_transmission)^(using contacts) x (1 - media rate),
        the media part drawn once per user as the day it happens (`media_day`);
        P(gain interest) = 1 - (1 - interest_transmission)^(using contacts);
        perceived risk -> 1 - exp(-k (visibility x I + fear x share of contacts punished)).
        """
        p, adj = self.p, self.social.adjacency
        _, using_rows = neighbours(adj, np.flatnonzero(self.using))   # the few users' rows
        using_contacts = np.bincount(using_rows, minlength=self.n)
        near = using_contacts > 0                      # users with a using contact
        told = np.flatnonzero(near & ~self.aware)
        if told.size:
            stay = np.exp(using_contacts[told] * np.log1p(
                -min(p["awareness_transmission"], 1 - 1e-12)))
            self.aware[told[streams.uniform_at("users:awareness", day, told) >= stay]] = True
        self.aware |= self.media_day == day
        if p["interest_transmission"] > 0:
            exposed = np.flatnonzero(near & ~self.interested)
            stay = np.exp(using_contacts[exposed] * np.log1p(
                -min(p["interest_transmission"], 1 - 1e-12)))
            gain = exposed[streams.uniform_at("users:interest", day, exposed) >= stay]
            self.interested[gain] = True
            self.has_interest[gain] = True

        k, rate = p["risk_sensitivity"], p["risk_learning_rate"]
        seen = k * p["risk_visibility"] * intensity * self.region_intensity
        self.perceived_risk += rate * ((1.0 - np.exp(-seen)) - self.perceived_risk)
        recent = np.flatnonzero((day - self.punished_day) < p["fear_memory_days"])
        if recent.size:               # each user's recently punished contacts, counted once
            punished_contacts = np.bincount(neighbours(adj, recent)[1], minlength=self.n)
            exposed = np.flatnonzero(punished_contacts > 0)
            share = punished_contacts[exposed] * self._inv_degree[exposed]
            if not np.isscalar(seen):
                seen = seen[exposed]
            extra = np.exp(-seen) - np.exp(-(seen + k * p["fear_weight"] * share))
            self.perceived_risk[exposed] += rate * extra

    def keep_up_installs(self, streams: Streams, vpn: VPNProviders, day: int) -> None:
        """Installed VPNs: a provider that stopped serving is gone; an app the local store has
        delisted keeps working but gets no updates, so it breaks with daily chance
        installed_decay_rate, unless the user can update it from another region's store."""
        p = self.p
        trouble = ~vpn.serving | (vpn.is_store() & ~vpn.listed)    # per provider: small
        has = np.flatnonzero(np.append(trouble, False)[self.provider])   # -1: no trouble
        if not has.size:
            return
        prov = self.provider[has]
        gone = ~vpn.serving[prov]
        stale = ~gone & ~self._can_update()[has]
        cand = has[stale]
        broke = cand[streams.uniform_at("users:installed_decay", day, cand)
                     < p["installed_decay_rate"]]
        self.provider[has[gone]] = NO_PROVIDER
        self.provider[broke] = NO_PROVIDER

    def search(self, streams: Streams, vpn: VPNProviders, day: int,
               draw_day: int | None = None, closed: tuple[int, ...] = (),
               effort: float | None = None) -> None:
        """Access: users whose VPN does not work today and who want one (aware, with some
        interest) look for another with daily chance `search_rate` (`effort` overrides it;
        the set-up search is 1: before the start there was time), and find one with chance
        1 - exp(-sum_k e_k W_k / scale_k). `draw_day` keys the draws (set-up searches use
        their own); `closed`: store channels that serve no downloads today."""
        d = day if draw_day is None else draw_day
        self.findable = Findable.today(vpn, day, closed)
        works = np.append(vpn.works(day), False)[self.provider]   # no provider (-1): False
        works &= ~self.offline                          # a shut region has no internet
        want = np.flatnonzero(~works & self.aware & self.has_interest & ~self.offline)
        if want.size:
            rates = self.findable.rates(self.routes.eligible(self.ios[want], self.skill[want],
                                                             self.employed[want]),
                                        self.routes.scale)
            total = rates.sum(axis=1)
            look = self.p["search_rate"] if effort is None else effort
            found = streams.uniform_at("users:search", d, want) < look * -np.expm1(-total)
            who = want[found]
            if who.size:
                picked = self.findable.pick(
                    rates[found], streams.uniform_at("users:search_class", d, who),
                    streams.uniform_at("users:search_provider", d, who))
                self.provider[who] = picked
                works[who] = True
        self.access = works

    def reach_cost(self, idx: np.ndarray, vpn: VPNProviders, throttle: np.ndarray
                   ) -> np.ndarray:
        """What it costs users `idx` to reach a blocked service: nothing when they use a VPN
        already; their VPN's cost when they have one working; when aware but without one, the
        expected cost of what they could find divided by the chance of finding it today
        (at least 0.01); infinite for users who do not know how to get a VPN."""
        out = np.full(idx.size, np.inf)
        using = self.using[idx]
        out[using] = 0.0
        own = ~using & self.access[idx]
        out[own] = self.cost(vpn, throttle, idx[own])
        look = np.flatnonzero(~using & ~self.access[idx] & self.aware[idx] & ~self.offline[idx])
        if look.size and self.findable is not None:
            who = idx[look]
            rates = self.findable.rates(self.routes.eligible(self.ios[who], self.skill[who],
                                                             self.employed[who]),
                                        self.routes.scale)
            total = rates.sum(axis=1)
            k = self.routes.klass
            learn = self.learning(who)
            per_class = vpn.price[k][None, :] + (vpn.friction[k] + throttle[k % N_PROTOCOLS]
                                                  )[None, :] \
                * (self._skill_factor()[who] * learn)[:, None]
            with np.errstate(invalid="ignore", divide="ignore"):
                mean = (rates * per_class).sum(axis=1) / total
            mean += self.p["attention_cost"] * learn \
                + self.perceived_risk[who] * self._risk_scale()[who]
            chance = np.maximum(-np.expm1(-total), 0.01)
            out[look] = np.where(total > 0, mean / chance, np.inf)
        return out

    def decide(self, streams: Streams, vpn: VPNProviders, throttle: np.ndarray,
               day: int) -> None:
        """Use when some interest, access, and value - cost + logistic noise > 0; not on the
        day one is punished. Users with no interest never draw."""
        cand = np.flatnonzero(self.access & self.has_interest)
        self.using = np.zeros(self.n, dtype=bool)
        if cand.size:
            margin = self.value(cand) - self.cost(vpn, throttle, cand)
            noise = streams.logistic_at("users:use", day, cand, self.p["choice_noise"])
            self.using[cand[margin + noise > 0.0]] = True
        self.using[self.punished_day == day] = False

    def go_offline(self, regions: RegionMap, shut: set[str]) -> None:
        """Today's shutdowns: users of a shut region have no internet (no VPN works, none is
        found, none is used) until it ends."""
        if not shut and not self.offline.any():
            return
        self.offline = np.isin(regions.of_user, [regions.index(r) for r in shut])

    def learn(self) -> None:
        """Know-how: every day of use adds one day of experience (it never decays)."""
        self.experience += self.using

    # --- events ---------------------------------------------------------------------------------
    def encourage(self, streams: Streams, event_id: str, share: float, boost: float,
                  interest_prob: float) -> np.ndarray:
        """A temporary encouragement (Chen & Yang's quizzes with rewards) for a random share of
        users: while it lasts, treated users with some interest get `boost` more value; a
        treated user with no interest gains it with chance `interest_prob`."""
        treated = streams.uniform(f"events:{event_id}:treated", -1, self.n) < share
        self.treatments[event_id] = treated
        self.boost[treated & self.interested] += boost
        self._encouraged[event_id] = (treated & self.interested, boost)
        if interest_prob > 0:
            idx = np.flatnonzero(treated & ~self.interested)
            gain = idx[streams.uniform_at(f"events:{event_id}:interest", -1, idx)
                       < interest_prob]
            self.interested[gain] = True
            self.boost[gain] += boost
            self._encouraged[event_id] = (self._encouraged[event_id][0] | _mask(gain, self.n),
                                          boost)
        self.refresh_interest()
        return treated

    def end_encouragement(self, event_id: str) -> None:
        who, boost = self._encouraged.pop(event_id)
        self.boost[who] -= boost
        np.maximum(self.boost, 0.0, out=self.boost)
        self.refresh_interest()

    # --- cached per-user arrays -----------------------------------------------------------------
    def _skill_factor(self) -> np.ndarray:
        """1 - skill discount x skill: the share of friction each user bears."""
        d = self.p["skill_friction_discount"]
        return self._cached("skill", (d,), lambda: 1.0 - d * self.skill)

    def _risk_scale(self) -> np.ndarray:
        """penalty x (0.5 + risk aversion); Party members' penalty is multiplied once the
        Party-member rules are in force."""
        pen, mult = self.p["user_penalty"], self.p["party_penalty_multiplier"]
        return self._cached("risk", (pen, mult, self.party_rules), lambda: pen * np.where(
            self.party & self.party_rules, mult, 1.0) * (0.5 + self.risk_aversion)
            * self.region_penalty)

    def _can_update(self) -> np.ndarray:
        """iOS users skilled enough to switch the store account's region keep delisted apps
        updated; so do Android users who can sideload (the same skill)."""
        s = self.p["region_switch_skill"]
        return self._cached("update", (s,), lambda: self.skill >= s)

    def _cached(self, name: str, key: tuple, compute) -> np.ndarray:
        if name not in self._derived or self._derived[name][0] != key:
            self._derived[name] = (key, compute())
        return self._derived[name][1]

    # --- read-outs ----------------------------------------------------------------------------
    def states(self, day: int) -> np.ndarray:
        """Each user's state code (index into STATES)."""
        code = np.where(self.aware, 1, 0)
        code = np.where(self.aware & self.has_interest & ~self.access, 3, code)
        code = np.where(self.using, 2, code)
        recent = (day - self.punished_day) < self.p["fear_memory_days"]
        return np.where(recent & ~self.using, 4, code).astype(np.int8)

    def channels(self, vpn: VPNProviders) -> np.ndarray:
        """Each user's VPN channel index (-1 without a VPN)."""
        out = np.full(self.n, NO_PROVIDER, dtype=np.int64)
        has = self.provider >= 0
        out[has] = vpn.channel[self.provider[has]]
        return out

    def protocol_shares(self, vpn: VPNProviders) -> np.ndarray:
        """Share of today's VPN users on each protocol class (what the firewall observes)."""
        idx = self.provider[self.using]
        if not idx.size:
            return np.zeros(N_PROTOCOLS)
        return np.bincount(vpn.protocol[idx], minlength=N_PROTOCOLS) / idx.size


def _mask(idx: np.ndarray, n: int) -> np.ndarray:
    out = np.zeros(n, dtype=bool)
    out[idx] = True
    return out
