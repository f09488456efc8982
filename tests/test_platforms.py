"""Foreign platforms, local partners and domestic platforms: comply, resist, exit, remove,
police their customers."""

import datetime as dt

import numpy as np
import pytest

from model import PressureModel
from model.institutions.regulated import COMPLIED, PENDING
from model.supply import CH
from model.supply.entry import enter
from model.supply.routes import ROUTES


def small(seed=1, **kw):
    kw.setdefault("users", 300)
    kw.setdefault("days", 60)
    return PressureModel("china_2017", rng=seed, **kw)


def under_order(m, action, intensity):
    """Issue `action` at a given effective intensity, with audit targets refreshed."""
    m.issue(action)
    m.intensity = intensity
    for r in m.regulators:
        r.refresh_targets()


def compliance_rate(m, platform, action, trials=400):
    """Share of firms like this one (each with a resolve of its own) that comply on the day:
    P(resolve < leaning) x speed x leaning."""
    done = 0
    for _ in range(trials):
        platform.obligations[action] = PENDING
        platform._resolve.clear()
        platform.decide()
        done += platform.complied(action)
    platform.obligations[action] = PENDING
    return done / trials


# --- the foreign app store and clouds weigh sanctions against costs ---------------------------
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_complies_faster_when_expected_sanctions_are_higher(seed):
    rates = {}
    for intensity in (0.05, 0.1, 0.6):
        m = small(seed)
        under_order(m, "remove_vpn_apps", intensity)
        m.app_store.reputation_cost = m.p["reputation_cost"]      # the median firm
        rates[intensity] = (compliance_rate(m, m.app_store, "remove_vpn_apps"),
                            m.app_store.resistance_cost())
    assert rates[0.05][1] < rates[0.1][1] < rates[0.6][1]
    assert rates[0.05][0] < rates[0.1][0] < rates[0.6][0]
    assert rates[0.6][0] > 0.4


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_resists_when_reputation_cost_is_high(seed):
    m = small(seed)
    under_order(m, "remove_vpn_apps", 0.6)
    store = m.app_store
    store.reputation_cost = 0.001
    assert store.stance("remove_vpn_apps") == "delaying"
    eager = compliance_rate(m, store, "remove_vpn_apps")
    store.reputation_cost = 2.0
    assert store.stance("remove_vpn_apps") == "resisting"
    assert compliance_rate(m, store, "remove_vpn_apps") < eager / 5


def test_no_audits_no_compliance():
    m = small()
    under_order(m, "remove_vpn_apps", 0.0)
    assert m.app_store.resistance_cost() == 0.0
    assert compliance_rate(m, m.app_store, "remove_vpn_apps", trials=50) == 0.0


def test_peers_complying_lowers_the_cost_of_complying():
    m = small(foreign_ownership_cap=0.6)
    under_order(m, "data_localization", 0.5)
    store, (a, b) = m.app_store, m.foreign_clouds
    alone = store.compliance_cost("data_localization")
    a.comply("data_localization")
    b.comply("data_localization")
    assert m.peer_compliance(store, "data_localization") == 1.0
    assert store.compliance_cost("data_localization") < alone


def _exits(reputation_cost, intensity, pending=True, seed=1):
    m = small(seed, exit_rate=1.0)
    if pending:
        under_order(m, "remove_vpn_apps", intensity)
    else:
        m.intensity = intensity
    m.app_store.reputation_cost = reputation_cost
    m.app_store.consider_exit()
    return m


def test_exits_when_staying_costs_more_than_china_profit():
    m = _exits(reputation_cost=2.0, intensity=1.0)
    store = m.app_store
    assert min(store.resistance_cost(), store.compliance_cost("remove_vpn_apps")) \
        > store.china_profit()
    assert not store.operating
    assert not m.vpn.open[CH["foreign_store"]]             # its listings are gone for good
    assert m.vpn.listed_counts()[CH["foreign_store"]] == 0
    assert m.measure()["foreign_platforms_active"] == 2


@pytest.mark.parametrize("kw", [dict(reputation_cost=0.001, intensity=1.0),   # complying is cheap
                                dict(reputation_cost=2.0, intensity=0.02),    # resisting is cheap
                                dict(reputation_cost=2.0, intensity=1.0, pending=False)])
