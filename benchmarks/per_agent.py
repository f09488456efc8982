"""The user rules written the idiomatic Mesa way: the per-agent reference.

One `mesa.Agent` per user, each fixed to a cell of a `mesa.discrete_space.Network` built from the
model's own social layer, each looping over its cell's neighbours and drawing scalars from Mesa's
stdlib generator (`self.random`). The rules are those of `model.population.users.Users`, written
one user at a time:

- detection: a user of a VPN is caught with chance rate x detectability of its provider's class;
  the caught stop using, perceive the full risk and are seen by their contacts;
- spread: an unaware user with n using contacts learns how with chance
  1 - (1 - awareness_transmission)^n, and from the media with a daily chance
  awareness_media_rate (see `UserAgent.spread`); a user without interest gains it with chance
  1 - (1 - interest_transmission)^n; perceived risk moves a step risk_learning_rate towards
  1 - exp(-k (visibility x I + fear_weight x share of contacts punished within
  fear_memory_days));
- installed apps: a provider that stopped serving is dropped; a delisted store app breaks with
  daily chance installed_decay_rate unless the user can update it from abroad;
- search: a user whose VPN does not work today and who is aware and has some interest looks for
  one with daily chance search_rate and finds one with chance 1 - exp(-sum_k e_k W_k / scale_k)
  over route-classes k; the provider is drawn by class weight, then uniformly within the
  class. The route-class table (W_k and the providers of each class) is today's `Findable`,
  computed once a day on `AgentUsers`, as a Mesa model would keep it on the model; each agent
  computes its own rates from it;
- decision: with access and some interest, use when value - cost + logistic noise > 0, not on
  the day one is punished; learning: experience grows by one each day of use;
- reach cost (what the services market reads): 0 when using, the own VPN's cost with access,
  the expected cost of what one could find over the chance of finding it when aware.

The consumer-services market and the events (encouragement, service blocks) stay vectorized:
`AgentUsers` exposes the arrays they read, gathered from the agents, and writes back to the agents
what they write (`users.attachment[who] = ...`, `users.aware |= ...`).

It is used twice: as the correctness oracle of the vectorized rules (tests/test_per_agent_oracle.py:
the same rule on the same state, the same outcome distributions across seeds) and as the speed
baseline (benchmarks/bench.py).

Same rules, not the same random numbers: agents draw from the model's `random.Random`, one scalar
at a time and only when a rule needs one, so the two implementations agree in distribution, not
draw for draw.

A day runs the agents in stages (`AgentSet.do`): every stage reads only state that no agent writes
in that stage (spread reads contacts' `using` and `punished_day`; the other stages read the
agent's own state and the day's supply tables), so the order of agents within a stage does not
matter and the staged per-agent day is the same synchronous rule as the array one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import mesa
import networkx as nx
import numpy as np
from mesa.agent import AgentSet
from mesa.discrete_space import FixedAgent, Network

from model.config.loader import Scenario
from model.population.users import NEVER, NO_PROVIDER, Users
from model.simulation import PressureModel
from model.streams import Streams
from model.supply.providers import N_PROTOCOLS, VPNProviders
from model.supply.routes import Findable, RouteTable


@dataclass(frozen=True)
class Supply:
    """Today's provider and class figures as Python lists (agents index them one at a time)."""

    klass: list[int]         # per provider: its class (channel x protocol)
    works: list[bool]        # per provider: works today
    serving: list[bool]      # per provider: in business
    stale: list[bool]        # per provider: a store app the local store has delisted
    price: list[float]       # per class
    friction: list[float]    # per class: friction + today's throttling of its protocol

    @classmethod
    def of(cls, vpn: VPNProviders, day: int, throttle: np.ndarray | None = None) -> Supply:
        classes = np.arange(vpn.price.size)
        friction = vpn.friction + (throttle[classes % N_PROTOCOLS] if throttle is not None
                                   else 0.0)
        return cls(klass=vpn.klass.tolist(), works=vpn.works(day).tolist(),
                   serving=vpn.serving.tolist(),
                   stale=(vpn.is_store() & ~vpn.listed).tolist(),
                   price=vpn.price.tolist(), friction=friction.tolist())


