"""Business customers: cloud choice by price, quality, brand and regulatory risk, switching
costs, forced moves and policing by the cloud operator."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model import PressureModel
from model.config.parameters import DEFAULTS
from model.institutions.cloud import Cloud
from model.population.customers import BusinessCustomers
from model.streams import Streams


class StubCloud(Cloud):
    def __init__(self, index, price=1.0, quality=0.0, brand=0.0, foreign=False):
        self.init_cloud(index, price, quality, brand)
        self.foreign = foreign
        self.operating = True
        self.suspended_until = -1

    def suspended(self, day):
        return day <= self.suspended_until


def market(n=20_000, **kw):
    p = dict(DEFAULTS)
    p.update(business_customers=n)
    p.update(kw)
    return BusinessCustomers(p, np.random.default_rng(0))


def everyone(c):
    return np.ones(c.n, dtype=bool)


def shares_with(clouds, seed=1, intensity=0.5, **kw):
    c = market(**kw)
    c.choose(Streams(seed), clouds, intensity, everyone(c))
    return np.bincount(c.cloud, minlength=len(clouds)) / c.n


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_regulatory_risk_lowers_share(seed):
    twins = [StubCloud(0), StubCloud(1)]
    even = shares_with(twins, seed)
    assert even[0] == pytest.approx(0.5, abs=0.02)
    twins[0].event_risk = 0.3
    assert shares_with(twins, seed)[0] < even[0] - 0.1


def test_intensity_itself_enters_no_utility():
    """Enforcement reaches customers only through what they meet (7.19)."""
    clouds = [StubCloud(0, foreign=True), StubCloud(1)]
    c = market()
    assert np.array_equal(c.utilities(clouds, 0.0), c.utilities(clouds, 1.0))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_dearer_enterprise_line_keeps_multinationals_on_foreign_clouds(seed):
    clouds = [StubCloud(0, foreign=True), StubCloud(1)]

    def on_foreign(price):
        c = market(multinational_share=1.0, cross_border_value=1.0, enterprise_vpn_price=price)
        c.choose(Streams(seed), clouds, 0.5, everyone(c))
        return (c.cloud == 0).mean()

    shares = [on_foreign(p) for p in (0.0, 0.2, 1.0)]
    assert shares[0] < shares[1] < shares[2]
    assert shares[0] == pytest.approx(0.5, abs=0.03)       # a free line: clouds alike


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_security_reviews_move_reviewed_firms_off_foreign_clouds(seed):
    clouds = [StubCloud(0, foreign=True), StubCloud(1)]
    c = market(switching_cost=0.0, customer_review_rate=0.0)
    c.choose(Streams(seed), clouds, 0.5, everyone(c))
    before = (c.cloud == 0).mean()
    assert c.security_review(Streams(seed), 1, np.array([True, False]), 0.0) == 0
    reviewed = c.security_review(Streams(seed), 1, np.array([True, False]), 0.5)
    assert reviewed == pytest.approx(0.5 * before * c.n, rel=0.1)
    hit = c.review_risk > 0
    assert np.all(c.cloud[hit] == 0)
    c.review(Streams(seed), clouds, 0.5, 1)                 # the reviewed reconsider at once
    assert (c.cloud[hit] == 0).mean() < 0.9               # many reviewed firms leave
    assert (c.cloud == 0).mean() < before
    assert not c.reviewed.any()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_price_lowers_share(seed):
    shares = [shares_with([StubCloud(0, price=price), StubCloud(1)], seed)[0]
              for price in (0.8, 1.0, 1.3)]
    assert shares[0] > shares[1] > shares[2]


def test_quality_and_brand_raise_share():
    base = shares_with([StubCloud(0), StubCloud(1)])[0]
    assert shares_with([StubCloud(0, quality=0.5), StubCloud(1)])[0] > base
    assert shares_with([StubCloud(0, brand=0.5, foreign=True), StubCloud(1)])[0] > base


def test_brand_restriction_removes_brand_value():
    clouds = [StubCloud(0, brand=1.0, foreign=True), StubCloud(1)]
    c = market()
    free = c.utilities(clouds, 0.5)
    c.brand_penalty = 0.8
    restricted = c.utilities(clouds, 0.5)
    assert np.allclose(free[:, 0] - restricted[:, 0], 0.8)
    assert np.allclose(free[:, 1], restricted[:, 1])


def test_multinationals_prefer_foreign_clouds():
    clouds = [StubCloud(0, foreign=True), StubCloud(1)]
    c = market(multinational_share=0.5, cross_border_value=1.0, enterprise_vpn_price=0.5)
    c.choose(Streams(1), clouds, 0.5, everyone(c))
    assert (c.cloud[c.multinational] == 0).mean() > (c.cloud[~c.multinational] == 0).mean() + 0.15


def _moved(switching_cost, seed):
    clouds = [StubCloud(0, price=1.3), StubCloud(1, price=0.8)]
    c = market(switching_cost=switching_cost)
    c.cloud[:] = 0
    c.choose(Streams(seed), clouds, 0.5, everyone(c))
    return (c.cloud == 1).mean()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_switching_cost_slows_movement(seed):
    moved = [_moved(s, seed) for s in (0.0, 1.0, 3.0)]
    assert moved[0] > moved[1] > moved[2]


def test_only_reviewing_customers_move():
    clouds = [StubCloud(0, price=2.0), StubCloud(1, price=0.5)]
    c = market(customer_review_rate=0.1, switching_cost=0.0)
    c.cloud[:] = 0
    c.review(Streams(1), clouds, 0.5, 0)
    assert (c.cloud == 1).mean() == pytest.approx(0.1, abs=0.02)


def test_forced_customers_leave_a_closed_cloud():
    clouds = [StubCloud(0), StubCloud(1), StubCloud(2)]
    c = market(switching_cost=5.0, customer_review_rate=0.0)
    c.choose(Streams(1), clouds, 0.5, everyone(c))
    on0 = c.cloud == 0
    before = c.cloud.copy()
    clouds[0].operating = False
    c.forced |= on0
    c.review(Streams(2), clouds, 0.5, 0)
    assert c.count_on(0) == 0
    assert not c.forced.any()
    assert np.array_equal(c.cloud[~on0], before[~on0])   # nobody else reviews
    # nobody ever picks a closed cloud
    c.choose(Streams(3), clouds, 0.5, everyone(c))
    assert c.count_on(0) == 0


def test_a_forced_customer_with_nowhere_to_go_stays():
    """Shut down on the only cloud still open: no closed cloud is ever picked instead."""
    clouds = [StubCloud(0), StubCloud(1), StubCloud(2)]
    c = market(1000)
    c.cloud[:] = 2
    clouds[0].operating = clouds[1].operating = False
    c.forced[:] = True
    c.review(Streams(2), clouds, 0.5, 0)
    assert np.all(c.cloud == 2) and not c.forced.any()


def test_customers_of_a_closed_cloud_wait_until_a_cloud_takes_them():
    clouds = [StubCloud(0), StubCloud(1)]
    c = market(1000, customer_review_rate=0.0)
    c.cloud[:] = 0
    clouds[0].operating = False
    clouds[1].suspended_until = 3                 # the only other cloud takes nobody new
    c.forced[:] = True
    for day in range(4):
        c.review(Streams(day), clouds, 0.5, day)
        assert np.all(c.cloud == 0) and c.forced.all()
    c.review(Streams(9), clouds, 0.5, 4)
    assert np.all(c.cloud == 1) and not c.forced.any()


def test_forced_customers_leave_even_an_open_cloud():
    clouds = [StubCloud(0, price=0.5), StubCloud(1, price=1.5)]
    c = market(switching_cost=5.0)
    c.cloud[:] = 0
    c.forced[:5000] = True
    c.review(Streams(2), clouds, 0.5, 0)
    assert np.all(c.cloud[:5000] == 1)


def test_a_suspended_cloud_takes_no_new_customers_but_keeps_its_own():
    clouds = [StubCloud(0, price=0.5), StubCloud(1)]
    c = market(switching_cost=0.0)
    c.cloud[: c.n // 2] = 0
    c.cloud[c.n // 2:] = 1
    clouds[0].suspended_until = 10
    c.choose(Streams(1), clouds, 0.5, everyone(c), day=5)
    assert np.all(c.cloud[c.n // 2:] == 1)               # nobody new
    assert (c.cloud[: c.n // 2] == 0).mean() > 0.5       # the cheaper cloud keeps many
    c.choose(Streams(1), clouds, 0.5, everyone(c), day=11)
    assert (c.cloud[c.n // 2:] == 0).any()               # open again after the suspension


def test_model_close_cloud_moves_its_customers():
    m = PressureModel("china_2017", rng=1, users=200, days=5, foreign_ownership_cap=0.6)
    cloud = m.foreign_clouds[0]
    assert m.customers.count_on(cloud.index) > 0
    m.close_cloud(cloud)
    m._customers()
    assert m.customers.count_on(cloud.index) == 0
    assert not cloud.operating


def test_police_warns_first_and_shuts_on_second_find():
    clouds = [StubCloud(0), StubCloud(1)]
    c = market(circumvention_customer_share=0.2)
    c.choose(Streams(1), clouds, 0.5, everyone(c))
    hosts = c.hosts_circumvention & (c.cloud == 0)
    assert hosts.sum() > 100
    other = c.hosts_circumvention & (c.cloud == 1)

    assert c.police(Streams(2), 0, 0, 1.0, warning_compliance=0.0) == 0
    assert np.all(c.warned[hosts]) and not c.forced.any()
    assert np.all(c.hosts_circumvention[hosts])         # nobody heeded the warning

    shut = c.police(Streams(3), 0, 0, 1.0, warning_compliance=0.0)
    assert shut == hosts.sum()
    assert np.array_equal(c.forced, hosts)
    assert not c.hosts_circumvention[hosts].any()
    assert np.all(c.hosts_circumvention[other]) and not c.warned[other].any()


def test_warned_customers_who_comply_are_not_shut():
    clouds = [StubCloud(0), StubCloud(1)]
    c = market(circumvention_customer_share=0.2)
    c.choose(Streams(1), clouds, 0.5, everyone(c))
    before = c.circumventing_on(0)
    c.police(Streams(2), 0, 0, 1.0, warning_compliance=0.7)
    assert c.circumventing_on(0) == pytest.approx(0.3 * before, rel=0.15)
    assert c.police(Streams(3), 0, 0, 1.0, warning_compliance=0.7) == \
        pytest.approx(0.3 * before, rel=0.15)
    assert c.circumventing_on(0) == 0


def test_police_chance_sets_who_is_found():
    clouds = [StubCloud(0)]
    c = market(circumvention_customer_share=0.5)
    c.choose(Streams(1), clouds, 0.5, everyone(c))
    assert c.police(Streams(2), 0, 0, 0.0, 0.0) == 0 and not c.warned.any()
    c.police(Streams(2), 0, 0, 0.25, 0.0)
    assert c.warned.sum() / c.hosts_circumvention.sum() == pytest.approx(0.25, abs=0.03)


def test_warning_letters_reach_every_circumventing_customer():
    clouds = [StubCloud(0), StubCloud(1)]
    c = market(circumvention_customer_share=0.2)
    c.choose(Streams(1), clouds, 0.5, everyone(c))
    hosts = c.hosts_circumvention & (c.cloud == 0)
    c.warn_all(Streams(2), 0, 0, 1.0)
    assert np.all(c.warned[hosts]) and c.circumventing_on(0) == 0
    assert not c.warned[c.cloud == 1].any()


@settings(max_examples=50, deadline=None)
@given(seed=st.integers(0, 2**16), n=st.integers(10, 500), sigma=st.floats(0.0, 3.0),
       flags=st.lists(st.booleans(), min_size=1, max_size=6))
def test_shares_in_unit_interval(seed, n, sigma, flags):
    clouds = [StubCloud(k, foreign=f) for k, f in enumerate(flags)]
    c = market(n, customer_size_sigma=sigma)
    c.choose(Streams(seed), clouds, 0.5, everyone(c))
    f = np.array(flags)
    cust, rev = c.shares(f)
    assert 0.0 <= cust <= 1.0 and 0.0 <= rev <= 1.0
    assert cust == pytest.approx(np.isin(c.cloud, np.flatnonzero(f)).mean())
    if f.all():
        assert cust == rev == 1.0
    if not f.any():
        assert cust == rev == 0.0