def test_stays_when_the_china_business_pays(kw):
    m = _exits(**kw)
    assert m.app_store.operating and m.vpn.open[CH["foreign_store"]]


def test_exit_rate_sets_how_soon():
    m = small(exit_rate=0.0)
    under_order(m, "remove_vpn_apps", 1.0)
    m.app_store.reputation_cost = 2.0
    for _ in range(50):
        m.app_store.consider_exit()
    assert m.app_store.operating


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_app_store_removes_listings_after_complying(seed):
    # at the schema's removal rate, 0.15 a day (the calibrated 2017 rate is far slower)
    m = small(seed, days=60, store_removal_rate=0.15)
    m.issue("remove_vpn_apps")
    for _ in range(5):                          # ordered but not complied: nothing removed
        m.app_store.act()
    assert m.vpn.listed_counts()[CH["foreign_store"]] == m.vpn.initial[CH["foreign_store"]]
    m.app_store.comply("remove_vpn_apps")
    for _ in range(14):
        m.step()
    left = m.vpn.listed_counts()[CH["foreign_store"]] / m.vpn.initial[CH["foreign_store"]]
    assert left < 0.2
    assert m.app_store.operating


def test_a_suspended_store_serves_no_downloads():
    m = small()
    m.app_store.suspended_until = m.day + 5
    store = ROUTES.index("foreign_store")
    assert m.findable().by_route()[store] == 0
    assert m.vpn.listed_counts()[CH["foreign_store"]] > 0    # listed, not downloadable
    m.app_store.suspended_until = -1
    assert m.findable().by_route()[store] > 0


# --- local partners ------------------------------------------------------------------------
def test_every_foreign_cloud_has_a_partner_below_the_cap():
    m = small(foreign_ownership_cap=0.49)
    assert len(m.partners) == len(m.foreign_clouds) == m.p["foreign_clouds"]
    for cloud, partner in zip(m.foreign_clouds, m.partners, strict=True):
        assert cloud.partner is partner and partner.cloud is cloud
        assert partner in m.regulated and partner.foreign


def test_partner_complies_at_once_and_sends_warning_letters():
    m = small(foreign_ownership_cap=0.49, circumvention_customer_share=0.3)
    cloud, partner = m.foreign_clouds[0], m.partners[0]
    hosts = (m.customers.cloud == cloud.index) & m.customers.hosts_circumvention
    assert hosts.sum() > 5
    risk = cloud.event_risk
    m.issue("ban_cloud_circumvention")
    assert partner.obligations == {"ban_cloud_circumvention": COMPLIED}
    assert "ban_cloud_circumvention" not in cloud.obligations   # addressed to the partner
    assert np.all(m.customers.warned[hosts])
    assert m.customers.circumventing_on(cloud.index) < hosts.sum()
    assert cloud.event_risk == pytest.approx(risk + m.p["warning_risk"])


def _partner_effort(intensity, **kw):
    m = small(foreign_ownership_cap=0.49, **kw)
    under_order(m, "ban_cloud_circumvention", intensity)
    for partner in m.partners:
        partner.step()
    return [p.effort for p in m.partners]


def test_partner_effort_rises_with_enforcement_intensity():
    efforts = np.array([_partner_effort(i) for i in (0.0, 0.1, 0.3, 0.8)])  # [intensity, partner]
    assert np.all(efforts[0] == 0.0)
    assert np.all(np.diff(efforts, axis=0) > 0.0)
    assert np.all(efforts <= 1.0)


def test_partner_effort_falls_with_monitoring_cost():
    assert _partner_effort(0.3, monitoring_cost=2.0)[0] < _partner_effort(0.3)[0]


def test_no_effort_without_the_ban():
    m = small(foreign_ownership_cap=0.49)
    m.intensity = 1.0
    m.partners[0].step()
    assert m.partners[0].effort == 0.0


def test_partner_monitoring_removes_servers_on_its_cloud():
    m = small(foreign_ownership_cap=0.49, partner_detection_rate=1.0, monitoring_cost=0.01)
    under_order(m, "ban_cloud_circumvention", 1.0)
    cloud, partner = m.foreign_clouds[0], m.partners[0]
    on_cloud = m.vpn.host == cloud.index
    assert m.vpn.serving[on_cloud].any()
    partner.step()
    assert partner.effort == 1.0
    assert not m.vpn.serving[on_cloud].any()
    assert m.customers_shut_down_total >= on_cloud.sum()


