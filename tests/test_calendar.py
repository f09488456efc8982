"""The calendar: laws, sensitive periods, directives and service blocks as per-day arrays."""

import datetime as dt

import numpy as np
import pytest

from model import PressureModel, ScenarioError, load_scenario
from model.calendar import Calendar
from model.config.events import Event

START = dt.date(2017, 1, 1)


def day(n: int) -> dt.date:
    return START + dt.timedelta(days=n)


def law(n, mult=None, id="law"):
    return Event(id=id, date=day(n), kind="law", label=id, multiplier=mult)


def period(first, last, mult=None, id="period"):
    return Event(id=id, date=day(first), kind="sensitive_period", label=id, end=day(last),
                 multiplier=mult)


def directive(n, action="remove_vpn_apps"):
    return Event(id=f"d{n}{action}", date=day(n), kind="directive", label=action, action=action)


def block(n, popularity=0.1):
    return Event(id=f"b{n}", date=day(n), kind="block_service", label="block",
                 popularity=popularity)


def cal(*events, days=30, law_mult=1.15, sens_mult=1.5):
    return Calendar(tuple(events), START, days, law_mult, sens_mult)


def test_no_events_no_change():
    c = cal()
    assert all(c.multiplier(d) == 1.0 for d in range(30))
    assert not any(c.sensitive(d) for d in range(30))
    assert all(c.due(d) == [] for d in range(30))


def test_law_multiplies_from_its_date_on():
    c = cal(law(10, 1.2))
    assert np.all(c.law_factor[:10] == 1.0)
    assert np.allclose(c.law_factor[10:], 1.2)
    assert c.multiplier(9) == 1.0 and c.multiplier(10) == pytest.approx(1.2)
    assert c.multiplier(29) == pytest.approx(1.2)        # a law stays in force


def test_law_without_multiplier_uses_default_and_laws_compound():
    c = cal(law(5, id="a"), law(15, 1.2, id="b"), law_mult=1.1)
    assert c.multiplier(4) == 1.0
    assert c.multiplier(5) == pytest.approx(1.1)
    assert c.multiplier(20) == pytest.approx(1.1 * 1.2)


def test_sensitive_period_only_within_its_window():
    c = cal(period(5, 9, 2.0))
    inside = [d for d in range(30) if c.sensitive(d)]
    assert inside == [5, 6, 7, 8, 9]                       # end day included
    assert c.multiplier(4) == 1.0 and c.multiplier(10) == 1.0
    assert c.multiplier(7) == pytest.approx(2.0)


def test_overlapping_periods_take_the_max_not_the_product():
    c = cal(period(5, 15, 1.5, id="a"), period(10, 20, 2.0, id="b"))
    assert c.multiplier(7) == pytest.approx(1.5)
    assert c.multiplier(12) == pytest.approx(2.0)
    assert c.multiplier(18) == pytest.approx(2.0)
    c2 = cal(period(5, 15, 2.0, id="a"), period(10, 20, 1.5, id="b"))   # order irrelevant
    assert c2.multiplier(12) == pytest.approx(2.0)


def test_period_without_multiplier_uses_default():
    c = cal(period(3, 4), sens_mult=1.7)
    assert c.multiplier(3) == pytest.approx(1.7)


def test_laws_and_periods_multiply():
    c = cal(law(0, 1.2), period(5, 6, 1.5))
    assert c.multiplier(5) == pytest.approx(1.8)
    assert c.multiplier(7) == pytest.approx(1.2)


def test_events_before_the_start_take_effect_on_day_0():
    c = cal(law(-30, 1.2), directive(-10), period(-5, 3, 1.5))
    assert c.multiplier(0) == pytest.approx(1.8)
    assert c.multiplier(3) == pytest.approx(1.8) and c.multiplier(4) == pytest.approx(1.2)
    assert [e.action for e in c.due(0)] == ["remove_vpn_apps"]


def test_periods_entirely_past_or_future_are_ignored():
    c = cal(period(-20, -1, 3.0, id="past"), period(40, 50, 3.0, id="future"))
    assert not any(c.sensitive(d) for d in range(30))


def test_events_after_the_horizon_are_ignored():
    c = cal(law(30, 2.0), directive(30), block(31))
    assert c.multiplier(29) == 1.0
    assert all(c.due(d) == [] for d in range(30))


def test_directives_and_blocks_due_on_their_day():
    c = cal(directive(3), block(7), directive(7, "party_member_rules"))
    assert [e.kind for e in c.due(3)] == ["directive"]
    assert sorted(e.kind for e in c.due(7)) == ["block_service", "directive"]
    assert c.due(4) == []


