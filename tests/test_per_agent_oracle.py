"""The per-agent Mesa reference (benchmarks/per_agent.py) as the correctness oracle of the
vectorized user rules (model/population/users.py).

1. Same rule, same state: from one model state, the agents' neighbour counts, route-class rates,
   find chances, provider picks, costs of use and reach costs equal the vectorized ones, and the
   deterministic part of the installed-app upkeep and the events agree.
2. Same outcome distributions: across seeds, the user metrics of the vectorized model and of the
   per-agent model (same scenario, small size, the July 2017 directives and the WhatsApp block
   inside the horizon) do not differ: Welch t-tests on the per-seed time means and finals,
   Bonferroni-corrected, and a cap on the difference of means relative to their spread
   (standardized difference). At the defaults and "stressed" (awareness spreading, punishment
   frequent, so the neighbour rules matter).
3. The oracle can fail: the per-agent model with a different awareness_transmission is detected.

The two sides use disjoint seeds, so their samples are independent, as the two-sample test
assumes (with the same seeds they would share networks and traits).
"""

from __future__ import annotations

import datetime as dt
import inspect
import math
import sys
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.per_agent import (  # noqa: E402
    AgentUsers, RouteClasses, UserAgent, per_agent_model, run_to_end)
from model.population.users import STATES, Users  # noqa: E402
from model.simulation import PressureModel  # noqa: E402
from model.supply.routes import Findable  # noqa: E402

METRICS = ("vpn_use", "vpn_access", "vpn_availability", "vpn_interested", "vpn_aware",
           "mean_perceived_risk", "users_punished_total")
# 400 users from 15 June 2017 for 110 days: domestic sellers shut (1 July), Sinnet's letters and
# the app-store removals (28-29 July), Party-member rules (1 August), the Party Congress (19
# September on) and the WhatsApp block (23 September) all fall inside the horizon.
SMALL = dict(users=400, days=110, start_date=dt.date(2017, 6, 15))
# the same with few users aware at the start, awareness and interest spreading through contacts
# and punishment frequent, so that the neighbour rules (contacts using, contacts punished) and
# the searches decide the outcomes
STRESSED = dict(SMALL, initial_awareness=0.05, awareness_transmission=0.02,
                interest_transmission=0.02, user_detection_rate=0.02)
SEEDS = 12
FAMILY_ALPHA = 0.01            # Bonferroni over the statistics of one comparison
MAX_STANDARDIZED_DIFF = 1.5    # |mean_a - mean_b| / pooled sd
# what the model calls on its users (grep model/ for `users.`): same names, same parameters
CALLED = ("detect_and_punish", "spread", "keep_up_installs", "search", "reach_cost", "decide",
          "learn", "refresh_interest", "encourage", "end_encouragement", "states", "channels",
          "protocol_shares", "cost", "_can_update")
READ = ("n", "p", "social", "taste", "skill", "risk_aversion", "party", "ios", "ties",
        "affinity", "interested", "aware", "experience", "perceived_risk", "provider", "access",
        "using", "attachment", "boost", "has_interest", "punished_day", "punished_total",
        "party_rules", "treatments", "routes", "findable", "_inv_degree")


def outcomes(model: PressureModel) -> dict[str, float]:
    """A run's time mean and final value of each user metric."""
    frame = run_to_end(model).recorder.frame(model.p["start_date"])
    out = {f"{m}_mean": float(frame[m].mean()) for m in METRICS}
    out.update({f"{m}_final": float(frame[m].iloc[-1]) for m in METRICS})
    return out


def sample(build, params: dict, first_seed: int) -> dict[str, np.ndarray]:
    runs = [outcomes(build("china_2017", rng=first_seed + s, **params)) for s in range(SEEDS)]
    return {k: np.array([r[k] for r in runs]) for k in runs[0]}


def compare(a: dict[str, np.ndarray], b: dict[str, np.ndarray]) -> dict[str, tuple]:
    """Per statistic: (mean a, mean b, Welch p-value, standardized difference); p and d are
    None when both samples are one constant."""
    out = {}
    for key in a:
        x, y = a[key], b[key]
        spread = math.sqrt((x.var(ddof=1) + y.var(ddof=1)) / 2)
        if spread == 0.0:
            out[key] = (x.mean(), y.mean(), None, None)
            continue
        p = float(stats.ttest_ind(x, y, equal_var=False).pvalue)
        out[key] = (x.mean(), y.mean(), p, (y.mean() - x.mean()) / spread)
    return out


