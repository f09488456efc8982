"""Users: know-how, interest and fear spread on the network; installed VPNs and the search for
one; the two-stage use decision; learning by using; Party rules; detection; encouragement.

Every draw is keyed by (run, decision, day, user), so calling a rule twice with one parameter
changed compares the same users' same draws (common random numbers)."""

import numpy as np
import pytest

from model import PressureModel
from model.config.parameters import DEFAULTS, PROTOCOLS
from model.network import build_social_layer
from model.population.users import NO_PROVIDER, STATES, Users
from model.streams import Streams
from model.supply import CH
from model.supply.routes import ROUTES

SEEDS = (1, 2, 3)


def population(seed=0, **kw):
    p = dict(DEFAULTS)
    p.update(users=4000)
    p.update(kw)
    streams = Streams(seed)
    return Users(p, build_social_layer(p, streams.generator("network")), streams), streams


def model(seed=1, **kw):
    kw.setdefault("users", 4000)
    return PressureModel("china_2017", rng=seed, days=30, **kw)


def use_share(m, day=7, **params):
    """Share using after one decision under changed parameters (same keyed draws)."""
    u = m.users
    saved = u.p, u.using.copy(), dict(u._derived)
    u.p = {**u.p, **params}
    u._derived.clear()
    u.decide(m.streams, m.vpn, m.firewall.throttle, day)
    share = float(u.using.mean())
    u.p, u.using, u._derived = saved[0], saved[1], saved[2]
    return share


def interested_model(seed=1, **kw):
    """Everyone aware and interested, with a VPN found."""
    m = model(seed, **kw)
    u = m.users
    u.aware[:] = True
    u.interested[:] = True
    u.refresh_interest()
    u.search(m.streams, m.vpn, 0, draw_day=-5, effort=1.0)
    return m


# --- know-how, interest, fear ----------------------------------------------------------------
def _learned(seed, using_share, transmission):
    u, s = population(seed, initial_awareness=0.0, awareness_media_rate=0.0,
                      awareness_transmission=transmission)
    u.using[:] = np.random.default_rng(seed + 100).random(u.n) < using_share
    u.spread(s, 0.5, 0)
    return u.aware.mean()


@pytest.mark.parametrize("seed", SEEDS)
def test_know_how_spreads_faster_with_more_using_contacts_and_transmission(seed):
    assert _learned(seed, 0.0, 0.05) == 0.0
    assert _learned(seed, 0.3, 0.0) == 0.0
    assert _learned(seed, 0.1, 0.05) < _learned(seed, 0.5, 0.05)
    assert _learned(seed, 0.3, 0.01) < _learned(seed, 0.3, 0.1)


def test_media_teaches_without_contacts_at_its_daily_rate():
    u, s = population(0, initial_awareness=0.0, awareness_media_rate=0.01,
                      awareness_transmission=0.0)
    for day in range(30):
        u.spread(s, 0.5, day)
    assert u.aware.mean() == pytest.approx(1 - 0.99 ** 30, abs=0.02)


def test_know_how_is_never_forgotten():
    u, s = population(0, initial_awareness=0.5)
    before = u.aware.copy()
    u.spread(s, 0.5, 0)
    assert np.all(u.aware[before])


def test_interest_spreads_only_from_using_contacts_and_only_if_it_can():
    u, s = population(0, interest_share=0.0, interest_transmission=0.05)
    u.spread(s, 0.5, 0)
    assert not u.interested.any()                      # nobody uses: nobody to learn from
    u.using[:] = np.random.default_rng(1).random(u.n) < 0.3
    u.spread(s, 0.5, 1)
    gained = u.interested.mean()
    assert 0.0 < gained < 0.3 and np.all(u.has_interest[u.interested])
    v, s2 = population(0, interest_share=0.0, interest_transmission=0.0)
    v.using[:] = u.using
    v.spread(s2, 0.5, 1)
    assert not v.interested.any()