def test_partner_violation_falls_with_effort():
    m = small(foreign_ownership_cap=0.49)
    m.issue("ban_cloud_circumvention")
    partner = m.partners[0]
    partner.effort = 0.0
    lazy = partner.violation_probability("ban_cloud_circumvention", 0.6)
    partner.effort = 0.8
    assert lazy == pytest.approx(0.6)
    assert partner.violation_probability("ban_cloud_circumvention", 0.6) == pytest.approx(0.12)


def test_at_or_above_the_cap_the_cloud_itself_is_addressed():
    m = small(foreign_ownership_cap=0.5)
    assert m.partners == []
    m.issue("ban_cloud_circumvention")
    for cloud in m.foreign_clouds:
        assert cloud.partner is None
        assert cloud.obligations.get("ban_cloud_circumvention") == PENDING
        assert cloud.monitoring_effort() == 0.0                  # polices only once complied
    m.intensity = 1.0
    for r in m.regulators:
        r.refresh_targets()
    cloud = m.foreign_clouds[0]
    cloud.comply("ban_cloud_circumvention")
    assert cloud.monitoring_effort() > 0.0


def test_partner_takeover_on_exit_turns_the_cloud_domestic():
    m = small(foreign_ownership_cap=0.49, takeover_probability=1.0)
    for _ in range(3):
        m.step()
    cloud, partner = m.foreign_clouds[0], m.partners[0]
    customers = m.customers.count_on(cloud.index)
    before = m.measure()
    cloud.withdraw()
    after = m.measure()
    assert cloud.operating and not cloud.foreign and cloud.taken_over_by is partner
    assert not partner.foreign and partner.operating
    assert cloud.brand == 0.0 and cloud.obligations == {}
    assert cloud.price == m.p["domestic_price"]              # run and priced as domestic
    assert m.customers.count_on(cloud.index) == customers     # customers stay, now domestic
    assert not m.customers.forced.any()
    assert after["foreign_cloud_share"] == pytest.approx(
        before["foreign_cloud_share"] - customers / m.customers.n)
    assert after["foreign_platforms_active"] == before["foreign_platforms_active"] - 1
    assert cloud.perceived_risk() == cloud.event_risk


def test_exit_without_takeover_closes_the_cloud():
    m = small(foreign_ownership_cap=0.49, takeover_probability=0.0)
    cloud, partner = m.foreign_clouds[0], m.partners[0]
    servers = m.vpn.host == cloud.index
    cloud.withdraw()
    assert not cloud.operating and not partner.operating
    assert not m.vpn.serving[servers].any()
    m._customers()
    assert m.customers.count_on(cloud.index) == 0


def test_revoked_partner_closes_its_cloud():
    m = small(foreign_ownership_cap=0.49)
    cloud, partner = m.foreign_clouds[0], m.partners[0]
    for _ in range(4):
        partner.sanction()
    assert not partner.operating and not cloud.operating
    m._customers()
    assert m.customers.count_on(cloud.index) == 0


# --- domestic platforms --------------------------------------------------------------------
def test_revoked_domestic_cloud_closes():
    m = small()
    giant = next(c for c in m.clouds if not c.foreign)
    servers = m.vpn.host == giant.index
    assert servers.any() and m.customers.count_on(giant.index) > 0
    for _ in range(4):
        giant.sanction()
    assert not giant.operating
    assert not m.vpn.serving[servers].any()              # its servers went dark
    m._customers()
    assert m.customers.count_on(giant.index) == 0       # its customers moved


def test_revoked_domestic_store_takes_its_listings_along():
    m = small()
    for _ in range(4):
        m.domestic_store.sanction()
    assert not m.domestic_store.operating
    assert m.vpn.listed_counts()[CH["domestic_store"]] == 0
    enter(m.streams, m.vpn, 1, 1.0, 1.0, np.zeros(3, dtype=bool), m._host_lists())
    assert m.vpn.listed_counts()[CH["domestic_store"]] == 0   # no entrant in a closed store


def _days_to_comply(speed, seed):
    m = small(seed, domestic_compliance_speed=speed)
    m.issue("remove_vpn_apps")
    for d in range(1, 200):
        m.domestic_store.step()
        if m.domestic_store.complied("remove_vpn_apps"):
            return d
    return 200


