"""VPN supply: providers by channel and protocol, the firewall's waves, probing and throttling,
migration after a protocol block, entry answering unmet demand, and what users can find."""

import numpy as np
import pytest

from model import PressureModel
from model.config.parameters import CHANNELS, DEFAULTS, PROTOCOLS
from model.streams import Streams
from model.supply import CH, PR, Firewall, VPNProviders
from model.supply.entry import enter, migrate
from model.supply.routes import ROUTES, Findable, RouteTable

NO_WAVE = np.zeros(len(PROTOCOLS), dtype=bool)


def providers(**kw):
    p = dict(DEFAULTS)
    p.update(kw)
    v = VPNProviders(p, np.random.default_rng(0))
    v.assign_hosts(np.random.default_rng(1), [0, 1], [2, 3, 4])
    return v, p


def uniforms(v, seed=2):
    return np.random.default_rng(seed).random(v.size)


# --- providers --------------------------------------------------------------------------------
def test_initial_population_follows_channels_and_protocol_mixes():
    v, p = providers(offshore_providers=4000, offshore_obfuscated_share=0.25,
                     offshore_tor_share=0.1)
    assert np.array_equal(np.bincount(v.channel, minlength=len(CHANNELS)), v.initial)
    off = v.channel == CH["offshore"]
    shares = np.bincount(v.protocol[off], minlength=3) / off.sum()
    assert shares == pytest.approx([0.65, 0.25, 0.1], abs=0.03)
    assert v.works(0).all() and v.listed.all()


def test_delisting_keeps_a_provider_serving_and_shutting_does_not():
    v, _ = providers()
    store = v.channel_mask("foreign_store")
    gone = v.delist(uniforms(v), store, 0.5)
    assert gone / store.sum() == pytest.approx(0.5, abs=0.05)
    assert v.serving.all() and v.works(0).all()        # installed copies keep working
    assert v.listed[~store].all()
    sellers = v.channel_mask("domestic_commercial")
    shut = v.shut(uniforms(v, 3), sellers, 1.0)
    assert shut == sellers.sum() and not v.serving[sellers].any() and v.serving[~sellers].all()
    assert v.shut(uniforms(v, 3), sellers, 1.0) == 0      # nobody shut twice


def test_a_closed_store_lists_nothing_but_installed_apps_serve():
    v, _ = providers()
    v.close_store("foreign_store")
    store = v.channel_mask("foreign_store")
    assert not v.listed[store].any() and v.serving[store].all() and not v.open[CH["foreign_store"]]


def test_class_properties_combine_channel_and_protocol():
    v, p = providers()
    k = CH["offshore"] * len(PROTOCOLS) + PR["tor"]
    assert v.friction[k] == pytest.approx(p["offshore_friction"] + p["tor_friction"])
    assert v.skill[k] == max(p["offshore_skill"], p["tor_skill"])
    assert v.detectability[k] == pytest.approx(p["offshore_detectability"] * p["tor_detectability"])
    assert v.price[k] == pytest.approx(p["vpn_price"] * p["offshore_price"])


# --- the firewall: waves ------------------------------------------------------------------------
def test_a_scheduled_protocol_block_catches_its_class_fast_and_lifts_after():
    v, p = providers()
    fw = Firewall(p)
    plain = np.arange(3) == PR["plain"]
    fw.schedule_block(plain, 10, 19)
    s = Streams(1)
    usage = np.array([0.6, 0.4, 0.0])
    for day in range(10, 13):
        fw.step(s, v, day, 0.5, 1.0, usage)
    caught = v.wave_blocked[v.protocol == PR["plain"]].mean()
    assert caught > 0.95                                       # fingerprinting is fast
    assert not v.wave_blocked[v.protocol != PR["plain"]].any()
    fw.step(s, v, 20, 0.5, 1.0, usage)
    assert not v.wave_blocked.any()                            # the block is lifted


def test_waves_weigh_what_they_catch_against_collateral():
    def waves(collateral_weight, intensity, usage):
        v, p = providers(collateral_weight=collateral_weight, wave_rate=1.0, wave_days=1.0)
        fw = Firewall(p)
        s = Streams(2)
        for day in range(200):
            fw.step(s, v, day, intensity, 1.0, usage)
        return fw.waves_started[PR["plain"]]

    heavy = np.array([0.9, 0.1, 0.0])
    assert waves(1.0, 1.0, heavy) > 0
    assert waves(1.0, 0.0, heavy) == 0                     # no enforcement, no wave
    assert waves(5.0, 1.0, heavy) == 0                     # collateral outweighs the catch
    assert waves(1.0, 1.0, np.array([0.1, 0.9, 0.0])) < waves(1.0, 1.0, heavy)


def test_sensitive_periods_raise_the_pressure():
    counts = {}
    for sensitive in (1.0, 1.6):
        v, p = providers(wave_rate=0.5)
        fw = Firewall(p)
        s = Streams(3)
        for day in range(100):
            fw.step(s, v, day, 0.6, sensitive, np.array([0.9, 0.1, 0.0]))
        counts[sensitive] = fw.waves_started.sum()
    assert counts[1.6] > counts[1.0]


# --- the firewall: probing ----------------------------------------------------------------------
def test_no_server_is_blocked_by_probing_before_its_delay():
    v, p = providers(obfuscated_discovery_rate=0.5, obfuscated_probe_delay_days=5,
                     tor_probe_delay_days=8, plain_probe_delay_days=0, wave_rate=0.0)
    fw = Firewall(p)
    s = Streams(4)
    rng = np.random.default_rng(0)
    v.live_since[:] = rng.integers(0, 30, v.size)          # servers going live over a month
    ages = {q: [] for q in range(3)}
    for day in range(40):
        fw.step(s, v, day, 1.0, 1.0, np.zeros(3))
        hit, age = fw.probed
        for q in range(3):
            ages[q] += list(age[v.protocol[hit] == q])
    assert min(ages[PR["obfuscated"]]) >= 5 and min(ages[PR["tor"]]) >= 8
    assert ages[PR["obfuscated"]] and min(ages[PR["plain"]]) >= 0


