"""The user rules written the idiomatic Mesa way: the per-agent reference.

One `mesa.Agent` per user, each fixed to a cell of a `mesa.discrete_space.Network` built from the
model's own social layer, each looping over its cell's neighbours. The rules are those of
`model.population.users.Users` (docs/ODD.md 7.7, 7.15-7.18, 7.20), written one user at a time:

- detection (7.7): a user of a VPN is caught with chance rate x detectability of its channel;
- awareness (7.15): an unaware user with n using contacts learns with chance
  1 - (1 - awareness_transmission)^n x (1 - awareness_media_rate);
- fear (7.16): target risk 1 - exp(-k (visibility x I + fear_weight x share of contacts punished
  within fear_memory_days)); perceived risk moves a step risk_learning_rate towards it;
- access (7.17): the least frictional working channel the user's device, skill and luck allow,
  with the same reach / saturation / scarcity rule (the channel figures are computed once a day
  from the model's `ChannelView`, as a Mesa model would keep them on the model);
- use (7.18): value x (1 + habit_weight x habit) - price - friction x (1 - discount x skill) -
  risk x penalty x (0.5 + risk aversion) + logistic noise > 0, not if punished today; habit
  follows use;
- service block (7.20): demand shock and awareness.

It is used twice: as the correctness oracle of the vectorized rule (tests/test_per_agent_oracle.py:
the same outcome distributions across seeds) and as the speed baseline (benchmarks/bench.py).

Same rules, not the same random stream: agents draw from the model's stdlib `random.Random`
(`self.random`, the idiomatic Mesa generator), one scalar draw at a time and only when the rule
needs one, so the two implementations agree in distribution, not draw for draw.

A day runs the agents in stages (`AgentSet.do`): every stage reads only state that no other agent
writes in that stage (awareness reads contacts' `using`, fear their `punished_day`; use decisions
read the agent's own state), so the order of agents within a stage does not matter and the
staged per-agent day is the same synchronous rule as the array one.
"""

from __future__ import annotations

import math
from pathlib import Path

import mesa
from mesa.agent import AgentSet
import networkx as nx
import numpy as np
from mesa.discrete_space import FixedAgent, Network

from model.config.loader import Scenario
from model.population.users import NO_CHANNEL, ChannelView, Users
from model.simulation import PressureModel

NEVER = np.iinfo(np.int32).min // 2          # punished_day of a user never punished (as Users)


