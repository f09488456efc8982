"""Regions (docs/ODD.md 7.24): users, customers and enforcement belong to regions; a shutdown cuts
one region off; ties stay mostly within regions; one region changes nothing."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from field_support import MECHANISM_VALUES

from model import PressureModel
from model.api import run
from model.config.errors import ScenarioError
from model.config.loader import load_scenario

TWO = """
name = "two_regions"
extends = "{base}"
[[regions]]
id = "east"
share = 0.7
[[regions]]
id = "west"
share = 0.3
{extra}
"""
SHUTDOWN = """
[[events]]
kind = "internet_shutdown"
region = "west"
date = 2017-03-01
end = 2017-04-30
"""


def _scenario(tmp_path, extra="", base="china_2017"):
    path = tmp_path / "two.toml"
    shipped = load_scenario(base).files[0]
    path.write_text(TWO.format(base=shipped, extra=extra))
    return path


def _regional(path, seed, **overrides):
    _, long, _ = run(path, seed=seed, overrides={"users": 2000, "days": 150, **overrides},
                     long=True)
    wide = long[long.metric.str.startswith("region_")].pivot_table(
        index="date", columns=["metric", "key"], values="value")
    return wide


@pytest.mark.parametrize("seed", [0, 1])
def test_a_shutdown_in_one_region_shows_there_only(tmp_path, seed):
    shut = _regional(_scenario(tmp_path, SHUTDOWN), seed, days=181)
    base = _regional(_scenario(tmp_path), seed, days=181)
    during = (shut.index >= pd.Timestamp("2017-03-01")) & (shut.index <= pd.Timestamp("2017-04-30"))
    assert (shut["region_offline", "west"][during] == 1).all()
    assert (shut["region_offline", "east"] == 0).all()
    assert (shut["region_vpn_use", "west"][during] == 0).all()
    assert (shut["region_vpn_availability", "west"][during] == 0).all()
    assert base["region_vpn_use", "west"][during].mean() > 0.01
    # the other region goes on as without the shutdown
    east = shut["region_vpn_use", "east"][during].mean()
    assert east == pytest.approx(base["region_vpn_use", "east"][during].mean(), abs=0.01)
    # and the shut region comes back when it ends: gradually, as users take VPNs up again
    # (at the calibrated behaviour, 40-65% of the base two weeks on; over half within two months)
    after = (shut.index >= pd.Timestamp("2017-06-15")) & (shut.index <= pd.Timestamp("2017-06-30"))
    assert shut["region_vpn_use", "west"][after].mean() > 0.5 * base["region_vpn_use",
                                                                         "west"][after].mean()


def test_one_declared_region_changes_nothing(tmp_path):
    path = tmp_path / "one.toml"
    path.write_text(f'name = "one"\nextends = "{load_scenario("china_2017").files[0]}"\n'
                    '[[regions]]\nid = "whole"\nshare = 1.0\n')
    a, _ = run(path, seed=4, overrides={"users": 800, "days": 60})
    b, _ = run("china_2017", seed=4, overrides={"users": 800, "days": 60})
    pd.testing.assert_frame_equal(a, b)


@pytest.mark.parametrize("kind", ["small_world", "scale_free"])
def test_ties_stay_mostly_within_regions(tmp_path, kind):
    m = PressureModel(_scenario(tmp_path), rng=2, users=4000, network_kind=kind,
                      rewire_probability=0.3)
    edges = m.social.edges
    region = m.regions.of_user
    within = float(np.mean(region[edges[:, 0]] == region[edges[:, 1]]))
    assert within > 0.85
    # ablation: ties drawn at random everywhere mix the regions (0.7^2 + 0.3^2 = 0.58 apart
    # from the ring)
    m0 = PressureModel(_scenario(tmp_path), rng=2, users=4000, network_kind=kind,
                       rewire_probability=0.3, region_tie_share=0.0)
    e0 = m0.social.edges
    assert float(np.mean(region[e0[:, 0]] == region[e0[:, 1]])) < within - 0.05


def test_a_regions_detection_multiplier_punishes_more_there(tmp_path):
    extra = ""
    path = tmp_path / "det.toml"
    path.write_text(TWO.format(base=load_scenario("china_2017").files[0], extra=extra)
                    .replace('id = "west"\nshare = 0.3', 'id = "west"\nshare = 0.3\n'
                                                        'detection = 4.0'))
    east = west = 0
    for seed in range(3):
        m = PressureModel(path, rng=seed, users=3000, days=200, user_detection_rate=0.01,
                          **MECHANISM_VALUES)     # more users using, so more to detect
        while m.running:
            m.step()
        punished = m.users.punished_day > -10**6
        region = m.regions.of_user
        east += punished[region == 0].mean()
        west += punished[region == 1].mean()
    assert west > 1.5 * east


def test_a_regions_penalty_raises_its_users_risk(tmp_path):
    path = tmp_path / "pen.toml"
    path.write_text(TWO.format(base=load_scenario("china_2017").files[0], extra="")
                    .replace('id = "west"\nshare = 0.3', 'id = "west"\nshare = 0.3\n'
                                                        'penalty = 2.0'))
    m = PressureModel(path, rng=0, users=1000, days=5)
    scale = m.users._risk_scale()
    region = m.regions.of_user
    ratio = scale[region == 1] / (m.p["user_penalty"] * (0.5 + m.users.risk_aversion[region == 1]))
    assert np.allclose(ratio, 2.0)
    assert np.allclose(scale[region == 0] / (m.p["user_penalty"]
                                             * (0.5 + m.users.risk_aversion[region == 0])), 1.0)


def test_an_edge_list_names_its_users_regions(tmp_path):
    edges = tmp_path / "edges.csv"
    edges.write_text("".join(f"{i},{(i + 1) % 10}\n" for i in range(10)))
    regions = tmp_path / "regions.csv"
    regions.write_text("# user,region\n" + "".join(
        f"{i},{'west' if i % 2 else 'east'}\n" for i in range(10)))
    path = _scenario(tmp_path)
    text = path.read_text() + ("\n[network]\nnetwork_kind = \"edge_list\"\n"
                               "edge_list_file = \"edges.csv\"\nregion_file = \"regions.csv\"\n")
    path.write_text(text)
    m = PressureModel(path, rng=0, users=10, mean_degree=2, days=3)
    assert m.regions.of_user.tolist() == [0, 1] * 5
    regions.write_text("0,east\n1,north\n")
    with pytest.raises(ScenarioError, match="region_file"):
        PressureModel(path, rng=0, users=10, mean_degree=2, days=3)


@pytest.mark.parametrize(("extra", "key"), [
    ('[[regions]]\nid = "north"\nshare = 0.2\n', "regions"),             # shares sum to 1.2
    (SHUTDOWN.replace('"west"', '"south"'), "events[0].region"),
    ('[[regions]]\nid = "Bad Id"\nshare = 0.0\n', "regions[2].id"),
    ('[[regions]]\nid = "x"\nshare = 0.0\nintensity = -1\n', "regions[2].intensity"),
    (SHUTDOWN.replace('region = "west"\n', ""), "events[0].region"),
])
def test_bad_regions_are_named(tmp_path, extra, key):
    with pytest.raises(ScenarioError) as err:
        load_scenario(_scenario(tmp_path, extra))
    assert f": {key}: expected" in str(err.value)


def test_the_cli_refuses_a_bad_region_in_one_line(tmp_path):
    path = _scenario(tmp_path, SHUTDOWN.replace('"west"', '"south"'))
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-m", "model.cli", "run", str(path), "--out",
                           str(out)], capture_output=True, text=True)
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1 and "events[0].region" in done.stderr
    assert not out.exists()


def test_the_shipped_regions_scenario_resolves_and_runs():
    m = PressureModel("china_2017_regions", rng=0, users=2000, days=30)
    assert m.regions.ids == ["xinjiang", "chongqing", "guangdong", "rest"]
    while m.running:
        m.step()
    keys = set(m.long_frame().query("metric == 'region_vpn_use'")["key"])
    assert keys == set(m.regions.ids)


def test_the_run_figure_shows_each_region(tmp_path):
    out = tmp_path / "fig"
    done = subprocess.run([sys.executable, "-m", "model.cli", "run",
                           str(_scenario(tmp_path, SHUTDOWN)), "--users", "500", "--out",
                           str(out)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    from PIL import Image
    with Image.open(out / "figure.png") as img:
        regional_height = img.size[1]
    plain = tmp_path / "plain"
    subprocess.run([sys.executable, "-m", "model.cli", "run", "china_2017", "--users", "500",
                    "--out", str(plain)], check=True, capture_output=True)
    with Image.open(plain / "figure.png") as img:
        assert regional_height > img.size[1]         # the extra panel of the regions
