"""Directives on the calendar reach whom they concern."""

from model.simulation import PressureModel


def _run_until(m, day):
    while m.running and m.day < day:
        m.step()


def test_a_dated_partner_requirement_puts_partners_between_clouds_and_regulator(tmp_path):
    scenario = tmp_path / "late_partner.toml"
    scenario.write_text(
        'extends = "no_partner_requirement"\n'
        "[[events]]\ndate = 2017-09-01\nkind = \"directive\"\n"
        'action = "require_local_partner"\n')
    m = PressureModel(scenario, rng=1, users=400)
    _run_until(m, 230)                       # the ban (07-28) is addressed to the clouds
    assert m.partners == []
    assert all("ban_cloud_circumvention" in c.obligations for c in m.foreign_clouds)
    _run_until(m, 250)                       # after 09-01 the partners carry it
    assert len(m.partners) == m.p["foreign_clouds"]
    assert all("ban_cloud_circumvention" not in c.obligations for c in m.foreign_clouds)
    assert all(p.complied("ban_cloud_circumvention") for p in m.partners)
    assert m.recorder.latest("partner_monitoring_effort") > 0


def test_party_rules_and_brand_restrictions_switch_on_when_issued():
    m = PressureModel("china_2017", rng=1, users=300)
    _run_until(m, 200)
    assert not m.users.party_rules
    _run_until(m, 215)                       # 2017-08-01 is day 212
    assert m.users.party_rules
    assert m.customers.brand_penalty == 0.0  # no brand restriction in the 2017 calendar
    m.issue("brand_restriction")
    assert m.customers.brand_penalty == m.p["brand_restriction_penalty"]


def test_reactive_regulators_issue_directives_the_calendar_does_not():
    m = PressureModel("baseline", rng=1, users=1500, days=200, reactive_directives=True,
                      enforcement_intensity=0.9, reactive_use_threshold=0.01,
                      reactive_interval_days=20)
    _run_until(m, 200)
    assert {"shut_domestic_vpns", "remove_vpn_apps", "ban_cloud_circumvention"} <= set(
        m.directives)
    plain = PressureModel("baseline", rng=1, users=1500, days=200, enforcement_intensity=0.9)
    _run_until(plain, 200)
    assert plain.directives == {}