def test_past_block_service_events_are_not_replayed():
    c = cal(block(-3), block(0, 0.2))
    assert [e.popularity for e in c.due(0)] == [0.2]


def test_markers_only_inside_the_horizon():
    c = cal(law(-1, id="before"), law(10, id="inside"), law(30, id="after"))
    assert [e.id for e in c.markers()] == ["inside"]
    assert c.date(0) == START and c.date(10) == day(10)


# --- through the model ------------------------------------------------------------------------
def test_model_intensity_follows_the_calendar():
    m = PressureModel("china_2017", rng=1, users=200, days=365, enforcement_intensity=0.5)
    laws = {e.id: e for e in m.config.events if e.kind == "law"}
    first = (laws["cybersecurity_law"].date - m.calendar.start).days
    assert m.calendar.multiplier(first) > m.calendar.multiplier(first - 1)
    congress = next(e for e in m.config.events if e.id == "party_congress")
    d = (congress.date - m.calendar.start).days
    assert m.calendar.sensitive(d) and not m.calendar.sensitive(d - 1)


def test_model_started_late_issues_past_directives_on_day_0():
    m = PressureModel("china_2017", rng=1, users=300, days=10, start_date="2017-09-25")
    assert m.directives == {}
    m.step()
    assert set(m.directives) == {"shut_domestic_vpns", "ban_cloud_circumvention",
                                 "remove_vpn_apps", "party_member_rules", "security_reviews"}
    assert set(m.directives.values()) == {0}
    assert m.users.party_rules
    # the WhatsApp block (2017-09-23) is in the past: in force from day 0, but no sudden
    # shock (nobody is forced to reconsider, no former users are tracked)
    wa = m.services.index("whatsapp")
    assert m.services.blocked[wa] and wa not in m.services.former
    # laws in force and the Congress raise intensity from day 0
    base = m.p["enforcement_intensity"]               # the calibrated default
    odds = base / (1 - base) * 1.15 * 1.2 * 1.6          # laws and the Congress on the odds
    assert m.intensity == pytest.approx(odds / (1 + odds))


def test_model_replays_a_block_on_its_day():
    m = PressureModel("china_2017", rng=1, users=6000, days=10, start_date="2017-09-20",
                      block_awareness_prob=1.0)
    wa = m.services.index("whatsapp")
    for _ in range(3):
        m.step()
        assert not m.services.blocked[wa]               # before 2017-09-23 nothing
    users = m.services.users_of(wa)
    assert users.any()
    m.step()                                            # day 3 = 2017-09-23
    assert m.services.blocked[wa]
    assert np.array_equal(m.services.former[wa], users)  # its users at the block
    assert m.users.aware[users].all()                   # they all learnt how (prob 1)


# --- multi-year calendars, end_date, events after the horizon ---------------------------------
def test_recurring_periods_repeat_every_year_with_known_dates_where_declared():
    m = PressureModel("baseline", rng=1, users=300, start_date="2016-01-01",
                      end_date="2019-12-31")
    assert m.days == 1461
    periods = {(e.series or e.id.split("@")[0], e.date.year): (e.date, e.end)
               for e in m.calendar.events if e.kind == "sensitive_period"}
    for year in (2016, 2017, 2018, 2019):
        assert ("two_sessions", year) in periods and ("june_fourth", year) in periods
    # 2018's known dates replace the rule's (the NPC closed on 20 March)
    assert periods["two_sessions", 2018] == (dt.date(2018, 3, 3), dt.date(2018, 3, 20))
    for year in (2016, 2019):
        start = (dt.date(year, 6, 1) - m.calendar.start).days
        assert m.calendar.sensitive(start) and not m.calendar.sensitive(start - 1)


def test_end_date_sets_the_horizon_and_days_overrides_it():
    s = load_scenario("china_2017", overrides={"end_date": "2017-06-30"})
    assert s.params["days"] == 181
    assert s.with_overrides({"days": 30}).params["days"] == 30
    assert s.with_overrides({"days": 30}).params["end_date"] is None
    with pytest.raises(ScenarioError, match="end_date"):
        load_scenario("china_2017", overrides={"end_date": "2016-06-30"})


def test_an_event_after_the_horizon_warns(capsys):
    from model.calendar import HorizonWarning
    from model.cli import main

    with pytest.warns(HorizonWarning, match="app_store_removals"):
        PressureModel("china_2017", rng=1, users=200, days=60)
    assert main(["check", "china_2017", "--set", "days=60"]) == 0
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "warning:" in err and "app_store_removals" in err
    assert main(["check", "baseline"]) == 0             # a recurring schedule: no warning
    assert capsys.readouterr().err == ""