class UserAgent(FixedAgent):
    """One user: fixed traits and daily state as plain Python attributes."""

    def __init__(self, model: mesa.Model, population: AgentUsers, cell, *, demand: float,
                 skill: float, risk_aversion: float, party: bool, ios: bool,
                 luck: tuple[float, ...], aware: bool) -> None:
        super().__init__(model)
        self.population = population             # parameters and model-wide user state
        self.cell = cell
        self.demand = demand
        self.skill = skill
        self.risk_aversion = risk_aversion
        self.party = party
        self.ios = ios
        self.luck = luck
        self.aware = aware
        self.perceived_risk = 0.0
        self.habit = 0.0
        self.using = False
        self.access = False
        self.channel = NO_CHANNEL
        self.punished_day = NEVER

    # --- 7.7 detection and punishment -----------------------------------------------------------
    def detect(self, rate: float, detectability, day: int) -> bool:
        if self.using and self.random.random() < rate * detectability[self.channel]:
            self.using = False
            self.perceived_risk = 1.0
            self.punished_day = day
            return True
        return False

    # --- 7.20 service block ---------------------------------------------------------------------
    def service_blocked(self, popularity: float, boost: float, learn_prob: float) -> None:
        if self.random.random() < popularity:
            self.demand += boost
            if self.random.random() < learn_prob:
                self.aware = True

    # --- 7.15 awareness and 7.16 fear: loop over the neighbours ------------------------------
    def spread(self, intensity: float, day: int) -> None:
        p = self.population.p
        memory = p["fear_memory_days"]
        using_contacts = 0
        punished_contacts = 0
        contacts = 0
        for other in self.cell.neighborhood.agents:
            contacts += 1
            if other.using:
                using_contacts += 1
            if day - other.punished_day < memory:
                punished_contacts += 1
        if not self.aware:
            tau = min(p["awareness_transmission"], 1 - 1e-12)
            stay_unaware = (1.0 - tau) ** using_contacts * (1.0 - p["awareness_media_rate"])
            if self.random.random() >= stay_unaware:
                self.aware = True
        punished_share = punished_contacts / max(contacts, 1)
        target = 1.0 - math.exp(-p["risk_sensitivity"] * (p["risk_visibility"] * intensity
                                                          + p["fear_weight"] * punished_share))
        self.perceived_risk += p["risk_learning_rate"] * (target - self.perceived_risk)

    # --- 7.17 access and 7.18 use decision with habit ----------------------------------------
    def decide(self, channels: tuple, day: int) -> None:
        p = self.population.p
        best, best_friction = NO_CHANNEL, math.inf
        for c, (friction, reach, skill_needed, on_ios, on_android) in enumerate(channels):
            if (friction < best_friction and self.skill >= skill_needed
                    and self.luck[c] <= reach and (on_ios if self.ios else on_android)):
                best, best_friction = c, friction
        self.access = self.aware and best != NO_CHANNEL
        self.channel = best if self.access else NO_CHANNEL
        using = False
        if self.access:
            penalty = p["user_penalty"] * (p["party_penalty_multiplier"]
                                           if self.party and self.population.party_rules else 1.0)
            value = self.demand * (1.0 + p["habit_weight"] * self.habit)
            cost = (p["vpn_price"]
                    + best_friction * (1.0 - p["skill_friction_discount"] * self.skill)
                    + self.perceived_risk * penalty * (0.5 + self.risk_aversion))
            using = (value - cost + self._logistic(p["choice_noise"]) > 0.0
                     and self.punished_day != day)
        self.using = using
        self.habit += p["habit_rate"] * (using - self.habit)

    def _logistic(self, scale: float) -> float:
        u = self.random.random()
        while u == 0.0:                           # random() is in [0, 1): avoid log(0)
            u = self.random.random()
        return scale * math.log(u / (1.0 - u))


