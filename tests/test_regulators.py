"""Regulators: effective intensity, adaptation, roles and duties, audits, user detection and
seller shutdowns."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model import PressureModel
from model.institutions.regulator import (ADAPTATION_BOUND, JURISDICTION, ROLES, Regulator, adapt, assign_roles,
                                          effective_intensity)
from model.institutions.sanctions import REVOCATION
from model.supply import CH

ALL_DUTIES = ("run_firewall", "shut_sellers", "detect_users", "review_customers")


def small(**kw):
    kw.setdefault("users", 300)
    kw.setdefault("days", 30)
    return PressureModel("china_2017", rng=kw.pop("seed", 1), **kw)


def with_duty(m, duty) -> Regulator:
    (reg,) = [r for r in m.regulators if duty in r.duties]
    return reg


# --- effective intensity and adaptation --------------------------------------------------------
def test_effective_intensity_multiplies_the_odds():
    # odds(0.4) = 2/3; x 1.5 = 1: intensity 0.5
    assert effective_intensity(0.4, 1.5, 0.0) == pytest.approx(0.5)
    assert effective_intensity(0.4, 1.0, np.log(1.5)) == pytest.approx(0.5)
    assert effective_intensity(0.4, 2.0, 0.0) > effective_intensity(0.4, 1.2, 0.0)
    assert effective_intensity(0.4, 1.0, 0.0) == pytest.approx(0.4)


def test_effective_intensity_reaches_its_ends_only_at_the_base_ends():
    """No clipping artefact: below base 1 intensity stays below 1 whatever the calendar, and
    the base lever moves it over its whole range."""
    assert effective_intensity(0.95, 1.2 * 1.15 * 1.6, 0.0) < 1.0
    assert effective_intensity(1.0, 1.0, -3.0) == 1.0 and effective_intensity(0.0, 5.0, 3.0) == 0.0
    levels = [effective_intensity(b, 2.2, 0.0) for b in (0.7, 0.8, 0.9, 0.99)]
    assert all(x < y for x, y in zip(levels, levels[1:], strict=False))


@given(base=st.floats(0, 1), factor=st.floats(1, 25), adaptation=st.floats(-1, 1))
def test_effective_intensity_in_unit_interval(base, factor, adaptation):
    assert 0.0 <= effective_intensity(base, factor, adaptation) <= 1.0


def test_adapt_moves_toward_and_away():
    assert adapt(0.0, 0.20, 0.05, 0.1) > 0.0          # too much use: push up
    assert adapt(0.0, 0.01, 0.05, 0.1) < 0.0          # use below tolerance: relax
    assert adapt(0.3, 0.05, 0.05, 0.1) == pytest.approx(0.3)
    assert adapt(0.0, 0.20, 0.05, 0.2) > adapt(0.0, 0.20, 0.05, 0.1)    # faster at higher rate
    assert adapt(0.0, 0.20, 0.05, 0.0) == 0.0
    bound = ADAPTATION_BOUND                          # log-odds: a factor of about 150
    assert adapt(bound - 0.01, 1.0, 0.01, 1.0) == bound
    assert adapt(-bound + 0.01, 0.0, 1.0, 1.0) == -bound


def test_adaptive_regulators_raise_intensity_when_use_is_high():
    runs = {}
    for rate in (0.0, 0.05):
        m = small(days=40, adaptation_rate=rate, adaptation_target_use=0.0, seed=3)
        for _ in range(40):
            m.step()
        runs[rate] = m
    assert runs[0.05].adaptation > 0.0 and runs[0.0].adaptation == 0.0
    assert runs[0.05].intensity > runs[0.0].intensity


# --- roles and duties ------------------------------------------------------------------------
@pytest.mark.parametrize("n", range(1, 7))
def test_assign_roles_covers_every_role_and_duty_once(n):
    assigned = assign_roles(n)
    assert len(assigned) == n
    roles = [r for rs, _ in assigned for r in rs]
    duties = [d for _, ds in assigned for d in ds]
    assert all(rs for rs, _ in assigned)                   # nobody without a role
    assert set(roles) == set(ROLES)
    if n <= len(ROLES):
        assert sorted(roles) == sorted(ROLES)              # shared out, none twice
    assert sorted(duties) == sorted(ALL_DUTIES)            # each duty run by exactly one
    for rs, ds in assigned:                                # and only by a holder of its role
        assert "run_firewall" not in ds or "telecom" in rs
        assert not {"shut_sellers", "detect_users"} & set(ds) or "public_security" in rs


@pytest.mark.parametrize("n", range(1, 7))
def test_model_regulators_oversee_every_directive(n):
    m = small(regulators=n)
    assert len(m.regulators) == n
    overseen = frozenset().union(*(r.jurisdiction for r in m.regulators))
    assert overseen == frozenset().union(*JURISDICTION.values())


# --- audits ----------------------------------------------------------------------------------
def test_capacity_grows_with_intensity():
    m = small(audit_capacity=2.0)
    reg = m.regulators[0]
    caps = []
    for intensity in (0.0, 0.3, 0.6, 1.0):
        m.intensity = intensity
        caps.append(reg.capacity)
    assert caps[0] == 0.0 and all(b > a for a, b in zip(caps, caps[1:]))
    assert caps[-1] == pytest.approx(2.0)


def _audits_made(intensity, days=200):
    m = small(audit_capacity=1.0)
    m.issue("remove_vpn_apps")
    m.intensity = intensity
    (reg,) = [r for r in m.regulators if "cyberspace" in r.roles]
    reg.refresh_targets()
    for _ in range(days):
        reg.audit()
    return reg.audits


def test_more_audits_at_higher_intensity():
    low, high = _audits_made(0.2), _audits_made(0.9)
    assert low == pytest.approx(0.2 * 200, abs=20)
    assert high == pytest.approx(0.9 * 200, abs=25)
    assert _audits_made(0.0) == 0


def test_an_order_is_not_audited_on_the_day_it_is_issued():
    m = small(audit_capacity=5.0, audit_detection_prob=1.0)
    m.issue("remove_vpn_apps")
    m.intensity = 1.0
    (reg,) = [r for r in m.regulators if "cyberspace" in r.roles]
    reg.refresh_targets()
    reg.audit()
    assert reg.audits > 0 and m.app_store.sanctions == 0
    m.day += 1
    reg.audit()
    assert m.app_store.sanctions > 0


def test_expected_audit_rate_grows_with_intensity_and_size():
    m = small(audit_capacity=1.0)
    m.issue("remove_vpn_apps")
    for r in m.regulators:
        r.refresh_targets()
    rates = []
    for intensity in (0.2, 0.5, 1.0):
        m.intensity = intensity
        rates.append(m.audit_rate(m.app_store))
    assert all(b > a for a, b in zip(rates, rates[1:]))
    assert m.audit_rate(m.foreign_clouds[0]) == 0.0       # under no order it oversees


def _audit_setup(seed):
    m = small(audit_capacity=1.0, audit_detection_prob=1.0, seed=seed)
    m.issue("remove_vpn_apps")                 # addressed to both app stores
    m.domestic_store.comply("remove_vpn_apps")
    m.day += 1                                 # audits look at orders from earlier days
    m.intensity = 1.0
    (reg,) = [r for r in m.regulators if "cyberspace" in r.roles]
    reg.refresh_targets()
    return m, reg


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_non_compliant_target_climbs_the_ladder(seed):
    m, reg = _audit_setup(seed)
    levels = [m.app_store.sanction_level]
    for _ in range(40):
        reg.audit()
        levels.append(m.app_store.sanction_level)
        if not m.app_store.operating:
            break
    steps = np.diff(levels)
    assert set(steps) <= {0, 1}                # one rung at a time
    assert levels[-1] == REVOCATION and not m.app_store.operating
    assert m.app_store.sanctions == REVOCATION == m.sanctions_total
    assert not m.vpn.open[CH["foreign_store"]]             # a revoked store takes its apps along
    # the compliant domestic store, audited as often, was never sanctioned
    assert m.domestic_store.sanction_level == 0 and m.domestic_store.sanctions == 0


def test_suspension_rung_sets_a_suspension():
    m, reg = _audit_setup(1)
    while m.app_store.sanction_level < 3:
        reg.audit()
    days = m.p["suspension_days"]
    suspended = [m.app_store.suspended(m.day + d) for d in range(days + 1)]
    assert suspended == [True] * days + [False]      # today and days - 1 more


def test_compliant_target_is_not_sanctioned():
    m, reg = _audit_setup(1)
    m.app_store.comply("remove_vpn_apps")
    for _ in range(50):
        reg.audit()
    assert reg.audits > 20
    assert m.app_store.sanction_level == 0 and m.sanctions_total == 0


def test_sanctions_raise_the_cloud_risk_customers_see():
    m = small(foreign_ownership_cap=0.6)
    cloud = m.foreign_clouds[0]
    before = cloud.event_risk
    cloud.sanction()
    assert cloud.event_risk == pytest.approx(before + m.p["sanction_risk"])


# --- duties ----------------------------------------------------------------------------------
def _punished(intensity, seed):
    m = small(users=4000, user_detection_rate=0.2, seed=seed)
    m.users.using[:] = m.users.access          # everyone with a working VPN uses it
    assert m.users.using.sum() > 200
    m.intensity = intensity                    # same keyed draws at both intensities
    with_duty(m, "detect_users").detect_users()
    return m.users.punished_total


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_user_detection_punishes_more_at_higher_intensity(seed):
    counts = [_punished(i, seed) for i in (0.0, 0.3, 1.0)]
    assert counts[0] == 0
    assert counts[1] < counts[2]


def test_seller_shutdowns_only_once_ordered():
    m = small(seller_shutdown_rate=0.5)
    m.intensity = 1.0
    reg = with_duty(m, "shut_sellers")
    sellers = m.vpn.channel_mask("domestic_commercial")
    n0 = int(m.vpn.serving[sellers].sum())
    for _ in range(5):
        reg.shut_sellers()
        m.day += 1
    assert int(m.vpn.serving[sellers].sum()) == n0
    m.issue("shut_domestic_vpns")
    for _ in range(5):
        reg.shut_sellers()
        m.day += 1
    left = int(m.vpn.serving[sellers].sum())
    assert left < 0.2 * n0
    assert m.vpn.serving[~sellers].all()        # no other channel touched


def test_seller_shutdowns_scale_with_intensity():
    left = {}
    for intensity in (0.2, 1.0):
        m = small(seller_shutdown_rate=0.3)
        m.issue("shut_domestic_vpns")
        m.intensity = intensity                 # the same keyed draws at both intensities
        with_duty(m, "shut_sellers").shut_sellers()
        left[intensity] = int(m.vpn.serving[m.vpn.channel_mask("domestic_commercial")].sum())
    assert left[1.0] < left[0.2]


def test_probing_blocks_more_in_sensitive_periods():
    blocked = {}
    for mult in (1.0, 3.0):
        m = small(sensitive_multiplier=mult, start_date="2017-03-03", wave_rate=0.0,
                  plain_discovery_rate=0.05)
        assert m.calendar.sensitive(0) == (mult > 1.0)
        m.intensity = 0.5
        m.day = 5                               # past every probing delay
        with_duty(m, "run_firewall").run_firewall()
        blocked[mult] = int((m.vpn.blocked_until >= 5).sum())
    assert blocked[3.0] > blocked[1.0] > 0


def test_adaptive_regulators_tighten_while_use_is_high_and_relax_after():
    """The adaptive term climbs while observed use is above target and falls after; the calendar
    (laws, sensitive periods) moves the day's intensity too, so the adaptive term is what is
    compared, and the intensity itself must stay inside the open interval."""
    m = small(adaptation_rate=0.05, adaptation_target_use=0.05, days=120)
    path = iter([0.15] * 40 + [0.01] * 79)                 # scripted observed use
    m.observed_use = lambda: next(path)
    m.step()
    start = m.adaptation
    levels, intensities, factors = [], [], []
    while m.running:
        m.step()
        levels.append(m.adaptation)
        intensities.append(m.intensity)
        factors.append(m.calendar.multiplier(m.day - 1))
    high, low = levels[:39], levels[40:]
    assert all(b >= a for a, b in zip(high, high[1:], strict=False)) and high[-1] > start + 0.5
    assert all(b <= a for a, b in zip(low, low[1:], strict=False)) and low[-1] < high[-1] - 0.5
    # on days the calendar leaves alone, the intensity itself moves the same way
    steady = [(i, j) for i, j in zip(range(len(factors)), range(1, len(factors)), strict=False)
              if factors[i] == factors[j]]
    for i, j in steady:
        rising = j < 39
        falling = i >= 40
        if rising:
            assert intensities[j] >= intensities[i]
        elif falling:
            assert intensities[j] <= intensities[i]
    assert sum(1 for i, j in steady if i >= 40) > 30          # the check is not vacuous
    assert 0.0 < min(intensities) and max(intensities) < 1.0   # no pinning at an end
