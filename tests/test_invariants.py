"""Invariants that hold after every step of any small model (hypothesis)."""

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from model import METRIC_NAMES, PressureModel
from model.outcomes import OPTIONAL_METRICS
from model.population.users import STATES

SHARES = ("effective_intensity", "vpn_availability", "vpn_interested", "vpn_aware",
          "vpn_access", "vpn_use", "vpn_installed_delisted", "service_domestic_share",
          "blocked_service_reach",
          "foreign_cloud_share", "domestic_cloud_share", "foreign_cloud_revenue_share",
          "domestic_cloud_revenue_share", "foreign_compliance", "partner_monitoring_effort",
          "mean_perceived_risk")
CUMULATIVE = ("sanctions_total", "users_punished_total", "customers_shut_down_total")

models = st.fixed_dictionaries(
    {"users": st.integers(50, 400),
     "days": st.integers(10, 60),
     "enforcement_intensity": st.floats(0.0, 1.0),
     "network_kind": st.sampled_from(["small_world", "scale_free"]),
     "mean_degree": st.sampled_from([4.0, 7.0, 10.0]),
     "foreign_ownership_cap": st.sampled_from([0.3, 0.6]),
     "business_customers": st.integers(20, 300),
     "reactive_directives": st.booleans()},
    optional={"adaptation_rate": st.floats(0.0, 0.2),
              "user_detection_rate": st.floats(0.0, 0.05),
              "audit_capacity": st.floats(0.0, 5.0),
              "exit_rate": st.floats(0.0, 1.0),
              "start_date": st.sampled_from(["2017-07-20", "2017-09-10"])})


def check_step(m, previous):
    n = m.users.n
    codes = m.users.states(m.day)
    counts = np.bincount(codes, minlength=len(STATES))
    assert counts.size == len(STATES) and counts.sum() == n           # no user lost
    assert counts[STATES.index("using")] == m.users.using.sum()

    values = m.measure()
    assert set(values) == set(METRIC_NAMES)
    assert all(np.isfinite(v) for k, v in values.items() if k not in OPTIONAL_METRICS)
    for name in SHARES:
        if np.isnan(values[name]) and name in OPTIONAL_METRICS:
            continue
        assert -1e-12 <= values[name] <= 1.0 + 1e-12, (name, values[name])
    assert abs(values["foreign_cloud_share"] + values["domestic_cloud_share"] - 1.0) < 1e-9
    assert abs(values["foreign_cloud_revenue_share"]
               + values["domestic_cloud_revenue_share"] - 1.0) < 1e-9
    assert values["vpn_use"] <= values["vpn_access"] <= values["vpn_aware"]

    u = m.users
    assert np.all((u.perceived_risk >= 0.0) & (u.perceived_risk <= 1.0))
    assert np.all(u.experience >= 0.0) and np.all(u.experience <= m.day + 3 * u.p[
        "learning_days"])                            # one day of know-how per day of use
    assert np.all(u.access[u.using]) and np.all(u.aware[u.access])
    assert np.all(u.has_interest[u.using])           # the hurdle: no interest, no use
    vpn = m.vpn
    today = m.day - 1                                # the day just simulated
    works = vpn.works(today)
    assert np.all(u.provider[u.access] >= 0) and np.all(works[u.provider[u.access]])
    assert np.all(u.provider < vpn.size)

    assert not (vpn.listed & np.isin(vpn.channel, np.flatnonzero(~vpn.open))
                & vpn.is_store()).any()              # a closed store lists nothing
    assert np.all(vpn.protocol[vpn.wave_blocked] >= 0)
    assert not (vpn.wave_blocked & ~m.firewall.in_wave(today)[vpn.protocol]).any()

    market = m.services                              # counts follow the choices
    chosen = market.choice[market.choice >= 0]
    assert np.array_equal(market.counts, np.bincount(chosen, minlength=market.size))
    assert np.array_equal(market.contacts, market._count_contacts(np.arange(n)))
    assert np.all(market.category_of[np.maximum(market.choice, 0)][market.choice >= 0]
                  == np.nonzero(market.choice >= 0)[1])

    c = m.customers               # every firm on an operating cloud, or due to move off it
    assert np.all(c.cloud >= 0)
    operating = np.array([cl.operating for cl in m.clouds])
    assert np.array_equal(c.forced, ~operating[c.cloud])

    for e in m.regulated:
        assert 0 <= e.sanction_level <= 4

    for name in CUMULATIVE:
        assert values[name] >= previous.get(name, 0)
        previous[name] = values[name]
    assert m.recorder.latest("vpn_use") == values["vpn_use"]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(params=models, seed=st.integers(0, 2**32 - 1))
def test_invariants_hold_every_day(params, seed):
    m = PressureModel("china_2017", rng=seed, **params)
    previous: dict[str, float] = {}
    steps = 0
    while m.running:
        m.step()
        steps += 1
        check_step(m, previous)
    assert steps == params["days"] == m.day
    assert m.recorder.recorded == params["days"]
    m.step()                                         # past the horizon: nothing happens
    assert m.day == params["days"] and not m.running


@settings(max_examples=10, deadline=None)
@given(params=models, seed=st.integers(0, 2**16))
def test_same_seed_same_run(params, seed):
    params = {**params, "days": min(params["days"], 20)}
    runs = []
    for _ in range(2):
        m = PressureModel("china_2017", rng=seed, **params)
        while m.running:
            m.step()
        runs.append(m.recorder.frame(m.p["start_date"]))
    assert runs[0].equals(runs[1])
