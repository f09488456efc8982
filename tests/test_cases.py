"""The case packs beyond China (scenarios/russia/, scenarios/india/) and their documented outcomes
(model/cases/): each pack loads and runs, its events act on their dates, every observation's
statistic is computable, and no pack sets a behavioural parameter, which all cases share."""

from __future__ import annotations

import datetime as dt
import math
import subprocess
import sys
import warnings
from pathlib import Path

import pandas as pd
import pytest

import model
from model.cases import (BEHAVIOUR, CASES, COUNTRY_PARAMETERS, REPOSITORY, frames_from_experiment,
                         pack_settings, run_case, scenarios, score, shared)
from model.cases.observation import keyed, mean_between
from model.config.parameters import BY_NAME, PARAMETERS

USERS = 1000
PACKS = sorted(p.relative_to(REPOSITORY).as_posix()
               for p in (REPOSITORY / "scenarios").glob("*/*.toml")
               if p.parent.name != "field")        # field experiments are not countries

SHARED = {p.name for p in PARAMETERS if p.section == "behaviour"} | {
    "interest_share", "demand_median", "demand_sigma", "skill_mean", "risk_aversion_mean",
    "ties_mean", "trait_concentration", "initial_awareness"}
"""Parameters every case shares (how users behave): no pack may set one."""


@pytest.fixture(scope="module")
def runs():
    """One small run of every pack scenario: {path: (wide by date, long)}, warnings as errors."""
    out = {}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for path in PACKS:
            wide, long, _ = model.run(REPOSITORY / path, seed=3, overrides={"users": USERS},
                                      long=True)
            out[path] = (wide.set_index("date"), long)
    return out


def test_every_pack_scenario_is_found_and_every_case_names_its_files():
    assert {"scenarios/russia/2022.toml", "scenarios/india/2020.toml"} <= set(PACKS)
    for case, observations in CASES.items():
        assert observations and all(o.case == case for o in observations)
        for path in scenarios(case):
            assert path in PACKS
            assert (REPOSITORY / path.rsplit("/", 1)[0] / "README.md").is_file()
    names = [o.name for obs in CASES.values() for o in obs]
    assert len(names) == len(set(names))


@pytest.mark.parametrize("path", PACKS)
def test_a_pack_sets_only_country_facts(path):
    assert COUNTRY_PARAMETERS <= set(BY_NAME) and not COUNTRY_PARAMETERS & SHARED
    keys = pack_settings(REPOSITORY / path)        # the file and what it extends
    assert keys <= COUNTRY_PARAMETERS, f"{path} sets {sorted(keys - COUNTRY_PARAMETERS)}"
    scenario = model.load_scenario(REPOSITORY / path)
    for file in scenario.files:         # a pack extends its own files and the shared behaviour
        assert (Path(file).resolve().parent == (REPOSITORY / path).parent
                or Path(file).resolve() == BEHAVIOUR)
    assert BEHAVIOUR in {Path(f).resolve() for f in scenario.files}
    behaviour = model.load_scenario(BEHAVIOUR).params
    for name in SHARED:
        assert scenario.params[name] == behaviour[name], name


@pytest.mark.parametrize("path", PACKS)
def test_every_service_and_dated_event_of_a_pack_has_a_source(path):
    scenario = model.load_scenario(REPOSITORY / path)
    assert all(s.source for s in scenario.services)
    assert all(e.source for e in scenario.events)


def test_russia_instagram_is_reached_only_through_a_vpn_and_only_after_its_block(runs):
    wide, long = runs["scenarios/russia/2022.toml"]
    reach = keyed(long, "service_reach", "instagram")
    block = pd.Timestamp("2022-03-14")
    assert reach.loc[:block - pd.Timedelta(days=1)].isna().all()
    assert reach.loc[block:].notna().all() and reach.loc[block:].mean() > 0
    share = keyed(long, "service_share", "instagram")
    assert mean_between(share, "2022-04-01", "2022-04-30") < \
        0.7 * mean_between(share, "2022-02-01", "2022-03-13")
    fb = keyed(long, "service_reach", "facebook")
    assert fb.loc[:"2022-03-03"].isna().all() and fb.loc["2022-03-04":].notna().all()
    assert wide.loc["2022-03-20":"2022-03-31", "vpn_use"].mean() > \
        wide.loc["2022-02-01":"2022-02-23", "vpn_use"].mean()