@pytest.mark.parametrize("seed", SEEDS)
def test_punished_contacts_raise_perceived_risk(seed):
    u, s = population(seed)
    u.punished_day[np.random.default_rng(seed).random(u.n) < 0.2] = 0
    calm, _ = population(seed)
    u.spread(s, 0.3, 0)
    calm.spread(s, 0.3, 0)
    assert u.perceived_risk.mean() > calm.perceived_risk.mean()
    recent = (0 - u.punished_day) < u.p["fear_memory_days"]
    saw = (u.social.adjacency @ recent.astype(float)) > 0
    assert u.perceived_risk[saw].mean() > u.perceived_risk[~saw].mean()


def test_perceived_risk_follows_intensity():
    low, s = population(0)
    high, _ = population(0)
    for day in range(30):
        low.spread(s, 0.1, day)
        high.spread(s, 0.9, day)
    assert high.perceived_risk.mean() > low.perceived_risk.mean()
    assert 0.0 <= low.perceived_risk.min() and high.perceived_risk.max() <= 1.0


# --- the first stage: interest ----------------------------------------------------------------
def test_no_interest_no_use_and_no_search():
    m = model(1)
    u = m.users
    u.aware[:] = True
    u.interested[:] = False
    u.attachment[:] = 0.0
    u.provider[:] = NO_PROVIDER
    u.refresh_interest()
    u.search(m.streams, m.vpn, 0, effort=1.0)
    assert not u.access.any()                          # nobody looked for a VPN
    u.interested[:] = True
    u.refresh_interest()
    u.search(m.streams, m.vpn, 0, effort=1.0)
    assert u.access.mean() > 0.5


def test_interest_share_sets_the_hurdle():
    u, _ = population(0, interest_share=0.15)
    assert u.interested.mean() == pytest.approx(0.15, abs=0.02)
    assert np.array_equal(u.has_interest, u.interested)


# --- the second stage: value against cost -------------------------------------------------------
@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("param, low, high", [("attention_cost", 0.1, 1.0),
                                              ("user_penalty", 0.5, 3.0)])
def test_higher_cost_lowers_use(seed, param, low, high):
    m = interested_model(seed)
    m.users.perceived_risk[:] = 0.3
    assert use_share(m, **{param: high}) < use_share(m, **{param: low})


@pytest.mark.parametrize("seed", SEEDS)
def test_more_value_raises_use(seed):
    m = interested_model(seed)
    low = use_share(m, demand_median=0.2)
    m.users.taste *= 3.0
    assert use_share(m, demand_median=0.2) > low


def test_price_and_friction_of_the_provider_class_enter_the_cost():
    m = interested_model(1)
    u, vpn = m.users, m.vpn
    has = np.flatnonzero(u.access)
    base = u.cost(vpn, m.firewall.throttle, has)
    vpn.price = vpn.price + 0.5
    assert np.allclose(u.cost(vpn, m.firewall.throttle, has), base + 0.5)
    throttled = u.cost(vpn, m.firewall.throttle + 1.0, has)
    assert np.all(throttled > base + 0.5)              # throttling adds friction


# --- learning by using ---------------------------------------------------------------------------
def test_experience_lowers_friction_and_attention_and_never_decays():
    m = interested_model(1)
    u = m.users
    has = np.flatnonzero(u.access)
    u.experience[:] = 0.0
    fresh = u.cost(m.vpn, m.firewall.throttle, has)
    u.experience[:] = 60.0
    seasoned = u.cost(m.vpn, m.firewall.throttle, has)
    assert np.all(seasoned < fresh)
    u.using[:] = False
    u.learn()
    assert np.all(u.experience == 60.0)                # no decay on days without use
    u.using[has] = True
    u.learn()
    assert np.all(u.experience[has] == 61.0)
    u.p = {**u.p, "learning_max": 0.0}
    assert np.allclose(u.cost(m.vpn, m.firewall.throttle, has), fresh)