class AgentUsers:
    """A drop-in for `model.users`: the same methods and read-outs as `Users`, with the state
    on `UserAgent`s. Array attributes are gathered from the agents when read (read-only copies);
    `party_rules` and `punished_total` are model-wide and live here."""

    def __init__(self, model: mesa.Model, users: Users) -> None:
        """Agents with `users`' traits and current state, on a Network of `users.social`."""
        self.model, self.p, self.n, self.social = model, users.p, users.n, users.social
        self.punished_total = int(users.punished_total)
        self.party_rules = bool(users.party_rules)
        graph = nx.Graph()
        graph.add_nodes_from(range(self.n))
        graph.add_edges_from(map(tuple, self.social.edges.tolist()))
        self.space = Network(graph, capacity=1, random=model.random, layout=None)
        self._agents = [
            UserAgent(model, self, self.space[i],
                      demand=float(users.demand[i]), skill=float(users.skill[i]),
                      risk_aversion=float(users.risk_aversion[i]), party=bool(users.party[i]),
                      ios=bool(users.ios[i]), luck=tuple(float(x) for x in users.luck[i]),
                      aware=bool(users.aware[i]))
            for i in range(self.n)]
        for agent, i in zip(self._agents, range(self.n)):
            agent.perceived_risk = float(users.perceived_risk[i])
            agent.habit = float(users.habit[i])
            agent.using = bool(users.using[i])
            agent.access = bool(users.access[i])
            agent.channel = int(users.channel[i])
            agent.punished_day = int(users.punished_day[i])
        self.agents = AgentSet(self._agents, random=model.random)

    # --- the methods the model calls ----------------------------------------------------------
    def detect_and_punish(self, rng, rate: float, detectability: np.ndarray, day: int) -> int:
        if rate <= 0.0:
            return 0
        caught = sum(self.agents.map("detect", rate, detectability.tolist(), day))
        self.punished_total += caught
        return caught

    def service_blocked(self, rng, popularity: float) -> None:
        self.agents.do("service_blocked", popularity, self.p["block_demand_boost"],
                       self.p["block_awareness_prob"])

    def spread(self, rng, intensity: float, day: int) -> None:
        self.agents.do("spread", intensity, day)

    def decide(self, rng, view: ChannelView, day: int) -> None:
        self.agents.do("decide", self.channel_figures(view), day)

    def channel_figures(self, view: ChannelView) -> tuple:
        """Per channel (friction, reach, skill needed, usable on iOS, usable on Android); a
        channel with no working provider gets infinite friction (never chosen)."""
        p = self.p
        out = []
        for c in range(len(view.working)):
            working, initial = float(view.working[c]), max(float(view.initial[c]), 1.0)
            avail = min(1.0, working / initial)
            reach = min(1.0, avail / p["provider_saturation"])
            friction = (float(view.friction[c]) + p["friction_scarcity"] * (1.0 - avail)
                        if working > 0 else math.inf)
            out.append((friction, reach, float(view.skill[c]), bool(view.ios[c]),
                        bool(view.android[c])))
        return tuple(out)

    def states(self, day: int) -> np.ndarray:
        """Each user's state code (index into model.population.users.STATES)."""
        memory = self.p["fear_memory_days"]
        codes = []
        for a in self._agents:
            if a.using:
                codes.append(2)
            elif day - a.punished_day < memory:
                codes.append(4)
            elif a.aware and not a.access:
                codes.append(3)
            else:
                codes.append(1 if a.aware else 0)
        return np.array(codes, dtype=np.int8)

    # --- read-outs gathered from the agents ------------------------------------------------------
    def _gather(self, name: str, dtype) -> np.ndarray:
        return np.fromiter((getattr(a, name) for a in self._agents), dtype=dtype, count=self.n)

    aware = property(lambda self: self._gather("aware", bool))
    access = property(lambda self: self._gather("access", bool))
    using = property(lambda self: self._gather("using", bool))
    channel = property(lambda self: self._gather("channel", np.int8))
    perceived_risk = property(lambda self: self._gather("perceived_risk", np.float64))
    habit = property(lambda self: self._gather("habit", np.float64))
    ios = property(lambda self: self._gather("ios", bool))
    party = property(lambda self: self._gather("party", bool))
    demand = property(lambda self: self._gather("demand", np.float64))
    skill = property(lambda self: self._gather("skill", np.float64))
    risk_aversion = property(lambda self: self._gather("risk_aversion", np.float64))
    punished_day = property(lambda self: self._gather("punished_day", np.int32))

    @property
    def luck(self) -> np.ndarray:
        return np.array([a.luck for a in self._agents], dtype=np.float32).reshape(self.n, -1)



def per_agent_model(scenario: Scenario | str | Path = "china_2017", rng=None,
                    **params) -> PressureModel:
    """A `PressureModel` whose users are `AgentUsers`, initialised from the vectorized users'
    traits (same demand, skill, ..., awareness and network), so both start identical.

    `PressureModel.__init__` ends the users' set-up with a day-0 decision at the initial
    perceived risk and habit = use; that is redone here with the agents (the vectorized
    decision it made is discarded), and `initial_use` is taken from the agents' decision.
    """
    model = PressureModel(scenario, rng=rng, **params)
    p = model.p
    agents = AgentUsers(model, model.users)
    risk0 = 1.0 - math.exp(-p["risk_sensitivity"] * p["risk_visibility"] * model.intensity)
    for agent in agents._agents:
        agent.perceived_risk = risk0
        agent.habit = 0.0
        agent.using = agent.access = False
        agent.channel = NO_CHANNEL
    model.users = agents
    agents.decide(model.rng, model._channel_view(), 0)
    for agent in agents._agents:
        agent.habit = float(agent.using)
    model.initial_use = max(float(agents.using.mean()), 1e-9)
    return model


def run_to_end(model: PressureModel) -> PressureModel:
    while model.running:
        model.step()
    return model