@dataclass(frozen=True)
class RouteClasses:
    """Today's route-class table: per route-class k, W_k / scale_k, who may use it, how many
    providers can be found along it and where they are in `order`."""

    weight: list[float]
    skill: list[float]
    ios: list[bool]
    android: list[bool]
    employer: list[bool]
    klass: list[int]         # the provider class a route-class finds
    counts: list[int]
    offsets: list[int]
    order: list[int]

    @classmethod
    def of(cls, findable: Findable, routes: RouteTable) -> RouteClasses:
        return cls(weight=(findable.counts / routes.scale).tolist(),
                   skill=routes.skill.tolist(), ios=routes.ios.tolist(),
                   android=routes.android.tolist(), employer=routes.employer.tolist(),
                   klass=routes.klass.tolist(),
                   counts=findable.counts.tolist(), offsets=findable.offsets.tolist(),
                   order=findable.order.tolist())


class UserAgent(FixedAgent):
    """One user: fixed traits and daily state as plain Python attributes."""

    def __init__(self, model: mesa.Model, population: AgentUsers, cell, *, taste: float,
                 skill: float, risk_aversion: float, party: bool, ios: bool, ties: float,
                 affinity: float, employed: bool = False) -> None:
        super().__init__(model)
        self.population = population             # parameters and model-wide user state
        self.cell = cell
        p = population.p
        self.taste, self.skill, self.risk_aversion = taste, skill, risk_aversion
        self.party, self.ios, self.ties, self.affinity = party, ios, ties, affinity
        self.employed = employed
        self.skill_factor = 1.0 - p["skill_friction_discount"] * skill
        self.can_update = skill >= p["region_switch_skill"]
        self.reset()

    def reset(self) -> None:
        """The state before the set-up, as `Users.__init__` leaves it (the caller sets the
        initial interest and awareness)."""
        self.interested = False
        self.aware = False
        self.experience = 0.0
        self.perceived_risk = 0.0
        self.provider = NO_PROVIDER
        self.access = False
        self.using = False
        self.attachment = 0.0
        self.boost = 0.0
        self.has_interest = False
        self.punished_day = NEVER
        self._noise_day, self._noise = None, 0.0       # today's shock of the use decision

    # --- what the two stages read -----------------------------------------------------------
    def refresh_interest(self) -> None:
        self.has_interest = self.interested or self.attachment > 0.0 or self.boost > 0.0

    def value(self) -> float:
        return (self.taste if self.interested else 0.0) + self.attachment + self.boost

    def learning(self) -> float:
        p = self.population.p
        return 1.0 - p["learning_max"] * (1.0 - math.exp(-self.experience / p["learning_days"]))

    def risk_scale(self) -> float:
        p = self.population.p
        party = p["party_penalty_multiplier"] if self.party and self.population.party_rules \
            else 1.0
        return p["user_penalty"] * party * (0.5 + self.risk_aversion)

    def cost(self, supply: Supply) -> float:
        """Daily cost of using one's VPN (infinite without one)."""
        if self.provider < 0:
            return math.inf
        k = supply.klass[self.provider]
        learn = self.learning()
        return (supply.price[k] + supply.friction[k] * self.skill_factor * learn
                + self.population.p["attention_cost"] * learn
                + self.perceived_risk * self.risk_scale())

    # --- submodels, in the order of the day -------------------------------------------------
    def detect(self, rate: float, detectability: list[float], klass: list[int],
               day: int) -> bool:
        if self.using and self.random.random() < rate * detectability[klass[self.provider]]:
            self.using = False
            self.perceived_risk = 1.0
            self.punished_day = day
            return True
        return False

    def spread(self, seen: float, day: int) -> None:
        """One loop over the contacts. The media part is a daily coin with chance
        awareness_media_rate, not a copy of the vectorized users' `media_day`: the vectorized
        rule draws the day once as a geometric waiting time, the same in distribution as the
        daily coin (awareness is never lost), and the oracle then checks that shortcut too."""
        p = self.population.p
        memory = p["fear_memory_days"]
        using = recent = contacts = 0
        for other in self.cell.neighborhood.agents:
            contacts += 1
            if other.using:
                using += 1
            if day - other.punished_day < memory:
                recent += 1
        if using and not self.aware:
            tau = min(p["awareness_transmission"], 1 - 1e-12)
            if self.random.random() >= (1.0 - tau) ** using:
                self.aware = True
        if not self.aware and self.random.random() < p["awareness_media_rate"]:
            self.aware = True
        if using and not self.interested and p["interest_transmission"] > 0:
            tau = min(p["interest_transmission"], 1 - 1e-12)
            if self.random.random() >= (1.0 - tau) ** using:
                self.interested = self.has_interest = True
        k = p["risk_sensitivity"]
        target = 1.0 - math.exp(-(seen + k * p["fear_weight"] * recent / max(contacts, 1)))
        self.perceived_risk += p["risk_learning_rate"] * (target - self.perceived_risk)

    def keep_up_install(self, supply: Supply) -> None:
        if self.provider < 0:
            return
        if not supply.serving[self.provider]:
            self.provider = NO_PROVIDER
        elif supply.stale[self.provider] and not self.can_update \
                and self.random.random() < self.population.p["installed_decay_rate"]:
            self.provider = NO_PROVIDER

    def route_rates(self, table: RouteClasses) -> list[float]:
        """e_k W_k / scale_k for every route-class k: 0 where device, skill or employer rule
        it out."""
        return [w if self.skill >= need and (on_ios if self.ios else on_android)
                and (self.employed or not work_only) else 0.0
                for w, need, on_ios, on_android, work_only in zip(
                    table.weight, table.skill, table.ios, table.android, table.employer)]

    @staticmethod
    def pick(table: RouteClasses, rates: list[float], u_class: float, u_provider: float) -> int:
        """The provider found: the class by weight (`u_class`), then uniformly (`u_provider`)."""
        target = u_class * sum(rates)
        acc, k = 0.0, None
        for j, r in enumerate(rates):
            acc += r
            if acc > target:
                k = j
                break
        if k is None or table.counts[k] == 0:       # rounding: the first class with a rate
            k = next(j for j, r in enumerate(rates) if r > 0)
        count = table.counts[k]
        return table.order[table.offsets[k] + min(int(u_provider * count), count - 1)]

    @staticmethod
    def find_chance(rates: list[float], look: float) -> float:
        """Chance of finding a VPN today: look x (1 - exp(-sum_k rates_k))."""
        return look * -math.expm1(-sum(rates))

    def search(self, supply: Supply, table: RouteClasses, look: float) -> None:
        """`look`: the chance of looking today (search_rate; 1 in the set-up)."""
        works = self.provider >= 0 and supply.works[self.provider]
        if not works and self.aware and self.has_interest:
            rates = self.route_rates(table)
            if self.random.random() < self.find_chance(rates, look):
                self.provider = self.pick(table, rates, self.random.random(),
                                          self.random.random())
                works = True
        self.access = works

    def reach_cost(self, supply: Supply, table: RouteClasses | None) -> float:
        if self.using:
            return 0.0
        if self.access:
            return self.cost(supply)
        if not self.aware or table is None:
            return math.inf
        rates = self.route_rates(table)
        total = sum(rates)
        if total <= 0.0:
            return math.inf
        learn = self.learning()
        share = self.skill_factor * learn
        mean = sum(r * (supply.price[k] + supply.friction[k] * share)
                   for r, k in zip(rates, table.klass) if r > 0.0) / total
        mean += self.population.p["attention_cost"] * learn \
            + self.perceived_risk * self.risk_scale()
        return mean / max(-math.expm1(-total), 0.01)

    def decide(self, supply: Supply, day: int) -> None:
        """The logistic noise is the user's shock of the day: deciding again on the same day
        (the set-up decides twice, the second time with the first users' experience) reuses
        it, as the vectorized draws keyed by (day, user) do."""
        using = False
        if self.access and self.has_interest:
            if self._noise_day != day:
                self._noise_day = day
                self._noise = self._logistic(self.population.p["choice_noise"])
            using = self.value() - self.cost(supply) + self._noise > 0.0
        self.using = using and self.punished_day != day

    def learn(self) -> None:
        if self.using:
            self.experience += 1.0

    def _logistic(self, scale: float) -> float:
        u = self.random.random()
        while u == 0.0:                           # random() is in [0, 1): avoid log(0)
            u = self.random.random()
        return scale * math.log(u / (1.0 - u))