def test_experienced_users_keep_using_after_a_cost_rise():
    m = interested_model(1)
    m.users.experience[:] = 0.0
    without = use_share(m, attention_cost=1.0)
    m.users.experience[:] = 200.0
    assert use_share(m, attention_cost=1.0) > without


@pytest.mark.parametrize("seed", SEEDS)
def test_party_members_use_less_under_party_rules(seed):
    m = interested_model(seed, users=6000, party_member_share=0.3)
    u = m.users
    u.perceived_risk[:] = 0.4

    def shares(rules, multiplier):
        u.party_rules = rules
        u.p = {**u.p, "party_penalty_multiplier": multiplier}
        u.decide(m.streams, m.vpn, m.firewall.throttle, 3)
        return u.using[u.party].mean(), u.using[~u.party].mean()

    party_off, others_off = shares(False, 4.0)
    party_on, others_on = shares(True, 4.0)
    assert party_on < party_off
    assert others_on == others_off
    assert shares(True, 1.0) == (party_off, others_off)


def test_party_rules_switch_on_with_the_directive():
    m = model(1, users=300)
    assert not m.users.party_rules
    m.issue("party_member_rules")
    assert m.users.party_rules


# --- access: installed VPNs and the search ---------------------------------------------------
def test_no_access_without_know_how_or_supply():
    m = model(1)
    u = m.users
    u.aware[:] = False
    u.provider[:] = NO_PROVIDER
    u.search(m.streams, m.vpn, 0, effort=1.0)
    assert not u.access.any()
    m2 = interested_model(1)
    m2.vpn.serving[:] = False
    m2.users.keep_up_installs(m2.streams, m2.vpn, 1)
    m2.users.search(m2.streams, m2.vpn, 1)
    assert not m2.users.access.any() and np.all(m2.users.provider == NO_PROVIDER)


def test_devices_and_skill_decide_what_can_be_found():
    m = interested_model(1)
    u = m.users
    ch = u.channels(m.vpn)
    assert not np.any(ch[u.ios] == CH["domestic_store"])
    assert not np.any(ch[~u.ios] == CH["foreign_store"])
    assert np.all(u.skill[u.access] >= m.vpn.skill[m.vpn.klass[u.provider[u.access]]])


def test_the_chance_of_finding_a_vpn_falls_smoothly_with_supply():
    m = interested_model(1)
    u, vpn = m.users, m.vpn
    u.provider[:] = NO_PROVIDER
    found = []
    rng = np.random.default_rng(0)
    order = rng.permutation(vpn.size)
    for left in (1.0, 0.5, 0.2, 0.1, 0.05, 0.02, 0.0):
        vpn.serving[:] = False
        vpn.serving[order[:int(left * vpn.size)]] = True
        u.provider[:] = NO_PROVIDER
        u.search(m.streams, vpn, 1, effort=1.0)
        found.append(u.access.mean())
    assert all(a >= b for a, b in zip(found, found[1:], strict=False))
    assert found[-1] == 0.0 and found[0] > 0.5
    # no cliff: access is still high when half the providers are gone
    assert found[1] > 0.8 * found[0]


def test_installed_apps_keep_working_after_the_store_removes_them():
    m = interested_model(1, installed_decay_rate=0.0)
    u, vpn = m.users, m.vpn
    store = vpn.channel == CH["foreign_store"]
    on_store = np.isin(u.provider, np.flatnonzero(store)) & u.access
    assert on_store.sum() > 50
    vpn.listed[store] = False
    u.keep_up_installs(m.streams, vpn, 1)
    u.search(m.streams, vpn, 1, effort=1.0)
    assert np.all(u.access[on_store])                  # still installed, still working


def test_delisted_apps_decay_for_users_who_cannot_update_them():
    m = interested_model(1, installed_decay_rate=0.1)
    u, vpn = m.users, m.vpn
    store = vpn.channel == CH["foreign_store"]
    on_store = np.isin(u.provider, np.flatnonzero(store))
    vpn.listed[store] = False
    for day in range(1, 31):
        u.keep_up_installs(m.streams, vpn, day)
    can = u.skill >= u.p["region_switch_skill"]
    kept = u.provider >= 0
    assert kept[on_store & can].all()                  # updated from another region's store
    assert kept[on_store & ~can].mean() == pytest.approx(0.9 ** 30, abs=0.05)