def differences(a: dict[str, np.ndarray], b: dict[str, np.ndarray]) -> list[str]:
    """The statistics on which samples a and b differ (empty: same distribution)."""
    alpha = FAMILY_ALPHA / len(a)
    found = []
    for key, (ma, mb, p, d) in compare(a, b).items():
        if p is None:            # constant on both sides: equal up to float32 rounding
            if not np.isclose(ma, mb, rtol=1e-6, atol=1e-12):
                found.append(f"{key}: constant {ma:.4g} vs {mb:.4g}")
        elif p < alpha or abs(d) > MAX_STANDARDIZED_DIFF:
            found.append(f"{key}: {ma:.4g} vs {mb:.4g} (p={p:.2g}, d={d:.2f})")
    return found


@pytest.fixture(scope="module")
def vectorized_stressed():
    return sample(PressureModel, STRESSED, 0)


def mid_run():
    """A stressed model past the July directives (delisted apps, shut sellers, punished users)
    and agents copied from its users."""
    model = PressureModel("china_2017", rng=3, **STRESSED)
    for _ in range(50):
        model.step()
    return model, AgentUsers(model, model.users)


def test_same_rule_same_state():
    """Deterministic parts agree user by user."""
    model, agents = mid_run()
    users, vpn, day = model.users, model.vpn, model.day
    throttle = model.firewall.throttle
    assert users.using.sum() > 0 and (day - users.punished_day < model.p["fear_memory_days"]
                                      ).sum() > 0
    assert (vpn.is_store() & ~vpn.listed).any()
    # the copied state reads back as the arrays it came from
    for name in AgentUsers.STATE + ("taste", "skill", "ios", "affinity"):
        assert np.array_equal(getattr(agents, name), getattr(users, name)), name
        assert getattr(agents, name).dtype == getattr(users, name).dtype, name
    assert np.array_equal(agents.states(day), users.states(day))
    assert np.array_equal(agents.channels(vpn), users.channels(vpn))
    assert agents.protocol_shares(vpn) == pytest.approx(users.protocol_shares(vpn))
    assert np.array_equal(agents._can_update(), users._can_update())

    # neighbours: contacts using, contacts punished recently, degree
    adj = users.social.adjacency
    recent = (day - users.punished_day) < model.p["fear_memory_days"]
    memory = model.p["fear_memory_days"]
    for a, n_using, n_recent, degree in zip(
            agents._agents, adj @ users.using.astype(float), adj @ recent.astype(float),
            users.social.degree, strict=True):
        neighbours = list(a.cell.neighborhood.agents)
        assert len(neighbours) == degree
        assert sum(o.using for o in neighbours) == n_using
        assert sum(day - o.punished_day < memory for o in neighbours) == n_recent

    # search: each agent's route-class rates and find chance from today's table
    findable = Findable.today(vpn, day, model.closed_stores())
    table = RouteClasses.of(findable, users.routes)
    rates = findable.rates(users.routes.eligible(users.ios, users.skill, users.employed),
                           users.routes.scale)
    assert rates.sum() > 0
    rng = np.random.default_rng(0)
    for a, row in zip(agents._agents, rates, strict=True):
        mine = a.route_rates(table)
        assert mine == pytest.approx(row.tolist(), rel=1e-12)
        for look in (1.0, model.p["search_rate"]):        # the set-up's search and a day's
            assert UserAgent.find_chance(mine, look) == pytest.approx(
                look * -np.expm1(-row.sum()), rel=1e-12)
        if row.sum() > 0:                    # the provider found, for the same two uniforms
            u = rng.random((4, 2))
            picked = findable.pick(np.repeat(row[None, :], 4, axis=0), u[:, 0], u[:, 1])
            assert [UserAgent.pick(table, mine, *uu) for uu in u.tolist()] == picked.tolist()

    # cost of use, value and the reach cost the services market reads (to float32 precision:
    # the vectorized experience, and so its learning share, is float32)
    users.findable = findable
    agents._set_findable(findable)
    everyone = np.arange(users.n)
    with_vpn = users.provider >= 0
    assert with_vpn.sum() > 0
    assert agents.cost(vpn, throttle) == pytest.approx(users.cost(vpn, throttle), rel=1e-6)
    assert [a.value() for a in agents._agents] == pytest.approx(users.value(everyone))
    reach = users.reach_cost(everyone, vpn, throttle)
    assert np.isfinite(reach).sum() > users.using.sum()        # some aware without access
    assert agents.reach_cost(everyone, vpn, throttle) == pytest.approx(reach, rel=1e-6)