class _WriteBack(np.ndarray):
    """A gathered copy of one agent attribute whose item assignments are written back to the
    agents: the model writes some user arrays in place (`users.attachment[who] = ...`).
    Its items, slices and anything computed from it are plain arrays that do not write back."""

    def __setitem__(self, key, value) -> None:
        super().__setitem__(key, value)
        if getattr(self, "_write", None) is not None:
            idx = np.atleast_1d(np.arange(self.shape[0])[key])
            self._write(idx, self.view(np.ndarray)[idx])

    def __getitem__(self, key):
        return self.view(np.ndarray)[key]

    def __array_finalize__(self, obj) -> None:
        self._write = None                         # views and copies do not write back

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        plain = lambda x: x.view(np.ndarray) if isinstance(x, _WriteBack) else x  # noqa: E731
        if "out" in kwargs:
            kwargs["out"] = tuple(plain(x) for x in kwargs["out"])
        return getattr(ufunc, method)(*map(plain, inputs), **kwargs)


class _State:
    """An agent attribute read as an array over all users; assignment (`users.aware = ...`,
    `users.aware |= ...`) and item assignment write back to the agents."""

    def __init__(self, dtype) -> None:
        self.dtype = dtype

    def __set_name__(self, owner, name: str) -> None:
        self.name = name

    def __get__(self, users, owner=None):
        if users is None:
            return self
        values = np.fromiter((getattr(a, self.name) for a in users._agents), dtype=self.dtype,
                             count=users.n).view(_WriteBack)
        values._write = lambda idx, vals: users._write(self.name, idx, vals)
        return values

    def __set__(self, users, values) -> None:
        values = np.broadcast_to(np.asarray(values, dtype=self.dtype), (users.n,))
        users._write(self.name, np.arange(users.n), values)


