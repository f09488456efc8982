"""Consumer services: shares from the scenario, users who are not a random draw, network
effects, and what a block, a ban and a withdrawal do to a service's users."""

import numpy as np
import pandas as pd
import pytest

from field_support import PHOTOS, SHOCK_DAY, event, run, scenario, series
from model import PressureModel, ScenarioError, load_scenario


def photos(m):
    return m.services.index("gram"), m.services.index("local_photos")


def test_users_start_where_the_scenario_puts_them():
    m = PressureModel(scenario(), rng=1, users=8000, days=1)
    shares = dict(zip(m.services.ids, m.services.shares(), strict=True))
    for s in m.config.services:
        assert shares[s.id] == pytest.approx(s.share, abs=0.015), s.id


def test_without_shocks_the_market_stays_put():
    _, _, long = run(scenario({"users": 6000}), seed=2, days=90)
    for key in ("photos", "search", "messaging"):
        d = series(long, "category_domestic_share", key)
        assert abs(d.iloc[-1] - d.iloc[0]) < 0.02, key


def test_a_foreign_services_users_are_not_a_random_draw():
    m = PressureModel(scenario(), rng=3, users=8000, days=1)
    u = m.users
    gram = m.services.users_of(photos(m)[0])
    assert u.interested[gram].mean() > 1.3 * u.interested.mean()
    assert u.skill[gram].mean() > u.skill.mean() and u.ties[gram].mean() > u.ties.mean()


def test_contact_shares_count_each_users_contacts():
    m = PressureModel(scenario(), rng=4, users=2000, days=1)
    s = m.services
    who = np.arange(0, 2000, 97)
    m_share = s.contact_shares(who)
    adj = m.social.adjacency
    for row, i in enumerate(who):
        contacts = adj.indices[adj.indptr[i]:adj.indptr[i + 1]]
        on = s.choice[contacts][:, s.category_of[0]] == 0
        assert m_share[row, 0] == pytest.approx(on.mean() if contacts.size else 0.0)


@pytest.mark.parametrize("seed", [1, 2])
def test_a_block_makes_its_users_reconsider_and_those_who_keep_it_value_a_vpn(seed):
    sc = scenario({"users": 6000}, events=[event("block_service", service="gram")])
    m = PressureModel(sc, rng=seed)
    gram, local = photos(m)
    for _ in range(SHOCK_DAY):
        m.step()
    users = m.services.users_of(gram)
    m.step()                                            # the day of the block
    s, u = m.services, m.users
    assert np.array_equal(s.former[gram], users)
    kept = users & s.users_of(gram)
    moved = users & ~s.users_of(gram)
    assert kept.any() and moved.any()
    assert np.all(u.attachment[kept] > 0) and np.all(u.has_interest[kept])
    assert not (kept & ~u.aware).any()                  # without know-how it is out of reach
    # network effects: who keeps it had more contacts on it
    k = s.category_of[gram]
    share = s.contact_shares(np.flatnonzero(users))[:, gram]
    assert share[kept[users]].mean() > share[moved[users]].mean()
    assert (moved & s.users_of(local)).sum() > 0.3 * moved.sum()   # most to the substitute
    assert k == s.category_of[local]


def test_a_ban_keeps_new_users_out_and_a_withdrawal_reaches_nobody():
    sc = scenario({"users": 5000}, events=[event("ban_service", service="gram",
                                                 withdraw_days=3)])
    m = PressureModel(sc, rng=5, days=SHOCK_DAY + 10)
    gram, _ = photos(m)
    for _ in range(SHOCK_DAY + 1):
        m.step()
    assert m.services.banned[gram] and m.services.blocked[gram]
    before = m.services.users_of(gram).copy()
    for _ in range(5):
        m.step()
    assert m.services.withdrawn[gram]
    assert not m.services.users_of(gram).any()           # after withdrawal all moved on
    assert not (m.services.users_of(gram) & ~before).any()
    assert m.services.reach_share(gram, m.users.using) == 0.0


def test_services_are_validated_when_loaded(tmp_path):
    def load(text):
        path = tmp_path / "s.toml"
        path.write_text('name = "s"\n' + text, encoding="utf-8")
        return load_scenario(path)

    ok = load('[[services]]\nid = "a"\ncategory = "chat"\nforeign = true\nshare = 0.4\n'
              '[[services]]\nid = "b"\ncategory = "chat"\nforeign = false\nshare = 0.5\n')
    assert [s.id for s in ok.services] == ["a", "b"]
    for text, key in (
            ('[[services]]\nid = "a"\ncategory = "chat"\nforeign = true\nshare = 0.7\n'
             '[[services]]\nid = "b"\ncategory = "chat"\nforeign = false\nshare = 0.5\n',
             "services"),
            ('[[services]]\nid = "A"\ncategory = "chat"\nforeign = true\nshare = 0.1\n',
             "services[0].id"),
            ('[[services]]\nid = "a"\ncategory = "chat"\nforeign = 1\nshare = 0.1\n',
             "services[0].foreign"),
            ('[[services]]\nid = "a"\ncategory = "chat"\nforeign = true\n',
             "services[0].share"),
            ('[[events]]\ndate = 2017-02-01\nkind = "block_service"\nservice = "nope"\n',
             "events[0].service")):
        with pytest.raises(ScenarioError) as info:
            load(text)
        assert f": {key}" in str(info.value), str(info.value)


def test_a_child_scenario_redefines_a_service_by_its_id(tmp_path):
    (tmp_path / "c.toml").write_text(
        'name = "c"\nextends = "baseline"\n[[services]]\nid = "whatsapp"\n'
        'category = "messaging"\nforeign = true\nshare = 0.05\n', encoding="utf-8")
    child = load_scenario(tmp_path / "c.toml")
    assert {s.id: s.share for s in child.services}["whatsapp"] == 0.05
    assert len(child.services) == len(load_scenario("baseline").services)
    assert {s.id for s in PHOTOS}.isdisjoint(s.id for s in child.services)


def test_skipping_reviews_that_cannot_change_anything_changes_no_outcome(monkeypatch):
    sc = scenario({"users": 3000}, events=[event("block_service", service="gram")])
    _, fast, fast_long = run(sc, seed=7, days=SHOCK_DAY + 30)
    monkeypatch.setattr("model.services.market.ServiceMarket.worth_reviewing",
                        lambda self, who, aware: who)
    _, slow, slow_long = run(sc, seed=7, days=SHOCK_DAY + 30)
    pd.testing.assert_frame_equal(fast, slow, check_exact=True)
    pd.testing.assert_frame_equal(fast_long, slow_long, check_exact=True)