def test_india_tiktok_is_gone_after_the_ban_and_domestic_services_gain(runs):
    _, long = runs["scenarios/india/2020.toml"]
    tiktok = keyed(long, "service_share", "tiktok")
    assert tiktok.loc[:"2020-06-28"].min() > 0.25
    assert tiktok.loc["2020-07-01":].max() == 0.0          # withdrawn: not even a VPN reaches it
    assert (keyed(long, "service_reach", "tiktok").loc["2020-07-01":] == 0.0).all()
    sharechat = keyed(long, "service_share", "sharechat")
    assert mean_between(sharechat, "2020-07-15", "2020-07-31") > \
        mean_between(sharechat, "2020-06-01", "2020-06-14")


@pytest.mark.parametrize("case", sorted(CASES))
def test_every_observation_computes_a_finite_number_from_one_run(case, runs):
    rows = score(case, {path: runs[path] for path in scenarios(case)})
    assert len(rows) == len(CASES[case])
    for row in rows:
        obs = row.observation
        assert math.isfinite(row.model), obs.name
        assert math.isfinite(obs.observed) and obs.error > 0, obs.name
        assert obs.source and obs.statistic and obs.scenario in PACKS
        assert math.isfinite(row.z)


def test_run_case_runs_the_pack_once_through_the_public_api():
    rows = run_case("india", users=300, seed=1, overrides={"choice_noise": 0.5})
    assert [r.observation.name for r in rows] == [o.name for o in CASES["india"]]
    assert all(math.isfinite(r.model) for r in rows)
    with pytest.raises(KeyError, match="cases: russia, india"):
        run_case("chile")


def test_a_posterior_draw_replaces_only_shared_parameters():
    draw = {"enforcement_intensity": 0.39, "regulators.user_detection_rate": 0.001,
            "behaviour.awareness_transmission": 0.0008, "demand_median": 0.5}
    with pytest.raises(ValueError, match="enforcement_intensity, regulators.user_detection_rate"):
        run_case("india", overrides=draw, users=100)
    assert shared(draw) == {"behaviour.awareness_transmission": 0.0008, "demand_median": 0.5}


def test_observations_score_from_an_experiment_folders_stored_run(tmp_path):
    exp = tmp_path / "exp.toml"
    exp.write_text(f'name = "case_exp"\nscenarios = ["{(REPOSITORY / "scenarios/india/2020.toml").as_posix()}"]\n'
                   'replicates = 1\nseed = 5\n[settings]\nusers = 300\n', encoding="utf-8")
    out = tmp_path / "results"
    subprocess.run([sys.executable, "-m", "model.cli", "experiment", str(exp), "--out", str(out),
                    "--workers", "1", "--quiet"], check=True, capture_output=True,
                   cwd=REPOSITORY)
    run_id = pd.read_parquet(out / "summary.parquet")["run_id"].iloc[0]
    wide, long = frames_from_experiment(out, run_id)
    assert isinstance(wide.index[0], pd.Timestamp | dt.date)
    rows = score("india", {"scenarios/india/2020.toml": (wide, long)})
    assert all(math.isfinite(r.model) for r in rows)


def test_the_command_prints_every_observation_of_a_case():
    done = subprocess.run([sys.executable, "-m", "model.cases", "india", "--users", "300",
                           "--set", "choice_noise=0.4"], capture_output=True, text=True,
                          check=True, cwd=REPOSITORY)
    lines = done.stdout.splitlines()
    assert lines[0].split()[:3] == ["observation", "observed", "error"]
    assert [line.split()[0] for line in lines[1:]] == [o.name for o in CASES["india"]]
