"""The outcomes contract and the Python API."""

import json

import pandas as pd
import pytest

import model
from model.cli import main

CONTRACT = ["date", "day", "effective_intensity", "vpn_availability",
            "vpn_providers_working", "vpn_listings_foreign_store", "vpn_interested",
            "vpn_access", "vpn_use", "service_domestic_share", "blocked_service_reach",
            "foreign_cloud_share", "domestic_cloud_share",
            "foreign_compliance", "sanctions_total", "users_punished_total",
            "mean_perceived_risk"]


@pytest.fixture(scope="module")
def small_run():
    return model.run("china_2017", seed=5, overrides={"users": 600, "days": 60})


def test_time_series_has_one_row_per_day_and_the_contract_columns(small_run):
    frame, _ = small_run
    assert len(frame) == 60
    assert set(CONTRACT) <= set(frame.columns)
    assert list(frame["day"]) == list(range(60))
    assert frame["date"].iloc[0] == pd.Timestamp("2017-01-01")
    assert frame["date"].diff().dropna().eq(pd.Timedelta(days=1)).all()


def test_summary_has_the_documented_shape(small_run):
    frame, summary = small_run
    assert {k: summary[k] for k in ("scenario", "seed", "users", "days")} == {
        "scenario": "china_2017", "seed": 5, "users": 600, "days": 60}
    assert set(summary["final"]) == set(summary["mean"]) == set(model.METRIC_NAMES)
    assert summary["final"]["vpn_use"] == frame["vpn_use"].iloc[-1]
    assert summary["mean"]["vpn_use"] == pytest.approx(frame["vpn_use"].mean())


def test_simulate_returns_flat_final_and_mean_keys():
    out = model.simulate(enforcement_intensity=0.3, users=300, days=30, seed=1)
    assert set(out) == {f"{m}_{s}" for m in model.METRIC_NAMES for s in ("final", "mean")}
    counts = {f"{m.name}_final" for m in model.METRICS if m.count}    # whole numbers
    assert all(isinstance(v, int) for k, v in out.items() if k in counts)
    assert all(isinstance(v, float) for k, v in out.items() if k not in counts)


def test_simulate_rejects_unknown_parameters():
    with pytest.raises(model.ScenarioError, match="not_a_parameter"):
        model.simulate(not_a_parameter=1, users=300, days=5)


def test_files_written_by_run_match_the_api(tmp_path):
    out = tmp_path / "run"
    assert main(["run", "china_2017", "--seed", "5", "--users", "600", "--days", "60",
                 "--out", str(out)]) == 0
    frame = pd.read_parquet(out / "timeseries.parquet")
    api_frame, api_summary = model.run("china_2017", seed=5,
                                       overrides={"users": 600, "days": 60})
    pd.testing.assert_frame_equal(frame, api_frame, check_exact=True, check_dtype=False,
                                  check_frame_type=False)    # the API gives a `TimeSeries`
    # NaN (an outcome with nothing to measure yet) is written as null
    assert json.loads((out / "summary.json").read_text()) == json.loads(
        json.dumps(api_summary).replace("NaN", "null"))
    long = pd.read_parquet(out / "outcomes_long.parquet")
    assert list(long.columns) == ["date", "day", "metric", "key", "value"]
    assert set(long["metric"]) <= set(model.outcomes.LONG_NAMES)
    assert (out / "figure.png").stat().st_size > 10_000


def test_long_table_holds_the_scenario_dependent_outcomes(small_run):
    frame, long, summary = model.run("china_2017", seed=5, overrides={"users": 600, "days": 60},
                                     long=True)
    assert len(long) % 60 == 0 and set(long["day"]) == set(range(60))
    keys = set(zip(long["metric"], long["key"], strict=True))
    for service in ("wechat", "whatsapp", "google", "baidu"):
        assert ("service_share", service) in keys
    assert ("category_domestic_share", "messaging") in keys
    assert ("providers_working", "protocol:plain") in keys
    assert ("protocol_availability", "obfuscated") in keys
    assert summary["long_final"]["service_share"]["wechat"] == pytest.approx(
        long[(long.metric == "service_share") & (long.key == "wechat")]["value"].iloc[-1])
