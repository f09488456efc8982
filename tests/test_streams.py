"""A random stream per decision: a counterfactual that changes one mechanism leaves the others'
draws as they were (docs/experiments.md, common random numbers)."""

import datetime as dt
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

import model
from model.streams import SharedStream, Streams, make_streams, stream_key


def moved(scenario, event_id, days):
    """The scenario with one event moved by `days`."""
    events = tuple(replace(e, date=e.date + dt.timedelta(days=days)) if e.id == event_id else e
                   for e in scenario.events)
    return replace(scenario, events=tuple(sorted(events, key=lambda e: (e.date, e.id))))


def run(scenario, seed):
    m = model.PressureModel(scenario, rng=seed)
    sellers = m.vpn.channel_mask("domestic_commercial").copy()
    shut = []
    while m.running:
        m.step()
        shut.append(~m.vpn.serving[:sellers.size][sellers])   # the first sellers' fates
    return m, m.recorder.frame(m.p["start_date"]), np.array(shut)


# --- the streams themselves ----------------------------------------------------------------
def test_keyed_draws_depend_only_on_run_name_day_and_slot():
    a, b = Streams(5), Streams(5)
    idx = np.array([3, 10, 999])
    assert np.array_equal(a.uniform_at("x", 4, idx), b.uniform_at("x", 4, idx))
    # the slot's draw does not depend on which other slots draw with it
    assert a.uniform_at("x", 4, idx)[1] == a.uniform_at("x", 4, np.array([10]))[0]
    assert not np.array_equal(a.uniform_at("x", 4, idx), a.uniform_at("y", 4, idx))
    assert not np.array_equal(a.uniform_at("x", 4, idx), a.uniform_at("x", 5, idx))
    assert not np.array_equal(a.uniform_at("x", 4, idx), Streams(6).uniform_at("x", 4, idx))
    assert np.array_equal(a.uniform("x", 2, 50), b.uniform("x", 2, 50))
    cols = a.uniform_columns(["x", "y"], 4, idx)
    assert np.array_equal(cols[:, 0], a.uniform_at("x", 4, idx))
    assert np.array_equal(cols[:, 1], a.uniform_at("y", 4, idx))


def test_keyed_uniforms_are_uniform_and_independent():
    s = Streams(1)
    u = s.uniform_at("x", 0, np.arange(200_000))
    assert 0.0 < u.min() and u.max() < 1.0
    assert abs(u.mean() - 0.5) < 0.003 and abs(u.var() - 1 / 12) < 0.002
    assert abs(np.corrcoef(u[:-1], u[1:])[0, 1]) < 0.01      # neighbouring slots
    v = s.uniform_at("x", 1, np.arange(200_000))
    assert abs(np.corrcoef(u, v)[0, 1]) < 0.01                # neighbouring days
    g = s.geometric_at("x", 0, np.arange(200_000), 0.1)
    assert g.min() >= 1 and g.mean() == pytest.approx(10.0, rel=0.03)


def test_a_new_stream_never_shifts_another():
    a, b = Streams(3), Streams(3)
    b.generator("something_else").random(1000)        # another decision draws first
    assert np.array_equal(a.generator("audits").random(5), b.generator("audits").random(5))
    assert stream_key("audits") == stream_key("audits") != stream_key("audit")


def test_the_shared_stream_is_one_sequence():
    s = make_streams(3, "shared")
    assert isinstance(s, SharedStream) and s.generator("a") is s.generator("b")
    with pytest.raises(ValueError):
        make_streams(3, "nope")


# --- what they buy: counterfactuals that differ only where the change acts --------------------
def test_a_block_of_nobody_changes_nothing(tmp_path):
    (tmp_path / "nobody.toml").write_text(
        'name = "nobody"\nextends = "china_2017"\n\n[[events]]\nid = "nobody"\n'
        'date = 2017-04-01\nkind = "block_service"\npopularity = 0.0\n', encoding="utf-8")
    base = model.load_scenario("china_2017", overrides={"users": 1500, "days": 200})
    extra = model.load_scenario(tmp_path / "nobody.toml", overrides={"users": 1500,
                                                                     "days": 200})
    assert len(extra.services) == len(base.services) + 1      # its implicit service
    _, a, _ = run(base, 11)
    _, b, _ = run(extra, 11)
    pd.testing.assert_frame_equal(a, b, check_exact=True)


def test_moving_a_directive_leaves_unrelated_submodels_identical():
    base = model.load_scenario("china_2017", overrides={"users": 1500})
    later = moved(base, "app_store_removals", 31)
    m0, a, shut_a = run(base, 4)
    m1, b, shut_b = run(later, 4)
    assert not a["vpn_listings_foreign_store"].equals(b["vpn_listings_foreign_store"])
    assert np.array_equal(shut_a, shut_b)           # the same sellers shut on the same days
    assert a["effective_intensity"].equals(b["effective_intensity"])
    assert np.array_equal(m0.users.taste, m1.users.taste)


def _paired_differences(kind: str, seeds: range) -> np.ndarray:
    base = model.load_scenario("china_2017", overrides={"users": 2000,
                                                        "random_streams": kind})
    later = moved(base, "app_store_removals", 31)
    return np.array([run(later, s)[1]["vpn_use"].mean() - run(base, s)[1]["vpn_use"].mean()
                     for s in seeds])


def test_per_decision_streams_sharpen_paired_comparisons():
    seeds = range(20)
    keyed = _paired_differences("per_decision", seeds)
    shared = _paired_differences("shared", seeds)
    assert keyed.var(ddof=1) < shared.var(ddof=1)
