"""Users: awareness and fear spread on the network, access through channels, the use decision,
habit, Party rules, detection and sudden service blocks."""

import dataclasses

import numpy as np
import pytest

from model import PressureModel
from model.config.parameters import CHANNELS, DEFAULTS
from model.institutions.vpn_providers import CH
from model.network import build_social_layer
from model.population.users import NO_CHANNEL, STATES, Users

SEEDS = (1, 2, 3)


def population(seed=0, **kw):
    p = dict(DEFAULTS)
    p.update(users=4000)
    p.update(kw)
    rng = np.random.default_rng(seed)
    return Users(p, build_social_layer(p, rng), rng)


def model(seed=1, **kw):
    kw.setdefault("users", 4000)
    return PressureModel("china_2017", rng=seed, days=30, **kw)


def use_share(m, draws_seed=7, **params):
    """Share using after one decision under changed parameters, with fixed draws (common random
    numbers: only the changed parameter differs between calls)."""
    u = m.users
    saved = u.p, u.using.copy(), u.habit.copy(), u.access.copy(), u.channel.copy()
    u.p = {**u.p, **params}
    u.decide(np.random.default_rng(draws_seed), m._channel_view(), 0)
    share = float(u.using.mean())
    u.p, u.using, u.habit, u.access, u.channel = saved
    return share


def aware_model(seed=1, **kw):
    m = model(seed, **kw)
    m.users.aware[:] = True
    m.users.perceived_risk[:] = 0.3
    return m


# --- awareness -------------------------------------------------------------------------------
def _learned(seed, using_share, transmission):
    u = population(seed, initial_awareness=0.0, awareness_media_rate=0.0,
                   awareness_transmission=transmission)
    rng = np.random.default_rng(seed + 100)
    u.using[:] = rng.random(u.n) < using_share
    u.spread(rng, 0.5, 0)
    return u.aware.mean()


@pytest.mark.parametrize("seed", SEEDS)
def test_awareness_spreads_faster_with_more_using_contacts(seed):
    assert _learned(seed, 0.0, 0.05) == 0.0
    assert _learned(seed, 0.1, 0.05) < _learned(seed, 0.5, 0.05)


@pytest.mark.parametrize("seed", SEEDS)
def test_awareness_spreads_faster_with_higher_transmission(seed):
    assert _learned(seed, 0.3, 0.0) == 0.0
    assert _learned(seed, 0.3, 0.01) < _learned(seed, 0.3, 0.1)


def test_learning_chance_per_user_follows_using_contacts():
    """Users with many using contacts learn more often than users with few."""
    u = population(0, initial_awareness=0.0, awareness_media_rate=0.0,
                   awareness_transmission=0.05)
    rng = np.random.default_rng(1)
    u.using[:] = rng.random(u.n) < 0.3
    k = u.social.adjacency @ u.using.astype(float)
    u.spread(rng, 0.5, 0)
    few, many = u.aware[k <= 2].mean(), u.aware[k >= 4].mean()
    assert few < many
    assert u.aware[k == 0].sum() == 0


def test_media_teaches_without_contacts():
    u = population(0, initial_awareness=0.0, awareness_media_rate=0.2)
    u.spread(np.random.default_rng(1), 0.5, 0)
    assert u.aware.mean() == pytest.approx(0.2, abs=0.03)


def test_awareness_is_never_forgotten():
    u = population(0, initial_awareness=0.5)
    before = u.aware.copy()
    u.spread(np.random.default_rng(1), 0.5, 0)
    assert np.all(u.aware[before])


# --- fear ------------------------------------------------------------------------------------
def _risk_after(punished_share, seed=0, intensity=0.3, days=1):
    u = population(seed)
    rng = np.random.default_rng(seed + 1)
    u.punished_day[rng.random(u.n) < punished_share] = 0
    for d in range(days):
        u.spread(rng, intensity, d)
    return u


@pytest.mark.parametrize("seed", SEEDS)
def test_punished_contacts_raise_perceived_risk(seed):
    calm, scared = _risk_after(0.0, seed), _risk_after(0.2, seed)
    assert scared.perceived_risk.mean() > calm.perceived_risk.mean()
    # per user: those who saw a punished contact fear more than those who did not
    recent = (0 - scared.punished_day) < scared.p["fear_memory_days"]
    saw = (scared.social.adjacency @ recent.astype(float)) > 0
    assert scared.perceived_risk[saw].mean() > scared.perceived_risk[~saw].mean()


def test_fear_fades_after_the_memory():
    u = _risk_after(0.3, days=1)
    recent = u.perceived_risk.copy()
    u2 = population(0)
    u2.punished_day[:] = -1000                              # long ago
    u2.spread(np.random.default_rng(1), 0.3, 0)
    assert u2.perceived_risk.mean() < recent.mean()