def test_probing_scales_with_intensity_and_recovery_moves_the_address():
    hits = {}
    for intensity in (0.2, 1.0):
        v, p = providers(plain_discovery_rate=0.3, block_recovery_rate=0.25, wave_rate=0.0)
        fw = Firewall(p)
        fw.step(Streams(5), v, 10, intensity, 1.0, np.zeros(3))
        hits[intensity] = fw.blocked_by_probing
        spell = v.blocked_until[fw.probed[0]] - 10 + 1
        assert spell.min() >= 1
        assert np.all(v.live_since[fw.probed[0]] == v.blocked_until[fw.probed[0]] + 1)
    assert hits[1.0] > hits[0.2] > 0
    assert spell.mean() == pytest.approx(4.0, rel=0.25)       # Geometric(0.25)


def test_throttling_in_sensitive_periods_and_by_event():
    v, p = providers(throttle_friction=0.4)
    fw = Firewall(p)
    fw.step(Streams(1), v, 0, 0.5, 1.0, np.zeros(3))
    assert not fw.throttle.any()
    fw.step(Streams(1), v, 1, 0.5, 1.5, np.zeros(3))
    assert np.allclose(fw.throttle, 0.2)
    fw.schedule_throttle(np.arange(3) == PR["tor"], 2, 3, 0.7)
    fw.step(Streams(1), v, 2, 0.5, 1.0, np.zeros(3))
    assert fw.throttle[PR["tor"]] == pytest.approx(0.7) and fw.throttle[PR["plain"]] == 0


# --- migration and entry ------------------------------------------------------------------------
def test_providers_caught_by_a_wave_migrate_to_a_harder_protocol():
    v, p = providers()
    plain = v.protocol == PR["plain"]
    v.wave_blocked[plain] = True
    moved = migrate(Streams(1), v, 30, 1.0, 3)
    assert np.array_equal(np.sort(moved), np.flatnonzero(plain))
    assert np.all(v.protocol[moved] == PR["obfuscated"]) and not v.wave_blocked.any()
    assert np.all(v.blocked_until[moved] == 32) and np.all(v.live_since[moved] == 33)
    assert not v.works(32)[moved].any() and v.works(33)[moved].all()
    assert migrate(Streams(1), v, 31, 0.0, 3).size == 0


def test_entry_answers_unmet_demand_and_avoids_blocked_protocols():
    v, p = providers()
    n0 = v.size
    assert enter(Streams(1), v, 5, 0.05, 0.0, NO_WAVE, ([0, 1], [2])) == 0
    few = enter(Streams(1), v, 5, 0.05, 0.2, NO_WAVE, ([0, 1], [2]))
    w, _ = providers()
    many = enter(Streams(1), w, 5, 0.05, 0.9, NO_WAVE, ([0, 1], [2]))
    assert 0 < few < many and v.size == n0 + few
    new = np.arange(n0, v.size)
    assert v.works(5)[new].all() and np.all(v.live_since[new] == 5)
    wave = np.arange(3) == PR["plain"]
    x, _ = providers()
    enter(Streams(2), x, 5, 0.2, 1.0, wave, ([0, 1], [2]))
    assert not np.any(x.protocol[n0:] == PR["plain"])
    cloud = x.channel[n0:] == CH["foreign_cloud"]
    assert np.isin(x.host[n0:][cloud], [0, 1]).all()


def test_no_entry_into_a_closed_channel_or_without_a_host():
    v, p = providers()
    v.close_store("foreign_store")
    n0 = v.size
    enter(Streams(1), v, 5, 0.5, 1.0, NO_WAVE, ([], [2]))
    new = v.channel[n0:]
    assert not np.any(new == CH["foreign_store"]) and not np.any(new == CH["foreign_cloud"])


# --- what users can find ------------------------------------------------------------------------
def test_findable_counts_and_picks():
    v, p = providers()
    f = Findable.today(v, 0)
    assert f.counts.sum() == v.size
    v.listed[v.channel_mask("domestic_store")] = False
    f = Findable.today(v, 0)
    assert f.by_route()[ROUTES.index("domestic_store")] == 0
    assert f.by_route()[ROUTES.index("foreign_store")] == v.channel_mask("foreign_store").sum()
    routes = RouteTable.of(p, v)
    ios = np.array([True, False])
    skill = np.array([1.0, 1.0])
    rates = f.rates(routes.eligible(ios, skill, np.zeros(2, dtype=bool)), routes.scale)
    picked = f.pick(rates, np.array([0.3, 0.7]), np.array([0.5, 0.5]))
    assert v.channel[picked[0]] != CH["domestic_store"]       # an iOS user
    assert v.channel[picked[1]] != CH["foreign_store"]        # an Android user
    assert f.pick(rates, np.array([0.0, 0.999999]), np.array([0.0, 0.999999])).size == 2


def test_a_model_run_keeps_supply_consistent():
    m = PressureModel("china_2017", rng=3, users=1500, days=120, start_date="2017-06-01")
    while m.running:
        m.step()
    v = m.vpn
    assert v.size >= v.initial.sum()                          # entrants were appended
    assert not v.listed[v.channel_mask("foreign_store")].sum() > 0.5 * v.initial[CH[
        "foreign_store"]]                                      # the store removed most