class AgentUsers:
    """A drop-in for `model.users`: the same methods and read-outs as `Users`, with the state on
    `UserAgent`s. Fixed traits are also kept as arrays (they never change) for the vectorized
    parts that read them; `party_rules`, `punished_total`, the encouragements and the day's
    tables are model-wide and live here."""

    interested = _State(bool)
    aware = _State(bool)
    experience = _State(np.float32)
    perceived_risk = _State(np.float32)
    provider = _State(np.int32)
    access = _State(bool)
    using = _State(bool)
    attachment = _State(np.float32)
    boost = _State(np.float32)
    has_interest = _State(bool)
    punished_day = _State(np.int32)
    STATE = ("interested", "aware", "experience", "perceived_risk", "provider", "access",
             "using", "attachment", "boost", "has_interest", "punished_day")

    def __init__(self, model: mesa.Model, users: Users) -> None:
        """Agents with `users`' traits and current state, on a Network of `users.social`."""
        self.model, self.p, self.n, self.social = model, users.p, users.n, users.social
        for name in ("taste", "skill", "risk_aversion", "party", "ios", "ties", "affinity"):
            setattr(self, name, getattr(users, name).copy())
        self._inv_degree = users._inv_degree
        self.employed = users.employed.copy()
        if not all(np.isscalar(getattr(users, f"region_{m}"))
                   for m in ("intensity", "detection", "penalty")):
            raise NotImplementedError("the per-agent reference models one region")
        self.region_intensity = self.region_detection = self.region_penalty = 1.0
        self.offline = users.offline
        self.punished_total = int(users.punished_total)
        self.party_rules = bool(users.party_rules)
        self.treatments = dict(users.treatments)
        self._encouraged = dict(users._encouraged)
        self.routes: RouteTable | None = users.routes
        self.findable: Findable | None = None
        self._table: RouteClasses | None = None
        graph = nx.Graph()
        graph.add_nodes_from(range(self.n))
        graph.add_edges_from(map(tuple, self.social.edges.tolist()))
        self.space = Network(graph, capacity=1, random=model.random, layout=None)
        self._agents = [
            UserAgent(model, self, self.space[i], taste=float(users.taste[i]),
                      skill=float(users.skill[i]), risk_aversion=float(users.risk_aversion[i]),
                      party=bool(users.party[i]), ios=bool(users.ios[i]),
                      ties=float(users.ties[i]), affinity=float(users.affinity[i]),
                      employed=bool(users.employed[i]))
            for i in range(self.n)]
        for name in self.STATE:
            setattr(self, name, getattr(users, name))
        self.agents = AgentSet(self._agents, random=model.random)
        if users.findable is not None:
            self._set_findable(users.findable)

    def _write(self, name: str, idx: np.ndarray, values: np.ndarray) -> None:
        agents = self._agents
        for i, v in zip(idx.tolist(), values.tolist()):
            setattr(agents[i], name, v)

    def _set_findable(self, findable: Findable) -> None:
        self.findable = findable
        self._table = RouteClasses.of(findable, self.routes)

    def _each(self, idx):
        agents = self._agents
        return agents if idx is None else [agents[i] for i in np.asarray(idx).tolist()]

    # --- what the model calls, in the order of the day --------------------------------------
    def go_offline(self, regions, shut: set[str]) -> None:
        if shut:
            raise NotImplementedError("the per-agent reference has no regional shutdowns")

    def refresh_interest(self, idx: np.ndarray | None = None) -> None:
        for a in self._each(idx):
            a.refresh_interest()

    def cost(self, vpn: VPNProviders, throttle: np.ndarray, idx: np.ndarray | None = None
             ) -> np.ndarray:
        supply = Supply.of(vpn, self.model.day, throttle)
        return np.array([a.cost(supply) for a in self._each(idx)], dtype=np.float64)

    def detect_and_punish(self, streams: Streams, day: int, rate: float,
                          detectability: np.ndarray, vpn: VPNProviders) -> int:
        if rate <= 0.0:
            return 0
        caught = sum(self.agents.map("detect", rate, detectability.tolist(), vpn.klass.tolist(),
                                     day))
        self.punished_total += caught
        return caught

    def spread(self, streams: Streams, intensity: float, day: int) -> None:
        seen = self.p["risk_sensitivity"] * self.p["risk_visibility"] * intensity
        self.agents.do("spread", seen, day)

    def keep_up_installs(self, streams: Streams, vpn: VPNProviders, day: int) -> None:
        self.agents.do("keep_up_install", Supply.of(vpn, day))

    def search(self, streams: Streams, vpn: VPNProviders, day: int,
               draw_day: int | None = None, closed: tuple[int, ...] = (),
               effort: float | None = None) -> None:
        """Today's route-class table once, then every agent searches if it must."""
        self._set_findable(Findable.today(vpn, day, closed))
        look = self.p["search_rate"] if effort is None else effort
        self.agents.do("search", Supply.of(vpn, day), self._table, look)

    def reach_cost(self, idx: np.ndarray, vpn: VPNProviders, throttle: np.ndarray
                   ) -> np.ndarray:
        supply = Supply.of(vpn, self.model.day, throttle)
        return np.array([a.reach_cost(supply, self._table) for a in self._each(idx)],
                        dtype=np.float64)

    def decide(self, streams: Streams, vpn: VPNProviders, throttle: np.ndarray,
               day: int) -> None:
        self.agents.do("decide", Supply.of(vpn, day, throttle), day)

    def learn(self) -> None:
        self.agents.do("learn")

    # --- events (vectorized, the same draws as `Users`) --------------------------------------
    def encourage(self, streams: Streams, event_id: str, share: float, boost: float,
                  interest_prob: float) -> np.ndarray:
        treated = streams.uniform(f"events:{event_id}:treated", -1, self.n) < share
        self.treatments[event_id] = treated
        interested = np.asarray(self.interested)
        who = treated & interested
        if interest_prob > 0:
            idx = np.flatnonzero(treated & ~interested)
            gain = idx[streams.uniform_at(f"events:{event_id}:interest", -1, idx)
                       < interest_prob]
            interested[gain] = True
            who[gain] = True
            self.interested = interested
        self.boost = np.asarray(self.boost) + np.where(who, boost, 0.0)
        self._encouraged[event_id] = (who, boost)
        self.refresh_interest()
        return treated

    def end_encouragement(self, event_id: str) -> None:
        who, boost = self._encouraged.pop(event_id)
        self.boost = np.maximum(np.asarray(self.boost) - np.where(who, boost, 0.0), 0.0)
        self.refresh_interest()

    def _can_update(self) -> np.ndarray:
        return np.fromiter((a.can_update for a in self._agents), dtype=bool, count=self.n)

    # --- read-outs --------------------------------------------------------------------------
    def states(self, day: int) -> np.ndarray:
        """Each user's state code (index into model.population.users.STATES)."""
        memory = self.p["fear_memory_days"]
        codes = []
        for a in self._agents:
            if a.using:
                codes.append(2)
            elif day - a.punished_day < memory:
                codes.append(4)
            elif a.aware and a.has_interest and not a.access:
                codes.append(3)
            else:
                codes.append(1 if a.aware else 0)
        return np.array(codes, dtype=np.int8)

    def channels(self, vpn: VPNProviders) -> np.ndarray:
        channel = vpn.channel.tolist()
        return np.array([channel[a.provider] if a.provider >= 0 else NO_PROVIDER
                         for a in self._agents], dtype=np.int64)

    def protocol_shares(self, vpn: VPNProviders) -> np.ndarray:
        protocol = vpn.protocol.tolist()
        counts = [0] * N_PROTOCOLS
        for a in self._agents:
            if a.using:
                counts[protocol[a.provider]] += 1
        total = sum(counts)
        return np.array(counts, dtype=np.float64) / total if total else np.zeros(N_PROTOCOLS)


def per_agent_model(scenario: Scenario | str | Path = "china_2017", rng=None,
                    **params) -> PressureModel:
    """A `PressureModel` whose users are `AgentUsers` with the vectorized users' traits and
    network. The users' set-up (`PressureModel._initial_state`: searches, the services' first
    choices, the first decisions) is redone with the agents from the pre-set-up state, so the
    agents' day 0 comes from their own rules; the services market's set-up is redone with it.
    """
    model = PressureModel(scenario, rng=rng, **params)
    users = model.users
    agents = AgentUsers(model, users)
    # the set-up changes neither interest nor awareness: the arrays still hold the initial draws
    for agent, interested, aware in zip(agents._agents, users.interested.tolist(),
                                        users.aware.tolist(), strict=True):
        agent.reset()
        agent.interested = agent.has_interest = interested
        agent.aware = aware
    agents.punished_total, agents.party_rules = 0, False
    agents.treatments, agents._encouraged = {}, {}
    model.users = agents
    model._initial_state()
    return model


def run_to_end(model: PressureModel) -> PressureModel:
    while model.running:
        model.step()
    return model