def test_perceived_risk_follows_intensity():
    low, high = _risk_after(0.0, intensity=0.1, days=30), _risk_after(0.0, intensity=0.9, days=30)
    assert high.perceived_risk.mean() > low.perceived_risk.mean()
    assert 0.0 <= low.perceived_risk.min() and high.perceived_risk.max() <= 1.0


# --- the use decision --------------------------------------------------------------------------
@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("param, low, high", [("vpn_price", 0.5, 1.5),
                                              ("user_penalty", 0.5, 3.0)])
def test_higher_cost_lowers_use(seed, param, low, high):
    m = aware_model(seed)
    assert use_share(m, **{param: high}) < use_share(m, **{param: low})


@pytest.mark.parametrize("seed", SEEDS)
def test_more_friction_lowers_use(seed):
    m = aware_model(seed)
    u = m.users
    view = m._channel_view()
    shares = []
    for extra in (0.0, 0.5, 2.0):
        u.decide(np.random.default_rng(7),
                 dataclasses.replace(view, friction=view.friction + extra), 0)
        shares.append(u.using.mean())
    assert shares[0] > shares[1] > shares[2]


@pytest.mark.parametrize("seed", SEEDS)
def test_scarcity_raises_friction_and_lowers_use(seed):
    """Fewer working providers in every channel: more friction, fewer users."""
    m = aware_model(seed)
    u, view = m.users, m._channel_view()
    u.decide(np.random.default_rng(7), view, 0)
    full = u.using.mean()
    u.decide(np.random.default_rng(7), dataclasses.replace(view, working=view.working // 2),
             0)
    assert u.using.mean() < full


@pytest.mark.parametrize("seed", SEEDS)
def test_habit_raises_persistence(seed):
    """After a price rise, users with a formed habit keep using more than users without."""
    m = aware_model(seed)
    u = m.users
    u.habit[:] = 0.0
    without = use_share(m, vpn_price=1.5)
    u.habit[:] = 1.0
    with_habit = use_share(m, vpn_price=1.5)
    assert with_habit > without
    # and habit does nothing when it carries no weight
    weightless_with_habit = use_share(m, vpn_price=1.5, habit_weight=0.0)
    u.habit[:] = 0.0
    assert use_share(m, vpn_price=1.5, habit_weight=0.0) == weightless_with_habit


def test_habit_follows_use():
    m = aware_model(1)
    u = m.users
    u.habit[:] = 0.5
    u.decide(np.random.default_rng(7), m._channel_view(), 0)
    assert np.all(u.habit[u.using] > 0.5) and np.all(u.habit[~u.using] < 0.5)


@pytest.mark.parametrize("seed", SEEDS)
def test_party_members_use_less_under_party_rules(seed):
    m = aware_model(seed, users=6000, party_member_share=0.3)
    u = m.users
    view = m._channel_view()

    def shares(rules, multiplier):
        u.party_rules = rules
        u.p = {**u.p, "party_penalty_multiplier": multiplier}
        u.habit[:] = 0.0
        u.decide(np.random.default_rng(7), view, 0)
        return u.using[u.party].mean(), u.using[~u.party].mean()

    party_off, others_off = shares(False, 4.0)
    party_on, others_on = shares(True, 4.0)
    assert party_on < party_off
    assert others_on == others_off                  # the rules concern Party members only
    assert shares(True, 1.0) == (party_off, others_off)   # no extra penalty, no change


def test_party_rules_switch_on_with_the_directive():
    m = model(1, users=300)
    assert not m.users.party_rules
    m.issue("party_member_rules")
    assert m.users.party_rules


# --- access ----------------------------------------------------------------------------------
def test_no_access_without_awareness():
    m = model(1)
    u = m.users
    u.aware[:] = False
    u.decide(np.random.default_rng(7), m._channel_view(), 0)
    assert not u.access.any() and not u.using.any()
    assert np.all(u.channel == NO_CHANNEL)


def test_no_access_without_working_channels():
    m = aware_model(1)
    u = m.users
    view = m._channel_view()
    u.decide(np.random.default_rng(7), dataclasses.replace(view, working=view.working * 0), 0)
    assert not u.access.any() and not u.using.any()


def test_use_implies_access_implies_awareness():
    m = model(1)
    u = m.users
    u.decide(np.random.default_rng(7), m._channel_view(), 0)
    assert u.using.any()
    assert np.all(u.access[u.using]) and np.all(u.aware[u.access])
    assert np.all(u.channel[u.access] >= 0) and np.all(u.channel[~u.access] == NO_CHANNEL)


def _only(view, name):
    working = np.zeros_like(view.working)
    working[CH[name]] = view.working[CH[name]]
    return dataclasses.replace(view, working=working)


def test_devices_decide_which_stores_they_reach():
    m = aware_model(1)
    u = m.users
    view = m._channel_view()
    u.decide(np.random.default_rng(7), view, 0)
    assert not np.any(u.channel[u.ios] == CH["domestic_store"])
    assert not np.any(u.channel[~u.ios] == CH["foreign_store"])

    u.decide(np.random.default_rng(7), _only(view, "domestic_store"), 0)
    assert not u.access[u.ios].any() and u.access[~u.ios].mean() > 0.5
    u.decide(np.random.default_rng(7), _only(view, "foreign_store"), 0)
    assert not u.access[~u.ios].any() and u.access[u.ios].mean() > 0.5


def test_skill_gates_hard_channels():
    m = aware_model(1)
    u = m.users
    view = _only(m._channel_view(), "foreign_cloud")
    u.decide(np.random.default_rng(7), view, 0)
    need = view.skill[CH["foreign_cloud"]]
    assert u.access.any()
    assert np.all(u.skill[u.access] >= need)


def test_the_least_frictional_channel_is_chosen():
    m = aware_model(1)
    u = m.users
    u.decide(np.random.default_rng(7), m._channel_view(), 0)
    # with every store intact, everyone with access uses an app store (lowest friction)
    assert set(np.unique(u.channel[u.access])) <= {CH["foreign_store"], CH["domestic_store"]}


def test_thin_channels_reach_fewer_users():
    m = aware_model(1)
    u = m.users
    view = _only(m._channel_view(), "offshore")
    reach = []
    for left in (40, 4, 1):
        working = view.working.copy()
        working[CH["offshore"]] = left
        u.decide(np.random.default_rng(7), dataclasses.replace(view, working=working), 0)
        reach.append(u.access.mean())
    assert reach[0] > reach[1] > reach[2] > 0


# --- detection and blocks --------------------------------------------------------------------
def test_detect_and_punish():
    m = model(1)
    u = m.users
    u.aware[:] = True
    u.decide(np.random.default_rng(7), m._channel_view(), 0)
    users_before = u.using.copy()
    n_using = int(users_before.sum())
    assert u.detect_and_punish(np.random.default_rng(1), 0.0, m.vpn.detectability, 5) == 0

    caught = u.detect_and_punish(np.random.default_rng(1), 1.0, np.ones(len(CHANNELS)), 5)
    assert caught == n_using == u.punished_total
    assert not u.using.any()
    assert np.all(u.perceived_risk[users_before] == 1.0)
    assert np.all(u.punished_day[users_before] == 5)
    assert np.all(u.punished_day[~users_before] < 0)
    states = u.states(5)
    assert np.all(states[users_before] == STATES.index("punished"))
    assert u.detect_and_punish(np.random.default_rng(1), 1.0, np.ones(len(CHANNELS)), 6) == 0
    # the punished stop that day; the next day they may decide to use again
    u.decide(np.random.default_rng(7), m._channel_view(), 5)
    assert not u.using[users_before].any()
    u.decide(np.random.default_rng(7), m._channel_view(), 6)
    assert u.using[users_before].any()


def test_detectable_channels_are_caught_more():
    m = aware_model(1, users=8000)
    u = m.users
    u.decide(np.random.default_rng(7), m._channel_view(), 0)
    ch = u.channel.copy()
    using = u.using.copy()
    det = np.zeros(len(CHANNELS))
    det[CH["domestic_store"]] = 1.0
    u.detect_and_punish(np.random.default_rng(1), 0.5, det, 0)
    caught = using & ~u.using
    assert caught[using & (ch == CH["domestic_store"])].mean() == pytest.approx(0.5, abs=0.06)
    assert using[ch == CH["foreign_store"]].any() and not caught[ch == CH["foreign_store"]].any()


@pytest.mark.parametrize("seed", SEEDS)
def test_service_blocked_raises_demand_and_awareness(seed):
    u = population(seed, initial_awareness=0.1)
    demand, aware = u.demand.copy(), u.aware.copy()
    u.service_blocked(np.random.default_rng(seed), 0.0)
    assert np.array_equal(u.demand, demand) and np.array_equal(u.aware, aware)
    u.service_blocked(np.random.default_rng(seed), 0.5)
    hit = u.demand > demand
    assert hit.mean() == pytest.approx(0.5, abs=0.03)
    assert np.allclose(u.demand[hit] - demand[hit], u.p["block_demand_boost"])
    assert u.aware.mean() > aware.mean() + 0.15
    assert np.all(u.aware[aware])                   # nobody forgets
    assert not np.any(u.aware[~hit] & ~aware[~hit])  # only users of the service learn


def test_service_block_raises_use():
    m = aware_model(1)
    before = use_share(m)
    m.users.service_blocked(np.random.default_rng(1), 1.0)
    assert use_share(m) > before


def test_states_partition_users():
    m = model(1, users=2000)
    for _ in range(20):
        m.step()
        codes = m.users.states(m.day)
        assert codes.min() >= 0 and codes.max() < len(STATES)
        counts = np.bincount(codes, minlength=len(STATES))
        assert counts.sum() == m.users.n
        assert counts[STATES.index("using")] == m.users.using.sum()