def test_domestic_platforms_comply_quickly():
    fast = [_days_to_comply(0.9, s) for s in range(20)]
    slow = [_days_to_comply(0.1, s) for s in range(20)]
    assert max(fast) <= 3 and np.mean(fast) < 1.5
    assert np.mean(slow) > 3 * np.mean(fast)


def test_domestic_store_removes_listings_once_complied():
    m = small()
    m.issue("remove_vpn_apps")
    initial = m.vpn.initial[CH["domestic_store"]]
    for _ in range(10):
        m.domestic_store.step()
        m.day += 1                    # removal draws are keyed by day: one chance a day
    assert m.domestic_store.complied("remove_vpn_apps")
    assert m.vpn.listed_counts()[CH["domestic_store"]] < 0.1 * initial


def test_domestic_cloud_warns_and_polices_once_complied():
    m = small(domestic_compliance_speed=1.0, circumvention_customer_share=0.3)
    giant = next(c for c in m.clouds if not c.foreign)
    risk = giant.event_risk
    hosts = (m.customers.cloud == giant.index) & m.customers.hosts_circumvention
    servers = m.vpn.host == giant.index
    m.issue("ban_cloud_circumvention")
    assert giant.obligations["ban_cloud_circumvention"] == PENDING
    for _ in range(15):
        giant.step()
        m.day += 1
    assert giant.complied("ban_cloud_circumvention")
    assert giant.event_risk > risk
    assert np.all(m.customers.warned[hosts])
    assert m.vpn.serving[servers].sum() < 0.1 * servers.sum()


def test_domestic_platforms_are_not_addressed_by_foreign_directives():
    m = small()
    m.issue("data_localization")
    assert "data_localization" not in m.domestic_store.obligations
    assert all("data_localization" not in c.obligations for c in m.clouds if not c.foreign)
    assert m.app_store.obligations.get("data_localization") == PENDING


# --- voluntary restructuring: the asset sale -------------------------------------------------
def test_the_2017_asset_sale_keeps_the_cloud_operating_through_its_partner_who_owns_the_assets():
    m = PressureModel("china_2017", rng=4, users=300, end_date=dt.date(2017, 11, 20))
    cloud = m.foreign_clouds[0]
    active = []
    while m.running:
        m.step()
        active.append(m.recorder.latest("foreign_platforms_active"))
        if m.calendar.date(m.day - 1) == dt.date(2017, 11, 9):
            assert cloud.assets_owner is None              # not before the sale
    assert cloud.assets_owner is cloud.partner and cloud.partner.operating
    assert cloud.operating and cloud.foreign and cloud.taken_over_by is None
    assert m.foreign_clouds[1].assets_owner is None      # the sale was AWS's alone
    assert active[-1] == active[0]                         # foreign platforms stayed


def test_a_partner_that_owns_the_assets_takes_over_for_certain():
    m = small(takeover_probability=0.0)
    sold, kept = m.foreign_clouds
    assert sold.sell_assets()
    sold.withdraw()
    kept.withdraw()
    assert sold.operating and sold.taken_over_by is sold.partner and not sold.foreign
    assert not kept.operating                               # no sale: at 0, it closes


def test_without_a_partner_there_is_no_one_to_sell_to():
    m = small(foreign_ownership_cap=1.0)
    assert not m.foreign_clouds[0].sell_assets() and m.foreign_clouds[0].assets_owner is None


# --- the partner requirement matters -----------------------------------------------------------
def _hosted(scenario, seeds=range(6), **kw):
    import model
    return np.array([model.simulate(seed=s, scenario=scenario, users=1000, **kw)
                     ["foreign_cloud_circumvention_mean"] for s in seeds])


def test_partners_monitoring_cuts_the_circumvention_foreign_clouds_host():
    """With the partner requirement, a licensed partner polices the foreign cloud at once (its
    licence at stake); without it the foreign cloud decides for itself and polices later and
    less. Monitoring is what makes the difference: priced out of reach, the gap goes."""
    partnered, alone = _hosted("china_2017"), _hosted("no_partner_requirement")
    d = partnered - alone
    assert d.mean() < 0 and d.mean() / (d.std(ddof=1) / np.sqrt(d.size)) < -3
    unmonitored = _hosted("china_2017", monitoring_cost=100.0)
    assert (unmonitored > partnered).all()