def test_installs_and_events_same_state():
    """Installed-app upkeep drops exactly the providers that stopped serving and keeps every
    app that cannot break; the vectorized events write back to the agents."""
    model, agents = mid_run()
    users, vpn, day = model.users, model.vpn, model.day
    prov = users.provider.copy()
    vpn.serving[prov[prov >= 0][:3]] = False          # a few installed providers stop
    stale = (prov >= 0) & (vpn.is_store() & ~vpn.listed)[np.maximum(prov, 0)] \
        & ~users._can_update() & vpn.serving[np.maximum(prov, 0)]
    assert stale.any()
    users.keep_up_installs(model.streams, vpn, day)
    agents.keep_up_installs(model.streams, vpn, day)
    assert np.array_equal(agents.provider[~stale], users.provider[~stale])
    assert (agents.provider[stale] >= 0).any()        # a daily chance: most survive the day

    for side in (users, agents):
        side.encourage(model.streams, "quiz", 0.3, 0.5, 0.2)
    for name in ("interested", "boost", "has_interest"):
        assert np.array_equal(getattr(agents, name), getattr(users, name)), name
    assert np.array_equal(agents.treatments["quiz"], users.treatments["quiz"])
    for side in (users, agents):
        side.end_encouragement("quiz")
    assert np.array_equal(agents.boost, users.boost)
    assert np.array_equal(agents.has_interest, users.has_interest)

    # what the model writes in place reaches the agents
    who = np.array([1, 5, 7])
    agents.attachment[who] = [0.1, 0.2, 0.3]
    agents.aware |= np.arange(agents.n) < 10
    agents.experience[agents.aware] = 2.0
    assert [agents._agents[i].attachment for i in who] == pytest.approx([0.1, 0.2, 0.3])
    assert all(a.aware for a in agents._agents[:10])
    assert all(a.experience == 2.0 for a in agents._agents if a.aware)
    assert type(agents.aware & agents.using) is np.ndarray     # derived arrays are plain


def test_drop_in_for_users():
    """Everything the model calls or reads on its users exists with the same parameters; the
    read-outs have the vectorized users' shapes and types; the traits are the vectorized
    users' (same seed); a whole scenario runs to the end."""
    for name in CALLED:
        want = [(q.name, q.kind, q.default)
                for q in inspect.signature(getattr(Users, name)).parameters.values()]
        have = [(q.name, q.kind, q.default)
                for q in inspect.signature(getattr(AgentUsers, name)).parameters.values()]
        assert have == want, name
    vector = PressureModel("china_2017", rng=5, **SMALL)
    agent = per_agent_model("china_2017", rng=5, **SMALL)
    assert isinstance(vector.users, Users) and isinstance(agent.users, AgentUsers)
    u, a = vector.users, agent.users
    assert a.n == u.n
    for name in READ:
        assert hasattr(a, name), name
    for name in ("taste", "skill", "risk_aversion", "party", "ios", "ties", "affinity"):
        assert np.array_equal(getattr(a, name), getattr(u, name)), name
        assert np.array_equal([getattr(x, name) for x in a._agents], getattr(u, name)), name
    for name in AgentUsers.STATE:
        assert getattr(a, name).shape == getattr(u, name).shape, name
        assert getattr(a, name).dtype == getattr(u, name).dtype, name
    assert np.array_equal(a.aware, u.aware) and np.array_equal(a.interested, u.interested)
    assert a.perceived_risk == pytest.approx(u.perceived_risk)
    assert a.using.any() and (a.experience[a.using] > 0).mean() > 0.5  # the set-up's use
    assert agent.initial_use == pytest.approx(max(a.using.mean(), 1e-9))
    assert a.punished_total == 0 and a.party_rules is False
    while agent.running:
        agent.step()
    assert a.party_rules is True                       # the Party-member rules came
    states = a.states(agent.day - 1)
    assert states.dtype == np.int8 and states.shape == (a.n,)
    assert set(np.unique(states)) <= set(range(len(STATES)))
    assert a.punished_total == agent.recorder.latest("users_punished_total")
    assert agent.services.former                        # WhatsApp was blocked


@pytest.mark.parametrize("params", [SMALL, STRESSED], ids=["default", "stressed"])
def test_same_outcome_distributions(params, vectorized_stressed):
    vector = vectorized_stressed if params is STRESSED else sample(PressureModel, params, 0)
    agents = sample(per_agent_model, params, 1000)
    assert differences(vector, agents) == []


def test_oracle_detects_a_different_rule(vectorized_stressed):
    """Awareness spreading through contacts at twice the rate is told apart."""
    changed = dict(STRESSED, awareness_transmission=2 * STRESSED["awareness_transmission"])
    agents = sample(per_agent_model, changed, 2000)
    found = differences(vectorized_stressed, agents)
    assert any(f.startswith("vpn_aware") for f in found), found