def test_skilled_ios_users_find_delisted_apps_in_another_regions_store():
    m = interested_model(1)
    u, vpn = m.users, m.vpn
    keep = vpn.channel == CH["foreign_store"]
    vpn.serving[~keep] = False                        # only foreign-store apps, all delisted
    vpn.listed[keep] = False
    u.provider[:] = NO_PROVIDER
    u.search(m.streams, vpn, 1, effort=1.0)
    assert u.findable.by_route()[ROUTES.index("foreign_store")] == 0
    assert u.findable.by_route()[ROUTES.index("foreign_store_abroad")] > 0
    skilled = u.skill >= u.p["region_switch_skill"]
    assert u.access[u.ios & skilled].mean() > 0.3
    assert not u.access[~u.ios].any() and not u.access[u.ios & ~skilled].any()


# --- detection and punishment ------------------------------------------------------------------
def test_detect_and_punish():
    m = interested_model(1)
    u = m.users
    u.using[:] = u.access
    before = u.using.copy()
    assert before.sum() > 100
    assert u.detect_and_punish(m.streams, 5, 0.0, m.vpn.detectability, m.vpn) == 0
    caught = u.detect_and_punish(m.streams, 5, 1.0, np.ones_like(m.vpn.detectability), m.vpn)
    assert caught == before.sum() == u.punished_total
    assert not u.using.any()
    assert np.all(u.perceived_risk[before] == 1.0) and np.all(u.punished_day[before] == 5)
    assert np.all(u.states(5)[before] == STATES.index("punished"))
    u.decide(m.streams, m.vpn, m.firewall.throttle, 5)
    assert not u.using[before].any()                  # not on the day of the punishment


def test_detectable_providers_are_caught_more():
    m = interested_model(1, users=8000)
    u, vpn = m.users, m.vpn
    u.using[:] = u.access
    ch = u.channels(vpn)
    det = np.zeros_like(vpn.detectability)
    det[np.arange(det.size) // len(PROTOCOLS) == CH["domestic_store"]] = 1.0
    using = u.using.copy()
    u.detect_and_punish(m.streams, 0, 0.5, det, vpn)
    caught = using & ~u.using
    assert caught[using & (ch == CH["domestic_store"])].mean() == pytest.approx(0.5, abs=0.08)
    assert not caught[ch == CH["foreign_store"]].any()


# --- encouragement --------------------------------------------------------------------------------
def test_encouragement_adds_value_to_treated_interested_users_while_it_lasts():
    u, s = population(0, interest_share=0.3)
    treated = u.encourage(s, "push", 0.5, 1.0, 0.0)
    assert treated.mean() == pytest.approx(0.5, abs=0.03)
    assert np.all(u.boost[treated & u.interested] == 1.0)
    assert np.all(u.boost[~treated | ~u.interested] == 0.0)   # no interest: nothing to add
    assert np.array_equal(u.has_interest, u.interested)
    u.end_encouragement("push")
    assert np.all(u.boost == 0.0)


def test_encouragement_can_give_interest_when_asked_to():
    u, s = population(0, interest_share=0.0)
    treated = u.encourage(s, "push", 0.5, 1.0, 0.4)
    assert u.interested[treated].mean() == pytest.approx(0.4, abs=0.04)
    assert not u.interested[~treated].any()


# --- read-outs --------------------------------------------------------------------------------------
def test_states_partition_users():
    m = model(1, users=2000)
    for _ in range(20):
        m.step()
        codes = m.users.states(m.day - 1)
        counts = np.bincount(codes, minlength=len(STATES))
        assert counts.sum() == m.users.n
        assert counts[STATES.index("using")] == m.users.using.sum()
