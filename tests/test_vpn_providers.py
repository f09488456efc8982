"""VPN providers: removal, blocking with recovery, relaunch driven by unmet demand, hosts."""

import numpy as np
import pytest

from model import PressureModel
from model.config.parameters import CHANNELS, DEFAULTS
from model.institutions.vpn_providers import CH, CLOUD_CHANNELS, VPNProviders


def providers(**kw):
    p = dict(DEFAULTS)
    p.update(kw)
    v = VPNProviders(p, np.random.default_rng(0))
    v.assign_hosts(np.random.default_rng(1), [0, 1], [2, 3, 4])
    return v


def test_initial_population_follows_parameters():
    v = providers(offshore_providers=7)
    assert v.initial[CH["offshore"]] == 7
    assert np.array_equal(v.active_counts(), v.initial)
    assert np.array_equal(v.working_counts(0), v.initial)
    assert v.channel.size == v.initial.sum()


def test_remove_only_within_the_mask():
    v = providers()
    mask = v.channel_mask("domestic_commercial")
    assert v.remove(np.random.default_rng(2), mask, 0.0) == 0
    gone = v.remove(np.random.default_rng(2), mask, 1.0)
    assert gone == mask.sum() == (~v.active).sum()
    assert not v.active[mask].any() and v.active[~mask].all()
    assert v.remove(np.random.default_rng(2), mask, 1.0) == 0     # nobody removed twice


def test_removal_rate_sets_the_share_removed():
    v = providers(foreign_store_providers=5000)
    gone = v.remove(np.random.default_rng(2), v.channel_mask("foreign_store"), 0.3)
    assert gone / 5000 == pytest.approx(0.3, abs=0.03)


def test_block_with_recovery():
    v = providers(offshore_providers=2000)
    v.block(np.random.default_rng(2), 1.0, 0.25, day=10)
    full = v.blockability == 1.0                    # offshore: always hit at rate 1
    assert v.working_counts(10)[full].sum() == 0    # blocked from the day of the block
    assert v.active.all()                           # blocked is not removed
    # a spell lasts Geometric(0.25) days, the day of the block included: 4 days on average
    spell = v.blocked_until[v.channel_mask("offshore")] - 10 + 1
    assert spell.min() == 1 and spell.mean() == pytest.approx(4.0, rel=0.1)
    back = [v.working_counts(d)[CH["offshore"]] for d in (11, 12, 14, 18, 60)]
    assert all(b > a for a, b in zip(back[:-1], back[1:]))
    assert back[-1] == 2000


def test_faster_recovery_shortens_blocks():
    lengths = []
    for recovery in (0.05, 0.2, 0.8):
        v = providers(offshore_providers=2000)
        v.block(np.random.default_rng(2), 1.0, recovery, day=0)
        lengths.append(v.blocked_until[v.channel_mask("offshore")].mean())
    assert lengths[0] > lengths[1] > lengths[2]


def test_block_without_recovery_lasts():
    v = providers()
    v.block(np.random.default_rng(2), 1.0, 0.0, day=0)
    assert v.working_counts(10**6)[CH["offshore"]] == 0


def test_blockability_and_rate_set_who_is_hit():
    v = providers(offshore_blockability=0.0, foreign_store_blockability=0.5,
                  foreign_store_providers=4000)
    v.block(np.random.default_rng(2), 0.0, 0.1, day=0)
    assert v.working(0).all()
    v.block(np.random.default_rng(2), 1.0, 0.1, day=0)
    assert v.working_counts(0)[CH["offshore"]] == v.initial[CH["offshore"]]
    hit = 1 - v.working_counts(0)[CH["foreign_store"]] / 4000
    assert hit == pytest.approx(0.5, abs=0.03)


def _relaunched(unmet, seed=3):
    v = providers()
    v.remove(np.random.default_rng(2), np.ones(v.channel.size, dtype=bool), 1.0)
    return v.relaunch(np.random.default_rng(seed), 0.5, unmet, [0, 1], [2, 3, 4]), v


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_relaunch_scales_with_unmet_demand(seed):
    counts = [_relaunched(u, seed)[0] for u in (0.0, 0.2, 0.6, 1.0)]
    assert counts[0] == 0
    assert counts[1] < counts[2] < counts[3]
    total = _relaunched(1.0, seed)[1].channel.size
    assert counts[3] / total == pytest.approx(0.5, abs=0.05)


def test_relaunched_are_working_again():
    v = providers()
    v.block(np.random.default_rng(2), 1.0, 0.0, day=0)
    v.remove(np.random.default_rng(2), np.ones(v.channel.size, dtype=bool), 1.0)
    v.relaunch(np.random.default_rng(3), 1.0, 1.0, [0, 1], [2, 3, 4])
    assert v.working(1).all()


def test_closed_channels_never_relaunch():
    v = providers()
    v.close_channel("foreign_store")
    assert not v.active[v.channel_mask("foreign_store")].any()
    v.remove(np.random.default_rng(2), np.ones(v.channel.size, dtype=bool), 1.0)
    for _ in range(20):
        v.relaunch(np.random.default_rng(3), 1.0, 1.0, [0, 1], [2, 3, 4])
    assert not v.active[v.channel_mask("foreign_store")].any()
    assert v.active[~v.channel_mask("foreign_store")].all()


def test_cloud_servers_get_hosts():
    v = providers()
    for ch, hosts in zip(CLOUD_CHANNELS, ({0, 1}, {2, 3, 4}), strict=True):
        sel = v.channel == ch
        assert set(np.unique(v.host[sel])) == hosts
    others = ~np.isin(v.channel, CLOUD_CHANNELS)
    assert np.all(v.host[others] == -1)


def test_closed_host_takes_its_servers_and_they_relaunch_elsewhere():
    v = providers()
    on0 = v.host == 0
    assert on0.any()
    v.close_host(0)
    assert not v.active[on0].any() and v.active[~on0].all()
    v.relaunch(np.random.default_rng(3), 1.0, 1.0, [1], [2, 3, 4])
    assert v.active.all()
    assert np.all(v.host[v.channel == CH["foreign_cloud"]] == 1)


def test_no_host_no_cloud_server():
    p = dict(DEFAULTS)
    v = VPNProviders(p, np.random.default_rng(0))
    v.assign_hosts(np.random.default_rng(1), [], [2])
    assert not v.active[v.channel == CH["foreign_cloud"]].any()
    assert not v.open[CH["foreign_cloud"]]          # no foreign cloud: the channel is gone
    assert v.active[v.channel == CH["domestic_cloud"]].all()


def test_model_without_foreign_clouds_has_no_foreign_cloud_servers():
    m = PressureModel("china_2017", rng=1, users=200, days=5, foreign_clouds=0)
    assert m.vpn.working_counts(0)[CH["foreign_cloud"]] == 0
    assert len(CHANNELS) == len(m.vpn.initial)


def test_model_relaunches_after_a_loss_of_use():
    """Cat and mouse in the model: when use has fallen, removed providers come back."""
    m = PressureModel("china_2017", rng=1, users=500, days=40, relaunch_rate=0.2)
    for _ in range(3):
        m.step()
    mask = m.vpn.channel_mask("offshore")
    m.vpn.remove(m.rng, mask, 1.0)
    m.users.using[:] = False                        # use collapses
    m.recorder.values["vpn_use"][m.recorder.recorded - 1] = 0.0
    m._vpn_providers()
    assert m.vpn.active[mask].sum() > 0
