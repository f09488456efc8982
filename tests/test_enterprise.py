"""Licensed enterprise VPN lines (MIIT, January 2017): employees of multinationals reach foreign
services over their employer's licensed line, which the firewall leaves alone; the lines firms
buy are whitelisted, so they are no collateral of a plain-protocol block (docs/ODD.md 7.5)."""

from __future__ import annotations

import numpy as np
import pytest

from model import PressureModel
from model.config.parameters import DEFAULTS
from model.supply import CH, Firewall

BLOCK_FROM = 30


def _blocked_everything(seed: int, **extra) -> PressureModel:
    """The 2017 scenario with every protocol class blocked from day 30 for 30 days, each server
    caught at once and none migrating or entering: the firewall at its harshest."""
    m = PressureModel("china_2017", rng=seed, users=3000, days=BLOCK_FROM + 21,
                      **{"enterprise_vpn_user_share": 0.1, "plain_fingerprint": 1.0,
                         "obfuscated_fingerprint": 1.0, "tor_fingerprint": 1.0,
                         "migration_rate": 0.0, "entry_rate": 0.0, **extra})
    m.firewall.schedule_block(np.ones(3, dtype=bool), BLOCK_FROM, BLOCK_FROM + 30)
    while m.running:
        m.step()
    return m


def _access_among_wanting(m: PressureModel, who: np.ndarray) -> float:
    u = m.users
    want = who & u.aware & u.has_interest
    return float(u.access[want].mean())


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_a_protocol_wide_block_leaves_enterprise_users_connected(seed):
    m = _blocked_everything(seed)
    u, vpn = m.users, m.vpn
    licensed = vpn.is_licensed()
    assert licensed.sum() == DEFAULTS["enterprise_providers"]
    assert not vpn.wave_blocked[licensed].any()            # the firewall leaves lines alone
    assert vpn.works(m.day - 1)[licensed].all()
    assert vpn.wave_blocked[~licensed & vpn.serving].all()
    employed, others = _access_among_wanting(m, u.employed), _access_among_wanting(m, ~u.employed)
    assert employed > 0.9                                  # they found (or kept) the line
    assert others < 0.1
    # who is on a line: employees only
    on_line = (u.provider >= 0) & licensed[np.maximum(u.provider, 0)]
    assert on_line.any() and u.employed[on_line].all()


def test_without_employees_of_multinationals_nobody_keeps_access_through_a_line():
    # ablation: no user works for a multinational, so the block reaches everyone alike
    m = _blocked_everything(0, enterprise_vpn_user_share=0.0)
    u = m.users
    assert not u.employed.any()
    on_line = (u.provider >= 0) & m.vpn.is_licensed()[np.maximum(u.provider, 0)]
    assert not on_line.any()


def test_no_provider_enters_the_enterprise_channel_and_probing_skips_lines():
    m = PressureModel("china_2017", rng=3, users=1000, days=200, entry_rate=1.0,
                      obfuscated_discovery_rate=1.0, plain_discovery_rate=1.0,
                      plain_probe_delay_days=0)
    while m.running:
        m.step()
    vpn = m.vpn
    assert vpn.entered[CH["enterprise"]] == 0 and vpn.entered.sum() > 0
    licensed = vpn.is_licensed()
    assert (vpn.blocked_until[licensed] < 0).all()
    assert (vpn.blocked_until[~licensed] >= 0).any()


def test_licensed_lines_make_a_plain_block_cheaper_for_the_firewall():
    fw = Firewall(dict(DEFAULTS, enterprise_traffic_share=0.5))
    none, all_ = fw.collateral_today(0.0), fw.collateral_today(1.0)
    assert all_[0] == pytest.approx(none[0] * 0.5)
    assert np.array_equal(none[1:], all_[1:])             # firms' VPNs are plain protocols


@pytest.mark.parametrize("seed", [0, 1])
def test_the_share_on_licensed_lines_follows_the_lines_price(seed):
    def share(price):
        m = PressureModel("china_2017", rng=seed, users=300, days=5, enterprise_vpn_price=price)
        return m.customers.licensed_share(m.clouds)

    cheap, dear = share(0.1), share(10.0)
    assert cheap > 0.3
    assert dear == 0.0                 # not worth its price: no firm buys a line
